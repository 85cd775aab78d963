"""Import substitution as a decision of the plan model: hand case, relaxation, zero bounds, flows."""

import numpy as np
import pandas as pd
import pyomo.environ as pe
import pytest

from xn_io import IOTable
from xn_io.errors import ScenarioError
from xn_io.optimize import Scenario, build_model, plan_data, solve
from xn_io.optimize._solver import new_solver, run
from xn_io.optimize.chain_effects import substitution_effects
from xn_io.optimize.solve import solve_model
from xn_io.optimize.substitution import sector_local_supporting_rate, substitution_pairs

ABC = ["a", "b", "c"]


@pytest.fixture(scope="module")
def abc():
    """Three sectors: c buys 10 of a locally and imports 30 (all of it a, by proportionality); a buys 10 of b.

    x = (50, 40, 100); final demand (all sold outside the region) (40, 30, 100);
    value added = x − regional inputs − imports = (40, 40, 60), so v = (0.8, 1.0, 0.6).
    """
    Z = pd.DataFrame([[0, 0, 10], [10, 0, 0], [0, 0, 0]], index=ABC, columns=ABC, dtype=float)
    Y = pd.DataFrame(
        {"households": [0.0, 0.0, 0.0], "gfcf": [0.0, 0.0, 0.0], "exports": [40.0, 30.0, 100.0]}, index=ABC
    )
    M = pd.DataFrame([[0.0, 0.0, 30.0]], index=["imports"], columns=ABC)
    return IOTable(Z, Y, M=M, year=2025, name="abc")


def _abc_scenario(**kw):
    base = dict(
        objective="max_discounted_gdp",
        families={"budget": False, "growth_bounds": False, "utilisation": False, "terminal": False},
        carbon_peak_year=None,
        demand_growth=0.0,
        export_growth_max=0.0,  # sales outside fixed at their base level: final demand is given
        export_floor=1.0,
        capital_output_ratio=2.0,
        depreciation=0.0,
        spare_capacity=1.0,
        substitution={"a>c": 0.1},
    )
    base.update(kw)
    return Scenario(**base)


@pytest.mark.parametrize("mode", ["allow", "require"])
def test_hand_case_output_changes_by_the_leontief_amount(abc, mode):
    """r_ac = 0.1, a*_ac = 0.4; by 2030 half the gap is closed: a_ac = 0.25.

    x_c = 100 (nothing buys c); x_a = 40 + 0.25·100 = 65; x_b = 30 + (10/50)·65 = 43.
    In 2027 (θ = 0.2): a_ac = 0.16, x_a = 56, x_b = 41.2. GDP 2030 = 0.8·65 + 1·43 + 0.6·100 = 155.
    """
    plan = solve(abc, _abc_scenario(substitution_mode=mode), target_costs=False)
    assert plan.output[2030].tolist() == pytest.approx([65.0, 43.0, 100.0], abs=1e-7)
    assert plan.output[2027].tolist() == pytest.approx([56.0, 41.2, 100.0], abs=1e-7)
    assert plan.gdp[2030] == pytest.approx(155.0, abs=1e-7)
    ls = plan.local_supply.set_index("year")
    assert ls.loc[2030, "local_share"] == pytest.approx(25.0 / 40.0)
    assert ls.loc[2030, "local"] == pytest.approx(25.0) and ls.loc[2030, "outside"] == pytest.approx(15.0)
    assert ls.loc[2030, "base_share"] == pytest.approx(0.25)
    base = solve(abc, _abc_scenario(substitution={}), target_costs=False)
    assert base.output[2030].tolist() == pytest.approx([50.0, 40.0, 100.0], abs=1e-7)
    assert base.local_supply.empty


def test_hand_case_sector_rate(abc):
    """c's intermediate inputs: 10 local + 30 imported = 40 at base; 25 local of 40 in 2030."""
    plan = solve(abc, _abc_scenario(substitution_mode="require"), target_costs=False)
    t = abc.replace(pillars=pd.DataFrame({"sector": ["c"], "pillar": ["chain"], "share": [1.0]}))
    rate = sector_local_supporting_rate(t, plan.output, plan.local_supply)
    assert rate.loc["chain", 2025] == pytest.approx(0.25)
    assert rate.loc["chain", 2030] == pytest.approx(25.0 / 40.0)


