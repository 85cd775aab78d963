"""Structural path analysis: the supply-chain paths by which final demand releases a satellite.

Pure functions on numpy arrays (labels are added by :mod:`xn_io.structural`).

The Leontief footprint of final demand ``y`` expands as a power series,
``f L y = Σ_k f Aᵏ y``, and each term splits into paths: the value of the path
``(i₀, i₁, …, i_m)`` — final demand for ``i₀`` buys from ``i₁``, which buys from
``i₂`` … up to ``i_m``, whose production releases the satellite — is

``f_{i_m} · a_{i_m i_{m−1}} ⋯ a_{i₂ i₁} a_{i₁ i₀} · y_{i₀}``   (order ``m``).

The search walks this tree from the final-demand sectors upstream. The whole
subtree below a node — every path that continues it — sums to ``w · (fL)_s``
(``w`` the product of coefficients times demand so far, ``s`` the node's
sector); when that bound is below the threshold no path in the subtree can
reach it, and the subtree is pruned (Lenzen 2003; Peters & Hertwich 2006). At
each depth the subtrees kept sum to at most the footprint, so at most
``1 / threshold`` nodes are expanded per depth whatever the number of sectors,
and each expansion is one vectorised pass over a column of ``A``.

Examples
--------
Miller & Blair (2022), Table 2.3, with CO2 intensities 0.03 and 0.005:

>>> A = np.array([[0.15, 0.25], [0.20, 0.05]])
>>> found = structural_paths(A, [0.03, 0.005], [0.0, 1000.0], threshold=0.05)
>>> [(p, round(float(v), 4)) for p, v in zip(found.paths, found.values)]
[((1, 0), 7.5), ((1,), 5.0), ((1, 0, 0), 1.125)]
>>> round(found.total, 4)         # f L y: 0.03·330.033 + 0.005·1122.112
15.5116
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp

from ._validation import as_square_matrix, as_vector
from .errors import NotProductiveError, SearchLimitError, TableError
from .leontief import LeontiefSolver, factorize

__all__ = ["PathSet", "structural_paths"]


class PathSet(NamedTuple):
    """Paths found by :func:`structural_paths`, largest ``|value|`` first."""

    paths: list[tuple[int, ...]]
    """Sector indices from the final-demand sector to the sector that releases the satellite."""
    values: np.ndarray
    """Value of each path (satellite units)."""
    subtree: np.ndarray
    """Footprint of the whole subtree rooted at each path (the path plus every continuation upstream)."""
    total: float
    """The footprint ``f L y`` that the paths decompose."""
    nodes: int
    """Tree nodes visited."""


def _absolute_bound(A, f: np.ndarray, m: np.ndarray, labels: Sequence[str] | None) -> np.ndarray:
    """``|f| (I − |A|)⁻¹``: per unit of output, a bound on subtree magnitudes.

    For non-negative ``A`` and ``f`` this is ``m = f L`` itself. Otherwise every
    path below a node is bounded in magnitude by the same path in ``|A|``,
    ``|f|``, so ``|w| (|f|(I − |A|)⁻¹)_s`` bounds the subtree (it needs ``|A|``
    to be productive).
    """
    data = A.data if sp.issparse(A) else A
    if not (data < 0).any() and not (f < 0).any():
        return m
    try:
        bound = factorize(abs(A), labels=labels).solve_transposed(np.abs(f))
    except NotProductiveError as exc:
        raise NotProductiveError(
            f"A has negative entries and |A| is not productive, so paths cannot be bounded for pruning: {exc}"
        ) from None
    return bound


def structural_paths(
    A,
    f,
    y,
    *,
    threshold: float = 1e-3,
    relative: bool = True,
    max_depth: int = 8,
    max_paths: int | None = None,
    max_nodes: int = 5_000_000,
    solver: LeontiefSolver | None = None,
    labels: Sequence[str] | None = None,
) -> PathSet:
    """The supply-chain paths whose value is at least ``threshold``, by pruned tree search.

    Parameters
    ----------
    A : array_like or sparse, shape (n, n)
        Technical coefficients. Negative entries (e.g. from a make–use
        derivation) are allowed: the pruning bound then uses ``|A|`` and ``|f|``.
    f : array_like, shape (n,)
        Satellite intensities per unit of output (negative entries allowed, e.g. sinks).
    y : array_like, shape (n,)
        Final demand (any sign: a negative entry gives negative paths).
    threshold : float
        Smallest ``|value|`` reported: a share of ``|f L y|`` when ``relative``
        (default 0.1 %), else in satellite units. 0 lists every path up to
        ``max_depth`` (exponential in the depth: only for small tables).
    relative : bool
        Read ``threshold`` as a share of the footprint.
    max_depth : int
        Longest path order (number of inter-industry steps) searched.
    max_paths : int, optional
        Keep only the largest paths.
    max_nodes : int
        Stop with :class:`SearchLimitError` beyond this many tree nodes.
    solver : LeontiefSolver, optional
        A factorisation of ``I − A`` to reuse (for the subtree bounds ``fL``).
    labels : sequence of str, optional
        Sector labels for error messages.

    Returns
    -------
    PathSet
        Paths sorted by decreasing ``|value|``, with subtree footprints, the
        total and the number of nodes visited.

    Raises
    ------
    TableError
        Bad shapes, NaN/inf entries, bad ``threshold``/``max_depth``.
    NotProductiveError
        If ``I − A`` is singular, or ``A`` has negative entries and ``I − |A|`` is
        not productive (no bound for pruning).
    SearchLimitError
        If the search would visit more than ``max_nodes`` nodes (raise the threshold).

    Notes
    -----
    Summed over every path to depth ``D`` (threshold 0), the values equal
    ``f Σ_{k≤D} Aᵏ y``, which converges to ``f L y`` as ``D`` grows.

    References
    ----------
    Defourny & Thorbecke (1984); Lenzen (2003); Peters & Hertwich (2006);
    Miller & Blair (2022), §12.4.

    Examples
    --------
    >>> A = np.array([[0.15, 0.25], [0.20, 0.05]])
    >>> found = structural_paths(A, [0.03, 0.005], [350.0, 1700.0], threshold=0.02, max_depth=2)
    >>> for p, v in zip(found.paths, found.values):
    ...     print(p, round(float(v), 4))
    (1, 0) 12.75
    (0,) 10.5
    (1,) 8.5
    (1, 0, 0) 1.9125
    (0, 0) 1.575
    """
    A = as_square_matrix("A", A, labels=labels)
    n = A.shape[0]
    f = as_vector("f", f, n, labels=labels)
    y = as_vector("y", y, n, labels=labels)
    if not (np.isfinite(threshold) and threshold >= 0):
        raise TableError(f"threshold must be a finite number ≥ 0, got {threshold!r}")
    if not isinstance(max_depth, (int, np.integer)) or max_depth < 0:
        raise TableError(f"max_depth must be an integer ≥ 0, got {max_depth!r}")
    if max_paths is not None and (not isinstance(max_paths, (int, np.integer)) or max_paths < 1):
        raise TableError(f"max_paths must be a positive integer or None, got {max_paths!r}")
    solver = solver if solver is not None else factorize(A, labels=labels)
    m = solver.solve_transposed(f)  # subtree footprint per unit of output of each sector
    total = float(m @ y)
    tau = float(threshold) * abs(total) if relative else float(threshold)
    bound_m = _absolute_bound(A, f, m, labels)
    dense = None if sp.issparse(A) else A
    csc = sp.csc_array(A) if dense is None else None

    # depth 0: one node per final-demand sector
    sector = np.flatnonzero((np.abs(y) * bound_m >= tau) & (np.abs(y) * bound_m > 0))
    weight = y[sector]
    levels_sector = [sector]
    levels_parent = [np.full(sector.size, -1)]
    found: list[tuple[int, int]] = []  # (depth, index in level)
    values: list[np.ndarray] = []
    subtree: list[np.ndarray] = []
    nodes = int(sector.size)
    chunk = max(1, 4_000_000 // max(n, 1))
    for depth in range(max_depth + 1):
        if sector.size == 0:
            break
        val = f[sector] * weight
        keep = np.flatnonzero((np.abs(val) >= tau) & (val != 0))
        found.extend((depth, int(k)) for k in keep)
        values.append(val[keep])
        subtree.append((m[sector] * weight)[keep])
        if depth == max_depth:
            break
        next_sector, next_weight, next_parent = [], [], []
        for start in range(0, sector.size, chunk):
            cols = sector[start : start + chunk]
            block = dense[:, cols] if dense is not None else csc[:, cols].toarray()  # type: ignore[index]
            w_child = block * weight[start : start + chunk][None, :]  # a_{k s} w, n × chunk
            bound = np.abs(w_child) * bound_m[:, None]
            k_idx, c_idx = np.nonzero((bound >= tau) & (bound > 0))
            next_sector.append(k_idx)
            next_weight.append(w_child[k_idx, c_idx])
            next_parent.append(c_idx + start)
        sector = np.concatenate(next_sector) if next_sector else np.zeros(0, int)
        weight = np.concatenate(next_weight) if next_weight else np.zeros(0)
        nodes += int(sector.size)
        if nodes > max_nodes:
            raise SearchLimitError(
                f"structural path search passed {max_nodes:,} nodes at depth {depth + 1} "
                f"(threshold {tau:.3g} on a total of {total:.3g}, {n} sectors); raise the threshold "
                "or lower max_depth",
                nodes=nodes,
            )
        levels_sector.append(sector)
        levels_parent.append(np.concatenate(next_parent) if next_parent else np.zeros(0, int))

    vals = np.concatenate(values) if values else np.zeros(0)
    subs = np.concatenate(subtree) if subtree else np.zeros(0)
    order = np.argsort(-np.abs(vals), kind="stable")
    if max_paths is not None:
        order = order[:max_paths]
    paths = []
    for k in order:
        depth, idx = found[int(k)]
        path = []
        while depth >= 0:
            path.append(int(levels_sector[depth][idx]))
            idx = int(levels_parent[depth][idx])
            depth -= 1
        paths.append(tuple(reversed(path)))
    return PathSet(paths=paths, values=vals[order], subtree=subs[order], total=total, nodes=nodes)
