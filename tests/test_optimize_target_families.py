"""Every target family of issue #16: it binds, its dual matches finite differences, and when it cannot
hold the diagnosis names it and the amount by which it must give way (for the share-type families also
in the target's own unit), and the relaxation it reports, applied, restores feasibility.

Coverage by family (the rest of the oracles live in ``test_optimize_targets.py`` and
``test_optimize_substitution.py``):

=========================  =========================  ===========================  ==================
family                     binds + dual vs FD         cannot hold → diagnosis      scenario field
=========================  =========================  ===========================  ==================
``non_fossil_share``       here                       here                         non_fossil_share_min
``carbon_intensity``       here                       here                         co2_intensity_cut
``energy_intensity``       test_optimize_targets      here                         energy_intensity_cut
``fossil_energy_peak``     here                       here                         fossil_energy_peak_year
``consumption_rate``       test_optimize_targets      here                         consumption_rate_rise
``cluster_output``         test_optimize_targets      here                         cluster_output_target
``cluster_share``          test_optimize_targets      here                         cluster_industry_share
``chain_leader_output``    test_optimize_targets      here                         chain_leader_output_target
``pillar_targets``         here (culture_tourism)     here (culture_tourism)       pillar_targets
``local_supporting_rate``  test_optimize_substitution here                         local_supporting_target
=========================  =========================  ===========================  ==================

The oracle of the diagnosis: with only the tested family's row over-tightened (every other
target and cap switched off or slack), the smallest relaxation of that row is how far the
model can come to the row when it tries its best — one LP that maximises the row's body
(≥ row) or minimises it (≤ row) with the row dropped and everything else kept, written here
independently of the elastic programme of :mod:`xn_io.optimize.diagnose`.
"""

import pyomo.environ as pe
import pytest

from xn_io.errors import InfeasibleError
from xn_io.optimize import Scenario, build_model, diagnose, solve
from xn_io.optimize._solver import new_solver, run
from xn_io.optimize.solve import solve_model

# the plan without its soft targets: nothing but the new row can bind against the GDP objective
BASE = dict(families={"pillar_targets": False, "new_energy": False, "gdp_target": False})


@pytest.fixture(scope="module")
def free(table):
    """The BASE plan, solved, with the fossil-energy expressions built (a slack non-fossil row at 0)."""
    m = build_model(table, Scenario(**BASE, non_fossil_share_min=0.0))
    assert solve_model(m, new_solver()).status.ok
    return m


# CO2 minimised at a hard GDP target: the sectors that the GDP objective drives to their market bounds are free
# to move, so an output target on them (the culture & tourism pillar) can bind
MIN_CO2 = dict(
    families={"pillar_targets": False, "new_energy": False},
    objective="min_co2",
    target_mode="hard",
    gdp_target=2600.0,
)


@pytest.fixture(scope="module")
def free_min_co2(table):
    m = build_model(table, Scenario(**MIN_CO2))
    assert solve_model(m, new_solver()).status.ok
    return m


def _binding(family, m):
    """Scenario changes that make ``family`` bind, from the free plan ``m``; and the row's index (None: the
    row with the largest dual)."""
    d = m.xn_data
    y = d.last_year
    v = lambda e: float(pe.value(e))
    if family == "non_fossil_share":
        share = 1 - v(m.fossil_energy[y]) / v(m.energy[y])
        return dict(BASE, non_fossil_share_min=share + 0.01), y
    if family == "carbon_intensity":
        intensity = v(m.co2[y]) / v(m.gdp[y])
        return dict(BASE, co2_intensity_cut=1 - 0.98 * intensity * d.gdp0 / d.co2_0), y
    if family == "fossil_energy_peak":
        return dict(BASE, fossil_energy_peak_year=d.base_year), None  # fossil energy no higher than in 2025
    if family == "pillar_targets":
        target = 1.03 * v(m.pillar_output["culture_tourism"]) * d.deflator
        families = dict(MIN_CO2["families"], pillar_targets=True)
        return dict(MIN_CO2, families=families, pillar_targets={"culture_tourism": target}), "culture_tourism"
    raise KeyError(family)


def _slope(family, m):
    """|∂(row)/∂level| at the solution: the objective moves by |dual| × this per unit of level."""
    y = m.xn_data.last_year
    if family == "non_fossil_share":  # (1 − s)·energy − fossil ≥ 0
        return pe.value(m.energy[y])
    if family == "carbon_intensity":  # co2 − level·gdp ≤ 0
        return pe.value(m.gdp[y])
    return 1.0  # fossil_y − fossil_0 ≤ allowance; pillar output ≥ level


@pytest.mark.parametrize("family", ["non_fossil_share", "carbon_intensity", "fossil_energy_peak", "pillar_targets"])
def test_family_binds_and_its_dual_matches_finite_differences(table, free, free_min_co2, family):
    changes, idx = _binding(family, free_min_co2 if family == "pillar_targets" else free)
    m = build_model(table, Scenario(**changes))
    out = solve_model(m, new_solver())
    assert out.status.ok
    rows = getattr(m, family).con
    idx = idx if idx is not None else max(rows, key=lambda i: abs(out.duals[rows[i]]))
    con = rows[idx]
    dual = out.duals[con]
    assert abs(dual) > 1e-6, "the row should bind"
    bound = pe.value(con.lower) if con.has_lb() else pe.value(con.upper)
    assert pe.value(con.body) == pytest.approx(bound, abs=1e-6 * max(1.0, abs(bound)))
    obj0 = pe.value(m.objective)
    level = getattr(m, family).level
    level0 = pe.value(level[idx])
    size = m.fossil_energy_0 if family == "fossil_energy_peak" else abs(level0)  # the allowance starts at 0
    tighten = -1 if family in ("carbon_intensity", "fossil_energy_peak") else 1  # a cap falls, a target rises
    step = tighten * 1e-4 * size
    fds = []
    for sign in (1, -1):  # one-sided differences: the dual lies between them (they agree unless degenerate)
        level[idx] = level0 + sign * step
        assert run(m, new_solver()).status.ok  # peak levels held where solve_model settled them
        fds.append(sign * (pe.value(m.objective) - obj0) / abs(step))
    predicted = abs(dual) * _slope(family, m)
    lo, hi = sorted(abs(f) for f in fds)
    assert lo * (1 - 2e-3) <= predicted <= hi * (1 + 2e-3)
    worse = -1 if m.objective.sense == pe.maximize else 1
    assert worse * fds[0] > 0  # tightening a binding row costs GDP (or CO2)


