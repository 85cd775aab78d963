"""Build the embedded table ``xianning-2025-v1``: the first estimate of Xianning's 2025 IO table, kept for comparison.

Superseded by ``xianning-2025`` (``tables/build_xianning_2025.py``: Hubei 2017 structure, 2019
broad structure, AFLQ with the δ of the LQ validation, local-first rules for non-tradables
and electricity). This script and its parameters (``tables/xianning_2025_v1/``) are the ones
the first version was built with, unchanged but for the name.

No official input-output table of Xianning exists. This script estimates one,
deterministically, from the files in ``tables/sources/`` and the parameters in
``tables/xianning_2025_v1/assumptions.toml``; ``tables/xianning_2025_v1/sectors.csv``
defines the 38 sectors (as groups of NBS 153 products) and ``pillars.csv`` the
plan's five pillars. The steps (details in the PROVENANCE.md it writes):

1. value added 2025: GDP 2000亿元 (plan base), split by the 2020 three-sector
   structure (official), within each broad sector by Hubei 2007 IO shares
   (official, old), within each Hubei sector by China 2020 product shares;
   electricity is built bottom-up from four technologies (coal, hydro, solar,
   wind) whose capacities, hours and costs are assumptions;
2. gross output = value added ÷ the China 2020 value-added ratio of each sector;
3. China 2020 technical coefficients aggregated to the 38 sectors (the power
   technologies get their own input columns), regionalised by FLQ (δ = 0.3):
   what is not bought locally is imported (from abroad or other provinces);
4. final demand: China 2020 final-use structure per unit of GDP, bought locally
   up to each product's location quotient; sales outside Xianning (exports) are
   the residual; the flows and final demand are balanced by GRAS to the row
   totals (gross output) and column totals (regional purchases, final demand);
5. satellites: CO2 anchored on the CEADs Xianning 2019 total carried to 2025,
   split by the Hubei 2019 CEADs sector shares; energy from the same fuel mix;
   employment from national 2018 labour intensities; capital stock from
   depreciation and depreciation rates.

Run from the repository root: ``python tables/build_xianning_2025_v1.py``.
"""

from __future__ import annotations

import argparse
import math
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
from _common import OUTPUT, SOURCES, TABLES, VA_ROWS, WAN_TO_YI, check_close, read_nbs_153, source_checksums

from xn_io import IOTable, Satellite
from xn_io.regional import flq, gras, regional_coefficients

NAME = "xianning-2025-v1"
SPEC = TABLES / "xianning_2025_v1"
F_NBS2020 = SOURCES / "nbs_china_io" / "china_2020_153.csv"
F_NBS2018 = SOURCES / "nbs_china_io" / "china_2018_153.csv"
F_EMP = SOURCES / "nbs_china_io" / "china_employment.csv"
F_HUBEI = SOURCES / "crem_hubei_2007" / "hubei_2007_io_42sector.csv"
F_CEADS = SOURCES / "ceads_co2" / "hubei_co2_by_sector_fuel_2019.csv"
F_CITIES = SOURCES / "ceads_co2" / "hubei_cities_total_co2_vector.csv"
F_XN = SOURCES / "xianning_stats" / "xianning_indicators.csv"
F_PLAN = SOURCES / "xianning_plan" / "targets.csv"
SOURCE_FILES = [F_NBS2020, F_NBS2018, F_EMP, F_HUBEI, F_CEADS, F_CITIES, F_XN, F_PLAN]

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


# NBS 2020 products (153) -> Hubei 2007 IO sectors (42): the 2007 classification.
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
        "16": "067-078;099",
        "17": "079-083",
        "18": "084-089",
        "19": "090-095",
        "20": "096",
        "21": "097",
        "22": "098",
        "23": "100",
        "24": "101",
        "25": "102",
        "26": "103-108",
        "27": "111-121",
        "28": "122",
        "29": "125-129",
        "30": "109-110",
        "31": "123-124",
        "32": "130-132",
        "33": "133",
        "34": "134-135",
        "35": "136",
        "36": "137-138",
        "37": "139-141",
        "38": "142-143",
        "39": "144",
        "40": "145-146;152",
        "41": "147-151",
        "42": "153",
    }
)
HUBEI_BROAD = {f"{h:02d}": ("primary" if h == 1 else "secondary" if h <= 26 else "tertiary") for h in range(1, 43)}

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
    annual = xn[(xn["year"] == 2020) & (xn["period"] == "annual")].set_index("indicator")["value"]
    broad = {
        "primary": float(annual["Primary industry value added (第一产业增加值)"]),
        "secondary": float(annual["Secondary industry value added (第二产业增加值)"]),
        "tertiary": float(annual["Tertiary industry value added (第三产业增加值)"]),
    }
    growth_2020 = float(xn.set_index("indicator").loc["GDP (地区生产总值)", "yoy_change_pct"]) / 100
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
    if not math.isclose(growth_2020, assume["co2"]["real_growth_2020"]):
        raise AssertionError("assumptions.toml real_growth_2020 differs from the 2020 communiqué")
    return {"broad_2020": broad, "gdp_2025": gdp, "co2_2019": co2_2019}


