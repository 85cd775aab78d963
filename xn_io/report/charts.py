"""Charts of tables and plans, drawn with matplotlib's object API (no pyplot state).

Every function returns a :class:`matplotlib.figure.Figure`; labels are in
English. Chinese sector names are drawn only when a CJK-capable font was found
(:func:`xn_io.report.fonts.find_cjk_font`); :func:`sector_labels` falls back
to the English names otherwise, so no chart ever shows empty boxes.

Examples
--------
>>> import pandas as pd
>>> fig = bar_chart(pd.Series({"agriculture": 1.54, "manufacturing": 1.67}),
...                 title="Output multipliers", xlabel="output per unit of final demand")
>>> [t.get_text() for t in fig.axes[0].get_yticklabels()]  # bottom to top
['agriculture', 'manufacturing']
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .fonts import FontChoice, find_cjk_font

__all__ = [
    "english_unit",
    "chart_text",
    "sector_labels",
    "chart_fonts",
    "bar_chart",
    "path_chart",
    "target_chart",
    "stacked_bar_chart",
    "frontier_chart",
    "tornado_chart",
]

_GREEN, _GREY, _RED, _BLUE = "#2b6a4f", "#8a8a8a", "#b3261e", "#1f5fa8"
_PALETTE = [
    "#2b6a4f",
    "#1f5fa8",
    "#e0a800",
    "#b3261e",
    "#6a3d9a",
    "#33a0a0",
    "#d95f02",
    "#7f7f7f",
    "#a6761d",
    "#e7298a",
]


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3000" <= ch <= "\u303f" for ch in text)


_UNITS = (
    ("万吨标准煤", "10 kt coal eq."),
    ("万吨", "10 kt"),
    ("亿元", "100 million yuan"),
    ("万元", "10,000 yuan"),
    ("万人", "10,000 persons"),
    ("万千瓦", "10 MW"),
    ("万kW", "10 MW"),
    ("元", "yuan"),
)


def english_unit(text: str) -> str:
    """Replace the Chinese units of xn_io (亿元, 万吨, 万吨标准煤, 万人, 万kW) by English ones.

    Examples
    --------
    >>> english_unit("亿元 of GDP per 万吨 of CO2")
    '100 million yuan of GDP per 10 kt of CO2'
    """
    for zh, en in _UNITS:
        text = text.replace(zh, en)
    return text


def chart_text(text: str, font: FontChoice | None = None) -> str:
    """A title, axis label or legend entry in English units, with no character the fonts cannot draw.

    Units are translated by :func:`english_unit`; any other Chinese text is
    kept when a CJK font is available and dropped otherwise.

    Examples
    --------
    >>> chart_text("CO2 (万吨), 咸宁", FontChoice(None, None, "none"))
    'CO2 (10 kt)'
    """
    text = english_unit(str(text))
    if not _has_cjk(text):
        return text
    font = find_cjk_font() if font is None else font
    if font.available:
        return text
    kept = "".join(ch for ch in text if not _has_cjk(ch))
    return " ".join(kept.replace("()", "").split()).strip(" ,;:-")


def sector_labels(
    sector_info: pd.DataFrame, *, lang: str = "en", font: FontChoice | None = None
) -> tuple[pd.Series, str]:
    """Chart labels of the sectors, and a note on any fallback.

    Parameters
    ----------
    sector_info : pandas.DataFrame
        Indexed by sector, with ``name_en`` and, for ``lang="zh"``, ``name_zh``
        (as :attr:`xn_io.IOTable.sector_info`).
    lang : {"en", "zh"}
        Language of the labels.
    font : FontChoice, optional
        The CJK font; found with :func:`~xn_io.report.fonts.find_cjk_font` when omitted.

    Returns
    -------
    labels : pandas.Series
        Label by sector.
    note : str
        Empty, or a sentence for the report saying that labels fell back to
        English (no CJK font, or no Chinese names in the table).

    Examples
    --------
    >>> info = pd.DataFrame({"name_en": ["Tea"], "name_zh": ["茶叶"]}, index=["tea"])
    >>> sector_labels(info, lang="zh", font=FontChoice(None, None, "no CJK font"))[0].tolist()
    ['Tea']
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    english = (
        sector_info["name_en"] if "name_en" in sector_info else pd.Series(sector_info.index, index=sector_info.index)
    )
    english = english.fillna(pd.Series(sector_info.index, index=sector_info.index)).astype(str)
    if lang == "en":
        # an English name may itself contain Chinese (a table without translations)
        return _strip_cjk(english, font), ""
    if "name_zh" not in sector_info or sector_info["name_zh"].isna().all():
        return _strip_cjk(english, font), "The table has no Chinese sector names; charts use the English names."
    font = find_cjk_font() if font is None else font
    if not font.available:
        return _strip_cjk(english, font), font.note
    return sector_info["name_zh"].fillna(english).astype(str), ""


