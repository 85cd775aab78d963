"""Error measures and the evaluation of the location-quotient methods on one region.

The estimate of a region's coefficients is the national (domestic) coefficient
matrix scaled by :func:`xn_io.regional.regional_coefficients` with the
quotients of :mod:`xn_io.regional` (SLQ, CILQ, FLQ, AFLQ); it is compared with
the region's true coefficients by three measures (Flegg & Tohmo 2013, 2016):

``mape``
    mean absolute percentage error of the Type I output multipliers,
    ``100/n Σ_j |m̂_j − m_j| / m_j``, over the sectors the region has;
``u_mult``, ``u_coef``
    Theil's inequality coefficient U, ``100 · sqrt(Σ (ê − e)² / Σ e²)``, of the
    multipliers and of the coefficients (all cells among the region's sectors);
``mpe``
    the signed mean percentage error of the multipliers (bias: negative when the
    method understates local purchases).

References
----------
Flegg, A. T. & Tohmo, T. (2013). Regional input-output tables and the FLQ formula: a case
study of Finland. *Regional Studies* 47(5), 703–721.
Flegg, A. T. & Tohmo, T. (2016). Estimating regional input coefficients and multipliers: the
use of FLQ is not a gamble. *Regional Studies* 50(2), 310–325.
Theil, H. (1966). *Applied Economic Forecasting*. Amsterdam: North-Holland.
"""

from __future__ import annotations

import numpy as np

from xn_io import leontief, regional
from xn_io.errors import TableError

__all__ = [
    "DELTAS",
    "METHODS",
    "best_delta",
    "coefficients",
    "estimate",
    "evaluate",
    "mape",
    "mpe",
    "multipliers",
    "scores",
    "supply_pool",
    "theil_u",
]

METHODS = ("slq", "cilq", "flq", "aflq")
#: the δ grid of FLQ and AFLQ (δ < 1 by definition)
DELTAS = np.round(np.arange(0.0, 0.951, 0.01), 2)


