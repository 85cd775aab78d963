"""The GDP-versus-carbon (and energy) trade-off: one model, re-solved for a sequence of caps.

The model is built once with a carbon (and/or energy) cap family whose levels
are mutable parameters; each point changes the levels and re-solves through
the same persistent HiGHS instance, which keeps the model and warm-starts from
the previous basis. No point rebuilds the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import product

import numpy as np
import pandas as pd
import pyomo.environ as pe

from ..errors import ArgumentError, ScenarioError
from ._solver import new_solver
from .model import build_model
from .scenario import Scenario
from .solve import solve_model
from .units import objective_unit, plan_units

__all__ = ["frontier"]

_LOOSE = 1e12  # a cap level that never binds, used to build the family before the sweep


def frontier(
    table,
    scenario: Scenario,
    carbon_caps: Sequence[float] | None = None,
    *,
    energy_caps: Sequence[float] | None = None,
    cap_years: Sequence[int] | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> pd.DataFrame:
    """Solve ``scenario`` for each carbon (and energy) cap and tabulate the trade-off.

    Parameters
    ----------
    table : IOTable
    scenario : Scenario
        The scenario; its own carbon or energy caps in ``cap_years`` are replaced by the swept levels.
    carbon_caps : sequence of float, optional
        CO2 caps, 万吨, applied to each year of ``cap_years``.
    energy_caps : sequence of float, optional
        Energy caps, 万吨标准煤. If both are given, every pair is solved.
    cap_years : sequence of int, optional
        Years the caps apply to (default: the last plan year).
    progress : callable, optional
        Wraps the sequence of points, e.g. ``tqdm.tqdm`` for a progress bar.

    Returns
    -------
    DataFrame
        One row per point: ``carbon_cap``, ``energy_cap``, ``status``,
        ``objective`` (its own value), ``penalty`` (the weighted shortfalls of
        soft targets), ``value`` (the LP's optimum, objective ∓ penalty: a
        concave function of the caps whose slopes the shadow prices bound), ``gdp_<last>``, ``cumulative_gdp``, ``co2_<last>``,
        ``cumulative_co2``, ``energy_<last>``, ``investment``, the shadow prices
        ``carbon_price`` and ``energy_price`` (objective units per 万吨 / 万吨标准煤,
        summed over ``cap_years``) and ``seconds``. Infeasible points keep their
        row with NaNs.

    Raises
    ------
    ScenarioError
        No caps given.
    ArgumentError
        A year of ``cap_years`` outside the plan.

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario, frontier
    >>> t = xn_io.load_table("xianning-2025")
    >>> f = frontier(t, Scenario(), carbon_caps=[5000, 3400])
    >>> list(f["status"])
    ['optimal', 'optimal']
    >>> bool(f["gdp_2030"].iloc[0] >= f["gdp_2030"].iloc[1] - 1e-6)  # a tighter cap cannot raise GDP
    True
    """
    if not carbon_caps and not energy_caps:
        raise ScenarioError("frontier needs carbon_caps or energy_caps", field="carbon_caps")
    years = list(cap_years) if cap_years is not None else [scenario.last_year]
    for y in years:
        if y not in scenario.years:
            raise ArgumentError(f"cap_years: {y} is not a plan year", argument="cap_years")
    changes: dict = {}
    families = dict(scenario.families)
    if carbon_caps:
        changes["carbon_caps"] = {**scenario.carbon_caps, **dict.fromkeys(years, _LOOSE)}
        families["carbon_cap"] = True
    if energy_caps:
        changes["energy_caps"] = {**scenario.energy_caps, **dict.fromkeys(years, _LOOSE)}
        families["energy_cap"] = True
    s = scenario.replace(families=families, **changes)
    m = build_model(table, s)
    last = s.last_year
    solver = new_solver()
    rows = []
    points = list(product(carbon_caps or [np.nan], energy_caps or [np.nan]))
    for c_cap, e_cap in points if progress is None else progress(points):
        for y in years:
            if carbon_caps:
                m.carbon_cap.level[y] = float(c_cap)
            if energy_caps:
                m.energy_cap.level[y] = float(e_cap)
        out = solve_model(m, solver)
        row = {"carbon_cap": c_cap, "energy_cap": e_cap, "status": out.status.value, "objective": np.nan}
        if out.status.ok:
            row.update(
                objective=pe.value(m.objective_value),
                penalty=pe.value(m.shortfall_penalty),
                value=out.objective,
                **{f"gdp_{last}": pe.value(m.gdp[last])},
                cumulative_gdp=sum(pe.value(m.gdp[y]) for y in s.years),
                **{f"co2_{last}": pe.value(m.co2[last])},
                cumulative_co2=sum(pe.value(m.co2[y]) for y in s.years),
                **{f"energy_{last}": pe.value(m.energy[last])},
                investment=sum(pe.value(m.total_investment[y]) for y in s.years),
                carbon_price=sum(out.duals.get(m.carbon_cap.con[y], 0.0) for y in years) if carbon_caps else np.nan,
                energy_price=sum(out.duals.get(m.energy_cap.con[y], 0.0) for y in years) if energy_caps else np.nan,
            )
        row["seconds"] = out.seconds
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs["objective_unit"] = objective_unit(s.objective, plan_units(table, s))
    frame.attrs["cap_years"] = years
    return frame
