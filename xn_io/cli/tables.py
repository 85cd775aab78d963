"""The table subcommands of ``xn-io``: tables, describe, multipliers."""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

from .common import InputProblem, check_new, print_frame, resolve_table, say

__all__ = ["cmd_tables", "cmd_describe", "cmd_multipliers"]


# --------------------------------------------------------------------------- tables
def cmd_tables(args: argparse.Namespace) -> int:
    """List the embedded tables."""
    from ..datasets import list_tables

    print_frame(list_tables())
    return 0


# --------------------------------------------------------------------------- describe
def cmd_describe(args: argparse.Namespace) -> int:
    """Print a table's key figures, pillars and data status; with --out, write its report folder."""
    from ..report.sections import data_status, key_figures, table_report

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    table = resolve_table(args.table)
    print(f"{table.name or args.table}: {table.n} sectors, money in {table.unit}" + (f", year {table.year}" if table.year else ""))
    print()
    print_frame(key_figures(table), digits=1)
    if not table.pillars.empty:
        print("\nPillars (sector shares, shipped with the table):")
        p = table.pillars.assign(output=lambda d: d["share"] * d["sector"].map(table.x))
        print_frame(p.set_index("sector"), digits=2)
    print("\nWhich figures are official and which are estimates:")
    for line in data_status(table):
        print(textwrap.fill(line, width=100, initial_indent="  - ", subsequent_indent="    "))
    if out is not None:
        table_report(table, lang=args.lang).write(out, overwrite=args.force)
        say(args, f"wrote {out}/report.html")
    return 0


# --------------------------------------------------------------------------- multipliers
def cmd_multipliers(args: argparse.Namespace) -> int:
    """Print the multipliers by sector; with --out, write them as CSV."""
    from .._files import atomic_write_text
    from ..report.sections import multiplier_table

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force, folder=False)
    table = resolve_table(args.table)
    frame = multiplier_table(table, lang=args.lang)
    if args.sort not in frame.columns:
        cols = ", ".join(c for c in frame.columns if c != "name")
        raise InputProblem(f"--sort {args.sort}: no such column; choose one of {cols}")
    frame = frame.sort_values(args.sort, ascending=False)
    units = frame.attrs.get("units", {})
    shown = frame if args.top is None else frame.head(args.top)
    print_frame(shown, digits=4)
    print("\nunits: " + "; ".join(f"{k} {v}" for k, v in units.items()))
    if out is not None:
        atomic_write_text(out, frame.to_csv(lineterminator="\n"), overwrite=args.force)
        say(args, f"wrote {out}")
    return 0
