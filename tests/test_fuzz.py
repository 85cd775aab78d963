"""Fuzz tests: hostile input gives a valid result or an XnIOError naming the field — nothing else.

Hypothesis throws generated arrays at :meth:`IOTable.from_arrays`, corrupted
files at the CSV folder reader, generated tables of fields at
:meth:`Scenario.from_dict` / :meth:`Scenario.from_toml`, and generated values
at the ``xn-io`` arguments. Every case must end in a valid result (with finite
numbers) or an :class:`~xn_io.errors.XnIOError` whose one-line message names
the field, file or argument; never another exception, never NaN. The example
counts are bounded so the whole module runs in a few seconds.
"""

from __future__ import annotations

import contextlib
import io
import math
import warnings

import numpy as np
import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import xn_io
import xn_io.cli
from xn_io.errors import IllConditionedWarning, ScenarioError, XnIOError
from xn_io.optimize import Scenario
from xn_io.optimize.scenario import _SECTIONS

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

numbers = hs.one_of(
    hs.floats(allow_nan=True, allow_infinity=True, width=64),
    hs.integers(min_value=-(10**6), max_value=10**6),
    hs.sampled_from([0.0, 1.0, -1.0, 1e300, -1e-300, 0.5]),
)
entries = hs.one_of(numbers, numbers, numbers, hs.text(max_size=3), hs.booleans(), hs.complex_numbers(max_magnitude=10))


# ----------------------------------------------------------------------------- from_arrays
@FUZZ
@given(n=hs.integers(1, 4), data=hs.data())
def test_from_arrays_gives_a_table_with_finite_multipliers_or_an_xnio_error(n, data):
    Z = data.draw(hs.lists(hs.lists(entries, min_size=n, max_size=n), min_size=n, max_size=n), label="Z")
    y = data.draw(hs.lists(entries, min_size=n, max_size=n), label="y")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", IllConditionedWarning)
            table = xn_io.IOTable.from_arrays(Z, y)
            multipliers = table.output_multipliers()
    except XnIOError as exc:
        assert "\n" not in str(exc) and str(exc)
        return
    assert np.isfinite(multipliers.to_numpy()).all()
    assert np.isfinite(table.x.to_numpy()).all()


# ----------------------------------------------------------------------------- CSV folder reader
@pytest.fixture(scope="module")
def table_folder(tmp_path_factory):
    t = xn_io.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]],
        [350.0, 1700.0],
        sectors=["agriculture", "manufacturing"],
        satellites={"co2": ([30.0, 10.0], "万吨")},
        name="mb",
    )
    return t.to_csv(tmp_path_factory.mktemp("fuzz") / "mb")


_CSV_LINES = hs.one_of(
    hs.sampled_from(
        [
            "sector,x",
            "agriculture,1000",
            "manufacturing,2000",
            "sector;x",
            "agriculture;1000",
            "agriculture,nan",
            "agriculture,abc",
            "manufacturing,-5",
            "",
            ",,,",
            "agriculture,1,2,3",
            '"a,b",1',
        ]
    ),
    hs.text(max_size=20),
)
_META_VALUES = hs.one_of(
    numbers,
    hs.text(max_size=5),
    hs.booleans(),
    hs.lists(numbers, max_size=2),
    hs.dictionaries(hs.text(max_size=3), numbers, max_size=2),
)


@FUZZ
@given(
    file=hs.sampled_from(["x.csv", "Z.csv", "Y.csv", "V.csv", "satellites.csv", "sectors.csv"]),
    lines=hs.lists(_CSV_LINES, max_size=5),
    raw=hs.binary(max_size=30),
    use_raw=hs.booleans(),
)
def test_csv_folder_reader_gives_a_table_or_an_xnio_error(table_folder, tmp_path_factory, file, lines, raw, use_raw):
    folder = tmp_path_factory.mktemp("case")
    for p in table_folder.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / file).write_bytes(raw if use_raw else "\n".join(lines).encode("utf-8"))
    try:
        t = xn_io.read_csv_folder(folder, verify_checksums=False)
    except XnIOError as exc:
        assert "\n" not in str(exc)
        return
    assert np.isfinite(t.x.to_numpy()).all() and np.isfinite(t.Z.to_numpy()).all()


