"""Regionalisation: location quotients, and RAS/GRAS matrix balancing (pure array maths).

A regional input-output table is rarely surveyed; it is estimated from a
national one. The location quotients here scale national technical
coefficients down to the part a region can buy from its own producers
(``a^r_ij = a_ij · min(LQ_ij, 1)``, the rest leaks out as imports), and the
balancing methods adjust a prior matrix to known row and column totals.

Symbols follow Miller & Blair (2022), *Input-Output Analysis: Foundations and
Extensions*, 3rd ed., Cambridge University Press, ch. 7 (RAS) and ch. 8
(location quotients): ``x^r`` regional and ``x^n`` national gross output (or
employment, any size measure) by sector, ``u`` row totals, ``v`` column totals,
``r`` and ``s`` the row and column multipliers.

Examples
--------
A region with 30 and 10 units of output in two sectors whose national outputs
are 100 and 300: sector 1 is three times as concentrated in the region as in the
nation, so the region is taken to meet all its own needs for good 1, but only a
third of those for good 2:

>>> xr, xn = [30.0, 10.0], [100.0, 300.0]
>>> slq(xr, xn)
array([3.        , 0.33333333])
>>> regional_coefficients([[0.2, 0.1], [0.3, 0.4]], slq(xr, xn))
array([[0.2       , 0.1       ],
       [0.1       , 0.13333333]])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ._validation import as_matrix, as_vector, check_positive
from .errors import BalancingError, ConvergenceError, TableError

__all__ = [
    "slq",
    "cilq",
    "flq_lambda",
    "flq",
    "aflq",
    "regional_coefficients",
    "BalancingResult",
    "ras",
    "gras",
]


# --------------------------------------------------------------------------- location quotients
def _outputs(regional_output, national_output) -> tuple[np.ndarray, np.ndarray]:
    xr = as_vector("regional_output", regional_output)
    xn = as_vector("national_output", national_output, xr.shape[0])
    check_positive("regional_output", xr, strict=False)
    check_positive("national_output", xn, strict=False)
    if xr.sum() <= 0:
        raise TableError("regional_output is zero in every sector; location quotients need a region with output")
    bad = (xn == 0) & (xr > 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise TableError(
            f"national_output is zero at index {i} where regional_output is {xr[i]:g}; "
            f"a region cannot produce what the nation does not ({int(bad.sum())} sectors in all)"
        )
    return xr, xn


def slq(regional_output, national_output) -> np.ndarray:
    """Simple location quotients ``SLQ_i = (x^r_i / x^r) / (x^n_i / x^n)``.

    ``SLQ_i ≥ 1`` says sector i is at least as concentrated in the region as in
    the nation; used as a row factor (:func:`regional_coefficients` with a
    vector) it assumes the region then buys all its inputs of good i locally.

    Parameters
    ----------
    regional_output, national_output : array_like, shape (n,)
        Gross output (or employment) by sector in the region and the nation, ≥ 0.

    Returns
    -------
    numpy.ndarray, shape (n,)
        The quotients; 0 for a sector absent from both.

    Raises
    ------
    TableError
        Different lengths, negative or non-finite entries, a region with no
        output, or a sector with regional but no national output.

    References
    ----------
    Miller & Blair (2022), ch. 8 (simple location quotients).

    Examples
    --------
    >>> slq([30.0, 10.0], [100.0, 300.0])     # (30/40)/(100/400), (10/40)/(300/400)
    array([3.        , 0.33333333])
    """
    xr, xn = _outputs(regional_output, national_output)
    share_n = xn / xn.sum()
    out = np.zeros_like(xr)
    present = xn > 0
    out[present] = (xr[present] / xr.sum()) / share_n[present]
    return out


def cilq(regional_output, national_output) -> np.ndarray:
    """Cross-industry location quotients ``CILQ_ij = SLQ_i / SLQ_j``, with ``SLQ_i`` on the diagonal.

    ``CILQ_ij`` compares the regional weight of the selling sector i with that of
    the buying sector j. The diagonal is set to ``SLQ_i`` (Smith & Morrison 1974),
    as in the FLQ literature.

    Parameters
    ----------
    regional_output, national_output : array_like, shape (n,)
        Gross output (or employment) by sector in the region and the nation, ≥ 0.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        The quotients. A column j whose sector is absent from the region
        (``SLQ_j = 0``) is ``+inf`` in the rows the region produces (the ratio's
        limit; :func:`regional_coefficients` caps it at 1, and it multiplies a
        zero output anyway) and 0 in the rows it does not.

    Raises
    ------
    TableError
        As :func:`slq`.

    References
    ----------
    Miller & Blair (2022), ch. 8 (cross-industry quotients).
    Smith, P. & Morrison, W. I. (1974). *Simulating the Urban Economy*. London: Pion.

    Examples
    --------
    >>> cilq([30.0, 10.0], [100.0, 300.0])    # SLQ = [3, 1/3]; off-diagonal 3/(1/3), (1/3)/3
    array([[3.        , 9.        ],
           [0.11111111, 0.33333333]])
    """
    q = slq(regional_output, national_output)
    out = np.zeros((q.size, q.size))
    num = np.broadcast_to(q[:, None], out.shape)
    den = np.broadcast_to(q[None, :], out.shape)
    np.divide(num, den, out=out, where=den > 0)
    out[(den == 0) & (num > 0)] = np.inf
    np.fill_diagonal(out, q)
    return out


def flq_lambda(size_ratio: float, *, delta: float = 0.3) -> float:
    """Flegg's regional-size factor ``λ* = [log2(1 + R/N)]^δ``.

    Parameters
    ----------
    size_ratio : float
        ``R/N``, the region's size relative to the nation's, in (0, 1]
        (total output, employment or GDP).
    delta : float, default 0.3
        Sensitivity δ in [0, 1); 0 gives λ* = 1 (FLQ = CILQ), larger values mean
        more imports for smaller regions. Flegg & Tohmo (2013) find values near
        0.3 for Finnish regions; 0.3 is the usual default.

    Returns
    -------
    float
        λ* in (0, 1].

    Raises
    ------
    TableError
        ``size_ratio`` outside (0, 1] or ``delta`` outside [0, 1).

    References
    ----------
    Flegg, A. T. & Webber, C. D. (1997). On the appropriate use of location quotients in
    generating regional input-output tables: reply. *Regional Studies* 31(8), 795–805.
    Flegg, A. T. & Tohmo, T. (2013). Regional input-output tables and the FLQ formula: a
    case study of Finland. *Regional Studies* 47(5), 703–721.

    Examples
    --------
    >>> round(flq_lambda(0.1, delta=0.3), 6)     # log2(1.1) = 0.137504; 0.137504 ** 0.3
    0.551435
    """
    ratio, delta = float(size_ratio), float(delta)
    if not (np.isfinite(ratio) and 0 < ratio <= 1):
        raise TableError(f"size_ratio (region/nation) must be in (0, 1], got {size_ratio!r}")
    if not (np.isfinite(delta) and 0 <= delta < 1):
        raise TableError(f"delta must be in [0, 1), got {delta!r}")
    return float(np.log2(1.0 + ratio) ** delta)


def flq(regional_output, national_output, *, delta: float = 0.3, size_ratio: float | None = None) -> np.ndarray:
    """Flegg location quotients ``FLQ_ij = λ* · CILQ_ij`` (``λ* · SLQ_i`` on the diagonal).

    The factor λ* = [log2(1 + R/N)]^δ (:func:`flq_lambda`) shrinks every quotient
    the more the smaller the region, since a small region imports more of its
    inputs whatever its specialisation.

    Parameters
    ----------
    regional_output, national_output : array_like, shape (n,)
        Gross output (or employment) by sector in the region and the nation, ≥ 0.
    delta : float, default 0.3
        Flegg's δ in [0, 1).
    size_ratio : float, optional
        ``R/N`` for λ*; by default ``Σ x^r / Σ x^n``. Pass e.g. the GDP ratio
        when the sector outputs cover only part of the economy.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        The quotients, not capped (``+inf`` in a column of a sector absent from
        the region, as :func:`cilq`); apply them with :func:`regional_coefficients`.

    Raises
    ------
    TableError
        As :func:`slq` and :func:`flq_lambda`.

    References
    ----------
    Flegg, A. T., Webber, C. D. & Elliott, M. V. (1995). On the appropriate use of location
    quotients in generating regional input-output tables. *Regional Studies* 29(6), 547–561.
    Flegg, A. T. & Webber, C. D. (1997), *Regional Studies* 31(8), 795–805.
    Miller & Blair (2022), ch. 8.

    Examples
    --------
    R/N = 40/400 = 0.1, so λ* = 0.551435 multiplies the CILQ matrix of :func:`cilq`:

    >>> flq([30.0, 10.0], [100.0, 300.0], delta=0.3)
    array([[1.65430432, 4.96291295],
           [0.06127053, 0.18381159]])
    """
    xr, xn = _outputs(regional_output, national_output)
    ratio = xr.sum() / xn.sum() if size_ratio is None else size_ratio
    return flq_lambda(ratio, delta=delta) * cilq(xr, xn)


def aflq(regional_output, national_output, *, delta: float = 0.3, size_ratio: float | None = None) -> np.ndarray:
    """Augmented FLQ: ``AFLQ_ij = log2(1 + SLQ_j) · FLQ_ij`` where ``SLQ_j > 1``, else ``FLQ_ij``.

    A buying sector j that is regionally specialised (``SLQ_j > 1``) is taken
    to draw more on local suppliers (McCann & Dewhurst 1998), so its column is
    raised by ``log2(1 + SLQ_j) > 1``.

    Parameters
    ----------
    regional_output, national_output : array_like, shape (n,)
        Gross output (or employment) by sector in the region and the nation, ≥ 0.
    delta : float, default 0.3
        Flegg's δ in [0, 1).
    size_ratio : float, optional
        ``R/N`` for λ*; by default ``Σ x^r / Σ x^n``.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        The quotients, not capped; apply them with :func:`regional_coefficients`.

    Raises
    ------
    TableError
        As :func:`flq`.

    References
    ----------
    Flegg, A. T. & Webber, C. D. (2000). Regional size, regional specialization and the FLQ
    formula. *Regional Studies* 34(6), 563–569.
    McCann, P. & Dewhurst, J. H. Ll. (1998). Regional size, industrial location and
    input-output expenditure coefficients. *Regional Studies* 32(5), 435–444.

    Examples
    --------
    SLQ = [3, 1/3]: column 1 of the FLQ matrix is doubled (log2(1 + 3) = 2),
    column 2 is kept:

    >>> aflq([30.0, 10.0], [100.0, 300.0], delta=0.3)
    array([[3.30860864, 4.96291295],
           [0.12254106, 0.18381159]])
    """
    xr, xn = _outputs(regional_output, national_output)
    q = slq(xr, xn)
    factor = np.where(q > 1, np.log2(1.0 + q), 1.0)
    return flq(xr, xn, delta=delta, size_ratio=size_ratio) * factor[None, :]


def regional_coefficients(A_national, lq) -> np.ndarray:
    """Regional input coefficients ``a^r_ij = a_ij · min(LQ_ij, 1)``.

    Parameters
    ----------
    A_national : array_like, shape (n, n)
        National technical coefficients.
    lq : array_like, shape (n, n) or (n,)
        Location quotients; a vector (e.g. :func:`slq`) scales row i by ``LQ_i``.
        ``+inf`` is allowed (it caps to 1); NaN and negative values are not.

    Returns
    -------
    numpy.ndarray, shape (n, n)
        Regional (domestically supplied) coefficients; ``A_national − result`` is
        the part imported from outside the region.

    Raises
    ------
    TableError
        A non-square ``A_national``, a quotient of the wrong shape, NaN or negative.

    References
    ----------
    Miller & Blair (2022), ch. 8.

    Examples
    --------
    >>> regional_coefficients([[0.2, 0.1], [0.3, 0.4]], [[1.5, 0.5], [0.25, np.inf]])
    array([[0.2  , 0.05 ],
           [0.075, 0.4  ]])
    """
    A = as_matrix("A_national", A_national, allow_sparse=False)
    n = A.shape[0]
    if A.shape != (n, n) or n == 0:
        raise TableError(f"A_national must be square and non-empty, got shape {A.shape}")
    try:
        q = np.asarray(lq, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TableError(f"lq must be numeric: {exc}") from None
    if q.shape not in ((n,), (n, n)):
        raise TableError(f"lq must have shape ({n},) or ({n}, {n}) to match A_national, got {q.shape}")
    bad = np.isnan(q) | (q < 0)
    if bad.any():
        at = tuple(int(k) for k in np.argwhere(bad)[0])
        raise TableError(
            f"lq must be non-negative and not NaN; entry {at if q.ndim == 2 else at[0]} is {float(q[at]):g} "
            f"({int(bad.sum())} such entries)"
        )
    return A * np.minimum(q[:, None] if q.ndim == 1 else q, 1.0)


# --------------------------------------------------------------------------- balancing
@dataclass(frozen=True)
class BalancingResult:
    """The outcome of :func:`ras` or :func:`gras`.

    Attributes
    ----------
    Z : numpy.ndarray or scipy.sparse array
        The balanced matrix (same kind as the prior).
    r, s : numpy.ndarray
        Row and column multipliers: ``Z = r̂ Z0 ŝ`` (RAS), or
        ``Z = r̂ P ŝ − r̂⁻¹ N ŝ⁻¹`` with ``Z0 = P − N`` (GRAS).
    iterations : int
        Full (row then column) sweeps performed; 0 when the prior already met the margins.
    max_gap : float
        Largest absolute difference between a row or column sum and its target,
        in the units of the targets.
    converged : bool
        ``max_gap ≤ tol × max|target|``.
    """

    Z: np.ndarray
    r: np.ndarray
    s: np.ndarray
    iterations: int
    max_gap: float
    converged: bool


def _name(kind: str, index: int, labels: Sequence[str] | None) -> str:
    if labels is not None and 0 <= index < len(labels):
        return f"{kind} {labels[index]!r}"
    return f"{kind} {index}"


def _names(kind: str, indices: np.ndarray, labels: Sequence[str] | None, gaps: np.ndarray, limit: int = 5) -> str:
    shown = [f"{_name(kind, int(i), labels)} (off by {gaps[i]:.4g})" for i in indices[:limit]]
    more = f" and {indices.size - limit} more" if indices.size > limit else ""
    return ", ".join(shown) + more


def _prepare(Z0, row_totals, col_totals, row_labels, col_labels, totals_rtol):
    Z0 = as_matrix("Z0", Z0)
    m, n = Z0.shape
    if m == 0 or n == 0:
        raise BalancingError(f"Z0 must be non-empty, got shape {Z0.shape}")
    u = as_vector("row_totals", row_totals)
    v = as_vector("col_totals", col_totals)
    if u.size != m:
        raise BalancingError(f"row_totals has {u.size} entries but Z0 has {m} rows")
    if v.size != n:
        raise BalancingError(f"col_totals has {v.size} entries but Z0 has {n} columns")
    for kind, labels, k in (("row", row_labels, m), ("column", col_labels, n)):
        if labels is not None and len(labels) != k:
            raise BalancingError(f"{kind}_labels has {len(labels)} entries but Z0 has {k} {kind}s")
    scale = max(float(np.abs(u).max()), float(np.abs(v).max()))
    diff = float(u.sum() - v.sum())
    if abs(diff) > totals_rtol * max(scale, abs(u.sum()), 1e-300):
        raise BalancingError(
            f"row_totals sum to {u.sum():.10g} but col_totals to {v.sum():.10g} "
            f"(difference {diff:.4g}, {abs(diff) / max(abs(u.sum()), abs(v.sum()), 1e-300):.3g} relative); "
            f"no matrix can meet both"
        )
    return Z0, u, v, scale


def _sums(Z) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(Z.sum(axis=1)).ravel(), np.asarray(Z.sum(axis=0)).ravel()


def _scale(Z, r: np.ndarray, s: np.ndarray):
    if sp.issparse(Z):
        return sp.csc_array(sp.diags_array(r) @ Z @ sp.diags_array(s))
    return r[:, None] * Z * s[None, :]


def _finish(Z, u, v, r, s, it, scale, tol, strict, method, row_labels, col_labels) -> BalancingResult:
    rows, cols = _sums(Z)
    gr, gc = np.abs(rows - u), np.abs(cols - v)
    gap = float(max(gr.max(), gc.max()))
    converged = gap <= tol * scale
    if not converged and strict:
        limit = tol * scale
        off_r = np.flatnonzero(gr > limit)
        off_c = np.flatnonzero(gc > limit)
        parts = [
            p
            for p in (
                _names("row", off_r[np.argsort(-gr[off_r])], row_labels, gr),
                _names("column", off_c[np.argsort(-gc[off_c])], col_labels, gc),
            )
            if p
        ]
        raise ConvergenceError(
            f"{method} did not converge in {it} iterations: largest margin gap {gap:.4g} "
            f"(tolerance {limit:.4g}); off: {'; '.join(parts)}. The zero pattern of Z0 may make "
            f"the margins unreachable, or more iterations (max_iter) are needed",
            iterations=it,
            residual=gap,
            tolerance=limit,
        )
    return BalancingResult(Z, r, s, it, gap, bool(converged))


def ras(
    Z0,
    row_totals,
    col_totals,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    totals_rtol: float = 1e-8,
    strict: bool = True,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
) -> BalancingResult:
    """Balance a non-negative matrix to given row and column totals (RAS, biproportional scaling).

    Finds ``Z = r̂ Z0 ŝ`` with ``Z 1 = u`` and ``1ᵀZ = vᵀ`` by alternately scaling
    rows and columns. Zeros of ``Z0`` stay zero.

    Parameters
    ----------
    Z0 : array_like or scipy.sparse, shape (m, n)
        Prior matrix, ≥ 0 (use :func:`gras` for entries of both signs).
    row_totals : array_like, shape (m,)
        Target row sums ``u`` ≥ 0.
    col_totals : array_like, shape (n,)
        Target column sums ``v`` ≥ 0, with ``Σ u = Σ v``.
    tol : float, default 1e-10
        Stop when every row and column sum is within ``tol × max|target|`` of its target.
    max_iter : int, default 10000
        Largest number of row-and-column sweeps.
    totals_rtol : float, default 1e-8
        How far ``Σ u`` and ``Σ v`` may differ, relative to the largest of them.
    strict : bool, default True
        Raise :class:`ConvergenceError` on non-convergence; with False, return the
        last iterate with ``converged=False``.
    row_labels, col_labels : sequence of str, optional
        Names used in error messages.

    Returns
    -------
    BalancingResult
        The balanced matrix, multipliers ``r`` and ``s``, iterations, largest gap.

    Raises
    ------
    BalancingError
        Negative entries or targets, grand totals that differ (by how much is
        said), or a row or column with a positive target and no non-zero entry.
    ConvergenceError
        The margins were not met within ``max_iter`` sweeps (the rows and
        columns left off are named).

    References
    ----------
    Miller & Blair (2022), §7.4 (the RAS technique).
    Bacharach, M. (1970). *Biproportional Matrices and Input-Output Change*. Cambridge UP.

    Examples
    --------
    >>> res = ras([[1.0, 1.0], [1.0, 1.0]], [3.0, 1.0], [2.0, 2.0])
    >>> res.Z
    array([[1.5, 1.5],
           [0.5, 0.5]])
    >>> res.converged
    True
    """
    Z0, u, v, scale = _prepare(Z0, row_totals, col_totals, row_labels, col_labels, totals_rtol)
    for name, vec, labels, kind in (("row_totals", u, row_labels, "row"), ("col_totals", v, col_labels, "column")):
        if (vec < 0).any():
            i = int(np.flatnonzero(vec < 0)[0])
            raise BalancingError(
                f"{name} must be non-negative for RAS; {_name(kind, i, labels)} is {vec[i]:g} (use gras)"
            )
    data = Z0.data if sp.issparse(Z0) else Z0
    if (data < 0).any():
        raise BalancingError(f"Z0 has {int((data < 0).sum())} negative entries; RAS needs Z0 ≥ 0 (use gras)")
    rows0, cols0 = _sums(Z0)
    for vec, tot, labels, kind in ((u, rows0, row_labels, "row"), (v, cols0, col_labels, "column")):
        empty = (tot == 0) & (vec > 0)
        if empty.any():
            i = int(np.flatnonzero(empty)[0])
            raise BalancingError(
                f"{_name(kind, i, labels)} has target {vec[i]:g} but no non-zero entry to scale "
                f"({int(empty.sum())} such {kind}s)"
            )
    r, s = np.ones(u.size), np.ones(v.size)
    it = 0
    if max(np.abs(rows0 - u).max(), np.abs(cols0 - v).max()) > tol * scale:
        ZT = Z0.T
        for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported after the loop)
            rs = Z0 @ s
            r = np.divide(u, rs, out=np.zeros_like(u), where=rs > 0)
            cs = ZT @ r
            s = np.divide(v, cs, out=np.zeros_like(v), where=cs > 0)
            row_gap = np.abs(r * (Z0 @ s) - u).max()  # column sums are exact after the s step
            if row_gap <= tol * scale:
                break
    return _finish(_scale(Z0, r, s), u, v, r, s, it, scale, tol, strict, "RAS", row_labels, col_labels)


def _gras_step(p: np.ndarray, n: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Solve ``k p − n / k = target`` for k > 0 element-wise (k = 0 for p > 0, n = 0, target = 0)."""
    out = np.ones_like(target)
    pos = p > 0
    out[pos] = (target[pos] + np.sqrt(target[pos] ** 2 + 4.0 * p[pos] * n[pos])) / (2.0 * p[pos])
    neg = ~pos & (n > 0) & (target < 0)  # Lenzen et al. (2007): only negative entries left
    out[neg] = -n[neg] / target[neg]  # (other cases cannot be met; the gap check names them)
    return out


