"""Helpers shared by the ``xn-io`` subcommands: table lookup, progress, output checks, printing."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

__all__ = ["InputProblem", "say", "progress", "resolve_table", "check_new", "print_frame"]


class InputProblem(Exception):
    """A user's mistake detected by the command itself (exit code 2)."""


# --------------------------------------------------------------------------- helpers
def say(args: argparse.Namespace, message: str) -> None:
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
    from .. import datasets
    from ..io import read_csv_folder

    spec = spec or datasets.DEFAULT_TABLE
    path = Path(spec)
    if path.is_dir():
        return read_csv_folder(path)
    names = list(datasets.list_tables().index)
    if spec in names:
        return datasets.load_table(spec)
    if path.exists():
        raise InputProblem(f"{spec}: a table must be a CSV folder (with metadata.toml), not a file")
    raise InputProblem(
        f"{spec}: no embedded table of that name and no such folder; embedded tables: {', '.join(names)}"
    )


def check_new(path: Path, force: bool, *, folder: bool = True) -> None:
    """Check an output path before any work (see :func:`xn_io._files.check_writable`).

    An interrupted earlier write to ``path`` is finished or rolled back first.

    Raises
    ------
    OverwriteError
        If ``path`` exists and ``--force`` was not given; or, even with
        ``--force``, if it is a link, a device, a folder xn_io did not write,
        or of the wrong kind (``folder`` says which kind is expected).
    """
    from .._files import check_writable

    check_writable(path, overwrite=force, folder=folder)


def print_frame(frame, *, digits: int = 3) -> None:
    """Print a DataFrame in full, numbers with thousands separators and ``digits`` decimals."""
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_rows", 500):
        print(frame.to_string(max_colwidth=60, float_format=lambda v: f"{v:,.{digits}f}"))
