"""Table-level structural analysis (xn_io.structural): labels, units, groups, pillars.

Oracles: hand-computed numbers on Miller & Blair (2022) Table 2.3, the table's
own multipliers (a different code path), explicit re-solves of modified
tables, and the embedded Xianning table's identities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io import structural as st
from xn_io.errors import TableError

from .conftest import random_balanced


@pytest.fixture(scope="module")
def xianning():
    return xn_io.load_table("xianning-2025")


@pytest.fixture
def random_table():
    rng = np.random.default_rng(42)
    Z, Y, V, x = random_balanced(rng, 12, density=0.6)
    sectors = [f"s{k:02d}" for k in range(12)]
    co2 = rng.uniform(0.0, 5.0, 12)
    return xn_io.IOTable.from_arrays(Z, Y.sum(axis=1), x=x, sectors=sectors, satellites={"co2": (co2, "万吨")})


# --------------------------------------------------------------------------- linkages
def test_linkage_table_by_hand(mb_table):
    links = st.linkage_table(mb_table, normalized=False)
    assert list(links.index) == ["agriculture", "manufacturing"]
    np.testing.assert_allclose(links["direct_backward"], [0.35, 0.30])
    np.testing.assert_allclose(links["direct_forward"], [0.65, 0.15])
    np.testing.assert_allclose(links["total_backward"], mb_table.output_multipliers(), rtol=1e-12)
    np.testing.assert_allclose(links["total_forward"], mb_table.G.sum(axis=1), rtol=1e-12)
    assert st.linkage_table(mb_table).mean().to_numpy() == pytest.approx([1.0] * 4)


def test_key_sectors_by_hand(mb_table):
    keys = st.key_sectors(mb_table)
    # backward 1.518/1.485 > 1 and forward 1.914/1.584 > 1 for agriculture; both < 1 for manufacturing
    assert keys["class"].tolist() == ["key", "weak"]
    assert keys.loc["agriculture", "backward"] == pytest.approx(2 * 1.518152 / (1.518152 + 1.452145), rel=1e-6)
    with pytest.raises(TableError, match="kind must be 'total' or 'direct'"):
        st.key_sectors(mb_table, kind="indirect")


def test_key_sectors_of_the_embedded_table(xianning):
    keys = st.key_sectors(xianning)
    assert keys.index.equals(xianning.sectors)
    assert set(keys["class"]) <= {"key", "backward-oriented", "forward-oriented", "weak"}
    assert keys[["backward", "forward"]].mean().to_numpy() == pytest.approx([1.0, 1.0])


# --------------------------------------------------------------------------- extraction
def test_extract_every_sector_matches_groups_of_one(random_table):
    every = st.extract_sectors(random_table)
    singles = st.extract_sectors(random_table, {s: [s] for s in random_table.sectors})
    numbers = every.select_dtypes("number").columns
    np.testing.assert_allclose(every[numbers].to_numpy(), singles[numbers].to_numpy(), rtol=1e-9, atol=1e-9)
    assert every.attrs["units"] == {"output": "亿元", "value_added": "亿元", "co2": "万吨"}


def test_group_extraction_against_a_smaller_table(random_table):
    group = ["s01", "s04", "s07"]
    lost = st.extract_sectors(random_table, {"g": group}).loc["g"]
    keep = [s for s in random_table.sectors if s not in group]
    A = random_table.A.loc[keep, keep].to_numpy()
    y = random_table.final_demand.loc[keep].to_numpy()
    x_rest = np.linalg.solve(np.eye(len(keep)) - A, y)
    x = random_table.x
    assert lost["output"] == pytest.approx(x.sum() - x_rest.sum(), rel=1e-9)
    v = random_table.value_added_coefficients.loc[keep].to_numpy()
    assert lost["value_added"] == pytest.approx(random_table.gdp - v @ x_rest, rel=1e-9)
    f = random_table.intensity("co2").loc[keep].to_numpy()
    co2_total = random_table.satellite("co2").values.sum()
    assert lost["co2"] == pytest.approx(co2_total - f @ x_rest, rel=1e-9)
    assert lost["co2_share"] == pytest.approx(lost["co2"] / co2_total)


def test_extraction_effects_add_up_to_the_group_loss(random_table):
    effects = st.extraction_effects(random_table, ["s02", "s03"], mode="backward", fraction=0.5)
    lost = st.extract_sectors(random_table, {"g": ["s02", "s03"]}, mode="backward", fraction=0.5).loc["g"]
    assert effects[["output", "value_added", "co2"]].sum().to_numpy() == pytest.approx(
        lost[["output", "value_added", "co2"]].to_numpy(), rel=1e-10
    )


def test_nothing_extracted_loses_nothing(mb_table):
    lost = st.extract_sectors(mb_table, {"none": []})
    assert (lost.select_dtypes("number").to_numpy() == 0.0).all()
    assert lost.loc["none", "co2_unit"] == "万吨"


def test_pillar_extraction_on_the_embedded_table(xianning):
    lost = st.extract_sectors(xianning, "pillars")
    pillars = xianning.pillars
    assert list(lost.index) == list(dict.fromkeys(pillars["pillar"]))
    for pillar, rows in pillars.groupby("pillar"):
        # a pillar's total extraction loses at least its own output share
        own = float((rows["share"].to_numpy() * xianning.x.loc[rows["sector"]].to_numpy()).sum())
        assert lost.loc[pillar, "output"] >= own * (1 - 1e-9)
    assert (lost["output_share"] < 1).all() and (lost["output_share"] > 0).all()


def test_extraction_errors_name_the_sector(mb_table):
    with pytest.raises(TableError, match=r"group 'g' names 1 sector\(s\) not in table .* \['mining'\]"):
        st.extract_sectors(mb_table, {"g": ["mining"]})
    with pytest.raises(TableError, match="defines no pillars"):
        st.extract_sectors(mb_table, "pillars")
    with pytest.raises(TableError, match="has no satellite 'water'"):
        st.extract_sectors(mb_table, satellites=["water"])


# --------------------------------------------------------------------------- paths
def test_paths_by_hand(mb_table):
    paths = st.structural_paths(mb_table, "co2", demand="agriculture", threshold=0.0, max_depth=1, max_paths=None)
    got = dict(zip(paths["path"], paths["value"]))
    # final demand for agriculture: 350; intensities 30/1000 and 10/2000
    assert got[("agriculture",)] == pytest.approx(0.03 * 350)
    assert got[("agriculture", "manufacturing")] == pytest.approx(0.005 * 0.2 * 350)
    assert paths.attrs["total"] == pytest.approx(mb_table.satellite_multipliers("co2")["agriculture"] * 350)
    assert paths.attrs["unit"] == "万吨"
    assert list(paths.columns) == ["path", "order", "value", "share", "subtree", "unit"]
    assert (paths["unit"] == "万吨").all()
    assert (paths["order"] == paths["path"].map(len) - 1).all()


def test_paths_of_a_pillar_decompose_its_footprint(xianning):
    pillar = xianning.pillars["pillar"].iloc[0]
    paths = st.structural_paths(xianning, "co2", pillar=pillar, threshold=1e-4, max_depth=10, max_paths=None)
    rows = xianning.pillars[xianning.pillars["pillar"] == pillar]
    y = pd.Series(0.0, index=xianning.sectors)
    for sector, share in zip(rows["sector"], rows["share"]):
        y[sector] += share * xianning.final_demand[sector]
    footprint = float(xianning.satellite_multipliers("co2") @ y)
    assert paths.attrs["total"] == pytest.approx(footprint, rel=1e-10)
    assert 0.5 < paths.attrs["coverage"] <= 1.0 + 1e-12
    assert paths["share"].sum() == pytest.approx(paths.attrs["coverage"])
    assert all(p[0] in set(rows["sector"]) for p in paths["path"])


def test_paths_demand_forms_agree(mb_table):
    by_label = st.structural_paths(mb_table, demand="manufacturing", threshold=0.01)
    by_mapping = st.structural_paths(mb_table, demand={"manufacturing": 1700.0}, threshold=0.01)
    by_vector = st.structural_paths(mb_table, demand=[0.0, 1700.0], threshold=0.01)
    pd.testing.assert_frame_equal(by_label, by_mapping)
    pd.testing.assert_frame_equal(by_label, by_vector)
    with pytest.raises(TableError, match="no pillar 'tea'"):
        st.structural_paths(mb_table, pillar="tea")
    with pytest.raises(TableError, match="either demand or pillar"):
        st.structural_paths(mb_table, demand="agriculture", pillar="x")
    with pytest.raises(TableError, match=r"not in table .* \['steel'\]"):
        st.structural_paths(mb_table, demand="steel")


# --------------------------------------------------------------------------- coefficients
def test_important_coefficients_by_hand(mb_table):
    important = st.important_coefficients(mb_table, p=0.01, limit=0.1)
    assert list(zip(important["supplier"], important["buyer"])) == [
        ("agriculture", "manufacturing"),
        ("agriculture", "agriculture"),
        ("manufacturing", "agriculture"),
    ]
    # r_00 = 0.01 / (0.15 (1000 l_00/1000 + 0.01 l_00)) with l_00 = 1.254125
    assert important["tolerable_limit"].iloc[1] == pytest.approx(0.01 / (0.15 * 1.254125 * 1.01), rel=1e-5)
    assert important["tolerable_limit"].is_monotonic_increasing


def test_coefficient_influence_labels_and_exact_change(mb_table):
    field = st.coefficient_influence(mb_table, "agriculture", "manufacturing")
    L = mb_table.L.to_numpy()
    np.testing.assert_allclose(field.to_numpy(), np.outer(L[:, 0], L[1, :]))
    change = st.coefficient_influence(mb_table, "agriculture", "manufacturing", delta=0.05)
    A2 = mb_table.A.to_numpy().copy()
    A2[0, 1] += 0.05
    np.testing.assert_allclose(change.to_numpy(), np.linalg.inv(np.eye(2) - A2) - L, rtol=1e-9)
    with pytest.raises(TableError, match="buyer names 1 sector"):
        st.coefficient_influence(mb_table, "agriculture", "steel")
