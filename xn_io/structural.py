"""Structural analysis of a labelled table: linkages, key sectors, extraction, paths.

Table-level wrappers around the pure array functions of :mod:`xn_io.linkages`,
:mod:`xn_io.extraction` and :mod:`xn_io.spa`. Each takes an
:class:`~xn_io.IOTable` (any object with its attributes) and returns a
DataFrame labelled by sector; a measure in a unit carries that unit as data, in a
``unit`` or ``<measure>_unit`` column (``.attrs``, which pandas drops, holds a copy).
They reuse the table's cached factorisation of ``I − A``.

Examples
--------
>>> import xn_io
>>> t = xn_io.IOTable.from_arrays(
...     [[150, 500], [200, 100]], [350, 1700], sectors=["agriculture", "manufacturing"],
...     satellites={"co2": ([30.0, 10.0], "万吨")})
>>> key_sectors(t).round(3)
               backward  forward               class
agriculture       1.022    1.208                 key
manufacturing     0.978    0.792                weak
>>> extract_sectors(t)[["output", "value_added", "co2"]].round(1)
               output  value_added   co2
sector
agriculture    1210.5        797.4  31.1
manufacturing  2588.2       1782.4  27.6
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import extraction as _ex
from . import linkages as _lk
from . import spa as _spa
from ._units import with_unit_columns
from .errors import TableError

__all__ = [
    "linkage_table",
    "key_sectors",
    "extract_sectors",
    "extraction_effects",
    "structural_paths",
    "important_coefficients",
    "coefficient_influence",
]


# --------------------------------------------------------------------------- helpers
def _positions(table: Any, names: Sequence[str] | str, what: str = "sectors") -> np.ndarray:
    if isinstance(names, str):
        names = [names]
    names = [str(s) for s in names]
    index = table.sectors
    unknown = [s for s in names if s not in index]
    if unknown:
        raise TableError(
            f"{what} names {len(unknown)} sector(s) not in table {table.name or '(unnamed)'} "
            f"of {table.n} sectors: {unknown[:5]}"
        )
    return np.asarray(index.get_indexer(names), dtype=int)


def _arrays(table: Any) -> tuple[np.ndarray, np.ndarray, list[str]]:
    return table.A.to_numpy(), table.final_demand.to_numpy(), [str(s) for s in table.sectors]


def _measures(
    table: Any, satellites: Sequence[str] | None
) -> tuple[list[str], np.ndarray, list[float], dict[str, str]]:
    """Names, per-unit-of-output weights (k × n), table totals and units of the measures lost."""
    names = ["output", "value_added"]
    weights = [np.ones(table.n), table.value_added_coefficients.to_numpy()]
    totals = [float(table.x.sum()), float(table.gdp)]
    units = {"output": table.unit, "value_added": table.unit}
    for name in table.satellites if satellites is None else satellites:
        sat = table.satellite(name)
        names.append(name)
        weights.append(table.intensity(name).to_numpy())
        totals.append(float(sat.values.sum()))
        units[name] = sat.unit
    return names, np.vstack(weights), totals, units


def _groups(table: Any, groups) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Group name -> (sector positions, extracted share of each)."""
    if isinstance(groups, str) and groups == "pillars":
        pillars = table.pillars
        if pillars.empty:
            raise TableError(f"table {table.name or '(unnamed)'} defines no pillars")
        out = {}
        for name, rows in pillars.groupby("pillar", sort=False):
            out[str(name)] = (
                _positions(table, list(rows["sector"]), f"pillar {name!r}"),
                rows["share"].to_numpy(float),
            )
        return out
    if isinstance(groups, Mapping):
        return {
            str(k): (_positions(table, v, f"group {k!r}"), np.ones(len([v] if isinstance(v, str) else v)))
            for k, v in groups.items()
        }
    raise TableError(
        f"groups must be None, 'pillars' or a mapping of group name to sectors, got {type(groups).__name__}"
    )


