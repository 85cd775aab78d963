"""``python -m benchmarks.lq_validation``: run the validation, write its results, chart and README block.

Writes ``results/lq_validation_details.json`` (every score), ``results/lq_validation.json``
(the recommendation the table build reads: ``recommended_method``, ``delta``,
``delta_low``, ``delta_high``), ``results/lq_validation.png`` and the block of
``benchmarks/README.md`` between the ``lq-validation`` markers. ``--render``
redraws the chart and the block from a stored details file without running.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import time
from pathlib import Path

import numpy as np

from . import report
from .run import run

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent / "results"
DETAILS = "lq_validation_details.json"
RECOMMENDATION = "lq_validation.json"
CHART = "lq_validation.png"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short=10", "HEAD"], cwd=HERE, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write(doc: dict, out_dir: Path, readme: Path | None) -> None:
    """Write the details, the recommendation, the chart and (unless ``readme`` is None) the README block."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / DETAILS).write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    rec = {
        **doc["recommendation"],
        "details": DETAILS,
        "date": doc["run"]["date"],
        "commit": doc["run"]["commit"],
        "scotland_best_delta": {m: doc["scotland"]["methods"][m]["best"]["mape"]["delta"] for m in ("flq", "aflq")},
        "pooled_delta_31_provinces": {m: doc["provinces"]["pooled"][m]["delta"] for m in ("flq", "aflq")},
    }
    (out_dir / RECOMMENDATION).write_text(json.dumps(rec, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    report.chart(doc, out_dir / CHART)
    if readme is not None:
        rel = out_dir.relative_to(readme.parent) if out_dir.is_relative_to(readme.parent) else out_dir
        report.update_readme(readme, report.summary_markdown(doc, results_name=DETAILS, chart_name=f"{rel}/{CHART}"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=RESULTS, help="results folder")
    ap.add_argument("--no-readme", action="store_true", help="leave benchmarks/README.md alone")
    ap.add_argument("--render", type=Path, help="redraw chart and README block from a stored details JSON")
    ap.add_argument("--provinces", nargs="*", help="only these provinces (a quick slice; not for publishing)")
    args = ap.parse_args(argv)
    readme = None if args.no_readme else HERE.parent / "README.md"
    if args.render:
        doc = json.loads(args.render.read_text(encoding="utf-8"))
        write(doc, args.out, readme)
        return 0
    t0 = time.perf_counter()
    doc = run(only=args.provinces)
    doc["run"] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": _commit(),
        "seconds": round(time.perf_counter() - t0, 2),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "provinces": len(doc["provinces"]["provinces"]),
    }
    write(doc, args.out, readme)
    rec = doc["recommendation"]
    print(
        f"Scotland: FLQ best δ {doc['scotland']['methods']['flq']['best']['mape']['delta']}, "
        f"AFLQ best δ {doc['scotland']['methods']['aflq']['best']['mape']['delta']}"
    )
    print(
        f"Xianning (R/N {rec['size_ratio']:.4f}): {rec['recommended_method']} δ = {rec['delta']} "
        f"[{rec['delta_low']}, {rec['delta_high']}]; written to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
