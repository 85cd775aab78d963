"""Excel workbooks of tables, below :mod:`xn_io.table` (internal; the public API is :mod:`xn_io.excel`).

Like :mod:`xn_io._table_io`, this module never imports :mod:`xn_io.table`: :func:`read_excel`
is given the table class (``table_cls``), so ``IOTable.to_excel``/``read_excel`` and
:mod:`xn_io.excel` call it without an import cycle.
"""

from __future__ import annotations

import contextlib
import csv
import io as _io
import math
import os
import re
import tomllib
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ._files import atomic_write_bytes
from ._table_io import table_blocks, table_from_blocks, table_metadata_toml
from .errors import TableError

if TYPE_CHECKING:
    from .table import IOTable

__all__ = ["write_excel", "read_excel", "write_workbook", "TABLE_SHEETS"]

#: Sheets of a table workbook, in order, and the CSV file each mirrors.
TABLE_SHEETS = {
    "Z": "Z.csv",
    "Y": "Y.csv",
    "V": "V.csv",
    "M": "M.csv",
    "x": "x.csv",
    "satellites": "satellites.csv",
    "satellites_final_demand": "satellites_final_demand.csv",
    "pillars": "pillars.csv",
    "sectors": "sectors.csv",
}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


@contextlib.contextmanager
def _exact_numbers() -> Iterator[None]:
    """Within the block, openpyxl writes floats with the shortest repr that reads back the same double.

    openpyxl writes numbers as ``"%.16g"``, which can lose the last bit of a
    ``float64`` (17 significant digits are needed); Excel itself reads and keeps
    17 digits. The round-trip test of :func:`read_excel` fails if a later
    openpyxl stops calling this hook.
    """
    from openpyxl.cell import _writer

    original = _writer.safe_string

    def exact(value):
        if isinstance(value, (float, np.floating)) and math.isfinite(value):
            return repr(float(value))
        return original(value)

    _writer.safe_string = exact
    try:
        yield
    finally:
        _writer.safe_string = original


_FIXED_TIME = "2000-01-01T00:00:00Z"


def _reproducible(data: bytes) -> bytes:
    """The same workbook with fixed dates (zip entries, document properties): the same tables give the same bytes."""
    source = zipfile.ZipFile(_io.BytesIO(data))
    out = _io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    rb"\g<1>" + _FIXED_TIME.encode() + rb"\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            target.writestr(info, content)
    return out.getvalue()


def _sheet_name(name: str, used: set[str]) -> str:
    """An Excel-legal, unique sheet name (≤ 31 characters, none of ``[]:*?/\\``)."""
    base = _BAD_SHEET.sub("_", str(name))[:31] or "sheet"
    out, k = base, 2
    while out.lower() in used:
        suffix = f"_{k}"
        out, k = base[: 31 - len(suffix)] + suffix, k + 1
    used.add(out.lower())
    return out


def write_workbook(
    sheets: Mapping[str, pd.DataFrame],
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    index: bool = True,
) -> Path:
    """Write labelled frames as one ``.xlsx`` workbook, one sheet each, atomically.

    Parameters
    ----------
    sheets : mapping of str to pandas.DataFrame
        Sheet name → frame, in order. Names are made Excel-legal (≤ 31
        characters); put units in the column headers.
    path : path-like
        The workbook to create.
    overwrite : bool
        Replace an existing file instead of raising.
    index : bool
        Write each frame's index as its first columns.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    OverwriteError
        If ``path`` exists and ``overwrite`` is false.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "gdp.xlsx"
    >>> _ = write_workbook({"GDP (亿元)": pd.DataFrame({"GDP (亿元)": [2000.0]}, index=pd.Index([2025], name="year"))}, f)
    >>> float(pd.read_excel(f, sheet_name=None, index_col=0)["GDP (亿元)"].loc[2025, "GDP (亿元)"])
    2000.0
    """
    buffer = _io.BytesIO()
    used: set[str] = set()
    with _exact_numbers(), pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            sheet = _sheet_name(name, used)
            frame.to_excel(writer, sheet_name=sheet, index=index)
            ws = writer.sheets[sheet]
            ws.freeze_panes = ws.cell(row=2, column=(frame.index.nlevels + 1) if index else 1)
            for column in ws.columns:  # widths that show the headers and the numbers
                width = max((len(str(c.value)) if c.value is not None else 0) for c in column[:200])
                ws.column_dimensions[column[0].column_letter].width = min(60, max(8, width + 2))
    return atomic_write_bytes(path, _reproducible(buffer.getvalue()), overwrite=overwrite)


