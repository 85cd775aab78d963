"""Build the embedded tables ``china-2020`` (153 products) and ``china-2020-42`` (42 sectors).

Source: the NBS 2020 input-output tables of China as stored by the R package
``ionet`` (see ``tables/sources/nbs_china_io/PROVENANCE.md``). Values are
converted from 万元 to 亿元 (÷ 10⁴); nothing else is changed.

- ``china-2020``: the competitive-import table. ``Y`` holds rural and urban
  household consumption, government consumption, gross fixed capital formation,
  changes in inventories, exports and a negative ``imports`` column (imports of
  the same product, competitive form), so that x = Z·1 + Y·1 holds as published.
- ``china-2020-42``: the non-competitive form. ``Z`` is the domestic block;
  ``M`` holds one row per imported product (``imports:<code>``), i.e. the
  imported-intermediate block; ``Y`` holds final consumption, GFCF, inventory
  changes and exports of domestic products.

Run from the repository root: ``python tables/build_china_2020.py`` (``--out FOLDER``
to write elsewhere; ``tests/test_tables.py`` rebuilds into a temporary folder and
compares with the committed tables).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from _common import OUTPUT, SOURCES, VA_ROWS, WAN_TO_YI, check_close, read_nbs_153, source_checksums

from xn_io import IOTable

SRC = SOURCES / "nbs_china_io"
FILE_153 = SRC / "china_2020_153.csv"
FILE_42 = SRC / "china_2020_42.csv"

Y_153 = {
    "FU101": "households_rural",
    "FU102": "households_urban",
    "FU103": "government",
    "FU201": "gfcf",
    "FU202": "inventories",
    "EX": "exports",
}


def _common_meta(description: str, files: list[Path]) -> dict:
    return {
        "description": description,
        "default_status": "official",
        "status": {"gdp": "official", "output": "official", "final_demand": "official", "imports": "official"},
        "publisher": "National Bureau of Statistics of China (NBS), 2020 input-output tables",
        "price_basis": "producer prices, current 2020 prices",
        "unit_note": "converted from 万元 (10^4 CNY) as published to 亿元 (10^8 CNY) by dividing by 10^4",
        "sources": {
            "via": "R package ionet v0.2.2 (github.com/Carol-seven/ionet, commit 51145dcab476e75783af41a688488db1a4abeb56), data/*.rda, converted to CSV",
            "files_sha256": source_checksums(files),
        },
        "build_script": "tables/build_china_2020.py",
    }


def build_153() -> IOTable:
    t = read_nbs_153(FILE_153)
    Z, F, V = t["Z"] * WAN_TO_YI, t["F"] * WAN_TO_YI, t["V"] * WAN_TO_YI
    # the published identities, checked before anything is written
    check_close("153: TI = GO", t["TI"], t["F"]["GO"])
    check_close("153: row identity", Z.sum(axis=1) + F[["TC", "GCF", "EX"]].sum(axis=1) - F["IM"], F["GO"], rtol=1e-12)
    check_close("153: column identity", Z.sum(axis=0) + V.sum(axis=0), F["GO"], rtol=1e-12)
    check_close("153: TVA = Σ VA rows", t["TVA"], t["V"].sum(axis=0))
    Y = F[list(Y_153)].rename(columns=Y_153)
    Y["imports"] = -F["IM"]
    V = V.rename(index=VA_ROWS)
    info = t["names"].rename_axis("sector")
    info["code"] = info.index
    return IOTable(
        Z,
        Y,
        V,
        x=F["GO"],
        unit="亿元",
        name="china-2020",
        year=2020,
        sector_info=info,
        metadata=_common_meta(
            "China 2020 national IO table, 153 products, competitive imports (NBS, official)", [FILE_153]
        )
        | {
            "form": "competitive imports: Y carries a negative 'imports' column; M is empty",
            "sector_labels": "NBS product codes 001..153; names in sectors.csv",
        },
    )


def build_42() -> IOTable:
    raw = pd.read_csv(FILE_42, dtype={"Code": str})
    codes = [f"{i:02d}" for i in range(1, 43)]
    dom = raw[raw["Origin"] == "Domestic"].set_index("Code")
    imp = raw[raw["Origin"] == "Imports"].set_index("Code")
    tot = raw[raw["Origin"] == "TOT"].set_index("Code")
    Z = dom.loc[codes, codes].astype(float) * WAN_TO_YI
    Zm = imp.loc[codes, codes].astype(float) * WAN_TO_YI
    Yd = dom.loc[codes, ["TC", "FU201", "FU202", "EX"]].astype(float) * WAN_TO_YI
    V = tot.loc[list(VA_ROWS), codes].astype(float) * WAN_TO_YI
    go = dom.loc[codes, "GO"].astype(float) * WAN_TO_YI
    check_close("42: domestic row identity", Z.sum(axis=1) + Yd.sum(axis=1), go, rtol=1e-12)
    check_close("42: column identity", Z.sum(axis=0) + Zm.sum(axis=0) + V.sum(axis=0), go, rtol=1e-12)
    check_close("42: TI = GO", tot.loc["TI", codes].astype(float) * WAN_TO_YI, go, rtol=1e-12)
    Y = Yd.rename(columns={"TC": "final_consumption", "FU201": "gfcf", "FU202": "inventories", "EX": "exports"})
    M = Zm.copy()
    M.index = [f"imports:{c}" for c in codes]
    info = pd.DataFrame(
        {
            "name_en": dom.loc[codes, "Description"].str.strip(),
            "name_zh": dom.loc[codes, "DescriptionInChinese"].str.strip(),
            "code": codes,
        },
        index=pd.Index(codes, name="sector"),
    )
    imported_final = imp.loc[codes, ["TC", "FU201", "FU202", "EX"]].astype(float).sum() * WAN_TO_YI
    return IOTable(
        Z,
        Y,
        V.rename(index=VA_ROWS),
        M,
        x=go,
        unit="亿元",
        name="china-2020-42",
        year=2020,
        sector_info=info,
        metadata=_common_meta(
            "China 2020 national IO table, 42 sectors, non-competitive imports (NBS, official)", [FILE_42]
        )
        | {
            "form": "non-competitive: Z and Y are domestic products only; M rows 'imports:<code>' are the imported intermediate block",
            "sector_labels": "NBS sector codes 01..42; names in sectors.csv",
            "imported_final_use": {
                k: float(v)
                for k, v in imported_final.rename(
                    {"TC": "final_consumption", "FU201": "gfcf", "FU202": "inventories", "EX": "re_exports"}
                ).items()
            },
            "imported_final_use_note": "imported products used directly by final demand (亿元), not part of Z/Y/M; re-exports are exports of imported goods",
        },
    )


PROVENANCE = """# {name} — provenance