@pytest.mark.parametrize("objective", ["max_discounted_gdp", "min_co2"])
def test_zero_bounds_give_todays_model(table, objective):
    """With every bound at the regional coefficient the feasible set is today's: same optimum (LP optima
    may differ in degenerate directions, so the optimal values are compared, and local purchases = r·x)."""
    s = Scenario(substitution_rate=0.1, objective=objective)
    m = build_model(table, s)
    blk = m.substitution
    assert len(blk.PAIRS) > 50
    for p in blk.PAIRS:
        for y in m.YEARS:
            blk.bound[p, y] = blk.pairs.loc[p, "regional"]
    solve_model(m, new_solver())
    ref = build_model(table, s.replace(substitution_rate=0.0))
    assert not hasattr(ref, "substitution")
    solve_model(ref, new_solver())
    assert pe.value(m.objective) == pytest.approx(pe.value(ref.objective), rel=1e-7)
    for p in blk.PAIRS:
        row = blk.pairs.loc[p]
        for y in m.YEARS:
            assert pe.value(blk.local[p, y]) == pytest.approx(
                row["regional"] * pe.value(m.io.x[row["buyer"], y]), abs=1e-6
            )


def test_substitution_is_a_relaxation_and_flows_recompute(table):
    s = Scenario(substitution_rate=0.1)
    plan = solve(table, s, target_costs=False)
    base = solve(table, s.replace(substitution_rate=0.0), target_costs=False)
    assert plan.value >= base.value - 1e-6 * abs(base.value)
    ls = plan.local_supply
    d = plan_data(table, s)
    pairs = substitution_pairs(table, d).loc[ls["pair"]]
    x_buyer = np.array([plan.output.loc[b, y] for b, y in zip(ls["buyer"], ls["year"])])
    # local + outside = a* × buyer's output; share = local / that; within [base share, bound]
    np.testing.assert_allclose(
        ls["local"] + ls["outside"], pairs["technical"].to_numpy() * x_buyer, rtol=1e-7, atol=1e-7
    )
    np.testing.assert_allclose(ls["local_share"], ls["local"] / (pairs["technical"].to_numpy() * x_buyer), rtol=1e-7)
    assert (ls["local_share"] >= ls["base_share"] - 1e-7).all() and (ls["local_share"] <= ls["share_max"] + 1e-7).all()
    # the balance of every product holds with the plan's local purchases in place of the fixed coefficients
    agg = pd.DataFrame(0.0, index=d.products, columns=d.sectors)
    for sec in d.sectors:
        agg.loc[d.make[sec], sec] = 1.0
    extra = ls.assign(extra=ls["local"] - pairs["regional"].to_numpy() * x_buyer)
    extra = extra.groupby(["input", "year"])["extra"].sum().unstack("year").reindex(d.products).fillna(0.0)
    for y in s.years:
        lhs = agg @ plan.output[y] - d.A @ plan.output[y] - d.invest_mix * plan.investment[y].sum() - extra[y]
        rhs = d.demand.loc[y] + plan.exports[y]
        np.testing.assert_allclose(lhs, rhs.loc[lhs.index], atol=1e-6)


def test_require_follows_the_bound_and_effects_attribute(table):
    s = Scenario(
        substitution={"basic_chemicals>new_chemical_materials": 0.1, "basic_chemicals>glass": 0.1},
        substitution_mode="require",
        objective="max_gdp_2030",
    )
    e = substitution_effects(table, s, target_costs=False)
    plan = solve(table, s, target_costs=False)
    ls = plan.local_supply
    np.testing.assert_allclose(ls["local_share"], ls["share_max"], rtol=1e-7)
    theta = np.minimum(1.0, 0.1 * (ls["year"] - 2025))
    np.testing.assert_allclose(ls["share_max"], ls["base_share"] + theta * (1 - ls["base_share"]), rtol=1e-9)
    assert list(e.columns.get_level_values(0).unique()) == ["with", "without", "effect"]
    np.testing.assert_allclose(e["effect"], e["with"] - e["without"])
    assert e.loc[2030, ("with", "gdp")] == pytest.approx(plan.gdp[2030])


def test_scenario_fields_are_checked(table):
    with pytest.raises(ScenarioError, match="input>buyer"):
        Scenario(substitution={"basic_chemicals": 0.1})
    with pytest.raises(ScenarioError, match="substitution_mode"):
        Scenario(substitution_mode="maybe")
    with pytest.raises(ScenarioError, match="substitution_rate"):
        Scenario(substitution_rate=1.5)
    with pytest.raises(ScenarioError, match="no input 'unobtainium'"):
        build_model(table, Scenario(substitution={"unobtainium>steel": 0.1}))
    with pytest.raises(ScenarioError, match="no pillar"):
        build_model(table, Scenario(substitution_rate=0.1, substitution_pillars=["nowhere"]))
    s = Scenario(substitution={"basic_chemicals>steel": 0.2}, substitution_mode="require")
    assert Scenario.from_dict(__import__("tomllib").loads(s.to_toml())) == s


