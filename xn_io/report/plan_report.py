"""The planner's report of a solved plan: paths, targets, investment, shadow prices, frontier, chains.

:func:`plan_report` turns an :class:`xn_io.optimize.Plan` (and optionally a
carbon–GDP frontier and chain drawings) into a :class:`~xn_io.report.Report`
that :meth:`~xn_io.report.Report.write` saves as a folder. Every report says
which figures are official statistics, which are estimates (the table's own
metadata) and that every 2026–2030 figure is a model result under the
scenario's assumptions; firm-level data are labelled illustrative unless the
caller says they are the user's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ..table import IOTable
from .charts import sector_labels
from .document import Report
from .fonts import FontChoice, find_cjk_font
from .plan_sections import frontier_section, investment_section, paths_section, pillar_section, shadow_price_section
from .sections import data_status

__all__ = ["ChainDrawing", "plan_report", "plan_findings", "scenario_frame", "MODEL_RESULTS_NOTE"]

MODEL_RESULTS_NOTE = (
    "Every figure for 2026–2030 in this report is a model result — an estimate under the scenario's "
    "assumptions listed below — not a statistic or a forecast. Base-year figures come from the table; "
    "the last section says which of them are official statistics and which are estimates."
)


@dataclass(frozen=True)
class ChainDrawing:
    """A drawing of an industrial chain for the report.

    Attributes
    ----------
    name : str
        File name stem (letters, digits, ``_`` and ``-``).
    title : str
    png : bytes
        The drawing as PNG.
    caption : str
    """

    name: str
    title: str
    png: bytes
    caption: str = ""


def scenario_frame(scenario) -> pd.DataFrame:
    """The scenario's assumptions as a table (section, field, value), for the report and its CSV.

    Examples
    --------
    >>> from xn_io.optimize import Scenario
    >>> scenario_frame(Scenario()).loc[("targets", "gdp_target"), "value"]
    '3000'
    """
    rows = []
    for key, value in scenario.to_dict().items():
        if isinstance(value, Mapping) and key in ("economy", "investment", "targets", "carbon", "energy", "labour"):
            for sub, v in value.items():
                rows.append((key, sub, _plain(v)))
        else:
            rows.append(("", key, _plain(value)))
    return pd.DataFrame(rows, columns=["section", "field", "value"]).set_index(["section", "field"])


def _plain(value) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {v:g}" if isinstance(v, float) else f"{k}: {v}" for k, v in value.items()) or "(none)"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "(none)"
    return f"{value:g}" if isinstance(value, float) else str(value)


def plan_findings(plan, *, labels: Mapping[str, str] | None = None) -> list[str]:
    """The plan's findings in a few sentences: targets met and missed, the CO2 peak, investment, the tightest constraint."""
    from .plan_sections import peak_year

    s = plan.scenario
    out = []
    t = plan.targets
    met = [str(i) for i, row in t.iterrows() if bool(row["met"])]
    short = [f"{i} (short by {row['shortfall']:,.1f} {row['unit']}, {row['shortfall'] / row['target']:.0%})"
             for i, row in t.iterrows() if not bool(row["met"]) and row["target"] > 0]
    if met:
        out.append(f"Targets met in {s.last_year}: {', '.join(met)}.")
    if short:
        out.append(f"Targets missed in {s.last_year}: {'; '.join(short)}.")
    co2 = plan.co2.sum()
    peak = peak_year(co2)
    co2_unit = plan.units["co2"]
    out.append(f"CO2 {'is still rising in ' + str(co2.index[-1]) if peak is None else f'peaks in {peak} at {float(co2[peak]):,.0f} {co2_unit}'}"
               f" (base year {co2.index[0]}: {float(co2.iloc[0]):,.0f}).")
    inv = plan.investment.sum(axis=1).sort_values(ascending=False)
    if inv.sum() > 0:
        top = "; ".join(f"{labels.get(k, k) if labels is not None else k} {v:,.0f}" for k, v in inv.head(3).items())
        out.append(f"Investment {inv.sum():,.0f} {plan.units['money']} over {s.first_year}–{s.last_year}; most in {top}.")
    b = plan.binding
    if not b.empty:
        row = b.iloc[0]
        from ..optimize.plan import CONSTRAINT_UNITS

        what = CONSTRAINT_UNITS.get(row["family"], ("", row["family"]))[1]
        year = f" {int(row['year'])}" if pd.notna(row["year"]) else ""
        out.append(f"The constraint worth most to relax: {what} ({row['item']}{year}), shadow price "
                   f"{row['shadow_price']:,.4g} {row['unit']}; {len(b)} constraints bind in all.")
    return out