# --------------------------------------------------------------------------- linkages
def linkage_table(table: Any, *, normalized: bool = True) -> pd.DataFrame:
    """Direct and total, backward and forward linkages of every sector.

    Parameters
    ----------
    table : IOTable
    normalized : bool
        Divide each measure by its mean over sectors (each column then averages 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by sector; columns ``direct_backward`` (column sums of A),
        ``direct_forward`` (row sums of B), ``total_backward`` (column sums of
        L, Rasmussen's power of dispersion) and ``total_forward`` (row sums of
        the Ghosh inverse G, sensitivity of dispersion).

    Raises
    ------
    NotProductiveError
        If ``I − A`` or ``I − B`` is singular.

    References
    ----------
    Chenery & Watanabe (1958); Rasmussen (1956); Miller & Blair (2022), §12.1.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"])
    >>> linkage_table(t, normalized=False).round(4)
         direct_backward  direct_forward  total_backward  total_forward
    agr             0.35            0.65          1.5182         1.9142
    mfg             0.30            0.15          1.4521         1.2541
    """
    A = table.A.to_numpy()
    B = table.B.to_numpy()
    labels = [str(s) for s in table.sectors]
    frame = pd.DataFrame(
        {
            "direct_backward": _lk.direct_backward_linkages(A, normalized=normalized, labels=labels),
            "direct_forward": _lk.direct_forward_linkages(B, normalized=normalized, labels=labels),
            "total_backward": _lk.total_backward_linkages(A, normalized=normalized, solver=table.solver, labels=labels),
            "total_forward": _lk.total_forward_linkages(B, normalized=normalized, labels=labels),
        },
        index=table.sectors,
    )
    frame.attrs["normalized"] = normalized
    return frame


def key_sectors(table: Any, *, kind: str = "total", threshold: float = 1.0) -> pd.DataFrame:
    """Key-sector classification from normalised backward and forward linkages.

    Parameters
    ----------
    table : IOTable
    kind : {"total", "direct"}
        Rasmussen/Ghosh total linkages (L and G) or Chenery–Watanabe direct ones (A and B).
    threshold : float
        Dividing line between strong and weak (1 = the average sector).

    Returns
    -------
    pandas.DataFrame
        Indexed by sector; columns ``backward``, ``forward`` (normalised) and
        ``class`` (``"key"``, ``"backward-oriented"``, ``"forward-oriented"``
        or ``"weak"``).

    Raises
    ------
    TableError
        Unknown ``kind``.
    NotProductiveError
        If ``I − A`` or ``I − B`` is singular.

    References
    ----------
    Rasmussen (1956); Hirschman (1958); Miller & Blair (2022), §12.1.4.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"])
    >>> key_sectors(t, kind="direct").round(4)
         backward  forward              class
    agr    1.0769   1.6250                key
    mfg    0.9231   0.3750               weak
    """
    if kind not in ("total", "direct"):
        raise TableError(f"kind must be 'total' or 'direct', got {kind!r}")
    links = linkage_table(table, normalized=True)
    frame = pd.DataFrame({"backward": links[f"{kind}_backward"], "forward": links[f"{kind}_forward"]})
    frame["class"] = _lk.classify_sectors(
        frame["backward"].to_numpy(), frame["forward"].to_numpy(), threshold=threshold
    )
    frame.attrs["kind"] = kind
    return frame


