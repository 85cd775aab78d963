"""Units travel with results as columns: pandas operations that drop ``.attrs`` keep them.

Two tables of the same economy (Miller & Blair 2022, Table 2.3) in different units: one in
亿元 with CO2 in 万吨, one in USD million with CO2 in kt. Concatenating their results is the
operation a researcher comparing regions does; pandas then drops ``.attrs`` (they differ),
so the unit must come from the data.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

import xn_io
from xn_io import structural as st
from xn_io.report.sections import multiplier_table

Z = [[150, 500], [200, 100]]
Y = [350, 1700]
SECTORS = ["agriculture", "manufacturing"]


@pytest.fixture(scope="module")
def tables():
    cny = xn_io.IOTable.from_arrays(Z, Y, sectors=SECTORS, satellites={"co2": ([30.0, 10.0], "万吨")})
    usd = xn_io.IOTable.from_arrays(Z, Y, sectors=SECTORS, unit="USD million", satellites={"co2": ([30.0, 10.0], "kt")})
    return cny, usd


def _concat(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    both = pd.concat([a, b], keys=["cny", "usd"])
    assert both.attrs == {}, "the test needs an operation that drops .attrs"
    return both


def test_impact_units_survive_a_concat(tables):
    cny, usd = tables
    both = _concat(cny.impact({"agriculture": 1.0}), usd.impact({"agriculture": 1.0}))
    assert both.loc[("cny", "agriculture"), ["output_unit", "co2_unit"]].tolist() == ["亿元", "万吨"]
    assert both.loc[("usd", "manufacturing"), ["output_unit", "value_added_unit", "co2_unit"]].tolist() == [
        "USD million",
        "USD million",
        "kt",
    ]
    # the numbers are those of the same economy: Δx = L Δy, column 1 of L (Miller & Blair eq. 2.12)
    assert both.loc[("usd", "agriculture"), "output"] == pytest.approx(1.2541, abs=1e-4)


def test_extraction_units_survive_a_csv_round_trip(tables):
    _, usd = tables
    lost = st.extract_sectors(usd, {"both": SECTORS})
    back = pd.read_csv(io.StringIO(lost.to_csv()), index_col=0)
    assert back.attrs == {}
    assert back.loc["both", ["output_unit", "value_added_unit", "co2_unit"]].tolist() == ["USD million"] * 2 + ["kt"]
    # extracting every sector loses the whole economy: gross output 3000, CO2 40 (hand sums of the table)
    assert back.loc["both", "output"] == pytest.approx(3000.0)
    assert back.loc["both", "co2"] == pytest.approx(40.0)


def test_effects_paths_and_footprints_units_survive_a_concat(tables):
    cny, usd = tables
    effects = _concat(st.extraction_effects(cny, "agriculture"), st.extraction_effects(usd, "agriculture"))
    assert set(effects.xs("usd")["co2_unit"]) == {"kt"}
    assert set(effects.xs("cny")["co2_unit"]) == {"万吨"}
    paths = pd.concat([st.structural_paths(cny, "co2"), st.structural_paths(usd, "co2")], ignore_index=True)
    assert paths.attrs == {}
    assert sorted(set(paths["unit"])) == ["kt", "万吨"]
    feet = _concat(cny.footprints("co2"), usd.footprints("co2"))
    assert feet["unit"].tolist() == ["万吨", "kt"]


def test_multiplier_units_are_the_tables(tables):
    _, usd = tables
    frame = multiplier_table(usd)
    merged = frame.reset_index().merge(pd.DataFrame({"sector": SECTORS, "region": "r"}), on="sector")
    assert merged.attrs == {}
    assert set(merged["co2_multiplier_unit"]) == {"kt/USD million"}
    assert set(merged["output_multiplier_unit"]) == {"USD million/USD million"}
