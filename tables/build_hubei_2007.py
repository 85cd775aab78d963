"""Build the embedded table ``hubei-2007``: Hubei's 2007 IO table with flows to and from other provinces.

Source: the Hubei 2007 input-output table (湖北省统计局, 42 sectors, 万元, producer
prices) as stored in ``tables/sources/crem_hubei_2007/`` (see its PROVENANCE). The
published table is competitive: purchases from outside the province (调入) are a
column by product (the sheet's 进口 and 出口 columns are empty: foreign trade is inside
调入 and 调出). To give the regional table its natural form —
intra-provincial flows in ``Z``, purchases from outside the province in ``M`` —
调入 is allocated to its users by the standard import-proportionality assumption
(Miller & Blair 2022, §3.3): every local user of product *i* (intermediate or
final, sales outside excluded) gets the same share
s_i = inflow_i / (intermediate use_i + local final use_i) from outside.

- ``Z``: intra-provincial flows, Z_ij·(1 − s_i) (estimate: the split is assumed);
- ``M``: row ``imports`` = 调入 bought by each sector, Σ_i Z_ij·s_i;
- ``Y``: local final use of Hubei products (rural and urban households, government,
  GFCF, inventories) ·(1 − s_i), and ``exports`` = 调出 as published;
- ``V``: value added as published; ``x``: gross output as published.

Totals by product and by sector (gross output, value added, 调出, 调入) are the
published ones; only the split of 调入 among its users is an estimate. Values are
converted from 万元 to 亿元.

Run from the repository root: ``python tables/build_hubei_2007.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from _common import OUTPUT, SOURCES, VA_ROWS, WAN_TO_YI, check_close, source_checksums

from xn_io import IOTable

NAME = "hubei-2007"
FILE = SOURCES / "crem_hubei_2007" / "hubei_2007_io_42sector.csv"
LOCAL_FD = {
    "FC_rural_hh": "households_rural",
    "FC_urban_hh": "households_urban",
    "FC_gov": "government",
    "GFCF": "gfcf",
    "inventory_change": "inventories",
}


def build() -> IOTable:
    raw = pd.read_csv(FILE, dtype={"code": str}).set_index("code")
    codes = [f"{i:02d}" for i in range(1, 43)]
    Z = raw.loc[codes, codes].astype(float) * WAN_TO_YI
    F = raw.loc[codes].drop(columns=["name_zh"] + codes).astype(float) * WAN_TO_YI
    V = raw.loc[list(VA_ROWS), codes].astype(float).rename(index=VA_ROWS) * WAN_TO_YI
    go = F["GO"]
    # the published identities
    check_close(
        "row identity",
        Z.sum(axis=1) + F["TFU"] - F["IM_imports"] - F["INFLOW_from_other_provinces"] + F["OTHER_error"],
        go,
        rtol=1e-12,
    )
    check_close("column identity", Z.sum(axis=0) + V.sum(axis=0), go, rtol=1e-12)
    check_close(
        "TFU", F[["FC_total", "GCF_total", "EX_exports", "OUTFLOW_to_other_provinces"]].sum(axis=1), F["TFU"], rtol=1e-9
    )
    for empty in ("OTHER_error", "EX_exports", "IM_imports"):
        if (F[empty] != 0).any():
            raise AssertionError(f"the column {empty} is not all zero; this build assumes it is")

    local_fd = F[list(LOCAL_FD)].rename(columns=LOCAL_FD)
    outside = F["INFLOW_from_other_provinces"]
    local_use = Z.sum(axis=1) + local_fd.sum(axis=1)
    share = (outside / local_use).where(local_use != 0, 0.0)
    if not share.between(0, 1).all():
        raise AssertionError(f"outside-supply shares outside [0, 1]: {share[~share.between(0, 1)].to_dict()}")
    Zd = Z.mul(1 - share, axis=0)
    M = pd.DataFrame([Z.mul(share, axis=0).sum()], index=["imports"])
    Y = local_fd.mul(1 - share, axis=0)
    Y["exports"] = F["OUTFLOW_to_other_provinces"]
    fd_outside = local_fd.mul(share, axis=0).sum()
    info = pd.DataFrame(
        {"name_zh": raw.loc[codes, "name_zh"].str.strip(), "code": codes}, index=pd.Index(codes, name="sector")
    )
    info["name_en"] = NAMES_EN
    info["outside_supply_share"] = share
    meta = {
        "description": "Hubei 2007 IO table, 42 sectors, with flows to and from other provinces (official totals; import split assumed)",
        "default_status": "mixed",
        "status": {
            "gdp": "official",
            "output": "official",
            "final_demand": "mixed (totals official, local/outside split estimated)",
            "imports": "mixed (totals official, split among users estimated)",
        },
        "publisher": "湖北省统计局 (Hubei Bureau of Statistics), 湖北省2007年投入产出表（按当年生产者价格计算）",
        "price_basis": "producer prices, current 2007 prices",
        "unit_note": "converted from 万元 (10^4 CNY) as published to 亿元 (10^8 CNY) by dividing by 10^4",
        "form": "regional, non-competitive by assumption: Z intra-provincial; M row 'imports' = 调入 (purchases from outside Hubei) by using sector; Y column 'exports' = 调出 (sales outside Hubei) as published",
        "trade_note": "the source sheet has 出口 (exports abroad) and 进口 (imports from abroad) columns but they are empty: foreign trade is not shown separately, 调出/调入 are the province's sales to and purchases from everywhere outside it",
        "method": "import proportionality (Miller & Blair 2022 §3.3): share s_i of product i's local uses bought from outside = inflow_i / (intermediate use_i + local final use_i); outflows (exports) are taken to be local products",
        "published_totals": {
            "inflows": float(F["INFLOW_from_other_provinces"].sum()),
            "outflows": float(F["OUTFLOW_to_other_provinces"].sum()),
            "value_added": float(V.to_numpy().sum()),
            "gross_output": float(go.sum()),
        },
        "outside_final_use": {k: float(v) for k, v in fd_outside.items()},
        "outside_final_use_note": "inflows (调入) used directly by local final demand (亿元), not part of Z/Y/M",
        "sources": {
            "via": "github.com/zhangda1021/data @ 8c775655bf12c985a5fd0be13f3a4570219e29ff, ChinaBalancedSAM/data/ChinaIO.xls sheet HUB, flattened to CSV (no licence stated by that repository)",
            "files_sha256": source_checksums([FILE]),
        },
        "build_script": "tables/build_hubei_2007.py",
    }
    return IOTable(Zd, Y, V, M, x=go, unit="亿元", name=NAME, year=2007, sector_info=info, metadata=meta)


NAMES_EN = [
    "Agriculture, forestry, animal husbandry and fishery",
    "Coal mining and washing",
    "Petroleum and natural gas extraction",
    "Metal ore mining",
    "Non-metal and other ore mining",
    "Food manufacturing and tobacco processing",
    "Textiles",
    "Apparel, footwear, leather, fur and down products",
    "Wood processing and furniture",
    "Paper, printing and articles for culture, education and sports",
    "Petroleum processing, coking and nuclear fuel",
    "Chemical industry",
    "Non-metallic mineral products",
    "Metal smelting and rolling",
    "Metal products",
    "General and special-purpose machinery",
    "Transport equipment",
    "Electrical machinery and equipment",
    "Communication equipment, computers and other electronic equipment",
    "Instruments, meters, cultural and office machinery",
    "Crafts and other manufacturing",
    "Scrap and waste",
    "Electricity and heat production and supply",
    "Gas production and supply",
    "Water production and supply",
    "Construction",
    "Transport and storage",
    "Post",
    "Information transmission, computer services and software",
    "Wholesale and retail trade",
    "Accommodation and catering",
    "Finance",
    "Real estate",
    "Leasing and business services",
    "Research and experimental development",
    "Polytechnic services",
    "Water conservancy, environment and public facilities management",
    "Resident and other services",
    "Education",
    "Health, social security and social welfare",
    "Culture, sports and entertainment",
    "Public administration and social organisations",
]

PROVENANCE = """# hubei-2007 — provenance

