"""Shared fixtures: the Miller & Blair two-sector table and random balanced tables."""

from __future__ import annotations

import numpy as np
import pytest

import xn_io


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace["np"] = np
    doctest_namespace["xn_io"] = xn_io


@pytest.fixture
def mb_table() -> xn_io.IOTable:
    """Miller & Blair (2022), Table 2.3: Z = [[150, 500], [200, 100]], f = [350, 1700], x = [1000, 2000]."""
    return xn_io.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]],
        [350.0, 1700.0],
        sectors=["agriculture", "manufacturing"],
        satellites={"co2": ([30.0, 10.0], "万吨"), "employment": ([5.0, 2.0], "万人")},
    )


@pytest.fixture(scope="session")
def table() -> xn_io.IOTable:
    """The embedded Xianning table (immutable, so one load serves every test that reads it)."""
    return xn_io.load_table("xianning-2025")


def random_balanced(rng: np.random.Generator, n: int, *, density: float = 1.0, k_fd: int = 3):
    """A random productive table: Z, Y (n × k_fd), V (2 × n), x with both identities exact."""
    x = rng.uniform(50.0, 500.0, n)
    A = rng.uniform(0.0, 1.0, (n, n)) * (rng.uniform(size=(n, n)) < density)
    A *= rng.uniform(0.2, 0.8) / np.maximum(A.sum(axis=0), 1e-12)  # column sums < 1
    Z = A * x
    fd = x - Z.sum(axis=1)
    # keep final demand positive by raising output where needed
    short = fd <= 1.0
    x = np.where(short, x + (1.0 - fd) + 10.0, x)
    Z = A * x
    fd = x - Z.sum(axis=1)
    shares = rng.dirichlet(np.ones(k_fd), n)
    Y = fd[:, None] * shares
    va = x - Z.sum(axis=0)
    split = rng.uniform(0.3, 0.7, n)
    V = np.vstack([va * split, va * (1 - split)])
    return Z, Y, V, x
