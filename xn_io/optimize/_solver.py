"""One place where xn_io hands a Pyomo model to HiGHS and reads the answer back.

The Pyomo side uses the persistent HiGHS interface of ``pyomo.contrib.solver``
(registered as ``"highs"``): the first solve hands the whole model over, later
solves of the same model send only what changed (mutable parameters, fixed
variables, bounds), which is what frontiers and sweeps need.

HiGHS reports row duals as ∂objective/∂(active row bound) in the objective's
own sense, for minimisation and maximisation alike; xn_io keeps that
convention everywhere and calls it the *shadow price*.
"""

from __future__ import annotations

import contextlib
import enum
import gc
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pe
import scipy.sparse as sp
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import TerminationCondition

from .._interrupts import deferred_interrupts
from ..errors import ArgumentError, SolverError

__all__ = [
    "Status",
    "SolveOutcome",
    "new_solver",
    "run",
    "run_direct",
    "run_highs",
    "set_highs_options",
    "status_of_highs",
    "no_gc",
]


@contextlib.contextmanager
def no_gc():
    """Pause the cyclic garbage collector while a large model is built.

    Pyomo creates one small object per coefficient; with the collector on,
    its generation scans make building a 1,000-sector dense model ~7× slower
    (measured: 3.1 s → 0.44 s). Nothing built here forms reference cycles that
    need collecting during the build.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Status(enum.Enum):
    """How a solve ended."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible or unbounded"
    TIME_LIMIT = "time limit"
    ITERATION_LIMIT = "iteration limit"
    ERROR = "error"

    @property
    def ok(self) -> bool:
        """True when a proven optimum was found."""
        return self is Status.OPTIMAL


_FROM_PYOMO = {
    TerminationCondition.convergenceCriteriaSatisfied: Status.OPTIMAL,
    TerminationCondition.provenInfeasible: Status.INFEASIBLE,
    TerminationCondition.locallyInfeasible: Status.INFEASIBLE,
    TerminationCondition.unbounded: Status.UNBOUNDED,
    TerminationCondition.infeasibleOrUnbounded: Status.INFEASIBLE_OR_UNBOUNDED,
    TerminationCondition.maxTimeLimit: Status.TIME_LIMIT,
    TerminationCondition.iterationLimit: Status.ITERATION_LIMIT,
}

_FROM_HIGHS = {
    highspy.HighsModelStatus.kOptimal: Status.OPTIMAL,
    highspy.HighsModelStatus.kInfeasible: Status.INFEASIBLE,
    highspy.HighsModelStatus.kUnbounded: Status.UNBOUNDED,
    highspy.HighsModelStatus.kUnboundedOrInfeasible: Status.INFEASIBLE_OR_UNBOUNDED,
    highspy.HighsModelStatus.kTimeLimit: Status.TIME_LIMIT,
    highspy.HighsModelStatus.kIterationLimit: Status.ITERATION_LIMIT,
}


def status_of_highs(model_status) -> Status:
    """Map a ``highspy.HighsModelStatus`` to :class:`Status`."""
    return _FROM_HIGHS.get(model_status, Status.ERROR)


@dataclass(frozen=True)
class SolveOutcome:
    """What one solve returned: status, objective, wall time and the row duals."""

    status: Status
    objective: float | None
    seconds: float
    duals: dict = field(default_factory=dict, repr=False)
    message: str = ""
    reduced_costs: dict = field(default_factory=dict, repr=False)

    @property
    def optimal_objective(self) -> float:
        """The objective value of an optimal solve; :class:`~xn_io.errors.SolverError` if there is none."""
        if self.objective is None:
            raise SolverError(f"the solve ended {self.status.value!r} and has no objective value ({self.message})")
        return self.objective


def new_solver(*, time_limit: float | None = None, threads: int | None = None) -> Any:
    """Return a fresh persistent HiGHS solver object of ``pyomo.contrib.solver``."""
    opt = SolverFactory("highs")
    opt.config.load_solutions = False
    opt.config.raise_exception_on_nonoptimal_result = False
    opt.config.tee = False
    if time_limit is not None:
        opt.config.time_limit = time_limit
    if threads is not None:
        opt.config.threads = threads
    return opt