OFF = {"budget": False, "gdp_target": False, "pillar_targets": False, "new_energy": False, "carbon_peak": False}

# family → (scenario changes it cannot meet, diagnosis weights, words of its phrase)
CANNOT_HOLD = {
    "non_fossil_share": (dict(non_fossil_share_min=0.9), None, "non-fossil energy share target"),
    "carbon_intensity": (dict(co2_intensity_cut=0.9), None, "above the CO2-intensity limit"),
    "energy_intensity": (dict(energy_intensity_cut=0.9), None, "above the energy-intensity limit"),
    # fossil energy can always be held at its 2025 level, but not with GDP at 2900亿元 (current prices) in 2030:
    # the GDP target is made dear to relax, so the diagnosis gives way on the fossil-energy peak
    "fossil_energy_peak": (
        dict(fossil_energy_peak_year=2025, families=dict(OFF, gdp_target=True), gdp_target=2900.0),
        {"gdp_target": 1e3},
        "fossil energy in 2030 must be allowed",
    ),
    "consumption_rate": (dict(consumption_rate_rise=0.5), None, "household consumption rate target"),
    "cluster_output": (dict(cluster_output_target=10000.0), None, "cluster output target must fall"),
    "cluster_share": (dict(cluster_industry_share=0.99), None, "clusters' share of 2030 industry output"),
    "chain_leader_output": (
        dict(chain_leader_shares={"steel": 0.7, "glass": 0.6}, chain_leader_output_target=5000.0),
        None,
        "chain-leader output target must fall",
    ),
    "pillar_targets": (
        dict(families=dict(OFF, pillar_targets=True), pillar_targets={"culture_tourism": 3000.0}),
        None,
        "the culture_tourism pillar target must fall",
    ),
    "local_supporting_rate": (
        dict(local_supporting_target={"green_new_materials": 0.95}),
        None,
        "green_new_materials local supporting rate target",
    ),
}
# share-type families: the diagnosis also says (and applies) the value of the scenario field that would hold
SHARES = {
    "non_fossil_share": "non_fossil_share_min",
    "energy_intensity": "energy_intensity_cut",
    "consumption_rate": "consumption_rate_rise",
    "cluster_share": "cluster_industry_share",
    "local_supporting_rate": "local_supporting_target",
}


def _best_on_row(table, s, family, idx):
    """How far the row's body can reach its bound, every other row kept: the relaxation it needs."""
    m = build_model(table, s)
    m.objective.deactivate()
    con = getattr(m, family).con[idx]
    con.deactivate()
    lower = con.has_lb()
    m.oracle = pe.Objective(expr=con.body, sense=pe.maximize if lower else pe.minimize)
    out = run(m, new_solver(), duals=False)
    assert out.status.ok
    best = pe.value(con.body)
    return pe.value(con.lower) - best if lower else best - pe.value(con.upper)


@pytest.mark.parametrize("family", list(CANNOT_HOLD))
def test_a_target_that_cannot_hold_is_diagnosed_by_name_and_amount(table, family):
    changes, weights, words = CANNOT_HOLD[family]
    s = Scenario(**{"families": OFF, "target_mode": "hard", **changes})
    d = diagnose(table, s, weights=weights)  # a smallest relaxation > 0: the scenario is infeasible as it stands
    assert d.feasible
    rel = d.relaxations
    assert list(rel["family"]) == [family], rel
    row = rel.iloc[0]
    idx = row["item"] if row["item"] != family else int(row["year"])
    expected = _best_on_row(table, s, family, idx)
    assert expected > 0
    assert row["relaxation"] == pytest.approx(expected, rel=1e-6, abs=1e-6)
    assert words in row["phrase"] and f"{row['relaxation']:,.1f} {row['unit']}" in row["phrase"]
    assert row["phrase"] in d.message
    if family in SHARES:  # said in the target's own unit, less ambitious than asked
        value = row["relaxed_target"]
        asked = getattr(s, SHARES[family])
        asked = asked["green_new_materials"] if family == "local_supporting_rate" else asked
        assert value == value and "instead of" in row["phrase"]
        assert value < asked
    else:
        assert row["relaxed_target"] != row["relaxed_target"]  # NaN
    if family != "fossil_energy_peak":  # no scenario field allows fossil energy above its peak
        relaxed = d.relaxed_scenario()
        assert relaxed != s
        assert solve(table, relaxed, target_costs=False).status.ok  # the relaxation applied restores feasibility


def test_the_infeasible_error_carries_the_diagnosis_by_name(table):
    changes, _, words = CANNOT_HOLD["non_fossil_share"]
    with pytest.raises(InfeasibleError, match="non-fossil energy share target") as info:
        solve(table, Scenario(families=OFF, target_mode="hard", **changes), target_costs=False)
    assert list(info.value.diagnosis.relaxations["family"]) == ["non_fossil_share"]
    assert words in str(info.value)
