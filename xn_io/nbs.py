"""Reading the official Chinese 42-sector IO workbooks (NBS / provincial statistical bureaus).

The provincial tables printed in 《中国地区投入产出表》 (2012, 2017) and the national
basic flow tables share one sheet layout: a row of codes above the columns (``01`` …
``42``, ``TIU``, ``FU101`` …, ``EX``, ``OF``, ``TFU``, ``IM``, ``IF``, ``ERR``, ``GO``)
and a column of codes beside the rows (``01`` … ``42``, ``TII``, ``VA001`` … ``VA004``,
``TVA``, ``TI``), in 万元 at producer prices, in competitive-import form. This module
finds those two code lines (wherever the title rows put them), checks the published
totals against the cells, and returns an :class:`~xn_io.table.IOTable` that keeps the
trade columns apart:

============================  =======================================================
``Z``                         the 42 × 42 intermediate flows, competitive (inputs from
                              other provinces and from abroad included)
``Y``                         ``households_rural``, ``households_urban``, ``government``,
                              ``gfcf``, ``inventories``, ``exports`` (出口),
                              ``outflow`` (国内省外流出), ``imports`` (进口, negative),
                              ``inflow`` (国内省外流入, negative), ``errors`` (其他)
``V``                         ``compensation``, ``net_taxes``, ``depreciation``, ``surplus``
``x``                         gross output (总产出) as published
============================  =======================================================

so ``x = Z·1 + Y·1`` and ``x = 1ᵀZ + 1ᵀV`` hold as published. A national table has no
``OF``/``IF`` columns; the columns a workbook lacks are left out of ``Y``.

Examples
--------
A small workbook in the NBS layout (two products, 万元), written and read back:

>>> import pandas as pd, tempfile, pathlib
>>> cells = [["示例2017年投入产出表", None, None, None, None, None, None, None, None, None, None, None, None, None],
...          ["单位：万元", None, None, None, None, None, None, None, None, None, None, None, None, None],
...          ["代码", None, "-", "01", "02", "TIU", "FU101", "FU201", "EX", "OF", "TFU", "IM", "IF", "GO"],
...          [None, "农产品", "01", 10, 20, 30, 50, 0, 10, 20, 80, 5, 5, 100],
...          [None, "工业品", "02", 30, 40, 70, 60, 20, 30, 40, 150, 10, 10, 200],
...          [None, "中间投入合计", "TII", 40, 60, None, None, None, None, None, None, None, None, None],
...          [None, "劳动者报酬", "VA001", 60, 140, None, None, None, None, None, None, None, None, None],
...          [None, "增加值合计", "TVA", 60, 140, None, None, None, None, None, None, None, None, None],
...          [None, "总投入", "TI", 100, 200, None, None, None, None, None, None, None, None, None]]
>>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.xlsx"
>>> pd.DataFrame(cells).to_excel(path, header=False, index=False)
>>> t = read_nbs_workbook(path)
>>> t.unit, list(t.Y.columns)
('亿元', ['households_rural', 'gfcf', 'exports', 'outflow', 'imports', 'inflow'])
>>> t.x.tolist()
[0.01, 0.02]
>>> nbs_trade_totals(t).round(4).to_dict()
{'exports': 0.004, 'outflow': 0.006, 'imports': 0.0015, 'inflow': 0.0015}

References
----------
国家统计局国民经济核算司 (NBS), 《中国地区投入产出表2017》, 中国统计出版社, 2020 (table layout
and codes). Miller, R. E. & Blair, P. D. (2022), *Input-Output Analysis*, 3rd ed., §2.2 and
§3.3 (competitive-import tables and regional trade).
"""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import TableError, UnitError
from .table import IOTable

__all__ = ["NBS_FINAL_USE", "NBS_VALUE_ADDED", "nbs_trade_totals", "read_nbs_workbook"]

NBS_FINAL_USE = {
    "FU101": "households_rural",
    "FU102": "households_urban",
    "FU103": "government",
    "FU201": "gfcf",
    "FU202": "inventories",
    "EX": "exports",
    "OF": "outflow",
    "IM": "imports",
    "IF": "inflow",
    "ERR": "errors",
}
"""Final-use codes of the NBS layout → ``Y`` column names (``IM`` and ``IF`` enter negated)."""

NBS_VALUE_ADDED = {"VA001": "compensation", "VA002": "net_taxes", "VA003": "depreciation", "VA004": "surplus"}
"""Value-added codes of the NBS layout → ``V`` row names."""

