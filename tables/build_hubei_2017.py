"""Build the embedded table ``hubei-2017``: Hubei's official 2017 IO table, trade columns apart.

Source: the Hubei 2017 input-output table (湖北省统计局, printed in 《中国地区投入产出表2017》,
42 products, 万元, producer prices, competitive imports) — the workbook
``tables/sources/nbs_provincial_io_2017/17-湖北.xls`` (see that folder's PROVENANCE). It is read
by the library's own reader, :func:`xn_io.nbs.read_nbs_workbook`, which checks the published
totals against the cells, and written as published (÷ 10^4 to 亿元):

- ``Z``: intermediate flows, competitive (inputs from other provinces and abroad included);
- ``Y``: rural and urban households, government, GFCF, inventories, exports (出口), outflow to
  other provinces (国内省外流出), imports (进口, negative), inflow from other provinces
  (国内省外流入, negative), errors (其他);
- ``V``: compensation, net taxes on production, depreciation, operating surplus; ``x``: gross output.

Nothing is estimated. Run from the repository root: ``python tables/build_hubei_2017.py``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import OUTPUT, SOURCES, source_checksums

from xn_io import IOTable
from xn_io.nbs import nbs_trade_totals, read_nbs_workbook

NAME = "hubei-2017"
FILE = SOURCES / "nbs_provincial_io_2017" / "17-湖北.xls"


def build() -> IOTable:
    t = read_nbs_workbook(FILE, name=NAME, year=2017)
    meta = dict(t.metadata)
    meta.update(
        {
            "description": "Hubei 2017 IO table, 42 products, competitive imports; exports, outflow, imports and inflow apart (official)",
            "publisher": "湖北省统计局 (Hubei Bureau of Statistics), 湖北2017年投入产出表（按当年生产者价格计算）, in 《中国地区投入产出表2017》 (NBS)",
            "price_basis": "producer prices, current 2017 prices",
            "sources": {
                "via": "github.com/common2016/CHNIO @ 2878da32500274f853c68d5b65dafc86d83b3c89, data-raw/…/2017年各省份投入产出表/17-湖北.xls (byte copy)",
                "files_sha256": source_checksums([FILE]),
            },
            "build_script": "tables/build_hubei_2017.py",
        }
    )
    return t.replace(metadata=meta)


PROVENANCE = """# hubei-2017 — provenance

**Status: official (every figure as published; nothing estimated).**

- Source: 湖北2017年投入产出表（按当年生产者价格计算）, 42 products, 万元, compiled by 湖北省统计局 (Hubei
  Bureau of Statistics) and printed in 《中国地区投入产出表2017》 (NBS). Byte copy of the workbook in
  `tables/sources/nbs_provincial_io_2017/17-湖北.xls` (via github.com/common2016/CHNIO @ 2878da32; see
  that folder's PROVENANCE). Unit converted to 亿元 (÷ 10^4).
- Read by `xn_io.nbs.read_nbs_workbook`, which checks every published total against its cells
  (TIU, TII, TFU, TVA, TI = GO and GO = intermediate use + final use − imports − inflow + errors).
  The published rows close to rounding (at most 0.3 万元 per product); that residual is added to
  the `errors` column (其他) so that gross output is exactly the published one.
- Form: competitive imports. `Z` includes inputs bought from other provinces and from abroad;
  `Y` keeps `exports` (出口), `outflow` (国内省外流出) positive and `imports` (进口), `inflow`
  (国内省外流入) negative, by product. The province of origin of inflows and their users are not
  published: a domestic (intra-provincial) table needs an assumption, e.g. import proportionality
  (Miller & Blair 2022 §3.3), which is what the Xianning build does.
- Totals (亿元): gross output {go:,.0f}; value added {va:,.0f}; exports {ex:,.0f}; outflow {of:,.0f};
  imports {im:,.0f}; inflow {inf:,.0f}.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT, help="folder that receives the table folder")
    args = parser.parse_args(argv)
    table = build()
    table.to_csv(args.out / NAME, overwrite=True)
    trade = nbs_trade_totals(table)
    (args.out / NAME / "PROVENANCE.md").write_text(
        PROVENANCE.format(
            go=float(table.x.sum()),
            va=table.gdp,
            ex=trade["exports"],
            of=trade["outflow"],
            im=trade["imports"],
            inf=trade["inflow"],
        ),
        encoding="utf-8",
    )
    print(f"{NAME}: {table.n} sectors, GDP {table.gdp:,.2f} 亿元, output {table.x.sum():,.2f} 亿元")


if __name__ == "__main__":
    main()
