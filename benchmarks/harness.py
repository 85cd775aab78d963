"""Timing, agreement checks, peak memory and machine description.

A :class:`Case` is one workload on one table, with one callable per
implementation (``"xn_io"`` and its peers). :func:`run_case`

1. calls every implementation once (warm-up) and compares each peer's result
   with xn_io's — a case whose results disagree is reported as such and not
   timed;
2. times the implementations *interleaved by blocks* (a block of xn_io calls,
   a block of each peer's, then the next round in rotated order) so that a
   noisy machine slows all of them alike, and keeps the median of all timed
   calls. A call faster than 0.5 s runs in a block whose first call is
   discarded: numpy and scipy wheels each bring their own OpenBLAS thread
   pool, and the first call after the *other* pool was busy waits for that
   pool's spinning threads (≈ 4 ms, at times 60–80 ms on two cores) — a cost
   of switching libraries, not of either implementation;
3. reports each peer's median over xn_io's median: a ratio above 1 means
   xn_io is faster.

Peak memory is measured in a fresh subprocess per implementation
(:mod:`benchmarks.worker`), which builds the same inputs, resets the kernel's
peak-RSS mark (``/proc/self/clear_refs``), runs the workload once and reads
``VmHWM``.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

__all__ = ["Case", "run_case", "measure_memory", "machine_info", "relative_difference", "peak_rss_reset", "peak_rss"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Case:
    """One workload on one table.

    Attributes
    ----------
    suite, workload, table : str
        Identification (``"leontief"``, ``"output_100"``, ``"wiod-1435"``).
    n : int
        Size of the problem (number of sectors).
    impls : dict of str to callable
        ``"xn_io"`` first, then the peers; each callable takes no argument and
        returns the result to compare.
    compare : callable
        ``compare(xn_io_result, peer_result) -> float``, a relative difference.
    tol : float
        Largest relative difference accepted as agreement.
    memory : bool
        Whether the full run measures this case's peak memory.
    extra : dict
        Anything else worth recording (method used, density …).
    max_rounds : int, optional
        Fewer timed rounds than the run allows, for cases whose peer takes minutes
        (0: the agreement run of calls of 10 s or more is their only timing).
    """

    suite: str
    workload: str
    table: str
    n: int
    impls: dict[str, Callable[[], Any]]
    compare: Callable[[Any, Any], float]
    tol: float = 1e-8
    memory: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    max_rounds: int | None = None


def relative_difference(a, b) -> float:
    """``max |a − b| / max |b|`` over all entries (dense or sparse, any shape)."""
    a = a.toarray() if sp.issparse(a) else np.asarray(a, dtype=float)
    b = b.toarray() if sp.issparse(b) else np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return float("inf")
    scale = float(np.abs(b).max(initial=0.0)) or 1.0
    return float(np.abs(a - b).max(initial=0.0)) / scale


_CPU: dict[int, list[float]] = {}
"""CPU seconds of this process per timed call, by ``id`` of the callable (read by :func:`run_case`)."""


def _time_once(fn: Callable[[], Any]) -> float:
    """Seconds of one call with the cyclic garbage collector paused (it runs between calls).

    The CPU time of the call (``time.process_time``: this process only, all
    its threads) is kept in ``_CPU``: on a shared machine it shows how much of
    the wall time was waiting for a core.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        cpu = time.process_time()
        start = time.perf_counter()
        fn()
        wall = time.perf_counter() - start
        _CPU.setdefault(id(fn), []).append(time.process_time() - cpu)
        return wall
    finally:
        if enabled:
            gc.enable()


SLOW_CALL = 10.0
"""Seconds: the agreement run of a call this slow is also one of its timings."""

SWITCH_DISCARD_BELOW = 0.5
"""Seconds: calls faster than this run in blocks whose first call is discarded (see :func:`run_case`)."""


