"""Infeasibility: the reported relaxation restores feasibility, a clearly smaller one does not."""

import pytest

from xn_io.errors import ArgumentError, InfeasibleError
from xn_io.optimize import Scenario, diagnose, solve


@pytest.fixture(scope="module")
def clash(table):
    """GDP 2900 in 2030 with CO2 of 2029 and 2030 capped 2 % above the least CO2 the economy can emit.

    The least CO2 comes from a min-CO2 solve with no targets, so the caps alone can be met (by giving
    up GDP) whatever the table's numbers, and the GDP target of 2900 alone can be met too.
    """
    free = Scenario(objective="min_co2", target_mode="hard", gdp_target=0.0, pillar_targets={}, new_energy_target=0.0)
    least = solve(table, free).co2_total
    return Scenario(
        name="clash",
        target_mode="hard",
        gdp_target=2900.0,
        pillar_targets={},
        carbon_caps={2029: 1.02 * least[2029], 2030: 1.02 * least[2030]},
    )


@pytest.fixture(scope="module")
def raised(table, clash):
    with pytest.raises(InfeasibleError) as err:
        solve(table, clash)
    return err.value


def test_infeasible_solve_carries_a_diagnosis(raised):
    d = raised.diagnosis
    assert d is not None and d.feasible
    assert not d.relaxations.empty
    assert d.message in str(raised)
    assert set(d.relaxations["family"]) <= {"carbon_cap", "gdp_target", "carbon_peak", "budget", "new_energy"}
    for _, row in d.relaxations.iterrows():
        assert row["relaxation"] > 0
        assert row["phrase"] in d.message
    assert "万吨" in d.message or "亿元" in d.message


def test_reported_relaxation_restores_feasibility(table, raised):
    relaxed = raised.diagnosis.relaxed_scenario()
    plan = solve(table, relaxed)
    assert plan.status.value == "optimal"


def test_clearly_smaller_relaxation_does_not(table, raised):
    d = raised.diagnosis
    half = d.__class__(
        d.scenario, True, d.relaxations.assign(relaxation=d.relaxations["relaxation"] * 0.5), d.alternatives, d.message
    )
    with pytest.raises(InfeasibleError):
        solve(table, half.relaxed_scenario(margin=0.0), diagnose_infeasible=False)


def test_single_row_alternatives_each_restore_feasibility(table, raised):
    d = raised.diagnosis
    for _, row in d.alternatives.iterrows():
        alone = d.__class__(d.scenario, True, d.alternatives[d.alternatives.index == row.name], d.alternatives, "")
        assert solve(table, alone.relaxed_scenario()).status.value == "optimal"


def test_weights_shift_the_relaxation(table, clash):
    # making carbon caps 1000× dearer to relax pushes the whole relaxation onto the GDP target
    d = diagnose(table, clash, weights={"carbon_cap": 1000.0, "carbon_peak": 1000.0})
    assert set(d.relaxations["family"]) == {"gdp_target"}
    assert "GDP target must fall by" in d.message
    with pytest.raises(ArgumentError, match="weights"):
        diagnose(table, clash, weights={"growth_bounds": 1.0})


def test_feasible_scenario_needs_nothing(table):
    d = diagnose(table, Scenario(target_mode="hard", gdp_target=2200.0, pillar_targets={}))
    assert d.relaxations.empty and "feasible as it stands" in d.message


def test_structural_conflict_is_named(table):
    # output frozen at its 2025 level while local demand grows 10 % a year and sales outside the
    # region may not fall: no cap or target relaxation can cure that
    s = Scenario(
        target_mode="hard",
        pillar_targets={},
        families={"gdp_target": False, "new_energy": False},
        growth_max=0.0,
        decline_max=0.0,
        demand_growth=0.10,
    )
    with pytest.raises(InfeasibleError) as err:
        solve(table, s)
    d = err.value.diagnosis
    assert not d.feasible and "structural" in d.message


def test_relaxation_respects_family_scale(table, clash):
    scaled = clash.replace(family_scale={"carbon_cap": 0.9})
    with pytest.raises(InfeasibleError) as err:
        solve(table, scaled)
    assert solve(table, err.value.diagnosis.relaxed_scenario()).status.value == "optimal"
