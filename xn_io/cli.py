"""The ``xn-io`` command: tables, multipliers, plans, frontiers, chains and reports for planners.

Run ``xn-io --help`` for the subcommands and ``xn-io <command> --help`` for each
one's options and an example. Exit codes:

====  ===========================================================================
0     success
1     an unexpected internal error (run again with ``--debug`` for the traceback)
2     bad input: a missing or malformed file, an unknown table, a bad scenario
      field, an output that exists (use ``--force``); one line naming the file
      and the field
3     the scenario is infeasible; the diagnosis (smallest relaxation) is printed
====  ===========================================================================

Outputs are written atomically (a temporary file or folder renamed into place)
and never replace an existing file or folder without ``--force``. Long work
shows a progress bar on a terminal only; ``--quiet`` silences it and the notes.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_ERROR", "EXIT_INPUT", "EXIT_INFEASIBLE"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INPUT = 2
EXIT_INFEASIBLE = 3

PROG = "xn-io"


class InputProblem(Exception):
    """A user's mistake detected by the command itself (exit code 2)."""


# --------------------------------------------------------------------------- helpers
def _say(args: argparse.Namespace, message: str) -> None:
    """A note on stderr, unless ``--quiet``."""
    if not getattr(args, "quiet", False):
        print(message, file=sys.stderr)


def progress(iterable: Iterable, *, total: int | None = None, desc: str = "", quiet: bool = False) -> Iterable:
    """Wrap ``iterable`` in a tqdm bar when stderr is a terminal and not ``quiet``; else return it as is."""
    if quiet or not sys.stderr.isatty():
        return iterable
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="step", leave=False, file=sys.stderr)


def resolve_table(spec: str | None):
    """Load a table given by embedded NAME or by the PATH of a CSV folder.

    Raises
    ------
    InputProblem
        When ``spec`` is neither an embedded table nor a folder.
    """
    from . import datasets
    from .io import read_csv_folder

    spec = spec or datasets.DEFAULT_TABLE
    path = Path(spec)
    if path.is_dir():
        return read_csv_folder(path)
    names = list(datasets.list_tables().index)
    if spec in names:
        return datasets.load_table(spec)
    if path.exists():
        raise InputProblem(f"{spec}: a table must be a CSV folder (with metadata.toml), not a file")
    raise InputProblem(f"{spec}: no embedded table of that name and no such folder; embedded tables: {', '.join(names)}")


