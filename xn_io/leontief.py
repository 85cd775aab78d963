"""Leontief and Ghosh analysis: pure functions on numpy arrays and scipy.sparse matrices.

Symbols follow Miller & Blair (2022), *Input-Output Analysis: Foundations and
Extensions*, 3rd ed., Cambridge University Press: ``Z`` intermediate flows,
``x`` gross output, ``A = Z x̂⁻¹`` technical coefficients, ``L = (I − A)⁻¹`` the
Leontief inverse, ``B = x̂⁻¹ Z`` allocation coefficients, ``G = (I − B)⁻¹`` the
Ghosh inverse, ``y``/``Y`` final demand, ``f`` satellite intensities.

The module *solves* rather than inverts: :func:`factorize` factors ``I − A`` once
(dense LU, sparse LU or an iterative Krylov solver) and every multiplier or
output is one solve with that factorisation. The full inverse is formed only by
:func:`leontief_inverse` / :meth:`LeontiefSolver.inverse`, when asked for.

Examples
--------
Miller & Blair (2022), Table 2.3, the two-sector example:

>>> import numpy as np
>>> Z = np.array([[150.0, 500.0], [200.0, 100.0]])
>>> x = np.array([1000.0, 2000.0])
>>> A = technical_coefficients(Z, x)
>>> A
array([[0.15, 0.25],
       [0.2 , 0.05]])
>>> solve_output(A, [600.0, 1500.0]).round(2)
array([1247.52, 1841.58])
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Literal, NamedTuple

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from ._validation import as_rhs, as_square_matrix, as_vector, label_of
from .errors import ConvergenceError, IllConditionedWarning, NotProductiveError, TableError

#: Condition number of ``I − A`` above which a dense factorisation warns (:class:`IllConditionedWarning`):
#: results then keep fewer than about 16 − 12 = 4 correct significant digits.
MAX_CONDITION = 1e12

__all__ = [
    "technical_coefficients",
    "allocation_coefficients",
    "inverse_vector",
    "scale_columns",
    "scale_rows",
    "LeontiefSolver",
    "factorize",
    "leontief_inverse",
    "solve_output",
    "ghosh_inverse",
    "output_multipliers",
    "intensities",
    "satellite_multipliers",
    "value_added_multipliers",
    "footprints",
    "closed_coefficients",
    "IncomeMultipliers",
    "income_multipliers",
    "MultiplierSplit",
    "multiplier_split",
]

Method = Literal["auto", "lu", "splu", "gmres"]
ZeroOutput = Literal["raise", "zero"]


# --------------------------------------------------------------------------- coefficients
def inverse_vector(
    x, *, name: str = "x", zero_output: ZeroOutput = "raise", labels: Sequence[str] | None = None
) -> np.ndarray:
    """Return ``1/x`` element-wise, with a named error (or 0) where ``x`` is zero.

    Parameters
    ----------
    x : array_like, shape (n,)
        Gross output (or any divisor).
    name : str
        Name used in error messages.
    zero_output : {"raise", "zero"}
        ``"raise"`` raises :class:`TableError` on a zero entry; ``"zero"``
        returns 0 there (the coefficients of an idle sector are taken as 0).
    labels : sequence of str, optional
        Sector labels for error messages.

    Raises
    ------
    TableError
        If ``x`` is negative anywhere, or zero and ``zero_output="raise"``.

    Examples
    --------
    >>> inverse_vector([2.0, 0.0], zero_output="zero")
    array([0.5, 0. ])
    """
    x = as_vector(name, x, labels=labels)
    if (x < 0).any():
        i = int(np.flatnonzero(x < 0)[0])
        raise TableError(f"{name} is negative at {label_of(i, labels)} ({x[i]:g})")
    zero = x == 0
    if zero.any() and zero_output == "raise":
        i = int(np.flatnonzero(zero)[0])
        raise TableError(
            f"{name} is zero at {label_of(i, labels)} ({int(zero.sum())} sectors in all); "
            "coefficients divide by it. Remove idle sectors or pass zero_output='zero'"
        )
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=~zero)
    return out


def scale_columns(M, s: np.ndarray):
    """Return ``M diag(s)`` without forming ``diag(s)``; sparse stays sparse.

    Examples
    --------
    >>> scale_columns(np.ones((2, 2)), np.array([1.0, 3.0]))
    array([[1., 3.],
           [1., 3.]])
    """
    if sp.issparse(M):
        return sp.csc_array(M.multiply(s[np.newaxis, :]))
    return M * s[np.newaxis, :]


def scale_rows(M, s: np.ndarray):
    """Return ``diag(s) M`` without forming ``diag(s)``; sparse stays sparse.

    Examples
    --------
    >>> scale_rows(np.ones((2, 2)), np.array([1.0, 3.0]))
    array([[1., 1.],
           [3., 3.]])
    """
    if sp.issparse(M):
        return sp.csc_array(M.multiply(s[:, np.newaxis]))
    return M * s[:, np.newaxis]


def technical_coefficients(Z, x, *, zero_output: ZeroOutput = "raise", labels: Sequence[str] | None = None):
    """Technical (input) coefficients ``A = Z x̂⁻¹``: inputs from i per unit of output of j.

    Parameters
    ----------
    Z : array_like or sparse matrix, shape (n, n)
        Intermediate flows, supplier rows × buyer columns.
    x : array_like, shape (n,)
        Gross output.
    zero_output : {"raise", "zero"}
        What to do with a sector of zero output (see :func:`inverse_vector`).
    labels : sequence of str, optional
        Sector labels for error messages.

    Returns
    -------
    ndarray or sparse array, shape (n, n)
        Same kind as ``Z``.

    Raises
    ------
    TableError
        Shapes disagree, entries are NaN/inf, or output is zero or negative.

    References
    ----------
    Miller & Blair (2022), eq. (2.4).

    Examples
    --------
    >>> technical_coefficients([[150, 500], [200, 100]], [1000, 2000])
    array([[0.15, 0.25],
           [0.2 , 0.05]])
    """
    Z = as_square_matrix("Z", Z, labels=labels)
    inv = inverse_vector(x, zero_output=zero_output, labels=labels)
    if inv.shape[0] != Z.shape[0]:
        raise TableError(f"x has {inv.shape[0]} entries but Z has {Z.shape[0]} sectors")
    return scale_columns(Z, inv)


def allocation_coefficients(Z, x, *, zero_output: ZeroOutput = "raise", labels: Sequence[str] | None = None):
    """Allocation (output) coefficients ``B = x̂⁻¹ Z``: sales of i to j per unit of output of i.

    References
    ----------
    Miller & Blair (2022), §12.1.2, eq. (12.6).

    Examples
    --------
    >>> allocation_coefficients([[150, 500], [200, 100]], [1000, 2000])
    array([[0.15, 0.5 ],
           [0.1 , 0.05]])
    """
    Z = as_square_matrix("Z", Z, labels=labels)
    inv = inverse_vector(x, zero_output=zero_output, labels=labels)
    if inv.shape[0] != Z.shape[0]:
        raise TableError(f"x has {inv.shape[0]} entries but Z has {Z.shape[0]} sectors")
    return scale_rows(Z, inv)


# --------------------------------------------------------------------------- the solver
class LeontiefSolver:
    """A factorisation of ``I − A``, solving ``(I − A) x = y`` and ``(I − A)ᵀ m = c``.

    Build it with :func:`factorize`. Dense matrices are factored once by LU
    (LAPACK ``getrf``); sparse ones by ``splu`` or solved by restarted GMRES,
    whose residual is checked against ``tol`` after every solve.

    Attributes
    ----------
    n : int
        Number of sectors.
    method : str
        ``"lu"``, ``"splu"`` or ``"gmres"``.
    tol : float
        Relative residual tolerance of the iterative method.
    """

    def __init__(self, A, *, method: str, tol: float, labels: Sequence[str] | None = None):
        self.n = A.shape[0]
        self.method = method
        self.tol = tol
        self._labels = labels
        if method == "lu":
            self._lu = self._factor_dense(A)
        elif method == "splu":
            try:
                self._splu = spla.splu(sp.csc_matrix(_identity_minus(A)))
            except RuntimeError as exc:
                raise NotProductiveError(f"I - A is singular: {exc}") from None
            self._check_pivots(np.abs(self._splu.U.diagonal()))
        elif method == "gmres":
            I_minus_A = sp.csr_array(_identity_minus(A))
            self._operators = (I_minus_A, sp.csr_array(I_minus_A.T))
        else:
            raise TableError(f"method must be 'auto', 'lu', 'splu' or 'gmres', got {method!r}")

    def _factor_dense(self, A) -> tuple[np.ndarray, np.ndarray]:
        # One n × n array: I − A built in Fortran order and factored in place.
        M = _identity_minus(A.toarray() if sp.issparse(A) else A)
        norm = float(np.abs(M).sum(axis=0).max())
        with warnings.catch_warnings():
            warnings.simplefilter("error", sla.LinAlgWarning)
            try:
                lu = sla.lu_factor(M, overwrite_a=True, check_finite=False)
            except (sla.LinAlgWarning, np.linalg.LinAlgError, ValueError) as exc:
                raise NotProductiveError(f"I - A is singular: {exc}") from None
        self._check_pivots(np.abs(np.diag(lu[0])))
        rcond, info = sla.lapack.dgecon(lu[0], norm, norm="1")
        if info == 0 and rcond * MAX_CONDITION < 1:
            warnings.warn(
                f"I - A is ill-conditioned: condition number about {1 / max(rcond, 1e-300):.1e} > "
                f"{MAX_CONDITION:.0e}; multipliers and outputs may be wrong in their leading digits "
                "(is the economy barely productive?)",
                IllConditionedWarning,
                stacklevel=4,
            )
        return lu

    def _check_pivots(self, pivots: np.ndarray) -> None:
        small = pivots <= np.finfo(float).eps * max(1.0, float(pivots.max(initial=0.0))) * self.n
        if small.any():
            raise NotProductiveError(f"I - A is singular: {int(small.sum())} pivot(s) are zero to machine precision")

    def _gmres(self, op, b: np.ndarray) -> np.ndarray:
        norm_b = float(np.linalg.norm(b))
        if norm_b == 0.0:
            return np.zeros_like(b)
        sol, info = spla.gmres(op, b, rtol=self.tol, atol=0.0, restart=50, maxiter=1000)
        residual = float(np.linalg.norm(op @ sol - b)) / norm_b
        if info != 0 or residual > 10 * self.tol:
            raise ConvergenceError(
                f"GMRES did not reach the relative residual {self.tol:g} (reached {residual:.3g}); "
                "the economy may not be productive, or use method='splu'",
                iterations=max(int(info), 0),
                residual=residual,
                tolerance=self.tol,
            )
        return sol

    def _solve(self, b: np.ndarray, trans: bool) -> np.ndarray:
        if self.method == "lu":
            return sla.lu_solve(self._lu, b, trans=1 if trans else 0, check_finite=False)
        if self.method == "splu":
            return self._splu.solve(np.ascontiguousarray(b), trans="T" if trans else "N")
        op = self._operators[1] if trans else self._operators[0]
        if b.ndim == 1:
            return self._gmres(op, b)
        return np.column_stack([self._gmres(op, b[:, k]) for k in range(b.shape[1])])

    def solve(self, y) -> np.ndarray:
        """Return ``x = (I − A)⁻¹ y`` for a vector (n,) or a matrix (n, k) of demands."""
        y = as_rhs("y", y, self.n, labels=self._labels)
        return self._solve(y, trans=False)

    def solve_transposed(self, c) -> np.ndarray:
        """Return ``m`` with ``mᵀ = cᵀ (I − A)⁻¹``, i.e. ``c`` times L, as a row (or rows for c of shape (k, n))."""
        c = np.asarray(c, dtype=float)
        if c.ndim == 2:
            return self._solve(as_rhs("c", c.T, self.n, labels=self._labels), trans=True).T
        return self._solve(as_rhs("c", c, self.n, labels=self._labels), trans=True)

    def inverse(self) -> np.ndarray:
        """Return the dense Leontief inverse ``L = (I − A)⁻¹`` (n × n); O(n³) time, O(n²) memory.

        From a dense LU the inverse is formed by LAPACK ``getri`` (4/3·n³ flops,
        against 2·n³ for solving against the identity); otherwise by solving
        against the columns of the identity.
        """
        if self.method == "lu":
            lu, piv = self._lu
            getri, getri_lwork = sla.get_lapack_funcs(("getri", "getri_lwork"), (lu,))
            lwork, info = getri_lwork(self.n)
            inverse, info = getri(lu, piv, lwork=int(lwork.real) if info == 0 else max(1, self.n), overwrite_lu=False)
            if info != 0:
                raise NotProductiveError(f"I - A is singular (LAPACK getri info {info})")
            return inverse
        return self._solve(np.eye(self.n), trans=False)


def _identity_minus(A):
    """``I − A``: sparse stays sparse; dense comes back as a new Fortran-ordered array."""
    if sp.issparse(A):
        return sp.identity(A.shape[0], format="csc") - A
    M = np.negative(A, order="F")
    M[np.diag_indices_from(M)] += 1.0
    return M


def _has_negative(A) -> bool:
    data = A.data if sp.issparse(A) else A
    return bool((data < 0).any())


def _column_sums(A) -> np.ndarray:
    return np.asarray(A.sum(axis=0)).ravel()


def _check_spectral_radius(A, labels: Sequence[str] | None) -> None:
    """With negative entries Hawkins–Simon does not apply: require spectral radius ρ(A) < 1.

    ρ(A) ≤ ρ(|A|) ≤ the largest column sum of |A|, so most tables pass without
    an eigenvalue computation; otherwise ρ is computed (all eigenvalues for
    dense A, ARPACK's largest for sparse A).
    """
    absolute = abs(A)
    if (_column_sums(absolute) < 1).all():
        return
    n = A.shape[0]
    if sp.issparse(A) and n > 2000:
        try:
            rho = float(
                np.abs(
                    spla.eigs(sp.csc_array(A, dtype=float), k=1, which="LM", return_eigenvectors=False, maxiter=5000)
                ).max()
            )
        except (spla.ArpackNoConvergence, ValueError) as exc:
            raise NotProductiveError(
                f"A has negative entries and its spectral radius could not be computed ({exc}); "
                "cannot tell whether the economy is productive"
            ) from None
    else:
        dense = A.toarray() if sp.issparse(A) else A
        rho = float(np.abs(np.linalg.eigvals(dense)).max())
    if rho >= 1:
        i = int(np.argmax(_column_sums(absolute)))
        raise NotProductiveError(
            f"A is not productive: its spectral radius is {rho:.4g} ≥ 1 (A has negative entries, so this is "
            f"checked on the eigenvalues); the largest absolute column sum is at {label_of(i, labels)}"
        )


def factorize(
    A,
    *,
    method: Method = "auto",
    tol: float = 1e-10,
    check_productive: bool = True,
    labels: Sequence[str] | None = None,
) -> LeontiefSolver:
    """Factor ``I − A`` once, for any number of solves.

    Parameters
    ----------
    A : array_like or sparse matrix, shape (n, n)
        Technical coefficients.
    method : {"auto", "lu", "splu", "gmres"}
        ``"auto"`` takes dense LU for dense input and GMRES for sparse input
        (sparse LU can fill in badly on unstructured matrices).
    tol : float
        Relative residual tolerance of GMRES, checked after each solve.
    check_productive : bool
        For non-negative ``A`` whose column sums are not all below 1, solve
        ``(I − A) s = 1`` and require ``s > 0``: by the Hawkins–Simon /
        Perron–Frobenius theory a non-negative ``A`` has spectral radius < 1
        exactly when such an ``s ≥ 0`` exists (Miller & Blair 2022, §2.6.1).
    labels : sequence of str, optional
        Sector labels for error messages.

    Returns
    -------
    LeontiefSolver

    Raises
    ------
    NotProductiveError
        If ``I − A`` is singular or the economy is not productive.
    TableError
        If ``A`` is not square or has NaN/inf entries.

    Examples
    --------
    >>> solver = factorize([[0.15, 0.25], [0.20, 0.05]])
    >>> solver.solve([600.0, 1500.0]).round(2)
    array([1247.52, 1841.58])
    >>> solver.solve([[1.0, 0.0], [0.0, 1.0]]).round(6)  # the columns of L
    array([[1.254125, 0.330033],
           [0.264026, 1.122112]])
    >>> factorize([[0.5, 0.6], [0.6, 0.5]])
    Traceback (most recent call last):
    ...
    xn_io.errors.NotProductiveError: A is not productive (spectral radius ≥ 1): (I - A)⁻¹·1 is not positive at index 0 (-10); 2 sectors in all
    """
    A = as_square_matrix("A", A, labels=labels)
    if method == "auto":
        method = "gmres" if sp.issparse(A) else "lu"
    solver = LeontiefSolver(A, method=method, tol=tol, labels=labels)
    if check_productive and _has_negative(A):
        _check_spectral_radius(A, labels)
    elif check_productive and not (_column_sums(A) < 1).all():
        try:
            s = solver.solve(np.ones(solver.n))
        except ConvergenceError as exc:
            raise NotProductiveError(f"A is not productive: {exc}") from None
        if not (s > 0).all():
            i = int(np.flatnonzero(~(s > 0))[0])
            raise NotProductiveError(
                "A is not productive (spectral radius ≥ 1): (I - A)⁻¹·1 is not positive at "
                f"{label_of(i, labels)} ({s[i]:.3g}); {int((~(s > 0)).sum())} sectors in all"
            )
    return solver


def leontief_inverse(A, *, method: Method = "auto", labels: Sequence[str] | None = None) -> np.ndarray:
    """The full Leontief inverse ``L = (I − A)⁻¹`` as a dense array.

    Prefer :func:`solve_output` or the multiplier functions, which never form
    ``L``; form it only when every element is needed.

    References
    ----------
    Miller & Blair (2022), eq. (2.11).

    Examples
    --------
    >>> leontief_inverse([[0.15, 0.25], [0.20, 0.05]]).round(6)
    array([[1.254125, 0.330033],
           [0.264026, 1.122112]])
    """
    return factorize(A, method=method, labels=labels).inverse()


def solve_output(
    A, y, *, method: Method = "auto", tol: float = 1e-10, labels: Sequence[str] | None = None
) -> np.ndarray:
    """Gross output ``x = (I − A)⁻¹ y`` for one demand vector or many (columns), without inverting.

    Parameters
    ----------
    A : array_like or sparse matrix, shape (n, n)
    y : array_like, shape (n,) or (n, k)
    method, tol
        See :func:`factorize`.

    Returns
    -------
    ndarray, shape (n,) or (n, k)

    References
    ----------
    Miller & Blair (2022), eq. (2.10)–(2.12).

    Examples
    --------
    >>> solve_output([[0.15, 0.25], [0.20, 0.05]], [600, 1500]).round(2)
    array([1247.52, 1841.58])
    """
    return factorize(A, method=method, tol=tol, labels=labels).solve(y)


def ghosh_inverse(B, *, method: Method = "auto", labels: Sequence[str] | None = None) -> np.ndarray:
    """The Ghosh inverse ``G = (I − B)⁻¹`` of allocation coefficients ``B``, dense.

    Row sums of ``G`` are the (supply-driven) forward output multipliers;
    ``xᵀ = vᵀ G`` for primary inputs ``v``.

    References
    ----------
    Ghosh (1958); Miller & Blair (2022), §12.1.2, eq. (12.8).

    Examples
    --------
    >>> B = allocation_coefficients([[150, 500], [200, 100]], [1000, 2000])
    >>> ghosh_inverse(B).round(4)
    array([[1.2541, 0.6601],
           [0.132 , 1.1221]])
    """
    return factorize(B, method=method, labels=labels).inverse()


# --------------------------------------------------------------------------- multipliers
def output_multipliers(A, *, method: Method = "auto", labels: Sequence[str] | None = None) -> np.ndarray:
    """Simple output multipliers ``m = 1ᵀ L``: total output in all sectors per unit final demand of j.

    Computed by one transposed solve, not by forming ``L``.

    References
    ----------
    Miller & Blair (2022), §6.2.1, eq. (6.3).

    Examples
    --------
    >>> output_multipliers([[0.15, 0.25], [0.20, 0.05]]).round(4)
    array([1.5182, 1.4521])
    """
    solver = factorize(A, method=method, labels=labels)
    return solver.solve_transposed(np.ones(solver.n))


def intensities(F, x, *, zero_output: ZeroOutput = "raise", labels: Sequence[str] | None = None):
    """Satellite intensities ``f = F x̂⁻¹`` (per unit of output) from totals ``F``.

    Parameters
    ----------
    F : array_like, shape (n,) or (k, n)
        Satellite totals by sector (e.g. CO2 in 万吨), one row per account.
    x : array_like, shape (n,)

    Examples
    --------
    >>> intensities([30.0, 10.0], [1000.0, 2000.0])
    array([0.03 , 0.005])
    """
    inv = inverse_vector(x, zero_output=zero_output, labels=labels)
    F = np.asarray(F, dtype=float)
    if F.shape[-1] != inv.shape[0]:
        raise TableError(f"F has {F.shape[-1]} sector entries but x has {inv.shape[0]}")
    return F * inv


def satellite_multipliers(A, f, *, method: Method = "auto", labels: Sequence[str] | None = None) -> np.ndarray:
    """Total (direct + indirect) satellite multipliers ``M = f L``.

    ``M[k, j]`` is the amount of account k (CO2, energy, jobs …) released in the
    whole economy per unit of final demand for sector j.

    Parameters
    ----------
    A : array_like or sparse, shape (n, n)
    f : array_like, shape (n,) or (k, n)
        Intensities per unit of output (see :func:`intensities`).

    References
    ----------
    Miller & Blair (2022), §6.4 and §10.2 (eq. 10.7, total impact coefficients).

    Examples
    --------
    >>> satellite_multipliers([[0.15, 0.25], [0.20, 0.05]], [0.03, 0.005]).round(6)
    array([0.038944, 0.015512])
    """
    solver = factorize(A, method=method, labels=labels)
    return solver.solve_transposed(np.asarray(f, dtype=float))


def value_added_multipliers(A, v, *, method: Method = "auto", labels: Sequence[str] | None = None) -> np.ndarray:
    """Value-added multipliers ``v L``: value added generated per unit final demand of j.

    ``v`` holds value-added coefficients (value added per unit output). With
    no imports or other primary inputs the multipliers are all 1.

    References
    ----------
    Miller & Blair (2022), §6.2.3.

    Examples
    --------
    >>> value_added_multipliers([[0.15, 0.25], [0.20, 0.05]], [0.65, 0.70]).round(6)
    array([1., 1.])
    """
    return satellite_multipliers(A, v, method=method, labels=labels)


def footprints(A, f, Y, *, method: Method = "auto", labels: Sequence[str] | None = None) -> np.ndarray:
    """Satellite amounts embodied in final demand, ``f L Y``, by final-demand category.

    Parameters
    ----------
    f : array_like, shape (n,) or (k, n)
        Intensities.
    Y : array_like, shape (n,) or (n, c)
        Final demand by category.

    Returns
    -------
    ndarray
        Shape (c,) for one account, (k, c) for k accounts (scalars collapse
        like numpy matrix products).

    References
    ----------
    Miller & Blair (2022), §10.2; Peters & Hertwich (2006).

    Examples
    --------
    >>> footprints([[0.15, 0.25], [0.20, 0.05]], [0.03, 0.005], [[350.0], [1700.0]]).round(4)
    array([40.])
    """
    M = satellite_multipliers(A, f, method=method, labels=labels)
    Y = np.asarray(Y, dtype=float)
    return M @ Y


def closed_coefficients(A, w, hc):
    """Coefficients of the model closed for households, ``Ā = [[A, hc], [wᵀ, 0]]``.

    Parameters
    ----------
    A : array_like, shape (n, n)
    w : array_like, shape (n,)
        Labour income (compensation) per unit of output of each sector.
    hc : array_like, shape (n,)
        Household consumption of each sector's product per unit of labour income.

    Returns
    -------
    ndarray or sparse, shape (n + 1, n + 1)

    References
    ----------
    Miller & Blair (2022), §2.5, eq. (2.24).

    Examples
    --------
    >>> closed_coefficients([[0.15, 0.25], [0.20, 0.05]], [0.3, 0.25], [0.05, 0.4])
    array([[0.15, 0.25, 0.05],
           [0.2 , 0.05, 0.4 ],
           [0.3 , 0.25, 0.  ]])
    """
    A = as_square_matrix("A", A)
    n = A.shape[0]
    w = as_vector("w", w, n)
    hc = as_vector("hc", hc, n)
    if sp.issparse(A):
        return sp.csc_array(sp.bmat([[A, hc[:, None]], [w[None, :], None]]))
    out = np.zeros((n + 1, n + 1))
    out[:n, :n] = A
    out[:n, n] = hc
    out[n, :n] = w
    return out


class IncomeMultipliers(NamedTuple):
    """Household income multipliers (Miller & Blair 2022, §6.3)."""

    simple: np.ndarray
    """Income generated per unit final demand of j in the open model, ``wᵀ L``."""
    type_I: np.ndarray
    """Simple multiplier over the direct income coefficient, ``(wᵀ L)_j / w_j``."""
    type_II: np.ndarray | None
    """Same ratio in the model closed for households, ``(wᵀ L̄)_j / w_j``; None without ``hc``."""


def income_multipliers(
    A, w, hc=None, *, method: Method = "auto", labels: Sequence[str] | None = None
) -> IncomeMultipliers:
    """Type I and type II household income multipliers.

    Parameters
    ----------
    A : array_like, shape (n, n)
    w : array_like, shape (n,)
        Labour income per unit output (must be positive for the ratios).
    hc : array_like, shape (n,), optional
        Household consumption coefficients for the closed model.

    Raises
    ------
    TableError
        If ``w`` is zero somewhere (the ratio is undefined there).

    References
    ----------
    Miller & Blair (2022), §6.3, eqs. (6.12)–(6.16).

    Examples
    --------
    >>> m = income_multipliers([[0.15, 0.25], [0.20, 0.05]], [0.3, 0.25], [0.05, 0.4])
    >>> m.type_I.round(4)
    array([1.4741, 1.5182])
    >>> bool((m.type_II > m.type_I).all())
    True
    """
    A = as_square_matrix("A", A, labels=labels)
    n = A.shape[0]
    w = as_vector("w", w, n, labels=labels)
    inv_w = inverse_vector(w, name="w (labour income coefficients)", labels=labels)
    simple = factorize(A, method=method, labels=labels).solve_transposed(w)
    type_ii = None
    if hc is not None:
        closed = factorize(closed_coefficients(A, w, hc), method=method)
        e = np.zeros(n + 1)
        e[n] = 1.0
        type_ii = closed.solve_transposed(e)[:n] * inv_w
    return IncomeMultipliers(simple=simple, type_I=simple * inv_w, type_II=type_ii)


class MultiplierSplit(NamedTuple):
    """Direct, indirect and induced parts of a satellite multiplier (per unit final demand)."""

    direct: np.ndarray
    indirect: np.ndarray
    induced: np.ndarray | None


def multiplier_split(
    A, f, *, w=None, hc=None, method: Method = "auto", labels: Sequence[str] | None = None
) -> MultiplierSplit:
    """Split satellite multipliers into direct ``f``, indirect ``f L − f`` and induced parts.

    The induced part, ``(f̄ L̄)_{1..n} − f L``, needs the closed model
    (``w`` and ``hc``); it is None otherwise.

    References
    ----------
    Miller & Blair (2022), §6.2.2 and §6.3.

    Examples
    --------
    >>> s = multiplier_split([[0.15, 0.25], [0.20, 0.05]], [0.03, 0.005])
    >>> (s.direct + s.indirect).round(6)
    array([0.038944, 0.015512])
    """
    A = as_square_matrix("A", A, labels=labels)
    n = A.shape[0]
    f = as_vector("f", f, n, labels=labels)
    total = factorize(A, method=method, labels=labels).solve_transposed(f)
    induced = None
    if (w is None) != (hc is None):
        raise TableError("the induced part needs both w (labour income) and hc (household consumption)")
    if w is not None:
        closed = factorize(closed_coefficients(A, w, hc), method=method)
        induced = closed.solve_transposed(np.append(f, 0.0))[:n] - total
    return MultiplierSplit(direct=f, indirect=total - f, induced=induced)
