"""Network workloads: the sector graph of a table, key sectors (PageRank) and communities.

xn_io's :mod:`xn_io.network` functions take an :class:`~xn_io.IOTable` and
return a networkx graph rich in attributes; the peer (``networkx``) is what a
user writes by hand from the coefficient matrix with networkx alone. Results
must agree: the same edges with the same coefficients, the same PageRank
vector, the same partition into communities.

Workloads:

``sector_graph``
    links ``a_ij`` above a threshold (self-purchases left out) — xn_io
    ``sector_graph(table, threshold=τ)`` vs ``networkx.from_scipy_sparse_array``
    on the thresholded ``A``, both from ``Z`` and ``x`` (xn_io through a new
    :class:`~xn_io.IOTable`, whose cached ``A`` and LU factors are not reused). xn_io also puts output, value added, output
    multipliers (one LU solve) and pillar shares on the nodes, and flows,
    allocation coefficients and distances on the edges: the ratio is the price
    of those attributes.
``pagerank``
    PageRank of the supplier → buyer graph weighted by flows — xn_io
    ``central_sectors(graph)`` (which also computes in/out strengths, the PageRank
    of the reversed graph and betweenness) vs ``networkx.pagerank`` alone;
    full run only, on WIOD: betweenness (Brandes, O(n·m + n² log n)) makes it
    the slow part, and unaffordable at n = 10,000 with 10⁶ links.
``communities``
    Louvain communities of the symmetrised flow graph, seed 0 — xn_io
    ``communities(graph)`` vs the same networkx call on a graph built from
    ``Z + Zᵀ``. Agreement: 1 − adjusted Rand index of the two partitions.

Tables: ``wiod-1435`` (links with ``a_ij > 10⁻³``, about 62,000; WIOD's integer rounding
residual is kept as one more final-demand column so that the table balances)
and ``sparse-10000`` (all links, about 10⁶; full run only). PageRank runs on ``wiod-1435`` only.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..harness import Case, relative_difference
from ..problems import load_problem

__all__ = ["SUITE", "available", "specs", "cases", "build", "THRESHOLDS"]

SUITE = "network"
THRESHOLDS = {"wiod-1435": 1e-3, "sparse-10000": 0.0, "sparse-2000": 0.0}


def available() -> str | None:
    """None when ``xn_io.network`` provides ``sector_graph``, ``central_sectors`` and ``communities``."""
    try:
        from xn_io.network import central_sectors, communities, sector_graph  # noqa: F401
    except ImportError as exc:
        return f"not yet available: xn_io.network cannot be imported ({exc})"
    return None


def _table(table: str):
    import xn_io

    p = load_problem(table)
    Z = p.Z.toarray() if sp.issparse(p.Z) else p.Z
    residual = p.x - Z.sum(axis=1) - p.Y.sum(axis=1)
    Y = np.column_stack([p.Y, residual]) if np.abs(residual).max() > 0 else p.Y
    sectors = [f"s{i}" for i in range(p.n)]
    return xn_io.IOTable.from_arrays(Z, Y, x=p.x, sectors=sectors, name=table), Z, p.x, sectors


def _edge_vector(graph, attr: str) -> np.ndarray:
    return np.sort(np.fromiter((d for _, _, d in graph.edges(data=attr)), dtype=float, count=graph.number_of_edges()))


def _compare_edges(a, b) -> float:
    if set(a.edges) != set(b.edges):
        return float("inf")
    return relative_difference(_edge_vector(a, "coefficient"), _edge_vector(b, "coefficient"))


def _adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index of two labelings (Hubert & Arabie 1985)."""
    table = pd.crosstab(a, b).to_numpy().astype(float)

    def comb2(v):
        return float((v * (v - 1) / 2).sum())

    total = comb2(np.array([len(a)]))
    index = comb2(table)
    rows, cols = comb2(table.sum(axis=1)), comb2(table.sum(axis=0))
    expected = rows * cols / total
    maximum = (rows + cols) / 2
    return 1.0 if maximum == expected else (index - expected) / (maximum - expected)


def betweenness_error(graph, central_sectors) -> dict:
    """How far ``central_sectors``' default sampled betweenness is from the exact one on ``graph``.

    Errors are relative to the largest exact value; ``spearman`` is the rank
    correlation over all sectors, ``top10_overlap`` how many of the exact ten
    most central sectors the estimate also ranks in its top ten.
    """
    import time

    from xn_io.network import BETWEENNESS_SAMPLE

    t0 = time.perf_counter()
    exact = central_sectors(graph, sample=None)
    exact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    sampled = central_sectors(graph)
    sampled_s = time.perf_counter() - t0
    e = exact["betweenness"]
    b = sampled["betweenness"].reindex(e.index)
    scale = float(e.max()) or 1.0
    top_exact = set(e.nlargest(10).index)
    top_sampled = set(b.nlargest(10).index)
    return {
        "k": BETWEENNESS_SAMPLE,
        "seed": 0,
        "how": sampled.attrs.get("betweenness"),
        "exact_seconds": exact_s,
        "sampled_seconds": sampled_s,
        "max_abs_error_over_max": float((b - e).abs().max() / scale),
        "mean_abs_error_over_max": float((b - e).abs().mean() / scale),
        "spearman": float(b.corr(e, method="spearman")),
        "top10_overlap": len(top_exact & top_sampled),
        "top1_same": bool(e.idxmax() == b.idxmax()),
    }


