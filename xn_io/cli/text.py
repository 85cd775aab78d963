"""What the ``xn-io`` commands print: plans, frontiers, tables and their status, fitted to the terminal.

Every function returns text no wider than ``width`` columns (Chinese
characters count two), with units in every header, "… and N more — see
FILE" where a list is cut, and the status of the figures (estimate, official,
model result) stated.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..report.glossary import Names
from .display import Column, number, render_table, terminal_width, wrap

__all__ = ["table_status_line", "model_results_line", "plan_text", "frontier_text"]


def table_status_line(table, width: int | None = None) -> str:
    """One wrapped sentence on the status of ``table``'s figures, from its metadata.

    Examples
    --------
    >>> import xn_io
    >>> print(table_status_line(xn_io.load_table("xianning-2025"), 80))
    Table 'xianning-2025' (2025) is an ESTIMATE: only the figures its metadata list
    as official are statistics (see `xn-io describe xianning-2025`).
    """
    status = str(table.metadata.get("default_status", "")).strip()
    name = table.name or "(unnamed)"
    year = f" ({table.year})" if table.year else ""
    if status == "estimate":
        text = (
            f"Table {name!r}{year} is an ESTIMATE: only the figures its metadata list as official are statistics "
            f"(see `xn-io describe {name}`)."
        )
    elif status:
        text = f"Table {name!r}{year}: figures are {status} (see `xn-io describe {name}`)."
    else:
        text = f"Table {name!r}{year}: its metadata do not say which figures are official; treat them as supplied by the user."
    return wrap(text, width)


def model_results_line(first: int, last: int, width: int | None = None) -> str:
    """The sentence that every figure for the plan years is a model result."""
    return wrap(
        f"Figures for {first}–{last} are MODEL RESULTS under the scenario's assumptions, not statistics or forecasts.",
        width,
    )


def plan_text(
    plan,
    table,
    *,
    names: Names | None = None,
    width: int | None = None,
    files: Mapping[str, str] | None = None,
    top: int = 10,
) -> str:
    """A solved plan for the terminal: status, targets, paths, investment, the constraints worth most.

    Parameters
    ----------
    plan : xn_io.optimize.Plan
    table : IOTable
        The table it was solved on (names, units, status).
    names : Names, optional
        Display names (language); default English.
    width : int, optional
        Line width (default: the terminal's, at most 100).
    files : mapping, optional
        Where the full lists were written (``"investment"``, ``"constraints"`` → path), for
        "… and N more — see …"; without it, the lines say to run with ``--out``.
    top : int
        Rows of the investment and constraint lists.
    """
    width = terminal_width() if width is None else width
    names = names or Names.for_table(table)
    s = plan.scenario
    unit = table.unit
    files = files or {}

    def where(key: str) -> str:
        return files.get(key) or "the full list with --out DIR"

    out = [
        f"Plan {s.name!r} on table {plan.table_name!r}: {s.objective} ({plan.status.value})",
        table_status_line(table, width),
        model_results_line(s.first_year, s.last_year, width),
        "",
    ]

    t = plan.targets
    rows = pd.DataFrame(
        {
            "target": [names.target(str(i)) for i in t.index],
            "achieved": t["achieved"].to_numpy(),
            "goal": t["target"].to_numpy(),
            "unit": t["unit"].to_numpy(),
            "verdict": ["met" if bool(m) else f"short {number(sf)}" for m, sf in zip(t["met"], t["shortfall"])],
        }
    )
    out.append(
        f"Targets in {s.last_year} ({'soft: may fall short at a penalty' if s.target_mode == 'soft' else s.target_mode}):"
    )
    out.append(
        render_table(
            rows,
            [
                Column("target", "target"),
                Column("achieved", "model result", digits=1),
                Column("goal", "target", digits=1),
                Column("unit", "unit"),
                Column("verdict", "", shrink=False),
            ],
            width=width,
            indent="  ",
        )
    )
    if "definition" in plan.pillars.columns:
        out.append("  pillar output = Σ share × sector output, sectors:")
        for pillar, row in plan.pillars.iterrows():
            members = ", ".join(names.sector(m.strip()) for m in str(row["definition"]).split(","))
            out.append(wrap(f"{names.pillar(str(pillar))}: {members}", width, indent="    ", subsequent="      "))
    out.append("")
    gdp = plan.gdp
    co2 = plan.co2.sum()
    paths = pd.DataFrame({"GDP": gdp, "CO2": co2}).T
    out.append(
        render_table(
            paths.reset_index(),
            [Column("index", "", format=lambda i: {0: f"GDP ({unit})", 1: f"CO2 ({s.co2_unit})"}[i])]
            + [Column(c, str(c), digits=0) for c in paths.columns],
            width=width,
            indent="  ",
        )
    )
    peak = plan.co2_peak_year
    out.append(
        f"  CO2 peaks in {peak} at {number(float(co2[peak]))} {s.co2_unit}."
        if peak < int(co2.index[-1])
        else "  CO2 is highest in the last year."
    )
    base = int(gdp.index[0])
    out.extend(
        wrap(
            f"Money at {base} prices: the plan's current-price targets are divided by the deflator "
            f"({100 * s.price_growth:.2f} %/yr, an assumption).",
            width,
            indent="  ",
        ).splitlines()
    )
    out.append("")

    inv = plan.investment.sum(axis=1).sort_values(ascending=False)
    inv = inv[inv > 0]
    frame = pd.DataFrame(
        {
            "name": [names.sector(i) for i in inv.index],
            "total": inv.to_numpy(),
            "share": 100 * inv.to_numpy() / inv.sum() if inv.sum() > 0 else 0.0,
        }
    )
    out.append(
        f"Investment {s.first_year}–{s.last_year}: {number(inv.sum())} {unit} in {len(inv)} sectors, largest first:"
    )
    out.append(
        render_table(
            frame,
            [
                Column("name", "sector"),
                Column("total", f"total ({unit})", digits=1),
                Column("share", "share (%)", digits=1),
            ],
            width=width,
            limit=top,
            more=where("investment"),
            indent="  ",
        )
    )
    out.append("")

    b = plan.binding
    out.append(f"The constraints worth most (shadow prices; {len(b)} bind in all):")
    if b.empty:
        out.append("  none binds")
    else:
        per = [str(u).split(" per ", 1)[-1] for u in b["unit"]]
        rows = pd.DataFrame(
            {
                "rank": range(1, len(b) + 1),
                "what": [
                    names.constraint(f) + ("" if i == f else f": {names.item(i)}")
                    for f, i in zip(b["family"], b["item"])
                ],
                "year": ["" if pd.isna(y) else str(int(y)) for y in b["year"]],
                "price": b["shadow_price"].to_numpy(),
                "per": per,
            }
        )
        out.append(
            render_table(
                rows,
                [
                    Column("rank", "#", format=str),
                    Column("what", "constraint"),
                    Column("year", "year"),
                    Column("price", f"{plan.objective_unit}", format=lambda v: number(v, 3, signed=True)),
                    Column("per", "per unit of", shrink=False),
                ],
                width=width,
                limit=min(top, 5),
                more=where("constraints"),
                indent="  ",
            )
        )
    return "\n".join(out)


def frontier_text(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    x_header: str,
    y_header: str,
    co2_unit: str,
    width: int | None = None,
    files: str | None = None,
    price_unit: str = "",
) -> str:
    """A carbon (or energy) frontier as a table: cap, best GDP, CO2 and the cap's shadow price per point."""
    year = y.rsplit("_", 1)[-1]
    cols = [Column(x, x_header, digits=0), Column(y, y_header, digits=1)]
    if f"co2_{year}" in frame.columns and f"co2_{year}" != x:
        cols.append(Column(f"co2_{year}", f"CO2 {year} ({co2_unit})", digits=0))
    if "carbon_price" in frame.columns and frame["carbon_price"].notna().any():
        cols.append(Column("carbon_price", "cap's price*", digits=3))
    if "status" in frame.columns:
        cols.append(Column("status", "status"))
    text = render_table(frame, cols, width=width)
    if any(c.key == "carbon_price" for c in cols):
        text += "\n" + wrap(
            f"* shadow price of the CO2 cap: {price_unit or 'objective'} gained per {co2_unit} "
            "of CO2 the cap is raised",
            width,
        )
    if files:
        text += f"\nall columns: {files}/frontier.csv"
    return text