# ---------------------------------------------------------------------------------- steps
def value_added_by_product(nat: dict, broad_targets: dict) -> pd.Series:
    """Xianning 2025 value added by NBS product: broad totals → Hubei 2007 shares → China 2020 shares."""
    hb = pd.read_csv(F_HUBEI, dtype={"code": str}).set_index("code")
    hb_va = hb.loc["TVA", [f"{h:02d}" for h in range(1, 43)]].astype(float)
    check_close(
        "Hubei 2007: TII + TVA = TI",
        hb.loc["TII", hb_va.index].astype(float) + hb_va,
        hb.loc["TI", hb_va.index].astype(float),
    )
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


def build() -> tuple[IOTable, dict]:
    inp = load_inputs()
    spec, assume, nat = inp["spec"], inp["assume"], inp["nat"]
    off = official_figures(assume)
    gdp = off["gdp_2025"]
    total_2020 = sum(off["broad_2020"].values())
    broad_targets = {k: gdp * v / total_2020 for k, v in off["broad_2020"].items()}

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
    va_p = value_added_by_product(nat, broad_targets)
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
    ratio = gdp / assume["regionalisation"]["national_gdp_2025"]
    lq = flq(x.to_numpy(), xn_s.to_numpy(), delta=assume["regionalisation"]["delta"], size_ratio=ratio)
    slq = (x / x.sum()) / (xn_s / xn_s.sum())
    R = pd.DataFrame(regional_coefficients(A.to_numpy(), lq), index=sectors, columns=sectors)
    Z0 = R * x  # columns scaled by output

    # value added by component
    V = pd.DataFrame(0.0, index=list(VA_ROWS.values()), columns=sectors)
    for s in sectors:
        if s in TECHS:
            V[s] = power["va"][s].to_numpy() * x[s]
        else:
            V[s] = (Vn[s] / xn[s]).to_numpy() * x[s]
    imports = x - Z0.sum(axis=0) - V.sum(axis=0)

    # 4. final demand bought locally; exports are the rest; GRAS to the margins
    nF = nat["F"]
    fd_nat = pd.DataFrame(
        {"households": nF["THC"], "government": nF["FU103"], "gfcf": nF["FU201"], "inventories": nF["FU202"]}
    )
    fd_nat_s = S @ fd_nat
    totals = fd_nat.sum() / nat["TVA"].sum() * gdp
    pattern = fd_nat_s / fd_nat_s.sum()
    Y0 = pd.DataFrame(0.0, index=sectors, columns=FD)
    local = np.minimum(1.0, slq)
    for s in sectors:
        row = pattern.loc[ELEC] * mix[s] if s in TECHS else pattern.loc[s]
        Y0.loc[s] = (row * totals).to_numpy() * local[s]
    exp0 = (x - Z0.sum(axis=1) - Y0.sum(axis=1)).clip(lower=0.0)
    block0 = pd.concat([Z0, Y0, exp0.rename("exports")], axis=1)
    col_targets = pd.concat([Z0.sum(axis=0), Y0.sum(axis=0)])
    col_targets["exports"] = x.sum() - col_targets.sum()
    if col_targets["exports"] <= 0:
        raise AssertionError(f"no room for exports: local uses exceed output by {-col_targets['exports']:.2f} 亿元")
    balanced = gras(
        block0.to_numpy(),
        x.to_numpy(),
        col_targets.to_numpy(),
        tol=1e-12,
        row_labels=sectors,
        col_labels=list(block0.columns),
    )
    block = pd.DataFrame(balanced.Z, index=sectors, columns=block0.columns)
    Z = block[sectors]
    Y = block[FD + ["exports"]]

    # 5. satellites
    sats, sat_fd, sat_notes = satellites(nat, assume, off, spec, sectors, sector_of, va_p, x, V, power)

    info = spec[["name_en", "name_zh"]].copy()
    info["nbs153"] = "NBS " + spec["nbs153"].astype(str)
    info["broad_sector"] = spec["broad"]
    info["depreciation_rate"] = [
        power["info"].loc[s, "depreciation_rate"] if s in TECHS else spec.loc[s, "depreciation_rate"] for s in sectors
    ]
    info["slq"] = slq
    info["regional_purchase_share"] = (Z.sum(axis=0) / (A * x).sum(axis=0)).where((A * x).sum(axis=0) > 0)
    info["capital_output_ratio"] = sats["capital"] / x
    pillars = inp["pillars"][["sector", "pillar", "share"]]
    M = pd.DataFrame([imports], index=["imports"])
    check_close("imports recomputed from the balanced flows", x - Z.sum(axis=0) - V.sum(axis=0), imports, rtol=1e-8)
    meta = metadata(assume, off, broad_targets, power, totals, ratio, lq, x, Y, imports)
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
    return table, {"power": power, "broad_targets": broad_targets}


