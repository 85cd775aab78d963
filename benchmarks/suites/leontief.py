"""Leontief workloads: xn_io against pymrio's ``calc_*`` and plain numpy, on the same arrays.

Workloads (Miller & Blair 2022 symbols):

``coefficients``
    ``A = Z x̂⁻¹`` — xn_io ``technical_coefficients`` vs pymrio ``calc_A`` vs numpy broadcasting.
``leontief_inverse``
    the full ``L = (I − A)⁻¹`` — xn_io ``leontief_inverse`` vs pymrio ``calc_L`` vs ``numpy.linalg.inv``.
``output_1`` / ``output_100``
    ``x = L y`` for one demand vector and for 100 — xn_io ``solve_output`` vs
    pymrio ``calc_L`` + ``calc_x_from_L`` vs ``numpy.linalg.solve``.
``output_multipliers``
    ``1ᵀL`` — xn_io ``output_multipliers`` vs pymrio ``calc_M(1ᵀ, calc_L(A))``
    vs ``numpy.linalg.solve((I − A)ᵀ, 1)``.
``footprints``
    ``f L Y`` with ``f = F x̂⁻¹`` — xn_io ``intensities`` + ``footprints`` vs
    pymrio ``calc_S`` + ``calc_L`` + ``calc_M`` then ``M Y`` vs numpy.

On the sparse tables the peer ``dense`` is the dense route a user without a
sparse solver takes (``A.toarray()`` then ``numpy.linalg.solve``), and
``pymrio`` gets the dense ``A`` as well (it has no sparse path).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

import xn_io
from xn_io import leontief as xl

from ..harness import Case, relative_difference
from ..problems import Problem, load_problem

__all__ = ["SUITE", "WORKLOADS", "SPARSE_WORKLOADS", "available", "cases", "build", "tables"]

SUITE = "leontief"
WORKLOADS = ("coefficients", "leontief_inverse", "output_1", "output_100", "output_multipliers", "footprints")
SPARSE_WORKLOADS = ("output_1", "output_100", "output_multipliers")
DEMANDS = 100
PYMRIO_SPARSE_LIMIT = 5000
"""Largest sparse table on which pymrio (dense inverse) is run as a peer."""


def available() -> str | None:
    """None: the Leontief core and pymrio are always there."""
    try:
        import pymrio  # noqa: F401
    except ImportError:
        return "pymrio is not installed (pip install .[bench])"
    return None


def tables(*, quick: bool) -> tuple[list[str], list[str]]:
    """Dense and sparse tables of the quick or the full run."""
    if quick:
        return ["china-153", "us-402", "wiod-1435"], ["sparse-2000"]
    return (
        ["china-153", "us-402", "wiod-1435", "dense-2000", "dense-5000"],
        ["sparse-2000", "sparse-5000", "sparse-10000"],
    )


def _coefficients(p: Problem) -> np.ndarray | sp.csc_array:
    return xl.technical_coefficients(p.Z, p.x, zero_output="zero")


def _demands(p: Problem) -> np.ndarray:
    """100 demand vectors: the table's total final demand scaled sector by sector (seeded)."""
    rng = np.random.default_rng(p.n)
    return np.abs(p.Y.sum(axis=1))[:, np.newaxis] * rng.uniform(0.5, 1.5, (p.n, DEMANDS))


