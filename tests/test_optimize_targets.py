"""The plan's further targets as families: each binds in a scenario, its dual matches finite differences,
and a target that cannot hold is named by the diagnosis and by the clash finder."""

import pyomo.environ as pe
import pytest

from xn_io.errors import ScenarioError
from xn_io.optimize import Scenario, build_model, diagnose, solve
from xn_io.optimize._solver import new_solver, run
from xn_io.optimize.clashes import target_clashes
from xn_io.optimize.solve import solve_model
from xn_io.optimize.targets import TARGET_FAMILIES, industry_sectors

GREEN_EQUIP = [
    "steel",
    "cement_building_materials",
    "glass",
    "new_chemical_materials",
    "auto_parts",
    "electrical_machinery",
    "electronics_optoelectronics",
    "special_machinery",
    "general_machinery",
]
BASE = dict(families={"pillar_targets": False, "new_energy": False, "gdp_target": False})
# CO2 minimised at a hard GDP target: the materials and equipment sectors, which the GDP objective drives to
# their market bounds, are then free to move, so output targets on them bind
MIN_CO2 = dict(
    families={"pillar_targets": False, "new_energy": False},
    objective="min_co2",
    target_mode="hard",
    gdp_target=2600.0,
)
SETTING = {
    "cluster_output": MIN_CO2,
    "cluster_share": MIN_CO2,
    "chain_leader_output": MIN_CO2,
    "energy_intensity": BASE,
    "consumption_rate": BASE,
}


@pytest.fixture(scope="module")
def free(table):
    """The plan without the soft plan targets: the reference the new targets are tightened against."""
    return solve(table, Scenario(**BASE), target_costs=False)


@pytest.fixture(scope="module")
def free_min_co2(table):
    return solve(table, Scenario(**MIN_CO2), target_costs=False)


def _achieved(plan, family, table):
    y = plan.scenario.last_year
    x = plan.output[y]
    energy = plan.energy[y].sum()
    if family == "cluster_output":
        return x[GREEN_EQUIP].sum()
    if family == "cluster_share":
        return x[GREEN_EQUIP].sum() / x[industry_sectors(table)].sum()
    if family == "chain_leader_output":
        return 0.7 * x["steel"] + 0.6 * x["glass"]
    if family == "energy_intensity":
        return energy / plan.gdp[y]
    if family == "consumption_rate":
        return table.Y["households"].sum() * 1.06 ** (y - 2025) / plan.gdp[y]
    raise KeyError(family)


# family → (scenario changes making it bind, derivative of the row in its level at the solution)
def _binding(family, plan, table):
    d = (1 + plan.scenario.price_growth) ** 5
    a = _achieved(plan, family, table)
    if family == "cluster_output":
        return dict(cluster_output_target=1.03 * a * d)
    if family == "cluster_share":
        return dict(cluster_industry_share=a + 0.01)
    if family == "chain_leader_output":
        return dict(chain_leader_shares={"steel": 0.7, "glass": 0.6}, chain_leader_output_target=1.03 * a * d)
    if family == "energy_intensity":
        e0 = table.satellites["energy"].total / table.gdp
        return dict(energy_intensity_cut=1 - 0.98 * a / e0)
    if family == "consumption_rate":
        return dict(consumption_rate_rise=a - table.Y["households"].sum() / table.gdp + 0.005)
    raise KeyError(family)


def _row_slope(m, family):
    """∂(row body)/∂level at the solution: the row is body(level) ≥ 0 or ≤ 0 (or body ≥ level)."""
    last = m.xn_data.last_year
    if family in ("cluster_output", "chain_leader_output"):
        return 1.0
    if family == "cluster_share":
        return sum(pe.value(m.io.x[j, last]) for j in industry_sectors(m.xn_table))
    if family in ("energy_intensity", "consumption_rate"):
        return pe.value(m.gdp[last])
    if family == "non_fossil_share":
        return pe.value(m.energy[last])
    raise KeyError(family)


FAMILIES_FD = ["cluster_output", "cluster_share", "chain_leader_output", "energy_intensity", "consumption_rate"]


