"""Linkages, key sectors, fields of influence and tolerable limits (xn_io.linkages).

Oracles: hand-computed numbers on Miller & Blair (2022) Table 2.3, plain
``numpy.linalg.inv`` of ``I − A`` and ``I − B``, finite differences, and a brute
force re-solve for tolerable limits.
"""

from __future__ import annotations

import numpy as np
import pytest

from xn_io import linkages as lk
from xn_io.errors import NotProductiveError, TableError
from xn_io.leontief import allocation_coefficients, technical_coefficients

from .conftest import random_balanced

Z_MB = np.array([[150.0, 500.0], [200.0, 100.0]])
X_MB = np.array([1000.0, 2000.0])
A_MB = Z_MB / X_MB
B_MB = Z_MB / X_MB[:, None]


def _random(seed: int, n: int = 8):
    rng = np.random.default_rng(seed)
    Z, Y, V, x = random_balanced(rng, n, density=0.7)
    return technical_coefficients(Z, x), allocation_coefficients(Z, x), x, Y.sum(axis=1)


# --------------------------------------------------------------------------- textbook numbers
def test_miller_blair_direct_linkages_by_hand():
    # column sums of A: 0.15 + 0.20, 0.25 + 0.05; row sums of B: 0.15 + 0.5, 0.1 + 0.05
    np.testing.assert_allclose(lk.direct_backward_linkages(A_MB, normalized=False), [0.35, 0.30])
    np.testing.assert_allclose(lk.direct_forward_linkages(B_MB, normalized=False), [0.65, 0.15])
    np.testing.assert_allclose(lk.direct_backward_linkages(A_MB), [0.35 / 0.325, 0.30 / 0.325])


def test_miller_blair_total_linkages_by_hand():
    # L = [[1.254125, 0.330033], [0.264026, 1.122112]] (Miller & Blair 2022, eq. 2.14)
    np.testing.assert_allclose(lk.total_backward_linkages(A_MB, normalized=False), [1.518152, 1.452145], atol=1e-6)
    # G = x̂⁻¹ L x̂ = [[1.254125, 0.660066], [0.132013, 1.122112]]
    np.testing.assert_allclose(lk.total_forward_linkages(B_MB, normalized=False), [1.914191, 1.254125], atol=1e-6)


