"""Linkages workloads: hypothetical extraction of every sector (one factorisation) vs re-inverting for each; structural path analysis on 1435 sectors.

The suite runs once ``xn_io.linkages`` provides what it needs; until then the run
records it as not yet available.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator

from ..harness import Case

__all__ = ["SUITE", "available", "cases", "build"]

SUITE = "linkages"


def available() -> str | None:
    """None when the suite can run, else the reason it cannot."""
    if importlib.util.find_spec("xn_io.linkages") is None:
        return "not yet available: xn_io.linkages has not landed"
    return "not yet available: the benchmark of xn_io.linkages is not written yet"


def cases(*, quick: bool) -> Iterator[Case]:
    """No cases until the module lands."""
    return iter(())


def build(workload: str, table: str) -> Case:
    """Raise: there is nothing to build yet."""
    raise KeyError(f"{SUITE} suite: {available()}")