@pytest.mark.parametrize("family", FAMILIES_FD)
def test_family_binds_and_its_dual_matches_finite_differences(table, free, free_min_co2, family):
    ref = free_min_co2 if SETTING[family] is MIN_CO2 else free
    s = Scenario(**SETTING[family], **_binding(family, ref, table))
    m = build_model(table, s)
    m.xn_table = table
    out = solve_model(m, new_solver())
    blk = getattr(m, family)
    (idx,) = list(blk.con)
    dual = out.duals[blk.con[idx]]
    assert abs(dual) > 1e-6, "the row should bind"
    obj0 = pe.value(m.objective)
    slope = _row_slope(m, family)
    level0 = pe.value(blk.level[idx])
    step = 1e-4 * max(abs(level0), 1e-2) * (-1 if family == "energy_intensity" else 1)  # tighten: a cap falls
    fds = []
    # re-solves hold the carbon peak's level where solve_model settled it, as the duals do
    for sign in (1, -1):  # one-sided differences: the dual lies between them (they agree unless degenerate)
        blk.level[idx] = level0 + sign * step
        run(m, new_solver())
        fds.append(sign * (pe.value(m.objective) - obj0) / abs(step))
    blk.level[idx] = level0 + step
    run(m, new_solver())
    predicted = abs(dual) * slope
    lo, hi = sorted(abs(f) for f in fds)
    assert lo * (1 - 2e-3) <= predicted <= hi * (1 + 2e-3)
    worse = pe.value(m.objective) < obj0 if m.objective.sense == pe.maximize else pe.value(m.objective) > obj0
    assert worse  # tightening a binding target costs GDP (or CO2)


def test_non_fossil_share_binds(table, free):
    y = 2030
    m0 = build_model(table, Scenario(**BASE, non_fossil_share_min=0.0))
    solve_model(m0, new_solver())
    share_free = 1 - pe.value(m0.fossil_energy[y]) / pe.value(m0.energy[y])
    s = Scenario(**BASE, non_fossil_share_min=share_free + 0.01)
    m = build_model(table, s)
    out = solve_model(m, new_solver())
    assert abs(out.duals[m.non_fossil_share.con[y]]) > 1e-6
    share = 1 - pe.value(m.fossil_energy[y]) / pe.value(m.energy[y])
    assert share == pytest.approx(share_free + 0.01, abs=1e-7)
    assert pe.value(m.gdp[y]) < free.gdp[y]


def test_fossil_energy_peak_holds(table):
    s = Scenario(**BASE, fossil_energy_peak_year=2027)
    m = build_model(table, s)
    solve_model(m, new_solver())
    f = [pe.value(m.fossil_energy[y]) for y in m.YEARS]
    assert max(f[2:]) <= f[1] + 1e-6


def test_targets_csv_rows_exist():
    import csv
    from pathlib import Path

    with open(Path(__file__).parents[1] / "tables/sources/xianning_plan/targets.csv", encoding="utf-8") as f:
        rows = {r["id"] for r in csv.DictReader(f)}
    assert {v for v in TARGET_FAMILIES.values() if v} <= rows


def test_fields_are_checked(table):
    with pytest.raises(ScenarioError, match="cluster_industry_share"):
        Scenario(cluster_industry_share=1.5)
    with pytest.raises(ScenarioError, match="chain_leader_shares"):
        build_model(table, Scenario(chain_leader_output_target=1000.0))
    with pytest.raises(ScenarioError, match="no sector 'nowhere'"):
        build_model(table, Scenario(cluster_sectors=["nowhere"], cluster_output_target=1800.0))


def test_impossible_cluster_share_is_diagnosed_and_clashes_with_the_agrifood_pillar(table):
    """Clusters (green materials and equipment) ≥ 90 % of industry cannot hold with agrifood ≥ 1000亿元."""
    s = Scenario(
        families={"gdp_target": False, "new_energy": False},
        pillar_targets={"modern_agrifood_processing": 1000.0},
        cluster_industry_share=0.9,
        target_mode="hard",
    )
    d = diagnose(table, s)
    assert d.feasible and "cluster_share" in set(d.relaxations["family"])
    c = target_clashes(table, s)
    assert {"cluster_share"} <= set(c["first"]) | set(c["second"])


def test_the_coverage_table_lists_every_target():
    import csv
    from pathlib import Path

    root = Path(__file__).parents[1]
    with open(root / "tables/sources/xianning_plan/targets.csv", encoding="utf-8") as f:
        ids = [r["id"] for r in csv.DictReader(f)]
    doc = (root / "docs/user_guide/plan_targets.md").read_text(encoding="utf-8")
    table = doc[doc.index("(plan-target-coverage)=") :]
    assert len(ids) == 49
    assert [i for i in ids if f"| `{i}` |" not in table] == []
    for family in TARGET_FAMILIES:
        assert f"`{family}`" in table or family in ("energy_intensity",), family
