"""Growth of the markets Xianning sells into, 2026–2030, by sector (constant market shares).

Xianning's sales outside the city (the ``exports`` column of ``xianning-2025``: abroad,
the rest of Hubei and the other provinces) are taken to keep their share of the market
they sell into, so they grow with that market (constant-market-share reasoning; Leamer &
Stern 1970, ch. 7; Fagerberg & Sollie 1987). The market of a product is China's total
use of it, intermediate and final, including China's exports, excluding changes in
inventories, in the NBS national IO tables:

    U_i(y) = TIU_i + TC_i + FU201_i + EX_i          (current prices, 万元)

The tables are at current prices and there are no product price indices in the sources,
so the *real* growth of a market is read as the growth of its share in national GDP
(Σ TVA), corrected for industrial goods by the one price index the sources have (the
industrial producer price index relative to the GDP deflator), plus national real GDP
growth:

    n_i = (U_i(T) / GDP(T) ÷ U_i(T0) / GDP(T0)) ^ (1 / (T − T0)) − 1     (nominal share growth)
    p   = (PPI(T) / PPI(T0) ÷ D(T) / D(T0)) ^ (1 / (T − T0)) − 1          (industrial goods only, else 0)
    r_i = (1 + n_i) / (1 + p) − 1
    g_i = clip((1 + g_GDP) (1 + r_i) − 1, low, high)

where D(T) / D(T0) = nominal GDP ratio of the two tables ÷ Π (1 + official real growth).
A product is an industrial good when all its 2018 codes are NBS 006–102 (mining,
manufacturing, electricity, gas and water: the scope of the PPI).

with T0 = 2012 (139 products), T = 2018 (153 products): the longest window of the shipped
tables before the pandemic year 2020 (2012→2020 and 2018→2020 are computed too, for the
record). The 2012 and 2018 products are matched to the 38 sectors by
``tables/xianning_2025/market_concordance.csv``. Services sold outside only to visitors
take the growth of the tourism basket (accommodation, catering, culture, sports and
entertainment); electricity takes national power use (the grid takes what the plants
send out; the figure is a bound only if the model wants one). ``g_GDP``, the window and
the clip are the assumptions in ``[outside_demand]`` of ``assumptions.toml``.

Caveat (stated in the metadata): one price correction for all industrial goods; a good
whose price fell more than the PPI (electronics, steel 2012–2016) still has its real market
growth understated, one whose price rose faster than the GDP deflator (services) overstated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

USE_COLUMNS = ["TIU", "TC", "FU201", "EX"]
"""Total use of a product excluding inventory changes: intermediate, consumption, fixed capital, exports."""


def codes(spec: str) -> list[str]:
    """'043-046;049' -> ['043', '044', '045', '046', '049']."""
    out = []
    for part in str(spec).split(";"):
        lo, _, hi = part.partition("-")
        out += [f"{i:03d}" for i in range(int(lo), int(hi or lo) + 1)]
    return out


def national_use(path: Path) -> tuple[pd.Series, float]:
    """Total use by product (万元) and GDP (Σ TVA, 万元) of an NBS competitive-import table."""
    raw = pd.read_csv(path, dtype={"Code": str}).set_index("Code")
    products = [c for c in raw.index if c.isdigit()]
    use = raw.loc[products, USE_COLUMNS].astype(float).sum(axis=1)
    gdp = float(raw.loc["TVA", products].astype(float).sum())
    return use, gdp


def share_growth(group0: list[str], group1: list[str], t0: tuple, t1: tuple, years: int) -> float:
    """Annual growth of a market's share in GDP between two tables: (s1 / s0) ** (1 / years) − 1."""
    (use0, gdp0), (use1, gdp1) = t0, t1
    s0 = float(use0.loc[group0].sum()) / gdp0
    s1 = float(use1.loc[group1].sum()) / gdp1
    return (s1 / s0) ** (1.0 / years) - 1.0


