"""Build the embedded table ``xianning-2025``: an estimated IO table of Xianning (咸宁) in 2025.

No official input-output table of Xianning exists. This script estimates one,
deterministically, from the files in ``tables/sources/``, the location-quotient
validation in ``benchmarks/results/lq_validation.json`` and the parameters in
``tables/xianning_2025/assumptions.toml``; ``tables/xianning_2025/sectors.csv``
defines the 38 sectors (as groups of NBS 153 products) and ``pillars.csv`` the
plan's five pillars, in their statistical scopes and in the narrow ones. The steps
(details in the PROVENANCE.md it writes):

1. value added 2025: GDP 2000亿元 (plan base), split by the 2019 three-sector
   structure (official 2020 values ÷ their official 2020 growth rates: the last year
   before the pandemic), within each broad sector by Hubei 2017 IO shares (official),
   within each Hubei sector by China 2020 product shares; electricity is built
   bottom-up from four technologies (coal, hydro, solar, wind) whose capacities,
   hours and costs are assumptions;
2. gross output = value added ÷ the China 2020 value-added ratio of each sector;
3. China 2020 technical coefficients aggregated to the 38 sectors (the power
   technologies get their own input columns), regionalised by the location quotient
   and δ that the LQ validation recommends (AFLQ, δ = 0.17); non-tradable services
   are bought locally at least at Hubei 2017's self-supply of them; electricity is
   supplied by local plants first; what is not bought locally is imported (from
   abroad or other provinces);
4. final demand: China 2020 final-use structure per unit of GDP, bought locally
   up to each product's location quotient (non-tradables and electricity as in 3);
   sales outside Xianning (exports) are the residual for goods and visitor spending
   for the services visitors buy (none for real estate or public services); the
   flows and final demand are balanced by GRAS to the row totals (gross output)
   and column totals (regional purchases, final demand);
5. satellites: CO2 anchored on the CEADs Xianning 2019 total carried to 2025,
   split by China 2019 CEADs intensities (what Xianning's output would emit at the
   national intensity of each sector), the excess of the anchor over that going to
   energy-intensive industry; energy from the same fuel mix; employment from
   national 2018 labour intensities; capital stock from depreciation and
   depreciation rates;
6. the key figures again at the ends of the δ range of the LQ validation (metadata
   ``delta_range``).

The previous version (Hubei 2007 structure, 2020 broad structure, FLQ δ = 0.3) is
``xianning-2025-v1``, built by ``tables/build_xianning_2025_v1.py``.

Run from the repository root: ``python tables/build_xianning_2025.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from _common import OUTPUT, ROOT, SOURCES, TABLES, VA_ROWS, WAN_TO_YI, check_close, read_nbs_153, source_checksums
from market_growth import outside_market_growth

from xn_io import IOTable, Satellite
from xn_io.nbs import read_nbs_workbook
from xn_io.regional import aflq, flq, gras

NAME = "xianning-2025"
SPEC = TABLES / "xianning_2025"
F_NBS2020 = SOURCES / "nbs_china_io" / "china_2020_153.csv"
F_NBS2018 = SOURCES / "nbs_china_io" / "china_2018_153.csv"
F_NBS2012 = SOURCES / "nbs_china_io" / "china_2012_139.csv"
F_PRICES = SOURCES / "nbs_prices" / "china_ppi_gdp_growth_2013_2018.csv"
F_EMP = SOURCES / "nbs_china_io" / "china_employment.csv"
F_HUBEI = SOURCES / "nbs_provincial_io_2017" / "17-湖北.xls"
F_CEADS = SOURCES / "ceads_co2" / "china_co2_by_sector_fuel_2019.csv"
F_CITIES = SOURCES / "ceads_co2" / "hubei_cities_total_co2_vector.csv"
F_XN = SOURCES / "xianning_stats" / "xianning_indicators.csv"
F_PLAN = SOURCES / "xianning_plan" / "targets.csv"
F_TOURISM = SOURCES / "xianning_stats" / "xianning_tourism.csv"
F_LQ = ROOT / "benchmarks" / "results" / "lq_validation.json"
SOURCE_FILES = [
    F_NBS2020,
    F_NBS2018,
    F_NBS2012,
    F_PRICES,
    F_EMP,
    F_HUBEI,
    F_CEADS,
    F_CITIES,
    F_XN,
    F_PLAN,
    F_TOURISM,
]

TECHS = ["power_coal", "power_hydro", "power_solar", "power_wind"]
ELEC = "electricity"  # the product made by the four technologies
FD = ["households", "government", "gfcf", "inventories"]


def codes(spec: str) -> list[str]:
    """'043-046;049' -> ['043', '044', '045', '046', '049']."""
    out = []
    for part in str(spec).split(";"):
        lo, _, hi = part.partition("-")
        out += [f"{i:03d}" for i in range(int(lo), int(hi or lo) + 1)]
    return out


def code_ranges(mapping: dict[str, str]) -> dict[str, str]:
    """{'01': '001-005', ...} -> {'001': '01', ...}."""
    return {c: key for key, spec in mapping.items() for c in codes(spec)}


# NBS 2020 products (153) -> the 42 sectors of the 2017 provincial tables (the 2017 classification).
HUBEI42 = code_ranges(
    {
        "01": "001-005",
        "02": "006",
        "03": "007",
        "04": "008-009",
        "05": "010-011",
        "06": "012-026",
        "07": "027-031",
        "08": "032-034",
        "09": "035-036",
        "10": "037-040",
        "11": "041-042",
        "12": "043-053",
        "13": "054-060",
        "14": "061-065",
        "15": "066",
        "16": "067-073",
        "17": "074-078",
        "18": "079-083",
        "19": "084-089",
        "20": "090-095",
        "21": "096",
        "22": "097-098",
        "23": "099",
        "24": "100",
        "25": "101",
        "26": "102",
        "27": "103-108",
        "28": "109-110",
        "29": "111-122",
        "30": "123-124",
        "31": "125-129",
        "32": "130-132",
        "33": "133",
        "34": "134-135",
        "35": "136",
        "36": "137-138",
        "37": "139-141",
        "38": "142-143",
        "39": "144",
        "40": "145-146",
        "41": "147-151",
        "42": "152-153",
    }
)
HUBEI_BROAD = {f"{h:02d}": ("primary" if h == 1 else "secondary" if h <= 27 else "tertiary") for h in range(1, 43)}

# NBS 2020 products -> GB/T 4754 codes of the employment series (china_employment.csv).
EMPLOYMENT = code_ranges(
    {
        "A01": "001",
        "A02": "002",
        "A03": "003",
        "A04": "004",
        "A05": "005",
        "B01": "006",
        "B02": "007",
        "B03": "008",
        "B04": "009",
        "B05": "010",
        "B06": "011",
        "C01": "012-018",
        "C02": "019-022",
        "C03": "023-025",
        "C04": "026",
        "C05": "027-031",
        "C06": "032",
        "C07": "033-034",
        "C08": "035",
        "C09": "036",
        "C10": "037",
        "C11": "038",
        "C12": "039-040",
        "C13": "041-042",
        "C14": "043-049",
        "C15": "050",
        "C16": "051",
        "C17": "052-053",
        "C18": "054-060",
        "C19": "061-063",
        "C20": "064-065",
        "C21": "066",
        "C22": "067-073",
        "C23": "074-078",
        "C24": "079-080",
        "C25": "081-083",
        "C26": "084-089",
        "C27": "090-095",
        "C28": "096",
        "C29": "097",
        "C30": "098",
        "C31": "099",
        "D01": "100",
        "D02": "101",
        "D03": "102",
        "E": "103-108",
        "F01": "109",
        "F02": "110",
        "G01": "111-112",
        "G02": "113-114",
        "G03": "115-116",
        "G04": "117-118",
        "G05": "119",
        "G06": "120",
        "G07": "121",
        "G08": "122",
        "H01": "123",
        "H02": "124",
        "I01": "125-126",
        "I02": "127",
        "I03": "128-129",
        "J01": "130",
        "J02": "131",
        "J03": "132",
        "K": "133",
        "L01": "134",
        "L02": "135",
        "M01": "136",
        "M02": "137",
        "M03": "138",
        "N": "139-141",
        "O": "142-143",
        "P": "144",
        "Q01": "145",
        "Q02": "146",
        "R01": "147",
        "R02": "148",
        "R03": "149",
        "R04": "150",
        "R05": "151",
        "S": "152-153",
    }
)

# CEADs 45 production sectors -> NBS 2020 products.
CEADS = {
    "Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy": "001-005;139",
    "Coal Mining and Dressing": "006",
    "Petroleum and Natural Gas Extraction": "007",
    "Ferrous Metals Mining and Dressing": "008",
    "Nonferrous Metals Mining and Dressing": "009",
    "Nonmetal Minerals Mining and Dressing": "010",
    "Other Minerals Mining and Dressing": "011",
    "Logging and Transport of Wood and Bamboo": "002",
    "Food Processing": "012-018",
    "Food Production": "019-022",
    "Beverage Production": "023-025",
    "Tobacco Processing": "026",
    "Textile Industry": "027-031",
    "Garments and Other Fiber Products": "032",
    "Leather, Furs, Down and Related Products": "033-034",
    "Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products": "035",
    "Furniture Manufacturing": "036",
    "Papermaking and Paper Products": "037",
    "Printing and Record Medium Reproduction": "038",
    "Cultural, Educational and Sports Articles": "039-040",
    "Petroleum Processing and Coking": "041-042",
    "Raw Chemical Materials and Chemical Products": "043-049",
    "Medical and Pharmaceutical Products": "050",
    "Chemical Fiber": "051",
    "Rubber Products": "052",
    "Plastic Products": "053",
    "Nonmetal Mineral Products": "054-060",
    "Smelting and Pressing of Ferrous Metals": "061-063",
    "Smelting and Pressing of Nonferrous Metals": "064-065",
    "Metal Products": "066",
    "Ordinary Machinery": "067-073",
    "Equipment for Special Purposes": "074-078",
    "Transportation Equipment": "079-083",
    "Electric Equipment and Machinery": "084-089",
    "Electronic and Telecommunications Equipment": "090-095",
    "Instruments, Meters, Cultural and Office Machinery": "096",
    "Other Manufacturing Industry": "097;099",
    "Scrap and waste": "098",
    "Production and Supply of Electric Power, Steam and Hot Water": "100",
    "Production and Supply of Gas": "101",
    "Production and Supply of Tap Water": "102",
    "Construction": "103-108",
    "Transportation, Storage, Post and Telecommunication Services": "111-122;125-126",
    "Wholesale, Retail Trade and Catering Services": "109-110;123-124",
    "Others": "127-138;140-153",
}
CEADS_POWER = "Production and Supply of Electric Power, Steam and Hot Water"
CEADS_HOUSEHOLDS = ["Urban", "Rural"]
PROCESS_PRODUCTS = [
    "054"
]  # CEADs process CO2 of Hubei is all cement (non-metal minerals): given to cement, lime, gypsum


# ---------------------------------------------------------------------------------- inputs
def load_inputs() -> dict:
    spec = pd.read_csv(SPEC / "sectors.csv", dtype={"nbs153": str}).set_index("sector")
    pillars = pd.read_csv(SPEC / "pillars.csv")
    assume = tomllib.loads((SPEC / "assumptions.toml").read_text(encoding="utf-8"))
    nat = read_nbs_153(F_NBS2020)
    for key in ("Z", "F", "V", "TVA"):
        nat[key] = nat[key] * WAN_TO_YI
    return {"spec": spec, "pillars": pillars, "assume": assume, "nat": nat}


def official_figures(assume: dict) -> dict:
    """The official figures the estimate rests on, read from the sources and checked."""
    xn = pd.read_csv(F_XN)
    annual = xn[(xn["year"] == 2020) & (xn["period"] == "annual")].set_index("indicator")
    rows = {
        "primary": "Primary industry value added (第一产业增加值)",
        "secondary": "Secondary industry value added (第二产业增加值)",
        "tertiary": "Tertiary industry value added (第三产业增加值)",
    }
    broad_2020 = {k: float(annual.loc[r, "value"]) for k, r in rows.items()}
    growth_2020 = {k: float(annual.loc[r, "yoy_change_pct"]) / 100 for k, r in rows.items()}
    # 2019 in 2020 prices: the 2020 values ÷ their published real growth (the pandemic year taken out)
    broad_2019 = {k: broad_2020[k] / (1 + growth_2020[k]) for k in rows}
    gdp_growth_2020 = float(annual.loc["GDP (地区生产总值)", "yoy_change_pct"]) / 100
    plan = pd.read_csv(F_PLAN).set_index("id")
    gdp = float(plan.loc["gdp_level", "base_value"])
    cities = pd.read_csv(F_CITIES)
    co2_2019 = (
        float(cities[(cities["city"] == "湖北咸宁") & (cities["year"] == 2019)]["emission"].iloc[0]) * 100
    )  # Mt -> 万吨
    if not math.isclose(gdp, assume["gdp"]["value"]):
        raise AssertionError(f"assumptions.toml gdp {assume['gdp']['value']} differs from the plan base {gdp}")
    if not math.isclose(co2_2019, assume["co2"]["anchor_value"], rel_tol=1e-12):
        raise AssertionError(
            f"assumptions.toml CO2 anchor {assume['co2']['anchor_value']} differs from CEADs {co2_2019}"
        )
    if not math.isclose(gdp_growth_2020, assume["co2"]["real_growth_2020"]):
        raise AssertionError("assumptions.toml real_growth_2020 differs from the 2020 communiqué")
    tourism = pd.read_csv(F_TOURISM).set_index(["year", "indicator"])
    return {
        "broad_2020": broad_2020,
        "growth_2020": growth_2020,
        "broad_2019": broad_2019,
        "gdp_2025": gdp,
        "co2_2019": co2_2019,
        "tourism_revenue_2017": float(tourism.loc[(2017, "tourism revenue (旅游总收入)"), "value"]),
    }


def lq_recommendation(assume: dict) -> dict:
    """The method and δ of the LQ validation (benchmarks/results/lq_validation.json), checked against assumptions.toml."""
    rec = json.loads(F_LQ.read_text(encoding="utf-8"))
    reg = assume["regionalisation"]
    for key, want in (
        ("recommended_method", reg["method"].lower()),
        ("delta", reg["delta"]),
        ("delta_low", reg["delta_low"]),
        ("delta_high", reg["delta_high"]),
    ):
        if rec[key] != want:
            raise AssertionError(
                f"assumptions.toml [regionalisation] {key} = {want!r} but the LQ validation says {rec[key]!r}"
            )
    return rec


def hubei_2017() -> dict:
    """Hubei 2017 (official): value added by its 42 sectors and self-supply s_i = 1 − (IM_i + IF_i) / local use_i."""
    t = read_nbs_workbook(F_HUBEI)
    Y = t.Y
    local_use = t.Z.sum(axis=1) + Y[["households_rural", "households_urban", "government", "gfcf", "inventories"]].sum(
        axis=1
    )
    outside = -(Y["imports"] + Y["inflow"])
    s = (1 - outside / local_use).where(local_use > 0, 0.0).clip(0.0, 1.0)
    return {"va": t.V.sum(), "self_supply": s, "table": t}


# ---------------------------------------------------------------------------------- steps
def value_added_by_product(nat: dict, broad_targets: dict, hb_va: pd.Series) -> pd.Series:
    """Xianning 2025 value added by NBS product: broad totals → Hubei 2017 shares → China 2020 shares."""
    broad_of = pd.Series(HUBEI_BROAD)
    shares = hb_va / hb_va.groupby(broad_of).transform("sum")
    xn_h = shares * broad_of.map(broad_targets)
    products = nat["TVA"].index
    h_of = pd.Series([HUBEI42[p] for p in products if p in HUBEI42], index=[p for p in products if p in HUBEI42])
    missing = sorted(set(products) - set(h_of.index))
    if missing:
        raise AssertionError(f"NBS products without a Hubei sector: {missing}")
    nva = nat["TVA"].loc[h_of.index]
    within = nva / nva.groupby(h_of).transform("sum")
    return within * h_of.map(xn_h)


def power_technologies(nat: dict, assume: dict, fuel_rows: pd.Series, agg: pd.DataFrame) -> dict:
    """Input columns, value added, outputs and physical figures of the four power technologies.

    ``fuel_rows``: national fuel purchases of product 100 per unit output, by aggregated row.
    ``agg``: the national electricity column (aggregated rows) per unit output.
    """
    p = assume["power"]
    x100 = nat["F"]["GO"]["100"]
    self_use = agg[ELEC]
    net = 1.0 - self_use  # remove the within-sector purchases (grid buying from generators)
    a = agg.drop(ELEC) / net
    fuel = fuel_rows / net
    nonfuel = a - fuel.reindex(a.index, fill_value=0.0)
    va = nat["V"]["100"] / x100 / net
    cols, vas, info = {}, {}, {}
    for tech in TECHS:
        t = p[tech.removeprefix("power_")]
        gen = t["capacity"] * t["hours"] / 1e4  # 亿kWh
        output = gen * p["tariff"]  # 亿元
        capital = t["capacity"] * t["unit_cost"] / 1e4  # 亿元
        col = nonfuel.copy()
        if t["co2"]:
            col = col + fuel.reindex(col.index, fill_value=0.0) / p["national_thermal_share_2020"]
        dep = capital * t["depreciation_rate"] / output
        v = pd.Series({"compensation": va["VA001"], "net_taxes": va["VA002"], "depreciation": dep})
        v["surplus"] = 1.0 - col.sum() - v.sum()
        cols[tech], vas[tech] = col, v
        info[tech] = {
            "generation": gen,
            "output": output,
            "capital": capital,
            "depreciation_rate": t["depreciation_rate"],
            "fossil_tce": gen * p["coal_rate"] * 10 if t["co2"] else 0.0,  # 亿kWh × kgce/kWh = 10^8 kgce = 10 万tce
            "primary_tce": 0.0 if t["co2"] else gen * p["primary_electricity_factor"] * 10,
        }
    return {"columns": pd.DataFrame(cols), "va": pd.DataFrame(vas), "info": pd.DataFrame(info).T}


def build(delta: float | None = None) -> tuple[IOTable, dict]:
    """The table, and the figures the PROVENANCE needs; ``delta`` overrides the recommended δ (for the range)."""
    inp = load_inputs()
    spec, assume, nat = inp["spec"], inp["assume"], inp["nat"]
    off = official_figures(assume)
    rec = lq_recommendation(assume)
    reg = assume["regionalisation"]
    delta = reg["delta"] if delta is None else float(delta)
    hubei = hubei_2017()
    gdp = off["gdp_2025"]
    total_2019 = sum(off["broad_2019"].values())
    broad_targets = {k: gdp * v / total_2019 for k, v in off["broad_2019"].items()}

    # product -> sector ("electricity" for 100; the technologies are split off below)
    sector_of = {}
    for sector, row in spec.iterrows():
        if sector in TECHS:
            continue
        for c in codes(row["nbs153"]):
            if c in sector_of:
                raise AssertionError(f"product {c} is in both {sector_of[c]} and {sector}")
            sector_of[c] = sector
    sector_of["100"] = ELEC
    products = list(nat["Z"].index)
    if sorted(sector_of) != sorted(products):
        raise AssertionError(
            f"sectors.csv does not cover the 153 products exactly: {sorted(set(products) ^ set(sector_of))}"
        )
    groups = [s for s in spec.index if s not in TECHS] + [ELEC]
    groups.remove(ELEC)
    groups.append(ELEC)
    S = pd.DataFrame(0.0, index=groups, columns=products)
    for c in products:
        S.loc[sector_of[c], c] = 1.0

    # national structure, aggregated
    Zn = S @ nat["Z"] @ S.T
    xn = S @ nat["F"]["GO"]
    Vn = nat["V"] @ S.T
    An = Zn / xn
    vn = Vn.sum() / xn
    fuel_codes = assume["power"]["fuel_products"]
    fuel_rows = (S[fuel_codes] @ nat["Z"].loc[fuel_codes, "100"]) / nat["F"]["GO"]["100"]
    fuel_rows = fuel_rows[fuel_rows != 0]
    power = power_technologies(nat, assume, fuel_rows, An[ELEC])

    # 1. value added by product and sector (power bottom-up, the rest of secondary rescaled)
    va_p = value_added_by_product(nat, broad_targets, hubei["va"])
    va_p = va_p.drop("100")
    tech_out = power["info"]["output"]
    tech_va = power["va"].sum() * tech_out
    sec_products = [c for c in va_p.index if HUBEI_BROAD[HUBEI42[c]] == "secondary"]
    scale = (broad_targets["secondary"] - tech_va.sum()) / va_p[sec_products].sum()
    va_p[sec_products] *= scale
    va_s = va_p.groupby(pd.Series(sector_of)).sum()

    # 2. gross output: VA ÷ national VA ratio (non-power); power from generation
    sectors = [s for s in spec.index]
    x = pd.Series(0.0, index=sectors)
    for s in sectors:
        x[s] = tech_out[s] if s in TECHS else va_s[s] / vn[s]
    mix = tech_out / tech_out.sum()

    # 3. national-style coefficients on the 38 sectors; the electricity row split by the local mix
    A = pd.DataFrame(0.0, index=sectors, columns=sectors)
    base = [s for s in sectors if s not in TECHS]
    A.loc[base, base] = An.loc[base, base].to_numpy()
    for t in TECHS:
        A.loc[t, base] = An.loc[ELEC, base].to_numpy() * mix[t]
        A.loc[base, t] = power["columns"][t].reindex(base).to_numpy()
    xn_s = pd.Series({s: (xn[ELEC] * mix[s] if s in TECHS else xn[s]) for s in sectors})
    # size as the LQ validation measured it: gross output of the region / of the nation (China 2020)
    ratio = float(x.sum() / nat["F"]["GO"].sum())
    quotient = {"aflq": aflq, "flq": flq}[reg["method"].lower()]
    lq = np.minimum(quotient(x.to_numpy(), xn_s.to_numpy(), delta=delta, size_ratio=ratio), 1.0)
    slq = (x / x.sum()) / (xn_s / xn_s.sum())

    # final demand bought in Xianning before the local-first rules: China 2020 pattern per unit GDP
    nF = nat["F"]
    fd_nat = pd.DataFrame(
        {"households": nF["THC"], "government": nF["FU103"], "gfcf": nF["FU201"], "inventories": nF["FU202"]}
    )
    fd_nat_s = S @ fd_nat
    totals = fd_nat.sum() / nat["TVA"].sum() * gdp
    pattern = fd_nat_s / fd_nat_s.sum()
    fd_use = pd.DataFrame(0.0, index=sectors, columns=FD)  # local final use of each product, wherever made
    for s in sectors:
        row = pattern.loc[ELEC] * mix[s] if s in TECHS else pattern.loc[s]
        fd_use.loc[s] = (row * totals).to_numpy()

    # local-purchase rules on top of the quotient (row-wise, every buyer alike: the supply pool)
    # (a) non-tradable services: at least Hubei 2017's own self-supply of them (official)
    hb_self = hubei["self_supply"]
    weights = nat["F"]["GO"]
    own = {}
    for s in sectors:
        if s in TECHS:
            continue
        prods = [c for c in products if sector_of[c] == s]
        w = weights[prods]
        own[s] = float((w * pd.Series([hb_self[HUBEI42[c]] for c in prods], index=prods)).sum() / w.sum())
    own = pd.Series(own)
    nontradable = list(assume["local_supply"]["nontradable"])
    floor = pd.Series(0.0, index=sectors)
    floor[nontradable] = own[nontradable]
    q = np.maximum(lq, floor.to_numpy()[:, None])
    fd_local = np.maximum(np.minimum(1.0, slq), floor)
    # (b) electricity: local plants serve local users first, up to local generation
    elec_use = float((A.loc[TECHS] * x).to_numpy().sum() + fd_use.loc[TECHS].to_numpy().sum())
    elec_local = min(1.0, float(x[TECHS].sum()) / elec_use)
    tech_rows = [sectors.index(t) for t in TECHS]
    q[tech_rows, :] = elec_local
    fd_local[TECHS] = elec_local
    R = A * q
    Z0 = R * x  # columns scaled by output

    # value added by component
    V = pd.DataFrame(0.0, index=list(VA_ROWS.values()), columns=sectors)
    for s in sectors:
        if s in TECHS:
            V[s] = power["va"][s].to_numpy() * x[s]
        else:
            V[s] = (Vn[s] / xn[s]).to_numpy() * x[s]
    imports = x - Z0.sum(axis=0) - V.sum(axis=0)

    # 4. final demand bought locally; sales outside: goods the rest, services only what visitors buy
    Y0 = fd_use.mul(fd_local, axis=0)
    visitor_share = pd.Series(assume["visitors"]["share_of_output"], dtype=float).reindex(sectors, fill_value=0.0)
    visitors = visitor_share * x
    exp0 = (x - Z0.sum(axis=1) - Y0.sum(axis=1)).clip(lower=0.0)
    # services sold outside only to visitors: their exports are fixed at visitor spending, outside the balancing
    local_only = list(assume["local_supply"]["sold_outside_only_to_visitors"])
    fixed = pd.Series(0.0, index=sectors)
    fixed[local_only] = visitors[local_only]
    exp0[local_only] = 0.0
    block0 = pd.concat([Z0, Y0, exp0.rename("exports")], axis=1)
    col_targets = pd.concat([Z0.sum(axis=0), Y0.sum(axis=0)])
    col_targets["exports"] = x.sum() - fixed.sum() - col_targets.sum()
    if col_targets["exports"] <= 0:
        raise AssertionError(f"no room for exports: local uses exceed output by {-col_targets['exports']:.2f} 亿元")
    # GRAS, with every local purchase capped at the sector's total requirement (z_ij ≤ a_ij·x_j): cells that
    # would exceed it are fixed at the cap and the rest rebalanced, until none does
    cap = np.full(block0.shape, np.inf)
    cap[:, : len(sectors)] = (A * x).to_numpy()
    free = block0.to_numpy().copy()
    held = np.zeros_like(free)
    held[:, -1] = fixed.to_numpy()
    rows_t, cols_t = x.to_numpy(), np.append(col_targets.to_numpy()[:-1], col_targets["exports"] + fixed.sum())
    for _ in range(50):
        balanced = gras(
            free,
            rows_t - held.sum(axis=1),
            cols_t - held.sum(axis=0),
            tol=1e-12,
            row_labels=sectors,
            col_labels=list(block0.columns),
        )
        total = balanced.Z + held
        over = total > cap * (1 + 1e-12)
        if not over.any():
            break
        held[over] = cap[over]
        free[over] = 0.0
    else:
        raise AssertionError("capped GRAS did not settle in 50 rounds")
    block = pd.DataFrame(total, index=sectors, columns=block0.columns)
    Z = block[sectors]
    Y = block[FD + ["exports"]]
    M = pd.DataFrame([imports], index=["imports"])
    check_close("imports recomputed from the balanced flows", x - Z.sum(axis=0) - V.sum(axis=0), imports, rtol=1e-8)
    core = {
        "A": A,
        "x": x,
        "Z": Z,
        "Y": Y,
        "V": V,
        "M": M,
        "ratio": ratio,
        "delta": delta,
        "elec_local": elec_local,
        "elec_use": elec_use,
        "own": own,
        "visitors": visitors,
        "totals": totals,
        "rec": rec,
    }
    return core, {
        "inp": inp,
        "off": off,
        "power": power,
        "broad_targets": broad_targets,
        "va_p": va_p,
        "sectors": sectors,
        "sector_of": sector_of,
        "slq": slq,
        "fd_use": fd_use,
        "hubei": hubei,
    }


def key_figures(core: dict) -> dict:
    """Openness, local purchases and multipliers of one variant (for the δ range)."""
    x, Z, Y, M = core["x"], core["Z"], core["Y"], core["M"]
    t = IOTable(Z, Y, core["V"], M, x=x, unit="亿元", name="variant")
    techs = [s for s in TECHS if s in x.index]
    m = t.output_multipliers().drop(techs)
    return {
        "delta": core["delta"],
        "lambda_star": float(np.log2(1 + core["ratio"]) ** core["delta"]),
        "local_intermediate_share": float(Z.to_numpy().sum() / (Z.to_numpy().sum() + M.to_numpy().sum())),
        "mean_output_multiplier": float(m.mean()),
        "exports": float(Y["exports"].sum()),
        "exports_to_gdp": float(Y["exports"].sum() / t.gdp),
        "imports": float(M.to_numpy().sum()),
    }


def build_table() -> tuple[IOTable, dict]:
    core, ctx = build()
    inp, off, power = ctx["inp"], ctx["off"], ctx["power"]
    spec, assume = inp["spec"], inp["assume"]
    sectors, x, Z, Y, V, M = ctx["sectors"], core["x"], core["Z"], core["Y"], core["V"], core["M"]
    A = core["A"]
    sats, sat_fd, sat_notes, co2_check = satellites(
        inp["nat"], assume, off, spec, sectors, ctx["sector_of"], ctx["va_p"], x, V, power
    )
    info = spec[["name_en", "name_zh"]].copy()
    info["nbs153"] = "NBS " + spec["nbs153"].astype(str)
    info["broad_sector"] = spec["broad"]
    info["depreciation_rate"] = [
        power["info"].loc[s, "depreciation_rate"] if s in TECHS else spec.loc[s, "depreciation_rate"] for s in sectors
    ]
    info["slq"] = ctx["slq"]
    info["regional_purchase_share"] = (Z.sum(axis=0) / (A * x).sum(axis=0)).where((A * x).sum(axis=0) > 0)
    info["hubei_2017_self_supply"] = core["own"].reindex(sectors)
    info["visitor_spending"] = core["visitors"]
    info["capital_output_ratio"] = sats["capital"] / x
    concordance = pd.read_csv(SPEC / "market_concordance.csv", dtype=str).set_index("sector")
    if list(concordance.index) != sectors:
        raise AssertionError("market_concordance.csv must list the sectors of sectors.csv, in order")
    growth, market = outside_market_growth(
        concordance, {2012: F_NBS2012, 2018: F_NBS2018, 2020: F_NBS2020}, F_PRICES, assume["outside_demand"]
    )
    info["outside_market_growth"] = growth
    pillars = inp["pillars"][["sector", "pillar", "share"]]
    vshare = pd.Series(assume["visitors"]["share_of_output"], dtype=float)
    ct = pillars[pillars["pillar"] == "culture_tourism"].set_index("sector")["share"]
    if not ct.sort_index().equals(vshare.sort_index()):
        raise AssertionError(
            f"pillars.csv culture_tourism shares {ct.to_dict()} differ from assumptions.toml [visitors] {vshare.to_dict()}"
        )
    scopes = {}
    for name, scope in assume["pillar_scopes"].items():
        if name == "status":
            continue
        shares = pd.Series(scope["sectors"], dtype=float)
        scopes[name] = {
            "output": round(float((shares * x[shares.index]).sum()), 6),
            "note": scope["note"],
            "sectors": {k: float(v) for k, v in shares.items()},
        }
    rec = core["rec"]
    variants = {"recommended": key_figures(core)}
    for label, d in (("low", rec["delta_low"]), ("high", rec["delta_high"])):
        variants[label] = key_figures(build(d)[0])
    meta = metadata(assume, off, ctx["broad_targets"], power, core, variants, co2_check)
    meta["pillar_scopes"] = scopes
    meta["estimates"]["outside_market_growth"] = outside_demand_metadata(assume["outside_demand"], market)
    table = IOTable(
        Z,
        Y,
        V,
        M,
        x=x,
        satellites={
            k: Satellite(v, sat_notes[k]["unit"], sat_fd.get(k), sat_notes[k]["status"], sat_notes[k]["note"])
            for k, v in sats.items()
        },
        unit="亿元",
        name=NAME,
        year=2025,
        pillars=pillars,
        sector_info=info,
        technologies={ELEC: TECHS},
        metadata=meta,
    )
    return table, {
        "power": power,
        "broad_targets": ctx["broad_targets"],
        "co2_check": co2_check,
        "variants": variants,
        "off": off,
        "core": core,
        "market": market,
    }


def outside_demand_metadata(od: dict, market: dict) -> dict:
    """The metadata entry of sector_info's outside_market_growth: method, years, assumptions, per-sector detail."""
    d = market["detail"]
    price = market["price"]
    return {
        "status": "estimate",
        "column": "sector_info.outside_market_growth: annual real growth 2026–2030 of the market each sector sells into outside Xianning",
        "method": od["method"],
        "years": f"{od['base_year']}→{od['end_year']}",
        "window_note": od["window_note"],
        "national_real_gdp_growth": od["national_real_gdp_growth"],
        "national_real_gdp_growth_status": "assumption",
        "national_real_gdp_growth_basis": od["national_real_gdp_growth_basis"],
        "clip": [od["clip_low"], od["clip_high"]],
        "clip_note": od["clip_note"],
        "industrial_relative_price_annual": round(float(price["relative_price_annual"]), 6),
        "industrial_relative_price_note": (
            f"PPI 2018/2012 = {price['ppi']:.4f}, GDP deflator 2018/2012 = {price['deflator']:.4f} "
            f"(nominal GDP of the two IO tables {price['nominal_gdp']:.4f} ÷ official real growth {price['real_gdp']:.4f}); "
            "applied to products NBS 006–102 only"
        ),
        "caveat": (
            "one price correction for all industrial goods, none for services: goods whose prices fell more than the PPI "
            "(electronics, steel) are understated, services whose prices rose faster than the deflator overstated; "
            "2012–2018 carries the investment boom, so construction and building materials are likely overstated for 2026–2030"
        ),
        "sources": "nbs_china_io/china_2012_139.csv, china_2018_153.csv, china_2020_153.csv (NBS, official); "
        "nbs_prices/china_ppi_gdp_growth_2013_2018.csv (NBS releases as reported, transcribed); "
        "concordance tables/xianning_2025/market_concordance.csv",
        "by_sector": {
            s: {
                "basis": str(r["basis"]),
                "nominal_share_2012_2018": round(float(r["nominal_share_2012_2018"]), 6),
                "nominal_share_2012_2020": round(float(r["nominal_share_2012_2020"]), 6),
                "nominal_share_2018_2020": round(float(r["nominal_share_2018_2020"]), 6),
                "deflated_by_ppi": bool(r["deflated_by_ppi"]),
                "unclipped": round(float(r["unclipped"]), 6),
                "growth": round(float(r["growth"]), 6),
            }
            for s, r in d.iterrows()
        },
    }


