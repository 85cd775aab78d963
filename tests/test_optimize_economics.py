"""An economist's checks of the plan, on the embedded table and every shipped scenario.

Each property is one a reviewer from a development and reform commission would
try (DESIGN.md, "Properties of a believable plan"): no idle builds, a carbon
peak that is a level and is not bought with extra emissions, and results that
move the expected way when the budget or a carbon cap moves. The checks use
the Plan's frames and the scenario, not the model's internals.
"""

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io.optimize import Scenario, builtin_scenarios, solve

TOL = 1e-6


@pytest.fixture(scope="module")
def table():
    return xn_io.load_table("xianning-2025")


@pytest.fixture(scope="module")
def plans(table):
    return {name: solve(table, Scenario.builtin(name)) for name in builtin_scenarios()}


def _floor(plan) -> pd.Series:
    s = plan.scenario
    return pd.Series({sec: s.sector_utilisation_floor.get(sec, s.utilisation_floor) for sec in plan.output.index})


@pytest.mark.parametrize("name", builtin_scenarios())
def test_no_sector_is_invested_in_below_the_utilisation_floor(plans, name):
    plan = plans[name]
    s = plan.scenario
    util = plan.utilisation
    floor = _floor(plan)
    invested = plan.investment.sum(axis=1) > 1e-6
    assert invested.any()
    for sec in invested[invested].index:
        assert util.loc[sec, s.years].min() >= floor[sec] - 1e-7, (sec, util.loc[sec].round(3).tolist())
    # the utilisation reported is output ÷ capacity, recomputed
    np.testing.assert_allclose(util[s.years], plan.output[s.years] / plan.capacity[s.years], rtol=1e-12)


@pytest.mark.parametrize("name", builtin_scenarios())
def test_the_carbon_peak_is_a_level(plans, name):
    plan = plans[name]
    s = plan.scenario
    co2 = plan.co2_total
    for y in s.years:
        if y > s.carbon_peak_year:
            assert co2[y] <= co2[s.carbon_peak_year] + s.carbon_peak_allowance.get(y, 0.0) + 1e-6, y
    assert plan.co2_peak_year <= s.carbon_peak_year


@pytest.mark.parametrize("name", builtin_scenarios())
def test_the_peak_rule_does_not_raise_cumulative_co2(table, plans, name):
    """Switching the peak rule off cannot lower cumulative CO2: the rule is not met by raising earlier years."""
    plan = plans[name]
    s = plan.scenario
    free = solve(table, s.replace(families={**s.families, "carbon_peak": False}))
    years = s.years
    assert plan.co2_total[years].sum() <= free.co2_total[years].sum() + 1e-6 * free.co2_total[years].sum()


def test_a_level_peak_is_stricter_than_a_year_on_year_rule(table):
    """With the peak in 2027, 2029 and 2030 may not exceed 2027 even if each year is below the year before it."""
    s = Scenario(carbon_peak_year=2027)
    plan = solve(table, s)
    co2 = plan.co2_total
    assert max(co2[2028], co2[2029], co2[2030]) <= co2[2027] + 1e-6


def test_a_cumulative_carbon_budget_holds_and_costs_gdp(table):
    s = Scenario(families={"gdp_target": False, "pillar_targets": False, "new_energy": False})
    free = solve(table, s)
    total = free.co2_total[s.years].sum()
    capped = solve(table, s.replace(carbon_budget=0.99 * total))
    assert capped.co2_total[s.years].sum() <= 0.99 * total + 1e-6
    assert capped.objective <= free.objective + 1e-6
    row = capped.constraints[capped.constraints["family"] == "carbon_budget"].iloc[0]
    assert row["binding"] and row["shadow_price"] > 0


def test_the_budget_is_a_ceiling_not_a_target(table):
    """A larger budget never lowers GDP, and the extra money is not all spent where it would sit idle."""
    s = Scenario.builtin("baseline")
    base = solve(table, s)
    more = solve(table, s.replace(family_scale={"budget": 1.5}))
    assert more.objective >= base.objective - 1e-6
    assert more.gdp[s.last_year] >= base.gdp[s.last_year] - 1e-6
    # every sector of the bigger plan still uses its capacity: the extra money cannot build idle plant
    floor = _floor(more)
    assert (more.utilisation[s.years].min(axis=1) >= floor - 1e-7).all()
    spent = more.investment.sum().sum()
    budget = more.constraints[more.constraints["family"] == "budget"]["rhs"].sum()
    assert spent <= budget + 1e-6


def test_a_tighter_carbon_cap_does_not_raise_co2_or_gdp(table):
    s = Scenario(families={"gdp_target": False, "pillar_targets": False, "new_energy": False})
    free = solve(table, s)
    cap = 0.995 * free.co2_total[s.last_year]
    capped = solve(table, s.replace(carbon_caps={s.last_year: cap}))
    assert capped.co2_total[s.last_year] <= cap + 1e-6
    assert capped.objective <= free.objective + 1e-6
