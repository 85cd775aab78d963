"""Structural path analysis (xn_io.spa).

Oracles: hand-computed paths on Miller & Blair (2022) Table 2.3; the power
series ``f Σ_{k≤D} Aᵏ y`` and its tail ``f A^{D+1} L y``; a brute-force
enumeration of every path (no pruning) written inside the tests.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from xn_io.errors import NotProductiveError, SearchLimitError, TableError
from xn_io.leontief import technical_coefficients
from xn_io.spa import structural_paths

from .conftest import random_balanced

A_MB = np.array([[0.15, 0.25], [0.20, 0.05]])
F_MB = np.array([0.03, 0.005])


def _random(seed: int, n: int, density: float = 0.8):
    rng = np.random.default_rng(seed)
    Z, Y, V, x = random_balanced(rng, n, density=density)
    A = technical_coefficients(Z, x)
    f = rng.uniform(0.0, 1.0, n) * (rng.uniform(size=n) < 0.8)
    return A, f, Y.sum(axis=1)


def brute_force_paths(A, f, y, max_depth):
    """Every path up to max_depth by explicit enumeration: {path: value}."""
    n = A.shape[0]
    out = {}
    for depth in range(max_depth + 1):
        for path in itertools.product(range(n), repeat=depth + 1):
            value = y[path[0]] * f[path[-1]]
            for down, up in zip(path, path[1:]):
                value *= A[up, down]
            out[path] = value
    return out


def test_miller_blair_paths_by_hand():
    y = np.array([350.0, 1700.0])
    found = structural_paths(A_MB, F_MB, y, threshold=0.0, relative=False, max_depth=1)
    got = dict(zip(found.paths, found.values))
    want = {
        (0,): 0.03 * 350,
        (1,): 0.005 * 1700,
        (0, 0): 0.03 * 0.15 * 350,
        (0, 1): 0.005 * 0.20 * 350,
        (1, 0): 0.03 * 0.25 * 1700,
        (1, 1): 0.005 * 0.05 * 1700,
    }
    assert got.keys() == want.keys()
    for path, value in want.items():
        assert got[path] == pytest.approx(value, rel=1e-12)
    # the footprint: f x with x = (1000, 2000)
    assert found.total == pytest.approx(0.03 * 1000 + 0.005 * 2000)


@pytest.mark.parametrize("seed", range(3))
def test_path_sums_are_the_power_series_and_converge_to_the_footprint(seed):
    A, f, y = _random(seed, 3)
    L = np.linalg.inv(np.eye(3) - A)
    footprint = f @ L @ y
    gaps = []
    for depth in range(8):
        found = structural_paths(A, f, y, threshold=0.0, relative=False, max_depth=depth)
        series = sum(f @ np.linalg.matrix_power(A, k) @ y for k in range(depth + 1))
        tail = f @ np.linalg.matrix_power(A, depth + 1) @ L @ y
        assert found.values.sum() == pytest.approx(series, rel=1e-10)
        assert footprint - found.values.sum() == pytest.approx(tail, rel=1e-8, abs=1e-9 * footprint)
        gaps.append(footprint - found.values.sum())
    assert found.total == pytest.approx(footprint, rel=1e-12)
    assert all(b <= a for a, b in zip(gaps, gaps[1:]))
    assert gaps[-1] < 0.05 * gaps[0]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("threshold", [0.05, 0.01, 0.002])
def test_pruned_search_finds_exactly_the_paths_above_the_threshold(seed, threshold):
    A, f, y = _random(seed, 4)
    found = structural_paths(A, f, y, threshold=threshold, max_depth=5)
    tau = threshold * found.total
    expected = {p: v for p, v in brute_force_paths(A, f, y, 5).items() if abs(v) >= tau and v != 0}
    assert set(found.paths) == set(expected)
    for path, value in zip(found.paths, found.values):
        assert value == pytest.approx(expected[path], rel=1e-12)


def test_subtree_is_the_path_plus_every_continuation():
    A, f, y = _random(4, 3)
    found = structural_paths(A, f, y, threshold=0.01, max_depth=3)
    L = np.linalg.inv(np.eye(3) - A)
    m = f @ L
    for path, sub in zip(found.paths, found.subtree):
        weight = y[path[0]] * np.prod([A[up, down] for down, up in zip(path, path[1:])])
        assert sub == pytest.approx(weight * m[path[-1]], rel=1e-10)
    # the root of a one-sector demand carries the whole footprint
    y1 = np.zeros(3)
    y1[1] = 5.0
    found = structural_paths(A, f, y1, threshold=0.0, relative=False, max_depth=0)
    assert found.subtree[0] == pytest.approx(found.total, rel=1e-12)


def test_results_are_sorted_and_truncated():
    A, f, y = _random(2, 30, density=0.3)
    found = structural_paths(A, f, y, threshold=1e-3, max_depth=6)
    assert np.all(np.diff(np.abs(found.values)) <= 0)
    assert np.all(np.abs(found.values) >= 1e-3 * found.total)
    assert np.all(np.abs(found.subtree) >= np.abs(found.values) * (1 - 1e-12))
    top = structural_paths(A, f, y, threshold=1e-3, max_depth=6, max_paths=5)
    assert top.paths == found.paths[:5]


@pytest.mark.parametrize("threshold", [0.05, 0.01])
def test_negative_coefficients_and_intensities_are_bounded_by_absolute_values(threshold):
    A, f, y = _random(9, 4)
    A[0, 2] = -0.05  # e.g. a make-use derivation's negative coefficient
    A[3, 1] = -0.02
    f[1] = -0.3  # e.g. a carbon sink
    found = structural_paths(A, f, y, threshold=threshold, max_depth=5)
    assert found.total == pytest.approx(f @ np.linalg.solve(np.eye(4) - A, y), rel=1e-12)
    tau = threshold * abs(found.total)
    expected = {p: v for p, v in brute_force_paths(A, f, y, 5).items() if abs(v) >= tau and v != 0}
    assert set(found.paths) == set(expected)


def test_negative_demand_gives_negative_paths():
    y = np.array([-100.0, 0.0])
    found = structural_paths(A_MB, F_MB, y, threshold=0.0, relative=False, max_depth=1)
    assert np.all(found.values < 0)
    assert found.paths[0] == (0,)


def test_sparse_matrix_gives_the_same_paths():
    import scipy.sparse as sp

    A, f, y = _random(6, 20, density=0.3)
    dense = structural_paths(A, f, y, threshold=1e-3)
    sparse = structural_paths(sp.csc_array(A), f, y, threshold=1e-3, solver=None)
    assert dense.paths == sparse.paths
    np.testing.assert_allclose(dense.values, sparse.values, rtol=1e-12)


def test_errors():
    y = np.array([1.0, 1.0])
    with pytest.raises(NotProductiveError, match=r"\|A\| is not productive"):
        structural_paths(np.array([[0.5, -0.6], [0.6, 0.5]]), F_MB, y)
    with pytest.raises(TableError, match="max_depth must be an integer"):
        structural_paths(A_MB, F_MB, y, max_depth=-1)
    with pytest.raises(TableError, match="threshold must be a finite number"):
        structural_paths(A_MB, F_MB, y, threshold=float("nan"))
    with pytest.raises(SearchLimitError, match="passed 10 nodes") as info:
        structural_paths(A_MB, F_MB, y, threshold=0.0, max_depth=6, max_nodes=10)
    assert info.value.nodes > 10