def satellites(nat, assume, off, spec, sectors, sector_of, va_p, x, V, power):
    """CO2, energy, employment and capital by sector (all estimates), and the CO2 check against national intensities."""
    c = assume["co2"]
    p = assume["power"]
    coal_factor = assume["co2_per_tce"]["coal"]
    real_growth = (1 + c["real_growth_2020"]) * (1 + c["real_growth_2021_2025"]) ** 5
    cut = (1 - c["intensity_cut_2020"]) * (1 - c["intensity_cut_2021_2025"])
    coal_2019 = c["coal_capacity_2019"] * c["coal_hours_2019"] / 1e4 * p["coal_rate"] * 10 * coal_factor
    other_2025 = (off["co2_2019"] - coal_2019) * real_growth * cut
    coal_co2 = power["info"].loc["power_coal", "fossil_tce"] * coal_factor
    co2_total = coal_co2 + other_2025
    ce = pd.read_csv(F_CEADS)
    if set(ce["year"]) != {2019}:
        raise AssertionError("the CEADs national file should hold 2019 only")
    wide = ce.pivot_table(index="sector", columns="fuel_or_total", values="MtCO2", aggfunc="sum") * 100  # 万吨
    total_cn = wide.loc["Total Consumption", "Scope 1 Total"]
    rows = [r for r in wide.index if r != "Total Consumption"]
    check_close("CEADs China 2019: Σ sectors = total", wide.loc[rows, "Scope 1 Total"].sum(), total_cn, rtol=1e-9)
    fuels = [f for f in assume["co2_per_tce"]["fuels"]]
    factor = {
        f: (coal_factor if assume["co2_per_tce"]["fuels"][f] == "coal" else assume["co2_per_tce"]["fuels"][f])
        for f in fuels
    }
    tce_per_co2 = {f: 1.0 / factor[f] for f in fuels}
    cn_tce = (wide[fuels] * pd.Series(tce_per_co2)).sum(axis=1)  # 万tce by CEADs row
    combustion = wide[fuels].sum(axis=1)
    process = wide["Process"]

    # national-equivalent CO2: Xianning's output of each CEADs sector at China's 2019 intensity, × (1 − cut)
    go = nat["F"]["GO"]
    fuel_codes = p["fuel_products"]
    fuel_int = nat["Z"].loc[fuel_codes].sum() / go
    x_p = va_p / (nat["TVA"] / go).loc[va_p.index]
    prod_rows = [r for r in CEADS if r != CEADS_POWER]
    co2_p = pd.Series(0.0, index=va_p.index)
    tce_p = pd.Series(0.0, index=va_p.index)
    nat_int_p = pd.Series(0.0, index=va_p.index)  # China 2019 CO2 per 亿元 of 2020 output, by product's CEADs row
    for row in prod_rows:
        prods = [q for q in codes(CEADS[row]) if q in va_p.index]
        out_cn = go[codes(CEADS[row])].sum()
        w = x_p[prods] * fuel_int[prods]
        w = w / w.sum() if w.sum() > 0 else x_p[prods] / x_p[prods].sum()
        own = x_p[prods].sum() / out_cn * cut  # Xianning's share of the nation's output in this row
        co2_p[prods] += w * combustion[row] * own
        tce_p[prods] += w * cn_tce[row] * own
        # China's own intensity of each product, split within the CEADs row by the same rule (national weights)
        allp = codes(CEADS[row])
        wn = go[allp] * fuel_int[allp]
        wn = wn / wn.sum() if wn.sum() > 0 else go[allp] / go[allp].sum()
        nat_int_p[prods] = (combustion[row] * wn / go[allp])[prods]
        if process[row] > 0:
            proc = [q for q in PROCESS_PRODUCTS if q in prods]
            co2_p[proc] += process[row] * own * (x_p[proc] / x_p[proc].sum())
            allproc = [q for q in PROCESS_PRODUCTS if q in allp]
            nat_int_p[proc] += process[row] / go[allproc].sum()
    hh_share = x.sum() / go.sum()
    hh_co2 = wide.loc[CEADS_HOUSEHOLDS, "Scope 1 Total"].sum() * hh_share * cut
    hh_tce = cn_tce[CEADS_HOUSEHOLDS].sum() * hh_share * cut
    national_equivalent = float(co2_p.sum() + hh_co2)
    # the anchor's excess over the national-equivalent goes to energy-intensive industry, in proportion
    by = pd.Series(sector_of)
    heavy = list(c["excess_to"])
    heavy_p = [q for q in co2_p.index if by[q] in heavy]
    excess = other_2025 - national_equivalent
    if excess >= 0:
        uplift = 1 + excess / co2_p[heavy_p].sum()
        tce_p[heavy_p] *= uplift  # the excess is burnt in the same fuel mix
        co2_p[heavy_p] *= uplift
    else:
        shrink = other_2025 / national_equivalent
        co2_p *= shrink
        tce_p *= shrink
        hh_co2 *= shrink
        hh_tce *= shrink
    check_close("CO2 of the non-power sectors and households adds up", co2_p.sum() + hh_co2, other_2025, rtol=1e-9)
    co2 = co2_p.groupby(by.loc[co2_p.index]).sum().reindex(sectors, fill_value=0.0)
    energy = tce_p.groupby(by.loc[tce_p.index]).sum().reindex(sectors, fill_value=0.0)
    co2["power_coal"] = coal_co2
    for t in TECHS:
        energy[t] = power["info"].loc[t, "fossil_tce"] + power["info"].loc[t, "primary_tce"]

    # the check: Xianning 2025 CO2 per 亿元 of output against China 2019's, by sector
    nat_co2_s = (nat_int_p * x_p).groupby(by.loc[x_p.index]).sum()
    nat_x_s = x_p.groupby(by.loc[x_p.index]).sum()
    power_cn = wide.loc[CEADS_POWER, "Scope 1 Total"] / go["100"]
    # 万吨 per 亿元 = t per 万元
    check = pd.DataFrame(
        {"xianning_t_per_wanyuan": co2 / x, "china_2019_t_per_wanyuan": (nat_co2_s / nat_x_s).reindex(sectors)}
    )
    check.loc[TECHS, "china_2019_t_per_wanyuan"] = power_cn
    check["ratio"] = check["xianning_t_per_wanyuan"] / check["china_2019_t_per_wanyuan"]
    check.loc[TECHS[1:], "ratio"] = np.nan

    # employment: national 2018 persons per 亿元 VA by division, deflated by nominal productivity growth
    emp_raw = pd.read_csv(F_EMP).set_index("Code")["2018"]
    nat18 = read_nbs_153(F_NBS2018)
    va18 = nat18["TVA"] * WAN_TO_YI
    div = pd.Series(EMPLOYMENT)
    if sorted(div.index) != sorted(va18.index):
        raise AssertionError("employment concordance does not cover the 153 products")
    intensity_div = emp_raw.loc[div.unique()] / va18.groupby(div).sum()
    e = assume["employment"]
    productivity = (e["national_gdp_2024"] / e["national_employment_2024"]) / (va18.sum() / emp_raw.loc["TOT"])
    emp_p = va_p * div.loc[va_p.index].map(intensity_div) / productivity
    employment = emp_p.groupby(by.loc[emp_p.index]).sum().reindex(sectors, fill_value=0.0)
    nat_elec_int = intensity_div["D01"] / productivity
    for t in TECHS:
        employment[t] = V[t].sum() * nat_elec_int

    # capital stock: depreciation ÷ depreciation rate (power: capacity × unit cost)
    rates = pd.Series(
        {
            s: (power["info"].loc[s, "depreciation_rate"] if s in TECHS else spec.loc[s, "depreciation_rate"])
            for s in sectors
        },
        dtype=float,
    )
    capital = V.loc["depreciation"] / rates
    for t in TECHS:
        capital[t] = power["info"].loc[t, "capital"]

    energy_fossil = energy.copy()
    for t in TECHS:
        energy_fossil[t] = power["info"].loc[t, "fossil_tce"]
    sats = {"co2": co2, "energy": energy, "energy_fossil": energy_fossil, "employment": employment, "capital": capital}
    sat_fd = {
        "co2": pd.Series({"households": hh_co2}),
        "energy": pd.Series({"households": hh_tce}),
        "energy_fossil": pd.Series({"households": hh_tce}),
    }
    gdp_ratio = real_growth
    path = {
        "co2_2019": off["co2_2019"],
        "co2_2025": co2_total,
        "coal_power_2019": coal_2019,
        "coal_power_2025": coal_co2,
        "other_2019": off["co2_2019"] - coal_2019,
        "other_2025": other_2025,
        "real_gdp_growth_2019_2025": real_growth,
        "intensity_change_total": co2_total / off["co2_2019"] / gdp_ratio - 1,
        "intensity_change_other": other_2025 / (off["co2_2019"] - coal_2019) / gdp_ratio - 1,
        "national_equivalent": national_equivalent,
        "excess": excess,
    }
    notes = {
        "co2": {
            "unit": "万吨",
            "status": "estimate",
            "note": (
                f"total {co2_total:.1f} 万吨: coal power bottom-up (generation × coal rate × {coal_factor} t CO2/tce) {coal_co2:.1f}; the rest = "
                f"(CEADs Xianning 2019 total {off['co2_2019']:.1f} − coal power 2019 {coal_2019:.1f}) × real GDP growth 2019→2025 {real_growth:.4f} × "
                f"(1 − {c['intensity_cut_2021_2025']}) intensity cut = {other_2025:.1f}, split by China 2019 CEADs intensities by sector "
                f"(national-equivalent {national_equivalent:.1f}); the excess {excess:.1f} to energy-intensive industry ({', '.join(heavy)})"
            ),
        },
        "energy": {
            "unit": "万吨标准煤",
            "status": "estimate",
            "note": (
                "primary energy by the sector that burns the fuel or makes primary electricity: fossil fuels from the CO2 by fuel ÷ "
                "CO2 per tce (one coal factor); coal power = generation × coal rate; hydro/solar/wind = generation × coal-equivalent factor (发电煤耗法); "
                "electricity bought by other sectors is not counted again"
            ),
        },
        "energy_fossil": {
            "unit": "万吨标准煤",
            "status": "estimate",
            "note": (
                "the fossil part of 'energy': the same without primary electricity from hydro, solar and wind; "
                "non-fossil share of energy use = 1 − energy_fossil / energy"
            ),
        },
        "employment": {
            "unit": "万人",
            "status": "estimate",
            "note": (
                "China 2018 employed persons per 亿元 value added by division, ÷ nominal productivity growth 2018→2024, × Xianning value added"
            ),
        },
        "capital": {
            "unit": "亿元",
            "status": "estimate",
            "note": (
                "capital stock = depreciation (value-added row) ÷ depreciation rate (sectors.csv); power: capacity × replacement cost per kW"
            ),
        },
    }
    return sats, sat_fd, notes, {"ratios": check, "path": path}