def _check_new(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise InputProblem(f"{path}: already exists; choose another --out or pass --force to replace it")


def _print_frame(frame, *, digits: int = 3) -> None:
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(frame.to_string(max_colwidth=60, float_format=lambda v: f"{v:,.{digits}f}"))


# --------------------------------------------------------------------------- tables
def cmd_tables(args: argparse.Namespace) -> int:
    from .datasets import list_tables

    _print_frame(list_tables())
    return EXIT_OK


# --------------------------------------------------------------------------- describe
def cmd_describe(args: argparse.Namespace) -> int:
    from .report.sections import data_status, key_figures, table_report

    out = Path(args.out) if args.out else None
    if out is not None:
        _check_new(out, args.force)
    table = resolve_table(args.table)
    print(f"{table.name or args.table}: {table.n} sectors, money in {table.unit}" + (f", year {table.year}" if table.year else ""))
    print()
    _print_frame(key_figures(table), digits=1)
    if not table.pillars.empty:
        print("\nPillars (sector shares, shipped with the table):")
        p = table.pillars.assign(output=lambda d: d["share"] * d["sector"].map(table.x))
        _print_frame(p.set_index("sector"), digits=2)
    print("\nWhich figures are official and which are estimates:")
    for line in data_status(table):
        print(textwrap.fill(line, width=100, initial_indent="  - ", subsequent_indent="    "))
    if out is not None:
        table_report(table, lang=args.lang).write(out, overwrite=args.force)
        _say(args, f"wrote {out}/report.html")
    return EXIT_OK


# --------------------------------------------------------------------------- multipliers
def cmd_multipliers(args: argparse.Namespace) -> int:
    from ._files import atomic_write_text
    from .report.sections import multiplier_table

    out = Path(args.out) if args.out else None
    if out is not None:
        _check_new(out, args.force)
    table = resolve_table(args.table)
    frame = multiplier_table(table, lang=args.lang)
    if args.sort not in frame.columns:
        cols = ", ".join(c for c in frame.columns if c != "name")
        raise InputProblem(f"--sort {args.sort}: no such column; choose one of {cols}")
    frame = frame.sort_values(args.sort, ascending=False)
    units = frame.attrs.get("units", {})
    shown = frame if args.top is None else frame.head(args.top)
    _print_frame(shown, digits=4)
    print("\nunits: " + "; ".join(f"{k} {v}" for k, v in units.items()))
    if out is not None:
        atomic_write_text(out, frame.to_csv(lineterminator="\n"), overwrite=args.force)
        _say(args, f"wrote {out}")
    return EXIT_OK


# --------------------------------------------------------------------------- parser
_EPILOG = """\
examples:
  xn-io tables
  xn-io describe xianning-2025
  xn-io plan --out my_plan                 # the baseline scenario on the embedded table
  xn-io report examples/scenarios/strict_carbon.toml --out report_strict
  xn-io scenario init my_scenario.toml     # a commented baseline to edit

exit codes: 0 success, 2 bad input (the message names the file and field),
3 infeasible (the diagnosis is printed), 1 unexpected error (use --debug).
"""


def _common(parser: argparse.ArgumentParser, *, table: bool = False, out: str | None = None, lang: bool = False) -> None:
    if table:
        parser.add_argument("--table", metavar="NAME|PATH", default=None,
                            help="embedded table name or CSV folder (default: xianning-2025)")
    if out is not None:
        parser.add_argument("--out", metavar="PATH", default=out or None, help="where to write the output")
        parser.add_argument("--force", action="store_true", help="replace an existing output")
    if lang:
        parser.add_argument("--lang", choices=("en", "zh"), default="en",
                            help="language of sector names (zh: Chinese, with a font fallback)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no notes")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")


def _sub(subs, name: str, func: Callable, help: str, example: str, description: str = "") -> argparse.ArgumentParser:
    p = subs.add_parser(
        name, help=help, description=(description or help),
        epilog="example:\n  " + example, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``xn-io`` (subcommands with help text and an example each)."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Input-output analysis and 2026–2030 investment planning for Xianning (咸宁) and any IO table.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _sub(subs, "tables", cmd_tables, "list the embedded tables", "xn-io tables")
    _common(p)

    p = _sub(subs, "describe", cmd_describe, "GDP, pillars, CO2, energy, units, and which figures are estimates",
             "xn-io describe xianning-2025 --out xianning_table")
    p.add_argument("table", nargs="?", default=None, metavar="TABLE", help="embedded table name or CSV folder (default: xianning-2025)")
    _common(p, out="", lang=True)
    p.set_defaults(out=None)

    p = _sub(subs, "multipliers", cmd_multipliers, "output, value-added, CO2 and other multipliers by sector",
             "xn-io multipliers china-2020-42 --top 10 --out multipliers.csv")
    p.add_argument("table", nargs="?", default=None, metavar="TABLE", help="embedded table name or CSV folder (default: xianning-2025)")
    p.add_argument("--top", type=int, default=None, metavar="N", help="show only the N largest")
    p.add_argument("--sort", default="output_multiplier", metavar="COLUMN",
                   help="column to sort by (default output_multiplier; e.g. co2_multiplier)")
    _common(p, out="", lang=True)
    return parser


# --------------------------------------------------------------------------- main
def _format_error(exc: BaseException, args: argparse.Namespace | None) -> str:
    from .errors import ScenarioError

    message = str(exc)
    if isinstance(exc, ScenarioError):
        source = getattr(args, "scenario", None) if args is not None else None
        field = getattr(exc, "field", None)
        if field and field not in message:
            message = f"field {field!r}: {message}"
        if source and str(source) not in message:
            message = f"{source}: {message}"
    elif isinstance(exc, tomllib.TOMLDecodeError):
        source = getattr(args, "scenario", None) if args is not None else None
        message = f"{source or 'scenario'}: not valid TOML: {message}"
    elif isinstance(exc, OSError) and exc.filename and str(exc.filename) not in message:
        message = f"{exc.filename}: {exc.strerror or message}"
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``xn-io`` with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stdout(io.StringIO()) as printed:
    ...     code = main(["tables", "--quiet"])
    >>> code, "xianning-2025" in printed.getvalue()
    (0, True)
    """
    from .errors import InfeasibleError, XnIOError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or EXIT_OK)
    except InfeasibleError as exc:
        if args.debug:
            raise
        print(f"{PROG}: infeasible: {' '.join(str(exc).split())}", file=sys.stderr)
        diagnosis = getattr(exc, "diagnosis", None)
        if diagnosis is not None:
            print(_diagnosis_text(diagnosis))
        return EXIT_INFEASIBLE
    except (InputProblem, XnIOError, tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        if args.debug:
            raise
        print(f"{PROG}: error: {_format_error(exc, args)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # an internal error: say so in one line, unless --debug
        if args.debug:
            raise
        print(f"{PROG}: internal error: {type(exc).__name__}: {exc} (run again with --debug for the traceback)", file=sys.stderr)
        return EXIT_ERROR


def _diagnosis_text(diagnosis: Any) -> str:
    for attr in ("to_text", "summary", "explain"):
        method = getattr(diagnosis, attr, None)
        if callable(method):
            text = method()
            return text if isinstance(text, str) else str(text)
    return str(diagnosis)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
