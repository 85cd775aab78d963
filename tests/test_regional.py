"""Tests of xn_io.regional: location quotients, RAS and GRAS.

Oracles: Miller & Blair (2022) §7.4.2 (RAS), the worked example of Temurshoev, Miller &
Bouwmeester (2013) (GRAS), an independent solution of the GRAS optimisation problem with
scipy.optimize, hand-computed quotients, and properties on random matrices.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.optimize as so
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from xn_io.errors import BalancingError, ConvergenceError, TableError, XnIOError
from xn_io.regional import (
    BalancingResult,
    aflq,
    cilq,
    flq,
    flq_lambda,
    gras,
    ras,
    regional_coefficients,
    slq,
)

PROPS = settings(max_examples=60, deadline=None)


# --------------------------------------------------------------------------- location quotients
def test_slq_by_hand():
    # region: 30, 10, 0 of 40; nation: 100, 300, 100 of 500
    q = slq([30.0, 10.0, 0.0], [100.0, 300.0, 100.0])
    np.testing.assert_allclose(q, [(30 / 40) / (100 / 500), (10 / 40) / (300 / 500), 0.0])


def test_cilq_by_hand():
    q = np.array([(30 / 40) / (100 / 500), (10 / 40) / (300 / 500)])
    c = cilq([30.0, 10.0, 0.0], [100.0, 300.0, 100.0])
    expected = np.array(
        [
            [q[0], q[0] / q[1], np.inf],
            [q[1] / q[0], q[1], np.inf],
            [0.0, 0.0, 0.0],
        ]
    )
    np.testing.assert_allclose(c, expected)


def test_flq_lambda_by_hand():
    # R/N = 0.1, δ = 0.3: log2(1.1) = ln(1.1)/ln(2)
    assert flq_lambda(0.1, delta=0.3) == pytest.approx((np.log(1.1) / np.log(2.0)) ** 0.3, rel=1e-14)
    assert flq_lambda(1.0, delta=0.3) == 1.0  # the nation itself
    assert flq_lambda(0.02, delta=0.0) == 1.0  # δ = 0: FLQ = CILQ


def test_flq_and_aflq_by_hand():
    xr, xn = [30.0, 10.0], [100.0, 300.0]
    lam = np.log2(1.1) ** 0.3
    f = flq(xr, xn)  # default δ = 0.3
    np.testing.assert_allclose(f, lam * np.array([[3.0, 9.0], [1 / 9, 1 / 3]]))
    a = aflq(xr, xn)
    # SLQ_1 = 3 > 1: column 1 times log2(4) = 2; SLQ_2 = 1/3: column 2 unchanged
    np.testing.assert_allclose(a, lam * np.array([[6.0, 9.0], [2 / 9, 1 / 3]]))
    # a size ratio given explicitly (e.g. GDP share) replaces Σx^r/Σx^n
    np.testing.assert_allclose(flq(xr, xn, size_ratio=0.02, delta=0.2), np.log2(1.02) ** 0.2 * cilq(xr, xn))


@st.composite
def outputs(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(2, 8))
    rng = np.random.default_rng(seed)
    xn = rng.uniform(1.0, 100.0, n)
    xr = xn * rng.uniform(0.0, 0.3, n) * (rng.uniform(size=n) < 0.9)
    if xr.sum() == 0:
        xr[0] = xn[0] * 0.1
    return xr, xn, draw(st.floats(0.0, 0.9))


@PROPS
@given(outputs())
def test_lq_properties(data):
    xr, xn, delta = data
    q = slq(xr, xn)
    # output-weighted mean of SLQ is 1: Σ_i (x^n_i/x^n) SLQ_i = Σ_i x^r_i/x^r
    assert (xn / xn.sum()) @ q == pytest.approx(1.0)
    lam = flq_lambda(xr.sum() / xn.sum(), delta=delta)
    assert 0.0 < lam <= 1.0
    c, f, a = cilq(xr, xn), flq(xr, xn, delta=delta), aflq(xr, xn, delta=delta)
    np.testing.assert_array_equal(np.diag(c), q)
    both = (q[:, None] > 0) & (q[None, :] > 0)
    off = both & ~np.eye(q.size, dtype=bool)
    np.testing.assert_allclose(c[off] * c.T[off], 1.0)  # CILQ_ij CILQ_ji = 1
    np.testing.assert_allclose(f[np.isfinite(c)], lam * c[np.isfinite(c)])
    assert (f <= c).all()  # λ* ≤ 1 never raises a quotient
    assert (a >= f).all()  # AFLQ only raises columns with SLQ_j > 1
    np.testing.assert_array_equal(a[:, q <= 1], f[:, q <= 1])
    # a larger δ gives a smaller λ* for a region smaller than the nation
    assert flq_lambda(xr.sum() / xn.sum(), delta=min(delta + 0.05, 0.95)) <= lam


def test_regional_coefficients_caps_at_one():
    A = np.array([[0.2, 0.1, 0.05], [0.3, 0.4, 0.0], [0.1, 0.1, 0.1]])
    lq = np.array([[1.5, 0.5, np.inf], [0.25, 2.0, 0.7], [0.0, 1.0, 0.9]])
    expected = np.array([[0.2, 0.05, 0.05], [0.075, 0.4, 0.0], [0.0, 0.1, 0.09]])
    np.testing.assert_allclose(regional_coefficients(A, lq), expected)
    # a vector scales rows
    np.testing.assert_allclose(regional_coefficients(A, [2.0, 0.5, 0.0]), A * np.array([[1.0], [0.5], [0.0]]))


@pytest.mark.parametrize(
    "lq, match",
    [
        (np.ones((3, 3)), r"shape \(2,\) or \(2, 2\)"),
        ([[1.0, -0.1], [1.0, 1.0]], r"entry \(0, 1\) is -0.1"),
        ([1.0, np.nan], r"entry 1 is nan"),
    ],
)
def test_regional_coefficients_errors(lq, match):
    with pytest.raises(TableError, match=match):
        regional_coefficients([[0.1, 0.2], [0.3, 0.4]], lq)


@pytest.mark.parametrize(
    "xr, xn, kw, match",
    [
        ([1.0, 2.0], [1.0, 2.0, 3.0], {}, "3 entries but the table has 2"),
        ([1.0, -2.0], [1.0, 2.0], {}, "regional_output is negative at index 1"),
        ([0.0, 0.0], [1.0, 2.0], {}, "zero in every sector"),
        ([1.0, 2.0], [0.0, 5.0], {}, "national_output is zero at index 0 where regional_output is 1"),
        ([1.0, 2.0], [10.0, 20.0], {"delta": 1.2}, r"delta must be in \[0, 1\)"),
        ([1.0, 2.0], [10.0, 20.0], {"size_ratio": 1.5}, r"size_ratio .* \(0, 1\]"),
    ],
)
def test_lq_errors(xr, xn, kw, match):
    with pytest.raises(TableError, match=match):
        flq(xr, xn, **kw)


# --------------------------------------------------------------------------- RAS
MB_A0 = np.array([[0.120, 0.100, 0.049], [0.210, 0.247, 0.265], [0.026, 0.249, 0.145]])
MB_Z1 = np.array([[98.0, 72.0, 75.0], [65.0, 8.0, 63.0], [88.0, 27.0, 44.0]])
MB_X1 = np.array([421.0, 284.0, 283.0])
MB_A = np.array([[0.3924, 0.1219, 0.1596], [0.1509, 0.0661, 0.1897], [0.0529, 0.1887, 0.2938]])


@pytest.mark.parametrize("method", [ras, gras])
@pytest.mark.parametrize("kind", [np.asarray, sp.csr_array])
def test_miller_blair_7_4_2(method, kind):
    """Miller & Blair (2022) §7.4.2: RAS of A0 x̂1 to the margins of Z1 gives A to 4 decimals."""
    res = method(kind(MB_A0 * MB_X1), MB_Z1.sum(axis=1), MB_Z1.sum(axis=0))
    assert isinstance(res, BalancingResult) and res.converged
    Z = res.Z.toarray() if sp.issparse(res.Z) else res.Z
    assert sp.issparse(res.Z) == (kind is sp.csr_array)
    np.testing.assert_array_equal(np.round(Z / MB_X1, 4), MB_A)
    np.testing.assert_allclose(Z, res.r[:, None] * MB_A0 * MB_X1 * res.s[None, :], rtol=1e-12)
    assert res.max_gap <= 1e-10 * MB_Z1.sum(axis=0).max()


def test_ras_errors_name_rows_and_sizes():
    Z0 = np.array([[1.0, 2.0], [0.0, 0.0]])
    with pytest.raises(BalancingError, match=r"row 'steel' has target 3 but no non-zero entry"):
        ras(Z0, [3.0, 3.0], [3.0, 3.0], row_labels=["coal", "steel"])
    with pytest.raises(BalancingError, match=r"sum to 6 but col_totals to 6.5 \(difference -0.5"):
        ras(np.ones((2, 2)), [3.0, 3.0], [3.0, 3.5])
    with pytest.raises(BalancingError, match="1 negative entries; RAS needs Z0 ≥ 0"):
        ras([[1.0, -1.0], [1.0, 1.0]], [1.0, 2.0], [2.0, 1.0])
    with pytest.raises(BalancingError, match="column 'exports' is -1"):
        ras(np.ones((2, 2)), [1.0, 0.0], [2.0, -1.0], col_labels=["households", "exports"])
    with pytest.raises(BalancingError, match="row_totals has 3 entries but Z0 has 2 rows"):
        ras(np.ones((2, 2)), [1.0, 1.0, 0.0], [1.0, 1.0])
    assert issubclass(BalancingError, XnIOError)


def test_non_convergence_names_what_stayed_off():
    # diagonal prior: row sums must equal column sums, but the targets cross; after the
    # column step the columns are met and both rows stay off by 1
    Z0 = np.eye(2)
    with pytest.raises(
        ConvergenceError, match=r"RAS did not converge in 50 iterations.*row 'a' \(off by 1\), row 'b'"
    ) as info:
        ras(Z0, [2.0, 1.0], [1.0, 2.0], max_iter=50, row_labels=["a", "b"], col_labels=["x", "y"])
    assert info.value.iterations == 50 and info.value.residual == pytest.approx(1.0)
    res = gras(Z0, [2.0, 1.0], [1.0, 2.0], max_iter=50, strict=False)
    assert not res.converged and res.iterations == 50 and res.max_gap == pytest.approx(1.0)


# --------------------------------------------------------------------------- GRAS
def test_gras_temurshoev_miller_bouwmeester_example():
    """The GRAS example of Temurshoev, Miller & Bouwmeester (2013, ESR 25(3)).

    Prior, margins and published solution as used in the test suite of the R package
    riot (zauster/riot, tests/testthat/test_doGRAS.R), which gives 9–10 digits.
    """
    X0 = np.array([[7.0, 3.0, 5.0, -3.0], [2.0, 9.0, 8.0, 0.0], [-2.0, 0.0, 2.0, 0.0]])
    u, v = np.array([15.0, 26.0, -1.0]), np.array([9.0, 16.0, 17.0, -2.0])
    published = np.array(
        [
            [8.424340881, 3.375237362, 5.200422021, -2.000000263],
            [3.000997078, 12.624763744, 10.374239178, 0.0],
            [-2.425339135, 0.0, 1.425339135, 0.0],
        ]
    )
    res = gras(X0, u, v)
    np.testing.assert_allclose(res.Z, published, atol=2e-6)  # published run stopped at a loose tolerance
    np.testing.assert_allclose(res.Z.sum(axis=1), u, atol=1e-9)
    np.testing.assert_allclose(res.Z.sum(axis=0), v, atol=1e-9)


def _gras_by_optimisation(X0: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Second implementation: minimise Σ|x0_ij| z_ij (ln z_ij − 1) subject to the margins (SLSQP)."""
    idx = np.nonzero(X0)
    a = X0[idx]
    m, n = X0.shape
    R = np.zeros((m, a.size))
    C = np.zeros((n, a.size))
    R[idx[0], np.arange(a.size)] = a
    C[idx[1], np.arange(a.size)] = a
    Aeq = np.vstack([R, C[:-1]])  # one margin is implied by the others
    beq = np.concatenate([u, v[:-1]])
    res = so.minimize(
        lambda z: np.sum(np.abs(a) * z * (np.log(z) - 1.0)),
        np.ones(a.size),
        jac=lambda z: np.abs(a) * np.log(z),
        method="SLSQP",
        bounds=[(1e-9, None)] * a.size,
        constraints=[{"type": "eq", "fun": lambda z: Aeq @ z - beq, "jac": lambda z: Aeq}],
        options={"ftol": 1e-14, "maxiter": 1000},
    )
    assert res.success, res.message
    X = np.zeros_like(X0)
    X[idx] = a * res.x
    return X


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gras_matches_the_optimisation_problem(seed):
    rng = np.random.default_rng(seed)
    X0 = rng.uniform(1.0, 10.0, (3, 4)) * rng.choice([1.0, 1.0, -1.0, 0.0], (3, 4), p=[0.5, 0.2, 0.2, 0.1])
    X0[0, 0], X0[1, 1] = 5.0, -2.0  # at least one entry of each sign
    r, s = rng.uniform(0.7, 1.4, 3), rng.uniform(0.7, 1.4, 4)
    P, N = np.maximum(X0, 0), np.maximum(-X0, 0)
    target = r[:, None] * P * s - N / r[:, None] / s
    u, v = target.sum(axis=1), target.sum(axis=0)
    np.testing.assert_allclose(gras(X0, u, v).Z, _gras_by_optimisation(X0, u, v), atol=1e-5)


