"""Excel workbooks: tables to and from ``.xlsx``, and any set of labelled frames as one workbook.

A table's workbook has the layout of the CSV folder (:mod:`xn_io.io`), one
sheet per file, so a planner can open it in Excel and a script can read it
back without loss:

===========================  ===========================================================
sheet                        contents (first column: the row labels; first row: headers)
===========================  ===========================================================
``README``                   what each sheet holds, and the table's units
``Z``                        intermediate flows, sector × sector
``Y``                        final demand, sector × category
``V``                        value added, component × sector
``M``                        imports and other primary inputs (if any)
``x``                        gross output
``satellites``               satellite accounts, sector × account (units in ``metadata``)
``satellites_final_demand``  direct amounts of final-demand categories (if any)
``pillars``                  sector, pillar, share (if any)
``sectors``                  sector names and parameters
``metadata``                 the CSV folder's ``metadata.toml``, one line per row in column A
===========================  ===========================================================

Numbers are written as Excel numbers with as many digits as the double needs
(up to 17, where openpyxl alone writes 16), so a round trip returns identical
arrays. Writing is atomic and
never replaces an existing file unless ``overwrite=True``.

References
----------
openpyxl, the Excel reader and writer used here: https://openpyxl.readthedocs.io
"""

from __future__ import annotations

import os
from pathlib import Path

from . import _excel_io
from ._excel_io import TABLE_SHEETS, write_workbook
from .table import IOTable

__all__ = ["write_excel", "read_excel", "write_workbook", "TABLE_SHEETS"]


def write_excel(table: IOTable, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write ``table`` as an ``.xlsx`` workbook with the layout of its CSV folder (see the module docstring).

    Parameters
    ----------
    table : IOTable
    path : path-like
        The workbook to create.
    overwrite : bool
        Replace an existing file instead of raising.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OverwriteError
        If ``path`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib, xn_io
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["a", "b"])
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mb.xlsx"
    >>> _ = write_excel(t, f)
    >>> read_excel(f) == t
    True
    """
    return _excel_io.write_excel(table, path, overwrite=overwrite)


def read_excel(path: str | os.PathLike) -> IOTable:
    """Read a table written by :func:`write_excel` (or laid out the same way by hand).

    Parameters
    ----------
    path : path-like
        The ``.xlsx`` workbook.

    Returns
    -------
    IOTable

    Raises
    ------
    TableError
        The file is missing or not a workbook, a required sheet (``Z``, ``Y``,
        ``V``, ``x``, ``metadata``) is missing, the metadata are not TOML, or
        the table is invalid (see :class:`IOTable`).

    Examples
    --------
    >>> import tempfile, pathlib, xn_io
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mb.xlsx"
    >>> _ = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700]).to_excel(f)
    >>> xn_io.read_excel(f).A.round(2).to_numpy().tolist()
    [[0.15, 0.25], [0.2, 0.05]]
    """
    return _excel_io.read_excel(path, table_cls=IOTable)
