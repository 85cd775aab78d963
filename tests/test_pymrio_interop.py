"""pymrio interop: lossless round trips, pymrio's own test system, and the cases of pymrio's test_math.py.

The numbers of ``SMALL_MRIO`` and ``MILLER`` are transcribed from pymrio's
``tests/test_math.py`` (IndEcol/pymrio, fixtures ``td_small_MRIO`` and
``td_IO_Data_Miller``; pymrio is GPL-3 software by Konstantin Stadler and
contributors, the figures are test data: a 2-region × 3-sector MRIO and Miller &
Blair's Table 2.3). Here they go through the interop (a pymrio ``IOSystem`` read
by :func:`xn_io.from_pymrio` or ``IOTable(io.Z, io.Y, x=io.x)``) and xn_io's own
maths must reproduce pymrio's published results.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio  # in the test extra: missing means failing, not skipping
import pytest

import xn_io
from xn_io import IOTable, Satellite
from xn_io.errors import TableError

_SECTORS = ["sector1", "sector2", "sector3"]
_REGIONS = ["reg1", "reg2"]
_IDX = pd.MultiIndex.from_product([_REGIONS, _SECTORS], names=["region", "sector"])
_YIDX = pd.MultiIndex.from_product([_REGIONS, ["final demand"]], names=["region", "category"])
_EXT = pd.Index(["ext_type_1", "ext_type_2"], name="stressor")

# --- td_small_MRIO (pymrio tests/test_math.py) ------------------------------------------------
SMALL_Z = [
    [10, 5, 1, 6, 5, 7],
    [0, 2, 0, 0, 5, 3],
    [10, 3, 20, 4, 2, 0],
    [5, 0, 0, 1, 10, 9],
    [0, 10, 1, 0, 20, 1],
    [5, 0, 0, 1, 10, 10],
]
SMALL_Y = [[14, 3], [2.5, 2.5], [13, 6], [5, 20], [10, 10], [3, 10]]
SMALL_F = [[20, 1, 42, 4, 20, 5], [5, 4, 11, 8, 2, 10]]
SMALL_F_Y = [[50, 10], [100, 20]]
SMALL_X = [51, 15, 58, 50, 52, 39]
SMALL_S_Y = [[1.0526315789473684, 0.1941747572815534], [2.1052631578947367, 0.3883495145631068]]
SMALL_A = [
    [0.19607843137254902, 0.3333333333333333, 0.017241379310344827, 0.12, 0.09615384615384616, 0.1794871794871795],
    [0.0, 0.13333333333333333, 0.0, 0.0, 0.09615384615384616, 0.07692307692307693],
    [0.19607843137254902, 0.2, 0.3448275862068966, 0.08, 0.038461538461538464, 0.0],
    [0.09803921568627451, 0.0, 0.0, 0.02, 0.19230769230769232, 0.23076923076923075],
    [0.0, 0.6666666666666666, 0.017241379310344827, 0.0, 0.38461538461538464, 0.02564102564102564],
    [0.09803921568627451, 0.0, 0.0, 0.02, 0.19230769230769232, 0.2564102564102564],
]
SMALL_B = [
    [0.19607843, 0.09803922, 0.01960784, 0.11764706, 0.09803922, 0.1372549],
    [0.0, 0.13333333, 0.0, 0.0, 0.33333333, 0.2],
    [0.17241379, 0.05172414, 0.34482759, 0.06896552, 0.03448276, 0.0],
    [0.1, 0.0, 0.0, 0.02, 0.2, 0.18],
    [0.0, 0.19230769, 0.01923077, 0.0, 0.38461538, 0.01923077],
    [0.12820513, 0.0, 0.0, 0.02564103, 0.25641026, 0.25641026],
]
SMALL_L = [
    [
        1.3387146304736708,
        0.9689762471208287,
        0.05036622549592462,
        0.17820960407435948,
        0.5752019383714646,
        0.4985179148178926,
    ],
    [
        0.02200779585580331,
        1.3716472861392823,
        0.0076800357678581885,
        0.006557415453762468,
        0.2698335633228079,
        0.15854643902810828,
    ],
    [
        0.43290422861412026,
        0.8627066565439678,
        1.5492942759220427,
        0.18491657196329184,
        0.44027825642348534,
        0.26630955082840885,
    ],
    [
        0.18799498787612925,
        0.5244084722329316,
        0.020254008037620782,
        1.0542007368783255,
        0.5816573175534603,
        0.44685014763069275,
    ],
    [
        0.04400982046095892,
        1.5325472495862535,
        0.05259311578831879,
        0.014602513642445088,
        1.9545285794951548,
        0.2410917825607805,
    ],
    [
        0.19294222439918532,
        0.5382086951864299,
        0.020787008249137116,
        0.05562707205933412,
        0.596964089068025,
        1.4849251515157111,
    ],
]
SMALL_G = [
    [1.33871463, 0.28499301, 0.05727924, 0.1747153, 0.58648041, 0.38121958],
    [0.07482651, 1.37164729, 0.02969614, 0.02185805, 0.93542302, 0.41222074],
    [0.38065717, 0.22311379, 1.54929428, 0.15941084, 0.39473223, 0.17907022],
    [0.19175489, 0.15732254, 0.02349465, 1.05420074, 0.60492361, 0.34854312],
    [0.04316348, 0.44208094, 0.05866155, 0.01404088, 1.95452858, 0.18081884],
    [0.25230906, 0.20700334, 0.03091401, 0.07131676, 0.79595212, 1.48492515],
]
SMALL_S = [
    [0.39215686274509803, 0.06666666666666667, 0.7241379310344828, 0.08, 0.38461538461538464, 0.1282051282051282],
    [0.09803921568627451, 0.26666666666666666, 0.1896551724137931, 0.16, 0.038461538461538464, 0.2564102564102564],
]
SMALL_M = [
    [
        0.896638324101429,
        1.7965474933011258,
        1.1666796580507097,
        0.3013124703668342,
        1.4371886818255364,
        0.7177624711634629,
    ],
    [
        0.3004620527704837,
        0.9052387706892087,
        0.311411003349379,
        0.23778766312079253,
        0.5331560745059157,
        0.6031791628984159,
    ],
]
# consumption-based accounts, by (consuming region, product sector)
SMALL_D_CBA = [
    [
        14.059498889254174,
        18.863255551508175,
        17.32012296814962,
        8.71616437964097,
        18.863255551508175,
        14.17770265993889,
    ],
    [5.395407054390734, 7.594657671782178, 5.857880532237175, 5.657139420727301, 7.594657671782178, 7.900257649080434],
]

# --- td_IO_Data_Miller (Miller & Blair, Table 2.3 and the example after it) -----------------------
MILLER_L = [[1.25412541, 0.330033], [0.2640264, 1.12211221]]
MILLER_LABOUR_COEFF = [0.3, 0.25]
MILLER_XNEW = [1247.5, 1841.6]  # x for final demand (600, 1500)
MILLER_LABOUR_TOTAL = [374.25, 460.4]


@pytest.fixture(scope="module")
def small_mrio():
    """pymrio's small test MRIO as an IOSystem, as a pymrio user would hold it."""
    io = pymrio.IOSystem(
        Z=pd.DataFrame(SMALL_Z, index=_IDX, columns=_IDX, dtype=float),
        Y=pd.DataFrame(SMALL_Y, index=_IDX, columns=_YIDX, dtype=float),
        unit=pd.DataFrame({"unit": ["EUR"] * 6}, index=_IDX),
        name="small_mrio",
        ext=dict(
            name="ext",
            F=pd.DataFrame(SMALL_F, index=_EXT, columns=_IDX, dtype=float),
            F_Y=pd.DataFrame(SMALL_F_Y, index=_EXT, columns=_YIDX, dtype=float),
            unit=pd.DataFrame({"unit": ["kg", "kg"]}, index=_EXT),
        ),
    )
    io.calc_system()
    return io


