"""The plan model on a small table of the user's own: structure, switches, technology choice."""

import numpy as np
import pandas as pd
import pyomo.environ as pe
import pytest

from xn_io import IOTable, Satellite
from xn_io.optimize import Scenario, build_model, solve

SECTORS = ["farm", "steel", "power_coal", "power_solar", "services"]


@pytest.fixture(scope="module")
def small():
    """Five sectors, two of them rival power technologies; balanced by construction."""
    Z = pd.DataFrame(
        [[10, 2, 0, 0, 8], [2, 30, 3, 4, 5], [3, 12, 1, 0, 6], [1, 4, 0, 0, 3], [6, 10, 2, 1, 20]],
        index=SECTORS,
        columns=SECTORS,
        dtype=float,
    )
    Y = pd.DataFrame(
        {"households": [40, 5, 8, 3, 90], "gfcf": [2, 60, 0, 0, 40], "exports": [30, 80, 6, 2, 10]},
        index=SECTORS,
        dtype=float,
    )
    x = Z.sum(axis=1) + Y.sum(axis=1)
    va = x - Z.sum(axis=0)
    V = pd.DataFrame([va.to_numpy()], index=["value_added"], columns=SECTORS)
    sats = {
        "co2": Satellite(
            pd.Series([5, 60, 80, 0, 4], index=SECTORS, dtype=float),
            "万吨",
            final_demand=pd.Series({"households": 10.0}),
        ),
        "energy": Satellite(pd.Series([2, 20, 30, 8, 2], index=SECTORS, dtype=float), "万吨标准煤"),
        "employment": Satellite(pd.Series([9, 2, 0.5, 0.2, 12], index=SECTORS, dtype=float), "万人"),
        "capital": Satellite(x * pd.Series([1.0, 1.5, 1.4, 5.0, 2.0], index=SECTORS), "亿元"),
    }
    pillars = pd.DataFrame({"sector": ["steel", "services"], "pillar": ["materials", "leisure"], "share": [1.0, 0.5]})
    info = pd.DataFrame(
        {"name_en": SECTORS, "name_zh": SECTORS, "depreciation_rate": [0.05, 0.1, 0.05, 0.04, 0.05]}, index=SECTORS
    )
    return IOTable(
        Z,
        Y,
        V,
        x=x,
        satellites=sats,
        year=2025,
        name="small",
        pillars=pillars,
        sector_info=info,
        technologies={"electricity": ["power_coal", "power_solar"]},
    )


def _scenario(**kw):
    base = dict(
        name="small",
        pillar_targets={"materials": 0.0},
        new_energy_sectors=["power_solar"],
        kw_per_output={"power_solar": 10.0},
        new_energy_target=0.0,
        no_new_capacity=[],
        gdp_target=0.0,
    )
    base.update(kw)
    return Scenario(**base)


def test_model_has_named_sets_and_one_block_per_family(small):
    m = build_model(
        small,
        _scenario(
            carbon_caps={2030: 200.0}, energy_caps={2029: 100.0}, labour_limit={2028: 30.0}, co2_intensity_cut=0.1
        ),
    )
    assert list(m.io.P) == ["farm", "steel", "electricity", "services"]
    assert list(m.io.S) == SECTORS
    assert list(m.YEARS) == [2026, 2027, 2028, 2029, 2030]
    for fam in (
        "budget",
        "growth_bounds",
        "energy_cap",
        "carbon_cap",
        "carbon_peak",
        "carbon_intensity",
        "labour",
        "gdp_target",
        "pillar_targets",
        "new_energy",
    ):
        assert isinstance(getattr(m, fam), pe.Block), fam
    # the cap's level is a mutable parameter holding the scenario's figure (re-solves change it in place)
    assert m.carbon_cap.level.mutable
    assert pe.value(m.carbon_cap.level[2030]) == pytest.approx(200.0)
    # electricity is one balance row fed by both technologies
    body = str(m.io.balance["electricity", 2027].body)
    assert "power_coal" in body and "power_solar" in body


def test_switched_off_families_are_not_built(small):
    m = build_model(small, _scenario(families={"budget": False, "carbon_peak": False, "growth_bounds": False}))
    assert not hasattr(m, "budget") and not hasattr(m, "carbon_peak") and not hasattr(m, "growth_bounds")


def test_a_carbon_cap_shifts_the_power_mix_not_just_output(small):
    """Choice of technology: under a tight cap the plan builds solar rather than only producing less.

    Coal power is dispatched by the model here (``fixed_output={}``; the Xianning preset fixes it)."""
    free = solve(small, _scenario(objective="max_gdp_2030", carbon_peak_year=None, fixed_output={}))
    co2_free = free.co2_total[2030]
    capped = solve(
        small,
        _scenario(
            objective="max_gdp_2030", carbon_peak_year=None, fixed_output={}, carbon_caps={2030: 0.85 * co2_free}
        ),
    )
    share = lambda p: p.output.loc["power_solar", 2030] / p.output.loc[["power_coal", "power_solar"], 2030].sum()
    assert capped.co2_total[2030] <= 0.85 * co2_free + 1e-6
    assert share(capped) > share(free) + 0.01
    assert capped.investment.loc["power_solar"].sum() > free.investment.loc["power_solar"].sum()


def test_small_table_balances(small):
    plan = solve(small, _scenario(objective="max_discounted_gdp"))
    make = pd.Series(SECTORS, index=SECTORS).replace({"power_coal": "electricity", "power_solar": "electricity"})
    A_prod = small.A.groupby(make).sum()
    mix = small.Y["gfcf"].groupby(make).sum() / small.Y["gfcf"].sum()
    local = small.Y["households"].groupby(make).sum()
    for y in plan.scenario.years:
        xq = plan.output[y].groupby(make).sum()
        lhs = xq - A_prod @ plan.output[y] - mix * (plan.investment[y].sum() + plan.non_capacity_investment[y])
        rhs = local * 1.06 ** (y - 2025) + plan.exports[y]
        np.testing.assert_allclose(lhs.loc[rhs.index], rhs, atol=1e-7)
    assert plan.gdp[2025] == pytest.approx(small.gdp)


def test_missing_capital_needs_a_ratio(small):
    from xn_io.errors import ScenarioError

    bare = small.replace(satellites={k: v for k, v in small.satellites.items() if k != "capital"})
    with pytest.raises(ScenarioError) as err:
        build_model(bare, _scenario())
    assert err.value.field == "capital_output_ratio"
    assert solve(bare, _scenario(capital_output_ratio=2.0)).status.value == "optimal"


def test_first_year_capacity_shortfall_is_explained(small):
    from xn_io.errors import InfeasibleError

    # with almost no 2025 investment, 2026 capacity falls below 2025 output while exports may not fall
    with pytest.raises(InfeasibleError) as err:
        solve(small, _scenario(base_investment=1.0))
    d = err.value.diagnosis
    assert not d.feasible and "2026 capacity" in d.message and "steel" in d.message
