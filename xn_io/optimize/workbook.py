"""A solved plan as the sheets of an Excel workbook, units in every header.

:func:`plan_sheets` lays out an :class:`~xn_io.optimize.plan.Plan` for
:meth:`Plan.to_excel <xn_io.optimize.plan.Plan.to_excel>`: first a ``status``
sheet saying that every 2026–2030 figure is a model result and which figures
come from the table (whose own metadata say which are official statistics and
which are estimates), then one sheet per sector × year quantity with the unit
in each year's header, then targets, pillars, binding constraints and the
scenario. Units are read from the plan (:meth:`Plan.to_frame`), not assumed.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["plan_sheets", "STATUS_MODEL_RESULT"]

STATUS_MODEL_RESULT = "model result (an estimate under the scenario's assumptions, not a statistic or a forecast)"

_QUANTITIES = ("output", "value_added", "investment", "capacity", "exports", "energy", "co2", "employment")


def _with_units(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    out = frame.copy()
    out.columns = [f"{c} [{unit}]" for c in out.columns]
    return out


def plan_sheets(plan) -> dict[str, pd.DataFrame]:
    """The sheets of a plan's workbook, in order: status, quantities, GDP, targets, pillars, constraints, scenario.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    dict of str to pandas.DataFrame
        Sheet name → frame; year columns are headed ``<year> [<unit>]``.

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario, solve
    >>> sheets = plan_sheets(solve(xn_io.load_table("xianning-2025"), Scenario()))
    >>> list(sheets)[:3]
    ['status', 'output', 'value_added']
    >>> sheets["output"].columns[-1]
    '2030 [亿元]'
    """
    s = plan.scenario
    long = plan.to_frame()
    units = long.groupby("quantity")["unit"].first().to_dict()
    base = int(plan.gdp.index[0])
    status = pd.DataFrame(
        [
            ("every figure for years after the base year", STATUS_MODEL_RESULT),
            (
                f"base year {base}",
                (
                    f"from table {plan.table_name!r}; its metadata say which figures are official "
                    "statistics and which are estimates"
                ),
            ),
            ("targets", "the plan's targets as set in the scenario (plan text figures or labelled assumptions)"),
            ("scenario", f"assumptions of scenario {s.name!r} (sheet 'scenario')"),
            (
                "objective",
                f"{s.objective} = {plan.objective:,.6g} {plan.objective_unit}; solver status {plan.status.value}",
            ),
        ],
        columns=["figures", "status"],
    ).set_index("figures")
    sheets: dict[str, pd.DataFrame] = {"status": status}
    for name in _QUANTITIES:
        frame = getattr(plan, name)
        sheets[name] = _with_units(frame.rename_axis("sector"), units.get(name, ""))
    gdp_unit = units.get("gdp", units.get("value_added", ""))
    sheets["gdp"] = plan.gdp.rename(f"GDP [{gdp_unit}]").rename_axis("year").to_frame()
    sheets["targets"] = plan.targets
    sheets["pillars"] = plan.pillars
    sheets["binding_constraints"] = (
        plan.binding.reset_index(drop=True).rename_axis("rank").rename(index=lambda i: i + 1)
    )
    sheets["scenario"] = pd.DataFrame({"scenario.toml": s.to_toml().splitlines()})
    return sheets