def test_whole_mrio_through_IOTable_reproduces_pymrio_test_math(small_mrio):
    io = small_mrio
    t = IOTable(io.Z, io.Y, x=io.x)  # pymrio's x (a one-column frame) accepted as it is
    assert list(t.sectors) == list(_IDX)  # (region, sector) labels kept as tuples
    assert t.sectors[0] == ("reg1", "sector1")
    np.testing.assert_allclose(t.x.to_numpy(), SMALL_X, rtol=1e-12)
    np.testing.assert_allclose(t.A.to_numpy(), SMALL_A, rtol=1e-12)
    np.testing.assert_allclose(t.L.to_numpy(), SMALL_L, rtol=1e-12)
    np.testing.assert_allclose(t.B.to_numpy(), SMALL_B, atol=5e-9)  # published to 8 decimals
    np.testing.assert_allclose(t.G.to_numpy(), SMALL_G, atol=5e-9)


def test_satellites_of_the_small_mrio_reproduce_S_M_and_the_accounts(small_mrio):
    io = small_mrio
    sats = {name: Satellite(io.ext.F.loc[name], str(io.ext.unit.loc[name, "unit"])) for name in io.ext.F.index}
    t = IOTable(io.Z, io.Y, x=io.x, satellites=sats, unit="EUR")
    for k, name in enumerate(_EXT):
        np.testing.assert_allclose(t.intensity(name).to_numpy(), SMALL_S[k], rtol=1e-12)  # S = F x̂⁻¹
        np.testing.assert_allclose(t.satellite_multipliers(name).to_numpy(), SMALL_M[k], rtol=1e-12)  # M = S L
    # consumption-based accounts: M times each region's final demand, summed by consuming region
    Yr = np.array(SMALL_Y, float)
    for k in range(2):
        for r in range(len(_REGIONS)):
            cba = t.satellite_multipliers(_EXT[k]).to_numpy() @ Yr[:, r]
            assert cba == pytest.approx(sum(SMALL_D_CBA[k][3 * r : 3 * r + 3]), rel=1e-12)
    # S_Y = F_Y ÷ total final demand of each category
    np.testing.assert_allclose(np.array(SMALL_F_Y) / Yr.sum(axis=0), SMALL_S_Y, rtol=1e-12)