INDUSTRY = {f"{i:03d}" for i in range(6, 103)}
"""NBS 2018/2020 products in the scope of the industrial producer price index (mining to water supply)."""


def industrial_relative_price(prices: Path, gdp0: float, gdp1: float, t0: int, t1: int) -> dict:
    """Annual change of industrial producer prices relative to the GDP deflator between t0 and t1.

    ``prices``: the transcribed PPI and real GDP growth by year (percent per year);
    ``gdp0``, ``gdp1``: nominal GDP of the two tables (the deflator is their ratio ÷ real growth).
    """
    p = pd.read_csv(prices)
    years = list(range(t0 + 1, t1 + 1))
    out = {}
    for key, prefix in (("ppi", "PPI"), ("real_gdp", "real GDP growth")):
        rows = p[p["indicator"].str.startswith(prefix)].set_index("year")["value"]
        missing = sorted(set(years) - set(rows.index))
        if missing:
            raise AssertionError(f"{prices.name}: no {prefix} for {missing}")
        out[key] = float(np.prod([1 + rows[y] / 100 for y in years]))
    out["nominal_gdp"] = gdp1 / gdp0
    out["deflator"] = out["nominal_gdp"] / out["real_gdp"]
    out["relative_price_annual"] = (out["ppi"] / out["deflator"]) ** (1.0 / len(years)) - 1.0
    return out


def outside_market_growth(
    concordance: pd.DataFrame, files: dict[int, Path], prices: Path, assume: dict
) -> tuple[pd.Series, dict]:
    """The annual real growth rate of each sector's outside market, and the details for the metadata.

    ``concordance``: market_concordance.csv indexed by sector (columns nbs2012, nbs2018, basis).
    ``files``: {2012: china_2012_139.csv, 2018: china_2018_153.csv, 2020: china_2020_153.csv}.
    ``prices``: the PPI and real GDP growth 2013–2018 (nbs_prices/china_ppi_gdp_growth_2013_2018.csv).
    ``assume``: the ``[outside_demand]`` table of assumptions.toml.
    """
    t0, t1 = int(assume["base_year"]), int(assume["end_year"])
    if (t0, t1) != (2012, 2018):
        raise AssertionError(f"[outside_demand] window {t0}→{t1}: the concordance is written for 2012→2018")
    tabs = {y: national_use(p) for y, p in files.items()}
    g_nat = float(assume["national_real_gdp_growth"])
    low, high = float(assume["clip_low"]), float(assume["clip_high"])
    price = industrial_relative_price(prices, tabs[t0][1], tabs[t1][1], t0, t1)
    rows = {}
    for sector, r in concordance.iterrows():
        c12, c18 = codes(r["nbs2012"]), codes(r["nbs2018"])
        nominal = share_growth(c12, c18, tabs[2012], tabs[2018], 6)
        industrial = set(c18) <= INDUSTRY
        p = price["relative_price_annual"] if industrial else 0.0
        rel = (1 + nominal) / (1 + p) - 1
        raw = (1 + g_nat) * (1 + rel) - 1
        rows[sector] = {
            "basis": r["basis"],
            "deflated_by_ppi": industrial,
            "nominal_share_2012_2018": nominal,
            "nominal_share_2012_2020": share_growth(c12, c18, tabs[2012], tabs[2020], 8),
            "nominal_share_2018_2020": share_growth(c18, c18, tabs[2018], tabs[2020], 2),
            "relative_real": rel,
            "unclipped": raw,
            "growth": float(np.clip(raw, low, high)),
        }
    detail = pd.DataFrame(rows).T
    for col in detail.columns.drop(["basis", "deflated_by_ppi"]):
        detail[col] = detail[col].astype(float)
    gdp = {y: float(tabs[y][1]) for y in tabs}
    return detail["growth"].rename("outside_market_growth"), {"detail": detail, "gdp_wan_yuan": gdp, "price": price}
