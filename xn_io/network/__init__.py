"""Supply-chain networks on networkx: the sector graph of a table and chain-leader firm networks.

Sector level (any :class:`~xn_io.IOTable`): :func:`sector_graph`, key sectors
and links, pillar chains, communities against the plan's pillars, and the gaps
of each chain (inputs bought mostly outside the region) with the gain of
supplying them locally. Firm level: :func:`firm_graph` validates a firm network,
:func:`local_supporting_rate` measures the chain leaders' local supporting rate
(本地化配套率) against the plan's 30% target, and :func:`critical_suppliers`,
:func:`supply_cut` and :func:`shared_suppliers` find the weak points.
:func:`load_firms` gives the shipped ILLUSTRATIVE Xianning network (generated,
not survey data). This package does not import :mod:`xn_io.optimize`.
"""

from __future__ import annotations

from ..gaps import chain_gaps, localisation_gain, pillar_weights
from ..imports_by_product import (
    GAP_MEASURE,
    IMPORTS_ROW,
    gap_imports,
    has_imports,
    imported_inputs,
    reference_coefficients,
)
from .clusters import CommunityComparison, communities, compare_communities
from .draw import OUTSIDE, draw_chain, save_chain_drawing
from .firms import (
    FIRM_COLUMNS,
    LINK_COLUMNS,
    LOCAL_SUPPORT_TARGET,
    FirmData,
    SupplyCut,
    critical_suppliers,
    firm_graph,
    list_firm_datasets,
    load_firms,
    local_supporting_rate,
    read_firms,
    shared_suppliers,
    supply_cut,
)
from .sector import BETWEENNESS_SAMPLE, central_sectors, key_links, pillar_chain, pillar_chains, sector_graph

__all__ = [
    "sector_graph",
    "imported_inputs",
    "gap_imports",
    "GAP_MEASURE",
    "has_imports",
    "reference_coefficients",
    "IMPORTS_ROW",
    "central_sectors",
    "BETWEENNESS_SAMPLE",
    "key_links",
    "pillar_chain",
    "pillar_chains",
    "communities",
    "compare_communities",
    "CommunityComparison",
    "chain_gaps",
    "localisation_gain",
    "pillar_weights",
    "FIRM_COLUMNS",
    "LINK_COLUMNS",
    "LOCAL_SUPPORT_TARGET",
    "FirmData",
    "firm_graph",
    "read_firms",
    "load_firms",
    "list_firm_datasets",
    "local_supporting_rate",
    "critical_suppliers",
    "SupplyCut",
    "supply_cut",
    "shared_suppliers",
    "draw_chain",
    "save_chain_drawing",
    "OUTSIDE",
]