def test_one_region_of_the_small_mrio(small_mrio):
    t = xn_io.from_pymrio(small_mrio, "reg2", status="illustrative")
    assert t.name == "small_mrio:reg2"
    # domestic block of A, imports row = purchases from reg1, exports = sales to reg1
    A = np.array(SMALL_A)
    np.testing.assert_allclose(t.A.to_numpy(), A[3:, 3:], rtol=1e-12)
    np.testing.assert_allclose(t.M.loc["imports"].to_numpy(), np.array(SMALL_Z)[:3, 3:].sum(axis=0), rtol=1e-12)
    Z, Y = np.array(SMALL_Z), np.array(SMALL_Y)
    np.testing.assert_allclose(t.Y["exports"].to_numpy(), Z[3:, :3].sum(axis=1) + Y[3:, 0], rtol=1e-12)
    assert sorted(t.satellites) == ["ext_type_1", "ext_type_2"]
    sat = t.satellite("ext_type_1")
    assert (sat.unit, sat.status) == ("kg", "illustrative")
    np.testing.assert_allclose(sat.values.to_numpy(), SMALL_F[0][3:])
    assert sat.final_demand["final demand"] == 10.0  # F_Y of reg2


def test_miller_blair_labour_example_through_the_interop():
    """td_IO_Data_Miller: L of Table 2.3, and labour for the new final demand (600, 1500)."""
    idx = pd.MultiIndex.from_product([["r"], ["sec1", "sec2"]], names=["region", "sector"])
    io = pymrio.IOSystem(
        Z=pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=idx, columns=idx),
        Y=pd.DataFrame([[350.0], [1700.0]], index=idx, columns=pd.MultiIndex.from_tuples([("r", "fi")])),
        name="miller",
        labour=dict(
            name="labour",
            F=pd.DataFrame([np.array(MILLER_LABOUR_COEFF) * [1000.0, 2000.0]], index=["total labor"], columns=idx),
            unit=pd.DataFrame({"unit": ["workers"]}, index=["total labor"]),
        ),
    )
    t = xn_io.from_pymrio(io, status="illustrative")
    assert t.name == "miller" and list(t.Y.columns) == ["fi"]  # one region: no exports column, no suffix
    np.testing.assert_allclose(t.L.to_numpy(), MILLER_L, rtol=1e-6)
    effect = t.impact({"sec1": 600.0, "sec2": 1500.0})
    np.testing.assert_allclose(effect["output"].to_numpy(), MILLER_XNEW, rtol=5e-5)  # published to 0.1
    np.testing.assert_allclose(effect["total labor"].to_numpy(), MILLER_LABOUR_TOTAL, rtol=5e-5)


