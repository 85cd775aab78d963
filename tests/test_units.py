"""Units as data: a plan is labelled in its table's units, and a scenario in other units is refused (issue 17, item 2)."""

from __future__ import annotations

import dataclasses

import pytest

import xn_io
from xn_io.errors import ScenarioError
from xn_io.optimize import Scenario, solve
from xn_io.optimize.units import DEFAULT_UNITS, constraint_unit, objective_unit, plan_units

NEW = {"co2": "kt", "energy": "kt ce", "employment": "thousand persons", "capital": "USD million"}


@pytest.fixture(scope="module")
def relabelled():
    """The Xianning table with every unit renamed: what a plan says must follow the table."""
    t = xn_io.load_table()
    sats = {k: dataclasses.replace(s, unit=NEW.get(k, s.unit)) for k, s in t.satellites.items()}
    return t.replace(unit="USD million", satellites=sats)


@pytest.fixture(scope="module")
def plan(relabelled):
    # money_unit stated: the preset's figures (GDP 3000, pillar targets) are taken as given in the relabelled unit
    return solve(relabelled, Scenario(co2_unit="kt", energy_unit="kt ce", money_unit="USD million"))


def test_plan_units_come_from_the_table(relabelled, plan):
    assert dict(plan.units) == {
        "money": "USD million",
        "co2": "kt",
        "energy": "kt ce",
        "employment": "thousand persons",
        "power": "万kW",
    }
    assert plan.objective_unit == "USD million discounted GDP"
    frame = plan.to_frame()
    assert set(frame["unit"]) == {"USD million", "USD million/yr", "kt", "kt ce", "thousand persons"}
    assert frame.loc[frame["quantity"] == "co2", "unit"].unique().tolist() == ["kt"]
    text = plan.summary()
    assert "USD million" in text and "(kt)" in text
    assert "亿元" not in text.split("Pillar definitions")[0] and "万吨" not in text
    assert set(plan.targets["unit"]) <= {"USD million", "万kW"}
    units = set(plan.constraints["unit"])
    assert units and all(u.startswith("USD million discounted GDP per ") for u in units)
    assert not any("亿元" in u or "万吨" in u for u in units)


def test_report_sentences_use_the_plan_units(plan):
    from xn_io.report.plan_report import plan_findings

    found = " ".join(plan_findings(plan))
    assert "USD million" in found and " kt" in found
    assert "亿元" not in found and "万吨" not in found


def test_a_scenario_in_other_units_is_refused_naming_the_field(relabelled):
    with pytest.raises(ScenarioError, match="money_unit") as err:
        solve(relabelled, Scenario(money_unit="亿元", co2_unit="kt", energy_unit="kt ce"))
    assert err.value.field == "money_unit"
    with pytest.raises(ScenarioError) as err:
        solve(relabelled, Scenario(carbon_caps={2030: 3000.0}, co2_unit="万吨", energy_unit="kt ce"))
    assert err.value.field == "co2_unit"
    assert "kt" in str(err.value)


def test_the_presets_yuan_figures_on_a_table_in_another_money_unit_are_refused(relabelled):
    # without money_unit, the preset's 3000 (亿元) would be read as 3000 USD million: an error naming the fields
    with pytest.raises(
        ScenarioError, match="gdp_target, pillar_targets, kw_per_output keep the Xianning preset"
    ) as err:
        solve(relabelled, Scenario(co2_unit="kt", energy_unit="kt ce"))
    assert err.value.field == "gdp_target" and "'USD million'" in str(err.value)
    # switched off (or given explicitly), they are no longer the preset's: the plan solves
    off = Scenario(co2_unit="kt", energy_unit="kt ce", families={"gdp_target": False, "pillar_targets": False})
    with pytest.raises(ScenarioError, match="^kw_per_output keeps the Xianning preset"):
        solve(relabelled, off)
    assert solve(relabelled, off.replace(kw_per_output={"power_solar": 14.0, "power_wind": 7.0})).status.ok


def test_unit_helpers_against_the_xianning_defaults():
    t = xn_io.load_table()
    assert dict(plan_units(t, Scenario())) == dict(DEFAULT_UNITS)  # the Xianning table is in the default units
    assert objective_unit("min_co2", DEFAULT_UNITS) == "万吨 CO2"
    assert constraint_unit("energy_cap", DEFAULT_UNITS) == ("万吨标准煤", "energy cap")
    assert constraint_unit("budget", {**DEFAULT_UNITS, "money": "EUR m"})[0] == "EUR m investment"
