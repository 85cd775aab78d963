"""Transformations of an :class:`~xn_io.table.IOTable` that make a new table: aggregation and selection.

Called through :meth:`IOTable.aggregate` and :meth:`IOTable.select`, which hold
the documentation; both keep the row and column identities.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .errors import TableError

if TYPE_CHECKING:
    from .table import IOTable

__all__ = ["aggregate_table", "select_sectors"]


def aggregate_table(table: IOTable, mapping: Mapping[str, str] | pd.Series, *, name: str | None = None) -> IOTable:
    """Sectors summed into groups (see :meth:`IOTable.aggregate`)."""
    groups = pd.Series(mapping, dtype=object)
    groups.index = groups.index.map(str)
    missing = list(table.sectors.difference(groups.index))
    if missing:
        raise TableError(f"aggregate(): sectors without a group: {missing[:10]}")
    unknown = list(groups.index.difference(table.sectors))
    if unknown:
        raise TableError(f"aggregate(): mapping names sectors not in the table: {unknown[:10]}")
    g = groups.reindex(table.sectors).map(str)
    order = pd.Index(pd.unique(g.to_numpy()))
    Z = table._Z.groupby(g.to_numpy()).sum().T.groupby(g.to_numpy()).sum().T.reindex(index=order, columns=order)
    Y = table._Y.groupby(g.to_numpy()).sum().reindex(order)
    V = table._V.T.groupby(g.to_numpy()).sum().T.reindex(columns=order)
    M = table._M.T.groupby(g.to_numpy()).sum().T.reindex(columns=order) if len(table._M) else None
    x = table._x.groupby(g.to_numpy()).sum().reindex(order)
    sats = {
        k: dataclasses.replace(s, values=s.values.groupby(g.to_numpy()).sum().reindex(order))
        for k, s in table._satellites.items()
    }
    pillars = None
    if not table._pillars.empty:
        p = table._pillars.assign(
            group=table._pillars["sector"].map(g), output=lambda d: d["share"] * d["sector"].map(table._x)
        )
        p = p.groupby(["group", "pillar"], sort=False)["output"].sum().reset_index()
        p["share"] = p["output"] / p["group"].map(x)
        pillars = p.rename(columns={"group": "sector"})[["sector", "pillar", "share"]]
        pillars = pillars[pillars["share"] > 0]
    techs = {p: m for p, m in table._technologies.items() if g[m].nunique() == len(m)}
    techs = {p: [g[s] for s in m] for p, m in techs.items()}
    kwargs = table._kwargs() | dict(x=x, satellites=sats, pillars=pillars, sector_info=None, technologies=techs)
    kwargs["name"] = name if name is not None else f"{table.name} (aggregated)".strip()
    kwargs["metadata"] = table._metadata | {
        "aggregated_from": table.name,
        "aggregation": {s: g[s] for s in table.sectors},
    }
    return type(table)(Z, Y, V, M, **kwargs)


def select_sectors(table: IOTable, sectors: Sequence[str], *, name: str | None = None) -> IOTable:
    """Some sectors kept, the others moved outside the table (see :meth:`IOTable.select`)."""
    keep = pd.Index([str(s) for s in sectors])
    unknown = list(keep.difference(table.sectors))
    if unknown:
        raise TableError(f"select(): unknown sectors {unknown[:10]}")
    if keep.empty:
        raise TableError("select(): no sectors selected")
    drop = table.sectors.difference(keep)
    Z = table._Z.loc[keep, keep]
    Y = table._Y.loc[keep].copy()
    M = table._M.loc[:, keep].copy()
    if len(drop):
        Y["other_sectors"] = table._Z.loc[keep, drop].sum(axis=1)
        M.loc["other_sectors"] = table._Z.loc[drop, keep].sum(axis=0)
    sats = {k: dataclasses.replace(s, values=s.values[keep]) for k, s in table._satellites.items()}
    pillars = table._pillars[table._pillars["sector"].isin(keep)]
    techs = {p: m for p, m in table._technologies.items() if set(m) <= set(keep)}
    kwargs = table._kwargs() | dict(
        x=table._x[keep], satellites=sats, pillars=pillars, sector_info=table._sector_info.loc[keep], technologies=techs
    )
    kwargs["name"] = name if name is not None else table.name
    return type(table)(Z, Y, table._V.loc[:, keep], M, **kwargs)