@pytest.mark.parametrize(
    "Z0, u, v, match",
    [
        ([[1.0, 2.0], [-1.0, -1.0]], [2.0, 1.0], [1.0, 2.0], "row 1 has only negative entries but its target is 1"),
        ([[1.0, 2.0], [1.0, -1.0]], [-1.0, 4.0], [1.0, 2.0], "row 0 has only positive entries but its target is -1"),
        (
            [[1.0, 0.0], [1.0, 0.0]],
            [1.0, 1.0],
            [1.0, 1.0],
            "column 1 has no non-zero entry to scale but its target is 1",
        ),
    ],
)
def test_gras_sign_infeasible(Z0, u, v, match):
    with pytest.raises(BalancingError, match=match):
        gras(Z0, u, v)


@st.composite
def reachable(draw, *, negatives: bool):
    """A prior with a zero pattern and margins that a GRAS scaling of it meets exactly."""
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    m, n = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    signs = rng.choice([1.0, -1.0, 0.0], (m, n), p=[0.7, 0.2, 0.1] if negatives else [0.85, 0.0, 0.15])
    signs[np.arange(m), np.arange(m) % n] = 1.0  # every row and column has a positive entry
    signs[np.arange(n) % m, np.arange(n)] = 1.0
    X0 = signs * rng.uniform(0.1, 10.0, (m, n))
    r, s = rng.uniform(0.3, 3.0, m), rng.uniform(0.3, 3.0, n)
    P, N = np.maximum(X0, 0), np.maximum(-X0, 0)
    target = r[:, None] * P * s - N / r[:, None] / s
    return X0, target.sum(axis=1), target.sum(axis=0)


