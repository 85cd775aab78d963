"""Soft targets that read well: explicit weights, duals for hard rows only, closing costs, a concave frontier.

The oracles are independent re-solves of the whole model through :func:`solve`
(finite differences of the optimum, a scenario that asks for the closed
target directly) and the LP theorem that the optimum is a concave function of
a right-hand side whose slopes the duals at the ends bracket.
"""

import tomllib

import numpy as np
import pytest

from xn_io.errors import ScenarioError
from xn_io.optimize import DEFAULT_SHORTFALL_WEIGHTS, Scenario, frontier, solve


@pytest.fixture(scope="module")
def baseline(table):
    return solve(table, Scenario())


def _budget(plan, year):
    c = plan.constraints
    return c[(c["family"] == "budget") & (c["year"] == year)].iloc[0]


def test_penalty_is_the_weighted_shortfall_and_value_the_lp_optimum(baseline):
    t = baseline.targets
    assert baseline.penalty == pytest.approx(float((t["weight"] * t["shortfall"]).sum()), rel=1e-7, abs=1e-6)
    assert baseline.value == pytest.approx(baseline.objective - baseline.penalty)
    s = baseline.scenario
    keys = ["gdp", *(f"pillar:{p}" for p in s.pillar_targets), "new_energy"]
    assert t["weight"].tolist() == [s.shortfall_weight(k) for k in keys]


def test_dual_of_a_hard_constraint_matches_finite_differences_with_soft_targets(table, baseline):
    """With soft targets on, the budget's shadow price is the slope of the LP optimum (left and right)."""
    year = next(y for y in Scenario().years if _budget(baseline, y)["binding"])
    row = _budget(baseline, year)
    budget = {y: float(_budget(baseline, y)["rhs"]) for y in Scenario().years}
    eps = 0.5
    up = solve(table, Scenario(budget={**budget, year: budget[year] + eps}), target_costs=False)
    down = solve(table, Scenario(budget={**budget, year: budget[year] - eps}), target_costs=False)
    right, left = (up.value - baseline.value) / eps, (baseline.value - down.value) / eps
    assert row["binding"] and row["shadow_price"] > 0
    assert min(left, right) - 1e-6 <= row["shadow_price"] <= max(left, right) + 1e-6
    assert row["shadow_price"] == pytest.approx(right, rel=1e-3)


def test_soft_targets_have_no_shadow_price_hard_ones_do(table, baseline):
    soft = baseline.constraints[baseline.constraints["family"].isin(["gdp_target", "pillar_targets", "new_energy"])]
    assert len(soft) == len(baseline.targets) and soft["shadow_price"].isna().all() and not soft["binding"].any()
    assert not baseline.binding["family"].isin(["gdp_target", "pillar_targets", "new_energy"]).any()
    hard = solve(table, Scenario(target_mode="hard", gdp_target=2500.0, pillar_targets={"modern_equipment": 1100.0}))
    rows = hard.constraints[hard.constraints["family"].isin(["gdp_target", "pillar_targets"])]
    assert rows["shadow_price"].notna().all()


LEVERS = dict(price_growth=0.0, families={"dispatch": False, "utilisation": False, "new_energy_sites": False})


def test_cost_of_closing_a_soft_target_matches_a_resolve(table):
    """Closing the GDP shortfall by 1亿元 costs what a scenario asking for that GDP outright costs."""
    # targets at face value, and coal and new energy free levers (dispatch, utilisation and sites off): the GDP
    # target is missed although it could be closed, because closing it costs more than its weight
    s = Scenario(growth_max=0.6, **LEVERS)
    plan = solve(table, s)
    row = plan.targets.loc["GDP 2030"]
    assert not row["met"] and row["shortfall"] > 1
    assert np.isfinite(row["cost_to_close"]) and np.isnan(row["closable_by"])
    # the oracle: the target moved to what was achieved + 1, held (a weight no plan would pay)
    asked = s.replace(gdp_target=float(row["achieved"]) + 1.0, shortfall_weights={"gdp": 1e4})
    closed = solve(table, asked, target_costs=False)
    assert closed.gdp[2030] == pytest.approx(row["achieved"] + 1.0, abs=1e-5)
    # the LP's value without this target's own penalty, before and after (other targets give way at their weights)
    before = plan.value + row["weight"] * row["shortfall"]
    assert before - closed.value == pytest.approx(row["cost_to_close"], rel=1e-5, abs=1e-6)
    assert row["gdp_cost_to_close"] == pytest.approx(-1.0, abs=1e-6)
    # a target missed only because closing it costs more than its weight
    assert row["cost_to_close"] > row["weight"]


def test_a_target_that_cannot_close_says_how_far_it_can(baseline):
    t = baseline.targets
    missed = t[~t["met"]]
    assert len(missed) and missed["closable_by"].notna().any()
    stuck = missed[missed["closable_by"].notna()]
    assert (stuck["closable_by"] < 1).all() and stuck["cost_to_close"].isna().all()
    assert "at most" in baseline.summary()


def test_weights_are_scenario_data_and_move_the_plan(table, baseline):
    # as above, with one uniform market growth (8 %/yr): GDP missed, and closable at a price
    s = Scenario(shortfall_weights={"gdp": 5.0}, growth_max=0.6, external_demand="uniform", **LEVERS)
    baseline = solve(table, Scenario(growth_max=0.6, external_demand="uniform", **LEVERS), target_costs=False)
    assert s.shortfall_weight("gdp") == 5.0 and s.shortfall_weight("pillar:big_health") == 1.0
    again = Scenario.from_dict(tomllib.loads(s.to_toml()))
    assert again.shortfall_weights == {"gdp": 5.0}
    # a GDP shortfall weighted above its closing cost is closed as far as the plan allows
    heavy = solve(table, s, target_costs=False)
    assert heavy.targets.loc["GDP 2030", "shortfall"] <= baseline.targets.loc["GDP 2030", "shortfall"] - 0.4
    assert DEFAULT_SHORTFALL_WEIGHTS["max_discounted_gdp"]["gdp"] == baseline.targets.loc["GDP 2030", "weight"]


def test_unknown_weight_key_is_named(table):
    with pytest.raises(ScenarioError, match="shortfall_weights.steel"):
        solve(table, Scenario(shortfall_weights={"steel": 1.0}))
    with pytest.raises(ScenarioError, match="shortfall_weights"):
        Scenario(shortfall_weights={"gdp": -1.0})


def test_frontier_slopes_lie_between_the_shadow_prices_at_their_ends(table):
    caps = [3800.0, 3700.0, 3600.0, 3500.0, 3400.0, 3300.0]  # coal power runs as in 2025: CO2 ≥ about 3250
    f = frontier(table, Scenario(), carbon_caps=caps)
    ok = f[f["status"] == "optimal"].sort_values("carbon_cap")
    assert len(ok) >= 5
    value, cap, price = (ok[c].to_numpy() for c in ("value", "carbon_cap", "carbon_price"))
    slopes = np.diff(value) / np.diff(cap)
    tol = 1e-6 * max(1.0, np.abs(price).max())
    for a, b, s in zip(price[:-1], price[1:], slopes):
        assert min(a, b) - tol <= s <= max(a, b) + tol
    # no jump: the price rises steadily as the cap tightens (concavity)
    assert np.all(np.diff(price) <= tol)
    np.testing.assert_allclose(ok["value"], ok["objective"] - ok["penalty"], rtol=1e-9)