def _block(seconds: float) -> tuple[int, int]:
    """(calls discarded, calls kept) per block for a call of about ``seconds``."""
    if seconds >= SWITCH_DISCARD_BELOW:
        return 0, 1
    return 1, int(min(25, max(1, 0.05 // max(seconds, 1e-9))))


def run_case(case: Case, *, repeats: int, budget: float, min_repeats: int = 3) -> dict[str, Any]:
    """Check agreement, then time the implementations of ``case`` interleaved.

    Parameters
    ----------
    case : Case
    repeats : int
        Largest number of timed rounds (a round runs every implementation once).
    budget : float
        Seconds a case may take: the number of rounds is ``budget`` over the
        time of one round, between ``min_repeats`` and ``repeats``, so that
        fast cases get many rounds and a median robust to the stalls of a
        shared machine.
    min_repeats : int
        Fewest timed rounds.

    Returns
    -------
    dict
        ``status`` (``"ok"`` or ``"disagree"``), ``agreement`` (relative
        difference per peer), ``warmup`` (an untimed-for-the-median call, used
        to size the blocks and rounds), ``times`` (every timed call per implementation), ``median``,
        ``min`` and ``ratio`` (peer median / xn_io median) per peer.
    """
    out: dict[str, Any] = {
        "suite": case.suite,
        "workload": case.workload,
        "table": case.table,
        "n": case.n,
        "extra": case.extra,
    }
    reference = None
    agreement: dict[str, float] = {}
    warmup: dict[str, float] = {}
    warmup_cpu: dict[str, float] = {}
    for name, fn in case.impls.items():
        cpu = time.process_time()
        start = time.perf_counter()
        result = fn()
        warmup[name] = time.perf_counter() - start
        warmup_cpu[name] = time.process_time() - cpu
        if warmup[name] < SWITCH_DISCARD_BELOW:  # the first call paid for imports and the library switch
            warmup[name] = _time_once(fn)
        if name == "xn_io":
            reference = result
        else:
            agreement[name] = case.compare(reference, result)
        del result
    reference = None
    out["agreement"] = agreement
    out["tol"] = case.tol
    out["warmup"] = warmup
    bad = {k: v for k, v in agreement.items() if not v <= case.tol}
    if bad:
        out["status"] = "disagree"
        out["message"] = f"results differ from xn_io beyond {case.tol:g}: {bad}"
        return out
    names = list(case.impls)
    for name in names:
        _CPU.pop(id(case.impls[name]), None)
    blocks = {k: _block(warmup[k]) for k in names}
    round_time = sum((discard + kept) * warmup[k] for k, (discard, kept) in blocks.items())
    rounds = int(min(repeats, max(min_repeats, budget // max(round_time, 1e-9))))
    if case.max_rounds is not None:
        rounds = min(rounds, case.max_rounds)
        if rounds == 0 and any(warmup[k] < SLOW_CALL for k in names):
            rounds = 1  # a fast call's agreement run is no timing: one round at least
    # a call of 10 s or more is its own warm-up: its first run counts as a timing
    times: dict[str, list[float]] = {k: [warmup[k]] if warmup[k] >= SLOW_CALL else [] for k in names}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            discard, kept = blocks[name]
            for i in range(discard + kept):
                t = _time_once(case.impls[name])
                if i >= discard:
                    times[name].append(t)
                else:
                    _CPU[id(case.impls[name])].pop()
    median = {k: statistics.median(v) for k, v in times.items()}
    out["status"] = "ok"
    out["times"] = times
    out["median"] = median
    out["min"] = {k: min(v) for k, v in times.items()}
    cpu = {k: ([warmup_cpu[k]] if warmup[k] >= SLOW_CALL else []) + _CPU.pop(id(case.impls[k]), []) for k in names}
    out["cpu_median"] = {k: statistics.median(v) for k, v in cpu.items() if v}
    out["ratio"] = {k: median[k] / median["xn_io"] for k in names if k != "xn_io"}
    return out


# --------------------------------------------------------------------------- memory
def _status_kb(field_name: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_rss_reset() -> bool:
    """Reset the kernel's peak-RSS mark of this process (Linux ≥ 4.0); False where impossible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def peak_rss() -> tuple[float, float]:
    """Return (peak RSS, current RSS) of this process in MiB.

    Reads ``VmHWM``/``VmRSS`` from ``/proc/self/status``; elsewhere the peak is
    ``resource.getrusage`` ``ru_maxrss`` (KiB on Linux, bytes on macOS) and the
    current value comes from psutil.
    """
    hwm, rss = _status_kb("VmHWM"), _status_kb("VmRSS")
    if hwm is not None and rss is not None:
        return hwm / 1024.0, rss / 1024.0
    import resource

    import psutil

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = peak / 1024.0 if sys.platform != "darwin" else peak / 2**20
    return peak, psutil.Process().memory_info().rss / 2**20


def measure_memory(case: Case, impl: str, *, quick: bool, timeout: float = 1800.0) -> dict[str, Any]:
    """Peak RSS of one implementation of ``case``, run once in a fresh subprocess.

    Returns
    -------
    dict
        ``peak_mib`` (peak RSS while the workload ran, inputs included),
        ``start_mib`` (RSS just before it: interpreter, libraries, inputs),
        ``increment_mib`` (the difference), ``seconds`` and ``method``; or
        ``error``.
    """
    cmd = [sys.executable, "-m", "benchmarks.worker", case.suite, case.workload, case.table, impl]
    if quick:
        cmd.append("--quick")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:g} s"}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- machine
def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(module: str) -> str | None:
    try:
        from importlib.metadata import version

        return version(module)
    except Exception:
        return None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def machine_info() -> dict[str, Any]:
    """Machine, versions, BLAS libraries and thread counts, for the results file."""
    import psutil
    from threadpoolctl import threadpool_info

    import xn_io

    blas = [
        {
            k: lib.get(k)
            for k in ("user_api", "internal_api", "version", "num_threads", "threading_layer", "architecture", "prefix")
        }
        for lib in threadpool_info()
    ]
    packages = ["numpy", "scipy", "pandas", "pymrio", "pyomo", "highspy", "networkx", "psutil", "threadpoolctl"]
    return {
        "cpu": _cpu_model(),
        "logical_cpus": os.cpu_count(),
        "physical_cpus": psutil.cpu_count(logical=False),
        "affinity_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {p: _version(p) for p in packages} | {"xn_io": xn_io.__version__},
        "blas": blas,
        "thread_env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")},
        "git_commit": _git_commit(),
    }