**Status: official statistics** (National Bureau of Statistics of China, 2020 input-output
tables, producer prices). Every figure is as published; the only change is the unit:
万元 (10^4 CNY) → 亿元 (10^8 CNY), dividing by 10^4.

- Form: {form}.
- Obtained via the R package `ionet` v0.2.2 (GPL ≥ 3; github.com/Carol-seven/ionet, commit
  51145dcab476e75783af41a688488db1a4abeb56), converted to CSV; the CSV copies the build reads
  are in `tables/sources/nbs_china_io/` (see its PROVENANCE.md and SHA256SUMS).
- Built by `tables/build_china_2020.py`, which checks before writing that the published
  identities hold (row: Z·1 + final use − imports = gross output; column: 1ᵀZ (+ imported
  intermediates) + value added = total input = gross output) to 1e-12 relative.
- Value-added rows: compensation (劳动者报酬), net_taxes (生产税净额), depreciation
  (固定资产折旧), surplus (营业盈余).
- GDP (Σ value added) = 1,016,422.0 亿元 (101.64 trillion CNY), the NBS 2020 table total.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder that receives the table folders")
    args = parser.parse_args(argv)
    for table in (build_153(), build_42()):
        table.to_csv(args.out / table.name, overwrite=True)
        (args.out / table.name / "PROVENANCE.md").write_text(
            PROVENANCE.format(name=table.name, form=table.metadata["form"]), encoding="utf-8"
        )
        print(
            f"{table.name}: {table.n} sectors, GDP {table.gdp:,.2f} 亿元, output {table.x.sum():,.2f} 亿元 -> {args.out / table.name}"
        )


if __name__ == "__main__":
    main()
