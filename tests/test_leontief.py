"""Leontief and Ghosh maths against Miller & Blair (2022) and identities."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from xn_io import leontief as lf
from xn_io.errors import ConvergenceError, NotProductiveError, TableError

from .conftest import random_balanced

Z_MB = np.array([[150.0, 500.0], [200.0, 100.0]])
X_MB = np.array([1000.0, 2000.0])
A_MB = np.array([[0.15, 0.25], [0.20, 0.05]])
L_MB = np.array([[1.254125, 0.330033], [0.264026, 1.122112]])


def test_miller_blair_table_2_3():
    """Miller & Blair (2022), §2.3: A, L and x for f_new = [600, 1500]."""
    np.testing.assert_allclose(lf.technical_coefficients(Z_MB, X_MB), A_MB, atol=1e-12)
    np.testing.assert_allclose(lf.leontief_inverse(A_MB), L_MB, atol=5e-7)
    np.testing.assert_allclose(lf.solve_output(A_MB, [600.0, 1500.0]), [1247.52, 1841.58], atol=5e-3)


def test_ghosh_is_similar_to_leontief():
    """G = x̂⁻¹ L x̂ (Miller & Blair 2022, eq. 12.10)."""
    B = lf.allocation_coefficients(Z_MB, X_MB)
    G = lf.ghosh_inverse(B)
    np.testing.assert_allclose(G, (L_MB * X_MB[None, :]) / X_MB[:, None], atol=1e-5)
    # primary inputs times G give output back: x' = v' G
    v = X_MB - Z_MB.sum(axis=0)
    np.testing.assert_allclose(v @ G, X_MB, rtol=1e-10)


def test_income_multipliers_by_hand():
    w = np.array([0.3, 0.25])
    hc = np.array([0.05, 0.4])
    m = lf.income_multipliers(A_MB, w, hc)
    np.testing.assert_allclose(m.simple, w @ L_MB, atol=1e-6)
    # closed model by explicit enumeration: Ā = [[A, hc], [w, 0]]
    Abar = np.block([[A_MB, hc[:, None]], [w[None, :], np.zeros((1, 1))]])
    Lbar = np.linalg.solve(np.eye(3) - Abar, np.eye(3))
    np.testing.assert_allclose(m.type_II, Lbar[2, :2] / w, rtol=1e-12)
    split = lf.multiplier_split(A_MB, [0.03, 0.005], w=w, hc=hc)
    f_bar = np.array([0.03, 0.005, 0.0])
    np.testing.assert_allclose(split.direct + split.indirect + split.induced, (f_bar @ Lbar)[:2], rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 30), seed=st.integers(0, 2**32 - 1), density=st.sampled_from([1.0, 0.3]))
def test_identities_on_random_tables(n, seed, density):
    rng = np.random.default_rng(seed)
    Z, Y, V, x = random_balanced(rng, n, density=density)
    A = lf.technical_coefficients(Z, x)
    y = Y.sum(axis=1)
    solver = lf.factorize(A)
    x_solved = solver.solve(y)
    np.testing.assert_allclose(x_solved, x, rtol=1e-9)  # x = (I−A)⁻¹ y
    np.testing.assert_allclose(A @ x + y, x, rtol=1e-9)  # x = Ax + y
    L = solver.inverse()
    np.testing.assert_allclose(L @ (np.eye(n) - A), np.eye(n), atol=1e-9)  # L(I−A) = I
    np.testing.assert_allclose(L @ y, x_solved, rtol=1e-9)
    v = V.sum(axis=0) / x
    np.testing.assert_allclose(A.sum(axis=0) + v, 1.0, atol=1e-12)  # column closure
    np.testing.assert_allclose(lf.value_added_multipliers(A, v), 1.0, atol=1e-9)
    np.testing.assert_allclose(lf.output_multipliers(A), L.sum(axis=0), rtol=1e-9)
    f = rng.uniform(0, 1, (2, n))
    np.testing.assert_allclose(lf.satellite_multipliers(A, f), f @ L, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(lf.footprints(A, f, Y), f @ L @ Y, rtol=1e-9, atol=1e-12)
    # sparse paths agree with the dense one
    As = sp.csc_array(A)
    for method in ("splu", "gmres"):
        np.testing.assert_allclose(lf.solve_output(As, y, method=method), x, rtol=1e-7)
    assert sp.issparse(lf.technical_coefficients(sp.csc_array(Z), x))


def test_sparse_input_many_rhs():
    rng = np.random.default_rng(3)
    Z, Y, _, x = random_balanced(rng, 60, density=0.1, k_fd=4)
    As = lf.technical_coefficients(sp.csr_array(Z), x)
    np.testing.assert_allclose(lf.factorize(As).solve(Y), lf.leontief_inverse(As.toarray()) @ Y, rtol=1e-8)
    np.testing.assert_allclose(lf.output_multipliers(As), lf.output_multipliers(As.toarray()), rtol=1e-8)


def test_not_productive_raises():
    with pytest.raises(NotProductiveError, match="not productive"):
        lf.factorize([[0.5, 0.6], [0.6, 0.5]])
    with pytest.raises(NotProductiveError, match="singular"):
        lf.factorize([[1.0, 0.0], [0.0, 0.5]])
    with pytest.raises((NotProductiveError, ConvergenceError)):
        lf.solve_output(sp.csc_array(np.array([[0.5, 0.6], [0.6, 0.5]])), [1.0, 1.0])


def test_bad_input_messages():
    with pytest.raises(TableError, match="zero at sector 'b'"):
        lf.technical_coefficients(Z_MB, [1000.0, 0.0], labels=["a", "b"])
    with pytest.raises(TableError, match="negative at index 1"):
        lf.technical_coefficients(Z_MB, [1000.0, -5.0])
    with pytest.raises(TableError, match="NaN or infinite.*row index 0, column index 1"):
        lf.factorize([[0.1, np.nan], [0.2, 0.1]])
    with pytest.raises(TableError, match="square"):
        lf.factorize(np.zeros((2, 3)))
    with pytest.raises(TableError, match="must have 2 rows"):
        lf.solve_output(A_MB, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(lf.technical_coefficients(np.zeros((2, 2)), [0.0, 1.0], zero_output="zero"), 0.0)
