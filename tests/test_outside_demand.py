"""xianning-2025 sector_info.outside_market_growth: the growth of the markets sold into outside Xianning.

Oracles: the rates recomputed by hand here from the NBS source CSVs (a few lines of pandas,
not the build's functions), the NBS price and growth figures as released (typed below from
the releases, to check the transcribed source file too), and the concordance with the
sector definitions.
"""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xn_io

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tables" / "sources"
SPEC = ROOT / "tables" / "xianning_2025"

# NBS first releases, 2013..2018 (% per year): the oracle for the transcribed CSV
PPI = [-1.9, -1.9, -5.2, -1.4, 6.3, 3.5]
REAL_GDP = [7.7, 7.4, 6.9, 6.7, 6.9, 6.6]


@pytest.fixture(scope="module")
def table() -> xn_io.IOTable:
    return xn_io.load_table("xianning-2025")


@pytest.fixture(scope="module")
def assume() -> dict:
    return tomllib.loads((SPEC / "assumptions.toml").read_text(encoding="utf-8"))["outside_demand"]


def _use_and_gdp(file: str, products: list[str]) -> tuple[float, float]:
    """Σ (TIU + TC + FU201 + EX) over ``products`` and Σ TVA, read straight from the CSV."""
    raw = pd.read_csv(SOURCES / "nbs_china_io" / file, dtype={"Code": str}).set_index("Code")
    codes = [c for c in raw.index if c.isdigit()]
    use = raw.loc[products, ["TIU", "TC", "FU201", "EX"]].to_numpy(float).sum()
    return use, raw.loc["TVA", codes].to_numpy(float).sum()


def _by_hand(products_2012: list[str], products_2018: list[str], industrial: bool, g_nat: float) -> float:
    u12, y12 = _use_and_gdp("china_2012_139.csv", products_2012)
    u18, y18 = _use_and_gdp("china_2018_153.csv", products_2018)
    share = ((u18 / y18) / (u12 / y12)) ** (1 / 6)
    if industrial:
        deflator = (y18 / y12) / math.prod(1 + g / 100 for g in REAL_GDP)
        share /= (math.prod(1 + p / 100 for p in PPI) / deflator) ** (1 / 6)
    return (1 + g_nat) * share - 1


def test_column_present_finite_and_within_the_clip(table, assume):
    g = table.sector_info["outside_market_growth"]
    assert g.dtype == float and list(g.index) == list(table.sectors)
    assert np.isfinite(g.to_numpy()).all()
    assert g.between(assume["clip_low"], assume["clip_high"]).all()
    # a market that grew in the data and one that shrank are not given the same rate
    assert g["information_finance"] > g["basic_chemicals"] + 0.05


def test_metadata_labels_the_estimate_and_the_assumption(table, assume):
    m = table.metadata["estimates"]["outside_market_growth"]
    assert m["status"] == "estimate"
    assert m["national_real_gdp_growth_status"] == "assumption"
    assert m["national_real_gdp_growth"] == assume["national_real_gdp_growth"]
    assert m["years"] == "2012→2018"
    assert set(m["by_sector"]) == set(table.sectors)
    for s, r in m["by_sector"].items():
        assert r["growth"] == pytest.approx(table.sector_info.loc[s, "outside_market_growth"], abs=1e-6)
    assert "nbs_china_io/china_2012_139.csv" in table.metadata["sources"]["files_sha256"]


def test_pharma_recomputed_by_hand(table, assume):
    # pharmaceuticals: 2012 product 048 ↔ 2018 product 050, an industrial good (PPI-corrected)
    want = _by_hand(["048"], ["050"], True, assume["national_real_gdp_growth"])
    assert assume["clip_low"] < want < assume["clip_high"]
    assert table.sector_info.loc["pharma_medical", "outside_market_growth"] == pytest.approx(want, rel=1e-9)


def test_electronics_recomputed_by_hand(table, assume):
    # computers … instruments: 2012 086–092 ↔ 2018 090–096
    p12 = [f"{i:03d}" for i in range(86, 93)]
    p18 = [f"{i:03d}" for i in range(90, 97)]
    want = _by_hand(p12, p18, True, assume["national_real_gdp_growth"])
    assert table.sector_info.loc["electronics_optoelectronics", "outside_market_growth"] == pytest.approx(
        want, rel=1e-9
    )


def test_visitor_services_follow_the_tourism_basket_by_hand(table, assume):
    # accommodation, catering, culture/sports/entertainment: 2012 112–113, 133–137 ↔ 2018 123–124, 147–151; no PPI
    p12 = ["112", "113", *[f"{i:03d}" for i in range(133, 138)]]
    p18 = ["123", "124", *[f"{i:03d}" for i in range(147, 152)]]
    want = min(_by_hand(p12, p18, False, assume["national_real_gdp_growth"]), assume["clip_high"])
    g = table.sector_info["outside_market_growth"]
    for s in ("accommodation", "catering", "recreation_culture", "trade"):
        assert g[s] == pytest.approx(want, rel=1e-9), s
    # the services that sell outside only to visitors and have no visitor spending export nothing
    for s in ("real_estate", "other_public_services", "health_services", "gas_water"):
        assert table.Y.loc[s, "exports"] == pytest.approx(0.0, abs=1e-9), s


def test_transcribed_prices_are_the_releases():
    p = pd.read_csv(SOURCES / "nbs_prices" / "china_ppi_gdp_growth_2013_2018.csv")
    ppi = p[p["indicator"].str.startswith("PPI")].set_index("year")["value"]
    gdp = p[p["indicator"].str.startswith("real GDP")].set_index("year")["value"]
    assert ppi.loc[2013:2018].tolist() == PPI and gdp.loc[2013:2018].tolist() == REAL_GDP
    assert p["source_url"].str.startswith("http").all()


def test_concordance_agrees_with_the_sector_definitions():
    spec = pd.read_csv(SPEC / "sectors.csv", dtype=str).set_index("sector")
    conc = pd.read_csv(SPEC / "market_concordance.csv", dtype=str).set_index("sector")
    assert list(conc.index) == list(spec.index)
    # the documented exceptions: tea inside 2012's beverages; medical instruments inside 2012's special machinery
    exceptions = {"food_beverages", "tea", "pharma_medical", "special_machinery"}
    own = conc[(conc["basis"] == "own") & ~conc.index.isin(exceptions)]
    for sector, r in own.iterrows():
        assert r["nbs2018"] == spec.loc[sector, "nbs153"], sector
    assert set(conc["basis"]) == {"own", "tourism", "electricity"}
    assert (conc.loc[conc["basis"] == "electricity"].index.str.startswith("power_")).all()
