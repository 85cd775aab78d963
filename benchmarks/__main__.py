"""``python -m benchmarks [--quick]``: run the suites, write results/<date>.json, the chart and the README summary."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

from . import analysis, report
from .harness import machine_info, measure_memory, run_case
from .suites import SUITES

HERE = Path(__file__).resolve().parent


def _fmt(r: dict) -> str:
    if r.get("status") != "ok":
        return f"{r['suite']:9s} {r['workload']:20s} {r['table']:13s} {r.get('status')}: {r.get('message', '')}"
    ratios = " ".join(f"{k}×{v:.2f}" for k, v in r["ratio"].items())
    return f"{r['suite']:9s} {r['workload']:20s} {r['table']:13s} xn_io {r['median']['xn_io'] * 1e3:9.2f} ms  {ratios}"


def run(
    *,
    quick: bool,
    suites: list[str] | None = None,
    out_dir: Path = HERE / "results",
    readme: Path | None = HERE / "README.md",
    memory: bool = True,
    repeats: int | None = None,
    budget: float | None = None,
    threads: int | None = None,
    tag: str | None = None,
    only: list[str] | None = None,
    log=print,
) -> dict:
    """Run the benchmarks and write their results.

    Parameters
    ----------
    quick : bool
        The run of about a minute (smaller tables, fewer rounds, memory of one sparse case only).
    suites : list of str, optional
        Names of the suites to run (default all).
    out_dir : Path
        Where ``<date>.json`` (``<date>-quick.json``) and the chart go.
    readme : Path or None
        README whose summary block is replaced; None leaves it alone.
    memory : bool
        Measure peak RSS in subprocesses.
    repeats, budget : optional
        Largest number of timed rounds and seconds per case (defaults: quick 21 / 0.6 s, full 51 / 10 s).
    threads : int, optional
        Limit the BLAS/OpenMP thread pools (threadpoolctl here, ``OPENBLAS_NUM_THREADS`` /
        ``OMP_NUM_THREADS`` in the memory subprocesses); default: the machine's setting.
    tag : str, optional
        A run of some suites kept beside the others: ``<date>-<tag>.json``,
        ``scaling-<tag>.png`` and its own README block (markers
        ``<!-- results-<tag>:start -->`` … ``end``), the other blocks left as they are.
    only : list of str, optional
        Run only the cases named ``workload`` or ``workload:table`` (suites with a ``specs`` function).

    Returns
    -------
    dict
        The results document that was written.
    """
    if threads is not None:
        from threadpoolctl import threadpool_limits

        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(threads)
        with threadpool_limits(limits=threads):
            return run(
                quick=quick,
                suites=suites,
                out_dir=out_dir,
                readme=readme,
                memory=memory,
                repeats=repeats,
                budget=budget,
                threads=None,
                tag=tag,
                only=only,
                log=log,
            )
    repeats = repeats or (21 if quick else 51)
    budget = budget if budget is not None else (0.6 if quick else 10.0)
    started = time.perf_counter()
    doc: dict = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "mode": "quick" if quick else "full",
        "machine": machine_info(),
        "method": {
            "ratio": "median time of the peer / median time of xn_io, measured interleaved in the same run (> 1: xn_io faster)",
            "max_rounds": repeats,
            "budget_seconds_per_case": budget,
            "min_rounds": 3,
            "memory": "peak RSS of a fresh subprocess while the workload ran once (VmHWM after clear_refs), inputs included",
        },
        "results": [],
        "unavailable": {},
        "suites": sorted(suites) if suites else sorted(SUITES),
        "tag": tag,
        "only": only,
    }
    stem = doc["date"][:10] + ("-quick" if quick else "") + (f"-{tag}" if tag else "")
    json_path = out_dir / f"{stem}.json"
    chart = out_dir / ("scaling" + ("-quick" if quick else "") + (f"-{tag}" if tag else "") + ".png")
    block = f"results-{tag}" if tag else "results"

    def write(final: bool) -> None:
        doc["complete"] = final
        doc["scaling"] = analysis.scaling(doc["results"])
        doc["goals"] = analysis.goals(doc["results"], doc["unavailable"])
        doc["elapsed_seconds"] = round(time.perf_counter() - started, 1)
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = json_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, json_path)
        report.chart(doc, chart)
        if readme is not None:
            report.update_readme(readme, doc, json_path, chart, block=block)

    for name, module in SUITES.items():
        if suites and name not in suites:
            continue
        reason = module.available()
        if reason is not None:
            doc["unavailable"][name] = reason
            log(f"{name:9s} {reason}")
            continue
        if only and hasattr(module, "specs"):
            chosen = [(w, t) for w, t in module.specs(quick=quick) if w in only or f"{w}:{t}" in only]
            case_iter = (module.build(w, t) for w, t in chosen)
        else:
            case_iter = module.cases(quick=quick)
        for case in case_iter:
            r = run_case(case, repeats=repeats, budget=budget)
            # the quick run measures memory once, on the sparse 100-demand case (where it is a goal)
            quick_memory = case.extra.get("density") and case.workload == "output_100"
            if memory and r.get("status") == "ok" and case.memory and (not quick or quick_memory):
                r["memory"] = {impl: measure_memory(case, impl, quick=quick) for impl in case.impls}
            doc["results"].append(r)
            log(_fmt(r))
            del case
            write(final=False)  # after every case: a long run stopped part-way keeps what it measured
    write(final=True)
    log(f"wrote {json_path} and {chart} in {doc['elapsed_seconds']} s")
    return doc


def render(json_path: Path, *, readme: Path | None = HERE / "README.md") -> dict:
    """Recompute the scaling fits and goals of a results file and redraw its chart and README block.

    The raw timings are not touched: only what is derived from them.
    """
    doc = json.loads(json_path.read_text(encoding="utf-8"))
    doc["scaling"] = analysis.scaling(doc["results"])
    doc["goals"] = analysis.goals(doc["results"], doc["unavailable"])
    tmp = json_path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, json_path)
    tag = doc.get("tag")
    chart = json_path.parent / (
        "scaling" + ("-quick" if doc["mode"] == "quick" else "") + (f"-{tag}" if tag else "") + ".png"
    )
    report.chart(doc, chart)
    if readme is not None:
        report.update_readme(readme, doc, json_path, chart, block=f"results-{tag}" if tag else "results")
    return doc


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a run of about a minute")
    parser.add_argument("--suite", action="append", choices=sorted(SUITES), help="run only this suite (repeatable)")
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results folder")
    parser.add_argument("--no-readme", action="store_true", help="do not update benchmarks/README.md")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    parser.add_argument("--repeats", type=int, help="largest number of timed rounds per case")
    parser.add_argument("--budget", type=float, help="seconds a case may take (sets the number of rounds)")
    parser.add_argument("--threads", type=int, help="limit BLAS/OpenMP threads (default: the machine's setting)")
    parser.add_argument(
        "--only",
        action="append",
        metavar="WORKLOAD[:TABLE]",
        help="run only these cases (repeatable), e.g. plain or static:dense-2000",
    )
    parser.add_argument("--tag", help="keep this run beside the others: <date>-<tag>.json and its own README block")
    parser.add_argument(
        "--render",
        type=Path,
        metavar="JSON",
        help="do not run: recompute fits and goals of a results file, redraw its chart and README block",
    )
    args = parser.parse_args(argv)
    if args.render is not None:
        render(args.render, readme=None if args.no_readme else HERE / "README.md")
        return 0
    run(
        quick=args.quick,
        suites=args.suite,
        out_dir=args.out,
        readme=None if args.no_readme else HERE / "README.md",
        memory=not args.no_memory,
        repeats=args.repeats,
        budget=args.budget,
        threads=args.threads,
        tag=args.tag,
        only=args.only,
        log=lambda s: print(s, flush=True),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