def run(model, solver=None, *, duals: bool = True, reduced_costs: bool = False) -> SolveOutcome:
    """Solve ``model`` with ``solver`` (a :func:`new_solver`), load primal values, read duals.

    The variables of ``model`` hold the solution afterwards only when the
    status is optimal; otherwise they are left as they were. An "error" or
    unknown status is re-checked with a fresh solver, first with presolve
    off, then with the interior-point method (HiGHS' dual simplex can end
    "error" on a model it then proves infeasible). SIGINT is
    deferred while HiGHS runs: Ctrl-C takes effect when the solve returns.
    """
    opt = solver if solver is not None else new_solver()
    start = time.perf_counter()
    with deferred_interrupts():  # Ctrl-C inside the C++ hand-over can crash the interpreter
        results = opt.solve(model)
    status = _FROM_PYOMO.get(results.termination_condition, Status.ERROR)
    for options in _RECHECKS if status is Status.ERROR else ():
        # HiGHS' dual simplex sometimes ends "error" (or an unknown status) on a model that presolve off or
        # the interior-point method proves infeasible or solves: re-check before calling it a failure.
        retry = new_solver(time_limit=opt.config.time_limit, threads=opt.config.threads)
        retry.config.solver_options.update(options)
        with deferred_interrupts():
            results = retry.solve(model)
        status = _FROM_PYOMO.get(results.termination_condition, Status.ERROR)
        if status is not Status.ERROR:
            break
    seconds = time.perf_counter() - start
    if status is not Status.OPTIMAL:
        return SolveOutcome(status, None, seconds, {}, str(results.termination_condition))
    results.solution_loader.load_vars()
    row_duals = results.solution_loader.get_duals() if duals else {}
    rc = results.solution_loader.get_reduced_costs() if reduced_costs else {}
    objective = results.incumbent_objective
    if objective is None:  # the persistent interface may not report it after an objective swap
        objective = pe.value(next(model.component_data_objects(pe.Objective, active=True)))
    return SolveOutcome(status, float(objective), seconds, row_duals, "", rc)


#: The re-checks of an "error" status, in order: the dual simplex without presolve, then the interior-point
#: method (with crossover, so duals are as usual). Measured case: green-materials-first with a 2028 carbon peak,
#: where the dual simplex stops on "excessive dual values" with and without presolve and the IPM proves it infeasible.
_RECHECKS: tuple[dict[str, str], ...] = ({"presolve": "off"}, {"solver": "ipm"})


def set_highs_options(h: highspy.Highs, options: Mapping[str, Any] | None, *, argument: str = "solver_options") -> None:
    """Set HiGHS options on ``h``, e.g. ``{"solver": "ipm", "run_crossover": "off"}``.

    Every name and value is checked by HiGHS itself: an unknown option, or a
    value of the wrong type or outside the option's range, raises
    :class:`~xn_io.errors.ArgumentError` naming the option (``argument`` names
    the caller's parameter). The options are those of the HiGHS documentation
    (https://ergo-code.github.io/HiGHS/stable/options/definitions/).
    """
    for name, value in (options or {}).items():
        if not isinstance(name, str):
            raise ArgumentError(f"{argument}: option names must be strings, got {name!r}", argument=argument)
        if isinstance(value, (bool, np.bool_)):
            value = bool(value)
        elif isinstance(value, (int, np.integer)):
            value = int(value)
        elif isinstance(value, (float, np.floating)):
            value = float(value)
        try:
            status = h.setOptionValue(name, value)
        except (TypeError, RuntimeError) as exc:
            raise ArgumentError(
                f"{argument}: HiGHS option {name!r} rejects {value!r} ({exc})", argument=argument
            ) from exc
        if status != highspy.HighsStatus.kOk:
            raise ArgumentError(
                f"{argument}: HiGHS has no option {name!r} or rejects the value {value!r} "
                "(see https://ergo-code.github.io/HiGHS/stable/options/definitions/)",
                argument=argument,
            )


def _option(h: highspy.Highs, name: str) -> Any:
    """The current value of a HiGHS option (highspy returns ``(status, value)`` or the value, by version)."""
    value = h.getOptionValue(name)
    return value[1] if isinstance(value, tuple) else value


def run_highs(h: highspy.Highs) -> Status:
    """Run the model passed to ``h``; return its :class:`Status`.

    SIGINT is deferred while HiGHS runs (Ctrl-C takes effect when it returns).
    An "error" or unknown status is re-checked from scratch, first with
    presolve off, then with the interior-point method, before it is believed:
    HiGHS' dual simplex can end "error" on a model that it then proves
    infeasible (or solves).
    """
    with deferred_interrupts():
        h.run()
        status = status_of_highs(h.getModelStatus())
        for options in _RECHECKS if status is Status.ERROR else ():
            saved = {name: _option(h, name) for name in options}
            h.clearSolver()
            for name, value in options.items():
                h.setOptionValue(name, value)
            try:
                h.run()
                status = status_of_highs(h.getModelStatus())
            finally:
                for name, value in saved.items():
                    h.setOptionValue(name, value)
            if status is not Status.ERROR:
                break
    return status


