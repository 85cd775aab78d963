"""Clusters of sectors in the flow graph (candidate industrial chains) against the plan's pillars."""

from __future__ import annotations

from typing import Literal, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import NetworkDataError

__all__ = ["communities", "CommunityComparison", "compare_communities"]


def _undirected(graph: nx.DiGraph, weight: str) -> nx.Graph:
    und = nx.Graph()
    und.add_nodes_from(graph.nodes)
    for u, v, d in graph.edges(data=True):
        if u == v:
            continue
        w = float(d.get(weight, 1.0))
        if und.has_edge(u, v):
            und[u][v]["weight"] += w
        else:
            und.add_edge(u, v, weight=w)
    return und


def communities(
    graph: nx.DiGraph,
    *,
    method: Literal["louvain", "greedy"] = "louvain",
    weight: str = "flow",
    resolution: float = 1.0,
    seed: int = 0,
) -> pd.Series:
    """Clusters of sectors that trade mostly with each other (candidate industrial chains).

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph`; links are symmetrised (z_ij + z_ji).
    method : {"louvain", "greedy"}
        Louvain (Blondel et al. 2008; randomised, fixed by ``seed``) or
        Clauset–Newman–Moore greedy modularity (deterministic).
    weight : str
        Edge attribute used as link weight.
    resolution : float
        Modularity resolution (> 1 gives smaller clusters).
    seed : int
        Seed of the Louvain method.

    Returns
    -------
    pandas.Series
        Community number by sector, 0 for the largest community.

    Raises
    ------
    NetworkDataError
        Unknown method.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.IOTable.from_arrays([[0, 9, 0, 0], [9, 0, 1, 0], [0, 0, 0, 9], [0, 1, 9, 0]], [5] * 4,
    ...                               sectors=["a", "b", "c", "d"])
    >>> communities(xn_io.network.sector_graph(t), method="greedy").tolist()
    [0, 0, 1, 1]
    """
    und = _undirected(graph, weight)
    if method == "louvain":
        parts = nx.community.louvain_communities(und, weight="weight", resolution=resolution, seed=seed)
    elif method == "greedy":
        parts = nx.community.greedy_modularity_communities(und, weight="weight", resolution=resolution)
    else:
        raise NetworkDataError(f"method must be 'louvain' or 'greedy', got {method!r}")
    order = list(graph.nodes)
    parts = sorted((sorted(p, key=order.index) for p in parts), key=lambda p: (-len(p), order.index(p[0])))
    labels = {n: k for k, part in enumerate(parts) for n in part}
    return pd.Series([labels[n] for n in order], index=pd.Index(order, name="sector"), name="community")


class CommunityComparison(NamedTuple):
    """Communities found in the flows against the plan's pillar grouping."""

    crosstab: pd.DataFrame
    """Sectors counted by pillar (rows, ``"(none)"`` for sectors in no pillar) × community (columns)."""
    adjusted_rand: float
    """Adjusted Rand index of the two partitions (1: identical, ≈0: unrelated)."""


def _comb2(v) -> float:
    v = np.asarray(v, dtype=float)
    return float((v * (v - 1) / 2).sum())


def compare_communities(graph: nx.DiGraph, found: pd.Series) -> CommunityComparison:
    """Compare communities with the pillars of a sector graph (each sector's largest pillar).

    Parameters
    ----------
    graph : networkx.DiGraph
        From :func:`sector_graph` (node attribute ``pillar``).
    found : pandas.Series
        Community by sector (from :func:`communities`).

    Returns
    -------
    CommunityComparison

    Raises
    ------
    NetworkDataError
        If ``found`` and the graph do not cover the same sectors.

    Notes
    -----
    Adjusted Rand index of Hubert & Arabie (1985): (Σ C(n_ij,2) − E) / (½(Σ C(a_i,2) + Σ C(b_j,2)) − E),
    E = Σ C(a_i,2) Σ C(b_j,2) / C(n,2).

    Examples
    --------
    >>> import xn_io
    >>> import pandas as pd
    >>> t = xn_io.IOTable.from_arrays([[0, 9, 0, 0], [9, 0, 1, 0], [0, 0, 0, 9], [0, 1, 9, 0]], [5] * 4,
    ...     sectors=["a", "b", "c", "d"],
    ...     pillars=pd.DataFrame({"sector": list("abcd"), "pillar": ["P", "P", "Q", "Q"], "share": 1.0}))
    >>> g = xn_io.network.sector_graph(t)
    >>> compare_communities(g, communities(g, method="greedy")).adjusted_rand
    1.0
    """
    if set(found.index) != set(graph.nodes):
        diff = sorted(set(found.index).symmetric_difference(graph.nodes))
        raise NetworkDataError(f"communities and graph cover different sectors, e.g. {diff[:5]}")
    pillar = pd.Series({n: graph.nodes[n].get("pillar") or "(none)" for n in found.index})
    table = pd.crosstab(pillar.rename("pillar"), found.rename("community"))
    n = float(table.to_numpy().sum())
    index = _comb2(table.to_numpy().ravel())
    a, b = _comb2(table.sum(axis=1)), _comb2(table.sum(axis=0))
    expected = a * b / (n * (n - 1) / 2) if n > 1 else 0.0
    top = (a + b) / 2 - expected
    ari = 1.0 if top == 0 else (index - expected) / top
    return CommunityComparison(crosstab=table, adjusted_rand=float(ari))
