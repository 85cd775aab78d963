"""CSV folders and pymrio interop: round trips and a cross-check against pymrio's own maths."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio  # in the test extra: the comparisons fail, never skip, when it is missing
import pytest

import xn_io
from xn_io import IOTable
from xn_io.errors import OverwriteError, TableError


def _rel(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_csv_round_trip_and_no_overwrite(mb_table, tmp_path):
    pillars = pd.DataFrame({"sector": ["agriculture"], "pillar": ["agrifood"], "share": [0.4]})
    t = mb_table.replace(
        pillars=pillars, technologies={"food": ["agriculture"]}, metadata={"sources": {"mb": "Table 2.3"}}
    )
    folder = t.to_csv(tmp_path / "mb")
    back = IOTable.from_csv(folder)
    assert back == t
    assert back.satellites["co2"].unit == "万吨"
    assert back.pillars.equals(t.pillars)
    assert back.technologies == {"food": ["agriculture"]}
    assert back.metadata["sources"]["mb"] == "Table 2.3"
    before = (folder / "Z.csv").read_bytes()
    with pytest.raises(OverwriteError):
        t.to_csv(folder)
    assert (folder / "Z.csv").read_bytes() == before
    # an edited file is caught by its checksum
    (folder / "x.csv").write_text("sector,x\nagriculture,1000\nmanufacturing,2000\n")
    with pytest.raises(TableError, match="checksum"):
        IOTable.from_csv(folder)
    assert xn_io.read_csv_folder(folder, verify_checksums=False).x.sum() == 3000.0


def test_read_errors_name_the_file(tmp_path):
    with pytest.raises(TableError, match="no such directory"):
        IOTable.from_csv(tmp_path / "missing")
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "metadata.toml").write_text("name = 'x'\n")
    with pytest.raises(TableError, match="Z.csv is missing"):
        IOTable.from_csv(tmp_path / "t")


@pytest.fixture(scope="module")
def pymrio_test():
    io = pymrio.load_test()
    io.calc_all()
    return io


def test_from_pymrio_matches_pymrio_blocks(pymrio_test):
    io = pymrio_test
    t = IOTable.from_pymrio(io, "reg2")
    # the technical coefficients of the domestic block are pymrio's A block
    assert _rel(t.A.to_numpy(), io.A.loc["reg2", "reg2"].to_numpy()) < 1e-9
    # output and value added are pymrio's
    assert _rel(t.x.to_numpy(), io.x.loc["reg2"].iloc[:, 0].to_numpy()) < 1e-9
    # pymrio's calc_L on the same block
    L_block = pymrio.calc_L(io.A.loc["reg2", "reg2"])
    assert _rel(t.L.to_numpy(), np.asarray(L_block)) < 1e-9
    # the emission intensity of the region is pymrio's S
    S = io.emissions.S.xs("reg2", axis=1, level=0)
    key = "emission_type1/air"
    assert _rel(t.intensity(key).to_numpy(), S.iloc[0].to_numpy()) < 1e-9


def test_to_pymrio_calc_all_agrees(mb_table):
    t = xn_io.IOTable.from_pymrio(pymrio.load_test(), "reg3")
    io = t.to_pymrio()
    io.calc_all()
    reg = io.get_regions()[0]
    assert _rel(io.A.to_numpy(), t.A.to_numpy()) < 1e-9
    assert _rel(io.L.to_numpy(), t.L.to_numpy()) < 1e-9
    for key in t.satellites:
        M = io.satellites.M.loc[key].to_numpy()
        assert _rel(M, t.satellite_multipliers(key).to_numpy()) < 1e-9
        D_cba = io.satellites.D_cba.loc[key].to_numpy()  # footprint allocated to products
        # the consumption-based total equals the footprint of all final demand (without direct F_Y)
        assert D_cba.sum() == pytest.approx(t.footprints(key)["embodied"].sum(), rel=1e-9)
    back = IOTable.from_pymrio(io, reg)
    np.testing.assert_allclose(back.Z.to_numpy(), t.Z.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(back.x.to_numpy(), t.x.to_numpy(), rtol=1e-12)
    assert back.gdp == pytest.approx(t.gdp, rel=1e-12)
