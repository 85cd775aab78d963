"""What import substitution brings a plan: the plan solved with and without it, year by year.

Kept apart from :mod:`xn_io.optimize.substitution` (the model blocks), which the plan
model imports: this module solves plans, so it sits above :mod:`xn_io.optimize.solve`.
"""

from __future__ import annotations

import pandas as pd

from .solve import solve

__all__ = ["substitution_effects"]


def _product_in(sector: str, products: set, table) -> bool:
    """Whether ``sector`` is a technology of one of ``products`` (electricity's plants)."""
    return any(sector in techs for p, techs in (table.technologies or {}).items() if p in products)


def substitution_effects(table, scenario, **solve_kwargs) -> pd.DataFrame:
    """What import substitution adds to a plan: the plan solved with and without it, year by year.

    Parameters
    ----------
    table : IOTable
    scenario : Scenario
        With substitution (``substitution_rate`` or ``substitution``).
    **solve_kwargs
        Passed to :func:`~xn_io.optimize.solve`.

    Returns
    -------
    pandas.DataFrame
        Year × (``gdp``, ``investment``, ``supplier_investment`` (investment in
        the sectors making the substituted inputs), ``employment``, ``co2``)
        with a column level ``with``, ``without`` and ``effect`` (with −
        without): the GDP, investment, jobs and CO2 the substitution brings,
        all else equal (same targets, caps and budget: when the budget binds,
        total investment does not change and the suppliers' capacity is built
        instead of something else).

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario
    >>> t = xn_io.load_table("xianning-2025")
    >>> s = Scenario(substitution_pillars=["green_new_materials"], substitution_rate=0.1)
    >>> e = substitution_effects(t, s, target_costs=False)
    >>> bool(e.loc[2030, ("effect", "gdp")] >= -1e-6)
    True
    """
    on = solve(table, scenario, **solve_kwargs)
    off = solve(table, scenario.replace(substitution_rate=0.0, substitution={}), **solve_kwargs)
    inputs = set(on.local_supply["input"]) if len(on.local_supply) else set()
    suppliers = [sec for sec in on.investment.index if sec in inputs or _product_in(sec, inputs, table)]
    parts = {}
    for name, plan in (("with", on), ("without", off)):
        years = list(plan.investment.columns)
        parts[name] = pd.DataFrame(
            {
                "gdp": plan.gdp[years],
                "investment": plan.investment.sum()[years],
                "supplier_investment": plan.investment.loc[suppliers, years].sum(),
                "employment": plan.employment.sum()[years],
                "co2": plan.co2_total[years],
            }
        )
    parts["effect"] = parts["with"] - parts["without"]
    frame = pd.concat(parts, axis=1)
    frame.index.name = "year"
    return frame
