"""The table subcommands of ``xn-io``: tables, describe, multipliers."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import InputProblem, check_new, resolve_table, say
from .display import Column, render_table, terminal_width, wrap
from .text import table_status_line

__all__ = ["cmd_describe", "cmd_multipliers", "cmd_tables"]


# --------------------------------------------------------------------------- tables
def cmd_tables(args: argparse.Namespace) -> int:
    """List the embedded tables."""
    from ..datasets import list_tables

    frame = list_tables()
    width = terminal_width()
    print(
        render_table(
            frame,
            [
                Column("index", "name"),
                Column("year", "year", format=str),
                Column("sectors", "sectors", format=str),
                Column("unit", "money"),
                Column("status", "status"),
                Column("description", "description"),
            ],
            width=width,
        )
    )
    print(
        wrap(
            "status: official = published statistics; estimate = built by xn_io from official data (see "
            "`xn-io describe NAME` for which figures are which).",
            width,
        )
    )
    return 0


# --------------------------------------------------------------------------- describe
def cmd_describe(args: argparse.Namespace) -> int:
    """Print a table's key figures, pillars and data status; with --out, write its report folder."""
    from ..report.glossary import Names
    from ..report.sections import assumption_ranges, data_status, key_figures, pillar_scopes, table_report

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    table = resolve_table(args.table)
    names = Names.for_table(table, args.lang)
    width = terminal_width()
    print(
        f"{table.name or args.table}: {table.n} sectors, money in {table.unit}"
        + (f", year {table.year}" if table.year else "")
    )
    print(table_status_line(table, width))
    print()
    kf = key_figures(table).copy()
    kf.index = [_indicator(str(i), names) for i in kf.index]
    print(
        render_table(
            kf,
            [
                Column("index", "indicator"),
                Column("value", "value", digits=1),
                Column("unit", "unit"),
                Column("status", "status"),
            ],
            width=width,
        )
    )
    if not table.pillars.empty:
        print("\nPillars (sector shares shipped with the table; output = share × 2025 output):")
        p = table.pillars.assign(output=lambda d: d["share"] * d["sector"].map(table.x))
        p = p.assign(
            name=p["sector"].map(names.sector), pillar_name=p["pillar"].map(names.pillar), share_pct=100 * p["share"]
        )
        print(
            render_table(
                p,
                [
                    Column("pillar_name", "pillar"),
                    Column("name", "sector"),
                    Column("share_pct", "share (%)", digits=0),
                    Column("output", f"output ({table.unit})", digits=1),
                ],
                width=width,
            )
        )
    if table.metadata.get("pillar_scopes"):
        print("\nPillar outputs in other scopes, side by side:")
        scopes = pillar_scopes(table).rename_axis("scope")
        print(
            render_table(
                scopes,
                [
                    Column("index", "scope"),
                    Column("output", f"output ({table.unit})", digits=1),
                    Column("definition", "definition"),
                ],
                width=width,
            )
        )
    ranges = assumption_ranges(table)
    if not ranges.empty:
        print("\nKey figures across the documented range of the LQ's δ (pillars, GDP fixed):")
        cols = [Column("index", "variant"), Column("delta", "δ", digits=2)]
        cols += [
            Column(c, c.replace("_", " "), digits=2)
            for c in ("local_intermediate_share", "mean_output_multiplier", "exports_to_gdp")
            if c in ranges.columns
        ]
        print(render_table(ranges, cols, width=width))
    print("\nWhich figures are official and which are estimates:")
    for line in data_status(table):
        print(wrap(line, width, indent="  - ", subsequent="    "))
    if out is not None:
        table_report(table, lang=args.lang).write(out, overwrite=args.force)
        say(args, f"wrote {out}/report.html")
    return 0


def _indicator(text: str, names) -> str:
    prefix = "pillar output: "
    return prefix + names.pillar(text[len(prefix) :]) if text.startswith(prefix) else text


# --------------------------------------------------------------------------- multipliers
def cmd_multipliers(args: argparse.Namespace) -> int:
    """Print the multipliers by sector; with --out, write them all as CSV."""
    from .._files import atomic_write_text
    from ..report.sections import multiplier_table

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force, folder=False)
    if args.top is not None and args.top < 1:
        raise InputProblem(f"--top {args.top}: give a number of rows ≥ 1")
    table = resolve_table(args.table)
    frame = multiplier_table(table, lang=args.lang)
    sortable = [c for c in frame.columns if c != "name" and not c.endswith("_unit")]
    if args.sort not in sortable:
        cols = ", ".join(sortable)
        raise InputProblem(f"--sort {args.sort}: no such column; choose one of {cols}")
    frame = frame.sort_values(args.sort, ascending=False)
    units = frame.attrs.get("units", {})
    width = terminal_width()
    print(table_status_line(table, width))
    shown_cols = ["output_multiplier", "value_added_multiplier"] + [
        c for c in ("co2_multiplier",) if c in frame.columns
    ]
    if args.sort not in shown_cols:
        shown_cols.append(args.sort)

    def header(c: str) -> str:
        unit = units.get(c, "")
        name = {"output_multiplier": "output", "value_added_multiplier": "value added"}.get(
            c, c.removesuffix("_multiplier")
        )
        if unit == f"{table.unit}/{table.unit}":  # a ratio: the unit is said once below
            return name
        return f"{name} ({unit})"

    columns = [Column("index", "#", format=lambda i: str(i)), Column("name", "sector")]
    columns += [
        Column(c, header(c), digits=4 if units.get(c) == f"{table.unit}/{table.unit}" else 3) for c in shown_cols
    ]
    ranked = frame.reset_index().rename(columns={"sector": "id"})
    ranked.index = range(1, len(ranked) + 1)
    limit = args.top if args.top is not None else (None if len(ranked) <= 40 else 20)
    where = str(out) if out is not None else "all rows and columns with --out FILE.csv"
    print(render_table(ranked, columns, width=width, limit=limit, more=where))
    other = [c for c in frame.columns if c not in shown_cols and c != "name"]
    if other:
        print(wrap("other multipliers (--sort COLUMN, or --out FILE.csv for all): " + ", ".join(other), width))
    print(
        wrap(
            f"per {table.unit} of final demand for the sector's product, along the whole supply chain "
            f"(Miller & Blair 2022, §6.2); output and value added in {table.unit} per {table.unit}.",
            width,
        )
    )
    if out is not None:
        atomic_write_text(out, frame.to_csv(lineterminator="\n"), overwrite=args.force)
        say(args, f"wrote {out}")
    return 0
