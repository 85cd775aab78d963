"""Linkage workloads: hypothetical extraction of every sector, and structural path analysis.

``extraction_all``
    The gross output lost when each sector in turn is removed from the
    economy (rows, column and final demand; Miller & Blair 2022, §12.2.1) —
    xn_io ``extraction_losses(A, y)`` (one factorisation and closed forms per
    sector) vs ``resolve_each``: for every sector j, delete row and column j
    and solve the remaining ``(I − A_RR) x_R = y_R`` with
    ``numpy.linalg.solve`` — one fresh LU factorisation per sector, already
    cheaper than the n full inverses of a literal re-inversion.
``spa``
    Structural path analysis: every supply-chain path (final-demand sector →
    … → sector releasing the satellite) of value at least 0.1 % of the
    footprint ``f L y``, to depth 8 — xn_io ``structural_paths`` vs a
    hand-written numpy search (``numpy_spa``) that expands the tree level by
    level with a safe bound (a subtree is worth at most its prefix times
    ``(f L)_i``, or ``(|f| (I − |A|)⁻¹)_i`` when the table has negative
    entries, as the US table does) and ``L`` from ``numpy.linalg.inv``. Both must report
    the same paths with the same values.

Satellite ``f``: the table's first account per unit of output (value added
for the real tables); ``y``: total final demand ``Y·1``.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..harness import Case, relative_difference
from ..problems import load_problem

__all__ = ["SUITE", "available", "cases", "build", "resolve_each", "numpy_spa", "SPA_THRESHOLD", "SPA_DEPTH"]

SUITE = "linkages"
SPA_THRESHOLD = 1e-3
SPA_DEPTH = 8


def available() -> str | None:
    """None when ``xn_io.extraction.extraction_losses`` and ``xn_io.spa.structural_paths`` import."""
    try:
        from xn_io.extraction import extraction_losses  # noqa: F401
        from xn_io.spa import structural_paths  # noqa: F401
    except ImportError as exc:
        return f"not yet available: {exc}"
    return None


def resolve_each(A: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Gross output lost by extracting each sector, by deleting it and re-solving (one LU per sector)."""
    n = A.shape[0]
    base = np.linalg.solve(np.eye(n) - A, y).sum()
    loss = np.empty(n)
    keep = np.ones(n, dtype=bool)
    for j in range(n):
        keep[j] = False
        sub = A[np.ix_(keep, keep)]
        loss[j] = base - np.linalg.solve(np.eye(n - 1) - sub, y[keep]).sum()
        keep[j] = True
    return loss


def numpy_spa(A: np.ndarray, f: np.ndarray, y: np.ndarray, *, threshold: float, max_depth: int) -> dict:
    """Every path of ``|value| ≥ threshold · |f L y|`` to ``max_depth``, level by level.

    Returns ``{path tuple: value}``; a path runs from the final-demand sector to
    the sector releasing the satellite, its value is
    ``f[i_k] A[i_k, i_{k-1}] … A[i_1, i_0] y[i_0]``.
    """
    n = A.shape[0]
    m = f @ np.linalg.inv(np.eye(n) - A)
    tau = threshold * abs(float(m @ y))
    if (A < 0).any() or (f < 0).any():
        # with signed entries a subtree is bounded by the same paths in |A| and |f|
        m = np.abs(f) @ np.linalg.inv(np.eye(n) - np.abs(A))
    found: dict = {}
    paths = [(j,) for j in range(n)]
    weight = np.asarray(y, dtype=float).copy()
    last = np.arange(n)
    for depth in range(max_depth + 1):
        alive = np.abs(m[last] * weight) >= tau
        paths = [p for p, a in zip(paths, alive) if a]
        weight, last = weight[alive], last[alive]
        value = f[last] * weight
        for p, v in zip(paths, value):
            if abs(v) >= tau:
                found[p] = float(v)
        if depth == max_depth or not paths:
            break
        child = A[:, last].T * weight[:, np.newaxis]  # child[k, i]: weight after buying from i
        k_idx, i_idx = np.nonzero(np.abs(child * m[np.newaxis, :]) >= tau)
        paths = [paths[k] + (int(i),) for k, i in zip(k_idx, i_idx)]
        weight = child[k_idx, i_idx]
        last = i_idx
    return found


def _compare_paths(a: dict, b: dict) -> float:
    if set(a) != set(b):
        return float("inf")
    keys = sorted(a)
    return relative_difference(np.array([a[k] for k in keys]), np.array([b[k] for k in keys]))


def _inputs(table: str):
    from xn_io.leontief import intensities, technical_coefficients

    p = load_problem(table)
    Z = p.Z.toarray() if hasattr(p.Z, "toarray") else p.Z
    A = technical_coefficients(Z, p.x, zero_output="zero")
    f = intensities(p.F[0], p.x, zero_output="zero")
    return A, f, p.Y.sum(axis=1), p.n


def build(workload: str, table: str) -> Case:
    """The case ``workload`` on ``table``."""
    from xn_io.extraction import extraction_losses
    from xn_io.spa import structural_paths

    A, f, y, n = _inputs(table)
    if workload == "extraction_all":
        impls = {"xn_io": lambda: extraction_losses(A, y)[:, 0], "resolve_each": lambda: resolve_each(A, y)}
        # on WIOD one re-solving pass is 1435 LU factorisations (about two minutes on one core): two timed rounds
        return Case(SUITE, workload, table, n, impls, relative_difference, tol=1e-8, max_rounds=2 if n > 1000 else None)
    if workload == "spa":

        def xn():
            found = structural_paths(A, f, y, threshold=SPA_THRESHOLD, max_depth=SPA_DEPTH)
            return dict(zip(found.paths, map(float, found.values)))

        impls = {"xn_io": xn, "numpy": lambda: numpy_spa(A, f, y, threshold=SPA_THRESHOLD, max_depth=SPA_DEPTH)}
        return Case(
            SUITE,
            workload,
            table,
            n,
            impls,
            _compare_paths,
            tol=1e-9,
            extra={"threshold": SPA_THRESHOLD, "max_depth": SPA_DEPTH},
        )
    raise KeyError(f"unknown linkages workload {workload!r}; expected extraction_all or spa")


def cases(*, quick: bool) -> Iterator[Case]:
    """Quick: China 153 and US 402; full: also WIOD 1435."""
    tables = ["china-153", "us-402"] if quick else ["china-153", "us-402", "wiod-1435"]
    for table in tables:
        yield build("extraction_all", table)
    for table in tables:
        yield build("spa", table)
