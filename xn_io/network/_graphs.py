"""Graph helpers shared by the network modules (internal)."""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

__all__ = ["induced_subgraph"]


def induced_subgraph(graph: nx.DiGraph, nodes: Collection) -> nx.DiGraph:
    """A copy of the subgraph on ``nodes`` in the graph's own node and edge order.

    ``graph.subgraph(some_set)`` iterates in the set's order, which for strings
    changes with the hash seed; results that depend on order (ties in cuts,
    printed tables) would then change from run to run.
    """
    keep = set(nodes)
    sub = nx.DiGraph(**graph.graph)
    sub.add_nodes_from((n, dict(d)) for n, d in graph.nodes(data=True) if n in keep)
    sub.add_edges_from((u, v, dict(d)) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return sub
