"""The ``xn-io chains`` subcommand: pillar chains, their gaps and chain leaders' local supporting rate."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import InputProblem, check_new, resolve_table, say
from .display import Column, render_table, terminal_width, wrap
from .text import table_status_line

__all__ = ["load_firm_data", "cmd_chains", "add_commands"]


def load_firm_data(firms: str | None, links: str | None):
    """The firm network to analyse: the user's files, or the shipped illustrative network.

    Parameters
    ----------
    firms : str or None
        A folder with ``firms.csv`` and ``links.csv``, or the firms CSV file (then ``links`` is needed).
    links : str or None
        The links CSV file.

    Returns
    -------
    xn_io.network.FirmData or None
        None when no firm file is given and no firm network is shipped.

    Raises
    ------
    InputProblem
        ``--links`` without ``--firms`` or the reverse, or a missing file.
    NetworkDataError
        Invalid firm data (the message names the file, row and field).
    """
    from ..network import list_firm_datasets, load_firms, read_firms

    if firms is None and links is None:
        return load_firms() if "xianning-illustrative" in list_firm_datasets() else None
    if firms is not None and Path(firms).is_dir():
        if links is not None:
            raise InputProblem(f"--links {links}: not needed when --firms is a folder ({firms})")
        return read_firms(firms)
    if firms is None or links is None:
        raise InputProblem("give both --firms FIRMS.csv and --links LINKS.csv (or --firms FOLDER)")
    for option, path in (("--firms", firms), ("--links", links)):
        if not Path(path).is_file():
            raise InputProblem(f"{path}: no such file ({option})")
    from ..network.firms import _read_firm_files

    # the library reads and validates both files; its errors name the file and the line
    return _read_firm_files(firms, links, {"name": Path(firms).stem, "status": "user data"})


def cmd_chains(args: argparse.Namespace) -> int:
    """Print key sectors, each pillar's gaps and the chain leaders' local supporting rate; --out writes the report."""
    from ..network import (
        GAP_MEASURE,
        central_sectors,
        chain_gaps,
        firm_graph,
        gap_imports,
        local_supporting_rate,
        sector_graph,
    )
    from ..report.chains import chains_report, firm_status_note, gaps_file
    from ..report.glossary import Names

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    if args.top < 1:
        raise InputProblem(f"--top {args.top}: give a number of rows ≥ 1")
    table = resolve_table(args.table)
    firm_data = load_firm_data(args.firms, args.links)
    names = Names.for_table(table, args.lang)
    width = terminal_width()
    where = (lambda f: f"{out}/{f}") if out is not None else (lambda f: f"{f} (run with --out DIR)")
    print(table_status_line(table, width))
    print()
    print(
        wrap(
            f"Key sectors of {table.name!r}: the suppliers that feed important buyers (PageRank on the "
            "reversed flow graph; the scores add up to 1):",
            width,
        )
    )
    keys = central_sectors(sector_graph(table))
    keys = keys.assign(name=[names.sector(i) for i in keys.index], rank=range(1, len(keys) + 1))
    keys = keys.assign(pillar_name=[names.pillar(p) if p else "" for p in keys["pillar"]])
    print(
        render_table(
            keys,
            [
                Column("rank", "#", format=str),
                Column("name", "sector"),
                Column("pagerank_supplier", "score", digits=3),
                Column("pillar_name", "pillar"),
            ],
            width=width,
            limit=args.top,
            more=where("key_sectors.csv"),
            indent="  ",
        )
    )
    if not table.pillars.empty and len(table.M):
        imports = gap_imports(table)
        print()
        print(wrap(GAP_MEASURE.format(method=imports.attrs.get("method", "")), width))
        for pillar in dict.fromkeys(table.pillars["pillar"]):
            gaps = chain_gaps(table, pillar, imports=imports, top=None)
            print()
            print(wrap(f"Gaps of {names.pillar(pillar)} ({table.unit}, estimates):", width))
            if not len(gaps):
                print("  none")
                continue
            gaps = gaps.assign(name=[names.sector(i) for i in gaps.index], pct=100 * gaps["import_share"])
            print(
                render_table(
                    gaps,
                    [
                        Column("rank", "#", format=str),
                        Column("name", "input"),
                        Column("imported", "bought outside", digits=1),
                        Column("pct", "share (%)", digits=0),
                        Column("output_gain", "output gain*", digits=1),
                    ],
                    width=width,
                    limit=args.top,
                    more=where(f"{gaps_file(pillar)}.csv"),
                    indent="  ",
                )
            )
        print(wrap("* regional output gained if 30% of the input's imports were made locally (Leontief model).", width))
    if firm_data is not None:
        print()
        print(
            wrap(
                "Chain leaders' local supporting rate (local share of direct purchases and sales) against the target:",
                width,
            )
        )
        print(wrap(firm_status_note(firm_data.metadata), width, indent="  ", subsequent="  "))
        rates = local_supporting_rate(firm_graph(firm_data.firms, firm_data.links))
        rates = rates.assign(meets=["yes" if m else "no" for m in rates["meets_target"]])
        print(
            render_table(
                rates,
                [
                    Column("index", ""),
                    Column("name", "name"),
                    Column("upstream", "upstream", digits=3),
                    Column("downstream", "downstream", digits=3),
                    Column("both", "both", digits=3),
                    Column("target", "target", digits=2),
                    Column("meets", "met"),
                ],
                width=width,
                limit=max(args.top, 10),
                more=where("local_supporting_rate.csv"),
            )
        )
        print(
            wrap(
                "upstream, downstream: share of a leader's direct purchases and of its sales that are local; "
                "both: of the two together (the rate the plan's target is set on).",
                width,
            )
        )
    if out is not None:
        chains_report(table, firm_data, lang=args.lang, top=args.top).write(out, overwrite=args.force)
        say(args, f"wrote {out}/report.html (chain drawings in {out}/figures)")
    return 0


def add_commands(subs, sub, common) -> None:
    """Register ``chains`` on the subparsers ``subs``."""
    p = sub(
        subs,
        "chains",
        cmd_chains,
        "pillar chains, their gaps, and chain leaders' local supporting rate",
        "xn-io chains --firms my_firms.csv --links my_links.csv --out chains_report",
    )
    p.add_argument(
        "--firms",
        metavar="F",
        help="firms CSV (or a folder with firms.csv and links.csv); default: the shipped ILLUSTRATIVE network",
    )
    p.add_argument("--links", metavar="L", help="links CSV (supplier, buyer, value, product)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows per table (default 10)")
    common(p, table=True, out="", lang=True)
