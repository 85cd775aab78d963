"""Benchmark suites: each module lists its cases and can rebuild one by name (for the memory worker).

Every suite module exposes ``SUITE`` (its name), ``available() -> str | None``
(None when it can run, else why not), ``cases(*, quick) -> list[Case]`` and
``build(workload, table) -> Case``.
"""

from . import leontief, linkages, lp, network

__all__ = ["SUITES", "leontief", "linkages", "lp", "network"]

SUITES = {module.SUITE: module for module in (leontief, linkages, lp, network)}
