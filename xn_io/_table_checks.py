"""Validation of the blocks of an :class:`~xn_io.table.IOTable`, called once by its constructor.

Each check raises :class:`~xn_io.errors.TableError` naming the block, the sector
(or row) and the size of the problem.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .errors import TableError

if TYPE_CHECKING:
    from .table import Satellite

__all__ = [
    "as_labels",
    "as_frame",
    "check_close",
    "check_satellites",
    "check_pillars",
    "check_sector_info",
    "check_technologies",
]


def as_labels(index: pd.Index) -> pd.Index:
    """Labels as strings; a MultiIndex (e.g. pymrio's (region, sector)) keeps its tuples, with string parts."""
    if isinstance(index, pd.MultiIndex):
        return (
            pd.MultiIndex.from_tuples([tuple(str(part) for part in label) for label in index], names=index.names)
            if len(index)
            else index
        )
    return index.map(str)


def as_frame(name: str, block: Any, *, index=None, columns=None) -> pd.DataFrame:
    if not isinstance(block, pd.DataFrame):
        raise TableError(f"{name} must be a pandas DataFrame, got {type(block).__name__}")
    block = block.copy()
    for column, dtype in block.dtypes.items():
        if dtype.kind == "c":
            raise TableError(f"{name} must hold real numbers; column {column!r} is complex")
        if dtype.kind in "OSU":
            text = block[column].map(lambda v: isinstance(v, (str, bytes, complex)))
            if text.any():
                row = block.index[int(text.to_numpy().argmax())]
                raise TableError(
                    f"{name} must hold numbers; row {row!r}, column {column!r} holds {block.at[row, column]!r}"
                )
    try:
        block = block.astype(float)
    except (TypeError, ValueError) as exc:
        raise TableError(f"{name} must be numeric: {exc}") from None
    block.index = as_labels(block.index)
    block.columns = as_labels(block.columns)
    for axis, want, what in ((block.index, index, "rows"), (block.columns, columns, "columns")):
        if want is None:
            continue
        if not axis.equals(want):
            missing = list(want.difference(axis))[:5]
            extra = list(axis.difference(want))[:5]
            detail = f"missing {missing}" if missing else ""
            detail += (", " if missing and extra else "") + (f"unexpected {extra}" if extra else "")
            if not detail:
                detail = "same labels in a different order"
            raise TableError(f"{name} {what} do not match the sectors of Z: {detail}")
    values = block.to_numpy()
    bad = ~np.isfinite(values)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise TableError(
            f"{name} has {int(bad.sum())} NaN or infinite entries; the first is at row "
            f"{block.index[r]!r}, column {block.columns[c]!r}"
        )
    return block


def check_close(what: str, got: np.ndarray, want: np.ndarray, sectors: pd.Index, rtol: float) -> None:
    scale = np.maximum(np.abs(want), rtol * max(1.0, float(np.abs(want).max(initial=0.0))))
    gap = np.abs(got - want)
    rel = np.divide(gap, scale, out=np.zeros_like(gap), where=scale > 0)
    bad = rel > rtol
    if bad.any():
        i = int(np.argmax(rel))
        raise TableError(
            f"{what} does not hold for sector {sectors[i]!r}: {got[i]:.6g} against {want[i]:.6g} "
            f"(off by {gap[i]:.3g}, {rel[i]:.2e} relative > rtol={rtol:g}); "
            f"{int(bad.sum())} sectors off in all"
        )


def check_satellites(
    satellites: Mapping[str, Satellite], sectors: pd.Index, categories: pd.Index, kind: type[Satellite]
) -> dict:
    """Satellites re-made (as ``kind``, the table's Satellite class: no import back into table.py)
    with values labelled and ordered by ``sectors``."""
    out = {}
    for key, sat in satellites.items():
        if not isinstance(sat, kind):
            raise TableError(f"satellite {key!r} must be a Satellite, got {type(sat).__name__}")
        values = as_frame(f"satellite {key!r}", pd.DataFrame(sat.values), index=sectors).iloc[:, 0]
        fd = sat.final_demand
        if fd is not None:
            fd = fd.copy()  # the caller's Satellite keeps its own labels
            fd.index = as_labels(fd.index)
            unknown = list(fd.index.difference(categories))
            if unknown:
                raise TableError(
                    f"satellite {key!r} has final-demand amounts for unknown categories {unknown}; "
                    f"Y has {list(categories)}"
                )
        out[str(key)] = kind(values.rename(str(key)), sat.unit, fd, sat.status, sat.note)
    return out


def check_pillars(pillars: pd.DataFrame | None, sectors: pd.Index) -> pd.DataFrame:
    columns = ["sector", "pillar", "share"]
    if pillars is None:
        return pd.DataFrame({c: pd.Series(dtype=float if c == "share" else object) for c in columns})
    missing = [c for c in columns if c not in pillars.columns]
    if missing:
        raise TableError(f"pillars must have columns {columns}; missing {missing}")
    pillars = pillars[columns].copy()
    pillars["sector"] = pillars["sector"].map(str)
    pillars["pillar"] = pillars["pillar"].map(str)
    pillars["share"] = pd.to_numeric(pillars["share"], errors="coerce")
    for row, rec in enumerate(pillars.itertuples(index=False)):
        if rec.sector not in sectors:
            raise TableError(f"pillars row {row}: sector {rec.sector!r} (pillar {rec.pillar!r}) is not in the table")
        if not (0 < rec.share <= 1):
            raise TableError(
                f"pillars row {row}: share of {rec.sector!r} in {rec.pillar!r} must be in (0, 1], got {rec.share}"
            )
    total = pillars.groupby("sector")["share"].sum()
    if (total > 1 + 1e-9).any():
        s = total.idxmax()
        raise TableError(f"pillars: the shares of sector {s!r} add up to {total[s]:.4g} > 1")
    return pillars.reset_index(drop=True)


def check_sector_info(info: pd.DataFrame | None, sectors: pd.Index) -> pd.DataFrame:
    if info is None:
        return pd.DataFrame({"name_en": list(sectors)}, index=sectors)
    info = info.copy()
    info.index = as_labels(info.index)
    unknown = list(info.index.difference(sectors))
    if unknown:
        raise TableError(f"sector_info has rows for unknown sectors {unknown[:5]}")
    info = info.reindex(sectors)
    if "name_en" not in info.columns:
        info["name_en"] = list(sectors)
    info["name_en"] = info["name_en"].fillna(pd.Series(list(sectors), index=sectors))
    info.index.name = "sector"
    return info


def check_technologies(technologies: Mapping[str, Sequence[str]], sectors: pd.Index) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    seen: dict[str, str] = {}
    if not isinstance(technologies, Mapping):
        raise TableError(f"technologies must map each product to a list of sectors, got {technologies!r}")
    for product, members in technologies.items():
        if (
            isinstance(members, (str, bytes))
            or not isinstance(members, Sequence)
            or not all(isinstance(m, str) for m in members)
        ):
            raise TableError(f"technologies: {product!r} must map to a list of sector labels, got {members!r}")
        members = [str(m) for m in members]
        for m in members:
            if m not in sectors:
                raise TableError(f"technologies: sector {m!r} making {product!r} is not in the table")
            if m in seen:
                raise TableError(f"technologies: sector {m!r} is listed under both {seen[m]!r} and {product!r}")
            seen[m] = product
        out[str(product)] = members
    return out