def build(workload: str, table: str) -> Case:
    """The case ``workload`` on ``table``, inputs prepared outside the timed callables."""
    import pymrio.tools.iomath as pm

    p = load_problem(table)
    n = p.n
    if p.sparse:
        return _build_sparse(workload, p, pm)
    A = _coefficients(p)
    Y100 = _demands(p)
    y = Y100[:, 0].copy()
    ones = np.ones(n)
    eye = np.eye

    def numpy_A():
        return np.divide(p.Z, p.x, out=np.zeros_like(p.Z), where=p.x != 0)

    impls: dict
    if workload == "coefficients":
        impls = {
            "xn_io": lambda: xl.technical_coefficients(p.Z, p.x, zero_output="zero"),
            "pymrio": lambda: pm.calc_A(p.Z, p.x),
            "numpy": numpy_A,
        }
    elif workload == "leontief_inverse":
        impls = {
            "xn_io": lambda: xn_io.leontief.leontief_inverse(A),
            "pymrio": lambda: pm.calc_L(A),
            "numpy": lambda: np.linalg.inv(eye(n) - A),
        }
    elif workload in ("output_1", "output_100"):
        rhs = y if workload == "output_1" else Y100
        impls = {
            "xn_io": lambda: xn_io.leontief.solve_output(A, rhs),
            "pymrio": lambda: pm.calc_x_from_L(pm.calc_L(A), rhs),
            "numpy": lambda: np.linalg.solve(eye(n) - A, rhs),
        }
    elif workload == "output_multipliers":
        impls = {
            "xn_io": lambda: xn_io.leontief.output_multipliers(A),
            "pymrio": lambda: pm.calc_M(ones[np.newaxis, :], pm.calc_L(A)).ravel(),
            "numpy": lambda: np.linalg.solve((eye(n) - A).T, ones),
        }
    elif workload == "footprints":
        impls = {
            "xn_io": lambda: xl.footprints(A, xl.intensities(p.F, p.x, zero_output="zero"), p.Y),
            "pymrio": lambda: pm.calc_M(pm.calc_S(p.F, p.x), pm.calc_L(A)) @ p.Y,
            "numpy": lambda: np.linalg.solve((eye(n) - A).T, numpy_S(p).T).T @ p.Y,
        }
    else:
        raise KeyError(f"unknown leontief workload {workload!r}; expected one of {WORKLOADS}")
    return Case(SUITE, workload, table, n, impls, relative_difference, tol=1e-9, memory=n >= 1000)


def numpy_S(p: Problem) -> np.ndarray:
    """Satellite intensities ``F x̂⁻¹`` by numpy broadcasting (0 where output is 0)."""
    return np.divide(p.F, p.x, out=np.zeros_like(p.F), where=p.x != 0)


def _build_sparse(workload: str, p: Problem, pm) -> Case:
    n = p.n
    A = _coefficients(p)
    Y100 = _demands(p)
    y = Y100[:, 0].copy()
    ones = np.ones(n)

    def dense_I_minus_A():
        return np.eye(n) - A.toarray()

    if workload in ("output_1", "output_100"):
        rhs = y if workload == "output_1" else Y100
        impls = {
            "xn_io": lambda: xn_io.leontief.solve_output(A, rhs),
            "dense": lambda: np.linalg.solve(dense_I_minus_A(), rhs),
            "pymrio": lambda: pm.calc_x_from_L(pm.calc_L(A.toarray()), rhs),
        }
    elif workload == "output_multipliers":
        impls = {
            "xn_io": lambda: xn_io.leontief.output_multipliers(A),
            "dense": lambda: np.linalg.solve(dense_I_minus_A().T, ones),
            "pymrio": lambda: pm.calc_M(ones[np.newaxis, :], pm.calc_L(A.toarray())).ravel(),
        }
    else:
        raise KeyError(f"unknown sparse leontief workload {workload!r}; expected one of {SPARSE_WORKLOADS}")
    if n > PYMRIO_SPARSE_LIMIT:
        # pymrio inverts the dense matrix (≈ 2n³ flops, three n × n arrays): at n = 10,000 that is
        # minutes per call for nothing the dense-route peer does not already show.
        del impls["pymrio"]
    extra = {"density": float(A.nnz) / n**2, "method": "gmres (xn_io.factorize default for sparse input)"}
    # GMRES stops at a relative residual of 1e-10; with cond(I − A) of order 10 the solution agrees to ~1e-9.
    return Case(SUITE, workload, p.key, n, impls, relative_difference, tol=1e-7, memory=True, extra=extra)


def cases(*, quick: bool) -> Iterator[Case]:
    """Every case of the quick or the full run, built lazily (one table's inputs in memory at a time)."""
    dense, sparse = tables(quick=quick)
    for table in dense:
        for workload in WORKLOADS:
            yield build(workload, table)
    for table in sparse:
        for workload in SPARSE_WORKLOADS:
            yield build(workload, table)