def coefficients(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``A = Z x̂⁻¹``, with zero columns where the output is zero."""
    x = np.asarray(x, float)
    return np.divide(Z, x[None, :], out=np.zeros_like(Z, dtype=float), where=x[None, :] > 0)


def multipliers(A: np.ndarray) -> np.ndarray:
    """Type I output multipliers ``1ᵀ (I − A)⁻¹`` (one transposed LU solve)."""
    return leontief.output_multipliers(A)


def mape(est, true) -> float:
    """Mean absolute percentage error, ``100/n Σ |est − true| / |true|``."""
    est, true = np.asarray(est, float), np.asarray(true, float)
    return float(100.0 * np.mean(np.abs(est - true) / np.abs(true)))


def mpe(est, true) -> float:
    """Mean percentage error (signed), ``100/n Σ (est − true) / |true|``."""
    est, true = np.asarray(est, float), np.asarray(true, float)
    return float(100.0 * np.mean((est - true) / np.abs(true)))


def theil_u(est, true) -> float:
    """Theil's U, ``100 · sqrt(Σ (est − true)² / Σ true²)``."""
    est, true = np.asarray(est, float), np.asarray(true, float)
    return float(100.0 * np.sqrt(np.sum((est - true) ** 2) / np.sum(true**2)))


def estimate(
    A_national, x_region, x_nation, method: str, *, delta: float | None = None, size_ratio: float | None = None
) -> np.ndarray:
    """The region's coefficients estimated from national ones by one location-quotient method."""
    if method == "slq":
        q = regional.slq(x_region, x_nation)
    elif method == "cilq":
        q = regional.cilq(x_region, x_nation)
    elif method == "flq":
        q = regional.flq(x_region, x_nation, delta=delta, size_ratio=size_ratio)
    elif method == "aflq":
        q = regional.aflq(x_region, x_nation, delta=delta, size_ratio=size_ratio)
    else:
        raise TableError(f"method must be one of {METHODS}, got {method!r}")
    return regional.regional_coefficients(A_national, q)


def scores(R_est: np.ndarray, R_true: np.ndarray, keep: np.ndarray, m_true: np.ndarray | None = None) -> dict:
    """The error measures of one estimate over the sectors ``keep`` (boolean mask).

    ``m_true`` defaults to the multipliers of ``R_true``; pass published
    multipliers to score against them.
    """
    m_est = multipliers(R_est)[keep]
    m_ref = multipliers(R_true)[keep] if m_true is None else np.asarray(m_true, float)[keep]
    sub = np.ix_(keep, keep)
    return {
        "mape": mape(m_est, m_ref),
        "u_mult": theil_u(m_est, m_ref),
        "u_coef": theil_u(R_est[sub], R_true[sub]),
        "mpe": mpe(m_est, m_ref),
    }


def evaluate(
    A_national,
    R_true,
    x_region,
    x_nation,
    *,
    size_ratio: float,
    deltas=DELTAS,
    keep: np.ndarray | None = None,
    m_true: np.ndarray | None = None,
) -> list[dict]:
    """Score every method (FLQ and AFLQ at every δ of the grid) on one region.

    Returns one dict per (method, δ): ``method``, ``delta`` (None for SLQ and
    CILQ) and the measures of :func:`scores`.
    """
    x_region = np.asarray(x_region, float)
    keep = x_region > 0 if keep is None else keep
    rows = []
    for method in ("slq", "cilq"):
        R = estimate(A_national, x_region, x_nation, method)
        rows.append({"method": method, "delta": None, **scores(R, R_true, keep, m_true)})
    for method in ("flq", "aflq"):
        for d in deltas:
            R = estimate(A_national, x_region, x_nation, method, delta=float(d), size_ratio=size_ratio)
            rows.append({"method": method, "delta": float(d), **scores(R, R_true, keep, m_true)})
    return rows


def best_delta(rows: list[dict], method: str, measure: str = "mape") -> dict:
    """The row of ``method`` whose ``measure`` is smallest (the smallest δ on a tie)."""
    cand = [r for r in rows if r["method"] == method]
    return min(cand, key=lambda r: (r[measure], r["delta"]))


def supply_pool(Z, columns: dict, k: int | None = None, *, use: str = "own") -> tuple[np.ndarray, np.ndarray, int]:
    """A province's true regional coefficients under the supply-pool assumption.

    ``s_i = 1 − (IM_i + IF_i) / (TIU_i + TC_i + GCF_i)``: the share of the
    province's own use of product i (intermediate use, final consumption and
    capital formation — exports and outflow are not used in the province)
    that it produces itself, clipped to [0, 1]; ``r_ij = s_i · z_ij / x_j``
    (every buyer draws the same local share of a product). This is the
    import-proportionality assumption with which national tables split
    imports by use (imports serve domestic use, exports are home-made). With
    ``use="total"`` the denominator is total use ``TIU + TFU`` (exports and
    outflow included: they are then drawn from the same pool, re-exports
    proportional) — the variant the run reports as a sensitivity.

    Parameters
    ----------
    Z : ndarray, shape (n, n)
        The province's competitive flows (all origins).
    columns : dict of str to ndarray
        ``TIU``, ``TC``, ``GCF``, ``IM``, ``IF``, ``GO`` by product; index ``k``
        picks one province of stacked arrays.

    Returns
    -------
    R : ndarray, shape (n, n)
    s : ndarray, shape (n,)
        The self-supply ratios.
    clipped : int
        How many ratios fell outside [0, 1] (re-exports, stock changes) and were clipped.
    """
    col = {name: (v[k] if k is not None else v) for name, v in columns.items()}
    if use == "own":
        total = col["TIU"] + col["TC"] + col["GCF"]
    elif use == "total":
        total = col["TIU"] + col["TFU"]
    else:
        raise TableError(f"use must be 'own' or 'total', got {use!r}")
    inflow = col["IM"] + col["IF"]
    raw = np.divide(inflow, total, out=np.ones_like(total), where=total > 0)
    s = 1.0 - raw
    clipped = int(((s < 0) | (s > 1)).sum())
    s = np.clip(s, 0.0, 1.0)
    return s[:, None] * coefficients(Z, col["GO"]), s, clipped