@PROPS
@given(reachable(negatives=True))
def test_gras_properties(data):
    X0, u, v = data
    res = gras(X0, u, v)
    scale = max(np.abs(u).max(), np.abs(v).max())
    assert res.converged and res.max_gap <= 1e-10 * scale
    np.testing.assert_allclose(res.Z.sum(axis=1), u, atol=1e-9 * scale)
    np.testing.assert_allclose(res.Z.sum(axis=0), v, atol=1e-9 * scale)
    np.testing.assert_array_equal(np.sign(res.Z), np.sign(X0))  # signs and zeros kept
    # already balanced: nothing to do
    again = gras(res.Z, res.Z.sum(axis=1), res.Z.sum(axis=0))
    assert again.iterations == 0
    np.testing.assert_array_equal(again.Z, res.Z)


@PROPS
@given(reachable(negatives=False))
def test_ras_properties_and_equals_gras(data):
    X0, u, v = data
    res = ras(X0, u, v)
    scale = max(u.max(), v.max())
    np.testing.assert_allclose(res.Z.sum(axis=1), u, atol=1e-9 * scale)
    np.testing.assert_allclose(res.Z.sum(axis=0), v, atol=1e-9 * scale)
    assert (res.Z[X0 == 0] == 0).all() and (res.Z[X0 > 0] > 0).all()
    np.testing.assert_allclose(res.Z, res.r[:, None] * X0 * res.s[None, :], rtol=1e-12)
    np.testing.assert_allclose(gras(X0, u, v).Z, res.Z, rtol=1e-8, atol=1e-12 * scale)
    np.testing.assert_allclose(ras(sp.csc_array(X0), u, v).Z.toarray(), res.Z, rtol=1e-10, atol=1e-12 * scale)
    again = ras(res.Z, res.Z.sum(axis=1), res.Z.sum(axis=0))
    assert again.iterations == 0 and (again.Z == res.Z).all()


def test_zero_targets_zero_the_row():
    res = ras([[1.0, 1.0], [2.0, 2.0]], [0.0, 4.0], [2.0, 2.0])
    np.testing.assert_allclose(res.Z, [[0.0, 0.0], [2.0, 2.0]])


def test_gras_unreachable_after_a_zero_row_is_reported():
    # row 0 must vanish (target 0), leaving column 1 with only its negative entry and a target of 1
    with pytest.raises(ConvergenceError, match=r"row 1 \(off by 1\); column 1 \(off by 1\)"):
        gras([[1.0, 2.0], [1.0, -1.0]], [0.0, 2.0], [1.0, 1.0], max_iter=50)
