"""Run one implementation of one case once and print its peak memory as JSON (a subprocess of the run).

Usage: ``python -m benchmarks.worker SUITE WORKLOAD TABLE IMPL``.

The inputs are built first (as in the timed run); then the kernel's peak-RSS
mark is reset, the workload runs once, and ``VmHWM`` is the peak *while it
ran*, inputs included. Where the mark cannot be reset the peak is that of the
whole process (``"method": "process"``).
"""

from __future__ import annotations

import argparse
import json
import time

from .harness import peak_rss, peak_rss_reset
from .suites import SUITES


def main(argv: list[str] | None = None) -> None:
    """Parse the arguments, run the workload once, print one line of JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("suite", choices=sorted(SUITES))
    parser.add_argument("workload")
    parser.add_argument("table")
    parser.add_argument("impl")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    case = SUITES[args.suite].build(args.workload, args.table)
    fn = case.impls[args.impl]
    reset = peak_rss_reset()
    _, start = peak_rss()
    t0, c0 = time.perf_counter(), time.process_time()
    result = fn()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak, _ = peak_rss()
    print(
        json.dumps(
            {
                "peak_mib": round(peak, 1),
                "start_mib": round(start, 1),
                "increment_mib": round(peak - start, 1),
                "seconds": seconds,
                "cpu_seconds": cpu,
                "result": result if isinstance(result, float) else None,
                "method": "VmHWM after clear_refs" if reset else "process",
            }
        )
    )


if __name__ == "__main__":
    main()
