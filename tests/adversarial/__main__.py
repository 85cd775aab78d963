"""``python -m tests.adversarial [--subprocess] [CASE-ID ...]``: replay the cases, print each outcome and the tally."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from . import cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.adversarial", description=__doc__)
    parser.add_argument("ids", nargs="*", help="run only these cases (default: all)")
    parser.add_argument("--subprocess", action="store_true", help="run every CLI case as a real xn-io process")
    args = parser.parse_args(argv)
    cases.SUBPROCESS = args.subprocess
    chosen = [c for c in cases.CASES if not args.ids or c.id in args.ids]
    outcomes = {}
    for c in chosen:
        start = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="xn-io-adversarial-") as folder:
            outcome = cases.run_case(c, Path(folder))
        outcomes[c.id] = outcome
        mark = "ok " if outcome.kind in cases.GOOD else "BAD"
        print(f"{mark} {outcome.kind:8} {time.perf_counter() - start:5.1f}s  {c.id}: {outcome.detail[:160]}")
    print()
    print(cases.tally(outcomes).to_string())
    bad = sum(o.kind not in cases.GOOD for o in outcomes.values())
    print(f"\n{len(outcomes)} cases, {len(outcomes) - bad} clear or correct, {bad} not")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
