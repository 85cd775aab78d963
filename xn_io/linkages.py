"""Backward and forward linkages, key sectors, fields of influence, important coefficients.

Pure functions on numpy arrays (no labels; :mod:`xn_io.structural` adds them).
Symbols follow Miller & Blair (2022), *Input-Output Analysis: Foundations and
Extensions*, 3rd ed., Cambridge University Press: ``A`` technical coefficients,
``L = (I − A)⁻¹``, ``B`` allocation coefficients, ``G = (I − B)⁻¹`` the Ghosh
inverse, ``x`` gross output.

* Direct linkages (Chenery & Watanabe 1958): column sums of ``A`` (backward)
  and row sums of ``B`` (forward).
* Total linkages (Rasmussen 1956): column sums of ``L`` (backward, *power of
  dispersion*) and row sums of ``G`` (forward, *sensitivity of dispersion*
  in the Ghosh form that Miller & Blair 2022, §12.1.2 recommend).
* Normalised linkages divide by the average over sectors, so they average 1; a
  sector above 1 on both is a *key sector* (Miller & Blair 2022, §12.1.4).
* The field of influence of a coefficient change (Sonis & Hewings 1989, 1992)
  and the tolerable limits of coefficient changes that define *important
  coefficients* (Jílek 1971; Schintke & Stäglin 1988; Aroche-Reyes 1996;
  Miller & Blair 2022, §12.3).

Only factorisations are used for the row and column sums; the full inverse is
formed only by the functions that need every element of it
(:func:`tolerable_limits`, :func:`influence_ranking`).

Examples
--------
The two-sector table of Miller & Blair (2022), Table 2.3:

>>> A = technical_coefficients([[150, 500], [200, 100]], [1000, 2000])
>>> total_backward_linkages(A).round(4)       # column sums of L over their mean
array([1.0222, 0.9778])
>>> total_backward_linkages(A, normalized=False).round(4)
array([1.5182, 1.4521])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._validation import as_square_matrix, as_vector, label_of
from .errors import TableError
from .leontief import LeontiefSolver, factorize, technical_coefficients  # noqa: F401 (examples)

__all__ = [
    "direct_backward_linkages",
    "direct_forward_linkages",
    "total_backward_linkages",
    "total_forward_linkages",
    "KEY_SECTOR_CLASSES",
    "classify_sectors",
    "field_of_influence",
    "coefficient_change",
    "influence_ranking",
    "tolerable_limits",
]

KEY_SECTOR_CLASSES = ("key", "backward-oriented", "forward-oriented", "weak")
"""The four classes of :func:`classify_sectors`, strongest first."""


def _normalize(sums: np.ndarray, normalized: bool) -> np.ndarray:
    if not normalized:
        return sums
    mean = float(sums.mean())
    if mean <= 0:
        raise TableError(f"linkages cannot be normalised: their mean over the {sums.size} sectors is {mean:g}")
    return sums / mean


def _dense(name: str, M, labels: Sequence[str] | None) -> np.ndarray:
    M = as_square_matrix(name, M, labels=labels)
    return M.toarray() if hasattr(M, "toarray") else M


# --------------------------------------------------------------------------- linkages
def direct_backward_linkages(A, *, normalized: bool = True, labels: Sequence[str] | None = None) -> np.ndarray:
    """Chenery–Watanabe direct backward linkages: column sums of ``A``.

    ``BL(d)_j = Σ_i a_ij`` is the intermediate input bought per unit of output
    of j. Normalised, ``BL(d)_j / ((1/n) Σ_j BL(d)_j)``.

    Parameters
    ----------
    A : array_like or sparse, shape (n, n)
        Technical coefficients.
    normalized : bool
        Divide by the mean over sectors (the result then averages 1).
    labels : sequence of str, optional
        Sector labels for error messages.

    Returns
    -------
    ndarray, shape (n,)

    Raises
    ------
    TableError
        ``A`` not square or not finite; a zero mean when ``normalized``.

    References
    ----------
    Chenery & Watanabe (1958); Miller & Blair (2022), §12.1.1, eq. (12.1)–(12.2).

    Examples
    --------
    >>> direct_backward_linkages([[0.15, 0.25], [0.20, 0.05]], normalized=False)
    array([0.35, 0.3 ])
    >>> direct_backward_linkages([[0.15, 0.25], [0.20, 0.05]]).round(4)
    array([1.0769, 0.9231])
    """
    A = as_square_matrix("A", A, labels=labels)
    return _normalize(np.asarray(A.sum(axis=0)).ravel(), normalized)


def direct_forward_linkages(B, *, normalized: bool = True, labels: Sequence[str] | None = None) -> np.ndarray:
    """Direct forward linkages: row sums of the allocation coefficients ``B``.

    ``FL(d)_i = Σ_j b_ij`` is the share of i's output sold to intermediate use.

    Parameters
    ----------
    B : array_like or sparse, shape (n, n)
        Allocation coefficients ``B = x̂⁻¹ Z``.
    normalized : bool
        Divide by the mean over sectors.
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (n,)

    Raises
    ------
    TableError
        ``B`` not square or not finite; a zero mean when ``normalized``.

    References
    ----------
    Chenery & Watanabe (1958); Miller & Blair (2022), §12.1.2, eq. (12.5).

    Examples
    --------
    >>> direct_forward_linkages([[0.15, 0.5], [0.1, 0.05]], normalized=False)
    array([0.65, 0.15])
    """
    B = as_square_matrix("B", B, labels=labels)
    return _normalize(np.asarray(B.sum(axis=1)).ravel(), normalized)


def total_backward_linkages(
    A, *, normalized: bool = True, solver: LeontiefSolver | None = None, labels: Sequence[str] | None = None
) -> np.ndarray:
    """Rasmussen total backward linkages (power of dispersion): column sums of ``L``.

    ``BL_j = Σ_i l_ij`` (the output multiplier of j). Normalised,
    ``BL_j / ((1/n) Σ_j BL_j)`` — Rasmussen's *index of power of dispersion*.
    Computed by one transposed solve, without forming ``L``.

    Parameters
    ----------
    A : array_like or sparse, shape (n, n)
        Technical coefficients.
    normalized : bool
        Divide by the mean over sectors.
    solver : LeontiefSolver, optional
        A factorisation of ``I − A`` to reuse (then ``A`` is only validated).
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (n,)

    Raises
    ------
    NotProductiveError
        If ``I − A`` is singular or the economy is not productive.
    TableError
        ``A`` not square or not finite.

    References
    ----------
    Rasmussen (1956); Miller & Blair (2022), §12.1.1, eq. (12.3)–(12.4).

    Examples
    --------
    >>> total_backward_linkages([[0.15, 0.25], [0.20, 0.05]], normalized=False).round(6)
    array([1.518152, 1.452145])
    """
    A = as_square_matrix("A", A, labels=labels)
    solver = solver if solver is not None else factorize(A, labels=labels)
    return _normalize(solver.solve_transposed(np.ones(A.shape[0])), normalized)


def total_forward_linkages(
    B, *, normalized: bool = True, solver: LeontiefSolver | None = None, labels: Sequence[str] | None = None
) -> np.ndarray:
    """Total forward linkages (sensitivity of dispersion): row sums of the Ghosh inverse ``G``.

    ``FL_i = Σ_j g_ij``: total output made possible downstream per unit of
    primary input in i. Computed by one solve ``(I − B) g = 1``. Miller & Blair
    (2022, §12.1.2) prefer ``G`` to row sums of ``L``, which mix the rows of a
    demand-driven model.

    Parameters
    ----------
    B : array_like or sparse, shape (n, n)
        Allocation coefficients ``B = x̂⁻¹ Z``.
    normalized : bool
        Divide by the mean over sectors.
    solver : LeontiefSolver, optional
        A factorisation of ``I − B`` to reuse.
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (n,)

    Raises
    ------
    NotProductiveError
        If ``I − B`` is singular.
    TableError
        ``B`` not square or not finite.

    References
    ----------
    Rasmussen (1956); Ghosh (1958); Beyers (1976); Jones (1976);
    Miller & Blair (2022), §12.1.2, eq. (12.8)–(12.9).

    Examples
    --------
    >>> total_forward_linkages([[0.15, 0.5], [0.1, 0.05]], normalized=False).round(4)
    array([1.9142, 1.2541])
    """
    B = as_square_matrix("B", B, labels=labels)
    solver = solver if solver is not None else factorize(B, labels=labels)
    return _normalize(solver.solve(np.ones(B.shape[0])), normalized)


def classify_sectors(backward, forward, *, threshold: float = 1.0) -> np.ndarray:
    """Key-sector classes from normalised backward and forward linkages.

    ========================  ==================  ==================
    class                     backward            forward
    ========================  ==================  ==================
    ``"key"``                 > threshold         > threshold
    ``"backward-oriented"``   > threshold         ≤ threshold
    ``"forward-oriented"``    ≤ threshold         > threshold
    ``"weak"``                ≤ threshold         ≤ threshold
    ========================  ==================  ==================

    Parameters
    ----------
    backward, forward : array_like, shape (n,)
        Normalised linkages (each averaging 1).
    threshold : float
        The dividing line, 1 (the average sector) by convention.

    Returns
    -------
    ndarray of str, shape (n,)

    Raises
    ------
    TableError
        If the two vectors differ in length or are not finite.

    References
    ----------
    Miller & Blair (2022), §12.1.4, Table 12.3 (after Hirschman 1958).

    Examples
    --------
    >>> classify_sectors([1.2, 1.1, 0.8, 0.9], [1.3, 0.7, 1.1, 0.9]).tolist()
    ['key', 'backward-oriented', 'forward-oriented', 'weak']
    """
    backward = as_vector("backward", backward)
    forward = as_vector("forward", forward, backward.shape[0])
    strong_b = backward > threshold
    strong_f = forward > threshold
    out = np.full(backward.shape[0], "weak", dtype=object)
    out[strong_b & strong_f] = "key"
    out[strong_b & ~strong_f] = "backward-oriented"
    out[~strong_b & strong_f] = "forward-oriented"
    return out.astype(str)


# --------------------------------------------------------------------------- coefficient changes
def _index(name: str, k: int, n: int) -> int:
    if not isinstance(k, (int, np.integer)) or not 0 <= int(k) < n:
        raise TableError(f"{name} must be a sector index in 0..{n - 1}, got {k!r}")
    return int(k)


def field_of_influence(L, i: int, j: int) -> np.ndarray:
    """First-order field of influence of a change in coefficient ``a_ij``: ``F = L_{·i} L_{j·}``.

    A change ``ε`` in ``a_ij`` changes the Leontief inverse by
    ``ε F / (1 − ε l_ji)`` (see :func:`coefficient_change`); ``F`` is the
    outer product of column i and row j of ``L``, the direction in which every
    element of ``L`` moves.

    Parameters
    ----------
    L : array_like, shape (n, n)
        The Leontief inverse.
    i, j : int
        Row and column (supplier, buyer) of the changed coefficient.

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    TableError
        ``L`` not square or not finite; ``i`` or ``j`` out of range.

    References
    ----------
    Sonis & Hewings (1989, 1992); Miller & Blair (2022), §12.3.3, eq. (12.27).

    Examples
    --------
    >>> L = np.array([[1.254125, 0.330033], [0.264026, 1.122112]])
    >>> field_of_influence(L, 0, 1).round(4)
    array([[0.3311, 1.4073],
           [0.0697, 0.2963]])
    """
    L = _dense("L", L, None)
    n = L.shape[0]
    i, j = _index("i", i, n), _index("j", j, n)
    return np.outer(L[:, i], L[j, :])


def coefficient_change(L, i: int, j: int, delta: float) -> np.ndarray:
    """The exact Leontief inverse after ``a_ij`` changes by ``delta`` (Sherman–Morrison).

    ``L̄ = L + delta / (1 − delta·l_ji) · L_{·i} L_{j·}``.

    Parameters
    ----------
    L : array_like, shape (n, n)
        The Leontief inverse before the change.
    i, j : int
        Row and column of the changed coefficient.
    delta : float
        Absolute change in ``a_ij``.

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    NotProductiveError
        If the change makes ``I − A`` singular (``delta·l_ji = 1``).
    TableError
        Bad shapes or indices.

    References
    ----------
    Sherman & Morrison (1950); Sonis & Hewings (1992); Miller & Blair (2022), §12.3.1, eq. (12.19).

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])
    >>> L = np.linalg.solve(np.eye(2) - A, np.eye(2))
    >>> A2 = A.copy(); A2[0, 1] += 0.05
    >>> bool(np.allclose(coefficient_change(L, 0, 1, 0.05), np.linalg.solve(np.eye(2) - A2, np.eye(2))))
    True
    """
    from .errors import NotProductiveError

    L = _dense("L", L, None)
    n = L.shape[0]
    i, j = _index("i", i, n), _index("j", j, n)
    denom = 1.0 - float(delta) * L[j, i]
    if abs(denom) <= np.finfo(float).eps * n:
        raise NotProductiveError(
            f"changing a[{i}, {j}] by {delta:g} makes I − A singular (1 − delta·l_ji = {denom:.3g})"
        )
    return L + (float(delta) / denom) * np.outer(L[:, i], L[j, :])


def influence_ranking(L) -> np.ndarray:
    """Total field of influence of every coefficient: ``S_ij = (Σ_k l_ki)(Σ_l l_jl)``.

    The sum of all elements of :func:`field_of_influence` for ``(i, j)``: the
    column sum of ``L`` at i times the row sum of ``L`` at j. Sonis & Hewings
    rank coefficients by it ("the economic landscape"); the largest entries are
    the coefficients whose change moves the whole inverse most.

    Parameters
    ----------
    L : array_like, shape (n, n)

    Returns
    -------
    ndarray, shape (n, n)

    Raises
    ------
    TableError
        ``L`` not square or not finite.

    References
    ----------
    Sonis & Hewings (1992); Sonis, Hewings & Guo (2000).

    Examples
    --------
    >>> L = np.array([[1.254125, 0.330033], [0.264026, 1.122112]])
    >>> influence_ranking(L).round(4)
    array([[2.405 , 2.1044],
           [2.3004, 2.0129]])
    """
    L = _dense("L", L, None)
    return np.outer(L.sum(axis=0), L.sum(axis=1))


def tolerable_limits(A, x, *, p: float = 0.01, labels: Sequence[str] | None = None) -> np.ndarray:
    """Tolerable limits of change of every coefficient (important coefficients).

    The smallest relative increase ``r_ij`` of ``a_ij`` (0.5 = +50 %) that
    changes some sector's gross output by more than the share ``p`` at fixed
    final demand. From the Sherman–Morrison update, the output of k moves by
    ``Δx_k/x_k = r a_ij l_ki x_j / ((1 − r a_ij l_ji) x_k)``, so

    ``r_ij = p / (a_ij (x_j max_k(l_ki / x_k) + p l_ji))``.

    Taking only ``k = i`` gives the classical formula of Schintke & Stäglin
    (1988), ``r_ij = p / (a_ij (l_ii x_j / x_i + p l_ji))``; the maximum over
    k is its generalisation to every output (Aroche-Reyes 1996). A
    coefficient is *important* when ``r_ij`` is small (e.g. below 1: less
    than doubling it moves some output by more than ``p``).

    Parameters
    ----------
    A : array_like, shape (n, n)
        Technical coefficients.
    x : array_like, shape (n,)
        Gross output (positive).
    p : float
        Tolerated relative change of outputs, e.g. 0.01 for 1 %.
    labels : sequence of str, optional

    Returns
    -------
    ndarray, shape (n, n)
        ``r_ij``; ``inf`` where ``a_ij = 0``.

    Raises
    ------
    TableError
        Bad shapes, non-positive output, ``p`` not positive.
    NotProductiveError
        If ``I − A`` is singular.

    References
    ----------
    Jílek (1971); Schintke & Stäglin (1988); Aroche-Reyes (1996);
    Miller & Blair (2022), §12.3.2.

    Examples
    --------
    >>> A = technical_coefficients([[150, 500], [200, 100]], [1000, 2000])
    >>> tolerable_limits(A, [1000, 2000], p=0.01).round(4)
    array([[0.0526, 0.0159],
           [0.0886, 0.1765]])
    """
    A = _dense("A", A, labels)
    n = A.shape[0]
    x = as_vector("x", x, n, labels=labels)
    if (x <= 0).any():
        k = int(np.flatnonzero(x <= 0)[0])
        raise TableError(f"x must be positive for tolerable limits; it is {x[k]:g} at {label_of(k, labels)}")
    if not p > 0:
        raise TableError(f"p (tolerated relative change of output) must be positive, got {p!r}")
    L = factorize(A, labels=labels).inverse()
    reach = (L / x[:, None]).max(axis=0)  # max_k l_ki / x_k, by i
    denom = A * (reach[:, None] * x[None, :] + p * L.T)
    out = np.full_like(A, np.inf)
    np.divide(p, denom, out=out, where=denom > 0)
    return out
