"""``python -m benchmarks.sweep [--quick]``: a scenario sweep serially, on local processes and on Dask.

First a full ``solve`` of the baseline scenario is timed (median of 7 calls).
The workload is ``n`` (default 200) scenarios of the Xianning plan model on the
embedded ``xianning-2025`` table (38 sectors, 2026–2030): a grid over the
investment budget, the yearly growth ceiling and the growth of local demand
(:func:`xn_io.optimize.scenario_grid`). The same sweep runs

``serial``
    :func:`xn_io.optimize.sweep` in this process;
``processes``
    ``executor="processes"`` with ``--workers`` (default 2) spawned processes
    — the pool is started inside the call, so its start-up is in the time;
``processes (warm pool)``
    a ``ProcessPoolExecutor`` started and warmed before the clock starts,
    passed in (the table then travels with every task);
``dask``
    a Dask ``LocalCluster`` (``--workers`` processes, one thread each) started
    before the clock starts (its start-up is reported apart), the Client passed in
    (the table is scattered once).

Before any timing counts, every executor's rows must agree with the serial
ones (objective, 2030 GDP, peak CO2; relative difference ≤ 1e-9): a benchmark
that computes different numbers is not a benchmark.

Reported per executor: wall time, speed-up over serial, the sum of the task
times measured inside the workers, the **task slowdown** (median task time over
the serial median: above 1 when the workers share cores with other processes),
and the **per-task overhead**
``(workers × wall − Σ task time) / n`` — worker time not spent solving, per
task: serialisation, scheduling, start-up, result transfer and idle workers at
the tail. For serial it is ``(wall − Σ task time) / n``, the driver's own cost.
The results go to ``benchmarks/results/sweep-<date>[-quick].json`` and a
Markdown table is printed.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

__all__ = ["workload", "run", "markdown", "main"]


def workload(n: int):
    """``n`` scenarios: budget × growth ceiling × local-demand growth, the first ``n`` of a 6 × 6 × 6 grid."""
    from xn_io.optimize import Scenario, scenario_grid

    grid = scenario_grid(
        Scenario(),
        budget_scale=list(np.round(np.linspace(0.8, 1.3, 6), 3)),
        growth_max=list(np.round(np.linspace(0.15, 0.40, 6), 3)),
        demand_growth=list(np.round(np.linspace(0.03, 0.08, 6), 3)),
    )
    if n > len(grid):
        raise SystemExit(f"--n {n}: the grid has {len(grid)} scenarios")
    return grid[:n]


def _agree(a, b) -> float:
    """Largest relative difference of the rows; a scenario must end the same way (an infeasible one has NaN)."""
    if (a["status"].astype(str) != b.loc[a.index, "status"].astype(str)).any():
        return float("inf")
    cols = ["objective", "gdp_2030", "co2_peak"]
    x, y = a[cols].to_numpy(dtype=float), b.loc[a.index, cols].to_numpy(dtype=float)
    diff = np.abs(x - y) / np.maximum(np.abs(x), 1.0)
    diff = np.where(np.isnan(x) & np.isnan(y), 0.0, diff)  # both without a value: the same (infeasible) end
    return float(np.max(np.where(np.isnan(diff), np.inf, diff)))


def _row(name, frame, wall, workers, n, serial_wall, startup=None, serial_median=None) -> dict:
    task = float(frame["task_seconds"].sum())
    median = float(frame["task_seconds"].median())
    return {
        "executor": name,
        "workers": workers,
        "wall_s": wall,
        "startup_s": startup,
        "speedup": serial_wall / wall if serial_wall else 1.0,
        "task_s_sum": task,
        "task_s_median": median,
        # the same solves, slower in parallel: cores shared with other processes (or memory bandwidth)
        "task_slowdown": median / serial_median if serial_median else 1.0,
        "overhead_per_task_ms": 1000 * (workers * wall - task) / n,
        "statuses": frame["status"].value_counts().to_dict(),
        "distinct_workers": int(frame["worker"].nunique()),
    }


def baseline_solve(table, *, repeats: int = 7) -> dict:
    """Seconds of a full ``solve(table)`` of the default scenario (build, hand-off, solve, plan read back).

    One call first (imports, first-solve costs), then ``repeats`` timed calls;
    the median and the fastest are reported.
    """
    from xn_io.optimize import Scenario, solve

    plan = solve(table, Scenario())
    times, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        solve(table, Scenario())
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {
        "median_s": float(np.median(times)),
        "min_s": float(min(times)),
        "times_s": times,
        # CPU time of this process (HiGHS runs in it, one thread): the work, apart from other processes' load
        "cpu_median_s": float(np.median(cpu)),
        "cpu_s": cpu,
        "status": str(getattr(plan, "status", "")),
        "objective": float(getattr(plan, "objective", float("nan"))),
    }


def run(*, n: int = 200, workers: int = 2, quick: bool = False, out_dir: Path | None = None) -> dict:
    """Run the benchmark; return the results (also written as JSON under ``out_dir``)."""
    import xn_io
    from xn_io.optimize import sweep

    table = xn_io.load_table("xianning-2025")
    scenarios = workload(n)
    load_before = os.getloadavg()
    solve_baseline = baseline_solve(table, repeats=3 if quick else 7)
    rows, agreement = [], {}
    sweep(table, scenarios[:2], quiet=True)  # imports and first-solve costs out of the serial timing
    t0 = time.perf_counter()
    serial = sweep(table, scenarios, quiet=True)
    t_serial = time.perf_counter() - t0
    rows.append(_row("serial", serial, t_serial, 1, n, t_serial))
    med = rows[0]["task_s_median"]

    t0 = time.perf_counter()
    proc = sweep(table, scenarios, "processes", n_workers=workers, quiet=True)
    rows.append(_row("processes", proc, time.perf_counter() - t0, workers, n, t_serial, None, med))
    agreement["processes"] = _agree(serial, proc)

    t0 = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        sweep(table, scenarios[:workers], pool, quiet=True)  # warm: every worker has imported xn_io and solved once
        startup = time.perf_counter() - t0
        t0 = time.perf_counter()
        warm = sweep(table, scenarios, pool, quiet=True)
        rows.append(_row("processes (warm pool)", warm, time.perf_counter() - t0, workers, n, t_serial, startup, med))
    agreement["processes (warm pool)"] = _agree(serial, warm)

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed is not installed: the Dask row is skipped (pip install '.[dask]')", file=sys.stderr)
    else:
        t0 = time.perf_counter()
        with (
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            sweep(table, scenarios[:workers], client, quiet=True)
            startup = time.perf_counter() - t0
            t0 = time.perf_counter()
            dask = sweep(table, scenarios, client, quiet=True)
            rows.append(_row("dask LocalCluster", dask, time.perf_counter() - t0, workers, n, t_serial, startup, med))
        agreement["dask LocalCluster"] = _agree(serial, dask)

    bad = {k: v for k, v in agreement.items() if not v <= 1e-9}
    if bad:
        raise SystemExit(f"results disagree with the serial sweep (largest relative difference): {bad}")
    try:
        from .harness import machine_info

        machine = machine_info()
    except Exception as exc:
        machine = {"logical_cpus": os.cpu_count(), "python": sys.version.split()[0], "note": f"machine_info: {exc}"}
    doc = {
        "suite": "sweep",
        "date": _dt.date.today().isoformat(),
        "mode": "quick" if quick else "full",
        "table": "xianning-2025",
        "n_scenarios": n,
        "workers": workers,
        "agreement": agreement,
        # other processes on the machine take cores from the workers: speed-ups are bounded by what is free
        "load_average_1_5_15min": {"before": load_before, "after": os.getloadavg()},
        "baseline_solve": solve_baseline,
        "results": rows,
        "machine": machine,
    }
    out_dir = out_dir or HERE / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    default_n = 40 if quick else 200
    suffix = ("-quick" if quick else "") + ("" if n == default_n else f"-n{n}")
    path = out_dir / f"sweep-{doc['date']}{suffix}.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    doc["path"] = str(path)
    return doc


def markdown(doc: dict) -> str:
    """The results as a Markdown table."""
    head = (
        f"{doc['n_scenarios']} scenarios on `{doc['table']}`, {doc['workers']} workers "
        f"({doc['machine'].get('logical_cpus')} logical CPUs; 1-min load average before the run "
        f"{doc['load_average_1_5_15min']['before'][0]:.1f}):"
    )
    b = doc.get("baseline_solve")
    base = (
        (
            f"A full `solve` of the baseline scenario: median {b['median_s']:.3f} s, fastest {b['min_s']:.3f} s "
            + (f"(CPU time: median {b['cpu_median_s']:.3f} s) " if "cpu_median_s" in b else "")
            + f"({len(b['times_s'])} calls after one untimed).\n\n"
        )
        if b
        else ""
    )
    lines = [
        base + head,
        "",
        (
            "| executor | wall (s) | start-up (s) | speed-up | Σ task (s) | median task (ms) | task slowdown "
            "| overhead / task (ms) |"
        ),
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in doc["results"]:
        start = "—" if r["startup_s"] is None else f"{r['startup_s']:.1f}"
        lines.append(
            f"| {r['executor']} | {r['wall_s']:.1f} | {start} | {r['speedup']:.2f} | {r['task_s_sum']:.1f} | "
            f"{1000 * r['task_s_median']:.0f} | {r['task_slowdown']:.2f} | {r['overhead_per_task_ms']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 scenarios instead of 200")
    parser.add_argument("--n", type=int, default=None, help="number of scenarios (default 200; 40 with --quick)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel executors (default 2)")
    parser.add_argument("--out", type=Path, default=None, help="results folder (default benchmarks/results)")
    args = parser.parse_args(argv)
    n = args.n or (40 if args.quick else 200)
    doc = run(n=n, workers=args.workers, quick=args.quick, out_dir=args.out)
    print(markdown(doc))
    print(f"written to {doc['path']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