_NEGATED = ("IM", "IF")
_TRADE = {"EX": "exports", "OF": "outflow", "IM": "imports", "IF": "inflow"}
_UNITS = {"万元": 1e-4, "亿元": 1.0, "元": 1e-8}
_PRODUCT = re.compile(r"^\d{2}$")

# English names of the 42 products (2017 classification; the 2012 one differs in 22, 23 and 35-36).
_NAMES_EN = {
    "农林牧渔产品和服务": "Agriculture, forestry, animal husbandry and fishery products and services",
    "煤炭采选产品": "Coal mining products",
    "石油和天然气开采产品": "Crude petroleum and natural gas",
    "金属矿采选产品": "Metal ores",
    "非金属矿和其他矿采选产品": "Non-metallic and other ores",
    "食品和烟草": "Food and tobacco",
    "纺织品": "Textiles",
    "纺织服装鞋帽皮革羽绒及其制品": "Wearing apparel, footwear, leather, fur and down products",
    "木材加工品和家具": "Wood products and furniture",
    "造纸印刷和文教体育用品": "Paper, printing, cultural, educational and sports goods",
    "石油、炼焦产品和核燃料加工品": "Refined petroleum, coke and nuclear fuel",
    "化学产品": "Chemical products",
    "非金属矿物制品": "Non-metallic mineral products",
    "金属冶炼和压延加工品": "Smelted and rolled metals",
    "金属制品": "Metal products",
    "通用设备": "General-purpose machinery",
    "专用设备": "Special-purpose machinery",
    "交通运输设备": "Transport equipment",
    "电气机械和器材": "Electrical machinery and equipment",
    "通信设备、计算机和其他电子设备": "Communication equipment, computers and other electronic equipment",
    "仪器仪表": "Instruments and meters",
    "其他制造产品和废品废料": "Other manufactured products, scrap and waste",
    "其他制造产品": "Other manufactured products",
    "废品废料": "Scrap and waste",
    "金属制品、机械和设备修理服务": "Repair of metal products, machinery and equipment",
    "电力、热力的生产和供应": "Electricity and heat",
    "燃气生产和供应": "Gas",
    "水的生产和供应": "Water",
    "建筑": "Construction",
    "批发和零售": "Wholesale and retail trade",
    "交通运输、仓储和邮政": "Transport, storage and post",
    "住宿和餐饮": "Accommodation and catering",
    "信息传输、软件和信息技术服务": "Information transmission, software and IT services",
    "金融": "Finance",
    "房地产": "Real estate",
    "租赁和商务服务": "Leasing and business services",
    "研究和试验发展": "Research and experimental development",
    "综合技术服务": "Polytechnic services",
    "科学研究和技术服务": "Scientific research and technical services",
    "水利、环境和公共设施管理": "Water conservancy, environment and public facilities management",
    "居民服务、修理和其他服务": "Resident, repair and other services",
    "教育": "Education",
    "卫生和社会工作": "Health and social work",
    "文化、体育和娱乐": "Culture, sports and entertainment",
    "公共管理、社会保障和社会组织": "Public administration, social security and social organisations",
}


