"""The static Leontief linear programme, through Pyomo and directly through highspy::

    optimise  c·x
    subject to (I − A) x ≥ d              (one balance row per sector)
               f_k · x ≤ F_k              (capped linear totals: energy, CO2, labour …)
               lo ≤ x ≤ hi

:func:`leontief_lp` solves it through either backend and returns an
:class:`LPResult`. ``backend="pyomo"`` (default) builds a Pyomo model whose
balance rows are one matrix block (:class:`~xn_io.optimize._matrix.MatrixRows`:
the CSR arrays of ``I − A`` kept as they are, each row still a constraint with
``body``, bounds and ``expr``; no Python object per coefficient) and hands it to
HiGHS — by default in one call, the matrix block as arrays and any other rows
through Pyomo's standard-form compiler (``handoff="compiled"``), or through
Pyomo's persistent HiGHS interface (``handoff="persistent"``, row by row; the one
to keep for re-solves). ``backend="highspy"`` passes the matrix straight to
``highspy.Highs`` with no model built (:func:`leontief_lp_highspy` is the same
call). The two backends serve as each other's oracle in the tests and side by
side in the benchmarks.

References
----------
Miller, R. E. & Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., §2.3 (the
Leontief system) and §9.4 (linear programming and input-output).
Dorfman, R., Samuelson, P. & Solow, R. (1958). *Linear Programming and
Economic Analysis*, ch. 9.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np
import pyomo.environ as pe
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression

from .._validation import as_square_matrix, as_vector
from ..errors import ArgumentError, InfeasibleError, SolverError
from ._matrix import MatrixRows
from ._solver import Status, new_solver, no_gc, run, run_direct, run_highs

__all__ = ["LPResult", "leontief_lp", "leontief_lp_highspy"]


@dataclass(frozen=True)
class LPResult:
    """Solution of a static Leontief LP.

    Attributes
    ----------
    status : Status
        How the solve ended (only ``Status.OPTIMAL`` results are returned).
    objective : float
        Optimal value of c·x.
    x : numpy.ndarray
        Gross output by sector.
    net_output : numpy.ndarray
        ``(I − A) x``, the final use the plan delivers (≥ d).
    balance_duals : numpy.ndarray
        Shadow price of each balance row: ∂objective/∂d_i (zero for rows with slack).
    cap_duals : dict[str, float]
        Shadow price of each cap: ∂objective/∂F_k.
    seconds : float
        Wall time of the solve (build excluded).
    """

    status: Status
    objective: float
    x: np.ndarray
    net_output: np.ndarray
    balance_duals: np.ndarray
    cap_duals: dict = field(default_factory=dict)
    seconds: float = 0.0


def _inputs(A, c, demand_min, caps, bounds, sense):
    A = as_square_matrix("A", A)
    n = A.shape[0]
    c = as_vector("c", c, n)
    d = as_vector("demand_min", demand_min, n)
    if sense not in ("max", "min"):
        raise ArgumentError(f"sense must be 'max' or 'min', got {sense!r}", argument="sense")
    cap_rows: dict[str, tuple[np.ndarray, float]] = {}
    for name, spec in (caps or {}).items():
        try:
            coef, limit = spec
        except (TypeError, ValueError):
            raise ArgumentError(
                f"caps[{name!r}] must be a pair (coefficients, limit), got {spec!r}", argument=f"caps[{name!r}]"
            ) from None
        coef = as_vector(f"caps[{name!r}] coefficients", coef, n)
        limit = float(limit)
        if not np.isfinite(limit):
            raise ArgumentError(f"caps[{name!r}] limit must be finite, got {limit}", argument=f"caps[{name!r}]")
        cap_rows[str(name)] = (coef, limit)
    lo, hi = (None, None) if bounds is None else bounds
    lo = np.zeros(n) if lo is None else np.broadcast_to(np.asarray(lo, dtype=float), (n,)).copy()
    hi = np.full(n, np.inf) if hi is None else np.broadcast_to(np.asarray(hi, dtype=float), (n,)).copy()
    if np.any(lo > hi):
        i = int(np.flatnonzero(lo > hi)[0])
        raise ArgumentError(f"bounds: lower {lo[i]:g} exceeds upper {hi[i]:g} at index {i}", argument="bounds")
    M = sp.csr_array(sp.eye(n, format="csr") - sp.csr_array(A))
    return M, c, d, cap_rows, lo, hi


def _fail(status: Status, n: int, sense: str) -> SolverError | InfeasibleError:
    """The error for a solve that ended ``status``: :class:`InfeasibleError` when proven infeasible."""
    if status is Status.INFEASIBLE:
        return InfeasibleError(
            f"the Leontief LP over {n} sectors is infeasible: the demand floors, caps and bounds cannot all hold"
        )
    hint = ""
    if status in (Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED) and sense == "max":
        hint = " (maximising with no cap or upper bound that limits output)"
    return SolverError(f"the Leontief LP over {n} sectors ended {status.value}{hint}")


def _pyomo_model(M, c, d, cap_rows, lo, hi, sense) -> pe.ConcreteModel:
    """The static LP as a Pyomo model: the balance rows one :class:`MatrixRows` block of I − A."""
    n = len(c)
    m = pe.ConcreteModel(name="leontief_lp")
    m.S = pe.RangeSet(0, n - 1)
    upper = [None if np.isinf(h) else h for h in hi.tolist()]
    m.x = pe.Var(m.S, within=pe.Reals, bounds=dict(zip(range(n), zip(lo.tolist(), upper))))
    xs = list(m.x.values())
    m.balance = MatrixRows(M, xs, d, np.inf)
    xs_arr = np.empty(n, dtype=object)
    xs_arr[:] = xs
    m.CAPS = pe.Set(initialize=list(cap_rows), ordered=True)
    m.cap = pe.Constraint(m.CAPS)
    for name, (coef, limit) in cap_rows.items():
        nz = np.flatnonzero(coef)
        m.cap[name] = (
            LinearExpression(constant=0.0, linear_coefs=coef[nz].tolist(), linear_vars=xs_arr[nz].tolist()) <= limit
        )
    nz = np.flatnonzero(c)
    m.objective = pe.Objective(
        expr=LinearExpression(constant=0.0, linear_coefs=c[nz].tolist(), linear_vars=xs_arr[nz].tolist()),
        sense=pe.maximize if sense == "max" else pe.minimize,
    )
    return m


def leontief_lp(
    A,
    c,
    demand_min,
    caps: Mapping[str, tuple] | None = None,
    bounds: tuple | None = None,
    *,
    sense: str = "max",
    backend: str = "pyomo",
    handoff: str = "compiled",
) -> LPResult:
    """Optimise c·x over outputs that deliver at least ``demand_min`` of final use.

    Parameters
    ----------
    A : array_like or sparse, shape (n, n)
        Technical coefficients.
    c : array_like, shape (n,)
        Objective weights per unit of output (value-added coefficients for GDP,
        ones for total output …).
    demand_min : array_like, shape (n,)
        Minimum final use d: ``(I − A) x ≥ d``.
    caps : mapping of str to (array_like, float), optional
        Capped linear totals ``f·x ≤ F``, e.g. ``{"co2": (co2_per_output, 2500.0)}``.
    bounds : (lower, upper), optional
        Bounds on x (scalars or vectors; ``None`` for 0 and +∞).
    sense : {"max", "min"}
        Maximise or minimise c·x.
    backend : {"pyomo", "highspy"}
        ``"pyomo"`` (default) builds a Pyomo model and hands it to HiGHS;
        ``"highspy"`` passes the rows to ``highspy.Highs`` as one matrix, no
        Pyomo model built. Both give the same result (tested against each other).
    handoff : {"compiled", "persistent"}
        How the Pyomo model reaches HiGHS (see the module docstring); ignored
        with ``backend="highspy"``.

    Returns
    -------
    LPResult

    Raises
    ------
    TableError
        Shapes or non-finite entries.
    ArgumentError
        A malformed cap or bound, or an unknown ``sense``, ``backend`` or ``handoff``.
    InfeasibleError
        The demand floors, caps and bounds cannot all hold.
    SolverError
        The LP is unbounded or the solver failed otherwise.

    References
    ----------
    Miller & Blair (2022), §9.4; Dorfman, Samuelson & Solow (1958), ch. 9.

    Examples
    --------
    Minimising total output returns the Leontief solution x = (I − A)⁻¹y
    (Williams 2013, §12.9, the static model):

    >>> A = [[.1, .5, .4], [.1, .1, .2], [.2, .1, .2]]
    >>> r = leontief_lp(A, [1, 1, 1], [60, 60, 30], sense="min")
    >>> r.x.round(2).tolist()
    [166.4, 105.67, 92.31]

    Maximising value added 0.5·x₀ + 0.6·x₁ under a CO2 cap 2·x₀ + 0.5·x₁ ≤ 100:
    the cap and the first balance row bind, so x = (25, 100), and one more
    unit of CO2 is worth 0.6625 / 0.75 ≈ 0.8833 of value added:

    >>> r = leontief_lp([[0.2, 0.1], [0.3, 0.1]], [0.5, 0.6], [10, 10],
    ...                 caps={"co2": ([2.0, 0.5], 100.0)}, bounds=(0, 200))
    >>> r.x.round(6).tolist(), round(r.objective, 4), round(r.cap_duals["co2"], 4)
    ([25.0, 100.0], 72.5, 0.8833)

    The same LP straight through highspy gives the same answer:

    >>> leontief_lp([[0.2, 0.1], [0.3, 0.1]], [0.5, 0.6], [10, 10], caps={"co2": ([2.0, 0.5], 100.0)},
    ...             bounds=(0, 200), backend="highspy").x.round(6).tolist()
    [25.0, 100.0]
    """
    if backend not in ("pyomo", "highspy"):
        raise ArgumentError(f"backend must be 'pyomo' or 'highspy', got {backend!r}", argument="backend")
    if handoff not in ("compiled", "persistent"):
        raise ArgumentError(f"handoff must be 'compiled' or 'persistent', got {handoff!r}", argument="handoff")
    M, c, d, cap_rows, lo, hi = _inputs(A, c, demand_min, caps, bounds, sense)
    if backend == "highspy":
        return _solve_highspy(M, c, d, cap_rows, lo, hi, sense)
    n = len(c)
    with no_gc():
        m = _pyomo_model(M, c, d, cap_rows, lo, hi, sense)
        out = run_direct(m) if handoff == "compiled" else run(m, new_solver())
    if not out.status.ok:
        raise _fail(out.status, n, sense)
    x = np.array([v.value for v in m.x.values()], dtype=float)
    duals = np.array([out.duals.get(row, 0.0) for row in m.balance.values()], dtype=float)
    cap_duals = {name: float(out.duals.get(m.cap[name], 0.0)) for name in cap_rows}
    return LPResult(out.status, out.optimal_objective, x, M @ x, duals, cap_duals, out.seconds)


def leontief_lp_highspy(
    A,
    c,
    demand_min,
    caps: Mapping[str, tuple] | None = None,
    bounds: tuple | None = None,
    *,
    sense: str = "max",
) -> LPResult:
    """``leontief_lp(..., backend="highspy")``: the LP passed to ``highspy.Highs`` as one matrix.

    A thin alias kept for existing code; same parameters (without ``backend``
    and ``handoff``), result and errors as :func:`leontief_lp`.

    Examples
    --------
    >>> A = [[.1, .5, .4], [.1, .1, .2], [.2, .1, .2]]
    >>> r = leontief_lp_highspy(A, [1, 1, 1], [60, 60, 30], sense="min")
    >>> round(r.objective, 2)
    364.38
    """
    return leontief_lp(A, c, demand_min, caps, bounds, sense=sense, backend="highspy")


def _solve_highspy(M, c, d, cap_rows, lo, hi, sense) -> LPResult:
    """The static LP as one column-wise matrix in ``highspy.Highs``."""
    n = len(c)
    rows = sp.vstack([M] + [sp.csr_array(coef[None, :]) for coef, _ in cap_rows.values()], format="csc")
    k = len(cap_rows)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = n + k
    lp.col_cost_ = c
    lp.col_lower_ = lo
    lp.col_upper_ = np.where(np.isinf(hi), highspy.kHighsInf, hi)
    lp.row_lower_ = np.concatenate([d, np.full(k, -highspy.kHighsInf)])
    lp.row_upper_ = np.concatenate([np.full(n, highspy.kHighsInf), [lim for _, lim in cap_rows.values()]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = rows.indptr
    lp.a_matrix_.index_ = rows.indices
    lp.a_matrix_.value_ = rows.data
    lp.sense_ = highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(lp)
    start = time.perf_counter()
    status = run_highs(h)
    seconds = time.perf_counter() - start
    if not status.ok:
        raise _fail(status, n, sense)
    sol = h.getSolution()
    x = np.asarray(sol.col_value)
    row_dual = np.asarray(sol.row_dual)
    cap_duals = {name: float(row_dual[n + q]) for q, name in enumerate(cap_rows)}
    objective = float(h.getInfo().objective_function_value)
    return LPResult(status, objective, x, M @ x, row_dual[:n].copy(), cap_duals, seconds)