def build(workload: str, table: str) -> Case:
    """The case ``workload`` on ``table``."""
    import networkx as nx

    from xn_io.network import central_sectors, communities, sector_graph

    t, Z, x, sectors = _table(table)
    threshold = THRESHOLDS.get(table, 0.0)
    A = np.divide(Z, x[np.newaxis, :], out=np.zeros_like(Z), where=x[np.newaxis, :] > 0)
    n = len(sectors)

    def fresh_table():
        # a new table per call: IOTable caches A and the LU factors, which would otherwise be free after the first call
        return t.replace()

    def peer_graph():
        A = np.divide(Z, x[np.newaxis, :], out=np.zeros_like(Z), where=x[np.newaxis, :] > 0)
        keep = sp.coo_array(np.where(threshold < A, A, 0.0))
        off = keep.row != keep.col
        keep = sp.coo_array((keep.data[off], (keep.row[off], keep.col[off])), shape=keep.shape)
        g = nx.from_scipy_sparse_array(keep, create_using=nx.DiGraph, edge_attribute="coefficient")
        return nx.relabel_nodes(g, dict(enumerate(sectors)))

    def peer_graph_int():
        # networkx's own construction alone: integer nodes, no labels
        A = np.divide(Z, x[np.newaxis, :], out=np.zeros_like(Z), where=x[np.newaxis, :] > 0)
        keep = sp.coo_array(np.where(threshold < A, A, 0.0))
        off = keep.row != keep.col
        keep = sp.coo_array((keep.data[off], (keep.row[off], keep.col[off])), shape=keep.shape)
        return nx.from_scipy_sparse_array(keep, create_using=nx.DiGraph, edge_attribute="coefficient")

    extra: dict = {}
    if workload == "sector_graph":
        impls = {
            "xn_io": lambda: sector_graph(fresh_table(), threshold=threshold),
            "networkx": peer_graph,
            "networkx.int": peer_graph_int,
        }

        def compare(a, b):
            if b.number_of_nodes() and isinstance(next(iter(b.nodes)), (int, np.integer)):
                b = nx.relabel_nodes(b, dict(enumerate(sectors)))
            return _compare_edges(a, b)

        tol = 1e-12
    elif workload == "pagerank":
        graph = sector_graph(t, threshold=threshold)
        extra["betweenness"] = betweenness_error(graph, central_sectors)

        def xn():
            return central_sectors(graph)["pagerank"].reindex(sectors).to_numpy()

        def peer():
            pr = nx.pagerank(graph, alpha=0.85, weight="flow")
            return np.array([pr[s] for s in sectors])

        impls = {"xn_io": xn, "networkx": peer}
        compare, tol = relative_difference, 1e-12
    elif workload == "communities":
        graph = sector_graph(t, threshold=threshold)

        def xn():
            return communities(graph, seed=0).reindex(sectors).to_numpy()

        def peer():
            und = nx.Graph()
            und.add_nodes_from(graph.nodes)
            for u, v, d in graph.edges(data="flow"):
                if und.has_edge(u, v):
                    und[u][v]["weight"] += d
                else:
                    und.add_edge(u, v, weight=d)
            parts = nx.community.louvain_communities(und, weight="weight", seed=0)
            label = {s: k for k, part in enumerate(parts) for s in part}
            return np.array([label[s] for s in sectors])

        impls = {"xn_io": xn, "networkx": peer}

        def compare(a, b):
            return 1.0 - _adjusted_rand(np.asarray(a), np.asarray(b))

        tol = 1e-12
    else:
        raise KeyError(f"unknown network workload {workload!r}; expected sector_graph, pagerank or communities")
    extra.update(threshold=threshold, edges=int(((threshold < A) & ~np.eye(n, dtype=bool)).sum()))
    # at n = 10,000 (10⁶ links) one call takes about a minute (Louvain; a dense LU inside sector_graph):
    # the agreement run and one more round give the two timings
    return Case(
        SUITE,
        workload,
        table,
        n,
        impls,
        compare,
        tol=tol,
        memory=n >= 5000,
        extra=extra,
        max_rounds=1 if n >= 5000 else None,
    )


def specs(*, quick: bool) -> list[tuple[str, str]]:
    """(workload, table) of every case: quick, the WIOD graph; full, WIOD and the sparse n = 10,000 table."""
    out = [("sector_graph", "wiod-1435"), ("communities", "wiod-1435")]
    if not quick:
        out += [("pagerank", "wiod-1435"), ("sector_graph", "sparse-10000"), ("communities", "sparse-10000")]
    return out


def cases(*, quick: bool) -> Iterator[Case]:
    """The cases of :func:`specs`, built one at a time."""
    for workload, table in specs(quick=quick):
        yield build(workload, table)
