"""An economist's checks of the plan, on the embedded table and every shipped scenario.

Each property is one a reviewer from a development and reform commission would
try (DESIGN.md, "Properties of a believable plan"): no idle builds, a carbon
peak that is a level and is not bought with extra emissions, and results that
move the expected way when the budget or a carbon cap moves. The checks use
the Plan's frames and the scenario, not the model's internals.
"""

import numpy as np
import pandas as pd
import pyomo.environ as pe
import pytest

import xn_io
from xn_io.optimize import FAMILIES, Scenario, builtin_scenarios, solve
from xn_io.optimize._solver import new_solver, run
from xn_io.optimize.model import build_model

TOL = 1e-6


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
def test_the_peak_rule_raises_no_year(table, plans, name):
    """With the peak rule on, no year emits more than with it off: the rule is not met by raising earlier years.

    Hence cumulative CO2 is not higher with the rule (#14 item 5). The rule-off plan is a second solve.
    """
    plan = plans[name]
    s = plan.scenario
    free = solve(table, s.replace(families={**s.families, "carbon_peak": False}), target_costs=False)
    years = s.years
    raised = plan.co2_total[years] - free.co2_total[years]
    assert (raised <= 1e-6 * free.co2_total[years]).all(), raised.round(2).to_dict()
    assert plan.co2_total[years].sum() <= free.co2_total[years].sum() * (1 + 1e-9)


def _rule_off_model(table, scenario):
    return build_model(table, scenario.replace(families={**scenario.families, "carbon_peak": False}))


def test_the_peak_level_is_the_highest_cap_the_peak_year_reaches(table, plans):
    """Oracle by a grid scan (a second implementation, on a 1万吨 grid): the settled level is the highest cap L on
    the years after the peak year at which the plan's own peak-year CO2 reaches L."""
    plan = plans["baseline"]
    s = plan.scenario
    peak = s.carbon_peak_year
    m = _rule_off_model(table, s)
    later = [y for y in s.years if y > peak]
    m.cap = pe.Param(initialize=1e9, mutable=True)
    m.cap_rows = pe.Constraint(later, rule=lambda m, y: m.co2[y] <= m.cap)
    opt = new_solver()
    assert run(m, opt, duals=False).status.ok
    top = max(pe.value(m.co2[y]) for y in later)
    assert pe.value(m.co2[peak]) < top - 1.0  # without the rule, 2030 emits more than 2029: the rule binds
    for cap in np.arange(np.floor(top), top - 300.0, -1.0):
        m.cap.set_value(float(cap))
        assert run(m, opt, duals=False).status.ok
        if pe.value(m.co2[peak]) >= cap:
            break
    else:
        pytest.fail("no cap on the grid is reached by the peak year")
    level = plan.co2_total[peak]
    assert cap - 1e-6 <= level <= cap + 1.0 + 1e-6
    assert plan.co2_total[peak + 1] == pytest.approx(level, rel=1e-6)  # the cap binds (to the settling accuracy)
    row = plan.constraints[plan.constraints["family"] == "carbon_peak"].iloc[0]
    assert row["binding"] and row["shadow_price"] > 0  # a year after the peak emitting more is worth GDP


def test_left_to_itself_the_lp_raises_the_peak_year(table, plans):
    """Why the level is settled outside the LP: one LP with the rule as stated, CO2(2030) ≤ CO2(2029), raises
    2029 above the plan without the rule, and over 2026–2030 emits more than the settled plan."""
    plan = plans["baseline"]
    s = plan.scenario
    peak, years = s.carbon_peak_year, s.years
    m = build_model(table, s)
    assert run(m, new_solver(), duals=False).status.ok  # the stated rule as one LP, no settling
    lp_co2 = pd.Series({y: pe.value(m.co2[y]) for y in years})
    assert lp_co2[peak + 1] <= lp_co2[peak] + 1e-6  # the rule as stated holds
    m_free = _rule_off_model(table, s)
    assert run(m_free, new_solver(), duals=False).status.ok
    assert lp_co2[peak] > pe.value(m_free.co2[peak]) + 1.0  # ... by raising the peak year
    assert plan.co2_total[peak] < lp_co2[peak]
    assert plan.co2_total[years].sum() < lp_co2.sum()


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
    # the LP's value (objective net of the soft targets' shortfall penalty) never falls when a cap is relaxed
    assert more.value >= base.value - 1e-6
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
    assert capped.value <= free.value + 1e-6


