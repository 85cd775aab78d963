"""The public surface: one meaning per name, array functions in their modules (issue 17, item 5)."""

from __future__ import annotations

import importlib

import pytest

import xn_io
from xn_io import leontief, network, regional, structural

MOVED = {
    "factorize": leontief, "technical_coefficients": leontief, "leontief_inverse": leontief,
    "solve_output": leontief, "ghosh_inverse": leontief, "output_multipliers": leontief,
    "satellite_multipliers": leontief, "slq": regional, "cilq": regional, "flq": regional, "aflq": regional,
    "regional_coefficients": regional, "ras": regional, "gras": regional, "BalancingResult": regional,
}


@pytest.mark.parametrize("name", sorted(MOVED))
def test_array_functions_left_the_top_level_with_a_deprecation(name):
    assert name not in xn_io.__all__
    with pytest.warns(DeprecationWarning, match=f"xn_io.{MOVED[name].__name__.split('.')[-1]}.{name}"):
        obj = getattr(xn_io, name)
    assert obj is getattr(MOVED[name], name)


def test_one_meaning_per_name():
    # Rasmussen key sectors (linkages) and network centrality have different names
    assert xn_io.key_sectors is structural.key_sectors
    assert not hasattr(network, "key_sectors")
    assert callable(network.central_sectors)
    # the Ghosh inverse is the G property only
    assert not hasattr(xn_io.IOTable, "ghosh_inverse")
    # every top-level name exists, and each public module's __all__ is importable
    for name in xn_io.__all__:
        assert getattr(xn_io, name) is not None
    for module in ("leontief", "regional", "linkages", "extraction", "spa", "structural", "table", "io"):
        mod = importlib.import_module(f"xn_io.{module}")
        assert all(hasattr(mod, n) for n in mod.__all__), module
