"""Firm networks: the schema, validation, and the chain leaders' local supporting rate (本地化配套率).

A firm network is two tables:

``firms``
    ``id``, ``name``, ``sector``, ``pillar``, ``is_chain_leader``, ``is_local``,
    ``output`` (money unit; extra columns such as ``status`` are kept).
``links``
    ``supplier``, ``buyer``, ``value`` (money unit, ≥ 0), ``product``.

:func:`firm_graph` checks them and builds a directed graph supplier → buyer
(several links between the same two firms are summed; their products listed).
The plan's target (咸宁 15th Five-Year Plan, ch. 2 §1) is that by 2030 the
local supporting rate of the chain leaders' *direct* upstream and downstream
business exceed 30%; :func:`local_supporting_rate` measures it from the links.

Examples
--------
>>> import pandas as pd
>>> firms = pd.DataFrame({
...     "id": ["L", "s1", "s2", "b1"], "name": ["Leader", "Local 1", "Outside 2", "Buyer"],
...     "sector": ["steel", "ore", "ore", "cars"], "pillar": ["materials", "", "", ""],
...     "is_chain_leader": [True, False, False, False], "is_local": [True, True, False, True],
...     "output": [100.0, 30.0, 50.0, 80.0]})
>>> links = pd.DataFrame({"supplier": ["s1", "s2", "L"], "buyer": ["L", "L", "b1"],
...                       "value": [20.0, 60.0, 10.0], "product": ["ore", "ore", "steel"]})
>>> g = firm_graph(firms, links)
>>> local_supporting_rate(g)[["upstream", "downstream", "both", "meets_target"]]
        upstream  downstream      both  meets_target
leader
L           0.25         1.0  0.333333          True
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from .._validation import utf8_error
from ..errors import NetworkDataError
from ._graphs import induced_subgraph

__all__ = [
    "FIRM_COLUMNS",
    "LINK_COLUMNS",
    "LOCAL_SUPPORT_TARGET",
    "FirmData",
    "list_firm_datasets",
    "load_firms",
    "read_firms",
    "firm_graph",
    "local_supporting_rate",
    "critical_suppliers",
    "SupplyCut",
    "supply_cut",
    "shared_suppliers",
]

FIRM_COLUMNS = ("id", "name", "sector", "pillar", "is_chain_leader", "is_local", "output")
"""Required columns of the firms table."""
LINK_COLUMNS = ("supplier", "buyer", "value", "product")
"""Required columns of the links table."""
LOCAL_SUPPORT_TARGET = 0.30
"""The plan's 2030 target for chain leaders' local supporting rate (targets.csv: chain_leader_local_supply)."""

_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


class FirmData(NamedTuple):
    """A firm network as loaded: the two tables and what they are."""

    firms: pd.DataFrame
    links: pd.DataFrame
    metadata: dict
    """Name, unit, ``status`` (e.g. ``"illustrative"``), the table the flows agree with, notes."""


# --------------------------------------------------------------------------- reading and validation
def _where(what: str, k: int, source: str | None) -> str:
    return f"{what} row {k}" + (f" ({source}, line {k + 2})" if source else "")


def _as_frame(data, what: str) -> tuple[pd.DataFrame, str | None]:
    if isinstance(data, pd.DataFrame):
        return data.reset_index(drop=True), None
    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.is_file():
            raise NetworkDataError(f"{what} file {path} does not exist")
        return _read_text_csv(path), str(path)  # errors name the file as the user gave it
    raise NetworkDataError(f"{what} must be a DataFrame or a CSV path, got {type(data).__name__}")


def _bool(value, what: str, field: str, k: int, source: str | None) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE and text != "":
        return False
    raise NetworkDataError(f"{_where(what, k, source)}: {field} must be true or false, got {value!r}")


def _number(value, what: str, field: str, k: int, source: str | None, row_id: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NetworkDataError(
            f"{_where(what, k, source)} ({row_id}): {field} must be a number, got {value!r}"
        ) from None
    if not math.isfinite(number):
        raise NetworkDataError(f"{_where(what, k, source)} ({row_id}): {field} is {value!r}; it must be finite")
    if number < 0:
        raise NetworkDataError(f"{_where(what, k, source)} ({row_id}): {field} is negative ({number:g})")
    return number


def _columns(frame: pd.DataFrame, required, what: str, source: str | None) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        where = f" ({source})" if source else ""
        raise NetworkDataError(f"{what}{where} lacks column(s) {missing}; it has {list(frame.columns)}")


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value).strip()


def firm_graph(firms, links) -> nx.DiGraph:
    """Validate a firm network and build its graph (supplier → buyer).

    Parameters
    ----------
    firms : pandas.DataFrame or path
        Columns :data:`FIRM_COLUMNS` (extra columns become node attributes).
    links : pandas.DataFrame or path
        Columns :data:`LINK_COLUMNS`.

    Returns
    -------
    networkx.DiGraph
        Nodes keyed by firm id with the firm's fields; edges with ``value``
        (summed over links between the same firms), ``products`` (sorted list)
        and ``links`` (count). ``graph.graph["status"]`` is the firms' ``status``
        column when all rows agree (e.g. ``"illustrative"``).

    Raises
    ------
    NetworkDataError
        A missing column; an empty or duplicate firm id; a flag that is not
        true/false; a negative, missing or non-finite output or link value; a
        link naming an unknown firm or linking a firm to itself. The message
        names the table, the row (and the CSV line) and the field.

    Examples
    --------
    >>> import xn_io
    >>> import pandas as pd
    >>> firms = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "sector": ["s", "s"], "pillar": ["", ""],
    ...                       "is_chain_leader": [True, False], "is_local": [True, True], "output": [1.0, 2.0]})
    >>> firm_graph(firms, pd.DataFrame({"supplier": ["b"], "buyer": ["c"], "value": [1.0], "product": ["x"]}))
    Traceback (most recent call last):
    ...
    xn_io.errors.NetworkDataError: links row 0: buyer 'c' is not a firm in the firms table (2 firms)
    """
    firms, fsrc = _as_frame(firms, "firms")
    links, lsrc = _as_frame(links, "links")
    _columns(firms, FIRM_COLUMNS, "firms", fsrc)
    _columns(links, LINK_COLUMNS, "links", lsrc)
    g = nx.DiGraph()
    seen: dict[str, int] = {}
    statuses = set()
    for k, row in enumerate(firms.to_dict("records")):
        fid = _text(row["id"])
        if not fid:
            raise NetworkDataError(f"{_where('firms', k, fsrc)}: id is empty")
        if fid in seen:
            raise NetworkDataError(f"{_where('firms', k, fsrc)}: duplicate id {fid!r} (first at firms row {seen[fid]})")
        seen[fid] = k
        attrs = {key: row[key] for key in row if key != "id"}
        attrs.update(
            name=_text(row["name"]),
            sector=_text(row["sector"]),
            pillar=_text(row["pillar"]),
            is_chain_leader=_bool(row["is_chain_leader"], "firms", "is_chain_leader", k, fsrc),
            is_local=_bool(row["is_local"], "firms", "is_local", k, fsrc),
            output=_number(row["output"], "firms", "output", k, fsrc, repr(fid)),
        )
        if "status" in row:
            statuses.add(_text(row["status"]))
        g.add_node(fid, **attrs)
    for k, row in enumerate(links.to_dict("records")):
        ends = {}
        for end in ("supplier", "buyer"):
            fid = _text(row[end])
            if fid not in seen:
                raise NetworkDataError(
                    f"{_where('links', k, lsrc)}: {end} {fid!r} is not a firm in the firms table ({len(seen)} firms)"
                )
            ends[end] = fid
        u, v = ends["supplier"], ends["buyer"]
        if u == v:
            raise NetworkDataError(f"{_where('links', k, lsrc)}: firm {u!r} is linked to itself")
        value = _number(row["value"], "links", "value", k, lsrc, f"{u} → {v}")
        product = _text(row["product"])
        if g.has_edge(u, v):
            d = g.edges[u, v]
            d["value"] += value
            d["links"] += 1
            d["products"] = sorted(set(d["products"]) | {product})
        else:
            g.add_edge(u, v, value=value, products=[product], links=1)
    g.graph["status"] = statuses.pop() if len(statuses) == 1 else ("mixed" if statuses else "")
    return g


# --------------------------------------------------------------------------- the shipped datasets
def _firms_root() -> Path:
    return Path(str(resources.files("xn_io") / "data" / "firms"))


def list_firm_datasets() -> list[str]:
    """Names of the firm networks shipped with xn_io.

    Examples
    --------
    >>> list_firm_datasets()
    ['xianning-illustrative']
    """
    root = _firms_root()
    return sorted(p.name for p in root.iterdir() if (p / "firms.csv").is_file()) if root.is_dir() else []


def read_firms(path) -> FirmData:
    """Read a firm network folder: ``firms.csv``, ``links.csv`` and optional ``metadata.toml``.

    Raises
    ------
    NetworkDataError
        If a file is missing or the data are invalid (see :func:`firm_graph`);
        the message names the CSV line.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"], "sector": "s", "pillar": "",
    ...               "is_chain_leader": [True, False], "is_local": True, "output": 1.0}).to_csv(folder / "firms.csv", index=False)
    >>> pd.DataFrame({"supplier": ["b"], "buyer": ["a"], "value": [-1.0], "product": "p"}).to_csv(folder / "links.csv", index=False)
    >>> read_firms(folder)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    xn_io.errors.NetworkDataError: links row 0 (.../links.csv, line 2) (b → a): value is negative (-1)
    """
    path = Path(path)
    for name in ("firms.csv", "links.csv"):
        if not (path / name).is_file():
            raise NetworkDataError(f"firm network folder {path} has no {name}")
    meta = {}
    if (path / "metadata.toml").is_file():
        try:
            meta = tomllib.loads((path / "metadata.toml").read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise NetworkDataError(f"{path / 'metadata.toml'}: not valid UTF-8 TOML: {exc}") from None
    meta.setdefault("name", path.name)
    return _read_firm_files(path / "firms.csv", path / "links.csv", meta)


def _read_text_csv(file: Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise NetworkDataError(f"{file}: the file is empty; expected a CSV with a header line") from None
    except UnicodeDecodeError:
        raise NetworkDataError(f"{file}, {utf8_error(file)}") from None
    except pd.errors.ParserError as exc:
        raise NetworkDataError(f"{file}: not a readable CSV: {' '.join(str(exc).split())}") from None
    return frame


def _read_firm_files(firms_file, links_file, metadata: Mapping | None = None) -> FirmData:
    """Read a firm network from a firms CSV and a links CSV (see ``read_firms`` for the columns).

    Raises
    ------
    NetworkDataError
        If a file is empty, not UTF-8 or not CSV, or the data are invalid
        (see :func:`firm_graph`); the message names the file and the line.
    """
    firms_file, links_file = Path(firms_file), Path(links_file)
    firms, links = _read_text_csv(firms_file), _read_text_csv(links_file)
    firm_graph(firms_file, links_file)  # validate; errors name the CSV lines
    firms = firms.assign(
        output=firms["output"].astype(float),
        is_chain_leader=firms["is_chain_leader"].str.strip().str.lower().isin(_TRUE),
        is_local=firms["is_local"].str.strip().str.lower().isin(_TRUE),
    )
    links = links.assign(value=links["value"].astype(float))
    meta = dict(metadata or {})
    meta.setdefault("name", firms_file.stem)
    return FirmData(firms, links, meta)


def load_firms(name: str = "xianning-illustrative") -> FirmData:
    """Load a firm network shipped with xn_io.

    Parameters
    ----------
    name : str
        One of :func:`list_firm_datasets`. ``"xianning-illustrative"`` holds the
        chain leaders named in Xianning's 15th Five-Year Plan with *generated*
        suppliers and links — ILLUSTRATIVE, not survey data (see its PROVENANCE.md).

    Returns
    -------
    FirmData

    Raises
    ------
    NetworkDataError
        If there is no such dataset (lists those there are).

    Examples
    --------
    >>> data = load_firms()
    >>> data.metadata["status"], bool((data.firms["status"] == "illustrative").all())
    ('illustrative', True)
    """
    names = list_firm_datasets()
    if name not in names:
        raise NetworkDataError(f"no firm dataset {name!r}; the shipped ones are {names}")
    return read_firms(_firms_root() / name)


# --------------------------------------------------------------------------- chain-leader analysis
def _leaders(graph: nx.DiGraph, leader: str | None) -> list[str]:
    if leader is not None:
        if leader not in graph:
            raise NetworkDataError(f"{leader!r} is not a firm of the graph ({graph.number_of_nodes()} firms)")
        return [leader]
    leaders = [n for n, d in graph.nodes(data=True) if d.get("is_chain_leader")]
    if not leaders:
        raise NetworkDataError("the firm graph has no chain leader (is_chain_leader true)")
    return leaders


def local_supporting_rate(
    graph: nx.DiGraph, leader: str | None = None, *, target: float = LOCAL_SUPPORT_TARGET
) -> pd.DataFrame:
    """Local supporting rate of chain leaders: the local share of their direct business.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`firm_graph`.
    leader : str, optional
        One firm id; by default every chain leader.
    target : float
        The target rate (default 30%, the plan's 2030 target).

    Returns
    -------
    pandas.DataFrame
        Indexed by leader: ``name``, ``purchases`` and ``local_purchases``,
        ``sales`` and ``local_sales`` (money unit), ``upstream`` =
        local purchases / purchases, ``downstream`` = local sales / sales,
        ``both`` = (local purchases + local sales) / (purchases + sales),
        ``target``, ``meets_target`` (``both ≥ target``) and ``data_status``
        (the firms' ``status`` column, e.g. ``"illustrative"``, so that a printed
        table says what its data are). A rate with no business in that
        direction is NaN.

    Raises
    ------
    NetworkDataError
        Unknown leader, or no chain leader in the graph.

    Notes
    -----
    Only direct links count (the plan: 直接关联上下游). Links between two
    leaders count for both. A firm is local when its ``is_local`` flag is true.
    """
    rows = {}
    for f in _leaders(graph, leader):
        pur = sum(d["value"] for _, _, d in graph.in_edges(f, data=True))
        lpur = sum(d["value"] for u, _, d in graph.in_edges(f, data=True) if graph.nodes[u]["is_local"])
        sal = sum(d["value"] for _, _, d in graph.out_edges(f, data=True))
        lsal = sum(d["value"] for _, v, d in graph.out_edges(f, data=True) if graph.nodes[v]["is_local"])
        rows[f] = dict(
            name=graph.nodes[f].get("name", f),
            purchases=pur,
            local_purchases=lpur,
            sales=sal,
            local_sales=lsal,
            upstream=lpur / pur if pur > 0 else np.nan,
            downstream=lsal / sal if sal > 0 else np.nan,
            both=(lpur + lsal) / (pur + sal) if pur + sal > 0 else np.nan,
        )
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "leader"
    out["target"] = float(target)
    out["meets_target"] = out["both"] >= target
    out["data_status"] = graph.graph.get("status", "") or "as given"
    out.attrs["status"] = graph.graph.get("status", "")
    return out


def _upstream(graph: nx.DiGraph, leader: str, depth: int | None) -> set[str]:
    if depth is None:
        return nx.ancestors(graph, leader)
    if not (isinstance(depth, int) and depth >= 1):
        raise NetworkDataError(f"depth must be an integer ≥ 1 or None, got {depth!r}")
    seen = {leader: 0}
    frontier = [leader]
    for level in range(1, depth + 1):
        nxt = []
        for n in frontier:
            for u in graph.predecessors(n):
                if u not in seen:
                    seen[u] = level
                    nxt.append(u)
        frontier = nxt
    seen.pop(leader)
    return set(seen)


def critical_suppliers(graph: nx.DiGraph, leader: str, *, depth: int | None = 2) -> pd.DataFrame:
    """The suppliers whose loss would cut a chain leader off most.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`firm_graph`.
    leader : str
    depth : int or None
        How many links upstream to look (default 2: direct suppliers and
        theirs; ``None``: every firm with a path to the leader).

    Returns
    -------
    pandas.DataFrame
        One row per firm upstream of the leader within ``depth`` links, sorted
        by ``cut_off``, ``articulation``, the number of single-source products
        and ``direct_value``: ``name``, ``is_local``,
        ``direct_value`` (sold to the leader), ``direct_share`` (of the leader's
        purchases), ``single_source`` (the products for which it is the
        leader's only supplier), ``sole_local_source`` (the products for which
        it is the leader's only *local* supplier), ``cut_off`` (upstream firms whose every supply
        path to the leader passes through it: it dominates them),
        ``articulation`` (removing it splits the leader's upstream network,
        taken as undirected).

    Raises
    ------
    NetworkDataError
        Unknown leader, bad ``depth``.

    Notes
    -----
    Dominators of the reversed upstream graph rooted at the leader (Cooper,
    Harvey & Kennedy 2001, as in ``networkx.immediate_dominators``);
    articulation points by Hopcroft & Tarjan (1973).
    """
    _leaders(graph, leader)
    up = _upstream(graph, leader, depth)
    if not up:
        return pd.DataFrame(
            columns=[
                "name",
                "is_local",
                "direct_value",
                "direct_share",
                "single_source",
                "sole_local_source",
                "cut_off",
                "articulation",
            ]
        )
    sub = induced_subgraph(graph, up | {leader})
    rev = sub.reverse(copy=True)
    idom = nx.immediate_dominators(rev, leader)
    ordered = [n for n in sub if n != leader]  # the graph's order, whatever the hash seed
    dominated = dict.fromkeys(ordered, 0)
    for n in ordered:
        d = idom[n]
        while d != leader:
            dominated[d] += 1
            d = idom[d]
    arts = set(nx.articulation_points(sub.to_undirected(as_view=True)))
    purchases = sum(d["value"] for _, _, d in graph.in_edges(leader, data=True))
    by_product: dict[str, list[str]] = {}
    for u, _, d in graph.in_edges(leader, data=True):
        for p in d["products"]:
            by_product.setdefault(p, []).append(u)
    rows = {}
    for n in ordered:
        direct = graph.edges[n, leader]["value"] if graph.has_edge(n, leader) else 0.0
        rows[n] = dict(
            name=graph.nodes[n].get("name", n),
            is_local=graph.nodes[n]["is_local"],
            direct_value=direct,
            direct_share=direct / purchases if purchases > 0 else np.nan,
            single_source=sorted(p for p, s in by_product.items() if s == [n]),
            sole_local_source=sorted(
                p for p, s in by_product.items() if [u for u in s if graph.nodes[u]["is_local"]] == [n]
            ),
            cut_off=dominated[n],
            articulation=n in arts,
        )
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "firm"
    key = out.assign(_n=out["single_source"].map(len))
    order = key.sort_values(["cut_off", "articulation", "_n", "direct_value"], ascending=False, kind="stable").index
    return out.loc[order]


class SupplyCut(NamedTuple):
    """Minimum cuts between a leader's origin suppliers and the leader."""

    value: float
    """Value of the minimum link cut: the most supply value the origins can route to the leader."""
    links: list[tuple[str, str]]
    """A minimum-value set of links whose loss cuts every origin off."""
    firms: set[str]
    """A minimum set of firms (other than the leader) whose loss cuts every origin off."""
    origins: list[str]
    """The upstream firms with no supplier of their own in the network."""


def supply_cut(graph: nx.DiGraph, leader: str, *, depth: int | None = None) -> SupplyCut:
    """Minimum link and firm cuts between a chain leader and the origins of its supply.

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`firm_graph`; link capacities are their ``value``.
    leader : str
    depth : int or None
        Look this many links upstream (default: every firm with a path to
        the leader); origins are the firms with no supplier within that range.

    Returns
    -------
    SupplyCut

    Raises
    ------
    NetworkDataError
        Unknown leader.

    Notes
    -----
    A super-source feeds every origin (upstream firm with no upstream of its
    own) with unlimited capacity; the link cut is the minimum s–t cut
    (max-flow min-cut, Ford & Fulkerson 1956), the firm cut a minimum s–t
    vertex cut (Even & Tarjan 1975), both as computed by networkx.

    Examples
    --------
    Two ore firms feed one mill that feeds the leader; a third firm sells to
    the leader directly. The mill alone separates the ore from the leader,
    but the direct seller needs cutting too: the minimum firm cut is {mill, s3}.

    >>> import pandas as pd
    >>> ids = ["L", "mill", "o1", "o2", "s3"]
    >>> firms = pd.DataFrame({"id": ids, "name": ids, "sector": "x", "pillar": "",
    ...     "is_chain_leader": [True, False, False, False, False], "is_local": True, "output": 1.0})
    >>> links = pd.DataFrame({"supplier": ["o1", "o2", "mill", "s3"], "buyer": ["mill", "mill", "L", "L"],
    ...                       "value": [3.0, 4.0, 5.0, 2.0], "product": "p"})
    >>> cut = supply_cut(firm_graph(firms, links), "L")
    >>> cut.value, sorted(cut.links), sorted(cut.firms)
    (7.0, [('mill', 'L'), ('s3', 'L')], ['mill', 's3'])
    """
    _leaders(graph, leader)
    up = _upstream(graph, leader, depth)
    if not up:
        return SupplyCut(0.0, [], set(), [])
    sub = induced_subgraph(graph, up | {leader})
    origins = sorted(n for n in up if not any(u in up for u in sub.predecessors(n)))
    if not origins:  # every upstream firm sits on a cycle: take the direct suppliers
        origins = sorted(graph.predecessors(leader))
    source = ("__source__",)
    flow = nx.DiGraph()
    for u, v, d in sub.edges(data=True):
        flow.add_edge(u, v, capacity=float(d["value"]))
    for o in origins:
        flow.add_edge(source, o)  # no capacity attribute: infinite
    value, (reach, _) = nx.minimum_cut(flow, source, leader, capacity="capacity")
    links = sorted((u, v) for u, v in flow.edges if u in reach and v not in reach and u != source)
    firms = set(nx.minimum_node_cut(flow, source, leader))  # the super-source never touches the leader
    return SupplyCut(float(value), links, firms, origins)


def shared_suppliers(graph: nx.DiGraph) -> pd.DataFrame:
    """Suppliers that sell directly to more than one chain leader.

    Returns
    -------
    pandas.DataFrame
        One row per shared supplier, sorted by the number of leaders and value:
        ``name``, ``is_local``, ``leaders`` (sorted ids), ``n_leaders``, ``value``
        (sold to those leaders).

    Examples
    --------
    >>> import pandas as pd
    >>> ids = ["L1", "L2", "s"]
    >>> firms = pd.DataFrame({"id": ids, "name": ids, "sector": "x", "pillar": "",
    ...     "is_chain_leader": [True, True, False], "is_local": True, "output": 1.0})
    >>> links = pd.DataFrame({"supplier": ["s", "s"], "buyer": ["L1", "L2"], "value": [1.0, 2.0], "product": "p"})
    >>> shared_suppliers(firm_graph(firms, links))[["leaders", "n_leaders", "value"]]
         leaders  n_leaders  value
    firm
    s   [L1, L2]          2    3.0
    """
    leaders = set(_leaders(graph, None))
    rows = {}
    for n, d in graph.nodes(data=True):
        buyers = sorted(v for v in graph.successors(n) if v in leaders)
        if len(buyers) >= 2:
            rows[n] = dict(
                name=d.get("name", n),
                is_local=d["is_local"],
                leaders=buyers,
                n_leaders=len(buyers),
                value=sum(graph.edges[n, v]["value"] for v in buyers),
            )
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["name", "is_local", "leaders", "n_leaders", "value"])
    out.index.name = "firm"
    return out.sort_values(["n_leaders", "value"], ascending=False, kind="stable")
