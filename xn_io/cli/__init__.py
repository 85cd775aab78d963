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
130   interrupted (Ctrl-C): one line, no traceback; outputs complete or untouched
====  ===========================================================================

Outputs are written atomically (a temporary file or folder renamed into place)
and never replace an existing file or folder without ``--force``. Even with
``--force`` only a regular file or a folder that xn-io itself wrote (it holds a
``.xn-io-output`` marker) is replaced: never a link, a device or a foreign
folder. A run killed while replacing a folder is finished or rolled back by
the next run on the same output. Long work
shows a progress bar on a terminal only; ``--quiet`` silences it and the notes.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tomllib
from collections.abc import Callable, Sequence
from typing import Any

from .chains import add_commands as _add_chain_commands
from .common import InputProblem
from .planning import add_commands as _add_planning_commands
from .tables import cmd_describe, cmd_multipliers, cmd_tables

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_ERROR", "EXIT_INPUT", "EXIT_INFEASIBLE", "EXIT_INTERRUPTED"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_INTERRUPTED = 130

PROG = "xn-io"


# --------------------------------------------------------------------------- parser
_EPILOG = """\
examples:
  xn-io tables
  xn-io describe xianning-2025
  xn-io plan --out my_plan         # the baseline scenario, embedded table
  xn-io report examples/scenarios/strict-carbon.toml --out report_strict
  xn-io scenario init my_scenario.toml     # a commented baseline to edit

exit codes: 0 success, 2 bad input (the message names the file and field),
3 infeasible (the diagnosis is printed), 1 unexpected error (use --debug).
"""


def _common(
    parser: argparse.ArgumentParser, *, table: bool = False, out: str | None = None, lang: bool = False
) -> None:
    if table:
        parser.add_argument(
            "--table",
            metavar="NAME|PATH",
            default=None,
            help="embedded table name or CSV folder (default: xianning-2025)",
        )
    if out is not None:
        parser.add_argument("--out", metavar="PATH", default=out or None, help="where to write the output")
        parser.add_argument("--force", action="store_true", help="replace an existing output")
    if lang:
        parser.add_argument(
            "--lang",
            choices=("en", "zh"),
            default="en",
            help="language of sector names (zh: Chinese, with a font fallback)",
        )
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no notes")
    parser.add_argument("--debug", action="store_true", help="show the traceback of an error")


def _example(example: str, width: int = 78) -> str:
    """A command line for a help text: its comment on a line of its own, long lines continued with a backslash.

    Examples
    --------
    >>> print(_example("xn-io report --out baseline_report   # the baseline plan", 40))
      # the baseline plan
      xn-io report --out baseline_report
    """
    command, _, comment = example.partition("#")
    lines = [f"  # {comment.strip()}"] if comment.strip() else []
    line = "  "
    for word in command.split():
        if line.strip() and len(line) + 1 + len(word) > width - 2:
            lines.append(line + " \\")
            line = "      " + word
        else:
            line += (" " if line.strip() else "") + word
    lines.append(line)
    return "\n".join(lines)


