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
from .chain_plan import chain_building_section
from .charts import sector_labels
from .document import Report
from .fonts import FontChoice, find_cjk_font
from .glossary import Names
from .plan_sections import (
    frontier_section,
    investment_section,
    paths_section,
    pillar_section,
    shadow_price_section,
)
from .sections import data_status
from .sensitivity import sensitivity_section

__all__ = [
    "ChainDrawing",
    "plan_report",
    "plan_findings",
    "scenario_frame",
    "figure_status",
    "estimate_sentence",
    "MODEL_RESULTS_NOTE",
]

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


def _definition(text: str, names: Names) -> str:
    """A pillar definition ("steel, glass, …") with the sectors' display names."""
    return ", ".join(
        names.sector(part.strip()) if part.strip() in names.sectors else part.strip() for part in str(text).split(",")
    )


def plan_findings(plan, *, labels: Mapping[str, str] | None = None, names: Names | None = None) -> list[str]:
    """The plan's findings in a few sentences: targets met and missed, the CO2 peak, investment, the tightest constraint."""
    from .plan_sections import peak_year

    s = plan.scenario
    out = []
    t = plan.targets
    names = names or Names()
    met = [names.target(str(i)) for i, row in t.iterrows() if bool(row["met"])]
    short = [
        f"{names.target(str(i))} (short by {row['shortfall']:,.1f} {row['unit']}, {row['shortfall'] / row['target']:.0%})"
        for i, row in t.iterrows()
        if not bool(row["met"]) and row["target"] > 0
    ]
    if met:
        out.append(f"Targets met in {s.last_year}: {', '.join(met)}.")
    if short:
        out.append(f"Targets missed in {s.last_year}: {'; '.join(short)}.")
    co2 = plan.co2.sum()
    peak = peak_year(co2)
    co2_unit = plan.units["co2"]
    out.append(
        f"CO2 {'is still rising in ' + str(co2.index[-1]) if peak is None else f'peaks in {peak} at {float(co2[peak]):,.0f} {co2_unit}'}"
        f" (base year {co2.index[0]}: {float(co2.iloc[0]):,.0f})."
    )
    inv = plan.investment.sum(axis=1).sort_values(ascending=False)
    if inv.sum() > 0:
        top = "; ".join(f"{labels.get(k, k) if labels is not None else k} {v:,.0f}" for k, v in inv.head(3).items())
        out.append(
            f"Investment {inv.sum():,.0f} {plan.units['money']} over {s.first_year}–{s.last_year}; most in {top}."
        )
    b = plan.binding
    if not b.empty:
        row = b.iloc[0]
        what = names.constraint(row["family"])
        item = "" if row["item"] == row["family"] else names.item(row["item"]) + " "
        year = f"{int(row['year'])}" if pd.notna(row["year"]) else ""
        out.append(
            f"The constraint worth most to relax: {what} ({item}{year}), shadow price "
            f"{row['shadow_price']:,.4g} {row['unit']}; {len(b)} constraints bind in all."
        )
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
    workbook: str | None = "plan.xlsx",
    sensitivity: pd.DataFrame | None = None,
    firm_data=None,
    substitution_effects: pd.DataFrame | None = None,
) -> Report:
    """A report of a solved plan, leading with what drives it and the constraints worth most.

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
    workbook : str, optional
        Name of the Excel workbook written beside the report (every table, in full); ``None`` for none.
    sensitivity : pandas.DataFrame, optional
        A one-at-a-time sensitivity of the plan (:func:`xn_io.optimize.sensitivity`):
        the report then leads with what drives the results, with tornado charts.
    firm_data : xn_io.network.FirmData, optional
        A firm network: its chain leaders' local supporting rates are shown beside the plan's
        sector-level rates (section "Chain building").
    substitution_effects : pandas.DataFrame, optional
        From :func:`xn_io.optimize.substitution_effects`: what import substitution brings, by year.

    Returns
    -------
    Report
    """
    if lang == "zh" and font is None:
        font = find_cjk_font()
    s = plan.scenario
    names = Names.for_table(table, lang)
    labels, label_note = sector_labels(table.sector_info, lang=lang, font=font)
    unit = plan.units["money"]  # the table's, as every figure of the plan
    h = names.header
    r = Report(
        title or f"Investment plan {s.first_year}–{s.last_year}: scenario '{s.name}' on table '{plan.table_name}'",
        lang=lang,
        workbook=workbook,
    )
    r.note(MODEL_RESULTS_NOTE + " " + estimate_sentence(table))
    if label_note:
        r.note(label_note)
    r.heading("Summary")
    r.bullets(plan_findings(plan, labels=labels, names=names))
    r.paragraph(
        f"Objective: {s.objective} = {plan.objective:,.1f} {plan.objective_unit} (solver status: {plan.status.value}). "
        f"Targets are {s.target_mode}"
        + (
            ": a target may fall short, at a penalty, and the shortfall is reported."
            if s.target_mode == "soft"
            else "."
        )
    )
    if s.description:
        r.paragraph(s.description)

    if sensitivity is not None and len(sensitivity):
        r.extend(sensitivity_section(sensitivity, font=font))
    else:
        r.heading("What drives the result")
        r.paragraph(
            "One-at-a-time sensitivity of the results to each assumption is not part of this run "
            "(`xn-io sensitivity`); the constraints worth most below show which limits shape the plan."
        )
    b = plan.binding.copy()
    if not b.empty:
        b.insert(1, "constraint", b["family"].map(names.constraint))
        b["item"] = [names.item(i) if i != f else "" for i, f in zip(b["item"], b["family"])]
        b["year"] = b["year"].map(lambda y: "" if pd.isna(y) else str(int(y)))
        b = b[["constraint", "item", "year", "rhs", "shadow_price", "unit"]].reset_index(drop=True)
        b.index = pd.RangeIndex(1, len(b) + 1, name="rank")
        b = b.rename(columns={c: h(c) for c in b.columns}).rename_axis(h("rank"))
    r.extend(shadow_price_section(b, top=5))

    r.heading("Targets")
    t = plan.targets[
        [c for c in ("target", "achieved", "shortfall", "unit", "met") if c in plan.targets.columns]
    ].copy()
    t.index = [names.target(i) for i in t.index]
    t.index.name = h("target")
    t["met"] = t["met"].map(lambda v: names.yes_no(bool(v)))
    t = t.rename(columns={c: h(c) for c in t.columns})
    r.table("targets", t, title=f"Targets in {s.last_year}", digits=1)

    co2_caps = pd.Series({int(y): float(v) for y, v in s.carbon_caps.items()}, dtype=float) if s.carbon_caps else None
    co2 = plan.co2.sum()
    base_year = int(plan.gdp.index[0])
    deflator = (1 + s.price_growth) ** (s.last_year - base_year)  # the model's: current-price goals ÷ this
    paths = paths_section(
        plan.gdp,
        co2,
        unit=unit,
        co2_unit=plan.units["co2"],
        gdp_goal=(s.last_year, s.gdp_target / deflator),
        co2_caps=co2_caps,
        peak_by=s.last_year,
        font=font,
        goal_note=(
            f" at {base_year} prices (the plan's {s.gdp_target:,.0f} at current prices, deflated by "
            f"{100 * s.price_growth:.2f} %/yr, an assumption)"
        ),
    )
    r.extend(paths)

    last = s.last_year
    pillars = plan.pillars
    col = f"output_{last}"
    if col in pillars.columns:
        pframe = pd.DataFrame({"output": pillars[col], "target": pillars["target"]})
        r.extend(pillar_section(pframe, unit=unit, year=last, font=font, names=names))
        if "definition" in pillars.columns:
            d = pd.DataFrame(
                {h("definition"): [_definition(text, names) for text in pillars["definition"]]},
                index=pd.Index([names.pillar(p) for p in pillars.index], name=h("pillar")),
            )
            r.table("pillar_definitions", d, title="Pillar definitions (sector shares shipped with the table)")

    r.extend(investment_section(plan.investment.T, unit=unit, labels=labels, font=font, names=names))

    out = plan.output.copy()
    out = out.sort_values(out.columns[-1], ascending=False)
    out.columns = [f"{c}" for c in out.columns]
    out.insert(0, h("name"), [names.sector(i) for i in out.index])
    out.index.name = h("sector")
    r.heading("Output by sector")
    r.table(
        "output_by_sector", out, title=f"Gross output by sector and year ({unit}), largest in {last} first", digits=1
    )

    if frontier is not None and len(frontier):
        x, y = frontier_columns or tuple(c for c in frontier.columns if pd.api.types.is_numeric_dtype(frontier[c]))[:2]
        r.extend(
            frontier_section(
                frontier,
                x=x,
                y=y,
                xlabel=f"CO2 cap in {last} ({plan.units['co2']})",
                ylabel=f"GDP in {last} ({unit})",
                goal=s.gdp_target,
                font=font,
            )
        )

    if chains:
        r.heading("Industrial chains")
        if chains_note:
            r.note(chains_note)
        for drawing in chains:
            r.figure(drawing.name, drawing.png, title=drawing.title, caption=drawing.caption)

    chain = chain_building_section(plan, firm_data=firm_data, effects=substitution_effects, pillar_name=names.pillar)
    if chain.blocks:
        r.extend(chain)

    r.heading("Scenario assumptions")
    r.table("scenario", scenario_frame(s), title=f"Scenario '{s.name}'")

    r.heading("Sources and status of the figures")
    r.bullets([MODEL_RESULTS_NOTE, *data_status(table)] + ([chains_note] if chains and chains_note else []))
    r.table(
        "figure_status",
        figure_status(plan, table, names=names),
        title="Which figures are official, estimated or model results",
    )
    return r