def gras(
    Z0,
    row_totals,
    col_totals,
    *,
    tol: float = 1e-10,
    max_iter: int = 10_000,
    totals_rtol: float = 1e-8,
    strict: bool = True,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
) -> BalancingResult:
    """Balance a matrix with entries of both signs to given row and column totals (GRAS).

    With ``Z0 = P − N`` (P, N ≥ 0 its positive and negative parts) GRAS finds
    ``Z = r̂ P ŝ − r̂⁻¹ N ŝ⁻¹`` meeting the margins: the solution of
    ``min Σ |z⁰_ij| · g_ij (ln g_ij − 1)`` over ``g_ij = z_ij / z⁰_ij > 0``.
    Signs and zeros of ``Z0`` are kept. Each half-step solves the quadratic
    ``r_i p_i(s) − n_i(s) / r_i = u_i``; rows or columns with only negative
    entries use ``r_i = −n_i / u_i`` (the correction of Lenzen et al. 2007).
    On a non-negative matrix GRAS is RAS.

    Parameters
    ----------
    Z0 : array_like or scipy.sparse, shape (m, n)
        Prior matrix, entries of any sign.
    row_totals, col_totals : array_like, shapes (m,) and (n,)
        Target sums ``u`` and ``v`` (any sign), with ``Σ u = Σ v``.
    tol, max_iter, totals_rtol, strict, row_labels, col_labels
        As :func:`ras`.

    Returns
    -------
    BalancingResult
        The balanced matrix, multipliers ``r`` and ``s``, iterations, largest gap.

    Raises
    ------
    BalancingError
        Grand totals that differ, or a row or column whose target its signs cannot
        reach: no entry but a non-zero target, only positive entries and a negative
        target, only negative entries and a target ≥ 0.
    ConvergenceError
        The margins were not met within ``max_iter`` sweeps (the rows and
        columns left off are named).

    References
    ----------
    Junius, T. & Oosterhaven, J. (2003). The solution of updating or regionalizing a matrix
    with both positive and negative entries. *Economic Systems Research* 15(1), 87–96.
    Lenzen, M., Wood, R. & Gallego, B. (2007). Some comments on the GRAS method.
    *Economic Systems Research* 19(4), 461–465.
    Temurshoev, U., Miller, R. E. & Bouwmeester, M. C. (2013). A note on the GRAS method.
    *Economic Systems Research* 25(3), 361–367.

    Examples
    --------
    A row with a negative entry (net taxes, say). The form ``z_11 = 2 r_1 s_1``,
    ``z_12 = 2 r_1 s_2``, ``z_21 = −1/(r_2 s_1)``, ``z_22 = r_2 s_2`` implies
    ``z_11 z_22 (−z_21) = z_12``; with the margins, ``t = z_11`` solves
    ``t (t + 1)(t − 1) = 4 − t``, i.e. ``t = 4^(1/3) = 1.5874``:

    >>> res = gras([[2.0, 2.0], [-1.0, 1.0]], [4.0, 2.0], [1.0, 5.0])
    >>> res.Z.round(4)
    array([[ 1.5874,  2.4126],
           [-0.5874,  2.5874]])
    >>> res.Z.sum(axis=1), res.Z.sum(axis=0)
    (array([4., 2.]), array([1., 5.]))
    """
    Z0, u, v, scale = _prepare(Z0, row_totals, col_totals, row_labels, col_labels, totals_rtol)
    if sp.issparse(Z0):
        P, N = sp.csc_array(Z0.maximum(0)), sp.csc_array(-Z0.minimum(0))
    else:
        P, N = np.maximum(Z0, 0.0), np.maximum(-Z0, 0.0)
    for vec, p_any, n_any, labels, kind in (
        (u, _sums(P)[0] > 0, _sums(N)[0] > 0, row_labels, "row"),
        (v, _sums(P)[1] > 0, _sums(N)[1] > 0, col_labels, "column"),
    ):
        checks = (
            (~p_any & ~n_any & (vec != 0), "has no non-zero entry to scale"),
            (p_any & ~n_any & (vec < 0), "has only positive entries"),
            (~p_any & n_any & (vec >= 0), "has only negative entries"),
        )
        for bad, why in checks:
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise BalancingError(
                    f"{_name(kind, i, labels)} {why} but its target is {vec[i]:g}; no scaling keeping "
                    f"the signs can reach it ({int(bad.sum())} such {kind}s)"
                )
    r, s = np.ones(u.size), np.ones(v.size)
    rows0, cols0 = _sums(Z0)
    it = 0

    def inv(k: np.ndarray) -> np.ndarray:
        return np.divide(1.0, k, out=np.zeros_like(k), where=k > 0)

    if max(np.abs(rows0 - u).max(), np.abs(cols0 - v).max()) > tol * scale:
        PT, NT = P.T, N.T
        for it in range(1, max_iter + 1):  # noqa: B007 (the count is reported after the loop)
            r = _gras_step(P @ s, N @ inv(s), u)
            s = _gras_step(PT @ r, NT @ inv(r), v)
            row_gap = np.abs(r * (P @ s) - inv(r) * (N @ inv(s)) - u).max()
            if row_gap <= tol * scale:
                break
    if sp.issparse(Z0):
        Z = sp.csc_array(_scale(P, r, s) - _scale(N, inv(r), inv(s)))
    else:
        Z = _scale(P, r, s) - _scale(N, inv(r), inv(s))
    return _finish(Z, u, v, r, s, it, scale, tol, strict, "GRAS", row_labels, col_labels)
