"""The sector graph of an input-output table: links, key sectors, pillar chains, clusters.

A table's intermediate flows ``Z`` are a weighted directed graph, supplier →
buyer. :func:`sector_graph` builds it on networkx with the quantities an
analyst needs on the nodes (output, value added, pillar, CO2, imported inputs)
and on the edges (flow, technical and allocation coefficients, the estimated
imported part of the same input); the functions below read it.

Imported inputs by product are rarely published for a region: an ``imports``
row of ``M`` gives only what each *buyer* brings in. :func:`imported_inputs`
spreads that row over products, either in proportion to the regional purchases
(the import-proportionality assumption) or, better, by the gap between a
reference technology (e.g. the national table, which counts all inputs) and the
regional flows — the leakage a location-quotient regionalisation leaves
(Flegg & Webber 1997). Either way the result is an estimate and says so.

Examples
--------
>>> import xn_io
>>> import pandas as pd
>>> s = ["farm", "mill", "shop"]
>>> Z = pd.DataFrame([[10, 40, 0], [0, 5, 30], [5, 5, 5]], index=s, columns=s)
>>> Y = pd.DataFrame({"households": [50, 45, 85]}, index=s)
>>> M = pd.DataFrame([[15, 30, 10]], index=["imports"], columns=s)
>>> t = xn_io.IOTable(Z, Y, M=M)
>>> g = sector_graph(t)
>>> sorted(g.edges)
[('farm', 'mill'), ('mill', 'shop'), ('shop', 'farm'), ('shop', 'mill')]
>>> round(g.edges["farm", "mill"]["coefficient"], 3)    # 40 / 80
0.5
>>> round(g.nodes["mill"]["import_share"], 3)            # 30 / (45 + 30)
0.4
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import NetworkDataError, TableError
from ..table import IOTable

__all__ = [
    "IMPORTS_ROW",
    "has_imports",
    "imported_inputs",
    "reference_coefficients",
    "sector_graph",
    "key_sectors",
    "key_links",
    "pillar_chain",
    "pillar_chains",
    "communities",
    "CommunityComparison",
    "compare_communities",
]

IMPORTS_ROW = "imports"
"""Label of the row of ``M`` holding intermediate inputs bought outside the region.

