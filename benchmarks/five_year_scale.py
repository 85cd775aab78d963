"""The five-year model at scale: one solve per implementation and table, each in a fresh process.

Usage::

    python -m benchmarks.five_year_scale                      # dense-500, dense-1000, wiod-1435
    python -m benchmarks.five_year_scale --tables dense-300 --ipm dense-300 --ipm-limit 600

From n = 500 one solve of the five-year model (``benchmarks/suites/lp.py``,
workload ``five_year``) takes minutes, so every implementation runs once per
table, in its own subprocess (``--one TABLE IMPL``), which builds the inputs,
resets the kernel's peak-RSS mark and reports wall time, CPU time, peak RSS,
the phases and the optimal objective of that one call. The implementations
of a table run one after the other, so their ratios come from the same
stretch of the machine's load; the CPU-time ratio is the steadier one on a
shared machine. Implementations:

``xn_io``
    ``dynamic_leontief_lp(..., backend="pyomo")`` (matrix blocks in a Pyomo model).
``xn_io.highspy``
    ``dynamic_leontief_lp(..., backend="highspy")``.
``highspy``
    the rows written directly against highspy here (:func:`~benchmarks.suites.lp.direct_five_year`).
``highspy.ipm``
    that direct model by HiGHS' interior-point method (IPX; with crossover, its default), under ``--ipm-limit`` seconds;
``highspy.ipm-nox``
    the same without crossover (``run_crossover="off"``: an interior optimum, no basis);
``highspy.pdlp``
    the same by HiGHS' first-order method PDLP;
``highspy.simplex-limited``
    the direct model by the dual simplex (as ``highspy``) under ``--ipm-limit`` seconds.

The time-limited runs (``--ipm TABLE ... --alt ipm-nox pdlp``) record HiGHS'
iteration counts, residuals and objective however they end, and with
``--log-dir`` its log.

Objectives must agree to 1e-7 (relative) with the direct model's. The run
writes ``results/<date>-<tag>.json`` and prints a Markdown table; the fitted
exponent is the slope of log(time) against log(n) over the tables run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
IMPLS = ("xn_io", "xn_io.highspy", "highspy")
#: The time-limited algorithms of the direct model: HiGHS options on top of the defaults.
ALTS = {
    "ipm": {"solver": "ipm"},
    "ipm-nox": {"solver": "ipm", "run_crossover": "off"},
    "pdlp": {"solver": "pdlp"},
    "simplex-limited": {},
}


def one(table: str, impl: str, ipm_limit: float, log_dir: Path | None = None, options: dict | None = None) -> dict:
    """Run ``impl`` once on ``table`` in this process; peak RSS while it ran."""
    import xn_io.optimize  # noqa: F401 - imported by every implementation's process alike, before the clock starts

    from .harness import peak_rss, peak_rss_reset
    from .suites.lp import _xn_five_year, direct_five_year, five_year_data

    data = five_year_data(table)
    phases: list = []
    reset = peak_rss_reset()
    _, start_mib = peak_rss()
    t0, c0 = time.perf_counter(), time.process_time()
    status = "optimal"
    info: dict = {}
    try:
        if impl == "xn_io":
            objective = _xn_five_year(data, phases, solver_options=options)
        elif impl == "xn_io.highspy":
            objective = _xn_five_year(data, phases, backend="highspy", solver_options=options)
        elif impl == "highspy":
            direct = dict(options or {})
            objective = direct_five_year(
                data, phases=phases, solver=direct.pop("solver", "simplex"), options=direct, info=info
            )
        elif impl.startswith("highspy.") and impl.removeprefix("highspy.") in ALTS:
            options = {"threads": 1, **ALTS[impl.removeprefix("highspy.")]}
            solver = options.pop("solver", "simplex")
            if log_dir is not None:
                log_dir.mkdir(parents=True, exist_ok=True)
                options.update(output_flag=True, log_to_console=False, log_file=str(log_dir / f"{table}-{impl}.log"))
            objective = direct_five_year(
                data, phases=phases, solver=solver, time_limit=ipm_limit, options=options, info=info
            )
        else:
            raise KeyError(impl)
    except (
        RuntimeError
    ) as exc:  # xn_io's SolverError is a RuntimeError too  # the direct model's non-optimal end (the IPM's time limit)
        objective, status = None, str(exc)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak, _ = peak_rss()
    return {
        "table": table,
        "n": int(data["A"].shape[0]),
        "impl": impl,
        "status": status,
        "objective": objective,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mib": round(peak, 1),
        "start_mib": round(start_mib, 1),
        "memory_method": "VmHWM after clear_refs" if reset else "process",
        "phases": phases,
        "highs": info,
        "solver_options": options or {},
    }


def _subprocess(
    table: str, impl: str, ipm_limit: float, log_dir: Path | None = None, options: dict | None = None
) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.five_year_scale", "--one", table, impl, "--ipm-limit", str(ipm_limit)]
    if options:
        cmd += ["--solver-options", json.dumps(options)]
    if log_dir is not None:
        cmd += ["--log-dir", str(log_dir)]
    env = dict(os.environ)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    env["PYTHONPATH"] = str(HERE.parent) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=HERE.parent, env=env, check=False)
    if proc.returncode != 0:
        tail = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"
        return {"table": table, "impl": impl, "status": f"failed: {tail}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def fit(points: list[tuple[int, float]]) -> float | None:
    """Slope of log(time) against log(n)."""
    if len({n for n, _ in points}) < 2:
        return None
    n, t = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    return float(np.polyfit(n, t, 1)[0])


def markdown(rows: list[dict]) -> str:
    """One line per table: times, ratios to the direct model, memory, agreement."""
    out = [
        (
            "| table | n | direct highspy: wall (CPU) | xn_io (Pyomo): wall (CPU) | ratio wall (CPU) | "
            "xn_io.highspy: wall (CPU) | ratio wall (CPU) | peak MiB: direct / Pyomo / highspy backend | "
            "IPM (direct) | max rel. diff |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for table in dict.fromkeys(r["table"] for r in rows):
        by = {r["impl"]: r for r in rows if r["table"] == table}
        ref = by.get("highspy", {})
        if "seconds" not in ref:
            out.append(f"| {table} | | {ref.get('status', 'not run')} | | | | | | | |")
            continue

        def cell(key, by=by, ref=ref):
            r = by.get(key, {})
            if "seconds" not in r:
                return r.get("status", "not run"), ""
            ratio = f"{r['seconds'] / ref['seconds']:.3f}× ({r['cpu_seconds'] / ref['cpu_seconds']:.3f}×)"
            return f"{r['seconds']:.1f} s ({r['cpu_seconds']:.1f} s)", ratio

        a, ra = cell("xn_io")
        b, rb = cell("xn_io.highspy")
        ipm = by.get("highspy.ipm")
        ipm_cell = "—"
        if ipm is not None and "seconds" in ipm:
            ipm_cell = f"{ipm['seconds']:.0f} s ({ipm['cpu_seconds']:.0f} s CPU)" + (
                "" if ipm["status"] == "optimal" else f": {ipm['status']}"
            )
        mem = " / ".join(f"{by[k]['peak_mib']:.0f}" if "peak_mib" in by.get(k, {}) else "—" for k in IMPLS[::-1])
        diffs = [
            abs(r["objective"] - ref["objective"]) / abs(ref["objective"])
            for r in by.values()
            if r.get("objective") is not None
        ]
        out.append(
            f"| {table} | {ref['n']} | {ref['seconds']:.1f} s ({ref['cpu_seconds']:.1f} s) | {a} | {ra} | {b} | {rb} "
            f"| {mem} | {ipm_cell} | {max(diffs):.1e} |"
        )
    alts = [r for r in rows if r["impl"].removeprefix("highspy.") in ALTS]
    if alts:
        out += [
            "",
            "| table | algorithm (direct model) | status | wall (CPU) | peak MiB | iterations | objective |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in alts:
            h = r.get("highs") or {}
            its = ", ".join(
                f"{k.removesuffix('_iteration_count')} {h[k]}" for k in h if k.endswith("_iteration_count") and h[k]
            )
            obj = h.get("objective_function_value")
            wall = f"{r['seconds']:.0f} s ({r['cpu_seconds']:.0f} s)" if "seconds" in r else "—"
            out.append(
                f"| {r['table']} | {r['impl']} | {h.get('model_status', r['status'])} | {wall} "
                f"| {r.get('peak_mib', '—')} | {its or '—'} | {'—' if obj is None else f'{obj:.9g}'} |"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.five_year_scale", description=__doc__)
    parser.add_argument("--tables", nargs="*", default=["dense-500", "dense-1000", "wiod-1435"])
    parser.add_argument("--ipm", nargs="*", default=[], help="tables on which the direct model also runs by IPM")
    parser.add_argument("--ipm-limit", type=float, default=900.0, help="seconds a time-limited run may take")
    parser.add_argument(
        "--alt", nargs="+", default=["ipm"], choices=sorted(ALTS), help="the time-limited algorithms on --ipm tables"
    )
    parser.add_argument(
        "--impls", nargs="*", default=list(IMPLS), choices=IMPLS, help="implementations run on every table"
    )
    parser.add_argument(
        "--solver-options",
        type=json.loads,
        default=None,
        help='HiGHS options (JSON) for the --impls runs, e.g. \'{"solver": "pdlp"}\'',
    )
    parser.add_argument("--log-dir", type=Path, default=None, help="write HiGHS' log of the time-limited runs here")
    parser.add_argument("--one", nargs=2, metavar=("TABLE", "IMPL"), help=argparse.SUPPRESS)
    parser.add_argument("--tag", default="issue19-five-year-scale")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(*args.one, args.ipm_limit, args.log_dir, args.solver_options)))
        return 0
    started = dt.datetime.now(dt.UTC)
    doc: dict = {
        "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "what": "five-year dynamic Leontief LP (benchmarks/suites/lp.py, five_year), one solve per implementation",
        "threads": 1,
        "load_average_start": os.getloadavg(),
        "runs": [],
    }
    from .harness import machine_info

    doc["machine"] = machine_info()
    path = args.out / f"{doc['date'][:10]}-{args.tag}.json"
    args.out.mkdir(parents=True, exist_ok=True)
    # every table by the three implementations first, the interior-point runs (long, time-limited) last
    plan = [(table, impl) for table in args.tables for impl in args.impls]
    plan += [(table, f"highspy.{alt}") for table in args.ipm for alt in args.alt]
    for table, impl in plan:
        options = args.solver_options if impl in IMPLS else None
        r = _subprocess(table, impl, args.ipm_limit, args.log_dir, options)
        r["load_average_after"] = os.getloadavg()
        doc["runs"].append(r)
        print(json.dumps(r), flush=True)
        done = [x for x in doc["runs"] if "seconds" in x and x["status"] == "optimal"]
        doc["exponents"] = {
            impl: {
                "wall": fit([(x["n"], x["seconds"]) for x in done if x["impl"] == impl]),
                "cpu": fit([(x["n"], x["cpu_seconds"]) for x in done if x["impl"] == impl]),
            }
            for impl in IMPLS
        }
        doc["markdown"] = markdown(doc["runs"])
        path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(doc["markdown"])
    print(json.dumps(doc["exponents"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
