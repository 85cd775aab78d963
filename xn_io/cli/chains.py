"""The ``xn-io chains`` subcommand: pillar chains, their gaps and chain leaders' local supporting rate."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import InputProblem, check_new, print_frame, resolve_table, say

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
    from ..network import central_sectors, chain_gaps, firm_graph, local_supporting_rate, sector_graph
    from ..report.chains import chains_report, firm_status_note

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    table = resolve_table(args.table)
    firm_data = load_firm_data(args.firms, args.links)
    print(f"Key sectors of {table.name!r} (PageRank of suppliers):")
    print_frame(central_sectors(sector_graph(table)).head(args.top), digits=3)
    if not table.pillars.empty and len(table.M):
        for pillar in dict.fromkeys(table.pillars["pillar"]):
            gaps = chain_gaps(table, pillar, top=args.top)
            print(f"\nGaps of {pillar}: inputs bought mostly outside the region ({table.unit}, estimates):")
            print_frame(gaps, digits=2) if len(gaps) else print("  none")
    if firm_data is not None:
        print("\nChain leaders' local supporting rate against the target:")
        print("  " + firm_status_note(firm_data.metadata))
        print_frame(local_supporting_rate(firm_graph(firm_data.firms, firm_data.links)), digits=3)
    if out is not None:
        chains_report(table, firm_data, lang=args.lang, top=args.top).write(out, overwrite=args.force)
        say(args, f"wrote {out}/report.html (chain drawings in {out}/figures)")
    return 0


def add_commands(subs, sub, common) -> None:
    """Register ``chains`` on the subparsers ``subs``."""
    p = sub(subs, "chains", cmd_chains, "pillar chains, their gaps, and chain leaders' local supporting rate",
            "xn-io chains --firms my_firms.csv --links my_links.csv --out chains_report")
    p.add_argument("--firms", metavar="F", help="firms CSV (or a folder with firms.csv and links.csv); "
                                                 "default: the shipped ILLUSTRATIVE network")
    p.add_argument("--links", metavar="L", help="links CSV (supplier, buyer, value, product)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="rows per table (default 10)")
    common(p, table=True, out="", lang=True)
