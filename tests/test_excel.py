"""Excel workbooks: tables round-trip without loss; plans and reports carry units in their headers."""

import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

import xn_io
from xn_io.errors import OverwriteError, TableError


@pytest.mark.parametrize("name", ["xianning-2025", "hubei-2007"])
def test_embedded_table_round_trip_is_exact(tmp_path, name):
    table = xn_io.load_table(name)
    path = table.to_excel(tmp_path / "t.xlsx")
    back = xn_io.IOTable.read_excel(path)
    for block in ("Z", "Y", "V", "M", "x"):  # bit for bit, not within a tolerance
        pd.testing.assert_frame_equal(
            pd.DataFrame(getattr(back, block)), pd.DataFrame(getattr(table, block)), check_exact=True
        )
    pd.testing.assert_frame_equal(back.sector_info, table.sector_info, check_exact=True)
    pd.testing.assert_frame_equal(back.pillars, table.pillars, check_exact=True)
    assert back.metadata == table.metadata and back.technologies == table.technologies
    assert (back.name, back.year, back.unit, back.rtol) == (table.name, table.year, table.unit, table.rtol)
    for key, sat in table.satellites.items():
        other = back.satellites[key]
        pd.testing.assert_series_equal(other.values, sat.values, check_exact=True)
        assert (other.unit, other.status, other.note) == (sat.unit, sat.status, sat.note)


def test_seventeen_digit_values_survive(tmp_path):
    # 0.1 + 0.2 needs 17 significant digits; "%.16g" (openpyxl's own format) would turn it into 0.3
    z = np.array([[0.1 + 0.2, 1 / 3], [2 / 7, 1e-300]])
    t = xn_io.IOTable.from_arrays(z, [np.pi, np.e], sectors=["a", "b"])
    back = xn_io.read_excel(t.to_excel(tmp_path / "t.xlsx"))
    assert back.Z.to_numpy().tolist() == z.tolist()
    assert back.Y.to_numpy().ravel().tolist() == [np.pi, np.e]  # final demand
    assert back.x.to_numpy().tolist() == t.x.to_numpy().tolist()


def test_layout_is_the_documented_one(tmp_path, mb_table):
    book = openpyxl.load_workbook(mb_table.to_excel(tmp_path / "mb.xlsx"))
    assert book.sheetnames[0] == "README" and book.sheetnames[-1] == "metadata"
    assert {"Z", "Y", "V", "x"} <= set(book.sheetnames)
    z = book["Z"]
    assert z.cell(1, 1).value == "sector" and z.cell(2, 1).value == "agriculture"
    assert z.cell(2, 2).value == 150 and z.cell(3, 3).value == 100  # Miller & Blair Table 2.3 flows


def test_never_overwrites_and_names_bad_workbooks(tmp_path, mb_table):
    path = mb_table.to_excel(tmp_path / "mb.xlsx")
    with pytest.raises(OverwriteError):
        mb_table.to_excel(path)
    mb_table.to_excel(path, overwrite=True)
    not_xlsx = tmp_path / "x.xlsx"
    not_xlsx.write_text("hello")
    with pytest.raises(TableError, match="x.xlsx"):
        xn_io.read_excel(not_xlsx)
    book = openpyxl.load_workbook(path)
    del book["V"]
    book.save(tmp_path / "noV.xlsx")
    with pytest.raises(TableError, match="sheet 'V' is missing"):
        xn_io.read_excel(tmp_path / "noV.xlsx")
    with pytest.raises(TableError, match="no such workbook"):
        xn_io.read_excel(tmp_path / "absent.xlsx")
    assert zipfile.is_zipfile(path)


def test_plan_workbook_has_units_and_status(tmp_path):
    from xn_io.optimize import Scenario, solve

    plan = solve(xn_io.load_table("xianning-2025"), Scenario())
    book = openpyxl.load_workbook(plan.to_excel(tmp_path / "plan.xlsx"))
    assert book.sheetnames[0] == "status"
    status_text = " ".join(str(c.value) for row in book["status"].iter_rows() for c in row)
    assert "model result" in status_text and "official" in status_text
    inv = book["investment"]
    headers = [c.value for c in inv[1]]
    assert headers[1:] == [f"{y} [亿元]" for y in plan.investment.columns]
    # numbers are the plan's: the sum over sectors of 2026 investment
    total = sum(row[1].value for row in inv.iter_rows(min_row=2))
    assert total == pytest.approx(float(plan.investment.iloc[:, 0].sum()), rel=1e-12)