def _strip_cjk(labels: pd.Series, font: FontChoice | None) -> pd.Series:
    """Replace labels the font cannot draw by their sector codes."""
    if not labels.map(_has_cjk).any():
        return labels
    font = find_cjk_font() if font is None else font
    if font.available:
        return labels
    return pd.Series([lab if not _has_cjk(lab) else str(idx) for idx, lab in labels.items()], index=labels.index)


@contextlib.contextmanager
def chart_fonts(font: FontChoice | None = None) -> Iterator[None]:
    """Within the block, new text uses DejaVu Sans with the CJK font (if any) as fallback."""
    family = ["DejaVu Sans"]
    if font is not None and font.family is not None:  # i.e. font.available
        family.append(font.family)
    with matplotlib.rc_context({"font.family": family, "axes.unicode_minus": True, "svg.fonttype": "path"}):
        yield


def _figure(width: float = 8.0, height: float = 4.5) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def bar_chart(
    values: pd.Series,
    *,
    title: str,
    xlabel: str,
    labels: Mapping[str, str] | pd.Series | None = None,
    top: int | None = 20,
    highlight: float | None = None,
    font: FontChoice | None = None,
) -> Figure:
    """Horizontal bars of one value by sector, largest at the top.

    Parameters
    ----------
    values : pandas.Series
        Value by sector.
    title, xlabel : str
    labels : mapping, optional
        Display label by sector (see :func:`sector_labels`).
    top : int, optional
        Show only the ``top`` largest values.
    highlight : float, optional
        Draw a vertical reference line at this value (e.g. the average multiplier).
    font : FontChoice, optional
        CJK font for Chinese labels.
    """
    values = values.dropna().sort_values(ascending=True)
    if top is not None:
        values = values.iloc[-top:]
    names = [str(labels[s]) if labels is not None and s in labels else str(s) for s in values.index]
    with chart_fonts(font):
        fig, ax = _figure(8.0, max(2.5, 0.32 * len(values) + 1.2))
        ax.barh(range(len(values)), values.to_numpy(), color=_GREEN)
        ax.set_yticks(range(len(values)), names)
        if highlight is not None:
            ax.axvline(highlight, color=_GREY, linestyle="--", linewidth=1, label=f"average {highlight:.3g}")
            ax.legend(loc="lower right", frameon=False)
        ax.set_title(chart_text(title, font))
        ax.set_xlabel(chart_text(xlabel, font))
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def path_chart(
    paths: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    goal: tuple[int, float, str] | None = None,
    caps: pd.Series | None = None,
    peak_year: int | None = None,
    font: FontChoice | None = None,
) -> Figure:
    """Yearly paths (one line per column) against a goal, a cap path and a peak year.

    Parameters
    ----------
    paths : pandas.DataFrame
        Indexed by year; one column per line (e.g. ``GDP``).
    title, ylabel : str
    goal : (year, value, label), optional
        A target point, drawn as a marker with its label (e.g. GDP 3000亿 in 2030).
    caps : pandas.Series, optional
        An upper bound by year (e.g. the carbon cap), drawn dashed.
    peak_year : int, optional
        The year of the peak, marked by a vertical line.
    """
    with chart_fonts(font):
        fig, ax = _figure()
        for k, column in enumerate(paths.columns):
            ax.plot(
                paths.index,
                paths[column].to_numpy(),
                marker="o",
                color=_PALETTE[k % len(_PALETTE)],
                label=chart_text(column, font),
            )
        if caps is not None:
            ax.plot(caps.index, caps.to_numpy(), linestyle="--", color=_RED, label=chart_text(caps.name or "cap", font))
        if goal is not None:
            year, value, label = goal
            ax.scatter([year], [value], marker="*", s=180, color=_RED, zorder=5, label=chart_text(label, font))
        if peak_year is not None:
            ax.axvline(peak_year, color=_GREY, linestyle=":", label=f"peak {peak_year}")
        ax.set_xticks(list(paths.index))
        ax.set_title(chart_text(title, font))
        ax.set_ylabel(chart_text(ylabel, font))
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def target_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    actual: str = "actual",
    target: str = "target",
    labels: Mapping[str, str] | None = None,
    font: FontChoice | None = None,
) -> Figure:
    """Bars of an achieved value against its target, by row (e.g. pillar outputs in 2030).

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by item, with columns ``actual`` and ``target`` (names configurable).
    """
    names = [str(labels.get(i, i)) if labels is not None else str(i) for i in frame.index]
    pos = np.arange(len(frame))
    with chart_fonts(font):
        fig, ax = _figure(8.0, 4.5)
        ax.bar(pos - 0.2, frame[actual].to_numpy(dtype=float), width=0.4, color=_GREEN, label=chart_text(actual, font))
        ax.bar(
            pos + 0.2,
            frame[target].to_numpy(dtype=float),
            width=0.4,
            color="white",
            edgecolor=_RED,
            hatch="//",
            label=chart_text(target, font),
        )
        ax.set_xticks(pos, names, rotation=20, ha="right")
        ax.set_title(chart_text(title, font))
        ax.set_ylabel(chart_text(ylabel, font))
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def stacked_bar_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    labels: Mapping[str, str] | None = None,
    top: int = 8,
    font: FontChoice | None = None,
) -> Figure:
    """Stacked bars by year (index) of the ``top`` largest columns, the rest as "other".

    Parameters
    ----------
    frame : pandas.DataFrame
        Indexed by year, one column per sector (e.g. investment).
    """
    totals = frame.sum(axis=0).sort_values(ascending=False)
    keep = [c for c in totals.index[:top] if totals[c] > 0]
    shown = frame[keep].copy()
    rest = frame.drop(columns=keep).sum(axis=1)
    if (rest.abs() > 0).any():
        shown["other"] = rest
    with chart_fonts(font):
        fig, ax = _figure()
        bottom = np.zeros(len(shown))
        for k, column in enumerate(shown.columns):
            label = str(labels.get(column, column)) if labels is not None else str(column)
            vals = shown[column].to_numpy(dtype=float)
            ax.bar([str(i) for i in shown.index], vals, bottom=bottom, color=_PALETTE[k % len(_PALETTE)], label=label)
            bottom += vals
        ax.set_title(chart_text(title, font))
        ax.set_ylabel(chart_text(ylabel, font))
        ax.legend(frameon=False, fontsize="small", loc="center left", bbox_to_anchor=(1.0, 0.5))
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def frontier_chart(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    title: str,
    xlabel: str,
    ylabel: str,
    goal: float | None = None,
    goal_label: str = "goal",
    font: FontChoice | None = None,
) -> Figure:
    """A trade-off curve (e.g. 2030 GDP against the carbon cap), infeasible points left out.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per point, with columns ``x`` and ``y``; rows whose ``y`` is
        NaN (infeasible) are marked on the x axis.
    goal : float, optional
        A horizontal reference line at this ``y`` (e.g. the GDP goal).
    """
    ok = frame[frame[y].notna()].sort_values(x)
    bad = frame[frame[y].isna()]
    with chart_fonts(font):
        fig, ax = _figure()
        ax.plot(ok[x].to_numpy(dtype=float), ok[y].to_numpy(dtype=float), marker="o", color=_GREEN, label="optimum")
        if len(bad):
            ymin = float(ok[y].min()) if len(ok) else 0.0
            ax.scatter(bad[x].to_numpy(dtype=float), [ymin] * len(bad), marker="x", color=_RED, label="infeasible")
        if goal is not None:
            ax.axhline(goal, color=_RED, linestyle="--", linewidth=1, label=chart_text(goal_label, font))
        ax.set_title(chart_text(title, font))
        ax.set_xlabel(chart_text(xlabel, font))
        ax.set_ylabel(chart_text(ylabel, font))
        ax.legend(frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def tornado_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    top: int | None = 12,
    font: FontChoice | None = None,
) -> Figure:
    """A tornado diagram: the result at the low and the high value of each assumption, largest swing on top.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per assumption, ranked, with columns ``label``, ``base``,
        ``at_low``, ``at_high``, ``low_value``, ``high_value`` and, optionally,
        ``status_low`` / ``status_high`` (as the rows of one result of
        :func:`xn_io.optimize.sensitivity`). A side whose run did not solve
        (NaN) is marked with its status at the base line.
    title, xlabel : str
    top : int, optional
        Show only the first ``top`` rows.
    font : FontChoice, optional

    Examples
    --------
    >>> f = pd.DataFrame({"label": ["budget", "demand"], "base": [10.0, 10.0], "at_low": [8.0, 9.5],
    ...                   "at_high": [12.0, float("nan")], "low_value": [0.8, 0.04], "high_value": [1.2, 0.08],
    ...                   "status_high": ["optimal", "infeasible"]})
    >>> fig = tornado_chart(f, title="GDP 2030", xlabel="亿元")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]   # largest swing on top
    ['demand (0.04 / 0.08)', 'budget (0.8 / 1.2)']
    """
    rows = frame if top is None else frame.head(top)
    rows = rows.iloc[::-1]  # barh draws bottom-up
    base = float(rows["base"].iloc[0]) if len(rows) else 0.0
    with chart_fonts(font):
        fig, ax = _figure(8.0, max(2.5, 0.38 * len(rows) + 1.4))
        seen: set[str] = set()
        for k, (_, row) in enumerate(rows.iterrows()):
            for side, color, name in (("low", _BLUE, "at the low value"), ("high", _GREEN, "at the high value")):
                value = row[f"at_{side}"]
                if pd.notna(value):
                    ax.barh(
                        k, float(value) - base, left=base, color=color, height=0.6, label=None if name in seen else name
                    )
                    seen.add(name)
                else:
                    status = str(row.get(f"status_{side}", "not solved"))
                    ax.annotate(
                        f"{side}: {status}",
                        (base, k),
                        xytext=(4 if side == "high" else -4, 0),
                        textcoords="offset points",
                        ha="left" if side == "high" else "right",
                        va="center",
                        fontsize="small",
                        color=_RED,
                    )
        names = [
            chart_text(f"{row['label']} ({_short(row['low_value'])} / {_short(row['high_value'])})", font)
            for _, row in rows.iterrows()
        ]
        ax.set_yticks(range(len(rows)), names)
        ax.axvline(base, color=_GREY, linewidth=1)
        ax.set_title(chart_text(title, font))
        ax.set_xlabel(chart_text(xlabel, font))
        if ax.get_legend_handles_labels()[0]:  # below the chart: inside, it would cover a bar or a "high: …" note
            fig.legend(frameon=False, loc="outside lower center", ncols=2, fontsize="small")
        ax.spines[["top", "right"]].set_visible(False)
    return fig


def _short(value) -> str:
    """A compact number for a label: 0.06, 1.2, 2029."""
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)
