"""Lp workloads: static Leontief LP and the five-year model, xn_io through Pyomo vs a direct highspy model, n = 100 to 2,000.

The suite runs once ``xn_io.optimize`` provides what it needs; until then the run
records it as not yet available.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

from ..harness import Case

__all__ = ["SUITE", "available", "cases", "build"]

SUITE = "lp"


def available() -> str | None:
    """None when the suite can run, else the reason it cannot."""
    if importlib.util.find_spec("xn_io.optimize") is None:
        return "not yet available: xn_io.optimize has not landed"
    return "not yet available: the benchmark of xn_io.optimize is not written yet"


def cases(*, quick: bool) -> Iterator[Case]:
    """No cases until the module lands."""
    return iter(())


def build(workload: str, table: str) -> Case:
    """Raise: there is nothing to build yet."""
    raise KeyError(f"{SUITE} suite: {available()}")
