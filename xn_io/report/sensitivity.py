"""Report section of a one-at-a-time sensitivity analysis: what drives the plan's results.

Built from the tidy frame of :func:`xn_io.optimize.sensitivity` (plain pandas
data): a sentence per result naming its largest drivers with figures, the
ranked table and a tornado chart per result.

Examples
--------
>>> import pandas as pd
>>> f = pd.DataFrame({
...     "metric": ["gdp_2030"] * 2, "metric_unit": ["亿元"] * 2, "rank": [1, 2],
...     "assumption": ["budget_scale", "demand_growth"], "label": ["investment budget", "demand growth"],
...     "unit": ["×", "/yr"], "base_value": [1.0, 0.06], "low_value": [0.8, 0.04], "high_value": [1.2, 0.08],
...     "base": [2856.0, 2856.0], "at_low": [2804.0, 2798.0], "at_high": [2909.0, 2919.0],
...     "status_low": ["optimal"] * 2, "status_high": ["optimal"] * 2, "swing": [105.0, 121.0]})
>>> print(drivers_text(f, metrics=["gdp_2030"]))  # doctest: +NORMALIZE_WHITESPACE
GDP in 2030 (2,856 亿元 in the base case) moves most with the investment budget (×0.8 → 2,804, ×1.2 → 2,909)
and the demand growth (0.04 → 2,798, 0.08 → 2,919).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .charts import tornado_chart
from .document import Report
from .fonts import FontChoice

__all__ = ["sensitivity_section", "drivers_text", "metric_title"]


def metric_title(metric: str) -> str:
    """A readable name of a result of :func:`xn_io.optimize.sensitivity` (``gdp_2030`` → ``GDP in 2030``).

    Examples
    --------
    >>> metric_title("co2_2030"), metric_title("pillar_big_health"), metric_title("co2_peak_year")
    ('CO2 in 2030', 'big_health pillar output', 'year CO2 peaks')
    """
    if metric == "co2_peak_year":
        return "year CO2 peaks"
    if metric == "cumulative_co2":
        return "cumulative CO2"
    if metric.startswith("pillar_"):
        return f"{metric[len('pillar_') :]} pillar output"
    head, _, year = metric.rpartition("_")
    if year.isdigit():
        return f"{head.upper()} in {year}"
    return metric


def _value_text(row: pd.Series, side: str) -> str:
    value = row[f"{side}_value"]
    if row.get("unit") == "year":
        return f"{int(value)}"
    # three figures (×0.412, not ×0.411563), and no exponent for large values (1,200, not 1.2e+03)
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"×{text}" if row.get("unit") == "×" else text


def _result_text(row: pd.Series, side: str, digits: int) -> str:
    at = row[f"at_{side}"]
    if pd.isna(at):
        return str(row.get(f"status_{side}", "not solved"))
    if row.get("metric_unit") == "year":
        return f"{int(round(at))}"
    return f"{at:,.{digits}f}"


def drivers_text(frame: pd.DataFrame, *, metrics: Sequence[str] | None = None, n: int = 3) -> str:
    """One sentence per result naming its ``n`` largest drivers, with the result at each end of their range.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`xn_io.optimize.sensitivity`.
    metrics : sequence of str, optional
        The results to describe (default: the last-year GDP, CO2 and the peak year).
    n : int
        Drivers named per result.
    """
    if metrics is None:
        metrics = [m for m in dict.fromkeys(frame["metric"]) if m.startswith(("gdp_", "co2_"))]
    sentences = []
    for metric in metrics:
        rows = frame[frame["metric"] == metric]
        if rows.empty:
            continue
        unit = rows["metric_unit"].iloc[0]
        digits = 0
        base = rows["base"].iloc[0]
        base_text = f"{int(base)}" if unit == "year" else f"{base:,.0f} {unit}"
        moving = rows[
            (rows["swing"] > 1e-6 * max(1.0, abs(base)))
            | rows["status_low"].ne("optimal")
            | rows["status_high"].ne("optimal")
        ].head(n)
        if moving.empty:
            sentences.append(f"{metric_title(metric)} ({base_text}) does not move with any assumption in its range.")
            continue
        parts = [
            f"the {row['label']} ({_value_text(row, 'low')} → {_result_text(row, 'low', digits)}, "
            f"{_value_text(row, 'high')} → {_result_text(row, 'high', digits)})"
            for _, row in moving.iterrows()
        ]
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        listed = listed.replace("the the ", "the ")
        title = metric_title(metric)
        sentences.append(f"{title[:1].upper()}{title[1:]} ({base_text} in the base case) moves most with {listed}.")
    return "\n".join(sentences)


def sensitivity_section(
    frame: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    top: int = 10,
    font: FontChoice | None = None,
) -> Report:
    """What drives the results: the drivers in words, the ranked table and a tornado per result.

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`xn_io.optimize.sensitivity`.
    metrics : sequence of str, optional
        Results to chart (default: the last-year GDP, last-year CO2 and cumulative CO2).
    top : int
        Assumptions shown per chart.
    font : FontChoice, optional
    """
    r = Report("What drives the results: sensitivity to each assumption")
    if metrics is None:
        metrics = [m for m in dict.fromkeys(frame["metric"]) if m.startswith(("gdp_", "co2_")) and m != "co2_peak_year"]
        metrics += [m for m in ("cumulative_co2",) if m in set(frame["metric"])]
    scen, table = frame.attrs.get("scenario", ""), frame.attrs.get("table", "")
    r.paragraph(
        f"Each assumption of scenario '{scen}' on table '{table}' is moved alone to the low and to the high end "
        "of a stated range, everything else as in the scenario, and the plan re-solved "
        f"({frame.attrs.get('n_solves', '?')} solves). Results are ranked by swing, the spread between the runs. "
        "The ranges are assumptions (the 'basis' column says on what each rests); a run that has no feasible plan "
        "is shown as such."
    )
    r.paragraph(
        drivers_text(frame, metrics=[m for m in dict.fromkeys(frame["metric"]) if m.startswith(("gdp_", "co2_"))])
    )
    skipped = frame.attrs.get("skipped") or []
    if skipped:
        r.note("Not varied: " + "; ".join(f"{name} ({why})" for name, why in skipped) + ".")
    for metric in metrics:
        rows = frame[frame["metric"] == metric]
        if rows.empty:
            continue
        unit = rows["metric_unit"].iloc[0]
        name = f"sensitivity_{metric}"
        show = pd.DataFrame(
            {
                "assumption": rows["label"].to_numpy(),
                "range (low → high)": [
                    f"{_value_text(row, 'low')} → {_value_text(row, 'high')}" for _, row in rows.iterrows()
                ],
                f"at low ({unit})": rows["at_low"].where(rows["status_low"] == "optimal").to_numpy(),
                f"at high ({unit})": rows["at_high"].where(rows["status_high"] == "optimal").to_numpy(),
                f"swing ({unit})": rows["swing"].to_numpy(),
            },
            index=pd.Index(rows["rank"].to_numpy(), name="rank"),
        )
        r.table(
            name,
            show,
            title=f"{metric_title(metric)} ({unit}): the assumptions ranked by swing "
            "(ranges and their basis in sensitivity.csv)",
            digits=0,
            max_rows=5,
        )
        r.figure(
            f"tornado_{metric}",
            tornado_chart(
                rows,
                title=f"{metric_title(metric)}: sensitivity to each assumption",
                xlabel=f"{metric_title(metric)} ({unit})",
                top=top,
                font=font,
            ),
            title=f"Tornado: {metric_title(metric)}",
            caption="Bars from the base case to the result at the low (blue) and high (green) value of each "
            "assumption; model results under stated ranges, not forecasts.",
        )
    full = frame.drop(columns=[c for c in ("kind",) if c in frame.columns])
    if np.any(full["status_low"].ne("optimal") | full["status_high"].ne("optimal")):
        bad = full[full["status_low"].ne("optimal") | full["status_high"].ne("optimal")]
        names = ", ".join(dict.fromkeys(bad["label"]))
        r.note(f"Runs without a feasible plan (kept in the table): {names}.")
    r.table(
        "sensitivity",
        full,
        title="All results (first rows and main columns; the CSV holds every result, column and range basis)",
        digits=3,
        max_rows=5,
        columns=[
            c
            for c in ("metric", "rank", "label", "low_value", "high_value", "at_low", "at_high", "swing")
            if c in full.columns
        ],
    )
    return r
