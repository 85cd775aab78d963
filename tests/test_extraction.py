"""Hypothetical extraction (xn_io.extraction).

Oracles: a naive second implementation inside the tests (delete the rows and
columns and re-solve; re-solve with the modified matrix; the Ghosh model with
an explicit ``B``), Miller & Blair's closed form ``x_j (1ᵀL)_j / l_jj``, and
identities (extracting nothing loses nothing, extracting everything loses all).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as hs

from xn_io.errors import TableError
from xn_io.extraction import EXTRACTION_MODES, extract, extraction_losses
from xn_io.leontief import technical_coefficients

from .conftest import random_balanced


def _random(seed: int, n: int = 8, density: float = 0.7):
    rng = np.random.default_rng(seed)
    Z, Y, V, x = random_balanced(rng, n, density=density)
    return technical_coefficients(Z, x), Y.sum(axis=1), x


# --------------------------------------------------------------------------- the naive implementation
def naive_delete(A, y, S):
    """Total extraction as Miller & Blair describe it: delete rows and columns, re-solve the rest."""
    n = A.shape[0]
    R = np.setdiff1d(np.arange(n), S)
    out = np.zeros(n)
    out[R] = np.linalg.solve(np.eye(R.size) - A[np.ix_(R, R)], y[R])
    return out


def naive_extract(A, y, S, mode, lam):
    """Any mode and share by building the modified matrix entry by entry and solving afresh."""
    n = A.shape[0]
    S = list(S)
    lam = np.broadcast_to(np.asarray(lam, dtype=float), (len(S),))
    share = dict(zip(S, lam))
    A2, y2 = A.copy(), y.copy()
    for i in range(n):
        for j in range(n):
            if mode == "total" and i in share:
                A2[i, j] = A[i, j] * (1 - share[i])
            elif (mode == "total" and j in share) or (mode == "backward" and j in share and i not in share):
                A2[i, j] = A[i, j] * (1 - share[j])
    if mode == "total":
        for s in S:
            y2[s] = y[s] * (1 - share[s])
    if mode in ("total", "backward"):
        return np.linalg.solve(np.eye(n) - A2, y2)
    # forward: the Ghosh model with B[S, R] scaled, primary inputs v fixed
    x = np.linalg.solve(np.eye(n) - A, y)
    Z = A * x[None, :]
    B = Z / x[:, None]
    v = x - Z.sum(axis=0)
    for i in S:
        for j in range(n):
            if j not in share:
                B[i, j] *= 1 - share[i]
    return np.linalg.solve((np.eye(n) - B).T, v)


# --------------------------------------------------------------------------- textbook
def test_miller_blair_total_extraction_by_hand():
    A = np.array([[0.15, 0.25], [0.20, 0.05]])
    y = np.array([350.0, 1700.0])
    # without sector 0, sector 1 makes 1700 / 0.95; without sector 1, sector 0 makes 350 / 0.85
    np.testing.assert_allclose(extract(A, y, [0]), [0.0, 1700 / 0.95])
    np.testing.assert_allclose(extract(A, y, [1]), [350 / 0.85, 0.0])
    np.testing.assert_allclose(extraction_losses(A, y)[:, 0], [3000 - 1700 / 0.95, 3000 - 350 / 0.85])


@pytest.mark.parametrize("seed", range(4))
def test_total_loss_closed_form_of_miller_blair(seed):
    A, y, x = _random(seed, n=9)
    L = np.linalg.inv(np.eye(9) - A)
    np.testing.assert_allclose(extraction_losses(A, y)[:, 0], x * L.sum(axis=0) / np.diag(L), rtol=1e-9)


# --------------------------------------------------------------------------- against the naive implementation
@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("group", [[2], [0, 5], [1, 3, 6]])
def test_total_extraction_equals_deleting_and_resolving(seed, group):
    A, y, _ = _random(seed)
    np.testing.assert_allclose(extract(A, y, group), naive_delete(A, y, np.array(group)), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("mode", EXTRACTION_MODES)
@pytest.mark.parametrize("lam", [1.0, 0.4, [0.2, 0.9]])
@pytest.mark.parametrize("seed", range(3))
def test_every_mode_and_share_against_resolving(mode, lam, seed):
    A, y, _ = _random(seed)
    group = [4, 1]
    np.testing.assert_allclose(
        extract(A, y, group, mode=mode, fraction=lam), naive_extract(A, y, group, mode, lam), rtol=1e-9, atol=1e-9
    )


@pytest.mark.parametrize("mode", EXTRACTION_MODES)
@pytest.mark.parametrize("lam", [1.0, 0.3])
def test_all_sectors_at_once_equals_one_by_one(mode, lam):
    A, y, x = _random(8, n=10)
    rng = np.random.default_rng(0)
    P = np.vstack([np.ones(10), rng.uniform(0, 1, 10), rng.uniform(0, 2, 10)])
    fast = extraction_losses(A, y, P, mode=mode, fraction=lam)
    slow = np.array([P @ (x - naive_extract(A, y, [j], mode, lam)) for j in range(10)])
    np.testing.assert_allclose(fast, slow, rtol=1e-8, atol=1e-9)


def test_sparse_matrix_gives_the_same_extraction():
    A, y, _ = _random(2, n=12, density=0.3)
    for mode in EXTRACTION_MODES:
        np.testing.assert_allclose(
            extract(sp.csc_array(A), y, [3, 7], mode=mode),
            extract(A, y, [3, 7], mode=mode),
            rtol=1e-7,
            atol=1e-9,
        )


# --------------------------------------------------------------------------- identities
@pytest.mark.parametrize("mode", EXTRACTION_MODES)
def test_extracting_nothing_loses_nothing(mode):
    A, y, x = _random(1)
    np.testing.assert_allclose(extract(A, y, [], mode=mode), x, rtol=1e-10)
    np.testing.assert_allclose(extract(A, y, [2, 3], mode=mode, fraction=0.0), x, rtol=1e-10)
    assert np.all(extraction_losses(A, y, mode=mode, fraction=0.0) == 0.0)


def test_extracting_everything_loses_everything():
    A, y, x = _random(5)
    np.testing.assert_allclose(extract(A, y, range(8)), np.zeros(8), atol=1e-9)


@pytest.mark.parametrize("mode", EXTRACTION_MODES)
def test_losses_grow_with_the_extracted_share(mode):
    A, y, _ = _random(6)
    losses = [extraction_losses(A, y, mode=mode, fraction=lam)[:, 0] for lam in (0.0, 0.25, 0.5, 1.0)]
    assert all(np.all(b >= a - 1e-9) for a, b in zip(losses, losses[1:]))


def test_backward_and_forward_keep_the_extracted_sectors_own_loop():
    # a single sector with only a diagonal coefficient has nothing to cut backward or forward
    A = np.array([[0.3, 0.0], [0.0, 0.2]])
    y = np.array([7.0, 8.0])
    for mode in ("backward", "forward"):
        np.testing.assert_allclose(extract(A, y, [0], mode=mode), [10.0, 10.0])


# --------------------------------------------------------------------------- errors
def test_errors_name_the_problem():
    A, y, _ = _random(0, n=4)
    with pytest.raises(TableError, match="mode must be one of"):
        extract(A, y, [0], mode="sideways")
    with pytest.raises(TableError, match=r"must be in \[0, 1\], got 1.5"):
        extract(A, y, [0], fraction=1.5)
    with pytest.raises(TableError, match="fraction has 3 entries but 2 sectors"):
        extract(A, y, [0, 1], fraction=[0.1, 0.2, 0.3])
    with pytest.raises(TableError, match="out of range for a table of 4 sectors"):
        extract(A, y, [4])
    with pytest.raises(TableError, match="sector 'b' is listed twice"):
        extract(A, y, [1, 1], labels=["a", "b", "c", "d"])
    with pytest.raises(TableError, match="y has 3 entries but the table has 4 sectors"):
        extraction_losses(A, y[:3])


# --------------------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(
    seed=hs.integers(0, 2**32 - 1),
    n=hs.integers(2, 7),
    mode=hs.sampled_from(EXTRACTION_MODES),
    lam=hs.floats(0.0, 1.0),
    data=hs.data(),
)
def test_property_any_group_any_share_matches_resolving(seed, n, mode, lam, data):
    A, y, _ = _random(seed % 10_000, n=n, density=0.6)
    group = data.draw(hs.lists(hs.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    np.testing.assert_allclose(
        extract(A, y, group, mode=mode, fraction=lam), naive_extract(A, y, group, mode, lam), rtol=1e-8, atol=1e-8
    )
