"""The plan model on tables other than Xianning's: what it needs from a table, and the neutral defaults.

``Scenario()`` carries the Xianning preset; on another table the entries naming sectors or
pillars it lacks drop out, the plan years follow the table's base year and the capital
stock comes from the depreciation row of value added when no capital satellite is given.
"""

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io import IOTable
from xn_io.errors import ScenarioError, TableError
from xn_io.optimize import Scenario, solve
from xn_io.optimize.model import for_table

SECTORS = ["farm", "factory", "services"]


def _three(with_depreciation: bool = True, gfcf: bool = True) -> IOTable:
    """A hand-made balanced 3-sector table (rows = columns by construction)."""
    Z = pd.DataFrame([[10, 20, 5], [15, 60, 20], [5, 25, 30]], index=SECTORS, columns=SECTORS, dtype=float)
    Y = pd.DataFrame({"households": [50, 40, 120], "exports": [20, 80, 15]}, index=SECTORS, dtype=float)
    if gfcf:
        Y["gfcf"] = [0.0, 90.0, 25.0]  # above replacement (depreciation), so capacity can grow in year 1
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = x - Z.sum(axis=0)
    rows = {"compensation": 0.5 * va, "surplus": 0.35 * va}
    if with_depreciation:
        rows["depreciation"] = 0.15 * va
    else:
        rows["surplus"] = 0.5 * va
    V = pd.DataFrame(rows).T
    return IOTable(Z, Y, V, x=x, year=2020, name="three")


def _balance(table, plan):
    """x − A x − investment mix × all fixed investment = local final demand grown + exports, every year."""
    s = plan.scenario
    mix = table.Y["gfcf"] / table.Y["gfcf"].sum()
    local = table.Y.drop(columns=["gfcf", "exports"]).sum(axis=1)
    for y in s.years:
        x = plan.output[y]
        lhs = x - table.A @ x - mix * (plan.investment[y].sum() + plan.non_capacity_investment[y])
        rhs = local * (1 + s.demand_growth) ** (y - table.year) + plan.exports[y]
        np.testing.assert_allclose(lhs.to_numpy(), rhs.to_numpy(), rtol=1e-6, atol=1e-6 * float(table.x.max()))


def test_a_hand_made_three_sector_table_solves_with_the_default_scenario():
    table = _three()
    plan = solve(table, Scenario())
    s = plan.scenario
    assert plan.status.value == "optimal"
    assert s.years == [2021, 2022, 2023, 2024, 2025]  # the plan years follow the table
    assert s.fixed_output == {} and s.pillar_targets == {} and not s.family_on("gdp_target")
    _balance(table, plan)
    # capital stock = depreciation ÷ rate (5 % by default): capacity law recomputed with it
    kappa = table.V.loc["depreciation"] / s.depreciation / table.x
    cap, inv = plan.capacity, plan.investment
    for y in s.years[1:]:
        np.testing.assert_allclose(cap[y], (1 - s.depreciation) * cap[y - 1] + inv[y - 1] / kappa, rtol=1e-7)
    assert (plan.utilisation[s.years] >= s.utilisation_floor - 1e-7).all().all()
    assert plan.must_run == ()  # no technologies in the table: nothing dispatched


def test_what_the_model_needs_from_a_table_is_named():
    with pytest.raises(ScenarioError, match="capital_output_ratio") as err:
        solve(_three(with_depreciation=False), Scenario())
    assert err.value.field == "capital_output_ratio"
    plan = solve(_three(with_depreciation=False), Scenario(capital_output_ratio=2.0))
    assert plan.status.value == "optimal"
    with pytest.raises(TableError, match="gfcf"):
        solve(_three(gfcf=False), Scenario(capital_output_ratio=2.0))
    # a sector named by the user (a value other than the default) that the table lacks is an error, not dropped
    with pytest.raises(ScenarioError) as err:
        solve(_three(), Scenario(fixed_output={"power_coal": 0.9}))
    assert err.value.field == "fixed_output.power_coal"


def test_the_xianning_table_keeps_the_preset():
    table = xn_io.load_table("xianning-2025")
    assert for_table(Scenario(), table) == Scenario()


def test_the_national_table_solves_with_the_default_scenario():
    table = xn_io.load_table("china-2020-42")
    plan = solve(table, Scenario())
    s = plan.scenario
    assert plan.status.value == "optimal" and s.first_year == 2021
    assert plan.gdp[2025] > plan.gdp[2020]
    _balance(table, plan)


def test_the_hubei_2007_table_solves_with_the_default_scenario():
    """Hubei 2007 solves at the default 80 % floor: capacity is built where needed, so no structural conflict."""
    table = xn_io.load_table("hubei-2007")
    plan = solve(table, Scenario(), target_costs=False)
    assert plan.status.value == "optimal" and plan.scenario.first_year == 2008
    invested = plan.investment.sum(axis=1) > 1e-6
    assert (plan.utilisation.loc[invested].min(axis=1) >= 0.8 - 1e-7).all()
    _balance(table, plan)