def metadata(assume, off, broad_targets, power, core, variants, co2_check) -> dict:
    p = power["info"]
    x, Y, M, reg = core["x"], core["Y"], core["M"], assume["regionalisation"]
    path = co2_check["path"]
    b19 = off["broad_2019"]
    return {
        "description": "Xianning (咸宁) 2025, estimated: Hubei 2017 structure, China 2020 coefficients regionalised by AFLQ "
        "(δ from the LQ validation) with local-first rules, GRAS-balanced to Xianning totals",
        "default_status": "estimate",
        "status": {
            "gdp": "official (plan base, 2000亿元)",
            "output": "estimate",
            "final_demand": "estimate",
            "imports": "estimate",
            "pillars": "estimate (sector mapping of the plan's pillars)",
        },
        "price_basis": "current 2025 prices (China 2020 coefficients assumed unchanged in value terms)",
        "region": "Xianning, Hubei, China",
        "official_figures": {
            "gdp_2025": f"{off['gdp_2025']} 亿元 — plan base (targets.csv gdp_level), official",
            "three_sector_2020": f"primary {off['broad_2020']['primary']}, secondary {off['broad_2020']['secondary']}, tertiary {off['broad_2020']['tertiary']} 亿元, "
            f"real growth {off['growth_2020']['primary']:+.1%}, {off['growth_2020']['secondary']:+.1%}, {off['growth_2020']['tertiary']:+.1%} — 2020 communiqué, official",
            "co2_2019": f"{off['co2_2019']:.2f} 万吨 — CEADs city inventory 2019 (research inventory, not an official statistic)",
            "national_coefficients": "China 2020 IO table (NBS), official",
            "hubei_structure": "Hubei 2017 IO table (Hubei Bureau of Statistics), official: value added by sector and self-supply of each product",
            "tourism_revenue_2017": f"{off['tourism_revenue_2017']} 亿元 — Xianning Daily 2018-01-27 (transcribed), a check only",
        },
        "estimates": {
            "broad_sector_2019": {k: round(v, 6) for k, v in b19.items()},
            "broad_sector_2019_note": "2019 value added in 2020 prices = 2020 value ÷ (1 + 2020 real growth), by broad sector; its shares carried to 2025",
            "broad_sector_value_added_2025": {k: round(v, 6) for k, v in broad_targets.items()},
            "sector_value_added": "2019 broad shares → Hubei 2017 shares within broad sectors → China 2020 product shares (estimate)",
            "gross_output": "value added ÷ China 2020 value-added ratio (estimate)",
            "flows": "China 2020 coefficients × min(1, %s) (δ=%g, λ*=%.4f, R/N=%.6f gross output), non-tradables at least Hubei 2017 self-supply, electricity local first, GRAS-balanced (estimate)"
            % (reg["method"], core["delta"], float(np.log2(1 + core["ratio"]) ** core["delta"]), core["ratio"]),
            "regionalisation": {
                "method": reg["method"],
                "delta": core["delta"],
                "delta_low": reg["delta_low"],
                "delta_high": reg["delta_high"],
                "size_ratio": core["ratio"],
                "source": "benchmarks/results/lq_validation.json (31 provinces 2017 and Scotland 2019)",
            },
            "electricity_local_share": core["elec_local"],
            "electricity_local_use": core["elec_use"],
            "nontradable": list(assume["local_supply"]["nontradable"]),
            "sold_outside_only_to_visitors": list(assume["local_supply"]["sold_outside_only_to_visitors"]),
            "visitor_spending": round(float(core["visitors"].sum()), 6),
            "final_demand_local_totals": {k: round(float(v), 6) for k, v in core["totals"].items()},
            "final_demand_note": "local final use (incl. imported goods) by category = China 2020 category ÷ GDP × 2000; Y holds only its locally produced part; 'exports' = sales outside Xianning (abroad, other provinces and visitors)",
            "imports_note": "M 'imports' = intermediate inputs bought outside Xianning (abroad and other provinces); imported goods for final use are not in the table (Σ Y − Σ M = GDP)",
            "power": {t: {k: round(float(v), 6) for k, v in p.loc[t].items()} for t in p.index},
            "power_note": assume["power"]["capacity_note"],
            "electricity_rows": "each power technology's row holds its share (by the 2025 generation mix) of electricity sold to every user; its column is its own technology",
            "co2_path": {k: round(float(v), 6) for k, v in path.items()},
        },
        "delta_range": {k: {kk: round(float(vv), 6) for kk, vv in v.items()} for k, v in variants.items()},
        "delta_range_note": (
            "key figures rebuilt at the ends of the LQ validation's 80% range of δ (everything else as committed); "
            "gross output, value added and pillar outputs do not depend on δ: they are anchored on value added"
        ),
        "assumptions_file": "tables/xianning_2025/assumptions.toml",
        "sources": {"files_sha256": source_checksums(SOURCE_FILES)},
        "build_script": "tables/build_xianning_2025.py",
        "key_figures": {
            "gross_output": round(float(x.sum()), 6),
            "exports": round(float(Y["exports"].sum()), 6),
            "imports": round(float(M.to_numpy().sum()), 6),
        },
    }


