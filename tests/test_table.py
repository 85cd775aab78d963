"""IOTable: labelled results against Miller & Blair, validation messages, transformations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import xn_io
from xn_io import IOTable, Satellite
from xn_io.errors import TableError, UnitError

from .conftest import random_balanced


def test_miller_blair_labelled(mb_table):
    t = mb_table
    np.testing.assert_allclose(t.A.to_numpy(), [[0.15, 0.25], [0.20, 0.05]])
    np.testing.assert_allclose(t.L.to_numpy(), [[1.254125, 0.330033], [0.264026, 1.122112]], atol=5e-7)
    assert list(t.A.index) == ["agriculture", "manufacturing"]
    dx = t.impact({"agriculture": 250.0, "manufacturing": -200.0})
    np.testing.assert_allclose(dx["output"], [247.52, -158.42], atol=5e-3)  # [1247.52, 1841.58] − x
    np.testing.assert_allclose(t.output_multipliers(), t.L.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(t.value_added_multipliers(), 1.0, atol=1e-12)
    assert t.gdp == pytest.approx(2050.0)  # (1000 − 350) + (2000 − 600)
    # CO2 intensities 0.03 and 0.005 per 亿元; footprints add to the total
    fp = t.footprints("co2")
    assert fp["total"].sum() == pytest.approx(40.0)
    assert fp.attrs["unit"] == "万吨"
    assert fp["unit"].tolist() == ["万吨"]  # the unit travels with the numbers (pandas drops .attrs)


def test_caches_and_immutability(mb_table):
    # computed once: two accesses are two frames over the same cached (read-only) data
    assert np.shares_memory(mb_table.A.to_numpy(), mb_table.A.to_numpy())
    assert mb_table.solver is mb_table.solver
    with pytest.raises(AttributeError, match="immutable"):
        mb_table.unit = "USD"
    Z = mb_table.Z
    Z.iloc[0, 0] = 1e6  # a copy: the table is unchanged
    assert mb_table.Z.iloc[0, 0] == 150.0


def test_from_arrays_keeps_other_inputs_residual():
    t = IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], x=[1000, 2000], value_added=[600, 1300])
    assert list(t.M.index) == [xn_io.table.OTHER_INPUTS]
    np.testing.assert_allclose(t.M.to_numpy(), [[50.0, 100.0]])
    np.testing.assert_allclose(t.A.sum(axis=0) + t.value_added_coefficients + t.M.sum() / t.x, 1.0)


@settings(max_examples=15, deadline=None)
@given(n=st.integers(2, 25), seed=st.integers(0, 2**32 - 1))
def test_random_table_identities(n, seed):
    rng = np.random.default_rng(seed)
    Z, Y, V, x = random_balanced(rng, n)
    t = IOTable.from_arrays(Z, Y, x=x, value_added=V)
    np.testing.assert_allclose(t.A.to_numpy() @ x + Y.sum(axis=1), x, rtol=1e-9)
    np.testing.assert_allclose(t.A.sum(axis=0) + t.value_added_coefficients, 1.0, atol=1e-10)
    assert t.gdp == pytest.approx(Y.sum(), rel=1e-9)  # no imports: GDP = Σ final demand
    agg = t.aggregate({s: ("g0" if i % 2 else "g1") for i, s in enumerate(t.sectors)})
    assert agg.gdp == pytest.approx(t.gdp, rel=1e-9)
    assert agg.x.sum() == pytest.approx(x.sum(), rel=1e-9)


def test_select_keeps_identities():
    rng = np.random.default_rng(1)
    Z, Y, V, x = random_balanced(rng, 6)
    t = IOTable.from_arrays(Z, Y, x=x, value_added=V, sectors=list("abcdef"))
    s = t.select(["b", "d"])
    np.testing.assert_allclose(s.x, x[[1, 3]])
    np.testing.assert_allclose(s.Z.sum(axis=1) + s.Y.sum(axis=1), s.x)
    np.testing.assert_allclose(s.Z.sum(axis=0) + s.V.sum() + s.M.sum(), s.x)


def test_pillars_and_summary(mb_table):
    pillars = pd.DataFrame(
        {"sector": ["agriculture", "manufacturing"], "pillar": ["agrifood", "agrifood"], "share": [0.5, 0.25]}
    )
    t = mb_table.replace(pillars=pillars, metadata={"default_status": "estimate"})
    assert t.pillar_output()["agrifood"] == pytest.approx(0.5 * 1000 + 0.25 * 2000)
    s = t.summary()
    assert s.loc["GDP (value added)", "unit"] == "亿元"
    assert s.loc["GDP (value added)", "status"] == "estimate"
    assert s.loc["co2 total", "value"] == pytest.approx(40.0)
    assert s.loc["co2 total", "unit"] == "万吨"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(x=[1000.0, 2100.0]), r"row identity .* sector 'manufacturing'.*off by 100"),
        (dict(x=[1000.0, -1.0]), r"row identity"),
        (dict(Z=[[150.0, np.nan], [200.0, 100.0]]), r"NaN or infinite.*row 'agriculture', column 'manufacturing'"),
        (dict(sectors=["a", "a"]), r"duplicate sector labels"),
        (dict(sectors=["a"]), r"1 sector labels given for 2 sectors"),
        (dict(y=[350.0]), r"y must have 2 rows"),
        (dict(x=[1000.0, 2000.0, 5.0]), r"x has 3 entries but Z has 2 sectors"),
    ],
)
def test_bad_tables_name_the_sector(kwargs, message):
    args = dict(Z=[[150.0, 500.0], [200.0, 100.0]], y=[350.0, 1700.0], sectors=["agriculture", "manufacturing"])
    args.update(kwargs)
    with pytest.raises(TableError, match=message):
        IOTable.from_arrays(**args)


def test_bad_blocks_name_the_problem(mb_table):
    Z, Y = mb_table.Z, mb_table.Y
    with pytest.raises(TableError, match=r"Y rows do not match .*missing \['manufacturing'\]"):
        IOTable(Z, Y.iloc[:1])
    with pytest.raises(TableError, match="negative for sector 'agriculture'"):
        IOTable(Z * -1, Y * 0)
    V_bad = pd.DataFrame([[600.0, 1300.0]], index=["va"], columns=Z.columns)
    with pytest.raises(TableError, match=r"column identity .* sector 'agriculture'.*off by 50"):
        IOTable(Z, Y, V_bad)
    with pytest.raises(TableError, match="pillars row 0: sector 'steel'"):
        mb_table.replace(pillars=pd.DataFrame({"sector": ["steel"], "pillar": ["materials"], "share": [1.0]}))
    with pytest.raises(TableError, match="shares of sector 'agriculture' add up to 1.5"):
        mb_table.replace(
            pillars=pd.DataFrame({"sector": ["agriculture"] * 2, "pillar": ["p", "q"], "share": [0.75, 0.75]})
        )
    with pytest.raises(TableError, match="no satellite 'energy'"):
        mb_table.intensity("energy")
    with pytest.raises(UnitError, match="unit"):
        Satellite(pd.Series([1.0, 2.0], index=Z.index), "")
    with pytest.raises(TableError, match=r"sectors without a group: \['manufacturing'\]"):
        mb_table.aggregate({"agriculture": "all"})
    with pytest.raises(TableError, match="technologies: sector 'coal'"):
        mb_table.replace(technologies={"electricity": ["coal"]})
    with pytest.raises(TableError, match="zero at sector"):
        xn_io.leontief.technical_coefficients(Z, [0.0, 2000.0], labels=list(Z.index))
