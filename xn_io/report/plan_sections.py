"""Report sections of a 2026–2030 plan, from plain labelled data.

These builders take tidy pandas objects — a GDP path, a CO2 path, pillar
outputs and targets, investment by year and sector, shadow prices, a
frontier — so they serve any model that produces them; the adapter from an
:class:`xn_io.optimize.Plan` lives in :mod:`xn_io.report.plan_report`.

Examples
--------
>>> import pandas as pd
>>> r = paths_section(pd.Series([2000.0, 2150.0], index=[2025, 2026]), None, unit="亿元",
...                   gdp_goal=(2030, 3000.0))
>>> float(r.tables["gdp_path"].loc["GDP", 2026])
2150.0
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .charts import frontier_chart, path_chart, stacked_bar_chart, target_chart
from .document import Report
from .fonts import FontChoice
from .glossary import Names

__all__ = [
    "frontier_section",
    "investment_section",
    "paths_section",
    "peak_year",
    "pillar_section",
    "shadow_price_section",
]


def peak_year(path: pd.Series, *, rtol: float = 1e-9) -> int | None:
    """The year a path reaches its maximum, or ``None`` if it still rises in its last year.

    Examples
    --------
    >>> peak_year(pd.Series([3, 4, 4, 2], index=[2026, 2027, 2028, 2029]))
    2027
    >>> peak_year(pd.Series([3, 4, 5], index=[2026, 2027, 2028])) is None
    True
    """
    values = path.to_numpy(dtype=float)
    top = values.max()
    first = int(np.flatnonzero(values >= top - rtol * max(1.0, abs(top)))[0])
    if first == len(values) - 1:
        return None
    return int(path.index[first])


def paths_section(
    gdp: pd.Series,
    co2: pd.Series | None,
    *,
    unit: str,
    co2_unit: str = "万吨",
    gdp_goal: tuple[int, float] | None = None,
    co2_caps: pd.Series | None = None,
    peak_by: int | None = None,
    font: FontChoice | None = None,
    goal_note: str = "",
) -> Report:
    """GDP and CO2 paths against the GDP goal, the carbon caps and the peak.

    Parameters
    ----------
    gdp : pandas.Series
        GDP by year (base year first, if known).
    co2 : pandas.Series or None
        CO2 by year.
    unit, co2_unit : str
        Money and CO2 units.
    gdp_goal : (year, value), optional
        The GDP goal (the plan: 3000亿元 in 2030).
    co2_caps : pandas.Series, optional
        The carbon cap by year.
    peak_by : int, optional
        The year by which CO2 must have peaked (the plan: before 2030).
    goal_note : str
        Said after the goal's value, e.g. how a current-price goal was brought
        to the prices of ``gdp``.
    """
    r = Report("GDP and CO2 paths")
    frame = pd.DataFrame({"GDP": gdp.astype(float)})
    frame.index.name = "year"
    lines = []
    if gdp_goal is not None:
        year, goal = gdp_goal
        reached = float(gdp.get(year, np.nan))
        frame["GDP goal"] = np.where(frame.index == year, goal, np.nan)
        if np.isfinite(reached):
            verdict = "met" if reached >= goal * (1 - 1e-6) else "missed"
            lines.append(
                f"GDP in {year}: {reached:,.1f} {unit} against the goal of {goal:,.1f} {unit}{goal_note} — {verdict} "
                f"({reached / goal:.1%})."
            )
    if co2 is not None:
        peak = peak_year(co2)
        if peak is None:
            lines.append(f"CO2 is still rising in {int(co2.index[-1])}: no peak within the plan.")
        else:
            lines.append(
                f"CO2 peaks in {peak} at {float(co2[peak]):,.1f} {co2_unit}"
                + (f" ({'before' if peak < peak_by else 'not before'} {peak_by})." if peak_by else ".")
            )
    if lines:
        r.bullets(lines)
    r.table("gdp_path", frame.T.rename_axis(f"GDP ({unit})"), title=f"GDP by year ({unit})", digits=1)
    r.figure(
        "gdp_path",
        path_chart(
            frame[["GDP"]],
            title="GDP path",
            ylabel=f"GDP ({unit})",
            goal=(gdp_goal[0], gdp_goal[1], "GDP goal") if gdp_goal else None,
            font=font,
        ),
        title="GDP path",
        caption="Model result (an estimate), against the plan's goal.",
    )
    if co2 is not None:
        cframe = pd.DataFrame({"CO2": co2.astype(float)})
        cframe.index.name = "year"
        if co2_caps is not None:
            cframe["cap"] = co2_caps.reindex(cframe.index).astype(float)
        r.table("co2_path", cframe.T.rename_axis(f"CO2 ({co2_unit})"), title=f"CO2 by year ({co2_unit})", digits=1)
        caps = cframe["cap"].dropna().rename("carbon cap") if "cap" in cframe else None
        caps = caps if caps is not None and len(caps) else None
        marks = (["dashed: the carbon cap"] if caps is not None else []) + (
            ["dotted: the peak year"] if peak is not None else []
        )
        r.figure(
            "co2_path",
            path_chart(
                cframe[["CO2"]], title="CO2 path", ylabel=f"CO2 ({co2_unit})", caps=caps, peak_year=peak, font=font
            ),
            title="CO2 path",
            caption="Model result (an estimate)" + ("; " + "; ".join(marks) if marks else "") + ".",
        )
    return r


def pillar_section(
    frame: pd.DataFrame,
    *,
    unit: str,
    year: int = 2030,
    labels: Mapping[str, str] | None = None,
    font: FontChoice | None = None,
    names: Names | None = None,
) -> Report:
    """Pillar outputs against their targets in ``year``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by pillar, columns ``output`` and ``target`` (NaN where no target).
    """
    r = Report(f"Pillar industries in {year}")
    f = frame[["output", "target"]].astype(float).copy()
    f["gap"] = f["output"] - f["target"]
    f["met"] = np.where(f["target"].isna(), "", np.where(f["gap"] >= -1e-6 * f["target"].abs(), "yes", "no"))
    names = names or Names()
    if labels is None:
        labels = {p: names.pillar(p) for p in f.index}
    shown = f.copy()
    shown["met"] = [names.yes_no(v == "yes") if v else "" for v in shown["met"]]
    shown.index = [labels.get(p, p) for p in shown.index]
    shown = shown.rename(
        columns={c: names.header(c, unit if c in ("output", "target", "gap") else None) for c in shown.columns}
    )
    shown.index.name = names.header("pillar")
    r.table("pillars_vs_targets", shown, title=f"Pillar output in {year} against target ({unit})", digits=1)
    r.figure(
        "pillars_vs_targets",
        target_chart(
            f.rename(columns={"output": "model result (estimate)", "target": "plan target"}),
            title=f"Pillar output in {year}: model result against the plan's target",
            ylabel=unit,
            actual="model result (estimate)",
            target="plan target",
            labels=labels,
            font=font,
        ),
        title="Pillar outputs against targets",
        caption="Pillar output = Σ share × sector output, with the sector shares shipped with the table.",
    )
    return r


def investment_section(
    frame: pd.DataFrame,
    *,
    unit: str,
    labels: Mapping[str, str] | None = None,
    font: FontChoice | None = None,
    top: int = 8,
    names: Names | None = None,
    rows: int = 15,
) -> Report:
    """Investment by sector and year: the sectors with the most on the page, all of them in the CSV.

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by year, one column per sector.
    rows : int
        Sectors shown on the page (the CSV and workbook hold all).
    """
    names = names or Names()
    h = names.header
    r = Report("Investment by sector and year")
    f = frame.astype(float)
    f.index.name = "year"
    totals = f.sum(axis=0).sort_values(ascending=False)
    share = totals / totals.sum() if totals.sum() > 0 else totals * 0
    invested = totals[totals > 0].index
    r.paragraph(
        f"Total investment {totals.sum():,.1f} {unit} over {len(f)} years, in {len(invested)} of {f.shape[1]} sectors."
    )
    by_year = f[invested].T  # sectors as rows: a long table, not a wide one
    by_year.columns = [str(c) for c in by_year.columns]
    by_year.insert(
        0, h("name"), [names.sector(c) if labels is None else labels.get(c, names.sector(c)) for c in invested]
    )
    by_year[h("total", unit)] = totals[invested]
    by_year[h("share") + " (%)"] = 100 * share[invested]
    by_year.index.name = h("sector")
    r.table(
        "investment_by_sector",
        by_year,
        title=f"Investment by sector and year ({unit}), largest first",
        digits=1,
        max_rows=rows,
    )
    r.figure(
        "investment",
        stacked_bar_chart(f, title="Investment by year", ylabel=unit, labels=labels, top=top, font=font),
        title="Investment by year and sector",
        caption=f"The {top} sectors with the most investment; the rest as 'other'.",
    )
    return r


def shadow_price_section(frame: pd.DataFrame, *, top: int | None = 5) -> Report:
    """Shadow prices of the binding constraints: the ``top`` worth most on the page, all in the CSV.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per binding constraint, largest shadow price first, with its
        unit (e.g. 亿元 of GDP per 万吨 of CO2).
    top : int, optional
        Rows shown on the page.
    """
    r = Report("The constraints worth most")
    r.paragraph(
        "A shadow price is the change in the objective per unit of relaxation of a binding constraint "
        "(the LP dual, in the objective's sense). A target or cap not listed does not bind: relaxing it would not help."
    )
    if frame.empty:
        r.paragraph("No constraint binds.")
    r.table(
        "shadow_prices",
        frame,
        title=f"Binding constraints, largest shadow price first ({len(frame)} in all)",
        digits=3,
        max_rows=top,
    )
    return r


def frontier_section(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    xlabel: str,
    ylabel: str,
    goal: float | None = None,
    font: FontChoice | None = None,
) -> Report:
    """The carbon–GDP frontier: the best GDP for each carbon cap.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per point with columns ``x`` (cap) and ``y`` (optimum; NaN where infeasible).
    """
    r = Report("Carbon–GDP frontier")
    ok = frame[y].notna()
    r.paragraph(
        f"Each point is the optimum of the same model with a different cap ({int(ok.sum())} feasible of {len(frame)}). "
        "The slope between two points is the GDP given up per unit of CO2 avoided."
    )
    headers = {x: xlabel, y: ylabel}
    year = y.rsplit("_", 1)[-1] if y.rsplit("_", 1)[-1].isdigit() else None
    unit = xlabel[xlabel.rfind("(") + 1 : -1] if xlabel.endswith(")") else ""
    if year and f"co2_{year}" in frame.columns and f"co2_{year}" != x:
        headers[f"co2_{year}"] = f"CO2 in {year} ({unit})" if unit else f"CO2 in {year}"
    if "status" in frame.columns:
        headers["status"] = "solver status"
    shown = frame[list(headers)].rename(columns=headers)
    shown.index = pd.RangeIndex(1, len(shown) + 1, name="point")
    r.table("frontier", shown, title="Frontier: the best GDP for each cap", digits=0)
    r.figure(
        "frontier",
        frontier_chart(
            frame,
            x=x,
            y=y,
            title="Carbon–GDP frontier",
            xlabel=xlabel,
            ylabel=ylabel,
            goal=goal,
            goal_label="GDP goal",
            font=font,
        ),
        title="Carbon–GDP frontier",
        caption="Model results (estimates); crosses: caps with no feasible plan.",
    )
    return r
