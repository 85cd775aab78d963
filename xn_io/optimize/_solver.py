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

import enum
import time
from dataclasses import dataclass, field
from typing import Any

import highspy
from pyomo.contrib.solver.common.factory import SolverFactory
from pyomo.contrib.solver.common.results import TerminationCondition

__all__ = ["Status", "SolveOutcome", "new_solver", "run", "status_of_highs"]


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
    status is optimal; otherwise they are left as they were.
    """
    opt = solver if solver is not None else new_solver()
    start = time.perf_counter()
    results = opt.solve(model)
    seconds = time.perf_counter() - start
    status = _FROM_PYOMO.get(results.termination_condition, Status.ERROR)
    if status is not Status.OPTIMAL:
        return SolveOutcome(status, None, seconds, {}, str(results.termination_condition))
    results.solution_loader.load_vars()
    row_duals = results.solution_loader.get_duals() if duals else {}
    rc = results.solution_loader.get_reduced_costs() if reduced_costs else {}
    return SolveOutcome(status, float(results.incumbent_objective), seconds, row_duals, "", rc)
