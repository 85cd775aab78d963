"""Scenario: the plan's defaults, TOML round trips, validation naming the field."""

from pathlib import Path

import pytest

import xn_io
from xn_io.errors import OverwriteError, ScenarioError
from xn_io.optimize import Scenario, build_model, builtin_scenarios

SCENARIOS = Path(__file__).resolve().parents[1] / "examples" / "scenarios"


def test_defaults_are_the_plan_figures():
    s = Scenario()
    # targets.csv: gdp_level 3000 (2030); pillars 1000 and culture & tourism 500; new energy 500 万kW;
    # carbon peak before 2030; labour productivity growth 6.4 %
    assert (s.first_year, s.last_year, s.gdp_target, s.new_energy_target) == (2026, 2030, 3000.0, 500.0)
    assert s.pillar_targets == {
        "green_new_materials": 1000.0,
        "modern_equipment": 1000.0,
        "big_health": 1000.0,
        "modern_agrifood_processing": 1000.0,
        "culture_tourism": 500.0,
    }
    assert s.carbon_peak_year == 2029
    assert s.labour_productivity_growth == pytest.approx(0.064)
    assert s.family_on("carbon_peak") and not s.family_on("carbon_cap")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_scenarios_round_trip(path, tmp_path):
    s = Scenario.from_toml(path)
    assert s.name == path.stem
    out = tmp_path / "again.toml"
    s.to_toml(out)
    assert Scenario.from_toml(out) == s


def test_shipped_scenarios_are_the_four_asked_for():
    assert {p.stem for p in SCENARIOS.glob("*.toml")} >= {
        "baseline",
        "strict-carbon",
        "high-investment",
        "green-materials-first",
    }
    strict = Scenario.from_toml(SCENARIOS / "strict-carbon.toml")
    assert strict.carbon_peak_year == 2027 and strict.co2_intensity_cut == pytest.approx(0.18)


def test_to_toml_never_overwrites(tmp_path):
    path = tmp_path / "s.toml"
    Scenario().to_toml(path)
    with pytest.raises(OverwriteError):
        Scenario(name="other").to_toml(path)
    Scenario(name="other").to_toml(path, overwrite=True)
    assert Scenario.from_toml(path).name == "other"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"budget": {2027: -5.0}}, "budget.2027"),
        ({"base_investment": -1.0}, "base_investment"),
        ({"first_year": 2030, "last_year": 2026}, "last_year"),
        ({"objective": "max_happiness"}, "objective"),
        ({"target_mode": "maybe"}, "target_mode"),
        ({"carbon_caps": {2035: 100.0}}, "carbon_caps.2035"),
        ({"families": {"carbon_tax": True}}, "families.carbon_tax"),
        ({"co2_intensity_cut": 1.5}, "co2_intensity_cut"),
        ({"pillar_targets": {"big_health": -1.0}}, "pillar_targets.big_health"),
        ({"family_scale": {"growth_bounds": 2.0}}, "family_scale.growth_bounds"),
        ({"family_scale": {"budget": -1.0}}, "family_scale.budget"),
    ],
)
def test_invalid_fields_are_named(changes, field):
    with pytest.raises(ScenarioError) as err:
        Scenario(**changes)
    assert err.value.field == field


def test_unknown_toml_field_is_named(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n[carbon]\ncarbon_tax = 100\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        Scenario.from_toml(path)
    assert err.value.field == "carbon.carbon_tax"


def test_table_checks_name_the_field(table):
    with pytest.raises(ScenarioError) as err:
        build_model(table, Scenario(pillar_targets={"space_industry": 100.0}))
    assert err.value.field == "pillar_targets.space_industry"
    with pytest.raises(ScenarioError) as err:
        build_model(table, Scenario(co2_unit="吨", carbon_caps={2030: 3.0e7}))  # a cap stated in another unit
    assert err.value.field == "co2_unit" and "万吨" in str(err.value)
    build_model(table, Scenario(co2_unit="吨"))  # no figure in that unit: nothing to convert, no error
    with pytest.raises(ScenarioError) as err:
        build_model(table, Scenario(first_year=2027, last_year=2030))
    assert err.value.field == "first_year"
    with pytest.raises(ScenarioError) as err:
        build_model(table, Scenario(sector_growth_max={"shipyards": 0.5}))
    assert err.value.field == "sector_growth_max.shipyards"
    with pytest.raises(ScenarioError) as err:
        build_model(table, Scenario(no_new_capacity=["power_nuclear"]))
    assert err.value.field == "no_new_capacity.power_nuclear"


def test_family_scale_multiplies_the_right_hand_sides(table):
    s = Scenario(family_scale={"pillar_targets": 0.5, "budget": 1.2})
    m, base = build_model(table, s), build_model(table, Scenario())
    assert m.pillar_targets.level["big_health"].value == pytest.approx(
        0.5 * base.pillar_targets.level["big_health"].value
    )
    assert m.budget.level[2028].value == pytest.approx(1.2 * base.budget.level[2028].value)


def test_builtin_scenarios_are_the_example_files():
    """The package ships the same scenario files as examples/scenarios (so an installed xn_io has them)."""
    package = Path(xn_io.__file__).parent / "optimize" / "scenarios"
    assert builtin_scenarios() == sorted(p.stem for p in SCENARIOS.glob("*.toml"))
    for name in builtin_scenarios():
        assert (package / f"{name}.toml").read_bytes() == (SCENARIOS / f"{name}.toml").read_bytes(), name
        assert Scenario.builtin(name) == Scenario.from_toml(SCENARIOS / f"{name}.toml")
    with pytest.raises(ScenarioError, match="no built-in scenario"):
        Scenario.builtin("utopia")