def plan_report(
    plan,
    table: IOTable,
    *,
    frontier: pd.DataFrame | None = None,
    frontier_columns: tuple[str, str] | None = None,
    chains: Sequence[ChainDrawing] = (),
    chains_note: str = "",
    lang: str = "en",
    font: FontChoice | None = None,
    title: str | None = None,
    sensitivity: pd.DataFrame | None = None,
) -> Report:
    """A report of a solved plan.

    Parameters
    ----------
    plan : xn_io.optimize.Plan
        The solved plan.
    table : IOTable
        The table it was solved on (for sector names and the data status).
    frontier : pandas.DataFrame, optional
        A carbon–GDP frontier, one row per cap.
    frontier_columns : (str, str), optional
        Its cap column and its GDP column (default: the first two numeric columns).
    chains : sequence of ChainDrawing
        Chain drawings to include.
    chains_note : str
        Where the firm data come from (e.g. that they are illustrative).
    lang : {"en", "zh"}
        Sector names in English or Chinese (with a font fallback).
    font : FontChoice, optional
    title : str, optional
    sensitivity : pandas.DataFrame, optional
        A one-at-a-time sensitivity of the plan (:func:`xn_io.optimize.sensitivity`):
        adds the section on what drives the results, with tornado charts.

    Returns
    -------
    Report
    """
    if lang == "zh" and font is None:
        font = find_cjk_font()
    s = plan.scenario
    labels, label_note = sector_labels(table.sector_info, lang=lang, font=font)
    unit = plan.units["money"]  # the table's, as every figure of the plan
    r = Report(title or f"Investment plan {s.first_year}–{s.last_year}: scenario '{s.name}' on table '{plan.table_name}'")
    r.paragraph(
        f"Objective: {s.objective} = {plan.objective:,.2f} {plan.objective_unit} (status: {plan.status.value}; "
        f"solved in {plan.seconds:.2f} s). Targets are {s.target_mode}"
        + (": a target may fall short, at a penalty, and the shortfall is reported." if s.target_mode == "soft" else ".")
    )
    if s.description:
        r.paragraph(s.description)
    r.note(MODEL_RESULTS_NOTE)
    if label_note:
        r.note(label_note)
    r.heading("Summary")
    r.bullets(plan_findings(plan, labels=labels))

    r.heading("Targets")
    r.table("targets", plan.targets, title=f"Targets in {s.last_year}", digits=1)

    co2_caps = pd.Series({int(y): float(v) for y, v in s.carbon_caps.items()}, dtype=float) if s.carbon_caps else None
    co2 = plan.co2.sum()
    paths = paths_section(plan.gdp, co2, unit=unit, co2_unit=plan.units["co2"], gdp_goal=(s.last_year, s.gdp_target),
                          co2_caps=co2_caps, peak_by=s.last_year, font=font)
    r.extend(paths)

    last = s.last_year
    pillars = plan.pillars
    col = f"output_{last}"
    if col in pillars.columns:
        r.extend(pillar_section(pd.DataFrame({"output": pillars[col], "target": pillars["target"]}), unit=unit, year=last, font=font))
        if "definition" in pillars.columns:
            r.table("pillar_definitions", pillars[["definition"]], title="Pillar definitions (sector shares shipped with the table)")

    r.extend(investment_section(plan.investment.T, unit=unit, labels=labels, font=font))

    b = plan.binding.copy()
    if not b.empty:
        from ..optimize.plan import CONSTRAINT_UNITS

        b.insert(1, "constraint", b["family"].map(lambda f: CONSTRAINT_UNITS.get(f, ("", f))[1]))
        b = b[["constraint", "item", "year", "rhs", "shadow_price", "unit"]].reset_index(drop=True)
        b.index.name = "rank"
    r.extend(shadow_price_section(b))

    out = plan.output.copy()
    out.insert(0, "name", [labels.get(i, i) for i in out.index])
    r.heading("Output by sector")
    r.table("output_by_sector", out, title=f"Gross output by sector and year ({unit})", digits=1, max_rows=15)

    if frontier is not None and len(frontier):
        x, y = frontier_columns or tuple(c for c in frontier.columns if pd.api.types.is_numeric_dtype(frontier[c]))[:2]
        r.extend(frontier_section(frontier, x=x, y=y, xlabel=f"CO2 cap in {last} ({plan.units['co2']})", ylabel=f"GDP in {last} ({unit})",
                                  goal=s.gdp_target, font=font))

    if sensitivity is not None and len(sensitivity):
        from .sensitivity import sensitivity_section

        r.extend(sensitivity_section(sensitivity, font=font))

    if chains:
        r.heading("Industrial chains")
        if chains_note:
            r.note(chains_note)
        for drawing in chains:
            r.figure(drawing.name, drawing.png, title=drawing.title, caption=drawing.caption)

    r.heading("Scenario assumptions")
    r.table("scenario", scenario_frame(s), title=f"Scenario '{s.name}'")

    r.heading("Sources and status of the figures")
    r.bullets([MODEL_RESULTS_NOTE, *data_status(table)] + ([chains_note] if chains and chains_note else []))
    return r