@pytest.mark.parametrize("name", builtin_scenarios())
def test_no_zero_carbon_output_is_curtailed_while_coal_runs(plans, name):
    plan = plans[name]
    s = plan.scenario
    assert set(plan.must_run) == {"power_hydro", "power_solar", "power_wind"}  # the table's zero-CO2 technologies
    cap, out = plan.capacity, plan.output
    for y in s.years:
        if out.loc["power_coal", y] > 0:
            for sec in plan.must_run:
                assert out.loc[sec, y] >= (1 - s.curtailment_max) * cap.loc[sec, y] - 1e-7, (sec, y)
    assert plan.curtailment.to_numpy().max() <= 1e-7


def test_curtailment_only_under_the_stated_grid_limit(table):
    s = Scenario(curtailment_max=0.1)
    plan = solve(table, s)
    cut = plan.curtailment
    assert (cut <= 0.1 * plan.capacity.loc[list(plan.must_run), s.years] + 1e-7).all().all()


@pytest.mark.parametrize("name", builtin_scenarios())
def test_coal_power_is_dispatched_by_assumption_with_a_fixed_heat_rate(table, plans, name):
    plan = plans[name]
    s = plan.scenario
    x0 = table.x["power_coal"]
    co2_per_output = table.satellites["co2"].values["power_coal"] / x0
    for y in s.years:
        assert plan.output.loc["power_coal", y] == pytest.approx(s.fixed_output["power_coal"] * x0, rel=1e-9)
        # CO2 per kWh follows the heat rate, which no plan year changes
        assert plan.co2.loc["power_coal", y] / plan.output.loc["power_coal", y] == pytest.approx(
            co2_per_output, rel=1e-9
        )


def test_cement_process_co2_is_fixed_and_sourced(table, plans):
    """The process share is the CEADs Hubei 2019 figure (read again from the source file); it never falls."""
    ceads = pd.read_csv(xn_io.__path__[0] + "/../tables/sources/ceads_co2/hubei_co2_by_sector_fuel_2019.csv")
    rows = ceads[ceads["sector"] == "Nonmetal Mineral Products"].set_index("fuel_or_total")["MtCO2"]
    share = rows["Process"] / rows["Scope 1 Total"]
    plan = plans["baseline"]
    s = plan.scenario
    assert s.process_co2_share["cement_building_materials"] == pytest.approx(share, rel=1e-12)
    per0 = table.satellites["co2"].values["cement_building_materials"] / table.x["cement_building_materials"]
    y = s.last_year
    per = plan.co2.loc["cement_building_materials", y] / plan.output.loc["cement_building_materials", y]
    assert per == pytest.approx(per0 * (share + (1 - share) * (1 - s.co2_efficiency) ** (y - 2025)), rel=1e-9)
    assert per >= share * per0


def test_nominal_targets_are_deflated_by_the_plans_implied_deflator(plans):
    plan = plans["baseline"]
    s = plan.scenario
    # the plan: 2000 → 3000亿元 (nominal) over 2025–2030 with real growth of "about 6 %"
    assert s.price_growth == pytest.approx(1.5 ** (1 / 5) / 1.06 - 1, abs=1e-4)
    gdp = plan.targets.loc["GDP 2030"]
    assert gdp["target"] == pytest.approx(3000.0 / (1 + s.price_growth) ** 5, rel=1e-9)
    assert "2025 prices" in plan.summary()


@pytest.mark.parametrize("name", builtin_scenarios())
def test_electricity_adjusted_co2_removes_electricity_sent_out(table, plans, name):
    plan = plans[name]
    techs = table.technologies["electricity"]
    acc = plan.co2_accounts
    for y in plan.gdp.index:
        per_unit = plan.co2.loc[techs, y].sum() / plan.output.loc[techs, y].sum()
        sent = plan.exports.loc["electricity", y] * per_unit
        assert acc.loc[y, "production"] == pytest.approx(plan.co2_total[y], rel=1e-12)
        assert acc.loc[y, "electricity_adjusted"] == pytest.approx(plan.co2_total[y] - sent, rel=1e-9)
    assert (acc["sent_out"] > 0).all()  # Xianning sends most of its coal power to the provincial grid


@pytest.mark.parametrize("family", [f for f in FAMILIES])
def test_switching_any_single_family_off_leaves_a_feasible_model(table, family):
    s = Scenario.builtin("baseline")
    plan = solve(table, s.replace(families={**s.families, family: False}), diagnose_infeasible=False)
    assert plan.status.value == "optimal"


def test_terminal_conditions_do_not_curtail_sectors_that_cannot_grow(plans):
    """Hydro (no new sites) runs at its full, maintained capacity in the last year as in every year."""
    for plan in plans.values():
        s = plan.scenario
        for sec in s.no_new_capacity:
            assert plan.utilisation.loc[sec, s.last_year] == pytest.approx(1.0, abs=1e-7)


