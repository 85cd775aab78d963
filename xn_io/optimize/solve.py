"""solve(table, scenario) → Plan: build the plan model, hand it to HiGHS, read the plan back."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pyomo.environ as pe

from ..errors import InfeasibleError, SolverError
from ._peak import has_peak_level, settle_peak
from ._solver import Status, new_solver, run
from .model import build_model
from .plan import Plan, extract_plan
from .scenario import Scenario
from .units import check_units, plan_units

__all__ = ["solve", "solve_model", "closing_costs"]


def solve_model(m, solver):
    """Solve a built plan model in place (one LP; soft targets are priced in its objective).

    Re-solving the same model (a frontier, a sweep) goes through the same
    persistent ``solver``: only changed parameters and bounds are sent again.
    A carbon peak in a plan year is settled as a cap the plan reaches on its
    own, by a few warm-started re-solves (:func:`~xn_io.optimize._peak.settle_peak`).
    """
    if has_peak_level(m):
        return settle_peak(m, lambda final: run(m, solver, duals=final, reduced_costs=final))
    return run(m, solver, reduced_costs=True)


def solve(
    table,
    scenario: Scenario | None = None,
    *,
    time_limit: float | None = None,
    diagnose_infeasible: bool = True,
    target_costs: bool = True,
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
    target_costs : bool
        For each soft target missed, re-solve with its shortfall one unit
        smaller and report what that costs (``Plan.targets`` columns
        ``cost_to_close``, ``gdp_cost_to_close``, ``closable``). Default True;
        many-solve analyses switch it off.

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
    solver = new_solver(time_limit=time_limit)
    out = solve_model(m, solver)
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
    plan = extract_plan(
        m, out, build_seconds=build_seconds, reduced_costs=out.reduced_costs, units=plan_units(table, scenario)
    )
    if target_costs and scenario.target_mode == "soft" and len(plan.targets):
        plan = dataclasses.replace(plan, targets=closing_costs(m, solver, plan.targets))
    return plan


def closing_costs(m, solver, targets):
    """``targets`` with what closing each missed soft target by one unit costs, by re-solving ``m``.

    For each target short by σ > 0, the shortfall is held at ``σ − step``
    (``step`` = one unit of the target, in its unit) and the model re-solved
    on the same persistent ``solver``; other soft targets may give way, at
    their weights. ``cost_to_close`` is the objective given up per unit closed
    (for a minimising objective: the objective added), plus what the other soft
    targets lose at their weights, in objective units — never below 0 at an
    optimum, and at most the target's own weight;
    ``gdp_cost_to_close`` the last-year GDP given up per unit. If no plan
    closes a full unit, the costs are NaN and one more re-solve (least
    shortfall) finds how far the target can be closed at all: ``closable_by``
    (in the target's unit; NaN when a full unit could be closed).
    The model is restored (its values are those of the last re-solve).
    """
    last = m.xn_data.last_year
    sign = 1.0 if m.objective.sense == pe.maximize else -1.0
    base_obj, base_gdp = pe.value(m.objective_value), pe.value(m.gdp[last])

    def others_penalty(key):  # what the other soft targets cost at their weights
        return sum(pe.value(m.shortfall_weight[t]) * (m.shortfall[t].value or 0.0) for t in m.TARGETS if t != key)

    base_pen = {key: others_penalty(key) for key in m.TARGETS}
    frame = targets.copy()
    frame["cost_to_close"], frame["gdp_cost_to_close"], frame["closable_by"] = np.nan, np.nan, np.nan
    for key, name in zip(list(m.TARGETS), targets.index):
        short = float(targets.loc[name, "shortfall"])
        tol = 1e-6 * max(1.0, abs(float(targets.loc[name, "target"])))
        if short <= tol:
            continue
        var = m.shortfall[key]
        current = short  # the plan's shortfall (the variable holds the last re-solve's value)
        step = min(1.0, short)
        var.setub(max(current - step, 0.0))
        try:
            out = run(m, solver, duals=False)
            if not out.status.ok:  # not a full unit: how far can it close at all?
                var.setub(None)
                m.objective.deactivate()
                m.closing_objective = pe.Objective(expr=var, sense=pe.minimize)
                try:
                    least = run(m, solver, duals=False)
                finally:
                    m.del_component(m.closing_objective)
                    m.objective.activate()
                frame.loc[name, "closable_by"] = max(current - float(var.value), 0.0) if least.status.ok else 0.0
                continue
        finally:
            var.setub(None)
        given_up = sign * (base_obj - pe.value(m.objective_value)) + others_penalty(key) - base_pen[key]
        frame.loc[name, "cost_to_close"] = given_up / step
        frame.loc[name, "gdp_cost_to_close"] = (base_gdp - pe.value(m.gdp[last])) / step
    return frame
