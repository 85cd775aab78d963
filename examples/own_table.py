"""Bring your own table: load a national IO table from CSV, regionalise it to your region, analyse it.

The steps a researcher or planner takes with their own data:

1. load a national input-output table from a CSV folder (here the NBS China 2020
   table with 153 products, official, written out to a folder as if it were yours;
   pass --national DIR to use your own folder, see ``IOTable.to_csv``);
2. put it in your region's sector classification (``IOTable.aggregate``; here the
   sectors of the Xianning table, through their NBS product codes);
3. regionalise it with Flegg's location quotient (FLQ, δ = 0.3) from your region's
   gross output by sector with ``xn_io.regionalize`` (here Xianning 2025, from the
   shipped table — estimates; pass --regional-output FILE.csv with columns sector,
   output to use yours): the regional coefficients are a^r_ij = a_ij · min(FLQ_ij, 1)
   and what is cut off is bought outside the region;
4. analyse it: output multipliers against the national ones (the leakage), key
   sectors by Rasmussen linkages, and a check against the shipped Xianning table,
   which was built the same way and then balanced to Xianning's totals (GRAS).

Run: python examples/own_table.py [--national DIR] [--regional-output FILE.csv] [--out DIR] [--force]
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import xn_io
from xn_io.errors import OverwriteError
from xn_io.report import output_folder
from xn_io.report.sections import table_report
from xn_io.structural import key_sectors


def codes(spec: str) -> list[str]:
    """'NBS 043-046;049' -> ['043', '044', '045', '046', '049']."""
    out = []
    for part in re.sub(r"^NBS\s*", "", spec).split(";"):
        lo, _, hi = part.strip().partition("-")
        out += [f"{k:03d}" for k in range(int(lo), int(hi or lo) + 1)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--national", help="your national table as a CSV folder (default: NBS China 2020, 153 products)"
    )
    parser.add_argument("--regional-output", help="CSV with columns sector, output (default: Xianning 2025, estimates)")
    parser.add_argument("--delta", type=float, default=0.3, help="Flegg's δ (default 0.3)")
    parser.add_argument("--out", default=None, help="report folder to write (default: a new own_table_<time> folder)")
    parser.add_argument("--force", action="store_true", help="replace the report folder if it exists")
    args = parser.parse_args()
    try:
        out = output_folder(args.out, stem="own_table", force=args.force)  # checked before any work
    except OverwriteError as exc:
        raise SystemExit(f"error: {exc}") from None

    xianning = xn_io.load_table("xianning-2025")
    print(
        "The national table is official (NBS); the regional output and everything derived from it are "
        f"ESTIMATES. Writing the report to {out}/\n"
    )
    if args.national:
        national = xn_io.IOTable.from_csv(args.national)
    else:
        folder = Path(tempfile.mkdtemp()) / "my_national_table"
        xn_io.load_table("china-2020").to_csv(folder)  # stands for your own CSV folder
        national = xn_io.IOTable.from_csv(folder)
        # into the region's classification: each Xianning sector is a set of NBS products;
        # the four power technologies share NBS 100 and are one sector here
        group = {
            c: ("power" if s.startswith("power_") else s)
            for s, spec in xianning.sector_info["nbs153"].items()
            for c in codes(spec)
        }
        national = national.aggregate(group, name="China 2020 in Xianning's sectors")
    print(f"national table: {national}")

    if args.regional_output:
        x_r = pd.read_csv(args.regional_output, dtype={"sector": str}).set_index("sector")["output"].astype(float)
    else:
        x_x = xianning.x
        x_r = x_x.groupby(lambda s: "power" if s.startswith("power_") else s).sum()
    missing = national.sectors.difference(x_r.index)
    if len(missing):
        raise SystemExit(f"regional output has no value for sectors {list(missing)[:5]}")

    region = xn_io.regionalize(
        national,
        x_r.reindex(national.sectors),
        method="flq",
        delta=args.delta,
        name="region (FLQ)",
        year=None if args.regional_output else xianning.year,
    )
    info = region.metadata.get("regionalisation", {})
    print(
        "regionalisation: "
        + ", ".join(
            f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}"
            for k, v in info.items()
            if not isinstance(v, (dict, list))
        )
    )
    print(f"regional table: {region}")
    print(
        f"its GDP (national value-added coefficients × regional output): {region.gdp:,.1f} {region.unit}; "
        f"the shipped Xianning table, balanced to the plan's 2025 base: {xianning.gdp:,.1f}\n"
    )

    local = pd.DataFrame(
        {
            "national_multiplier": national.output_multipliers(),
            "regional_multiplier": region.output_multipliers(),
            "local_input_share": region.A.sum(axis=0) / national.A.sum(axis=0).replace(0, np.nan),
        }
    )
    local["leakage"] = 1 - (local["regional_multiplier"] - 1) / (local["national_multiplier"] - 1)
    print(
        "Output multipliers: national coefficients against regionalised ones (the difference leaks out of the region)"
    )
    print(local.sort_values("regional_multiplier", ascending=False).head(10).round(3).to_string())
    print(
        f"\nmean output multiplier: national {local['national_multiplier'].mean():.3f}, "
        f"regional {local['regional_multiplier'].mean():.3f}"
    )

    keys = key_sectors(region)
    print("\nKey sectors of the regional economy (Rasmussen total linkages > average both ways):")
    print(", ".join(keys.index[keys["class"] == "key"]) or "none")

    # check against the shipped Xianning table (same FLQ start, then GRAS-balanced to Xianning's totals)
    shipped = xianning.aggregate({s: ("power" if s.startswith("power_") else s) for s in xianning.sectors})
    ours = region.A.sum(axis=0)
    theirs = shipped.A.sum(axis=0).reindex(ours.index)
    corr = float(np.corrcoef(ours, theirs)[0, 1])
    print(
        f"\nlocal input share by sector, this FLQ table vs the shipped (balanced) Xianning table: correlation {corr:.2f}; "
        f"mean {ours.mean():.3f} vs {theirs.mean():.3f}"
    )

    table_report(region, title="Regionalised table (FLQ) — estimates").write(out, overwrite=args.force)
    print(f"\nwrote {out}/report.html")


if __name__ == "__main__":
    main()