def run_direct(model, *, time_limit: float | None = None, options: Mapping[str, Any] | None = None) -> SolveOutcome:
    """Solve ``model`` once by compiling it to matrices and passing them to highspy in one call.

    Rows held as matrices (:class:`~xn_io.optimize._matrix.MatrixRows`) are
    passed as the CSR arrays they are stored in, with no expression built;
    every other active constraint and the objective go through Pyomo's
    standard-form compiler (about 5× faster than the row-by-row hand-over of
    the persistent interface on large dense models). The columns are all the
    model's variables, fixed ones with both bounds at their value. The
    solution and the row duals are mapped back onto the model's variables and
    constraints. For one-off solves of large models; re-solves go through
    :func:`run`. ``options`` are further HiGHS options (:func:`set_highs_options`).
    """
    from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

    from ._matrix import MatrixRows

    blocks = [
        c for c in model.component_objects(pe.Constraint, active=True, descend_into=True) if isinstance(c, MatrixRows)
    ]
    for block in blocks:
        block.deactivate()
    try:
        with no_gc():
            sf = LinearStandardFormCompiler().write(model, mixed_form=True, set_sense=None)
    finally:
        for block in blocks:
            block.activate()
    objective = sf.objectives[0]
    inf = highspy.kHighsInf
    # matrix blocks first, rows and columns in their own order, then what the compiler found:
    # a model made of one block reaches HiGHS exactly as the block's matrix would directly
    columns: list = []
    position: dict[int, int] = {}
    for v in [v for block in blocks for v in block.variables] + list(sf.columns):
        if id(v) not in position:
            position[id(v)] = len(columns)
            columns.append(v)
    n = len(columns)
    senses = np.array([sense for _, sense in sf.rows], dtype=int)
    rhs = np.asarray(sf.rhs, dtype=float)
    parts, row_lower, row_upper = [], [], []
    for block in blocks:
        cols = np.fromiter((position[id(v)] for v in block.variables), dtype=np.int64, count=len(block.variables))
        M = block.matrix
        parts.append(sp.csr_array((M.data, cols[M.indices], M.indptr), shape=(M.shape[0], n)))
        lower, upper = block.row_bounds
        row_lower.append(np.where(np.isfinite(lower), lower, -inf))
        row_upper.append(np.where(np.isfinite(upper), upper, inf))
    A = sf.A.tocsr()
    compiled_cols = np.fromiter((position[id(v)] for v in sf.columns), dtype=np.int64, count=len(sf.columns))
    parts.append(sp.csr_array((A.data, compiled_cols[A.indices], A.indptr), shape=(A.shape[0], n)))
    row_lower.append(np.where(senses <= 0, rhs, -inf))  # bound_type −1: ≥, 0: =, +1: ≤
    row_upper.append(np.where(senses >= 0, rhs, inf))
    matrix = sp.vstack(parts, format="csc")
    cost = np.zeros(n)
    if sf.c.shape[0]:
        cost[compiled_cols] = sf.c.toarray()[0]
    fixed = [v.fixed for v in columns]
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, matrix.shape[0]
    lp.col_cost_ = cost
    lp.offset_ = float(sf.c_offset[0]) if len(sf.c_offset) else 0.0
    lp.col_lower_ = np.array(
        [v.value if f else (-inf if v.lb is None else v.lb) for v, f in zip(columns, fixed)], dtype=float
    )
    lp.col_upper_ = np.array(
        [v.value if f else (inf if v.ub is None else v.ub) for v, f in zip(columns, fixed)], dtype=float
    )
    lp.row_lower_ = np.concatenate(row_lower)
    lp.row_upper_ = np.concatenate(row_upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.sense_ = highspy.ObjSense.kMaximize if objective.sense == pe.maximize else highspy.ObjSense.kMinimize
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    set_highs_options(h, options)
    h.passModel(lp)
    start = time.perf_counter()
    status = run_highs(h)
    seconds = time.perf_counter() - start
    if not status.ok:
        return SolveOutcome(status, None, seconds, {}, str(h.getModelStatus()))
    sol = h.getSolution()
    for v, value, f in zip(columns, sol.col_value, fixed):
        if not f:
            v.set_value(value, skip_validation=True)
    row_dual = np.asarray(sol.row_dual)
    duals: dict = {}
    offset = 0
    for block in blocks:
        k = len(block)
        duals.update(zip(block.values(), row_dual[offset : offset + k].tolist()))
        offset += k
    for (con, _), dual in zip(sf.rows, row_dual[offset:].tolist()):
        duals[con] = duals.get(con, 0.0) + dual
    return SolveOutcome(status, float(h.getInfo().objective_function_value), seconds, duals)