**Status: official totals, estimated split of 调入 among its users ("mixed").**

- Source: 湖北省2007年投入产出表（按当年生产者价格计算）, 42 sectors, 万元, compiled by 湖北省统计局
  (Hubei Bureau of Statistics) — sheet HUB of `ChinaBalancedSAM/data/ChinaIO.xls` in
  github.com/zhangda1021/data @ 8c775655 (no licence stated by that repository), flattened to CSV in
  `tables/sources/crem_hubei_2007/`. Unit converted to 亿元 (÷ 10^4).
- Official, as published: gross output by sector, value added by component, sales outside the
  province (调出, column `exports`) and purchases from outside (调入) by product. The sheet's
  出口/进口 (foreign trade) columns are empty: foreign trade is inside 调出/调入.
  The build checks the published identities to 1e-12 before writing. Σ value added =
  {va:,.2f} 亿元; gross output {go:,.2f} 亿元.
- Estimated: the split of 调入 among its users (import proportionality,
  Miller & Blair 2022 §3.3): each local user of product i — every sector and local final demand,
  not exports or outflows — gets the same share of i from outside Hubei. `Z` is therefore the
  estimated intra-provincial flow matrix and `M` (row `imports`) the estimated purchases of
  each sector from outside Hubei. 调入 used directly by final demand is in metadata
  (`outside_final_use`). The published competitive table is
  Z + (the M rows spread back by product) and can be rebuilt from the source CSV.
- Use: a real regional table of the province around Xianning, with its inter-provincial trade;
  e.g. to compare location-quotient estimates with the province's own regional purchase
  coefficients. It is from 2007: structure only, not levels for today.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder that receives the table folder")
    args = parser.parse_args(argv)
    table = build()
    table.to_csv(args.out / NAME, overwrite=True)
    (args.out / NAME / "PROVENANCE.md").write_text(
        PROVENANCE.format(va=table.gdp, go=float(table.x.sum())), encoding="utf-8"
    )
    print(f"{NAME}: {table.n} sectors, GDP {table.gdp:,.2f} 亿元, output {table.x.sum():,.2f} 亿元")


if __name__ == "__main__":
    main()
