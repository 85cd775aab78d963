"""The tables shipped with xn_io: :func:`load_table` and :func:`list_tables`.

Each embedded table is a CSV folder (see :mod:`xn_io.io`) inside the package,
under ``xn_io/data/tables/<name>/``, so it loads from an installed wheel with no
network. Its build script and sources live in the repository's ``tables/``
folder; its ``PROVENANCE.md`` says which figures are official statistics and
which are estimates.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import TableError
from .io import read_csv_folder
from .table import IOTable

__all__ = ["DEFAULT_TABLE", "load_table", "list_tables", "table_path"]

DEFAULT_TABLE = "xianning-2025"
"""The table :func:`load_table` gives with no argument."""


def _root() -> Path:
    return Path(str(resources.files("xn_io") / "data" / "tables"))


def _names() -> list[str]:
    root = _root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "metadata.toml").is_file())


def table_path(name: str = DEFAULT_TABLE) -> Path:
    """The folder of the embedded table ``name``.

    Raises
    ------
    TableError
        If there is no such table; the message lists the ones there are.

    Examples
    --------
    >>> sorted(p.name for p in table_path("xianning-2025").glob("*.toml"))
    ['metadata.toml']
    """
    names = _names()
    if name not in names:
        raise TableError(f"no embedded table {name!r}; the embedded tables are {names}")
    return _root() / name


def load_table(name: str = DEFAULT_TABLE) -> IOTable:
    """Load an embedded table by name (tables are immutable, so the result is cached).

    Parameters
    ----------
    name : str
        One of :func:`list_tables` (default ``"xianning-2025"``).

    Returns
    -------
    IOTable

    Raises
    ------
    TableError
        If there is no such table, ``name`` is not a string, or its files were altered.
    """
    if not isinstance(name, str):
        raise TableError(
            f"name must be the name of an embedded table (a string), got {name!r}; the embedded tables are {_names()}"
        )
    return _load_table(name)


@functools.lru_cache(maxsize=16)
def _load_table(name: str) -> IOTable:
    return read_csv_folder(table_path(name))


def list_tables() -> pd.DataFrame:
    """The embedded tables: name, year, sectors, unit and a one-line description.

    Returns
    -------
    pandas.DataFrame
        Indexed by name.

    Examples
    --------
    >>> list_tables().loc["xianning-2025", ["year", "sectors", "unit", "status"]].astype(str).tolist()
    ['2025', '38', '亿元', 'estimate']
    """
    rows = []
    for name in _names():
        meta = tomllib.loads((_root() / name / "metadata.toml").read_text(encoding="utf-8"))
        sectors = pd.read_csv(_root() / name / "x.csv").shape[0]
        info = meta.get("metadata", {})
        rows.append(
            {
                "name": name,
                "year": meta.get("year"),
                "sectors": sectors,
                "unit": meta.get("unit"),
                "status": info.get("default_status", ""),
                "description": info.get("description", ""),
            }
        )
    return pd.DataFrame(rows, columns=["name", "year", "sectors", "unit", "status", "description"]).set_index("name")