def _mb_with_satellites():
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=["agri", "manu"], columns=["agri", "manu"])
    Y = pd.DataFrame({"households": [300.0, 1500.0], "government": [50.0, 200.0]}, index=Z.index)
    V = pd.DataFrame([[500.0, 1200.0], [150.0, 200.0]], index=["wages", "surplus"], columns=Z.index)
    sats = {
        "co2": Satellite(
            pd.Series([30.0, 10.0], index=Z.index), "kt", pd.Series({"households": 4.0}), "official", "inventory"
        ),
        "water": Satellite(pd.Series([5.0, 1.0], index=Z.index), "Mm3", None, "estimate", "survey"),
    }
    return IOTable(Z, Y, V, satellites=sats, unit="USD million", name="mb")


def test_round_trip_is_lossless_and_repeatable():
    t = _mb_with_satellites()
    back = t
    for _ in range(3):
        back = xn_io.from_pymrio(xn_io.to_pymrio(back))
    assert back.isclose(t, rtol=1e-12)
    assert back.name == t.name  # not "mb:mb:mb"
    assert back.unit == "USD million"
    assert list(back.Y.columns) == ["households", "government"]  # no added exports column
    assert list(back.V.index) == ["wages", "surplus"] and len(back.M) == 0
    assert sorted(back.satellites) == ["co2", "water"]  # no "satellites:" prefix
    for key, sat in t.satellites.items():
        other = back.satellite(key)
        assert (other.unit, other.status, other.note) == (sat.unit, sat.status, sat.note)
        pd.testing.assert_series_equal(other.values, sat.values, check_names=False)
    assert back.satellite("co2").final_demand["households"] == 4.0
    assert back.satellite("water").final_demand is None


def test_pymrio_test_system_round_trips_by_region_and_as_a_whole():
    io = pymrio.load_test()
    io.calc_all()
    t = xn_io.from_pymrio(io, "reg3", status="illustrative")
    assert t.satellite("emission_type1/air").status == "illustrative"
    again = xn_io.from_pymrio(t.to_pymrio())
    assert again.isclose(t, rtol=1e-12) and again.name == t.name
    assert list(again.Y.columns) == list(t.Y.columns)
    # the whole MRIO as one table: pymrio's A and L, labels kept as (region, sector)
    whole = IOTable(io.Z, io.Y, x=io.x)
    np.testing.assert_allclose(whole.A.to_numpy(), io.A.to_numpy(), rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(whole.L.to_numpy(), io.L.to_numpy(), rtol=1e-8)
    assert whole.sectors[0] == ("reg1", "food")
    io2 = whole.to_pymrio()
    assert list(io2.get_regions()) == list(io.get_regions())
    io2.calc_all()
    np.testing.assert_allclose(io2.L.to_numpy(), io.L.to_numpy(), rtol=1e-8)


def test_multi_region_system_needs_a_region():
    with pytest.raises(TableError, match="name one of"):
        xn_io.from_pymrio(pymrio.load_test())


def test_from_arrays_keeps_categories_and_takes_several_stressors():
    t = IOTable.from_arrays(
        [[150, 500], [200, 100]],
        [[300, 50], [1500, 200]],
        sectors=["a", "b"],
        categories=["hh", "gov"],
        satellites={"air": (pd.DataFrame([[30, 10], [1, 2]], index=["co2", "ch4"]), ["kt", "t"])},
    )
    assert list(t.Y.columns) == ["hh", "gov"]
    assert (t.satellite("co2").unit, t.satellite("ch4").unit) == ("kt", "t")
    assert t.satellite("ch4").values.tolist() == [1.0, 2.0]
    with pytest.raises(TableError, match="2 units for 1 stressors|1 units for 2 stressors"):
        IOTable.from_arrays([[1.0]], [1.0], satellites={"a": (pd.DataFrame([[1.0], [2.0]]), ["kt"])})