def satellites(nat, assume, off, spec, sectors, sector_of, va_p, x, V, power):
    """CO2, energy, employment and capital by sector (all estimates)."""
    c = assume["co2"]
    p = assume["power"]
    real_growth = (1 + c["real_growth_2020"]) * (1 + c["real_growth_2021_2025"]) ** 5
    cut = (1 - c["intensity_cut_2020"]) * (1 - c["intensity_cut_2021_2025"])
    coal_2019 = c["coal_capacity_2019"] * c["coal_hours_2019"] / 1e4 * p["coal_rate"] * 10 * p["coal_co2_per_tce"]
    other_2025 = (off["co2_2019"] - coal_2019) * real_growth * cut
    coal_co2 = power["info"].loc["power_coal", "fossil_tce"] * p["coal_co2_per_tce"]
    co2_total = coal_co2 + other_2025
    ce = pd.read_csv(F_CEADS)
    wide = ce.pivot_table(index="sector", columns="fuel_or_total", values="MtCO2", aggfunc="sum") * 100  # 万吨
    total_hb = wide.loc["Total Consumption", "Scope 1 Total"]
    rows = [r for r in wide.index if r != "Total Consumption"]
    check_close("CEADs Hubei 2019: Σ sectors = total", wide.loc[rows, "Scope 1 Total"].sum(), total_hb, rtol=1e-9)
    fuels = [f for f in assume["co2_per_tce"] if f != "status"]
    tce_per_co2 = {f: 1.0 / assume["co2_per_tce"][f] for f in fuels}
    hb_tce = (wide[fuels] * pd.Series(tce_per_co2)).sum(axis=1)  # 万tce by CEADs row
    combustion = wide[fuels].sum(axis=1)
    process = wide["Process"]

    hh_share = wide.loc[CEADS_HOUSEHOLDS, "Scope 1 Total"].sum() / (total_hb - wide.loc[CEADS_POWER, "Scope 1 Total"])
    hh_co2 = other_2025 * hh_share
    rest = other_2025 - hh_co2
    prod_rows = [r for r in CEADS if r != CEADS_POWER]
    base_total = wide.loc[prod_rows, "Scope 1 Total"].sum()

    # within-group weights: Xianning output of each product × national fossil-fuel purchases per unit output
    fuel_codes = p["fuel_products"]
    go = nat["F"]["GO"]
    fuel_int = nat["Z"].loc[fuel_codes].sum() / go
    x_p = va_p / (nat["TVA"] / go).loc[va_p.index]
    co2_p = pd.Series(0.0, index=va_p.index)
    tce_p = pd.Series(0.0, index=va_p.index)
    for row in prod_rows:
        prods = [q for q in codes(CEADS[row]) if q in va_p.index]
        w = x_p[prods] * fuel_int[prods]
        w = w / w.sum() if w.sum() > 0 else x_p[prods] / x_p[prods].sum()
        scale = rest / base_total
        comb = combustion[row] * scale
        co2_p[prods] += w * comb
        tce_p[prods] += w * hb_tce[row] * scale
        if process[row] > 0:
            proc = [q for q in PROCESS_PRODUCTS if q in prods]
            co2_p[proc] += process[row] * scale * (x_p[proc] / x_p[proc].sum())
    check_close("CO2 of the non-power sectors adds up", co2_p.sum(), rest, rtol=1e-9)
    by = pd.Series(sector_of)
    co2 = co2_p.groupby(by.loc[co2_p.index]).sum().reindex(sectors, fill_value=0.0)
    energy = tce_p.groupby(by.loc[tce_p.index]).sum().reindex(sectors, fill_value=0.0)
    co2["power_coal"] = coal_co2
    for t in TECHS:
        energy[t] = power["info"].loc[t, "fossil_tce"] + power["info"].loc[t, "primary_tce"]
    hh_tce = hb_tce[CEADS_HOUSEHOLDS].sum() * (hh_co2 / wide.loc[CEADS_HOUSEHOLDS, "Scope 1 Total"].sum())

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
    notes = {
        "co2": {
            "unit": "万吨",
            "status": "estimate",
            "note": (
                f"total {co2_total:.1f} 万吨: coal power bottom-up (generation × coal rate × CO2/tce) {coal_co2:.1f}; the rest = "
                f"(CEADs Xianning 2019 total {off['co2_2019']:.1f} − coal power 2019 {coal_2019:.1f}) × real GDP growth 2019→2025 {real_growth:.4f} × "
                f"(1 − {c['intensity_cut_2021_2025']}) intensity cut = {other_2025:.1f}, split into households (Hubei 2019 CEADs share) "
                "and sectors by Hubei 2019 CEADs sector shares (scope 1, incl. cement process CO2)"
            ),
        },
        "energy": {
            "unit": "万吨标准煤",
            "status": "estimate",
            "note": (
                "primary energy by the sector that burns the fuel or makes primary electricity: fossil fuels from the CO2 by fuel ÷ IPCC "
                "CO2 per tce; coal power = generation × coal rate; hydro/solar/wind = generation × coal-equivalent factor (发电煤耗法); "
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
    return sats, sat_fd, notes


def metadata(assume, off, broad_targets, power, totals, ratio, lq, x, Y, imports) -> dict:
    p = power["info"]
    return {
        "description": "Xianning (咸宁) 2025, first estimate (superseded by xianning-2025; kept for comparison): China 2020 coefficients, FLQ-regionalised and GRAS-balanced to Xianning totals",
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
            "three_sector_2020": f"primary {off['broad_2020']['primary']}, secondary {off['broad_2020']['secondary']}, tertiary {off['broad_2020']['tertiary']} 亿元 — 2020 communiqué, official",
            "co2_2019": f"{off['co2_2019']:.2f} 万吨 — CEADs city inventory 2019 (research inventory, not an official statistic)",
            "national_coefficients": "China 2020 IO table (NBS), official",
            "hubei_structure": "Hubei 2007 IO table (Hubei Bureau of Statistics), official but 2007",
        },
        "estimates": {
            "broad_sector_value_added_2025": {k: round(v, 6) for k, v in broad_targets.items()},
            "sector_value_added": "2020 broad shares → Hubei 2007 shares within broad sectors → China 2020 product shares (estimate)",
            "gross_output": "value added ÷ China 2020 value-added ratio (estimate)",
            "flows": "China 2020 coefficients × FLQ (δ=%g, λ*=%.4f, R/N=%.6f), GRAS-balanced (estimate)"
            % (
                assume["regionalisation"]["delta"],
                float(np.log2(1 + ratio) ** assume["regionalisation"]["delta"]),
                ratio,
            ),
            "final_demand_local_totals": {k: round(float(v), 6) for k, v in totals.items()},
            "final_demand_note": "local final use (incl. imported goods) by category = China 2020 category ÷ GDP × 2000; Y holds only its locally produced part; 'exports' = sales outside Xianning (abroad and other provinces)",
            "imports_note": "M 'imports' = intermediate inputs bought outside Xianning (abroad and other provinces); imported goods for final use are not in the table (Σ Y − Σ M = GDP)",
            "power": {t: {k: round(float(v), 6) for k, v in p.loc[t].items()} for t in p.index},
            "power_note": assume["power"]["capacity_note"],
            "electricity_rows": "each power technology's row holds its share (by the 2025 generation mix) of electricity sold to every user; its column is its own technology",
        },
        "assumptions_file": "tables/xianning_2025_v1/assumptions.toml",
        "sources": {"files_sha256": source_checksums(SOURCE_FILES)},
        "build_script": "tables/build_xianning_2025_v1.py",
        "key_figures": {
            "gross_output": round(float(x.sum()), 6),
            "exports": round(float(Y["exports"].sum()), 6),
            "imports": round(float(imports.sum()), 6),
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
    sat = table.satellites
    hh_co2 = float(sat["co2"].final_demand["households"])
    template = (SPEC / "PROVENANCE.template.md").read_text(encoding="utf-8")
    broad = table.sector_info["broad_sector"]
    industry = [x for x in table.sectors if broad[x] == "secondary" and x != "construction"]
    five = [
        "agrifood_processing",
        "food_beverages",
        "tea",
        *TECHS,
        "electronics_optoelectronics",
        "auto_parts",
        "pharma_medical",
    ]
    template = template.replace("{five_share:.0%}", f"{table.x[five].sum() / table.x[industry].sum():.0%}")
    template = template.replace("{industry_x:,.0f}", f"{table.x[industry].sum():,.0f}").replace(
        "{industry_va:,.0f}", f"{table.value_added[industry].sum():,.0f}"
    )
    return template.format(figures=fig, power=power, hh_co2=hh_co2, **{k: v for k, v in extra["broad_targets"].items()})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder that receives the table folder")
    args = parser.parse_args(argv)
    table, extra = build()
    table.to_csv(args.out / NAME, overwrite=True)
    (args.out / NAME / "PROVENANCE.md").write_text(provenance(table, extra), encoding="utf-8")
    print(table.summary().to_string())


if __name__ == "__main__":
    main()