# --------------------------------------------------------------------------- second implementation
@pytest.mark.parametrize("seed", range(5))
def test_total_linkages_against_numpy_inverses(seed):
    A, B, x, _ = _random(seed)
    n = A.shape[0]
    L = np.linalg.inv(np.eye(n) - A)
    G = np.linalg.inv(np.eye(n) - B)
    np.testing.assert_allclose(lk.total_backward_linkages(A, normalized=False), L.sum(axis=0), rtol=1e-10)
    np.testing.assert_allclose(lk.total_forward_linkages(B, normalized=False), G.sum(axis=1), rtol=1e-10)
    # Rasmussen's index written as in Miller & Blair: (1/n Σ_i l_ij) / (1/n² Σ_ij l_ij)
    np.testing.assert_allclose(lk.total_backward_linkages(A), (L.sum(axis=0) / n) / (L.sum() / n**2), rtol=1e-10)
    # G = x̂⁻¹ L x̂ (Miller & Blair 2022, eq. 12.10)
    np.testing.assert_allclose(G, L * x[None, :] / x[:, None], rtol=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_normalised_linkages_average_one(seed):
    A, B, _, _ = _random(seed, n=11)
    for values in (
        lk.direct_backward_linkages(A),
        lk.direct_forward_linkages(B),
        lk.total_backward_linkages(A),
        lk.total_forward_linkages(B),
    ):
        assert values.mean() == pytest.approx(1.0, rel=1e-12)


def test_sparse_input_gives_the_same_linkages():
    import scipy.sparse as sp

    A, B, _, _ = _random(3)
    np.testing.assert_allclose(lk.direct_backward_linkages(sp.csc_array(A)), lk.direct_backward_linkages(A))
    np.testing.assert_allclose(lk.direct_forward_linkages(sp.csr_array(B)), lk.direct_forward_linkages(B))
    np.testing.assert_allclose(lk.total_backward_linkages(sp.csc_array(A)), lk.total_backward_linkages(A), rtol=1e-8)


# --------------------------------------------------------------------------- classes
def test_classify_all_four_quadrants_and_threshold():
    classes = lk.classify_sectors([1.5, 1.5, 0.5, 0.5, 1.0], [1.5, 0.5, 1.5, 0.5, 1.0])
    assert classes.tolist() == ["key", "backward-oriented", "forward-oriented", "weak", "weak"]
    assert lk.classify_sectors([1.0], [1.0], threshold=0.9).tolist() == ["key"]
    assert set(lk.KEY_SECTOR_CLASSES) == {"key", "backward-oriented", "forward-oriented", "weak"}


def test_classify_rejects_mismatched_lengths():
    with pytest.raises(TableError, match="forward has 2 entries"):
        lk.classify_sectors([1.0, 1.0, 1.0], [1.0, 1.0])


def test_normalising_a_zero_vector_is_an_error():
    with pytest.raises(TableError, match="mean over the 2 sectors is 0"):
        lk.direct_backward_linkages(np.zeros((2, 2)))


# --------------------------------------------------------------------------- field of influence
@pytest.mark.parametrize("i,j", [(0, 1), (2, 2), (4, 0)])
def test_field_of_influence_is_the_derivative_of_L(i, j):
    A, _, _, _ = _random(7, n=6)
    L = np.linalg.inv(np.eye(6) - A)
    eps = 1e-6
    A2 = A.copy()
    A2[i, j] += eps
    finite_difference = (np.linalg.inv(np.eye(6) - A2) - L) / eps
    np.testing.assert_allclose(lk.field_of_influence(L, i, j), finite_difference, rtol=1e-4, atol=1e-8)


@pytest.mark.parametrize("delta", [0.05, -0.03, 0.2])
def test_coefficient_change_equals_reinversion(delta):
    A, _, _, _ = _random(11, n=6)
    L = np.linalg.inv(np.eye(6) - A)
    A2 = A.copy()
    A2[3, 1] += delta
    np.testing.assert_allclose(lk.coefficient_change(L, 3, 1, delta), np.linalg.inv(np.eye(6) - A2), rtol=1e-9)


def test_coefficient_change_to_singularity_raises():
    L = np.linalg.inv(np.eye(2) - A_MB)
    with pytest.raises(NotProductiveError, match="singular"):
        lk.coefficient_change(L, 0, 1, 1.0 / L[1, 0])


def test_influence_ranking_is_the_sum_of_each_field():
    A, _, _, _ = _random(5, n=5)
    L = np.linalg.inv(np.eye(5) - A)
    ranking = lk.influence_ranking(L)
    for i in range(5):
        for j in range(5):
            assert ranking[i, j] == pytest.approx(lk.field_of_influence(L, i, j).sum(), rel=1e-12)


def test_field_of_influence_index_errors():
    with pytest.raises(TableError, match="i must be a sector index in 0..1"):
        lk.field_of_influence(np.eye(2), 2, 0)


# --------------------------------------------------------------------------- tolerable limits
def _max_relative_output_change(A, y, i, j, r):
    n = A.shape[0]
    x = np.linalg.solve(np.eye(n) - A, y)
    A2 = A.copy()
    A2[i, j] *= 1.0 + r
    x2 = np.linalg.solve(np.eye(n) - A2, y)
    return np.max(np.abs(x2 - x) / x)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("p", [0.01, 0.05])
def test_tolerable_limit_is_where_some_output_moves_by_p(seed, p):
    A, _, x, y = _random(seed, n=6)
    r = lk.tolerable_limits(A, x, p=p)
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(12):
        i, j = rng.integers(0, 6, 2)
        if not np.isfinite(r[i, j]) or r[i, j] > 50:
            continue
        checked += 1
        assert _max_relative_output_change(A, y, i, j, r[i, j]) == pytest.approx(p, rel=1e-7)
        assert _max_relative_output_change(A, y, i, j, 0.98 * r[i, j]) < p
    assert checked >= 3


def test_tolerable_limits_generalise_schintke_staeglin():
    A, _, x, _ = _random(4, n=7)
    L = np.linalg.inv(np.eye(7) - A)
    p = 0.01
    r = lk.tolerable_limits(A, x, p=p)
    # the classical formula looks only at the output of the supplier i (k = i)
    with np.errstate(divide="ignore"):
        classical = p / (A * (np.diag(L)[:, None] * x[None, :] / x[:, None] + p * L.T))
    assert np.all(r <= classical * (1 + 1e-12))


def test_tolerable_limits_zero_coefficients_are_infinite_and_bad_p():
    A = np.array([[0.1, 0.0], [0.2, 0.3]])
    r = lk.tolerable_limits(A, [10.0, 20.0])
    assert np.isinf(r[0, 1]) and np.isfinite(r[0, 0])
    with pytest.raises(TableError, match="p .* must be positive"):
        lk.tolerable_limits(A, [10.0, 20.0], p=0.0)
    with pytest.raises(TableError, match="x must be positive .* index 1"):
        lk.tolerable_limits(A, [10.0, 0.0])
