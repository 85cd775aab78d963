"""Monte Carlo: perturbed tables (ranges, identities, productivity) and the statistics of the draws.

Oracles: the accounting identities and the spectral radius of every perturbed
table computed here with numpy (not through xn_io); a zero perturbation must
reproduce the deterministic plan of ``solve()``; the summaries are recomputed
from the raw draws with numpy.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io.errors import ArgumentError, ArgumentTypeError, ScenarioError, TableError
from xn_io.optimize import Scenario, solve
from xn_io.optimize.uncertainty import (
    MonteCarloResult,
    Perturbation,
    monte_carlo,
    perturb_table,
)


@pytest.fixture(scope="module")
def table() -> xn_io.IOTable:
    return xn_io.load_table("xianning-2025")


@pytest.fixture(scope="module")
def mc(table) -> MonteCarloResult:
    return monte_carlo(table, Scenario(), 6, seed=3, quiet=True)


def _check_balanced_and_productive(t: xn_io.IOTable) -> None:
    Z, Y, V, x = (t.Z.to_numpy(), t.Y.to_numpy(), t.V.to_numpy(), t.x.to_numpy())
    M = t.M.to_numpy() if t.M is not None and len(t.M) else np.zeros((0, t.n))
    np.testing.assert_allclose(Z.sum(axis=1) + Y.sum(axis=1), x, rtol=1e-10)
    np.testing.assert_allclose(Z.sum(axis=0) + V.sum(axis=0) + M.sum(axis=0), x, rtol=1e-10)
    A = Z / x
    rho = np.abs(np.linalg.eigvals(A)).max()
    assert rho < 1
    assert rho <= t.metadata["perturbation"]["spectral_bound"] + 1e-12
    L = np.linalg.inv(np.eye(t.n) - A)
    assert (L >= -1e-12).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_perturbed_xianning_table_stays_in_range_balanced_and_productive(table, seed):
    p = Perturbation(technical=0.3, co2=0.2, energy=0.1, capital=0.25)
    t = perturb_table(table, p, seed=seed)
    _check_balanced_and_productive(t)
    A0, A1 = table.A.to_numpy(), t.A.to_numpy()
    nz = A0 > 0
    assert (A1[~nz] == 0).all()
    ratio = A1[nz] / A0[nz]
    assert ratio.min() >= 0.7 - 1e-12 and ratio.max() <= 1.3 + 1e-12
    assert ratio.std() > 0.1  # the draw really spreads over the range (uniform on ±0.3: sd 0.17)
    pd.testing.assert_series_equal(t.x, table.x)
    for name, r in (("co2", 0.2), ("energy", 0.1), ("capital", 0.25)):
        old, new = table.satellites[name].values, t.satellites[name].values
        f = (new / old)[old > 0]
        assert f.between(1 - r - 1e-12, 1 + r + 1e-12).all()
        assert (new[old == 0] == 0).all()
        assert t.satellites[name].unit == table.satellites[name].unit
    # households' direct emissions and unused satellites are not perturbed
    pd.testing.assert_series_equal(t.satellites["co2"].final_demand, table.satellites["co2"].final_demand)
    pd.testing.assert_series_equal(t.satellites["employment"].values, table.satellites["employment"].values)


def test_redraws_keep_a_fragile_table_productive(mb_table):
    # Miller & Blair Table 2.3: agriculture sells 65 % of its output to industry; ±90 % coefficients
    # push many draws to a non-positive final demand, which must be redrawn (or shrunk)
    seen_redraw = False
    for seed in range(20):
        t = perturb_table(mb_table, Perturbation(technical=0.9, co2=0, energy=0, capital=0, max_redraws=3), seed=seed)
        _check_balanced_and_productive(t)
        info = t.metadata["perturbation"]
        seen_redraw |= info["redraws"] > 0 or info["technical_shrink"] < 1
        ratio = t.A.to_numpy() / mb_table.A.to_numpy()
        assert ratio.min() >= 0.1 - 1e-12 and ratio.max() <= 1.9 + 1e-12
        assert (t.Y.to_numpy() > 0).all() and (t.V.to_numpy() > 0).all()
    assert seen_redraw


def test_same_seed_same_table(table):
    a = perturb_table(table, seed=5)
    b = perturb_table(table, seed=5)
    c = perturb_table(table, seed=6)
    pd.testing.assert_frame_equal(a.Z, b.Z)
    assert not np.allclose(a.Z.to_numpy(), c.Z.to_numpy())


def test_zero_perturbation_returns_the_table(table):
    assert perturb_table(table, Perturbation(0, 0, 0, 0), seed=1) is table


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"technical": 1.0}, "technical"),
        ({"co2": -0.1}, "co2"),
        ({"capital": "x"}, "capital"),
        ({"max_redraws": -1}, "max_redraws"),
    ],
)
def test_perturbation_ranges_are_checked(kwargs, field):
    with pytest.raises(ScenarioError) as err:
        Perturbation(**kwargs)
    assert err.value.field == field


def test_a_table_with_no_final_demand_in_a_row_cannot_be_perturbed():
    t = xn_io.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]], [0.0, 1700.0], x=[650.0, 2000.0], sectors=["agriculture", "manufacturing"]
    )
    with pytest.raises(TableError, match="agriculture"):
        perturb_table(t, Perturbation(technical=0.1), seed=0)


@pytest.mark.parametrize("seed", [0, 3, 7])
def test_delta_draw_moves_local_purchases_to_the_recorded_share(table, seed):
    """δ in the table's documented range; the local share of intermediate inputs is the recorded one at that δ
    (linear between the build's points, recomputed here), unless the no-negative-trade limit bit."""
    d = perturb_table(table, Perturbation(technical=0, co2=0, energy=0, capital=0, delta=True), seed=seed)
    info = d.metadata["perturbation"]
    points = sorted((v["delta"], v["local_intermediate_share"]) for v in table.metadata["delta_range"].values())
    assert points[0][0] <= info["delta"] <= points[-1][0]
    want = np.interp(info["delta"], [p[0] for p in points], [p[1] for p in points])
    local = d.Z.to_numpy().sum() / (d.Z.to_numpy().sum() + d.M.loc["imports"].sum())
    assert info["local_share_target"] == pytest.approx(want, rel=1e-12)
    if info["delta_shrink"] == 1.0:
        assert local == pytest.approx(want, rel=1e-9)
    else:  # limited: a free row's exports or a column's imports reached zero
        assert 0 < info["delta_shrink"] < 1
        assert min(d.Y["exports"].min(), d.M.loc["imports"].min()) == pytest.approx(0.0, abs=1e-9)
    assert (d.x == table.x).all() and (d.Y["exports"] >= -1e-9).all() and (d.M.to_numpy() >= -1e-9).all()
    _check_balanced_and_productive(d)
    # services sold outside only to visitors keep their flows
    fixed = table.metadata["estimates"]["sold_outside_only_to_visitors"]
    pd.testing.assert_frame_equal(d.Z.loc[fixed], table.Z.loc[fixed])
    # value added is untouched
    pd.testing.assert_frame_equal(d.V, table.V)


def test_delta_draw_needs_a_recorded_range(mb_table):
    with pytest.raises(ScenarioError, match="no range of δ") as err:
        perturb_table(mb_table, Perturbation(technical=0, co2=0, energy=0, capital=0, delta=True), seed=0)
    assert err.value.field == "delta"
    with pytest.raises(ScenarioError):
        Perturbation(delta="yes")


# ------------------------------------------------------------------------------- monte carlo
def test_zero_perturbation_reproduces_the_deterministic_plan(table):
    s = Scenario()
    plan = solve(table, s)
    mc = monte_carlo(table, s, 2, perturb=Perturbation(0, 0, 0, 0), seed=0, quiet=True)
    for draw in mc.draws.index:
        np.testing.assert_allclose(mc.gdp.loc[draw].to_numpy(), plan.gdp.to_numpy(), rtol=1e-9)
        np.testing.assert_allclose(mc.co2.loc[draw].to_numpy(), plan.co2_total.to_numpy(), rtol=1e-9)
        np.testing.assert_allclose(
            mc.investment.loc[draw].to_numpy(), plan.investment.sum(axis=1).to_numpy(), rtol=1e-7, atol=1e-6
        )
    prob = mc.target_probability()["probability"]
    for name, met in plan.targets["met"].items():
        assert prob[name] == float(met)
    spread = mc.spread()
    assert spread.loc["gdp_2030", "std"] == pytest.approx(0.0, abs=1e-6)


def test_statistics_are_those_of_the_draws(mc):
    assert mc.n == 6 and len(mc.solved) == 6
    met = mc.targets_met.astype(float)
    prob = mc.target_probability()
    for t in met.columns:
        assert prob.loc[t, "probability"] == pytest.approx(met[t].mean())
    assert prob.loc["all targets", "probability"] == pytest.approx(met.all(axis=1).mean())
    fan = mc.fan("co2")
    np.testing.assert_allclose(fan["q05"], np.quantile(mc.co2.to_numpy(), 0.05, axis=0))
    np.testing.assert_allclose(fan["q50"], np.median(mc.co2.to_numpy(), axis=0))
    spread = mc.spread()
    gdp30 = mc.gdp[2030].to_numpy()
    assert spread.loc["gdp_2030", "q95"] == pytest.approx(np.quantile(gdp30, 0.95))
    assert spread.loc["gdp_2030", "std"] == pytest.approx(gdp30.std(ddof=1))
    assert spread.loc["gdp_2030", "std"] > 0  # the draws do differ
    robust = mc.robust_investment(threshold=50.0, share=0.5)
    inv = mc.investment.to_numpy()
    share = (inv > 50.0).mean(axis=0)
    np.testing.assert_allclose(robust["share_invested"].reindex(mc.investment.columns), share)
    assert robust["robust"].sum() == (share >= 0.5).sum()
    assert (mc.draws["spectral_bound"] < 1).all()


def test_same_seed_same_draws(table, mc):
    again = monte_carlo(table, Scenario(), 6, seed=3, quiet=True)
    pd.testing.assert_frame_equal(mc.gdp, again.gdp)


def test_report_text_and_chart(mc):
    text = mc.summary()
    assert "GDP 2030" in text and "6 draws" in text
    from matplotlib.figure import Figure

    from xn_io.report import plot_monte_carlo

    fig = plot_monte_carlo(mc, top=5)
    assert isinstance(fig, Figure) and len(fig.axes) == 3
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_monte_carlo_checks_its_arguments(table):
    with pytest.raises(ArgumentError, match="n must"):
        monte_carlo(table, Scenario(), 0)
    with pytest.raises(ArgumentError, match="seed"):
        monte_carlo(table, Scenario(), 1, seed=-3)
    with pytest.raises(ArgumentTypeError, match="perturb"):
        monte_carlo(table, Scenario(), 1, perturb={"technical": 0.1})
    with pytest.raises(ScenarioError, match="no_such_pillar"):  # once, before any draw
        monte_carlo(table, Scenario(pillar_targets={"no_such_pillar": 1.0}), 50)