def estimate_sentence(table: IOTable) -> str:
    """One sentence on the table's status, from its metadata (``default_status``).

    Examples
    --------
    >>> import xn_io
    >>> estimate_sentence(xn_io.load_table("xianning-2025"))
    "The table 'xianning-2025' is an estimate (its metadata list the few official figures it is anchored on)."
    """
    status = str(table.metadata.get("default_status", "")).strip()
    name = table.name or "the table"
    if status == "estimate":
        return f"The table {name!r} is an estimate (its metadata list the few official figures it is anchored on)."
    if status:
        return f"The table {name!r}: {status}."
    return f"The table {name!r} does not say which of its figures are official."


def figure_status(plan, table: IOTable, *, names: Names | None = None) -> pd.DataFrame:
    """Which figures of a plan report are official statistics, estimates or model results (a sheet of plan.xlsx).

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario, solve
    >>> t = xn_io.load_table("xianning-2025")
    >>> f = figure_status(solve(t, Scenario()), t)
    >>> f.loc["2026–2030 figures (all tables and charts)", "status"]
    'model result'
    """
    names = names or Names()
    s = plan.scenario
    meta = table.metadata
    rows = [
        (
            f"{s.first_year}–{s.last_year} figures (all tables and charts)",
            "model result",
            f"scenario {s.name!r}; an estimate under its assumptions, not a statistic or a forecast",
        )
    ]
    default = str(meta.get("default_status", "")) or "not stated"
    rows.append(
        (
            f"base year {table.year or ''} table {table.name!r}".replace("  ", " "),
            default,
            str(meta.get("description", "")),
        )
    )
    for key, what in (("official_figures", "official"), ("estimates", "estimate")):
        block = meta.get(key)
        if isinstance(block, Mapping):
            for item, text in block.items():
                if isinstance(text, str):
                    rows.append((f"table: {item}", what, text))
    for key, sat in table.satellites.items():
        rows.append((f"table: satellite {key} [{sat.unit}]", sat.status, sat.note))
    rows.append(("targets", "plan text or labelled assumption", "scenario fields (sheet 'scenario')"))
    frame = pd.DataFrame(rows, columns=["figures", "status", "source"]).set_index("figures")
    return frame