A table that publishes imports by product (a non-competitive table) has rows
``"imports:<sector>"`` instead; :func:`imported_inputs` reads them directly.
"""

Measure = Literal["A", "Z", "L"]


# --------------------------------------------------------------------------- imported inputs
def _product_block(table: IOTable) -> pd.DataFrame | None:
    """The ``imports:<sector>`` rows of ``M`` as a product × buyer block, or None."""
    prefix = IMPORTS_ROW + ":"
    rows = [r for r in table.M.index if str(r).startswith(prefix)]
    if not rows:
        return None
    block = table.M.loc[rows]
    block.index = [str(r)[len(prefix):] for r in rows]
    unknown = sorted(set(block.index).difference(table.sectors))
    if unknown:
        raise TableError(f"M has import rows for products that are not sectors of the table: {unknown[:5]}")
    return block.reindex(table.sectors, fill_value=0.0)


def has_imports(table: IOTable) -> bool:
    """Whether the table says what each sector buys outside the region (an ``imports`` row or ``imports:<sector>`` rows of ``M``)."""
    return IMPORTS_ROW in table.M.index or _product_block(table) is not None


def _imports_row(table: IOTable) -> pd.Series:
    M = table.M
    block = _product_block(table)
    if block is not None:
        return block.sum(axis=0)
    if IMPORTS_ROW not in M.index:
        raise TableError(
            f"table {table.name or '(unnamed)'} has no {IMPORTS_ROW!r} row in M (rows: {list(M.index)}); "
            "imported inputs cannot be estimated"
        )
    return M.loc[IMPORTS_ROW].astype(float)


def _parse_codes(spec: str, width: int) -> list[str]:
    out: list[str] = []
    for part in re.sub(r"^[^0-9]*", "", str(spec)).split(";"):
        part = part.strip()
        if not part:
            continue
        lo, _, hi = part.partition("-")
        try:
            a, b = int(lo), int(hi or lo)
        except ValueError:
            raise TableError(f"cannot read product codes {spec!r} (expected e.g. 'NBS 043-046;049')") from None
        out += [f"{k:0{width}d}" for k in range(a, b + 1)]
    return out


def reference_coefficients(
    table: IOTable,
    reference: IOTable,
    *,
    mapping: Mapping[str, Sequence[str]] | None = None,
    codes: str = "nbs153",
) -> pd.DataFrame:
    """Technical coefficients of a reference table, aggregated onto a table's sectors.

    Parameters
    ----------
    table : IOTable
        The (regional) table whose sectors label the result.
    reference : IOTable
        A table on finer products that counts *all* intermediate inputs,
        wherever they come from (e.g. a national competitive-import table).
    mapping : mapping of str to list of str, optional
        ``sector of table → reference labels``. By default read from the
        table's ``sector_info[codes]`` (code ranges such as ``"NBS 043-046;049"``).
    codes : str
        Column of ``table.sector_info`` holding the code ranges.

    Returns
    -------
    pandas.DataFrame
        Sector × sector coefficients ``Σ_{p∈i} Σ_{q∈j} Z_pq / Σ_{q∈j} x_q``. A
        reference product shared by several sectors (rival technologies of one
        product) is split on its row by the sectors' outputs and copied into
        each of their columns.

    Raises
    ------
    TableError
        If the mapping names unknown sectors or reference labels, leaves a
        sector or a reference product unmapped, or the codes cannot be read.

    Examples
    --------
    >>> import xn_io
    >>> ref = xn_io.IOTable.from_arrays([[1, 2, 0], [0, 1, 3], [2, 0, 1]], [7, 6, 7], sectors=["p1", "p2", "p3"])
    >>> t = xn_io.IOTable.from_arrays([[1, 1], [1, 1]], [8, 8], sectors=["a", "b"])
    >>> reference_coefficients(t, ref, mapping={"a": ["p1", "p2"], "b": ["p3"]})
         a    b
    a  0.2  0.3
    b  0.1  0.1
    """
    ref_labels = list(reference.sectors)
    if mapping is None:
        info = table.sector_info
        if codes not in info.columns:
            raise TableError(f"table sector_info has no column {codes!r}; pass mapping= (sector → reference labels)")
        width = max(len(s) for s in ref_labels)
        mapping = {s: _parse_codes(info.loc[s, codes], width) for s in table.sectors}
    unknown = sorted(set(mapping).difference(table.sectors))
    if unknown:
        raise TableError(f"mapping names sectors not in the table: {unknown[:5]}")
    owners: dict[str, list[str]] = {}
    for sector in table.sectors:
        labels = list(mapping.get(sector, []))
        if not labels:
            raise TableError(f"sector {sector!r} is mapped to no reference product")
        for p in labels:
            owners.setdefault(str(p), []).append(sector)
    bad = sorted(set(owners).difference(ref_labels))
    if bad:
        raise TableError(f"mapping names {len(bad)} labels not in the reference table, e.g. {bad[:5]}")
    missing = [p for p in ref_labels if p not in owners]
    if missing:
        raise TableError(f"{len(missing)} reference products are mapped to no sector, e.g. {missing[:5]}")
    sectors = list(table.sectors)
    pos = {s: k for k, s in enumerate(sectors)}
    x = table.x
    rows = np.zeros((len(sectors), len(ref_labels)))
    cols = np.zeros((len(ref_labels), len(sectors)))
    for q, p in enumerate(ref_labels):
        own = owners[p]
        weights = x[own].to_numpy()
        weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(own), 1.0 / len(own))
        for s, w in zip(own, weights):
            rows[pos[s], q] = w
            cols[q, pos[s]] = 1.0
    flows = rows @ reference.Z.to_numpy() @ cols
    outputs = reference.x.to_numpy() @ cols
    coef = np.divide(flows, outputs, out=np.zeros_like(flows), where=outputs > 0)
    return pd.DataFrame(coef, index=table.sectors, columns=table.sectors)


def imported_inputs(table: IOTable, *, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """Estimate imported intermediate inputs by product and buyer from the ``imports`` row of ``M``.

    Parameters
    ----------
    table : IOTable
        A regional table whose ``M`` has an ``"imports"`` row (inputs each
        sector buys outside the region). If ``M`` has ``"imports:<sector>"``
        rows instead (imports by product, as published in a non-competitive
        table), they are returned as they are and ``reference`` is not used.
    reference : pandas.DataFrame, optional
        Total-use technical coefficients on the table's sectors (e.g. from
        :func:`reference_coefficients`). Without it, the import-proportionality
        assumption is used.

    Returns
    -------
    pandas.DataFrame
        Product × buyer imported inputs in the table's money unit; column ``j``
        sums to ``M["imports", j]``. ``attrs["method"]`` names the method and
        ``attrs["status"]`` is ``"estimate"`` (``"as published"`` for a
        product block read from the table).

    Raises
    ------
    TableError
        If there is no ``imports`` row, ``reference`` is mislabelled or
        negative, or a sector imports inputs but buys nothing to spread them over.

    Notes
    -----
    Without a reference, ``m_ij = z_ij · m_j / Σ_k z_kj``: every input of buyer
    ``j`` is imported in the same proportion. With a reference ``a*``,
    ``m_ij ∝ max(a*_ij x_j − z_ij, 0)``, scaled so that the column sums to
    ``m_j`` — the leakage of a location-quotient regionalisation ``r_ij ≤ a*_ij``
    (Miller & Blair 2022, §8.4; Flegg & Webber 1997). A column whose reference
    gap is zero falls back to proportionality.

    Examples
    --------
    >>> import xn_io
    >>> import pandas as pd
    >>> s = ["a", "b"]
    >>> t = xn_io.IOTable(pd.DataFrame([[10, 20], [30, 0]], index=s, columns=s),
    ...                   pd.DataFrame({"fd": [70, 70]}, index=s),
    ...                   M=pd.DataFrame([[20, 40]], index=["imports"], columns=s))
    >>> imported_inputs(t)                      # a buys 10 + 30, imports 20 = half of that
          a     b
    a   5.0  40.0
    b  15.0   0.0
    >>> ref = pd.DataFrame([[0.15, 0.5], [0.45, 0.1]], index=s, columns=s)
    >>> imported_inputs(t, reference=ref)       # the gaps a*·x − z, here already summing to M
          a     b
    a   5.0  30.0
    b  15.0  10.0
    """
    block = _product_block(table)
    if block is not None:
        block.attrs.update(method="the table's imports by product (M rows 'imports:<sector>')", status="as published", unit=table.unit)
        return block
    m = _imports_row(table).to_numpy()
    Z = table.Z.to_numpy()
    x = table.x.to_numpy()
    method = "proportional to regional purchases (import-proportionality assumption)"
    gap = None
    if reference is not None:
        if not isinstance(reference, pd.DataFrame):
            raise TableError(f"reference must be a DataFrame of coefficients, got {type(reference).__name__}")
        ref = reference.copy()
        ref.index, ref.columns = ref.index.map(str), ref.columns.map(str)
        if set(ref.index) != set(table.sectors) or set(ref.columns) != set(table.sectors):
            diff = sorted(set(table.sectors).symmetric_difference(set(ref.index) | set(ref.columns)))
            raise TableError(f"reference must be labelled by the table's {table.n} sectors; differs at {diff[:5]}")
        ref = ref.loc[table.sectors, table.sectors].to_numpy(dtype=float)
        if not np.isfinite(ref).all() or (ref < 0).any():
            raise TableError("reference coefficients must be finite and non-negative")
        gap = np.clip(ref * x[None, :] - Z, 0.0, None)
        method = "reference-technology gap max(a*·x − z, 0), scaled to the imports row"
    out = np.zeros_like(Z)
    for j in range(table.n):
        if m[j] == 0:
            continue
        if m[j] < 0:
            raise TableError(f"imports of sector {table.sectors[j]!r} are negative ({m[j]:.6g})")
        base = gap[:, j] if gap is not None and gap[:, j].sum() > 0 else Z[:, j]
        if base.sum() <= 0:
            raise TableError(
                f"sector {table.sectors[j]!r} imports {m[j]:.6g} {table.unit} of inputs but buys no "
                "regional inputs (and has no reference gap) to spread them over"
            )
        out[:, j] = base * (m[j] / base.sum())
    frame = pd.DataFrame(out, index=table.sectors, columns=table.sectors)
    frame.attrs.update(method=method, status="estimate", unit=table.unit)
    return frame


# --------------------------------------------------------------------------- the graph
def _pillar_shares(table: IOTable) -> dict[str, dict[str, float]]:
    shares: dict[str, dict[str, float]] = {s: {} for s in table.sectors}
    for row in table.pillars.itertuples(index=False):
        shares[str(row.sector)][str(row.pillar)] = float(row.share)
    return shares


def sector_graph(
    table: IOTable,
    *,
    measure: Measure = "A",
    threshold: float = 0.0,
    imports: pd.DataFrame | None = None,
    self_loops: bool = False,
) -> nx.DiGraph:
    """The inter-sector graph of a table: one edge supplier → buyer per link above a threshold.

    Parameters
    ----------
    table : IOTable
    measure : {"A", "Z", "L"}
        What ``threshold`` is compared with and what ``weight`` holds: technical
        coefficients ``a_ij`` (default), flows ``z_ij``, or Leontief inverse
        entries ``l_ij`` (direct and indirect requirements; forms the inverse).
    threshold : float
        Keep links whose measure is strictly above this (default 0: all
        non-zero links).
    imports : pandas.DataFrame, optional
        Imported inputs by product × buyer (see :func:`imported_inputs`). By
        default estimated from the ``imports`` row of ``M`` when there is one.
    self_loops : bool
        Keep purchases of a sector from itself.

    Returns
    -------
    networkx.DiGraph
        Nodes: ``output``, ``value_added``, ``regional_inputs`` (Σ_i z_ij),
        ``imported_inputs`` and ``import_share`` (when ``M`` has imports),
        ``pillar`` (largest share, ``""`` if none), ``pillar_shares``,
        ``output_multiplier``, ``co2`` (if the table has it), ``name_en``/``name_zh``.
        Edges: ``flow`` z_ij, ``coefficient`` a_ij, ``allocation`` z_ij/x_i,
        ``weight`` (the chosen measure), ``distance`` = −log of the coefficient
        (of l_ij for ``measure="L"``), and ``imported`` / ``import_share`` of the
        same input when imports are known. ``graph.graph`` holds the table name,
        unit, measure, threshold, total output and the import method.

    Raises
    ------
    TableError
        Unknown measure, negative or non-finite threshold, mislabelled imports.

    Notes
    -----
    a_ij = z_ij / x_j, allocation b_ij = z_ij / x_i (Miller & Blair 2022, eqs.
    2.4 and 12.6); −log a_ij turns the products of coefficients along a path
    into sums, so shortest paths are the strongest chains of direct requirements.
    Output multipliers 1ᵀL are found by one transposed solve, not by inverting.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agri", "manu"])
    >>> g = sector_graph(t, measure="A", threshold=0.22)
    >>> list(g.edges(data="coefficient"))
    [('agri', 'manu', 0.25)]
    """
    if measure not in ("A", "Z", "L"):
        raise TableError(f"measure must be 'A', 'Z' or 'L', got {measure!r}")
    if not (isinstance(threshold, (int, float)) and math.isfinite(threshold) and threshold >= 0):
        raise TableError(f"threshold must be a finite number ≥ 0, got {threshold!r}")
    sectors = list(table.sectors)
    Z = table.Z.to_numpy()
    A = table.A.to_numpy()
    x = table.x.to_numpy()
    values = {"A": A, "Z": Z}.get(measure)
    if measure == "L":
        values = table.L.to_numpy()
    alloc = np.divide(Z, x[:, None], out=np.zeros_like(Z), where=x[:, None] > 0)
    imports_by_buyer = _imports_row(table).to_numpy() if has_imports(table) else None
    method = None
    if imports is None and imports_by_buyer is not None:
        imports = imported_inputs(table)
    if imports is not None:
        method = imports.attrs.get("method", "given")
        imp = imports.copy()
        imp.index, imp.columns = imp.index.map(str), imp.columns.map(str)
        if not (imp.index.equals(table.sectors) and imp.columns.equals(table.sectors)):
            raise TableError("imports must be a product × buyer DataFrame labelled by the table's sectors, in order")
        imp = imp.to_numpy(dtype=float)
    else:
        imp = None
    multipliers = table.output_multipliers().to_numpy()
    va = table.value_added.to_numpy()
    shares = _pillar_shares(table)
    info = table.sector_info
    co2 = table.satellites["co2"].values.reindex(table.sectors).to_numpy() if "co2" in table.satellites else None
    g = nx.DiGraph(
        name=table.name,
        unit=table.unit,
        measure=measure,
        threshold=float(threshold),
        total_output=float(x.sum()),
        imports_method=method,
        status=str(table.metadata.get("default_status", "")),
    )
    for j, s in enumerate(sectors):
        attrs = dict(
            output=float(x[j]),
            value_added=float(va[j]),
            regional_inputs=float(Z[:, j].sum()),
            output_multiplier=float(multipliers[j]),
            pillar=max(shares[s], key=shares[s].get) if shares[s] else "",
            pillar_shares=dict(shares[s]),
        )
        if imports_by_buyer is not None:
            m_j = float(imports_by_buyer[j])
            total = m_j + attrs["regional_inputs"]
            attrs.update(imported_inputs=m_j, import_share=m_j / total if total > 0 else 0.0)
        if co2 is not None:
            attrs["co2"] = float(co2[j])
        for col in ("name_en", "name_zh"):
            if col in info.columns and s in info.index:
                attrs[col] = str(info.loc[s, col])
        g.add_node(s, **attrs)
    for i, j in zip(*np.nonzero(values > threshold)):
        if i == j and not self_loops:
            continue
        strength = values[i, j] if measure == "L" else A[i, j]
        attrs = dict(
            flow=float(Z[i, j]),
            coefficient=float(A[i, j]),
            allocation=float(alloc[i, j]),
            weight=float(values[i, j]),
            distance=-math.log(min(strength, 1.0)) if strength > 0 else math.inf,
        )
        if imp is not None:
            total = imp[i, j] + Z[i, j]
            attrs.update(imported=float(imp[i, j]), import_share=float(imp[i, j] / total) if total > 0 else 0.0)
        g.add_edge(sectors[i], sectors[j], **attrs)
    return g


# --------------------------------------------------------------------------- key sectors and links
def key_sectors(graph: nx.DiGraph, *, weight: str = "flow", alpha: float = 0.85) -> pd.DataFrame:
    """Centrality of each sector in a sector graph.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph`.
    weight : str
        Edge attribute used for strengths and PageRank (default ``"flow"``).
    alpha : float
        PageRank damping factor.

    Returns
    -------
    pandas.DataFrame
        Indexed by sector, sorted by ``pagerank_supplier``: ``in_strength``
        (what the sector buys from others), ``out_strength`` (what it sells to
        others), ``pagerank`` on the supplier → buyer graph (sectors that absorb
        the flows of important sectors: big buyers), ``pagerank_supplier`` on
        the reversed graph (sectors that feed important buyers: key suppliers),
        ``betweenness`` with edge length ``distance`` (sectors that lie on the
        strongest chains of requirements), and ``pillar``.

    References
    ----------
    Brin & Page (1998); Brandes (2001) for betweenness; on IO graphs,
    McNerney et al. (2013), "Network structure of inter-industry flows".

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[0, 8, 0], [0, 0, 6], [1, 0, 0]], [2, 4, 9], sectors=["a", "b", "c"])
    >>> k = key_sectors(sector_graph(t))
    >>> k.loc["b", ["in_strength", "out_strength", "betweenness"]].tolist()
    [8.0, 6.0, 0.5]
    """
    if graph.number_of_nodes() == 0:
        raise NetworkDataError("the sector graph has no nodes")
    nodes = list(graph.nodes)
    out = pd.DataFrame(index=pd.Index(nodes, name="sector"))
    out["in_strength"] = pd.Series(dict(graph.in_degree(weight=weight)), dtype=float)
    out["out_strength"] = pd.Series(dict(graph.out_degree(weight=weight)), dtype=float)
    out["pagerank"] = pd.Series(nx.pagerank(graph, alpha=alpha, weight=weight))
    out["pagerank_supplier"] = pd.Series(nx.pagerank(graph.reverse(copy=False), alpha=alpha, weight=weight))
    out["betweenness"] = pd.Series(nx.betweenness_centrality(graph, weight="distance", normalized=True))
    out["pillar"] = pd.Series({n: graph.nodes[n].get("pillar", "") for n in nodes})
    return out.sort_values("pagerank_supplier", ascending=False)


def key_links(graph: nx.DiGraph, *, top: int | None = 20) -> pd.DataFrame:
    """The most important links of a sector graph.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph`.
    top : int or None
        Keep this many links (all if ``None``).

    Returns
    -------
    pandas.DataFrame
        One row per link, sorted by ``elasticity``: ``supplier``, ``buyer``,
        ``flow``, ``coefficient``, ``import_share`` (if known),
        ``edge_betweenness`` (with length ``distance``), and ``elasticity`` —
        the % change in the region's total output for a 1 % change in the
        coefficient, ``z_ij · m_i / Σ_k x_k`` with ``m_i`` the output
        multiplier of the supplier ("important coefficients").

    Notes
    -----
    With ``x = L y``, ``∂L/∂a_ij = L e_i e_jᵀ L``, so ``∂(1ᵀx)/∂a_ij = (1ᵀL)_i x_j``
    and the elasticity is ``a_ij x_j m_i / 1ᵀx`` (Sherman & Morrison 1950;
    Sonis & Hewings 1989, fields of influence; Miller & Blair 2022, ch. 13).

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agri", "manu"])
    >>> key_links(sector_graph(t))[["supplier", "buyer", "flow"]]
      supplier buyer   flow
    0     agri  manu  500.0
    1     manu  agri  200.0
    """
    total = float(graph.graph.get("total_output", 0.0)) or sum(d.get("output", 0.0) for _, d in graph.nodes(data=True))
    between = nx.edge_betweenness_centrality(graph, weight="distance", normalized=True) if graph.number_of_edges() else {}
    rows = []
    for u, v, d in graph.edges(data=True):
        m_u = graph.nodes[u].get("output_multiplier", 1.0)
        rows.append(
            dict(
                supplier=u,
                buyer=v,
                flow=d["flow"],
                coefficient=d["coefficient"],
                import_share=d.get("import_share", np.nan),
                edge_betweenness=between.get((u, v), 0.0),
                elasticity=d["flow"] * m_u / total if total > 0 else np.nan,
            )
        )
    cols = ["supplier", "buyer", "flow", "coefficient", "import_share", "edge_betweenness", "elasticity"]
    frame = pd.DataFrame(rows, columns=cols).sort_values("elasticity", ascending=False, kind="stable")
    if top is not None:
        frame = frame.head(int(top))
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------- pillar chains
def _reach(graph: nx.DiGraph, start: set[str], keep, reverse: bool) -> dict[str, int]:
    depth = {s: 0 for s in start}
    frontier = list(start)
    while frontier:
        nxt = []
        for node in frontier:
            edges = graph.in_edges(node, data=True) if reverse else graph.out_edges(node, data=True)
            for u, v, d in edges:
                other = u if reverse else v
                if other not in depth and keep(d):
                    depth[other] = depth[node] + 1
                    nxt.append(other)
        frontier = nxt
    return depth


def pillar_chain(
    graph: nx.DiGraph,
    pillar: str,
    *,
    threshold: float = 0.02,
    direction: Literal["upstream", "downstream", "both"] = "both",
) -> nx.DiGraph:
    """A pillar's industrial chain: the sectors reachable from it through strong links.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph`.
    pillar : str
        A pillar named in the table's pillar mapping.
    threshold : float
        Upstream, follow a link i → j when the buyer's technical coefficient
        ``a_ij ≥ threshold`` (i is a real input of j); downstream, when the
        supplier's allocation coefficient ``z_ij / x_i ≥ threshold`` (j is a real
        outlet of i).
    direction : {"upstream", "downstream", "both"}

    Returns
    -------
    networkx.DiGraph
        A copy of the reached part of the graph, with the links that were
        followed; node attributes ``role`` (``"pillar"``, ``"upstream"``,
        ``"downstream"`` or ``"upstream+downstream"``) and ``depth`` (links
        from the pillar). ``graph.graph["pillar"]`` names the pillar.

    Raises
    ------
    NetworkDataError
        If no sector of the graph belongs to ``pillar`` (lists the pillars there are).

    Examples
    --------
    >>> import xn_io
    >>> import pandas as pd
    >>> s = ["ore", "steel", "cars", "shops"]
    >>> Z = [[0, 30, 0, 0], [0, 0, 40, 1], [0, 0, 0, 20], [0, 0, 0, 0]]
    >>> t = xn_io.IOTable.from_arrays(Z, [10, 70, 140, 100], sectors=s,
    ...     pillars=pd.DataFrame({"sector": ["steel"], "pillar": ["materials"], "share": [1.0]}))
    >>> chain = pillar_chain(sector_graph(t), "materials", threshold=0.05)
    >>> dict(chain.nodes(data="role"))
    {'ore': 'upstream', 'steel': 'pillar', 'cars': 'downstream', 'shops': 'downstream'}
    """
    if direction not in ("upstream", "downstream", "both"):
        raise NetworkDataError(f"direction must be 'upstream', 'downstream' or 'both', got {direction!r}")
    members = {n for n, d in graph.nodes(data=True) if pillar in d.get("pillar_shares", {})}
    if not members:
        pillars = sorted({p for _, d in graph.nodes(data=True) for p in d.get("pillar_shares", {})})
        raise NetworkDataError(f"no sector belongs to pillar {pillar!r}; the pillars are {pillars}")
    up = _reach(graph, members, lambda d: d["coefficient"] >= threshold, reverse=True) if direction != "downstream" else {}
    down = _reach(graph, members, lambda d: d["allocation"] >= threshold, reverse=False) if direction != "upstream" else {}
    nodes = members | set(up) | set(down)
    sub = nx.DiGraph(graph.subgraph(nodes))
    keep_edges = []
    for u, v, d in sub.edges(data=True):
        upstream_edge = v in up and u in up and up[u] == up[v] + 1 and d["coefficient"] >= threshold
        downstream_edge = u in down and v in down and down[v] == down[u] + 1 and d["allocation"] >= threshold
        within = u in members and v in members
        if upstream_edge or downstream_edge or within:
            keep_edges.append((u, v))
    sub.remove_edges_from([e for e in list(sub.edges) if e not in set(keep_edges)])
    for n in sub.nodes:
        if n in members:
            role, depth = "pillar", 0
        elif n in up and n in down:
            role, depth = "upstream+downstream", min(up[n], down[n])
        elif n in up:
            role, depth = "upstream", up[n]
        else:
            role, depth = "downstream", down[n]
        sub.nodes[n].update(role=role, depth=depth)
    sub.graph.update(pillar=pillar, chain_threshold=threshold, direction=direction)
    return sub


def pillar_chains(
    graph: nx.DiGraph, *, threshold: float = 0.02, direction: Literal["upstream", "downstream", "both"] = "both"
) -> dict[str, nx.DiGraph]:
    """:func:`pillar_chain` for every pillar of the graph, by pillar name (sorted)."""
    pillars = sorted({p for _, d in graph.nodes(data=True) for p in d.get("pillar_shares", {})})
    return {p: pillar_chain(graph, p, threshold=threshold, direction=direction) for p in pillars}


# --------------------------------------------------------------------------- communities
def _undirected(graph: nx.DiGraph, weight: str) -> nx.Graph:
    und = nx.Graph()
    und.add_nodes_from(graph.nodes)
    for u, v, d in graph.edges(data=True):
        if u == v:
            continue
        w = float(d.get(weight, 1.0))
        if und.has_edge(u, v):
            und[u][v]["weight"] += w
        else:
            und.add_edge(u, v, weight=w)
    return und


def communities(
    graph: nx.DiGraph,
    *,
    method: Literal["louvain", "greedy"] = "louvain",
    weight: str = "flow",
    resolution: float = 1.0,
    seed: int = 0,
) -> pd.Series:
    """Clusters of sectors that trade mostly with each other (candidate industrial chains).

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph`; links are symmetrised (z_ij + z_ji).
    method : {"louvain", "greedy"}
        Louvain (Blondel et al. 2008; randomised, fixed by ``seed``) or
        Clauset–Newman–Moore greedy modularity (deterministic).
    weight : str
        Edge attribute used as link weight.
    resolution : float
        Modularity resolution (> 1 gives smaller clusters).
    seed : int
        Seed of the Louvain method.

    Returns
    -------
    pandas.Series
        Community number by sector, 0 for the largest community.

    Raises
    ------
    NetworkDataError
        Unknown method.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[0, 9, 0, 0], [9, 0, 1, 0], [0, 0, 0, 9], [0, 1, 9, 0]], [5] * 4,
    ...                               sectors=["a", "b", "c", "d"])
    >>> communities(sector_graph(t), method="greedy").tolist()
    [0, 0, 1, 1]
    """
    und = _undirected(graph, weight)
    if method == "louvain":
        parts = nx.community.louvain_communities(und, weight="weight", resolution=resolution, seed=seed)
    elif method == "greedy":
        parts = nx.community.greedy_modularity_communities(und, weight="weight", resolution=resolution)
    else:
        raise NetworkDataError(f"method must be 'louvain' or 'greedy', got {method!r}")
    order = list(graph.nodes)
    parts = sorted((sorted(p, key=order.index) for p in parts), key=lambda p: (-len(p), order.index(p[0])))
    labels = {n: k for k, part in enumerate(parts) for n in part}
    return pd.Series([labels[n] for n in order], index=pd.Index(order, name="sector"), name="community")


class CommunityComparison(NamedTuple):
    """Communities found in the flows against the plan's pillar grouping."""

    crosstab: pd.DataFrame
    """Sectors counted by pillar (rows, ``"(none)"`` for sectors in no pillar) × community (columns)."""
    adjusted_rand: float
    """Adjusted Rand index of the two partitions (1: identical, ≈0: unrelated)."""


def _comb2(v) -> float:
    v = np.asarray(v, dtype=float)
    return float((v * (v - 1) / 2).sum())


def compare_communities(graph: nx.DiGraph, found: pd.Series) -> CommunityComparison:
    """Compare communities with the pillars of a sector graph (each sector's largest pillar).

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph` (node attribute ``pillar``).
    found : pandas.Series
        Community by sector (from :func:`communities`).

    Returns
    -------
    CommunityComparison

    Raises
    ------
    NetworkDataError
        If ``found`` and the graph do not cover the same sectors.

    Notes
    -----
    Adjusted Rand index of Hubert & Arabie (1985): (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E),
    E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2).

    Examples
    --------
    >>> import xn_io
    >>> import pandas as pd
    >>> t = xn_io.IOTable.from_arrays([[0, 9, 0, 0], [9, 0, 1, 0], [0, 0, 0, 9], [0, 1, 9, 0]], [5] * 4,
    ...     sectors=["a", "b", "c", "d"],
    ...     pillars=pd.DataFrame({"sector": list("abcd"), "pillar": ["P", "P", "Q", "Q"], "share": 1.0}))
    >>> g = sector_graph(t)
    >>> compare_communities(g, communities(g, method="greedy")).adjusted_rand
    1.0
    """
    if set(found.index) != set(graph.nodes):
        diff = sorted(set(found.index).symmetric_difference(graph.nodes))
        raise NetworkDataError(f"communities and graph cover different sectors, e.g. {diff[:5]}")
    pillar = pd.Series({n: graph.nodes[n].get("pillar") or "(none)" for n in found.index})
    table = pd.crosstab(pillar.rename("pillar"), found.rename("community"))
    n = float(table.to_numpy().sum())
    index = _comb2(table.to_numpy().ravel())
    a, b = _comb2(table.sum(axis=1)), _comb2(table.sum(axis=0))
    expected = a * b / (n * (n - 1) / 2) if n > 1 else 0.0
    top = (a + b) / 2 - expected
    ari = 1.0 if top == 0 else (index - expected) / top
    return CommunityComparison(crosstab=table, adjusted_rand=float(ari))
