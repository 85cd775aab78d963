"""solve(table, scenario) → Plan: build the plan model, hand it to HiGHS, read the plan back."""

from __future__ import annotations

import dataclasses
import time

from ..errors import InfeasibleError, SolverError
from ._solver import Status, new_solver, run
from .model import build_model
from .plan import Plan, extract_plan
from .scenario import Scenario
from .units import check_units, plan_units

__all__ = ["solve", "solve_model"]


def solve_model(m, solver):
    """Solve a built plan model in place; with soft targets, least relative shortfall first.

    Re-solving the same model (a frontier, a sweep) goes through the same
    persistent ``solver``: only changed parameters and bounds are sent again.
    """
    first = None
    if hasattr(m, "shortfall_objective"):
        for t in m.TARGETS:
            m.shortfall[t].setub(None)
        m.objective.deactivate()
        m.shortfall_objective.activate()
        first = run(m, solver, duals=False)
        if first.status.ok:
            for t in m.TARGETS:
                short = max(float(m.shortfall[t].value), 0.0)
                m.shortfall[t].setub(short + 1e-7 * max(1.0, short))
        m.shortfall_objective.deactivate()
        m.objective.activate()
        if not first.status.ok:
            return first
    out = run(m, solver, reduced_costs=True)
    if first is not None:
        out = dataclasses.replace(out, seconds=first.seconds + out.seconds)
    return out


def solve(
    table,
    scenario: Scenario | None = None,
    *,
    time_limit: float | None = None,
    diagnose_infeasible: bool = True,
) -> Plan:
    """Find the best 2026–2030 plan for ``scenario`` on ``table``.

    Parameters
    ----------
    table : IOTable
        The regional table; its year is the base year.
    scenario : Scenario, optional
        Defaults to ``Scenario()``: the plan's targets (soft), GDP in 2030 maximised.
    time_limit : float, optional
        Seconds allowed to HiGHS.
    diagnose_infeasible : bool
        On infeasibility, run :func:`xn_io.optimize.diagnose` and attach its result.

    Returns
    -------
    Plan

    Raises
    ------
    InfeasibleError
        Targets and caps cannot all hold; ``.diagnosis`` says which to relax and by how much.
    SolverError
        Unbounded, time limit or a solver failure.
    ScenarioError, TableError
        The scenario does not fit the table.

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario, solve
    >>> plan = solve(xn_io.load_table("xianning-2025"), Scenario())
    >>> plan.status.value, list(plan.gdp.index)
    ('optimal', [2025, 2026, 2027, 2028, 2029, 2030])
    >>> bool(plan.co2_total[2030] <= plan.co2_total[2029] + 1e-6)   # carbon peak before 2030
    True
    """
    scenario = scenario if scenario is not None else Scenario()
    check_units(table, scenario)
    start = time.perf_counter()
    m = build_model(table, scenario)
    build_seconds = time.perf_counter() - start
    out = solve_model(m, new_solver(time_limit=time_limit))
    if out.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        diagnosis = None
        if diagnose_infeasible:
            from .diagnose import diagnose

            diagnosis = diagnose(table, scenario)
        text = f": {diagnosis.message}" if diagnosis is not None else ""
        raise InfeasibleError(
            f"scenario {scenario.name!r} is infeasible — its targets and caps cannot all hold{text}",
            diagnosis=diagnosis,
        )
    if not out.status.ok:
        raise SolverError(f"scenario {scenario.name!r}: the solve ended {out.status.value} ({out.message})")
    return extract_plan(m, out, build_seconds=build_seconds, reduced_costs=out.reduced_costs,
                        units=plan_units(table, scenario))