@FUZZ
@given(
    key=hs.sampled_from(["name", "year", "unit", "rtol", "satellites", "technologies", "checksums", "metadata"]),
    value=_META_VALUES,
)
def test_metadata_fields_of_the_wrong_type_name_the_file_and_field(table_folder, tmp_path_factory, key, value):
    import tomllib

    folder = tmp_path_factory.mktemp("meta")
    for p in table_folder.iterdir():
        (folder / p.name).write_bytes(p.read_bytes())
    meta = tomllib.loads((folder / "metadata.toml").read_text(encoding="utf-8"))
    meta[key] = value
    try:
        text = tomli_w.dumps(meta)
    except (TypeError, ValueError):
        return  # not expressible in TOML (e.g. NaN inside some writers); nothing to read
    (folder / "metadata.toml").write_text(text, encoding="utf-8")
    try:
        xn_io.read_csv_folder(folder, verify_checksums=False)
    except XnIOError as exc:
        assert "\n" not in str(exc)
        if "metadata.toml" in str(exc):
            assert key in str(exc)


# ----------------------------------------------------------------------------- scenarios
_FIELDS = sorted({name for names in _SECTIONS.values() for name in names})
_leaf = hs.one_of(numbers, hs.text(max_size=6), hs.booleans())
_values = hs.recursive(
    _leaf,
    lambda inner: hs.one_of(
        hs.lists(inner, max_size=3),
        hs.dictionaries(hs.one_of(hs.text(max_size=4), hs.sampled_from(["2026", "2030", "x"])), inner, max_size=3),
    ),
    max_leaves=6,
)


def _section_of(name: str) -> str:
    return next(sec for sec, names in _SECTIONS.items() if name in names)


@FUZZ
@given(changes=hs.dictionaries(hs.sampled_from(_FIELDS), _values, min_size=1, max_size=3))
def test_scenario_from_toml_gives_a_valid_scenario_or_a_scenario_error_naming_the_field(tmp_path_factory, changes):
    data: dict = {}
    for name, value in changes.items():
        data.setdefault(_section_of(name), {})[name] = value
    try:
        text = tomli_w.dumps(data)
    except (TypeError, ValueError):
        return
    path = tmp_path_factory.mktemp("s") / "s.toml"
    path.write_text(text, encoding="utf-8")
    try:
        s = Scenario.from_toml(path)
    except ScenarioError as exc:
        assert "\n" not in str(exc)
        assert any(name in str(exc) for name in changes) or any(sec in str(exc) for sec in data), str(exc)
        return
    for name in changes:  # a scenario that is accepted holds no NaN or infinity
        value = getattr(s, name)
        flat = list(value.values()) if isinstance(value, dict) else value if isinstance(value, list) else [value]
        assert all(not (isinstance(v, float) and not math.isfinite(v)) for v in flat)


# ----------------------------------------------------------------------------- CLI arguments
@FUZZ
@given(
    caps=hs.one_of(
        hs.text(max_size=12),
        hs.sampled_from(
            ["nan", "inf", "0:inf:1", "1:0:1", "0:1e9:1", "1e400", "3000,", ",,", "1:2:0", "-5", "2500:4500:50"]
        ),
    )
)
def test_cli_caps_give_exit_2_and_one_line_never_an_internal_error(caps):
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = xn_io.cli.main(
                ["frontier", f"--carbon-caps={caps}", "--table", "/nonexistent/xn-io-table", "--quiet"]
            )
        except SystemExit as exc:  # argparse's own usage error
            code = exc.code
    assert code == 2, err.getvalue()
    assert "internal error" not in err.getvalue()
