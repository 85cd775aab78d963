"""Tests of xn_io.regionalize: a regional IOTable from a national one.

Oracles: hand-computed two-sector regions of the Miller & Blair table (SLQ and FLQ),
the accounting identities, the no-leakage case (a region that is a scaled copy of the
nation), and the embedded China 2020 table.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xn_io
from xn_io.errors import BalancingError, TableError
from xn_io.regionalize import FINAL_DEMAND, IMPORTS, regionalize

from .conftest import random_balanced

SECTORS = ["agriculture", "manufacturing"]


@pytest.fixture
def national() -> xn_io.IOTable:
    """Miller & Blair (2022) Table 2.3 with value added 650, 1400 and a CO2 satellite."""
    return xn_io.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]],
        [350.0, 1700.0],
        value_added=[650.0, 1400.0],
        sectors=SECTORS,
        satellites={"co2": ([30.0, 10.0], "万吨")},
        name="mb",
    )


def assert_identities(t: xn_io.IOTable, rtol: float = 1e-10) -> None:
    x = t.x.to_numpy()
    scale = max(1.0, x.max())
    np.testing.assert_allclose(t.Z.sum(axis=1) + t.Y.sum(axis=1), x, atol=rtol * scale)
    np.testing.assert_allclose(t.Z.sum(axis=0) + t.V.sum(axis=0) + t.M.sum(axis=0), x, atol=rtol * scale)


def test_slq_region_by_hand(national):
    # SLQ = (300/400)/(1000/3000) = 2.25 → 1;  (100/400)/(2000/3000) = 0.375
    reg = regionalize(national, pd.Series({"manufacturing": 100.0, "agriculture": 300.0}), method="slq")
    R = np.array([[0.15, 0.25], [0.2 * 0.375, 0.05 * 0.375]])
    xr = np.array([300.0, 100.0])
    np.testing.assert_allclose(reg.Z.to_numpy(), R * xr)
    np.testing.assert_allclose(reg.M.loc[IMPORTS].to_numpy(), [0.2 * 0.625 * 300, 0.05 * 0.625 * 100])
    np.testing.assert_allclose(reg.V.to_numpy().ravel(), [0.65 * 300, 0.7 * 100])
    np.testing.assert_allclose(reg.Y[FINAL_DEMAND].to_numpy(), [300 - 45 - 25, 100 - 22.5 - 1.875])
    np.testing.assert_allclose(reg.satellites["co2"].values.to_numpy(), [30 / 1000 * 300, 10 / 2000 * 100])
    assert reg.satellites["co2"].status == "estimate" and reg.satellites["co2"].unit == "万吨"
    np.testing.assert_allclose(reg.sector_info["slq"].to_numpy(), [2.25, 0.375])
    assert_identities(reg)


def test_flq_region_by_hand(national):
    xr = np.array([300.0, 100.0])
    lam = (math.log(1 + 400 / 3000) / math.log(2)) ** 0.3
    flq = lam * np.array([[2.25, 2.25 / 0.375], [0.375 / 2.25, 0.375]])
    A = np.array([[0.15, 0.25], [0.2, 0.05]])
    R = A * np.minimum(flq, 1.0)
    reg = regionalize(national, xr)  # FLQ, δ = 0.3 by default
    np.testing.assert_allclose(reg.Z.to_numpy(), R * xr)
    np.testing.assert_allclose(reg.M.loc[IMPORTS].to_numpy(), ((A - R) * xr).sum(axis=0))
    np.testing.assert_allclose(reg.Y.to_numpy().ravel(), xr - (R * xr).sum(axis=1))
    rec = reg.metadata["regionalisation"]
    assert rec["method"] == "flq" and rec["delta"] == 0.3
    assert rec["flq_lambda"] == pytest.approx(lam) and rec["size_ratio"] == pytest.approx(400 / 3000)
    assert reg.metadata["default_status"] == "estimate"
    assert_identities(reg)


@pytest.mark.parametrize("method", ["slq", "cilq"])
def test_region_shaped_like_the_nation_leaks_nothing(national, method):
    # every LQ is 1: the region is the nation scaled by 0.1
    reg = regionalize(national, national.x * 0.1, method=method)
    np.testing.assert_allclose(reg.Z.to_numpy(), national.Z.to_numpy() * 0.1)
    np.testing.assert_allclose(reg.M.loc[IMPORTS].to_numpy(), 0.0, atol=1e-12)
    np.testing.assert_allclose(reg.V.to_numpy(), national.V.to_numpy() * 0.1)
    assert reg.metadata["regionalisation"]["leakage_to_rest_of_nation"] == pytest.approx(0.0, abs=1e-12)


def test_flq_with_delta_zero_and_nation_shaped_region_leaks_nothing(national):
    reg = regionalize(national, national.x * 0.1, delta=0.0)
    np.testing.assert_allclose(reg.M.loc[IMPORTS].to_numpy(), 0.0, atol=1e-12)


def test_final_demand_shares(national):
    nat = national.replace(Y=pd.DataFrame({"households": [250.0, 1200.0], "exports": [100.0, 500.0]}, index=SECTORS))
    single = regionalize(nat, [300.0, 100.0])
    shares = regionalize(nat, [300.0, 100.0], final_demand="shares")
    assert list(shares.Y.columns) == ["households", "exports"]
    np.testing.assert_allclose(shares.Y.sum(axis=1).to_numpy(), single.Y[FINAL_DEMAND].to_numpy())
    np.testing.assert_allclose(shares.Y["households"] / shares.Y.sum(axis=1), [250 / 350, 1200 / 1700])
    assert_identities(shares)


def test_balance_meets_margins_and_closes_columns(national):
    xr = np.array([300.0, 100.0])
    base = regionalize(national, xr)
    u = base.Z.sum(axis=1).to_numpy() * np.array([1.05, 0.8])
    v = base.Z.sum(axis=0).to_numpy()
    v = v * u.sum() / v.sum()
    reg = regionalize(national, xr, balance=(u, v))
    np.testing.assert_allclose(reg.Z.sum(axis=1).to_numpy(), u)
    np.testing.assert_allclose(reg.Z.sum(axis=0).to_numpy(), v)
    np.testing.assert_allclose(reg.V.to_numpy(), national.V.to_numpy() / national.x.to_numpy() * xr)
    np.testing.assert_allclose(reg.M.loc[IMPORTS].to_numpy(), xr - v - reg.V.sum(axis=0).to_numpy())
    assert reg.metadata["regionalisation"]["balanced"] is True
    assert_identities(reg)
    with pytest.raises(BalancingError, match="difference"):
        regionalize(national, xr, balance=(u, v * 2))
    with pytest.raises(TableError, match=r"sector 'agriculture' buys .* more than its output"):
        regionalize(national, xr, balance=([200.0, 100.0], [290.0, 10.0]))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"regional_output": {"agriculture": 1.0}}, r"1 missing \(e.g. \['manufacturing'\]\)"),
        (
            {"regional_output": {"agriculture": 1.0, "manufacturing": 1.0, "mining": 2.0}},
            r"1 unknown \(e.g. \['mining'\]\)",
        ),
        ({"regional_output": [1.0, -1.0]}, "regional_output is negative at sector 'manufacturing'"),
        ({"regional_output": [1.0, 1.0], "method": "lq"}, "method must be one of"),
        ({"regional_output": [1.0, 1.0], "final_demand": "split"}, "final_demand must be"),
        ({"regional_output": [1.0, 1.0], "delta": 2.0}, r"delta must be in \[0, 1\)"),
    ],
)
def test_errors(national, kwargs, match):
    with pytest.raises(TableError, match=match):
        regionalize(national, **kwargs)


def test_over_localised_sector_is_named():
    # the region makes almost only good 1, which good 2 needs a lot of: SLQ keeps all of
    # row 1 local, and sector 2's purchases of good 1 exceed the region's output of it
    nat = xn_io.IOTable.from_arrays([[10.0, 900.0], [10.0, 10.0]], [80.0, 80.0], sectors=["ore", "metal"])
    with pytest.raises(TableError, match=r"sector 'ore': regional intermediate use .* exceeds regional output"):
        regionalize(nat, [10.0, 100.0], method="slq")


def test_china_2020_regionalised():
    nat = xn_io.load_table("china-2020-42")
    rng = np.random.default_rng(7)
    xr = nat.x * rng.uniform(0.0, 0.02, nat.n)
    for method in ("flq", "aflq"):
        reg = regionalize(nat, xr, method=method)
        assert_identities(reg, rtol=1e-9)
        A, R = nat.A.to_numpy(), reg.A.to_numpy()
        assert (R <= A + 1e-15).all()
        assert (reg.M.loc[IMPORTS] >= 0).all()
        # all import rows of the national table are merged into one row
        assert list(reg.M.index) == [IMPORTS]
        nat_imports = (nat.M.to_numpy().sum(axis=0) / nat.x.to_numpy() * xr.to_numpy()).sum()
        rec = reg.metadata["regionalisation"]
        assert rec["national_imports_carried"] == pytest.approx(nat_imports)
        assert reg.M.to_numpy().sum() == pytest.approx(nat_imports + rec["leakage_to_rest_of_nation"])
        # value added at national coefficients: GDP share = national VA/x weighted by regional output
        va_coef = nat.V.to_numpy().sum(axis=0) / nat.x.to_numpy()
        assert reg.gdp == pytest.approx(float(va_coef @ xr.to_numpy()), rel=1e-6)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 10), st.sampled_from(["flq", "aflq", "cilq"]), st.floats(0.0, 0.9))
def test_random_tables_close(seed, n, method, delta):
    rng = np.random.default_rng(seed)
    Z, Y, V, x = random_balanced(rng, n)
    labels = [f"s{i}" for i in range(n)]
    nat = xn_io.IOTable(
        pd.DataFrame(Z, index=labels, columns=labels),
        pd.DataFrame(Y, index=labels),
        pd.DataFrame(V, columns=labels),
        x=pd.Series(x, index=labels),
    )
    xr = x * rng.uniform(0.0, 0.2, n)
    xr[0] = max(xr[0], 1.0)
    try:
        reg = regionalize(nat, xr, method=method, delta=delta)
    except TableError as exc:
        # CILQ and FLQ cannot over-localise when national final demand is ≥ 0:
        # Σ_j r_ij x^r_j ≤ (x^r_i / x^n_i) Σ_j z_ij ≤ x^r_i; AFLQ raises columns and can
        assert "exceeds regional output" in str(exc) and method == "aflq"
        return
    assert_identities(reg, rtol=1e-9)
    assert (reg.A.to_numpy() <= nat.A.to_numpy() + 1e-15).all()
    assert (reg.M.loc[IMPORTS].to_numpy() >= -1e-9).all()
    # regional purchases + leakage = national coefficients × regional output
    np.testing.assert_allclose(reg.Z.sum(axis=0) + reg.M.loc[IMPORTS], Z.sum(axis=0) / x * xr, rtol=1e-9, atol=1e-9)
