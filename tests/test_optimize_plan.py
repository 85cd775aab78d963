"""The Xianning plan: every reported quantity and constraint recomputed from the Plan's own numbers.

The recomputations use the table and the scenario directly (aggregating the
electricity technologies, the investment-goods mix, growth factors), not the
model's internals, so they check the model as a second implementation would.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xn_io.errors import OverwriteError
from xn_io.optimize import Scenario, solve

SCENARIOS = Path(__file__).resolve().parents[1] / "examples" / "scenarios"
TOL = 1e-6


@pytest.fixture(scope="module")
def baseline(table):
    return solve(table, Scenario.from_toml(SCENARIOS / "baseline.toml"))


@pytest.fixture(scope="module")
def hard(table):
    """A feasible scenario with hard targets and caps, so that every row is a plain constraint."""
    co2, energy, jobs = (table.satellites[k].total for k in ("co2", "energy", "employment"))
    s = Scenario(
        name="hard-feasible",
        target_mode="hard",
        objective="max_gdp_2030",
        gdp_target=2500.0,
        pillar_targets={"modern_equipment": 900.0, "culture_tourism": 200.0},
        carbon_caps={2028: 1.15 * co2, 2030: 1.15 * co2},
        energy_caps={2030: 1.3 * energy},
        labour_limit={2029: 1.3 * jobs},
        co2_intensity_cut=0.05,
        sector_growth_max={"tea": 0.1, "steel": 0.05},
    )
    return solve(table, s)


def _products(table):
    make = pd.Series(table.sectors, index=table.sectors, dtype=object)
    for product, techs in table.technologies.items():
        make[list(techs)] = product
    return make


def _aggregate(frame_by_sector, make):
    return frame_by_sector.groupby(make).sum()


def test_baseline_solves_and_meets_its_families(baseline):
    assert baseline.status.value == "optimal"
    assert list(baseline.gdp.index) == [2025, 2026, 2027, 2028, 2029, 2030]
    assert baseline.gdp[2025] == pytest.approx(2000.0, rel=1e-6)  # the table's official GDP base
    co2 = baseline.co2_total
    assert co2[2030] <= co2[2029] + TOL  # carbon peak before 2030
    assert baseline.co2_peak_year <= 2029


@pytest.mark.parametrize("plan_name", ["baseline", "hard"])
def test_io_balance_holds_year_by_year(request, table, plan_name):
    """Σ_tech x − A x − (investment-goods mix)·(all fixed investment) = local final demand + exports."""
    plan = request.getfixturevalue(plan_name)
    s = plan.scenario
    make = _products(table)
    A_prod = table.A.groupby(make).sum()
    base_inv = table.metadata["estimates"]["final_demand_local_totals"]["gfcf"]
    mix = table.Y["gfcf"].groupby(make).sum() / base_inv
    local = table.Y.drop(columns=["gfcf", "exports"]).sum(axis=1).groupby(make).sum()
    for y in s.years:
        x = plan.output[y]
        lhs = x.groupby(make).sum() - A_prod @ x - mix * (plan.investment[y].sum() + plan.non_capacity_investment[y])
        rhs = local * (1 + s.demand_growth) ** (y - 2025) + plan.exports[y]
        np.testing.assert_allclose(lhs.loc[rhs.index], rhs, atol=1e-5)


def test_capacity_law_and_limit(table, baseline):
    s = baseline.scenario
    kappa = table.satellites["capital"].values / table.x
    delta = table.sector_info["depreciation_rate"]
    cap, x, inv = baseline.capacity, baseline.output, baseline.investment
    for y in s.years[1:] + [s.last_year + 1]:
        np.testing.assert_allclose(cap[y], (1 - delta) * cap[y - 1] + inv[y - 1] / kappa, atol=1e-5)
    for y in s.years:
        assert np.all(x[y] <= cap[y] + TOL)
    # no new hydro sites: hydro capacity is maintained at its 2025 level (depreciation replaced), never expanded
    np.testing.assert_allclose(cap.loc["power_hydro"], table.x["power_hydro"], rtol=1e-9)
    # terminal condition: capacity entering 2031 ≥ (1 + g) × 2030 output, except where capacity cannot grow
    # (hydro: no new sites; coal: dispatched by assumption; solar and wind: bounded by sites)
    fixed = [*s.no_new_capacity, *s.fixed_output, *s.new_energy_sectors]
    grows = [sec for sec in x.index if sec not in fixed]
    assert np.all(cap.loc[grows, 2031] >= (1 + s.terminal_growth) * x.loc[grows, 2030] - TOL)
    # coal power runs as in 2025 (fixed_output), its capacity maintained
    for sec, share in s.fixed_output.items():
        np.testing.assert_allclose(x.loc[sec, s.years], share * table.x[sec], rtol=1e-9)
        np.testing.assert_allclose(cap.loc[sec], table.x[sec], rtol=1e-9)
    # zero-carbon plants run at availability: output = capacity (no curtailment allowed by default)
    for sec in ("power_hydro", "power_solar", "power_wind"):
        np.testing.assert_allclose(x.loc[sec, s.years], cap.loc[sec, s.years], rtol=1e-7)
    # new energy within its sites: Σ 万kW per 亿元 × capacity ≤ the limit in every year
    kw = sum(s.kw_per_output[sec] * cap.loc[sec] for sec in s.new_energy_sectors)
    assert np.all(kw <= s.new_energy_site_limit + 1e-6)
    # no idle builds: every sector uses at least the floor of its capacity, and of 2031's at 2030 output × (1 + g)
    u = pd.Series({sec: s.sector_utilisation_floor.get(sec, s.utilisation_floor) for sec in x.index})
    u[list(s.fixed_output)] = 0.0  # use set by assumption
    for y in s.years:
        assert np.all(x[y] >= u * cap[y] - TOL), y
    assert np.all((1 + s.terminal_growth) * x[2030] >= u * cap[2031] - TOL)


def test_budget_exports_growth_bounds(table, baseline):
    s = baseline.scenario
    base_inv = table.metadata["estimates"]["final_demand_local_totals"]["gfcf"]
    # each product's market grows at its sector's rate in the table (constant market shares)
    market = table.sector_info["outside_market_growth"].drop(["power_coal", "power_hydro", "power_solar", "power_wind"])
    for y in s.years:
        spent = baseline.investment[y].sum() + baseline.non_capacity_investment[y]
        assert spent <= base_inv * (1 + s.budget_growth) ** (y - 2025) + TOL
        # electricity, all of whose technologies are dispatched, is sent out as the balance of supply and use
        e0 = baseline.exports[2025].drop("electricity")
        e = baseline.exports[y].drop("electricity")
        bound = e0 * (1 + market.reindex(e0.index)) ** (y - 2025)
        # existing customers keep buying (the floor) unless their market shrinks below them
        assert np.all(e >= np.minimum(s.export_floor * e0, bound) - TOL)
        assert np.all(e <= bound + TOL)
        assert baseline.exports.loc["electricity", y] >= -TOL
        # growth bounds, except for coal power (output set) and new energy (bounded by sites)
        free = [sec for sec in baseline.output.index if sec not in (*s.fixed_output, *s.new_energy_sectors)]
        x, prev = baseline.output.loc[free, y], baseline.output.loc[free, y - 1]
        gmax = pd.Series({sec: s.sector_growth_max.get(sec, s.growth_max) for sec in x.index})
        assert np.all(x <= (1 + gmax) * prev + TOL)
        assert np.all(x >= (1 - s.decline_max) * prev - TOL)


def test_gdp_co2_energy_pillars_recomputed(table, baseline):
    s = baseline.scenario
    v = table.value_added / table.x
    for y in [2025] + s.years:
        assert baseline.gdp[y] == pytest.approx(float(v @ baseline.output[y]), rel=1e-9)
    for name, frame, rate, by_sector, fixed in (
        ("co2", baseline.co2, s.co2_efficiency, s.sector_co2_efficiency, s.process_co2_share),
        ("energy", baseline.energy, s.energy_efficiency, s.sector_energy_efficiency, {}),
    ):
        sat = table.satellites[name]
        per = sat.values / table.x
        rates = pd.Series({sec: by_sector.get(sec, rate) for sec in per.index})
        share = pd.Series({sec: fixed.get(sec, 0.0) for sec in per.index})
        for y in s.years:
            factor = share + (1 - share) * (1 - rates) ** (y - 2025)
            np.testing.assert_allclose(frame[y].drop("households"), baseline.output[y] * per * factor, atol=1e-8)
            hh = sat.final_demand.sum() * ((1 + s.demand_growth) * (1 - rate)) ** (y - 2025)
            assert frame.loc["households", y] == pytest.approx(hh, rel=1e-9)
        assert frame[2025].sum() == pytest.approx(sat.total, rel=1e-9)
    p = table.pillars
    for pillar, row in baseline.pillars.iterrows():
        rows = p[p["pillar"] == pillar]
        achieved = float((rows["share"].to_numpy() * baseline.output.loc[rows["sector"], 2030].to_numpy()).sum())
        assert row["output_2030"] == pytest.approx(achieved, rel=1e-9)
        assert bool(row["met"]) == (achieved >= row["target"] - 1e-6 * row["target"])
    kw = s.kw_per_output
    ne = sum(kw[sec] * baseline.capacity.loc[sec, 2030] for sec in s.new_energy_sectors)
    assert baseline.targets.loc["new-energy capacity 2030", "achieved"] == pytest.approx(ne, rel=1e-9)


def test_every_reported_constraint_holds_when_recomputed(table, hard):
    """Recompute the left-hand side of every cap and target row from the Plan's frames."""
    s = hard.scenario
    v = table.value_added / table.x
    co2, energy, emp = hard.co2.sum(), hard.energy.sum(), hard.employment.sum()
    gdp = hard.gdp
    p = table.pillars
    assert not hard.constraints.empty
    for _, row in hard.constraints.iterrows():
        fam, item, y = row["family"], row["item"], int(row["year"])
        if fam == "budget":
            lhs = hard.investment[y].sum() + hard.non_capacity_investment[y]
        elif fam == "carbon_cap":
            lhs = co2[y]
        elif fam == "energy_cap":
            lhs = energy[y]
        elif fam == "labour":
            lhs = emp[y]
        elif fam == "carbon_peak":
            lhs = co2[y] - co2[s.carbon_peak_year]
        elif fam == "carbon_budget":
            lhs = co2[s.years].sum()
        elif fam == "carbon_intensity":
            lhs = co2[y] - (1 - s.co2_intensity_cut) * co2[2025] / gdp[2025] * gdp[y]
        elif fam == "gdp_target":
            lhs = float(v @ hard.output[y])
        elif fam == "pillar_targets":
            rows = p[p["pillar"] == item]
            lhs = float((rows["share"].to_numpy() * hard.output.loc[rows["sector"], y].to_numpy()).sum())
        elif fam in ("new_energy", "new_energy_sites"):
            lhs = sum(s.kw_per_output[sec] * hard.capacity.loc[sec, y] for sec in s.new_energy_sectors)
        elif fam == "growth_up":
            g = s.sector_growth_max.get(item, s.growth_max)
            lhs = hard.output.loc[item, y] - (1 + g) * hard.output.loc[item, y - 1]
        elif fam == "growth_down":
            lhs = hard.output.loc[item, y] - (1 - s.decline_max) * hard.output.loc[item, y - 1]
        elif fam == "exports":
            lhs = hard.exports.loc[item, y]
        else:
            raise AssertionError(f"family {fam} not checked")
        assert lhs == pytest.approx(row["lhs"], abs=1e-5, rel=1e-7), (fam, item, y)
        if row["sense"] == "<=":
            assert lhs <= row["rhs"] + 1e-5 * max(1, abs(row["rhs"])), (fam, item, y)
        else:
            assert lhs >= row["rhs"] - 1e-5 * max(1, abs(row["rhs"])), (fam, item, y)
    assert hard.targets["met"].all()
    families = set(hard.constraints["family"])
    assert {
        "budget",
        "carbon_cap",
        "energy_cap",
        "labour",
        "carbon_peak",
        "carbon_intensity",
        "gdp_target",
        "pillar_targets",
        "new_energy",
        "growth_up",
        "exports",
    } <= families