def test_local_supporting_target_binds_and_its_dual_matches_finite_differences(table):
    """CO2 minimised at a hard GDP target: a higher rate than the plan chooses costs CO2 (a binding row)."""
    s = Scenario(
        objective="min_co2",
        families={"pillar_targets": False, "new_energy": False},
        target_mode="hard",
        gdp_target=2600.0,
        substitution_pillars=["green_new_materials"],
        substitution_rate=0.1,
    )
    free = solve(table, s, target_costs=False)
    rate0 = free.local_supporting_rate.loc["green_new_materials", 2030]
    target = rate0 + 0.01
    m = build_model(table, s.replace(local_supporting_target={"green_new_materials": target}))
    out = solve_model(m, new_solver())
    con = m.local_supporting_rate.con["green_new_materials"]
    dual = out.duals[con]
    assert abs(dual) > 1e-6  # binds
    obj0 = pe.value(m.objective)
    # the row is Σ w (l − τ t) x + extra ≥ 0: d obj / d τ = −dual × ∂row/∂τ = dual × Σ w t x
    coefs, x = m.xn_chain, m.io.x
    w = coefs["weights"]["green_new_materials"]
    dtau = 1e-4
    m.local_supporting_rate.level["green_new_materials"] = target + dtau
    run(m, new_solver())  # the carbon peak's level held where solve_model settled it, as the duals do
    fd = (pe.value(m.objective) - obj0) / dtau
    totals = sum(w[j] * coefs["total"][j] * pe.value(x[j, 2030]) for j in w.index[w > 0])
    assert fd == pytest.approx(abs(dual) * totals, rel=1e-3)
    assert fd > 0  # a higher rate costs CO2
    plan = solve(table, s.replace(local_supporting_target={"green_new_materials": target}), target_costs=False)
    assert plan.local_supporting_rate.loc["green_new_materials", 2030] == pytest.approx(target, abs=1e-7)
    assert plan.co2_total.sum() > free.co2_total.sum()


def _codes(spec):
    """NBS product codes of a sector, written independently of the library: 'NBS 043-046;049' → 43..46, 49."""
    out = []
    for part in spec.replace("NBS", "").split(";"):
        lo, _, hi = part.strip().partition("-")
        out += range(int(lo), int(hi or lo) + 1)
    return out


def test_default_pairs_are_manufactured_goods_and_explicit_pairs_may_be_anything(table, abc):
    """Services, mining, utilities and construction (the table's broad sectors and NBS codes) are chain gaps,
    but never default pairs; a scenario can still name them."""
    from xn_io.gaps import chain_gaps

    info = table.sector_info
    services = set(info.index[info["broad_sector"] == "tertiary"])
    mining = {s for s in table.sectors if all(6 <= c <= 11 for c in _codes(info.loc[s, "nbs153"]))}
    utilities_building = {s for s in table.sectors if all(100 <= c <= 108 for c in _codes(info.loc[s, "nbs153"]))}
    not_goods = services | mining | utilities_building
    assert mining == {"mining"} and {"trade", "transport_storage", "power_coal", "construction"} <= not_goods
    pillars = list(dict.fromkeys(table.pillars["pillar"]))
    gaps = set().union(*(chain_gaps(table, p, local_share=None).index for p in pillars))
    assert gaps & services and gaps & mining  # the filter has something to filter
    s = Scenario(substitution_rate=0.1)
    d = plan_data(table, s)
    pairs = substitution_pairs(table, d)
    assert len(pairs) > 50
    makers = {sec for q in pairs["input"].unique() for sec in d.make.index[d.make == q]}
    assert not makers & not_goods, sorted(makers & not_goods)
    assert all(info.loc[sec, "broad_sector"] == "secondary" for sec in makers)
    # every manufactured chain gap with an importing pillar buyer is a default pair
    assert {"basic_chemicals", "steel", "general_machinery"} <= makers
    explicit = {"transport_storage>steel": 0.1, "mining>cement_building_materials": 0.05}
    more = substitution_pairs(table, plan_data(table, s.replace(substitution=explicit)))
    assert set(more.index) == set(pairs.index) | set(explicit)
    assert more.loc["transport_storage>steel", "pillar"] == "scenario"
    assert more.loc["mining>cement_building_materials", "rate"] == 0.05
    # a table without the product codes that tell goods: default pairs cannot be chosen, explicit ones can
    with pytest.raises(ScenarioError, match="nbs153"):
        build_model(abc, _abc_scenario(substitution_rate=0.1, substitution={}))
