"""GDP-versus-carbon frontier: monotone, equal to independent solves, prices = slopes."""

import numpy as np
import pytest

from xn_io.errors import ArgumentError, ScenarioError
from xn_io.optimize import Scenario, frontier, solve

SHARES = [1.25, 1.1, 1.05, 1.0, 0.98]  # 2030 caps as multiples of base-year CO2 (coal power runs as in 2025)


@pytest.fixture(scope="module")
def pure():
    """No targets: a plain LP, so that shadow prices are slopes of the frontier."""
    return Scenario(
        objective="max_gdp_2030", families={"gdp_target": False, "pillar_targets": False, "new_energy": False}
    )


@pytest.fixture(scope="module")
def caps(table):
    return [round(f * table.satellites["co2"].total, 1) for f in SHARES]


@pytest.fixture(scope="module")
def curve(table, pure, caps):
    return frontier(table, pure, carbon_caps=caps)


def test_frontier_is_monotone_and_respects_caps(curve):
    ok = curve[curve["status"] == "optimal"]
    assert len(ok) >= 4
    assert np.all(np.diff(ok["gdp_2030"].to_numpy()) <= 1e-6)  # tighter cap, no more GDP
    assert np.all(ok["co2_2030"] <= ok["carbon_cap"] + 1e-6)
    assert np.all(ok["carbon_price"] >= -1e-9)
    assert np.all(np.diff(ok["carbon_price"].to_numpy()) >= -1e-6)  # concave: the price rises


def test_frontier_points_equal_independent_solves(table, pure, curve, caps):
    for cap in (caps[0], caps[3]):
        plan = solve(table, pure.replace(carbon_caps={2030: cap}))
        row = curve[curve["carbon_cap"] == cap].iloc[0]
        assert row["objective"] == pytest.approx(plan.objective, rel=1e-7)
        assert row["co2_2030"] == pytest.approx(plan.co2_total[2030], rel=1e-6)


def test_carbon_price_is_the_slope(table, pure, curve, caps):
    cap = caps[3]
    eps = 1.0
    near = frontier(table, pure, carbon_caps=[cap, cap + eps])
    slope = (near["objective"].iloc[1] - near["objective"].iloc[0]) / eps
    assert curve[curve["carbon_cap"] == cap]["carbon_price"].iloc[0] == pytest.approx(slope, rel=1e-3, abs=1e-6)
    assert curve.attrs["objective_unit"] == "亿元 GDP"


def test_energy_grid_and_errors(table, pure):
    co2, energy = table.satellites["co2"].total, table.satellites["energy"].total
    grid = frontier(table, pure, carbon_caps=[1.2 * co2, 0.95 * co2], energy_caps=[1.3 * energy, 1.05 * energy])
    assert len(grid) == 4
    ok = grid[grid["status"] == "optimal"]
    assert np.all(ok["energy_2030"] <= ok["energy_cap"] + 1e-6)
    with pytest.raises(ScenarioError):
        frontier(table, pure)
    with pytest.raises(ArgumentError, match="cap_years"):
        frontier(table, pure, carbon_caps=[3000.0], cap_years=[2035])