# --------------------------------------------------------------------------- extraction
def extract_sectors(
    table: Any,
    groups: Mapping[str, Sequence[str]] | str | None = None,
    *,
    mode: _ex.Mode = "total",
    fraction: float = 1.0,
    satellites: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Output, value added and satellites lost when sectors or groups are extracted.

    Parameters
    ----------
    table : IOTable
    groups : None, "pillars" or mapping of str to list of str
        ``None`` extracts every sector on its own (all ``n`` in one call);
        ``"pillars"`` each pillar of the table (a sector counted in a pillar
        with share ``s`` is extracted by ``fraction · s``); a mapping names
        groups of sectors extracted together.
    mode : {"total", "backward", "forward"}
        See :mod:`xn_io.extraction`.
    fraction : float
        Extracted share in [0, 1] (partial extraction below 1).
    satellites : sequence of str, optional
        Satellites to report (default: all of the table's).

    Returns
    -------
    pandas.DataFrame
        One row per extracted sector or group. For each measure (``output``,
        ``value_added`` and each satellite) the amount lost and, in
        ``<measure>_share``, that loss over the table's total of the measure
        (gross output, GDP, the satellite's sector total); then each measure's
        unit in ``<measure>_unit`` (shares are ratios), also in
        ``.attrs["units"]``.

    Raises
    ------
    TableError
        Unknown sectors, satellite or mode; ``fraction`` outside [0, 1].
    NotProductiveError
        If ``I − A`` is singular.

    Notes
    -----
    Every measure values the change in output with the base-year
    coefficients per unit of output (value added, intensities). In
    ``"forward"`` mode the output change comes from the Ghosh model, where
    primary inputs are exogenous: the value added "lost" there is this
    valuation of lost output, not a result of the model.

    References
    ----------
    Miller & Lahr (2001); Dietzenbacher & van der Linden (1997);
    Dietzenbacher & Lahr (2013); Miller & Blair (2022), §12.2.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"])
    >>> extract_sectors(t, {"both": ["agr", "mfg"], "none": []})[["output", "output_share"]]
           output  output_share
    group
    both   3000.0           1.0
    none      0.0           0.0
    """
    A, y, labels = _arrays(table)
    names, P, totals, units = _measures(table, satellites)
    if groups is None:
        losses = _ex.extraction_losses(A, y, P, mode=mode, fraction=fraction, solver=table.solver, labels=labels)
        index = pd.Index(table.sectors, name="sector")
    else:
        x = table.x.to_numpy()
        rows = []
        group_map = _groups(table, groups)
        for pos, share in group_map.values():
            x_bar = _ex.extract(
                A, y, pos, mode=mode, fraction=_ex._check_fraction(fraction) * share, solver=table.solver, labels=labels
            )
            rows.append(P @ (x - x_bar))
        losses = np.array(rows).reshape(len(group_map), len(names))
        index = pd.Index(list(group_map), name="group")
    frame = pd.DataFrame(index=index)
    for k, name in enumerate(names):
        frame[name] = losses[:, k]
    for k, name in enumerate(names):
        frame[f"{name}_share"] = losses[:, k] / totals[k] if totals[k] else np.nan
    with_unit_columns(frame, units)
    frame.attrs.update(mode=mode, fraction=fraction)
    return frame


def extraction_effects(
    table: Any, sectors: Sequence[str] | str, *, mode: _ex.Mode = "total", fraction: float = 1.0
) -> pd.DataFrame:
    """Sector by sector, what extracting a group takes away from each sector.

    Parameters
    ----------
    table : IOTable
    sectors : str or sequence of str
        The extracted group.
    mode, fraction
        See :func:`extract_sectors`.

    Returns
    -------
    pandas.DataFrame
        Indexed by sector: ``output`` lost (``x − x̄``), ``value_added`` lost and
        each satellite lost; each measure's unit in ``<measure>_unit`` (also in
        ``.attrs["units"]``).

    Raises
    ------
    TableError
        Unknown sectors or mode; ``fraction`` outside [0, 1].

    References
    ----------
    Miller & Blair (2022), §12.2.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"])
    >>> extraction_effects(t, "agr")["output"].round(2)
    agr    1000.00
    mfg     210.53
    Name: output, dtype: float64
    """
    A, y, labels = _arrays(table)
    pos = _positions(table, sectors)
    x_bar = _ex.extract(A, y, pos, mode=mode, fraction=fraction, solver=table.solver, labels=labels)
    lost = table.x.to_numpy() - x_bar
    names, P, _, units = _measures(table, None)
    frame = pd.DataFrame({name: P[k] * lost for k, name in enumerate(names)}, index=table.sectors)
    with_unit_columns(frame, units)
    frame.attrs.update(mode=mode, fraction=fraction, extracted=[labels[i] for i in pos])
    return frame


# --------------------------------------------------------------------------- paths
def _demand_vector(table: Any, demand, pillar: str | None) -> tuple[np.ndarray, str]:
    y_all = table.final_demand
    if pillar is not None:
        if demand is not None:
            raise TableError("give either demand or pillar, not both")
        rows = table.pillars[table.pillars["pillar"] == pillar]
        if rows.empty:
            known = sorted(set(table.pillars["pillar"]))
            raise TableError(f"table {table.name or '(unnamed)'} has no pillar {pillar!r}; it has {known}")
        y = np.zeros(table.n)
        pos = _positions(table, list(rows["sector"]), f"pillar {pillar!r}")
        np.add.at(y, pos, rows["share"].to_numpy(float) * y_all.to_numpy()[pos])
        return y, f"final demand for pillar {pillar}"
    if demand is None:
        return y_all.to_numpy(), "total final demand"
    if isinstance(demand, str):
        y = np.zeros(table.n)
        pos = _positions(table, demand, "demand")
        y[pos] = y_all.to_numpy()[pos]
        return y, f"final demand for {demand}"
    if isinstance(demand, (Mapping, pd.Series)):
        d = pd.Series(demand, dtype=float)
        d.index = d.index.map(str)
        _positions(table, list(d.index), "demand")
        return d.reindex(table.sectors, fill_value=0.0).to_numpy(), "given final demand"
    y = np.asarray(demand, dtype=float)
    if y.shape != (table.n,):
        raise TableError(f"demand must have one entry per sector ({table.n}), got shape {y.shape}")
    return y, "given final demand"


def structural_paths(
    table: Any,
    satellite: str = "co2",
    *,
    demand=None,
    pillar: str | None = None,
    threshold: float = 1e-3,
    max_depth: int = 8,
    max_paths: int | None = 50,
) -> pd.DataFrame:
    """The largest supply-chain paths from final demand to a satellite (CO2, energy …).

    Parameters
    ----------
    table : IOTable
    satellite : str
        Name of the satellite account.
    demand : None, str, mapping, Series or array_like, optional
        Final demand to trace: ``None`` the table's total final demand; a
        sector label that sector's final demand; a mapping/Series/vector an
        explicit demand by sector.
    pillar : str, optional
        Trace the final demand of a pillar (each sector's final demand times
        its pillar share) instead of ``demand``.
    threshold : float
        Smallest path reported, as a share of the footprint of this demand.
    max_depth : int
        Longest path order searched.
    max_paths : int, optional
        Keep the largest paths only (default 50; None keeps all above the threshold).

    Returns
    -------
    pandas.DataFrame
        Columns ``path`` (tuple of sector labels from the final-demand sector
        upstream to the sector that releases the satellite), ``order``,
        ``value`` (satellite units), ``share`` (of the footprint ``f L y``),
        ``subtree`` (the path with all its upstream continuations) and
        ``unit`` (the satellite's, of ``value`` and ``subtree``).
        ``.attrs`` holds ``total``, ``unit``, ``coverage`` (the listed values
        over the total), ``demand`` and ``nodes``.

    Raises
    ------
    TableError
        Unknown satellite, sector or pillar; negative coefficients or intensities.
    SearchLimitError
        If the threshold is too small for the table.

    References
    ----------
    Defourny & Thorbecke (1984); Lenzen (2003); Peters & Hertwich (2006).

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays(
    ...     [[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"],
    ...     satellites={"co2": ([30.0, 10.0], "万吨")})
    >>> structural_paths(t, demand="mfg", threshold=0.05).round(3)
                  path  order   value  share  subtree unit
    0       (mfg, agr)      1  12.750  0.484   16.551   万吨
    1           (mfg,)      0   8.500  0.322   26.370   万吨
    2  (mfg, agr, agr)      2   1.912  0.073    2.483   万吨
    """
    A, _, labels = _arrays(table)
    f = table.intensity(satellite).to_numpy()
    y, described = _demand_vector(table, demand, pillar)
    found = _spa.structural_paths(
        A, f, y, threshold=threshold, max_depth=max_depth, max_paths=max_paths, solver=table.solver, labels=labels
    )
    frame = pd.DataFrame(
        {
            "path": [tuple(labels[i] for i in p) for p in found.paths],
            "order": np.array([len(p) - 1 for p in found.paths], dtype=int),
            "value": found.values,
            "share": found.values / found.total if found.total else np.full(len(found.paths), np.nan),
            "subtree": found.subtree,
            "unit": table.satellite(satellite).unit,
        }
    )
    frame.attrs.update(
        total=found.total,
        unit=table.satellite(satellite).unit,
        coverage=float(found.values.sum() / found.total) if found.total else float("nan"),
        demand=described,
        nodes=found.nodes,
        satellite=satellite,
    )
    return frame


# --------------------------------------------------------------------------- coefficients
def important_coefficients(table: Any, *, p: float = 0.01, limit: float = 1.0) -> pd.DataFrame:
    """Coefficients whose change by at most ``limit`` moves some output by more than ``p``.

    Parameters
    ----------
    table : IOTable
    p : float
        Tolerated relative change in any sector's output (0.01 = 1 %).
    limit : float
        Report coefficients whose tolerable limit is at most this relative
        change (1.0 = +100 %).

    Returns
    -------
    pandas.DataFrame
        Columns ``supplier``, ``buyer``, ``coefficient`` (``a_ij``),
        ``tolerable_limit`` (relative change ``r_ij``) and ``influence`` (the
        total field of influence ``(1ᵀL)_i (L1)_j`` of Sonis & Hewings), sorted
        by tolerable limit, most important first.

    Raises
    ------
    TableError
        Non-positive output or ``p``.
    NotProductiveError
        If ``I − A`` is singular.

    References
    ----------
    Schintke & Stäglin (1988); Aroche-Reyes (1996); Sonis & Hewings (1992);
    Miller & Blair (2022), §12.3.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"])
    >>> important_coefficients(t, p=0.01, limit=0.1).round(4)
      supplier buyer  coefficient  tolerable_limit  influence
    0      agr   mfg         0.25           0.0159     2.1044
    1      agr   agr         0.15           0.0526     2.4050
    2      mfg   agr         0.20           0.0886     2.3004
    """
    A = table.A.to_numpy()
    labels = [str(s) for s in table.sectors]
    r = _lk.tolerable_limits(A, table.x.to_numpy(), p=p, labels=labels)
    influence = _lk.influence_ranking(table.L.to_numpy())
    i, j = np.nonzero(r <= limit)
    frame = pd.DataFrame(
        {
            "supplier": [labels[k] for k in i],
            "buyer": [labels[k] for k in j],
            "coefficient": A[i, j],
            "tolerable_limit": r[i, j],
            "influence": influence[i, j],
        }
    )
    frame = frame.sort_values(["tolerable_limit", "supplier", "buyer"], kind="stable").reset_index(drop=True)
    frame.attrs.update(p=p, limit=limit)
    return frame


def coefficient_influence(table: Any, supplier: str, buyer: str, *, delta: float | None = None) -> pd.DataFrame:
    """Field of influence of the coefficient ``a[supplier, buyer]`` on the Leontief inverse.

    Parameters
    ----------
    table : IOTable
    supplier, buyer : str
        Row and column of the coefficient.
    delta : float, optional
        An absolute change of the coefficient: return the exact change of
        ``L`` it causes (Sherman–Morrison) instead of the first-order field.

    Returns
    -------
    pandas.DataFrame
        Sector × sector: ``L_{·i} L_{j·}`` or, with ``delta``, ``L̄ − L``.

    Raises
    ------
    TableError
        Unknown sector.
    NotProductiveError
        If the change makes ``I − A`` singular.

    References
    ----------
    Sonis & Hewings (1989, 1992); Miller & Blair (2022), §12.3.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["agr", "mfg"])
    >>> coefficient_influence(t, "agr", "mfg").round(4)
            agr     mfg
    agr  0.3311  1.4073
    mfg  0.0697  0.2963
    """
    i = int(_positions(table, supplier, "supplier")[0])
    j = int(_positions(table, buyer, "buyer")[0])
    L = table.L.to_numpy()
    values = _lk.field_of_influence(L, i, j) if delta is None else _lk.coefficient_change(L, i, j, delta) - L
    frame = pd.DataFrame(values, index=table.sectors, columns=table.sectors)
    frame.attrs.update(supplier=supplier, buyer=buyer, delta=delta)
    return frame
