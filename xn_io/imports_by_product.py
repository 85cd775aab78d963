"""Imported intermediate inputs by product: what a region buys outside, input by input.

Imported inputs by product are rarely published for a region: an ``imports``
row of ``M`` gives only what each *buyer* brings in. :func:`imported_inputs`
spreads that row over products, either in proportion to the regional purchases
(the import-proportionality assumption) or, better, by the gap between a
reference technology (e.g. the national table, which counts all inputs) and the
regional flows — the leakage a location-quotient regionalisation leaves
(Flegg & Webber 1997). Either way the result is an estimate and says so. A
table that publishes imports by product (rows ``imports:<sector>`` of ``M``)
is read as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .errors import TableError
from .table import IOTable

__all__ = ["IMPORTS_ROW", "GAP_MEASURE", "gap_imports", "has_imports", "imported_inputs", "reference_coefficients"]

GAP_MEASURE = (
    "Gap measure: the value of each input a pillar's sectors buy outside the region (weighted by their pillar "
    "shares), among inputs bought mostly outside (import share ≥ 50%), largest first. Imports by product are "
    "estimated: {method}."
)
"""How chain gaps are measured, for reports and the terminal (``{method}`` names the import estimate)."""

IMPORTS_ROW = "imports"
"""Label of the row of ``M`` holding intermediate inputs bought outside the region.

A table that publishes imports by product (a non-competitive table) has rows
``"imports:<sector>"`` instead; :func:`imported_inputs` reads them directly.
"""


def _product_block(table: IOTable) -> pd.DataFrame | None:
    """The ``imports:<sector>`` rows of ``M`` as a product × buyer block, or None."""
    prefix = IMPORTS_ROW + ":"
    rows = [r for r in table.M.index if str(r).startswith(prefix)]
    if not rows:
        return None
    block = table.M.loc[rows]
    block.index = [str(r)[len(prefix) :] for r in rows]
    unknown = sorted(set(block.index).difference(table.sectors))
    if unknown:
        raise TableError(f"M has import rows for products that are not sectors of the table: {unknown[:5]}")
    return block.reindex(table.sectors, fill_value=0.0)


def has_imports(table: IOTable) -> bool:
    """Whether the table says what each sector buys outside the region (an ``imports`` row or ``imports:<sector>`` rows of ``M``).

    Examples
    --------
    >>> import xn_io
    >>> has_imports(xn_io.load_table("xianning-2025")), has_imports(xn_io.load_table("china-2020"))
    (True, False)
    """
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
    x = dict(zip(sectors, table.x.to_numpy().tolist()))
    rows = np.zeros((len(sectors), len(ref_labels)))
    cols = np.zeros((len(ref_labels), len(sectors)))
    for q, p in enumerate(ref_labels):
        own = owners[p]
        weights = np.array([x[s] for s in own])
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
    (Miller & Blair 2022, ch. 8; Flegg & Webber 1997). A column whose reference
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
        block.attrs.update(
            method="the table's imports by product (M rows 'imports:<sector>')", status="as published", unit=table.unit
        )
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


def gap_imports(table: IOTable, *, reference: IOTable | str | None = "china-2020") -> pd.DataFrame:
    """Imported inputs by product used to measure chain gaps, the same for every caller.

    With the table's sectors mapped onto ``reference`` (its ``sector_info``
    has the ``nbs153`` code ranges of :func:`reference_coefficients`), imports
    are spread by the reference-technology leakage; otherwise (or when
    ``reference`` is None) by import proportionality. ``attrs["method"]``
    says which.

    Parameters
    ----------
    table : IOTable
        A regional table with an ``imports`` row in ``M`` (or imports by product).
    reference : IOTable or str or None
        The reference table or the name of an embedded one.

    Returns
    -------
    pandas.DataFrame
        As :func:`imported_inputs`.

    Examples
    --------
    >>> import xn_io
    >>> imp = gap_imports(xn_io.load_table("xianning-2025"))
    >>> imp.attrs["method"].startswith("reference")
    True
    """
    if reference is not None and "nbs153" in table.sector_info and _product_block(table) is None:
        if isinstance(reference, str):
            from .datasets import load_table

            reference = load_table(reference)
        try:
            coefficients = reference_coefficients(table, reference)
        except (TableError, KeyError, ValueError):
            coefficients = None
        if coefficients is not None:
            return imported_inputs(table, reference=coefficients)
    return imported_inputs(table)