def _cell(row: int, col: int) -> str:
    """Excel reference of a 0-based (row, column) position, e.g. (8, 3) → 'D9'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", str(value))


def _read_sheet(path: Path, sheet: str | int) -> tuple[pd.DataFrame, str]:
    head = path.read_bytes()[:64]
    if head.lstrip().lower().startswith((b"mime-version", b"<!doctype", b"<html")):
        raise TableError(
            f"{path.name} is a saved web page (HTML/MHTML), not an Excel workbook; open it in a "
            "spreadsheet program and save it as .xlsx, or use the table's CSV release"
        )
    try:
        with warnings.catch_warnings():  # pandas 3 announces xlrd's removal; xlrd still reads .xls
            warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
            book = pd.ExcelFile(path)
    except ImportError as exc:
        raise TableError(
            f"reading {path.name} needs an Excel engine ({exc}); install xn_io[excel] (xlrd for .xls, openpyxl for .xlsx)"
        ) from None
    except Exception as exc:
        raise TableError(f"{path.name} is not a readable Excel workbook: {exc}") from None
    names = book.sheet_names
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise TableError(f"{path.name} has {len(names)} sheet(s) {names}; sheet index {sheet} does not exist")
        sheet_name = names[sheet]
    else:
        if sheet not in names:
            raise TableError(f"{path.name} has no sheet {sheet!r}; its sheets are {names}")
        sheet_name = sheet
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*xlrd engine is deprecated.*")
        frame = pd.read_excel(book, sheet_name=sheet_name, header=None, dtype=object, keep_default_na=False)
    return frame, str(sheet_name)


def _find_codes(cells: pd.DataFrame, where: str) -> tuple[int, int, int, int]:
    """Locate the code row and code column: return (code_row, first_col, code_col, first_row)."""
    text = cells.map(_text).to_numpy()
    nrow, ncol = text.shape
    code_row = first_col = code_col = first_row = -1
    for r in range(nrow):
        for c in range(ncol - 1):
            if text[r, c] == "01" and text[r, c + 1] == "02":
                code_row, first_col = r, c
                break
        if code_row >= 0:
            break
    for c in range(ncol):
        for r in range(nrow - 1):
            if text[r, c] == "01" and text[r + 1, c] == "02" and c < max(first_col, 1):
                code_col, first_row = c, r
                break
        if code_col >= 0:
            break
    if code_row < 0 or code_col < 0:
        what = "row" if code_row < 0 else "column"
        raise TableError(
            f"{where}: no code {what} found (the NBS layout has the product codes 01, 02, … "
            f"along a row above the columns and down a column beside the rows)"
        )
    return code_row, first_col, code_col, first_row


def _codes_along(values: list[str], start: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for k in range(start, len(values)):
        code = values[k]
        if code and code not in out:
            out[code] = k
    return out


def _detect_unit(cells: pd.DataFrame, stop_row: int, where: str) -> str:
    for r in range(stop_row):
        for value in cells.iloc[r]:
            t = _text(value)
            m = re.search(r"单位[:：]?(万元|亿元|元)", t)
            if m:
                return m.group(1)
    raise UnitError(f"{where}: no unit line (单位：万元 …) above the table; pass source_unit= to say what it is")


def read_nbs_workbook(
    path: str | os.PathLike,
    *,
    sheet: str | int = 0,
    source_unit: str | None = None,
    unit: str = "亿元",
    name: str | None = None,
    year: int | None = None,
    rtol: float = 1e-6,
) -> IOTable:
    """Read an NBS provincial or national 42-sector IO workbook into an :class:`~xn_io.table.IOTable`.

    Parameters
    ----------
    path : str or path-like
        The workbook (``.xls`` needs ``xlrd``, ``.xlsx`` needs ``openpyxl``: ``pip install xn_io[excel]``).
    sheet : str or int
        Sheet name or 0-based index (default the first sheet; the national 2012 workbook
        has the flow table first).
    source_unit : {"万元", "亿元", "元"}, optional
        Money unit of the cells; by default read from the ``单位：…`` line above the table.
    unit : {"亿元", "万元", "元"}
        Money unit of the returned table (default 亿元).
    name : str, optional
        Table name; default the file name without extension.
    year : int, optional
        Year; default the four digits before ``年`` in the title cell, if any.
    rtol : float
        Tolerance of the published totals (TIU, TII, TFU, TVA, TI, GO) against the cells,
        relative to each product's gross output (plus 10⁻⁹ of the table's total output).

    Returns
    -------
    IOTable
        Competitive-import table with the trade columns apart (see the module docstring);
        ``metadata["published_totals"]`` holds the totals of gross output, value added,
        exports, outflow, imports and inflow in ``unit``; ``sector_info`` has ``code``,
        ``name_zh`` and ``name_en``.

    Raises
    ------
    TableError
        The file is not a workbook or has no such sheet; the code row or column is
        missing; a product code is missing or repeated; a cell of the table is not a
        number (the message names the sheet, the cell, the row and the column); a
        published total disagrees with its cells.
    UnitError
        The unit line is missing or names an unknown unit.

    See Also
    --------
    nbs_trade_totals : exports, outflow, imports and inflow of such a table.
    """
    path = Path(path)
    if not path.is_file():
        raise TableError(f"no workbook at {path}")
    cells, sheet_name = _read_sheet(path, sheet)
    where = f"{path.name}, sheet {sheet_name!r}"
    code_row, first_col, code_col, first_row = _find_codes(cells, where)
    col_codes = _codes_along([_text(v) for v in cells.iloc[code_row]], first_col)
    row_codes = _codes_along([_text(v) for v in cells.iloc[:, code_col]], first_row)

    products = [c for c in row_codes if _PRODUCT.match(c)]
    col_products = [c for c in col_codes if _PRODUCT.match(c)]
    expected = [f"{i:02d}" for i in range(1, len(products) + 1)]
    if products != expected:
        raise TableError(
            f"{where}: the product codes down the code column (from cell {_cell(first_row, code_col)}) "
            f"are {products}, expected 01 … {len(products):02d} in order"
        )
    if col_products != products:
        raise TableError(
            f"{where}: the product codes along row {code_row + 1} ({len(col_products)} of them) "
            f"differ from those down the code column ({len(products)})"
        )
    for needed, codes, line in (
        ("GO", col_codes, f"row {code_row + 1}"),
        ("TI", row_codes, f"column (from cell {_cell(first_row, code_col)})"),
    ):
        if needed not in codes:
            raise TableError(f"{where}: no code {needed!r} along the code {line}; it is needed to check the table")

    src = source_unit or _detect_unit(cells, code_row, where)
    for u, what in ((src, "source_unit"), (unit, "unit")):
        if u not in _UNITS:
            raise UnitError(f"{where}: {what} {u!r} is not one of {list(_UNITS)}")
    scale = _UNITS[src] / _UNITS[unit]

    # names of the products: the last non-empty text cell left of the code column
    names_zh = []
    for code in products:
        r = row_codes[code]
        texts = [_text(cells.iat[r, c]) for c in range(code_col)]
        texts = [t for t in texts if t and not t.replace(".", "").isdigit()]
        names_zh.append(texts[-1] if texts else "")

    def number(code_r: str, code_c: str) -> float:
        r, c = row_codes[code_r], col_codes[code_c]
        value = cells.iat[r, c]
        if value is None or (isinstance(value, float) and np.isnan(value)) or _text(value) in ("", "-"):
            return 0.0
        if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
            out = float(value)
        else:
            try:
                out = float(str(value).replace(",", "").strip())
            except ValueError:
                raise TableError(
                    f"{where}, cell {_cell(r, c)} (row {r + 1}, code {code_r}; column {code_c}): "
                    f"expected a number, found {str(value)!r}"
                ) from None
        if not np.isfinite(out):
            raise TableError(f"{where}, cell {_cell(r, c)} (row {r + 1}, code {code_r}; column {code_c}): not finite")
        return out

    def block(rows: list[str], cols: list[str]) -> np.ndarray:
        return np.array([[number(r, c) for c in cols] for r in rows], dtype=float)

    fu_codes = [c for c in NBS_FINAL_USE if c in col_codes]
    va_codes = [c for c in NBS_VALUE_ADDED if c in row_codes]
    if not va_codes:
        raise TableError(f"{where}: no value-added rows (VA001 … VA004) down the code column")
    Z = block(products, products)
    F = block(products, fu_codes) if fu_codes else np.zeros((len(products), 0))
    V = block(va_codes, products)
    go = block(products, ["GO"])[:, 0]
    ti = block(["TI"], products)[0]
    fu = dict(zip(fu_codes, F.T))

    tol = rtol * np.abs(go) + 1e-9 * float(np.abs(go).sum())

    def check(what: str, got: np.ndarray, want: np.ndarray, cells_of: list[tuple[str, str]]) -> None:
        gap = np.abs(got - want)
        bad = np.flatnonzero(gap > tol)
        if bad.size:
            k = int(bad[np.argmax(gap[bad])])
            r, c = row_codes[cells_of[k][0]], col_codes[cells_of[k][1]]
            raise TableError(
                f"{where}: {what} fails for product {products[k]} {names_zh[k]} "
                f"(cell {_cell(r, c)}, row {r + 1}, column {cells_of[k][1]}): published {want[k]:,.6g}, "
                f"the cells give {got[k]:,.6g} ({src})"
            )

    check("GO = TI (gross output = total input)", ti, go, [("TI", p) for p in products])
    sign = {c: (-1.0 if c in _NEGATED else 1.0) for c in fu_codes}
    row_sum = Z.sum(axis=1) + sum((sign[c] * fu[c] for c in fu_codes), np.zeros(len(products)))
    check(
        "the row identity GO = Σ intermediate use + final use − IM − IF + ERR",
        row_sum,
        go,
        [(p, "GO") for p in products],
    )
    check(
        "the column identity TI = Σ intermediate input + value added",
        Z.sum(axis=0) + V.sum(axis=0),
        ti,
        [("TI", p) for p in products],
    )
    if "TIU" in col_codes:
        check(
            "TIU (total intermediate use)",
            Z.sum(axis=1),
            block(products, ["TIU"])[:, 0],
            [(p, "TIU") for p in products],
        )
    if "TII" in row_codes:
        check(
            "TII (total intermediate input)", Z.sum(axis=0), block(["TII"], products)[0], [("TII", p) for p in products]
        )
    if "TVA" in row_codes:
        check("TVA (total value added)", V.sum(axis=0), block(["TVA"], products)[0], [("TVA", p) for p in products])
    if "TFU" in col_codes:
        used = [c for c in fu_codes if c not in ("IM", "IF", "ERR")]
        check(
            "TFU (total final use)",
            sum((fu[c] for c in used), np.zeros(len(products))),
            block(products, ["TFU"])[:, 0],
            [(p, "TFU") for p in products],
        )

    index = pd.Index(products, name="sector")
    Zf = pd.DataFrame(Z * scale, index=index, columns=products)
    Yf = pd.DataFrame({NBS_FINAL_USE[c]: sign[c] * fu[c] * scale for c in fu_codes}, index=index)
    # the published cells close the rows only to rounding (checked above within tol): the
    # residual joins 其他 (errors), the table's own statistical discrepancy, so x stays as published
    residual = (go - row_sum) * scale
    if np.any(residual != 0):
        Yf["errors"] = Yf.get("errors", 0.0) + residual
    Vf = pd.DataFrame(V * scale, index=[NBS_VALUE_ADDED[c] for c in va_codes], columns=products)
    x = pd.Series(go * scale, index=index)
    info = pd.DataFrame(
        {"code": products, "name_zh": names_zh, "name_en": [_NAMES_EN.get(n, "") for n in names_zh]}, index=index
    )
    title = _text(cells.iat[0, 0])
    if year is None:
        m = re.search(r"((?:19|20)\d\d)年", title)
        year = int(m.group(1)) if m else None
    totals = {"gross_output": float(x.sum()), "value_added": float(Vf.to_numpy().sum())}
    for c, col in _TRADE.items():
        if c in fu:
            totals[col] = float(fu[c].sum() * scale)
    meta = {
        "description": f"{title or path.stem}: NBS 42-sector IO table, competitive imports, trade columns apart",
        "default_status": "official",
        "status": {"gdp": "official", "output": "official", "final_demand": "official", "trade": "official"},
        "source_file": path.name,
        "source_sheet": sheet_name,
        "source_title": title,
        "price_basis": "producer prices, current prices of the table year",
        "unit_note": f"converted from {src} as published to {unit}" if scale != 1 else f"{unit} as published",
        "form": (
            "competitive imports: Z includes inputs bought from other provinces and from abroad; "
            "Y keeps exports (出口) and outflow (国内省外流出) positive, imports (进口) and inflow (国内省外流入) "
            "negative, and errors (其他) as published"
        ),
        "published_totals": totals,
        "rounding_note": (
            f"the published rows close to rounding only; the residual, at most {float(np.abs(residual).max()):.3g} "
            f"{unit} per product, is added to the errors column (其他) so that x is the published gross output"
        ),
    }
    return IOTable(
        Zf, Yf, Vf, x=x, unit=unit, name=name or path.stem, year=year, sector_info=info, metadata=meta, rtol=rtol
    )


def nbs_trade_totals(table: IOTable) -> pd.Series:
    """Exports, outflow, imports and inflow of a table read by :func:`read_nbs_workbook`, as positive totals.

    Parameters
    ----------
    table : IOTable
        A table whose ``Y`` has any of the columns ``exports``, ``outflow``,
        ``imports``, ``inflow`` (imports and inflow stored negative).

    Returns
    -------
    pandas.Series
        Indexed by the trade columns present, in ``table.unit``.

    Raises
    ------
    TableError
        If ``Y`` has none of the trade columns.
    """
    cols = [c for c in _TRADE.values() if c in table.Y.columns]
    if not cols:
        raise TableError(f"table {table.name!r} has none of the trade columns {list(_TRADE.values())} in Y")
    sums = table.Y[cols].sum()
    return pd.Series({c: float(-sums[c] if c in ("imports", "inflow") else sums[c]) for c in cols}, name="trade")