def _sub(subs, name: str, func: Callable, help: str, example: str, description: str = "") -> argparse.ArgumentParser:
    import textwrap

    p = subs.add_parser(
        name,
        help=help,
        description=textwrap.fill(description or help, 78),
        epilog="example:\n" + _example(example),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=func)
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``xn-io`` (subcommands with help text and an example each)."""
    from .. import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Input-output analysis and 2026–2030 investment planning for Xianning (咸宁)\nand any IO table.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subs = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = _sub(subs, "tables", cmd_tables, "list the embedded tables", "xn-io tables")
    _common(p)

    p = _sub(
        subs,
        "describe",
        cmd_describe,
        "GDP, pillars, CO2, energy, units, and which figures are estimates",
        "xn-io describe xianning-2025 --out xianning_table",
    )
    p.add_argument(
        "table",
        nargs="?",
        default=None,
        metavar="TABLE",
        help="embedded table name or CSV folder (default: xianning-2025)",
    )
    _common(p, out="", lang=True)
    p.set_defaults(out=None)

    p = _sub(
        subs,
        "multipliers",
        cmd_multipliers,
        "output, value-added, CO2 and other multipliers by sector",
        "xn-io multipliers china-2020-42 --top 10 --out multipliers.csv",
    )
    p.add_argument(
        "table",
        nargs="?",
        default=None,
        metavar="TABLE",
        help="embedded table name or CSV folder (default: xianning-2025)",
    )
    p.add_argument("--top", type=int, default=None, metavar="N", help="show only the N largest")
    p.add_argument(
        "--sort",
        default="output_multiplier",
        metavar="COLUMN",
        help="column to sort by (default output_multiplier; e.g. co2_multiplier)",
    )
    _common(p, out="", lang=True)

    _add_planning_commands(subs, _sub, _common)
    _add_chain_commands(subs, _sub, _common)
    return parser


# --------------------------------------------------------------------------- main
def _format_error(exc: BaseException, args: argparse.Namespace | None) -> str:
    from ..errors import ScenarioError

    message = str(exc)
    if isinstance(exc, ScenarioError):
        source = getattr(args, "scenario", None) if args is not None else None
        field = getattr(exc, "field", None)
        if field and field != "path" and field not in message:
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
    try:
        if argv is None:  # the program (xn_io._console): Ctrl-C ends the command here from now on
            signal.signal(signal.SIGINT, signal.default_int_handler)
        return _main(argv)
    except KeyboardInterrupt:  # also while parsing, importing or printing an error
        return _interrupted()
    finally:
        if argv is None:  # run as the xn-io program: the work is done, so Ctrl-C during Python's shutdown is ignored
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _interrupted() -> int:
    print(f"{PROG}: interrupted; no output was left half-written", file=sys.stderr)
    return EXIT_INTERRUPTED


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` wraps a KeyboardInterrupt (some libraries re-raise it as RuntimeError)."""
    seen = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt) or str(link).strip() == "KeyboardInterrupt":
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def _main(argv: Sequence[str] | None) -> int:
    from ..errors import InfeasibleError, XnIOError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = int(args.func(args) or EXIT_OK)
        sys.stdout.flush()  # a reader that left (`| head`) is noticed here, not at interpreter exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except InfeasibleError as exc:
        if args.debug:
            raise
        diagnosis = getattr(exc, "diagnosis", None)
        headline = str(exc)
        detail = getattr(diagnosis, "message", "") if diagnosis is not None else ""
        if detail and detail in headline:  # the diagnosis follows on stdout; keep the headline short
            headline = headline.replace(detail, "").rstrip(" :") + " (diagnosis below)"
        print(f"{PROG}: infeasible: {' '.join(headline.split())}", file=sys.stderr)
        if diagnosis is not None:
            print(_diagnosis_text(diagnosis))
        else:
            print("no diagnosis was run", file=sys.stderr)
        return EXIT_INFEASIBLE
    except (InputProblem, XnIOError, tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as exc:
        if args.debug:
            raise
        print(f"{PROG}: error: {_format_error(exc, args)}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return _interrupted()
    except Exception as exc:  # an internal error: say so in one line, unless --debug
        if _caused_by_interrupt(exc):
            return _interrupted()
        if args.debug:
            raise
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _silence_stdout() -> None:
    """The reader of stdout went away (``xn-io … | head``): send the rest to /dev/null, quietly."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _diagnosis_text(diagnosis: Any) -> str:
    """The diagnosis of an infeasible scenario, once: each relaxation and alternative on its own line, fitted to the terminal."""
    from .display import terminal_width, wrap

    width = terminal_width()
    lines: list[str] = []
    message = str(getattr(diagnosis, "message", None) or diagnosis)
    listed: list[str] = []
    blocks = []
    for attr, head in (
        ("relaxations", "Smallest relaxation that makes the scenario feasible:"),
        ("alternatives", "Alternatively, any one of these alone would do:"),
    ):
        frame = getattr(diagnosis, attr, None)
        if frame is None or not hasattr(frame, "iterrows") or frame.empty:
            continue
        items = []
        for _, row in frame.iterrows():
            if "phrase" in row and isinstance(row["phrase"], str) and row["phrase"]:
                rhs = row.get("rhs")
                share = (
                    f" ({row['relative']:.0%} of {rhs:,.1f})"
                    if "relative" in row and rhs is not None and abs(float(rhs)) > 0
                    else ""
                )
                items.append(row["phrase"] + share)
                listed.append(row["phrase"])
            else:
                items.append(", ".join(f"{k}={v}" for k, v in row.items()))
        blocks.append((head, items))
    if not blocks or not all(p in message for p in listed):  # the message says more than the list: keep it
        lines.append(wrap(message, width))
    for head, items in blocks:
        if lines:
            lines.append("")
        lines.append(head)
        lines += [wrap(item, width, indent="  - ", subsequent="    ") for item in items]
    return "\n".join(lines)
