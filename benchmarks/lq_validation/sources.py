"""Readers of the official workbooks behind the location-quotient validation.

Three layouts, each read into plain arrays with its identities checked, and
every problem reported with the file, sheet, row and column (Excel notation)
where it is:

:func:`read_scottish_ixi`
    Scottish Government Supply, Use and Input-Output Tables 1998–2019
    (``IxI_wide.xlsx``, release of 26 Oct 2022): one block of 108 rows a year;
    rows ``IOC098_001…098`` are the *Scottish-produced* intermediate flows,
    then ``TDU`` (total domestic use), ``RUKImp`` and ``RoWImp`` (imports from
    the rest of the UK and of the world, by using industry), …, ``TOut``.
:func:`read_scottish_multipliers`
    The official Type I output multipliers of the same release (``Mult1_wide.xlsx``).
:func:`read_uk_iot`
    ONS "UK Input-Output Analytical Tables, 2019" (``nasu1719in.xlsx``): the
    domestic-use industry × industry table at basic prices (sheet ``IOT``,
    105 industries) and the official Type I output multipliers (sheet ``Multipliers``).
:func:`read_nbs_provincial`
    An NBS 42-sector provincial workbook of 2017 (万元, competitive imports,
    exports / outflow / imports / inflow as separate columns). A private
    loader of the few columns the validation needs.

Each reader has a frame-level twin (``parse_*``) that takes the sheet already
read with ``header=None``, so that the checks run in the test-suite on small
frames without the workbooks.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from xn_io.errors import TableError

__all__ = [
    "NBS_COLUMNS",
    "ProvincialTable",
    "RegionTable",
    "cell",
    "parse_nbs_provincial",
    "parse_scottish_ixi",
    "parse_scottish_multipliers",
    "parse_uk_iot",
    "parse_uk_multipliers",
    "read_nbs_provincial",
    "read_scottish_ixi",
    "read_scottish_multipliers",
    "read_uk_iot",
]


def _col_letter(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def cell(source: str, sheet: str, i: int, j: int) -> str:
    """Excel-style location of the 0-based cell (i, j) of a sheet read with ``header=None``.

    >>> cell("IxI_wide.xlsx", "IxI_wide", 0, 27)
    "IxI_wide.xlsx, sheet 'IxI_wide', cell AB1"
    """
    return f"{source}, sheet {sheet!r}, cell {_col_letter(j)}{i + 1}"


def _number(frame: pd.DataFrame, i: int, j: int, source: str, sheet: str, what: str, *, blank=None) -> float:
    v = frame.iat[i, j]
    if isinstance(v, str):
        s = v.strip()
        if blank is not None and s in ("", ".", ".."):
            return blank
        try:
            v = float(s)
        except ValueError:
            raise TableError(f"{cell(source, sheet, i, j)} ({what}): expected a number, got {v!r}") from None
    if v is None or (isinstance(v, float) and np.isnan(v)):
        if blank is not None:
            return blank
        raise TableError(f"{cell(source, sheet, i, j)} ({what}): expected a number, the cell is empty")
    try:
        out = float(v)
    except (TypeError, ValueError):
        raise TableError(f"{cell(source, sheet, i, j)} ({what}): expected a number, got {v!r}") from None
    if not np.isfinite(out):
        raise TableError(f"{cell(source, sheet, i, j)} ({what}): expected a finite number, got {v!r}")
    return out


def _block(frame, rows, cols, source, sheet, what) -> np.ndarray:
    out = np.empty((len(rows), len(cols)))
    for a, i in enumerate(rows):
        for b, j in enumerate(cols):
            out[a, b] = _number(frame, i, j, source, sheet, what)
    return out


def _find_column(frame: pd.DataFrame, header_row: int, name: str, source: str, sheet: str) -> int:
    hits = [j for j in range(frame.shape[1]) if str(frame.iat[header_row, j]).strip() == name]
    if len(hits) != 1:
        raise TableError(
            f"{source}, sheet {sheet!r}: row {header_row + 1} should have one column headed {name!r}, found {len(hits)}"
        )
    return hits[0]


def _check_close(got, want, *, source, sheet, where, what, atol, rtol=1e-6):
    got, want = np.asarray(got, float), np.asarray(want, float)
    gap = np.abs(got - want)
    bad = gap > atol + rtol * np.abs(want)
    if bad.any():
        k = int(np.argmax(np.where(bad, gap, -1)))
        raise TableError(
            f"{source}, sheet {sheet!r}: {what} fails at {where(k)}: {got[k]:.6g} against {want[k]:.6g} "
            f"(off by {gap[k]:.4g}; {int(bad.sum())} such entries)"
        )


# --------------------------------------------------------------------------- Scotland
@dataclass(frozen=True, eq=False)
class RegionTable:
    """An industry × industry table as arrays (£ million for the UK and Scotland).

    Attributes
    ----------
    codes, labels : list of str
        Industry codes (``IOC098_001`` …, or the ONS SIC codes) and descriptions.
    sic : list of str
        The SIC (2007) range of each industry as the source prints it.
    Z : ndarray, shape (n, n)
        Domestically produced intermediate flows (Scottish-produced for Scotland,
        UK-produced for the UK), row = supplier, column = buyer.
    output : ndarray, shape (n,)
        Gross output at basic prices by industry.
    imports : dict of str to ndarray
        Intermediate imports by buying industry: ``{"ruk": …, "row": …}`` for
        Scotland, ``{"all": …}`` for the UK.
    year : int
    """

    codes: list[str]
    labels: list[str]
    sic: list[str]
    Z: np.ndarray
    output: np.ndarray
    imports: dict
    year: int


_SCOT_SPECIAL = ("TDU", "RUKImp", "RoWImp", "TIU", "TOut")


def parse_scottish_ixi(
    frame: pd.DataFrame, *, year: int, source: str = "IxI_wide.xlsx", sheet: str = "IxI_wide"
) -> RegionTable:
    """Read one year of the Scottish domestic industry × industry table from the sheet as read.

    ``frame`` is the whole sheet read with ``header=None`` (row 0 = the
    variable names). Checked: the year's block has its industry rows in the
    order of the columns; every cell is a number; column sums of the industry
    rows equal ``TDU``; ``TDU + RUKImp + RoWImp = TIU``; ``TOut`` equals the
    row total ``TOT_USE`` of each industry (a balanced industry table).

    Raises
    ------
    TableError
        A missing column or year, an unexpected row, a non-numeric cell or a
        failed identity, with the file, sheet and cell.
    """
    head = [str(v).strip() for v in frame.iloc[0]]
    for name in ("year", "ioc098_sic", "ioc098_short_description", "TOT_USE"):
        if name not in head:
            raise TableError(f"{source}, sheet {sheet!r}: row 1 has no column {name!r}")
    codes = [h for h in head if re.fullmatch(r"IOC098_\d{3}", h)]
    if not codes:
        raise TableError(f"{source}, sheet {sheet!r}: row 1 has no industry columns IOC098_nnn")
    jyear, jsic, jdesc, jtot = (head.index(k) for k in ("year", "ioc098_sic", "ioc098_short_description", "TOT_USE"))
    jcols = [head.index(c) for c in codes]
    years = pd.to_numeric(frame.iloc[1:, jyear], errors="coerce")
    rows = [int(i) + 1 for i in np.flatnonzero(years.to_numpy() == year)]
    if not rows:
        raise TableError(f"{source}, sheet {sheet!r}: no rows for year {year} in column {_col_letter(jyear)}")
    n = len(codes)
    if len(rows) < n + len(_SCOT_SPECIAL):
        raise TableError(f"{source}, sheet {sheet!r}: year {year} has {len(rows)} rows, expected at least {n + 5}")
    ind_rows = rows[:n]
    sic = [str(frame.iat[i, jsic]).strip() for i in ind_rows]
    labels = [str(frame.iat[i, jdesc]).strip() for i in ind_rows]
    special = {}
    for i in rows[n:]:
        key = str(frame.iat[i, jsic]).strip()
        if key in _SCOT_SPECIAL:
            special[key] = i
        if key.startswith(("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")) and key not in sic:
            raise TableError(
                f"{cell(source, sheet, i, jsic)}: industry row {key!r} after the {n} industry rows of {year}"
            )
    for key in _SCOT_SPECIAL:
        if key not in special:
            raise TableError(f"{source}, sheet {sheet!r}: year {year} has no row {key!r} in column {_col_letter(jsic)}")
    Z = _block(frame, ind_rows, jcols, source, sheet, "Scottish-produced flow")
    line = {k: _block(frame, [i], jcols, source, sheet, k)[0] for k, i in special.items()}
    total_use = _block(frame, ind_rows, [jtot], source, sheet, "TOT_USE")[:, 0]

    def at_col(row_key):
        return lambda k: cell(source, sheet, special[row_key], jcols[k]) + f" ({codes[k]})"

    _check_close(
        Z.sum(axis=0),
        line["TDU"],
        source=source,
        sheet=sheet,
        where=at_col("TDU"),
        what="column sum of the industry rows = TDU",
        atol=1e-3,
    )
    _check_close(
        line["TDU"] + line["RUKImp"] + line["RoWImp"],
        line["TIU"],
        source=source,
        sheet=sheet,
        where=at_col("TIU"),
        what="TDU + RUKImp + RoWImp = TIU",
        atol=1e-3,
    )
    _check_close(
        total_use,
        line["TOut"],
        source=source,
        sheet=sheet,
        where=lambda k: cell(source, sheet, ind_rows[k], jtot) + f" ({codes[k]})",
        what="row total TOT_USE = column total TOut",
        atol=0.05,
        rtol=1e-5,
    )
    return RegionTable(
        codes=codes,
        labels=labels,
        sic=sic,
        Z=Z,
        output=line["TOut"],
        imports={"ruk": line["RUKImp"], "row": line["RoWImp"]},
        year=year,
    )


def _read_sheet(path: Path, sheet: str | int = 0) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object)


def read_scottish_ixi(path: str | Path, *, year: int = 2019) -> RegionTable:
    """Read ``IxI_wide.xlsx`` (first sheet) for one year; see :func:`parse_scottish_ixi`."""
    path = Path(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = pd.ExcelFile(path)
    sheet = book.sheet_names[0]
    return parse_scottish_ixi(_read_sheet(path, sheet), year=year, source=path.name, sheet=sheet)


def parse_scottish_multipliers(
    frame: pd.DataFrame, *, year: int, codes: list[str], source: str = "Mult1_wide.xlsx", sheet: str = "Mult1_wide"
) -> np.ndarray:
    """The official Type I output multipliers (column ``Output_M``) of one year, in the order of ``codes``.

    The workbook lists industries by SIC range, in the order of the IxI table's
    columns; ``codes`` (``IOC098_001`` …) only fixes the expected count.
    """
    head = [str(v).strip() for v in frame.iloc[0]]
    for name in ("year", "Output_M"):
        if name not in head:
            raise TableError(f"{source}, sheet {sheet!r}: row 1 has no column {name!r}")
    jyear, jm = head.index("year"), head.index("Output_M")
    years = pd.to_numeric(frame.iloc[1:, jyear], errors="coerce")
    rows = [int(i) + 1 for i in np.flatnonzero(years.to_numpy() == year)]
    if len(rows) != len(codes):
        raise TableError(
            f"{source}, sheet {sheet!r}: year {year} has {len(rows)} rows, expected {len(codes)} industries"
        )
    return np.array([_number(frame, i, jm, source, sheet, "Output_M") for i in rows])


def read_scottish_multipliers(path: str | Path, *, year: int, codes: list[str]) -> np.ndarray:
    """Read ``Mult1_wide.xlsx``; see :func:`parse_scottish_multipliers`."""
    path = Path(path)
    return parse_scottish_multipliers(
        _read_sheet(path, 0), year=year, codes=codes, source=path.name, sheet="Mult1_wide"
    )


# --------------------------------------------------------------------------- UK
def _uk_rows(frame, source, sheet, first_code="A01", last_code="T97") -> list[int]:
    col0 = [str(v).strip() for v in frame.iloc[:, 0]]
    try:
        a, b = col0.index(first_code), col0.index(last_code)
    except ValueError:
        raise TableError(
            f"{source}, sheet {sheet!r}: column A should list the industries {first_code} … {last_code}"
        ) from None
    return list(range(a, b + 1))


def parse_uk_iot(
    frame: pd.DataFrame, *, source: str = "nasu1719in.xlsx", sheet: str = "IOT", year: int = 2019
) -> RegionTable:
    """Read the ONS domestic-use industry × industry table from sheet ``IOT`` as read with ``header=None``.

    The industry codes are in column A (rows) and in the row whose column B
    reads ``SIC`` (columns); they must agree in order. Rows found by their
    label: ``Use of imported products, cif`` and code ``P1`` (output). Checked:
    the column sums of the flows equal the ``_T`` row, the row sums plus
    final use (without the subtotal ``P3 S1``) equal ``TU`` and ``TU`` equals
    ``P1``, to the published rounding (£1 million).
    """
    rows = _uk_rows(frame, source, sheet)
    codes = [str(frame.iat[i, 0]).strip() for i in rows]
    labels = [str(frame.iat[i, 1]).strip() for i in rows]
    hdr = [i for i in range(min(rows)) if str(frame.iat[i, 1]).strip() == "SIC"]
    if not hdr:
        raise TableError(f"{source}, sheet {sheet!r}: no header row with 'SIC' in column B above row {min(rows) + 1}")
    h = hdr[0]
    head = [str(v).strip() for v in frame.iloc[h]]
    cols = list(range(2, 2 + len(codes)))
    if head[2 : 2 + len(codes)] != codes:
        k = next(k for k, (a, b) in enumerate(zip(head[2:], codes)) if a != b) if len(head) > 2 else 0
        raise TableError(
            f"{cell(source, sheet, h, 2 + k)}: column code {head[2 + k]!r} where the rows have {codes[k]!r}"
        )
    jT, jTU = _find_column(frame, h, "_T", source, sheet), _find_column(frame, h, "TU", source, sheet)
    col0 = [str(v).strip() for v in frame.iloc[:, 0]]
    col1 = [str(v).strip() for v in frame.iloc[:, 1]]
    try:
        iT = col0.index("_T")
        iP1 = col0.index("P1")
        iM = col1.index("Use of imported products, cif")
    except ValueError as exc:
        raise TableError(f"{source}, sheet {sheet!r}: a row is missing below the industries ({exc})") from None
    Z = _block(frame, rows, cols, source, sheet, "domestic flow")
    total_int = _block(frame, [iT], cols, source, sheet, "total intermediate use")[0]
    output = _block(frame, [iP1], cols, source, sheet, "output P1")[0]
    imports = _block(frame, [iM], cols, source, sheet, "imported products")[0]
    fd_cols = [j for j in range(jT + 1, jTU) if head[j] != "P3 S1"]  # P3 S1 = S13 + S14 + S15, a subtotal
    fd = _block(frame, rows, fd_cols, source, sheet, "final use")
    tu = _block(frame, rows, [jTU], source, sheet, "total use")[:, 0]
    _check_close(
        Z.sum(axis=0),
        total_int,
        source=source,
        sheet=sheet,
        atol=1.0,
        where=lambda k: cell(source, sheet, iT, cols[k]) + f" ({codes[k]})",
        what="column sum of the flows = _T",
    )
    _check_close(
        Z.sum(axis=1) + fd.sum(axis=1),
        tu,
        source=source,
        sheet=sheet,
        atol=1.0,
        where=lambda k: cell(source, sheet, rows[k], jTU) + f" ({codes[k]})",
        what="row sum + final use = TU",
    )
    _check_close(
        tu,
        output,
        source=source,
        sheet=sheet,
        atol=1.0,
        where=lambda k: cell(source, sheet, iP1, cols[k]) + f" ({codes[k]})",
        what="total use of an industry's output = its output P1",
    )
    return RegionTable(codes=codes, labels=labels, sic=codes, Z=Z, output=output, imports={"all": imports}, year=year)


def parse_uk_multipliers(
    frame: pd.DataFrame, *, codes: list[str], source: str = "nasu1719in.xlsx", sheet: str = "Multipliers"
) -> np.ndarray:
    """The official Type I output multipliers (column headed ``P1`` / ``Output``); NaN where ONS prints '.'."""
    rows = _uk_rows(frame, source, sheet)
    got = [str(frame.iat[i, 0]).strip() for i in rows]
    if got != codes:
        k = next((k for k, (a, b) in enumerate(zip(got, codes)) if a != b), min(len(got), len(codes)))
        raise TableError(
            f"{source}, sheet {sheet!r}: industry {k + 1} is {got[k] if k < len(got) else None!r}, "
            f"the IOT sheet has {codes[k] if k < len(codes) else None!r}"
        )
    hdr = [i for i in range(min(rows)) if "P1" in [str(v).strip() for v in frame.iloc[i]]]
    if not hdr:
        raise TableError(f"{source}, sheet {sheet!r}: no header row with the code 'P1' (output)")
    j = _find_column(frame, hdr[0], "P1", source, sheet)
    return np.array([_number(frame, i, j, source, sheet, "output multiplier", blank=np.nan) for i in rows])


def read_uk_iot(path: str | Path) -> tuple[RegionTable, np.ndarray]:
    """Read ``nasu1719in.xlsx``: the domestic-use table and the official Type I output multipliers."""
    path = Path(path)
    uk = parse_uk_iot(_read_sheet(path, "IOT"), source=path.name)
    mult = parse_uk_multipliers(_read_sheet(path, "Multipliers"), codes=uk.codes, source=path.name)
    return uk, mult


# --------------------------------------------------------------------------- NBS provincial (2017, 42 sectors)
NBS_COLUMNS = ("TIU", "TC", "GCF", "EX", "OF", "TFU", "IM", "IF", "ERR", "GO")


@dataclass(frozen=True, eq=False)
class ProvincialTable:
    """A provincial 42-sector table as arrays (万元).

    Attributes
    ----------
    codes : list of str
        ``"01"`` … ``"42"``.
    Z : ndarray, shape (42, 42)
        Intermediate flows, competitive imports (inputs from abroad and from
        other provinces included).
    columns : pandas.DataFrame
        By product (index ``codes``): ``TIU`` intermediate use, ``TC`` final
        consumption, ``GCF`` gross capital formation, ``EX`` exports, ``OF``
        outflow to other provinces, ``TFU`` total final use, ``IM`` imports,
        ``IF`` inflow from other provinces, ``ERR`` other, ``GO`` gross output.
    """

    codes: list[str]
    Z: np.ndarray
    columns: pd.DataFrame


def parse_nbs_provincial(frame: pd.DataFrame, *, source: str, sheet: str = "Sheet1") -> ProvincialTable:
    """Read a 2017 NBS provincial 42-sector sheet read with ``header=None``.

    The code row is the row whose column A reads ``代码``; product rows carry
    the codes ``01`` … ``42`` in column C. Checked: every cell is a number;
    ``GO = TIU + TFU − IM − IF + ERR`` per product (to 1 万元 + 1e-6 relative);
    ``TIU`` is the row sum of the flows.
    """
    colA = [str(v).strip() for v in frame.iloc[:, 0]]
    if "代码" not in colA:
        raise TableError(f"{source}, sheet {sheet!r}: no code row (column A reading '代码')")
    h = colA.index("代码")
    head = [str(v).strip() for v in frame.iloc[h]]
    codes = [f"{k:02d}" for k in range(1, 43)]
    colC = [str(v).strip() for v in frame.iloc[:, 2]]
    missing = [c for c in codes if c not in colC]
    if missing:
        raise TableError(
            f"{source}, sheet {sheet!r}: column C has no product row {missing[0]!r} ({len(missing)} missing)"
        )
    rows = [colC.index(c) for c in codes]
    for c in codes:
        if c not in head:
            raise TableError(f"{source}, sheet {sheet!r}: row {h + 1} has no column {c!r}")
    cols = [head.index(c) for c in codes]
    Z = _block(frame, rows, cols, source, sheet, "intermediate flow")
    data = {}
    for name in NBS_COLUMNS:
        j = _find_column(frame, h, name, source, sheet)
        data[name] = _block(frame, rows, [j], source, sheet, name)[:, 0]
    out = pd.DataFrame(data, index=pd.Index(codes, name="code"))
    jGO = head.index("GO")
    _check_close(
        out["TIU"] + out["TFU"] - out["IM"] - out["IF"] + out["ERR"],
        out["GO"],
        source=source,
        sheet=sheet,
        atol=1.0,
        where=lambda k: cell(source, sheet, rows[k], jGO) + f" (product {codes[k]})",
        what="GO = TIU + TFU − IM − IF + ERR",
    )
    _check_close(
        Z.sum(axis=1),
        out["TIU"],
        source=source,
        sheet=sheet,
        atol=1.0,
        where=lambda k: cell(source, sheet, rows[k], head.index("TIU")) + f" (product {codes[k]})",
        what="row sum of the flows = TIU",
    )
    return ProvincialTable(codes=codes, Z=Z, columns=out)


def read_nbs_provincial(path: str | Path) -> ProvincialTable:
    """Read a 2017 provincial workbook (first sheet); see :func:`parse_nbs_provincial`."""
    path = Path(path)
    return parse_nbs_provincial(_read_sheet(path, 0), source=path.name)