def provenance(table: IOTable, extra: dict) -> str:
    """The PROVENANCE.md of the table, with its key figures."""
    s = table.summary()
    fig = "\n".join(
        f"| {k} | {v['value']:,.2f} | {v['unit']} | {v['status']} |" for k, v in s.iterrows() if k != "sectors"
    )
    p = extra["power"]["info"]
    power = "\n".join(
        f"   | {t} | {r.generation:.1f} | {r.output:.2f} | {r.capital:.1f} | {table.satellites['co2'].values[t]:.1f} | {table.satellites['energy'].values[t]:.1f} |"
        for t, r in p.iterrows()
    )
    meta, est = table.metadata, table.metadata["estimates"]
    assume = tomllib.loads((SPEC / "assumptions.toml").read_text(encoding="utf-8"))
    reasons = assume["co2_ratio_reasons"]
    ratios = extra["co2_check"]["ratios"]
    rows = []
    for sec, r in ratios.iterrows():
        if np.isnan(r["ratio"]):
            continue
        reason = ""
        if r["ratio"] > 1.5:
            key = "energy_intensive" if sec in assume["co2"]["excess_to"] else sec
            if key not in reasons:
                raise AssertionError(
                    f"CO2 intensity of {sec} is {r['ratio']:.2f}× China's and assumptions.toml gives no reason"
                )
            reason = reasons[key]
        rows.append(
            f"| {sec} | {r['xianning_t_per_wanyuan']:.3f} | {r['china_2019_t_per_wanyuan']:.3f} | {r['ratio']:.2f} | {reason} |"
        )
    heavy_ratio = float(ratios.loc[assume["co2"]["excess_to"], "ratio"].max())
    dr = meta["delta_range"]
    delta_rows = "\n".join(
        f"| {v['delta']:g}{' (recommended)' if k == 'recommended' else ''} | {v['lambda_star']:.3f} | {v['local_intermediate_share']:.0%} | "
        f"{v['mean_output_multiplier']:.2f} | {v['exports']:,.0f} | {v['exports_to_gdp']:.0%} |"
        for k, v in sorted(dr.items(), key=lambda kv: kv[1]["delta"])
    )
    targets = {
        "green_new_materials": 1000,
        "modern_equipment": 1000,
        "big_health": 1000,
        "modern_agrifood_processing": 1000,
        "culture_tourism": 500,
    }
    pillar_rows = [f"| {k} (pillars.csv) | {v:,.1f} | {targets.get(k, '')} |" for k, v in table.pillar_output().items()]
    pillar_rows += [f"| {k} — {v['note']} | {v['output']:,.1f} | |" for k, v in meta["pillar_scopes"].items()]
    x, Y = table.x, table.Y
    path = est["co2_path"]
    broad = table.sector_info["broad_sector"]
    industry = [q for q in table.sectors if broad[q] == "secondary" and q != "construction"]
    five = [
        "agrifood_processing",
        "food_beverages",
        "tea",
        *TECHS,
        "electronics_optoelectronics",
        "auto_parts",
        "pharma_medical",
    ]
    template = (SPEC / "PROVENANCE.template.md").read_text(encoding="utf-8")
    od = est["outside_market_growth"]
    od_rows = "\n".join(
        f"| {s} | {r['basis']} | {r['nominal_share_2012_2018']:+.2%} | {r['nominal_share_2012_2020']:+.2%} | "
        f"{r['nominal_share_2018_2020']:+.2%} | {r['growth']:+.2%} | {Y.loc[s, 'exports']:,.1f} |"
        for s, r in od["by_sector"].items()
    )
    b19 = extra["off"]["broad_2019"]
    reg = est["regionalisation"]
    return template.format(
        figures=fig,
        power=power,
        hh_co2=float(table.satellites["co2"].final_demand["households"]),
        p19=b19["primary"],
        s19=b19["secondary"],
        t19=b19["tertiary"],
        **extra["broad_targets"],
        method=reg["method"],
        delta=reg["delta"],
        delta_low=reg["delta_low"],
        delta_high=reg["delta_high"],
        ratio=reg["size_ratio"],
        local_share=dr["recommended"]["local_intermediate_share"],
        exports=float(Y["exports"].sum()),
        exports_gdp=float(Y["exports"].sum()) / table.gdp,
        visitors=est["visitor_spending"],
        gen=float(x[TECHS].sum()),
        elec_use=est["electricity_local_use"],
        elec_local=est["electricity_local_share"],
        elec_exports=float(Y.loc[TECHS, "exports"].sum()),
        delta_rows=delta_rows,
        pillar_rows="\n".join(pillar_rows),
        co2_rows="\n".join(rows),
        coal_factor=assume["co2_per_tce"]["coal"],
        co2_2019=path["co2_2019"],
        co2_2025=path["co2_2025"],
        coal_2019=path["coal_power_2019"],
        coal_2025=path["coal_power_2025"],
        other_2019=path["other_2019"],
        other_2025=path["other_2025"],
        growth=path["real_gdp_growth_2019_2025"] - 1,
        int_other=path["intensity_change_other"],
        int_total=path["intensity_change_total"],
        excess=path["excess"],
        nat_eq=path["national_equivalent"],
        nontradable=", ".join(est["nontradable"]),
        five_share=table.x[five].sum() / table.x[industry].sum(),
        heavy_ratio=heavy_ratio,
        industry_x=table.x[industry].sum(),
        industry_va=table.value_added[industry].sum(),
        od_rows=od_rows,
        od_price=od["industrial_relative_price_annual"],
        od_gdp=od["national_real_gdp_growth"],
        od_low=od["clip"][0],
        od_high=od["clip"][1],
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder that receives the table folder")
    args = parser.parse_args(argv)
    table, extra = build_table()
    table.to_csv(args.out / NAME, overwrite=True)
    (args.out / NAME / "PROVENANCE.md").write_text(provenance(table, extra), encoding="utf-8")
    print(table.summary().to_string())


if __name__ == "__main__":
    main()