# --------------------------------------------------------------- investment follows need
def test_the_objective_deducts_the_investment_spendings_own_value_added(table):
    """m_I = v (I − A)⁻¹ b, recomputed with numpy's dense inverse (a second implementation)."""
    from xn_io.optimize.model import plan_data

    d = plan_data(table, Scenario())
    A = table.Z.to_numpy() / table.x.to_numpy()
    v = table.V.sum().to_numpy() / table.x.to_numpy()
    b = table.Y["gfcf"].to_numpy() / table.metadata["estimates"]["final_demand_local_totals"]["gfcf"]
    expected = v @ np.linalg.inv(np.eye(len(A)) - A) @ b
    assert d.investment_va == pytest.approx(expected, rel=1e-9)
    assert 0 < d.investment_va < 1  # part of the spending leaks out of the region


@pytest.mark.parametrize("name", builtin_scenarios())
def test_capacity_is_built_only_where_it_is_used(plans, name):
    """Duchin–Szyld in spirit: a sector that adds capacity uses (almost) all of it in the year it arrives.

    Almost: where the budget binds in a later year, capacity for that year may be built a year early and
    wait (by at most 2 % of the sector's capacity).
    The capacity arriving in the last plan year is held to the utilisation floor only (tested above): there
    the finite horizon ends the investment path, and where investment grew faster than the terminal condition
    asks (high-investment), construction and its suppliers fall in the last year.
    """
    plan = plans[name]
    s = plan.scenario
    for y in s.years[:-2]:
        built = plan.investment[y] > 1e-6  # capacity arriving in y + 1
        used = plan.utilisation[y + 1]
        idle = used[built & (used < 0.98)]
        assert idle.empty, (y + 1, idle.round(3).to_dict())


def test_spending_is_not_rewarded_for_its_own_sake(table):
    """With the targets off, a budget three times larger buys nothing: the plan is the same, the money unspent."""
    s = Scenario(families={"gdp_target": False, "pillar_targets": False, "new_energy": False, "budget": False})
    free = solve(table, s)
    rich = solve(table, s.replace(families={**s.families, "budget": True}, family_scale={"budget": 3.0}))
    assert rich.investment.sum().sum() == pytest.approx(free.investment.sum().sum(), rel=1e-6)
    budget = rich.constraints[rich.constraints["family"] == "budget"]
    assert (budget["lhs"] < budget["rhs"] - 1.0).all()  # a ceiling, not a target
    assert rich.gdp.iloc[-1] == pytest.approx(free.gdp.iloc[-1], rel=1e-6)


SOFT = [n for n in builtin_scenarios() if Scenario.builtin(n).target_mode == "soft"]


@pytest.mark.parametrize("name", SOFT)
def test_a_missed_soft_target_costs_more_to_close_than_its_weight(plans, name):
    """LP optimality: were closing a unit cheaper than its weight, the optimum would have closed it."""
    t = plans[name].targets
    missed = t[(t["shortfall"] > 1e-6) & t["cost_to_close"].notna()]
    assert not missed.empty
    assert (missed["cost_to_close"] >= missed["weight"] - 1e-6).all(), missed[["weight", "cost_to_close"]]


@pytest.mark.parametrize("name", builtin_scenarios())
def test_every_shipped_scenario_moves_the_expected_way(table, plans, name):
    """Relaxations never make the optimum worse, restrictions never make it better (LP monotonicity), on each
    shipped scenario: a larger budget, a gain in market share outside the region, a tighter 2030 carbon cap."""
    base = plans[name]
    s = base.scenario
    better = 1.0 if s.objective.startswith("max") else -1.0
    relaxed = {
        "budget": s.replace(family_scale={**s.family_scale, "budget": 1.2}),
        "external demand": s.replace(market_share_gain=s.market_share_gain + 0.01),
    }
    for what, scenario in relaxed.items():
        plan = solve(table, scenario, target_costs=False)
        assert better * plan.value >= better * base.value - 1e-6 * abs(base.value), what
    cap = 0.98 * base.co2_total[s.last_year]
    try:
        capped = solve(table, s.replace(carbon_caps={**s.carbon_caps, s.last_year: cap}), target_costs=False)
    except xn_io.InfeasibleError:
        return  # hard targets that a tighter cap cannot leave room for: worse than any plan
    assert capped.co2_total[s.last_year] <= cap + 1e-6
    assert better * capped.value <= better * base.value + 1e-6 * abs(base.value)
