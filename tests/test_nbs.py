"""The NBS 42-sector workbook reader, against the published Hubei 2017 totals and identities.

Oracles: the totals printed in the workbook and quoted in the raw-data PROVENANCE (gross
output 94,458亿元; exports 2,328; outflow 5,079; imports 1,069; inflow 8,885), the two
accounting identities, and the cells of the workbook itself read by a second route (xlrd
directly, not through the reader).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io.errors import TableError, UnitError
from xn_io.nbs import nbs_trade_totals, read_nbs_workbook

SOURCES = Path(__file__).resolve().parents[1] / "tables" / "sources" / "nbs_provincial_io_2017"
HUBEI = SOURCES / "17-湖北.xls"
PROVINCES = sorted(SOURCES.glob("*.xls"))


@pytest.fixture(scope="module")
def hubei() -> xn_io.IOTable:
    return read_nbs_workbook(HUBEI)


@pytest.fixture(scope="module")
def hubei_cells() -> pd.DataFrame:
    import xlrd

    sheet = xlrd.open_workbook(str(HUBEI)).sheet_by_index(0)
    return pd.DataFrame([sheet.row_values(r) for r in range(sheet.nrows)], dtype=object)


def test_hubei_2017_published_totals(hubei):
    trade = nbs_trade_totals(hubei)
    assert hubei.n == 42 and hubei.year == 2017 and hubei.unit == "亿元"
    assert round(hubei.x.sum()) == 94_458
    assert round(trade["exports"]) == 2_328
    assert round(trade["outflow"]) == 5_079
    assert round(trade["imports"]) == 1_069
    assert round(trade["inflow"]) == 8_885
    assert list(hubei.Y.columns) == [
        "households_rural",
        "households_urban",
        "government",
        "gfcf",
        "inventories",
        "exports",
        "outflow",
        "imports",
        "inflow",
        "errors",
    ]


def test_hubei_2017_identities(hubei):
    Z, x = hubei.Z.to_numpy(), hubei.x.to_numpy()
    np.testing.assert_allclose(Z.sum(axis=1) + hubei.Y.to_numpy().sum(axis=1), x, rtol=1e-12)
    # columns close as published, to the rounding of the printed cells (under 10⁻⁶)
    np.testing.assert_allclose(Z.sum(axis=0) + hubei.V.to_numpy().sum(axis=0), x, rtol=1e-6)
    assert hubei.gdp == pytest.approx(hubei.Y.to_numpy().sum(), rel=1e-9)  # GDP by income = by expenditure
    # the rounding residual moved into `errors` is tiny: under 1 万元 per product
    assert (hubei.Y["errors"].abs() < 1e-4).all()


def test_hubei_cells_read_directly(hubei, hubei_cells):
    # second route: the cell grid read with xlrd; codes in row 8 (0-based 7) and column C
    cols = [str(v).strip() for v in hubei_cells.iloc[7]]
    rows = [str(v).strip() for v in hubei_cells.iloc[:, 2]]
    r01, r24 = rows.index("01"), rows.index("24")
    assert hubei.Z.loc["01", "06"] == pytest.approx(float(hubei_cells.iat[r01, cols.index("06")]) / 1e4, rel=1e-12)
    assert hubei.x["24"] == pytest.approx(float(hubei_cells.iat[r24, cols.index("GO")]) / 1e4, rel=1e-12)
    assert -hubei.Y.loc["24", "inflow"] == pytest.approx(float(hubei_cells.iat[r24, cols.index("IF")]) / 1e4, rel=1e-12)
    va = float(hubei_cells.iat[rows.index("VA001"), cols.index("24")]) / 1e4
    assert hubei.V.loc["compensation", "24"] == pytest.approx(va, rel=1e-12)
    assert hubei.sector_info.loc["24", "name_zh"] == "电力、热力的生产和供应"
    assert hubei.sector_info.loc["24", "name_en"] == "Electricity and heat"


@pytest.mark.parametrize("path", PROVINCES, ids=[p.stem for p in PROVINCES])
def test_every_province_reads_and_balances(path):
    t = read_nbs_workbook(path)
    assert t.n == 42 and t.year == 2017
    x = t.x.to_numpy()
    np.testing.assert_allclose(t.Z.to_numpy().sum(axis=1) + t.Y.to_numpy().sum(axis=1), x, rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(t.Z.to_numpy().sum(axis=0) + t.V.to_numpy().sum(axis=0), x, rtol=1e-6, atol=1e-4)
    # purchases from outside are stored negative, sales outside positive
    assert (t.Y[["imports", "inflow"]] <= 1e-9).all().all() and (t.Y[["exports", "outflow"]] >= -1e-9).all().all()
    assert len(t.metadata["published_totals"]) == 6


def _hubei_grid(hubei_cells: pd.DataFrame) -> pd.DataFrame:
    return hubei_cells.replace("", None)


def test_xlsx_gives_the_same_table(hubei, hubei_cells, tmp_path):
    path = tmp_path / "hubei.xlsx"
    _hubei_grid(hubei_cells).to_excel(path, header=False, index=False, sheet_name="湖北")
    t = read_nbs_workbook(path, sheet="湖北")
    pd.testing.assert_frame_equal(t.Z, hubei.Z)
    pd.testing.assert_frame_equal(t.Y, hubei.Y)


def test_a_text_cell_is_named_by_sheet_row_and_column(hubei_cells, tmp_path):
    grid = _hubei_grid(hubei_cells)
    grid.iat[8 + 3, 3 + 5] = "n/a"  # product 04, column 06 → cell I12
    path = tmp_path / "bad.xlsx"
    grid.to_excel(path, header=False, index=False, sheet_name="S1")
    with pytest.raises(TableError, match=r"sheet 'S1', cell I12 \(row 12, code 04; column 06\).*'n/a'"):
        read_nbs_workbook(path)


def test_a_wrong_published_total_is_named(hubei_cells, tmp_path):
    grid = _hubei_grid(hubei_cells)
    cols = [str(v).strip() for v in grid.iloc[7]]
    grid.iat[8 + 23, cols.index("GO")] = float(grid.iat[8 + 23, cols.index("GO")]) * 1.01  # product 24's GO
    path = tmp_path / "bad.xlsx"
    grid.to_excel(path, header=False, index=False)
    with pytest.raises(TableError, match=r"GO = TI.*product 24 电力、热力的生产和供应"):
        read_nbs_workbook(path)


def test_missing_unit_line_and_unknown_sheet(hubei_cells, tmp_path):
    grid = _hubei_grid(hubei_cells)
    grid.iat[2, 0] = None  # the 单位：万元 line
    path = tmp_path / "nounit.xlsx"
    grid.to_excel(path, header=False, index=False)
    with pytest.raises(UnitError, match="no unit line"):
        read_nbs_workbook(path)
    t = read_nbs_workbook(path, source_unit="万元", unit="万元")
    assert round(t.x.sum() / 1e4) == 94_458 and t.unit == "万元"
    with pytest.raises(TableError, match="no sheet 'Sheet9'"):
        read_nbs_workbook(path, sheet="Sheet9")


def test_a_saved_web_page_is_refused(tmp_path):
    page = tmp_path / "national.xls"
    page.write_text("Mime-Version: 1.0\nContent-Type:Multipart/related;\n\n<html><table></table></html>")
    with pytest.raises(TableError, match="saved web page"):
        read_nbs_workbook(page)


def test_no_code_row(tmp_path):
    path = tmp_path / "plain.xlsx"
    pd.DataFrame([["单位：万元", None], ["a", 1.0]]).to_excel(path, header=False, index=False)
    with pytest.raises(TableError, match="no code row"):
        read_nbs_workbook(path)
