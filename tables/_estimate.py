"""Estimation helpers for the Xianning build: FLQ factors and GRAS balancing.

Used by ``tables/build_xianning_2025.py`` when :mod:`xn_io.regional` is not
available (the library module is the reference implementation; this file keeps
the build runnable while it is being written and is cross-checked against it in
``tests/test_tables.py`` when both exist).

References
----------
Flegg, A. T. & Webber, C. D. (1997). On the appropriate use of location quotients in
generating regional input–output tables: reply. Regional Studies 31(8), 795–805.
Junius, T. & Oosterhaven, J. (2003). The solution of updating or regionalizing a matrix with
both positive and negative entries. Economic Systems Research 15(1), 87–96.
Lenzen, M., Wood, R. & Gallego, B. (2007). Some comments on the GRAS method. Economic
Systems Research 19(4), 461–465.
"""

from __future__ import annotations

import numpy as np


def flq_factors(regional_output: np.ndarray, national_output: np.ndarray, *, size_ratio: float, delta: float) -> np.ndarray:
    """FLQ_ij = λ* · CILQ_ij (diagonal λ* · SLQ_i), capped at 1; λ* = [log2(1 + R/N)]^δ."""
    xr = np.asarray(regional_output, float)
    xn = np.asarray(national_output, float)
    slq = (xr / xr.sum()) / (xn / xn.sum())
    lam = np.log2(1.0 + size_ratio) ** delta
    with np.errstate(divide="ignore", invalid="ignore"):
        cilq = slq[:, None] / slq[None, :]
    cilq[np.arange(len(slq)), np.arange(len(slq))] = slq
    cilq = np.where(np.isfinite(cilq), cilq, 1.0)
    return np.minimum(1.0, lam * cilq)


def gras(Z0: np.ndarray, u: np.ndarray, v: np.ndarray, *, tol: float = 1e-12, max_iter: int = 10_000) -> np.ndarray:
    """Balance ``Z0`` (entries of any sign) to row sums ``u`` and column sums ``v`` (GRAS).

    Multipliers r (rows) and s (columns) with Z = r̂ P ŝ − r̂⁻¹ N ŝ⁻¹, P and N the
    positive and negative parts of Z0; each step solves the quadratic for r (then s)
    with the Lenzen et al. (2007) treatment of rows/columns with only negatives.
    """
    Z0 = np.asarray(Z0, float)
    u = np.asarray(u, float)
    v = np.asarray(v, float)
    if not np.isclose(u.sum(), v.sum(), rtol=1e-9):
        raise ValueError(f"row and column totals differ: {u.sum()} vs {v.sum()}")
    P = np.where(Z0 > 0, Z0, 0.0)
    N = np.where(Z0 < 0, -Z0, 0.0)

    def solve(p: np.ndarray, n: np.ndarray, target: np.ndarray) -> np.ndarray:
        out = np.ones_like(target)
        pos = p > 0
        disc = target[pos] ** 2 + 4.0 * p[pos] * n[pos]
        out[pos] = (target[pos] + np.sqrt(disc)) / (2.0 * p[pos])
        neg = ~pos & (n > 0)
        out[neg] = -n[neg] / target[neg]
        return out

    r = np.ones(len(u))
    s = np.ones(len(v))
    for _ in range(max_iter):
        r = solve(P @ s, N @ (1.0 / s), u)
        s = solve(P.T @ r, N.T @ (1.0 / r), v)
        Z = r[:, None] * P * s[None, :] - N / r[:, None] / s[None, :]
        gap = max(np.abs(Z.sum(axis=1) - u).max() / max(1.0, np.abs(u).max()),
                  np.abs(Z.sum(axis=0) - v).max() / max(1.0, np.abs(v).max()))
        if gap < tol:
            return Z
    raise RuntimeError(f"GRAS did not converge in {max_iter} iterations (gap {gap:.3g})")