def write_excel(table: IOTable, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Implementation of :func:`xn_io.excel.write_excel` (documented there)."""
    blocks = table_blocks(table)
    sheets = {sheet: blocks[file] for sheet, file in TABLE_SHEETS.items() if file in blocks}
    readme = pd.DataFrame(
        {
            "contents": [
                f"table {table.name or '(unnamed)'}"
                + (f", year {table.year}" if table.year else "")
                + f"; money in {table.unit}; satellite units and the status of every figure in sheet 'metadata'",
                *(f"the file {TABLE_SHEETS[s]} of the table's CSV folder format (xn_io.io)" for s in sheets),
                "the folder's metadata.toml, one line per row in column A (read back by xn_io.read_excel)",
            ]
        },
        index=pd.Index(["table", *sheets, "metadata"], name="sheet"),
    )
    meta = pd.DataFrame({"metadata.toml": table_metadata_toml(table).splitlines()})
    buffer = _io.BytesIO()
    with _exact_numbers(), pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        readme.to_excel(writer, sheet_name="README")
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name)
        meta.to_excel(writer, sheet_name="metadata", index=False)
    return atomic_write_bytes(path, _reproducible(buffer.getvalue()), overwrite=overwrite)


def _read_sheets(file: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values, row by row, as openpyxl reads them (numbers stay float or int as stored)."""
    import openpyxl

    book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    try:
        return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def read_excel(path: str | os.PathLike, *, table_cls: type[IOTable]) -> IOTable:
    """Implementation of :func:`xn_io.excel.read_excel` (documented there); the table class is ``table_cls``."""
    file = Path(path)
    if not file.is_file():
        raise TableError(f"{file}: no such workbook")
    try:
        book = _read_sheets(file)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise TableError(f"{file}: cannot be read as an .xlsx workbook: {exc}") from None
    for required in ("Z", "Y", "V", "x", "metadata"):
        if required not in book:
            raise TableError(f"{file}: sheet {required!r} is missing (sheets: {', '.join(book)})")
    lines = ["" if row[0] is None else str(row[0]) for row in book["metadata"][1:] if row]
    try:
        meta = tomllib.loads("\n".join(lines))
    except tomllib.TOMLDecodeError as exc:
        raise TableError(f"{file}: sheet 'metadata' is not the table's metadata.toml: {exc}") from None
    meta.pop("checksums", None)  # checksums belong to CSV files; a workbook is checked by reading it

    def block(sheet: str) -> pd.DataFrame | None:
        if sheet not in book:
            return None
        # through CSV text, so every column gets the dtype the CSV reader gives it (numbers, text, integers)
        text = _io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(
            ["" if v is None else repr(v) if isinstance(v, float) else str(v) for v in row] for row in book[sheet]
        )
        frame = pd.read_csv(_io.StringIO(text.getvalue()), index_col=0, dtype={0: str})
        frame.index = frame.index.map(str)
        return frame

    blocks = {name: block(sheet) for sheet, name in TABLE_SHEETS.items()}
    if blocks["pillars.csv"] is not None:
        blocks["pillars.csv"] = blocks["pillars.csv"].reset_index()
    try:
        return table_from_blocks(blocks, meta, table_cls=table_cls, default_name=file.stem, source=str(file))
    except TableError as exc:
        raise TableError(f"{file}: {exc}") from None
