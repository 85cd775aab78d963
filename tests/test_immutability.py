"""Nothing a library call returns can change the library's state (issue 17, item 1).

Each test takes what a public call hands out, tries every ordinary way of editing it
(cell assignment, writing into ``.to_numpy()``, adding columns, renaming the index,
editing dicts and nested metadata) and then checks, against numbers computed before
the attempt, that a fresh call gives exactly what it gave before.
"""

from __future__ import annotations

import contextlib
import dataclasses

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io.optimize import Scenario


def _attack_frame(frame) -> None:
    """Every in-place edit a user might make on a DataFrame or Series handed out."""
    refused = (ValueError, TypeError)  # read-only data (or a text column) may refuse instead of copying
    with contextlib.suppress(*refused):
        if isinstance(frame, pd.DataFrame):
            frame.iloc[0, 0] = 0.99
        else:
            frame.iloc[0] = 0.99
    with contextlib.suppress(*refused):
        frame.to_numpy()[...] = -7.0
    with contextlib.suppress(*refused):
        frame.values[...] = -7.0
    if isinstance(frame, pd.DataFrame):
        frame["added_by_caller"] = 1.0
        frame.columns = [f"c{k}" for k in range(frame.shape[1])]
    else:
        frame.name = "renamed_by_caller"
    frame.index = [f"r{k}" for k in range(len(frame.index))]


_BLOCKS = (
    "Z",
    "Y",
    "V",
    "M",
    "x",
    "A",
    "L",
    "B",
    "G",
    "value_added_coefficients",
    "value_added",
    "final_demand",
    "pillars",
    "sector_info",
)


@pytest.fixture
def fresh():
    """A table read from disk (not the cached one), so a failed test cannot poison the others."""
    return xn_io.read_csv_folder(xn_io.datasets.table_path("xianning-2025"))


@pytest.mark.parametrize("block", _BLOCKS)
def test_blocks_and_derived_matrices_cannot_be_edited(fresh, block):
    before = getattr(fresh, block).copy(deep=True)
    _attack_frame(getattr(fresh, block))
    after = getattr(fresh, block)
    pd.testing.assert_frame_equal(pd.DataFrame(after), pd.DataFrame(before))


def test_editing_A_of_a_loaded_table_leaves_every_later_load_unchanged():
    a00 = float(xn_io.load_table().A.iloc[0, 0])
    A = xn_io.load_table().A
    with contextlib.suppress(ValueError):
        A.iloc[0, 0] = 0.99
    with contextlib.suppress(ValueError):
        A.to_numpy()[0, 0] = 0.99
    assert float(xn_io.load_table().A.iloc[0, 0]) == a00
    # L stays the inverse of the unedited A: the linkage table mixes consistent matrices
    t = xn_io.load_table()
    np.testing.assert_allclose((np.eye(t.n) - t.A.to_numpy()) @ t.L.to_numpy(), np.eye(t.n), atol=1e-9)


def test_satellites_cannot_be_edited(fresh):
    before = {k: (s.values.copy(deep=True), s.unit) for k, s in fresh.satellites.items()}
    assert before, "the table has satellites to attack"
    sats = fresh.satellites
    for sat in sats.values():
        _attack_frame(sat.values)
        with pytest.raises(dataclasses.FrozenInstanceError):
            sat.unit = "kt"  # type: ignore[misc]
    sats.clear()
    one = fresh.satellite("co2")
    _attack_frame(one.values)
    if one.final_demand is not None:
        _attack_frame(one.final_demand)
    for key, (values, unit) in before.items():
        pd.testing.assert_series_equal(fresh.satellite(key).values, values)
        assert fresh.satellite(key).unit == unit


def test_metadata_and_technologies_are_copies(fresh):
    meta = fresh.metadata
    assert meta, "the table has metadata to attack"
    nested = next(k for k, v in meta.items() if isinstance(v, dict))
    meta[nested]["added_by_caller"] = 1
    meta["added_by_caller"] = 1
    assert "added_by_caller" not in fresh.metadata
    assert "added_by_caller" not in fresh.metadata[nested]
    techs = fresh.technologies
    for members in techs.values():
        members.append("added_by_caller")
    assert all("added_by_caller" not in m for m in fresh.technologies.values())


def test_constructor_does_not_rewrite_callers_frames():
    Z = pd.DataFrame([[150.0, 500.0], [200.0, 100.0]], index=[1, 2], columns=[1, 2])
    Y = pd.DataFrame({"households": [350.0, 1700.0]}, index=[1, 2])
    fd = pd.Series({"households": 4.0})
    co2 = pd.Series([30.0, 10.0], index=[1, 2])
    sat = xn_io.Satellite(co2, "万吨", final_demand=fd)
    Z0, Y0, co20, fd0 = Z.copy(), Y.copy(), co2.copy(), fd.copy()
    t = xn_io.IOTable(Z, Y, satellites={"co2": sat})
    assert list(t.sectors) == ["1", "2"]  # labels are strings inside the table ...
    pd.testing.assert_frame_equal(Z, Z0)  # ... but the caller's frames keep theirs
    pd.testing.assert_frame_equal(Y, Y0)
    pd.testing.assert_series_equal(co2, co20)
    pd.testing.assert_series_equal(fd, fd0)
    # and editing the caller's frames afterwards does not reach the table
    Z.iloc[0, 0] = 1e9
    co2.iloc[0] = 1e9
    assert t.Z.iloc[0, 0] == 150.0
    assert t.satellite("co2").values.iloc[0] == 30.0


def test_results_of_analyses_are_the_callers(fresh):
    m = fresh.output_multipliers()
    _attack_frame(m)
    lk = fresh.linkages()
    _attack_frame(lk)
    pd.testing.assert_series_equal(
        fresh.output_multipliers(),
        xn_io.read_csv_folder(xn_io.datasets.table_path("xianning-2025")).output_multipliers(),
    )


def test_scenario_mappings_are_frozen_and_validated():
    s = Scenario(budget={2026: 500.0})
    with pytest.raises(TypeError):
        s.budget[1999] = -5  # type: ignore[index]
    with pytest.raises(TypeError):
        s.pillar_targets["green_new_materials"] = 1.0  # type: ignore[index]
    with pytest.raises((TypeError, AttributeError)):
        s.no_new_capacity.append("x")  # type: ignore[attr-defined]
    for name in (
        "families",
        "family_scale",
        "export_growth",
        "sector_growth_max",
        "carbon_caps",
        "energy_caps",
        "labour_limit",
        "carbon_peak_allowance",
        "kw_per_output",
    ):
        with pytest.raises(TypeError):
            getattr(s, name)["x"] = 1
    assert s.budget == {2026: 500.0}
    # a caller's dict handed to the scenario stays the caller's: editing it later changes nothing
    budget = {2026: 500.0}
    s2 = Scenario(budget=budget)
    budget[2026] = -5.0
    assert s2.budget[2026] == 500.0
    # replace() and the TOML round trip still work on the frozen fields
    s3 = s.replace(budget={2027: 600.0})
    assert dict(s3.budget) == {2027: 600.0}
    assert Scenario.from_dict(tomllib_loads(s.to_toml())) == s
    import pickle

    assert pickle.loads(pickle.dumps(s)) == s


def tomllib_loads(text: str):
    import tomllib

    return tomllib.loads(text)