def test_budget_dual_matches_finite_difference(table):
    """Pure LP (no targets): raising one year's budget by ε moves the objective by dual × ε."""
    s = Scenario(
        objective="max_discounted_gdp", families={"gdp_target": False, "pillar_targets": False, "new_energy": False}
    )
    base = solve(table, s)
    row = base.constraints[(base.constraints["family"] == "budget") & (base.constraints["year"] == 2027)].iloc[0]
    eps = 0.5
    budget = {
        y: float(
            base.constraints[(base.constraints["family"] == "budget") & (base.constraints["year"] == y)]["rhs"].iloc[0]
        )
        for y in s.years
    }
    bumped = solve(table, s.replace(budget={**budget, 2027: budget[2027] + eps}))
    assert (bumped.objective - base.objective) / eps == pytest.approx(row["shadow_price"], rel=1e-4, abs=1e-7)
    assert row["unit"] == "亿元 discounted GDP per 亿元 investment"


def test_carbon_dual_has_planner_units(hard):
    row = hard.constraints[hard.constraints["family"] == "carbon_cap"].iloc[0]
    assert row["unit"] == "亿元 GDP per 万吨 CO2"


def test_outputs_tidy_summary_csv(baseline, tmp_path):
    long = baseline.to_frame()
    assert list(long.columns) == ["quantity", "sector", "year", "value", "unit"]
    assert set(long["quantity"]) >= {"output", "investment", "co2", "exports", "gdp"}
    text = baseline.summary()
    assert "GDP by year" in text and "peak in 2029" in text and "pillar big_health" in text
    out = baseline.to_csv(tmp_path / "plan")
    assert (tmp_path / "plan" / "output.csv").exists() and (tmp_path / "plan" / "scenario.toml").exists()
    again = pd.read_csv(tmp_path / "plan" / "output.csv", index_col=0)
    np.testing.assert_allclose(again.to_numpy(), baseline.output.to_numpy())
    with pytest.raises(OverwriteError):
        baseline.to_csv(out)


@pytest.mark.parametrize("objective", ["max_gdp_2030", "min_investment", "min_co2"])
def test_other_objectives_solve_and_keep_their_promises(table, objective):
    s = Scenario(
        objective=objective,
        gdp_target=2600.0,
        gdp_floor=2600.0,
        pillar_targets={"modern_equipment": 1000.0},
        target_mode="hard",
    )
    plan = solve(table, s)
    deflator = (1 + s.price_growth) ** 5  # the plan's targets are at current prices, the model's at 2025 prices
    assert plan.gdp[2030] >= 2600.0 / deflator - 1e-6
    assert plan.pillars.loc["modern_equipment", "output_2030"] >= 1000.0 / deflator - 1e-6
    if objective == "min_investment":
        assert plan.objective == pytest.approx(plan.investment.sum().sum(), rel=1e-8)
    if objective == "min_co2":
        assert plan.objective == pytest.approx(plan.co2_total[s.years].sum(), rel=1e-8)
