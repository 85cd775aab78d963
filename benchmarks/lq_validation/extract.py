"""``python -m benchmarks.lq_validation.extract RAW``: copy the numbers the validation needs into the repository.

``RAW`` is the team's raw-data collection (``/work/shared/data/raw``): its
``scotland_uk_io/``, ``china_provincial_io_2012_2017/2017/`` and
``ionet_china_nbs_io/csv/china_2017_42.csv``. The workbooks are read by
:mod:`benchmarks.lq_validation.sources` (every identity checked there) and the
arrays written, unchanged but for the number format (10 significant digits),
to ``benchmarks/data/lq_validation/``:

``scotland_2019_flows.csv``
    Scottish-produced intermediate flows 2019, 98 × 98 IOC industries, £ million.
``scotland_2019_industries.csv``
    By IOC industry: SIC range, description, output, intermediate imports from
    the rest of the UK and from the rest of the world, official Type I output
    multiplier.
``uk_2019_flows.csv``, ``uk_2019_industries.csv``
    The ONS 2019 domestic-use table, 105 × 105 industries, £ million; by
    industry: description, output, imported products, official Type I output multiplier.
``china_2017_national_42.csv``
    National 2017 table, 42 products, non-competitive form: the domestic
    intermediate flows (42 × 42), intermediate imports by buying sector
    (column sums of the import block) and by product (its row sums), gross
    output, 万元.
``china_2017_provinces_42.csv.gz``
    The 31 provincial 2017 tables: for each province and product, the 42
    intermediate flows (competitive: domestic and imported together) and the
    columns ``TIU TC GCF EX OF TFU IM IF ERR GO``, 万元.

``SHA256SUMS`` is rewritten. Nothing is estimated here: every number is an
official figure as published.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from xn_io.errors import TableError

from . import sources

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "data" / "lq_validation"

PROVINCES = {  # file stem of the 2017 workbooks → pinyin name
    "01-北京": "Beijing",
    "02-天津": "Tianjin",
    "03-河北": "Hebei",
    "04-山西": "Shanxi",
    "05-内蒙古": "Inner Mongolia",
    "06-辽宁": "Liaoning",
    "07-吉林": "Jilin",
    "08-黑龙江": "Heilongjiang",
    "09-上海": "Shanghai",
    "10-江苏": "Jiangsu",
    "11-浙江": "Zhejiang",
    "12-安徽": "Anhui",
    "13-福建": "Fujian",
    "14-江西": "Jiangxi",
    "15-山东": "Shandong",
    "16-河南": "Henan",
    "17-湖北": "Hubei",
    "18-湖南": "Hunan",
    "19-广东": "Guangdong",
    "20-广西": "Guangxi",
    "21-海南": "Hainan",
    "22-重庆": "Chongqing",
    "23-四川": "Sichuan",
    "24-贵州": "Guizhou",
    "25-云南": "Yunnan",
    "26-西藏": "Tibet",
    "27-陕西": "Shaanxi",
    "28-甘肃": "Gansu",
    "29-青海": "Qinghai",
    "30-宁夏": "Ningxia",
    "31-新疆": "Xinjiang",
}

FMT = "%.10g"


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    frame.to_csv(buf, float_format=FMT, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def _write(name: str, frame: pd.DataFrame) -> None:
    data = _csv_bytes(frame)
    if name.endswith(".gz"):
        data = gzip.compress(data, compresslevel=9, mtime=0)
    (OUT / name).write_bytes(data)


def national_2017(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national 2017 42-product table (non-competitive form) from ionet's CSV."""
    raw = pd.read_csv(path, dtype={"Code": str})
    codes = [f"{k:02d}" for k in range(1, 43)]
    for origin in ("Domestic", "Imports"):
        got = raw.loc[raw["Origin"] == origin, "Code"].tolist()
        if got != codes:
            raise TableError(f"{path.name}: the {origin} rows should be products 01 … 42 in order, got {got[:3]} …")
    dom = raw[raw["Origin"] == "Domestic"].set_index("Code")
    imp = raw[raw["Origin"] == "Imports"].set_index("Code")
    tot = raw[raw["Origin"] == "TOT"].set_index("Code")
    Z = dom[codes].astype(float)
    Z.index.name = "code"
    go = tot.loc["TI", codes].astype(float)
    if not np.allclose(dom["GO"].astype(float).to_numpy(), go.to_numpy(), rtol=1e-6):
        raise TableError(
            f"{path.name}: gross output (column GO of the domestic rows) differs from total input (row TI)"
        )
    info = pd.DataFrame(
        {
            "description": dom["Description"],
            "description_zh": dom["DescriptionInChinese"],
            "intermediate_imports": imp[codes].astype(float).sum(axis=0).reindex(codes).to_numpy(),
            "intermediate_imports_of_product": imp[codes].astype(float).sum(axis=1).to_numpy(),
            "output": go.to_numpy(),
        },
        index=pd.Index(codes, name="code"),
    )
    return Z, info


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("raw", type=Path, help="the raw-data collection, e.g. /work/shared/data/raw")
    args = ap.parse_args(argv)
    raw: Path = args.raw
    OUT.mkdir(parents=True, exist_ok=True)

    scot_dir = raw / "scotland_uk_io" / "scotland"
    sc = sources.read_scottish_ixi(scot_dir / "IxI_wide.xlsx", year=2019)
    mult = sources.read_scottish_multipliers(scot_dir / "Mult1_wide.xlsx", year=2019, codes=sc.codes)
    _write("scotland_2019_flows.csv", pd.DataFrame(sc.Z, index=pd.Index(sc.codes, name="code"), columns=sc.codes))
    _write(
        "scotland_2019_industries.csv",
        pd.DataFrame(
            {
                "sic": sc.sic,
                "description": sc.labels,
                "output": sc.output,
                "imports_ruk": sc.imports["ruk"],
                "imports_row": sc.imports["row"],
                "type1_output_multiplier": mult,
            },
            index=pd.Index(sc.codes, name="code"),
        ),
    )

    uk, umult = sources.read_uk_iot(raw / "scotland_uk_io" / "uk" / "nasu1719in.xlsx")
    _write("uk_2019_flows.csv", pd.DataFrame(uk.Z, index=pd.Index(uk.codes, name="code"), columns=uk.codes))
    _write(
        "uk_2019_industries.csv",
        pd.DataFrame(
            {
                "description": uk.labels,
                "output": uk.output,
                "imports": uk.imports["all"],
                "type1_output_multiplier": umult,
            },
            index=pd.Index(uk.codes, name="code"),
        ),
    )

    Z, info = national_2017(raw / "ionet_china_nbs_io" / "csv" / "china_2017_42.csv")
    nat = pd.concat([Z, info[["intermediate_imports", "intermediate_imports_of_product", "output"]]], axis=1)
    nat.insert(0, "description", info["description"])
    _write("china_2017_national_42.csv", nat)

    frames = []
    for stem, name in PROVINCES.items():
        p = sources.read_nbs_provincial(raw / "china_provincial_io_2012_2017" / "2017" / f"{stem}.xls")
        f = pd.concat([pd.DataFrame(p.Z, index=p.columns.index, columns=p.codes), p.columns], axis=1)
        f.insert(0, "province", name)
        frames.append(f)
        print(f"{name:15s} GO {p.columns['GO'].sum() / 1e4:12,.0f} 亿元", file=sys.stderr)
    _write("china_2017_provinces_42.csv.gz", pd.concat(frames))

    lines = []
    for f in sorted(OUT.iterdir()):
        if f.suffix in (".csv", ".gz"):
            lines.append(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}")
    (OUT / "SHA256SUMS").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
