"""A regional table from a national one: location quotients at table level, with optional balancing.

:func:`regionalize` is the labelled wrapper of :mod:`xn_io.regional`: it takes a
national :class:`~xn_io.table.IOTable` and a region's gross output by sector and
returns the region's table, with the inputs the region cannot supply itself
recorded as imports.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from . import regional
from ._validation import as_vector, check_positive
from .errors import TableError
from .table import IOTable, Satellite

__all__ = ["regionalize", "IMPORTS", "FINAL_DEMAND"]

IMPORTS = "imports"
"""``M`` row of a regional table: inputs bought from outside the region (rest of the nation and abroad)."""

FINAL_DEMAND = "final_demand"
"""``Y`` column of a regional table made with ``final_demand="single"``."""

_LQ = {"slq": regional.slq, "cilq": regional.cilq, "flq": regional.flq, "aflq": regional.aflq}


def _regional_output(regional_output, sectors: pd.Index) -> np.ndarray:
    if isinstance(regional_output, (pd.Series, Mapping)):
        xr = pd.Series(regional_output, dtype=float)
        xr.index = xr.index.map(str)
        missing = sectors.difference(xr.index)
        extra = xr.index.difference(sectors)
        if len(missing) or len(extra):
            raise TableError(
                f"regional_output must give every sector of the national table once: "
                f"{len(missing)} missing (e.g. {list(missing[:5])}), {len(extra)} unknown (e.g. {list(extra[:5])})"
            )
        if xr.index.has_duplicates:
            raise TableError(f"regional_output has duplicate sectors: {list(xr.index[xr.index.duplicated()][:5])}")
        values = xr.reindex(sectors).to_numpy()
    else:
        values = regional_output
    xr = as_vector("regional_output", values, len(sectors), labels=list(sectors))
    check_positive("regional_output", xr, list(sectors), strict=False)
    return xr


def _is_import_row(label: str) -> bool:
    return label == IMPORTS or label.startswith(IMPORTS + ":")


def regionalize(
    national: IOTable,
    regional_output,
    *,
    method: Literal["flq", "aflq", "cilq", "slq"] = "flq",
    delta: float = 0.3,
    size_ratio: float | None = None,
    final_demand: Literal["single", "shares"] = "single",
    balance: tuple[Sequence[float] | pd.Series, Sequence[float] | pd.Series] | None = None,
    name: str = "",
    year: int | None = None,
) -> IOTable:
    """Estimate a regional table from a national one with location quotients.

    For each supplier i and buyer j the national coefficient is cut to what the
    region supplies itself, ``r_ij = a_ij · min(LQ_ij, 1)`` (Miller & Blair 2022,
    ch. 8); then, with ``x^r`` the regional output:

    - ``Z^r = R x̂^r`` — regional intermediate flows;
    - ``M["imports"] = 1ᵀ(A − R) x̂^r`` — the leakage to the rest of the nation,
      plus the national table's own import rows (``"imports"`` or
      ``"imports:<product>"``) at national coefficients: all inputs bought from
      outside the region. Other ``M`` rows are kept at national coefficients;
    - ``V^r`` — value added at national coefficients, scaled so that every
      column closes exactly (``x^r_j = Σ_i z^r_ij + Σ m_j + Σ v_j``; the scale is
      1 up to the national table's own rounding);
    - ``Y^r = x^r − Z^r 1`` — what closes the rows: local final use *and* sales
      outside the region, which a national table cannot separate. By default it
      is one column ``"final_demand"``; ``final_demand="shares"`` spreads it over
      the national categories in proportion to each sector's national final
      demand (an assumption: it labels sales to other regions as, e.g.,
      households' consumption);
    - satellites at national intensities times regional output (marked
      ``"estimate"``; direct emissions of final demand are not carried over).

    Parameters
    ----------
    national : IOTable
        The national (or any larger-area) table.
    regional_output : pandas.Series, mapping or array_like
        The region's gross output by sector, in the national table's unit and
        sectors (a Series or mapping is matched by label; an array is taken in
        table order). ≥ 0.
    method : {"flq", "aflq", "cilq", "slq"}, default "flq"
        Location quotient (:func:`xn_io.regional.flq` and its siblings).
    delta : float, default 0.3
        Flegg's δ (FLQ and AFLQ only).
    size_ratio : float, optional
        ``R/N`` for λ* (FLQ, AFLQ); by default ``Σ x^r / Σ x^n``.
    final_demand : {"single", "shares"}, default "single"
        How the row residual is reported (see above).
    balance : (row_totals, col_totals), optional
        Known regional intermediate sales by sector (row sums of ``Z^r``) and
        purchases by sector (column sums): the LQ flows are then balanced to
        them with :func:`xn_io.regional.gras` (RAS for non-negative flows), and
        the imports row becomes the column residual after value added at
        national coefficients.
    name : str, optional
        Name of the regional table (default ``"<national name> regionalised"``).
    year : int, optional
        Year of the regional table (default the national table's).

    Returns
    -------
    IOTable
        The regional table; its ``metadata["regionalisation"]`` records the
        method, δ, R/N, λ*, the leakage and the national imports carried, and
        ``sector_info["slq"]`` the simple location quotients.

    Raises
    ------
    TableError
        ``regional_output`` missing or unknown sectors, negative, or a sector
        the nation does not produce; an unknown ``method`` or ``final_demand``;
        a sector whose regional intermediate use exceeds its output while its
        national final demand is not negative (the quotients over-localise it:
        raise δ or check the outputs); with ``"shares"``, a sector with
        regional final demand but none nationally; with ``balance``, a column
        whose balanced purchases and value added exceed its output.
    BalancingError, ConvergenceError
        From :func:`xn_io.regional.gras` when ``balance`` cannot be met.

    References
    ----------
    Miller, R. E. & Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., ch. 7–8.
    Flegg, A. T. & Webber, C. D. (1997). *Regional Studies* 31(8), 795–805.

    Examples
    --------
    The Miller & Blair two-sector table (``A = [[.15, .25], [.2, .05]]``, value
    added coefficients ``.65, .7``) and a region producing 300 and 100. With
    SLQ = (0.75/⅓, 0.25/⅔) = (2.25, 0.375), row 1 is kept, row 2 is cut to
    0.375 of itself; column 1 buys 0.2 · 0.625 · 300 = 37.5 from outside:

    >>> nat = IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], value_added=[650, 1400],
    ...                                 sectors=["agriculture", "manufacturing"])
    >>> reg = regionalize(nat, {"agriculture": 300, "manufacturing": 100}, method="slq")
    >>> reg.Z
                   agriculture  manufacturing
    agriculture           45.0         25.000
    manufacturing         22.5          1.875
    >>> reg.M
             agriculture  manufacturing
    imports         37.5          3.125
    >>> reg.Y
                   final_demand
    agriculture         230.000
    manufacturing        75.625
    """
    if not isinstance(national, IOTable):
        raise TableError(f"national must be an IOTable, got {type(national).__name__}")
    if method not in _LQ:
        raise TableError(f"method must be one of {sorted(_LQ)}, got {method!r}")
    if final_demand not in ("single", "shares"):
        raise TableError(f"final_demand must be 'single' or 'shares', got {final_demand!r}")
    sectors = national.sectors
    labels = list(sectors)
    xn = national.x.to_numpy()
    xr = _regional_output(regional_output, sectors)

    kw = {"delta": delta, "size_ratio": size_ratio} if method in ("flq", "aflq") else {}
    lq = _LQ[method](xr, xn, **kw)
    A = national.A.to_numpy()
    R = regional.regional_coefficients(A, lq)
    Z = R * xr[None, :]
    leakage = (A - R).sum(axis=0) * xr

    inv_xn = np.divide(1.0, xn, out=np.zeros_like(xn), where=xn > 0)
    M_nat = national.M
    import_rows = [r for r in M_nat.index if _is_import_row(str(r))]
    other_rows = [r for r in M_nat.index if not _is_import_row(str(r))]
    nat_imports = M_nat.loc[import_rows].to_numpy().sum(axis=0) * inv_xn * xr
    other = M_nat.loc[other_rows].to_numpy() * inv_xn * xr
    V = national.V.to_numpy() * inv_xn * xr

    balancing = None
    if balance is not None:
        try:
            u, v = balance
        except (TypeError, ValueError):
            raise TableError(
                "balance must be a pair (row_totals, col_totals) of regional intermediate sales and purchases"
            ) from None
        u = (
            _regional_output(u, sectors)
            if isinstance(u, (pd.Series, Mapping))
            else as_vector("balance row_totals", u, len(labels))
        )
        v = (
            _regional_output(v, sectors)
            if isinstance(v, (pd.Series, Mapping))
            else as_vector("balance col_totals", v, len(labels))
        )
        balancing = regional.gras(Z, u, v, row_labels=labels, col_labels=labels)
        Z = balancing.Z
        imports = xr - Z.sum(axis=0) - other.sum(axis=0) - V.sum(axis=0)
        tol = 1e-9 * max(float(xr.max()), 1.0)
        if (imports < -tol).any():
            j = int(np.argmin(imports))
            raise TableError(
                f"after balancing, sector {labels[j]!r} buys {Z[:, j].sum():.6g} locally and adds "
                f"{V[:, j].sum() + other[:, j].sum():.6g} of value added and other inputs, "
                f"{-imports[j]:.6g} more than its output {xr[j]:.6g}; the column totals in balance are too high"
            )
        imports = np.maximum(imports, 0.0)
    else:
        imports = leakage + nat_imports
        closing = xr - Z.sum(axis=0) - imports - other.sum(axis=0)
        v_sum = V.sum(axis=0)
        scale = np.divide(closing, v_sum, out=np.ones_like(v_sum), where=v_sum != 0)
        V = V * scale[None, :]

    f = xr - Z.sum(axis=1)
    nat_fd = national.final_demand.to_numpy()
    tol = 1e-9 * max(float(xr.max()), 1.0)
    over = (f < -tol) & (nat_fd >= 0)
    if over.any():
        i = int(np.flatnonzero(over)[0])
        raise TableError(
            f"sector {labels[i]!r}: regional intermediate use {Z[i].sum():.6g} exceeds regional output "
            f"{xr[i]:.6g} by {-f[i]:.6g} ({int(over.sum())} sectors in all); the location quotients "
            f"({method}) keep too much of it local — "
            + ("use a larger delta" if method in ("flq", "aflq") else "use method='flq'")
            + " or check regional_output"
        )
    if final_demand == "single":
        Y = pd.DataFrame({FINAL_DEMAND: f}, index=sectors)
    else:
        Yn = national.Y.to_numpy()
        row = Yn.sum(axis=1)
        missing = (row == 0) & (np.abs(f) > tol)
        if missing.any():
            i = int(np.flatnonzero(missing)[0])
            raise TableError(
                f"final_demand='shares': sector {labels[i]!r} has regional final demand {f[i]:.6g} "
                f"but no national final demand to take shares from; use final_demand='single'"
            )
        shares = np.divide(Yn, row[:, None], out=np.zeros_like(Yn), where=row[:, None] != 0)
        Y = pd.DataFrame(shares * f[:, None], index=sectors, columns=national.Y.columns)

    M = pd.DataFrame(np.vstack([imports[None, :], other]), index=[IMPORTS, *other_rows], columns=sectors)
    satellites = {
        key: Satellite(
            pd.Series(national.intensity(key).to_numpy() * xr, index=sectors),
            sat.unit,
            status="estimate",
            note=f"national ({national.name or 'national table'}) intensity × regional output",
        )
        for key, sat in national.satellites.items()
    }
    info = national.sector_info.copy()
    info["slq"] = regional.slq(xr, xn)
    ratio = float(xr.sum() / xn.sum()) if size_ratio is None else float(size_ratio)
    record = {
        "national_table": national.name,
        "method": method,
        "leakage_to_rest_of_nation": float(leakage.sum()),
        "national_imports_carried": float(nat_imports.sum()),
        "final_demand": final_demand,
    }
    if method in ("flq", "aflq"):
        record.update(delta=float(delta), size_ratio=ratio, flq_lambda=regional.flq_lambda(ratio, delta=delta))
    if balancing is not None:
        record.update(balanced=True, balancing_iterations=balancing.iterations, balancing_max_gap=balancing.max_gap)
    metadata = {
        "name": name or f"{national.name or 'national'} regionalised",
        "unit": national.unit,
        "method": f"{method.upper()} regionalisation of {national.name or 'a national table'}"
        + (" with GRAS balancing" if balancing else ""),
        "default_status": "estimate",
        "regionalisation": record,
    }
    return IOTable(
        pd.DataFrame(Z, index=sectors, columns=sectors),
        Y,
        pd.DataFrame(V, index=national.V.index, columns=sectors),
        M,
        x=pd.Series(xr, index=sectors),
        satellites=satellites,
        unit=national.unit,
        name=str(metadata["name"]),
        year=national.year if year is None else year,
        pillars=national.pillars if len(national.pillars) else None,
        sector_info=info,
        technologies=national.technologies,
        metadata=metadata,
        rtol=national.rtol,
    )
