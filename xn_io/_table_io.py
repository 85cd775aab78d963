"""Reading and writing tables, below :mod:`xn_io.table` (internal; the public API is :mod:`xn_io.io`).

:class:`~xn_io.IOTable` offers ``to_csv``, ``from_csv``, ``to_pymrio`` and ``from_pymrio``
and :mod:`xn_io.io` offers the same as functions; both call this module, which never
imports :mod:`xn_io.table`: a function that builds a table is given the class
(``table_cls``). So the table layer has no import cycle with its readers and writers.
"""

from __future__ import annotations

import hashlib
import io as _io
import os
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import tomli_w

from ._fields import check_value
from ._files import atomic_directory
from ._satellite import OTHER_INPUTS, Satellite
from ._validation import utf8_error
from .errors import TableError

if TYPE_CHECKING:
    from .table import IOTable

__all__ = [
    "table_blocks",
    "table_metadata_toml",
    "write_csv_folder",
    "read_csv_folder",
    "table_from_blocks",
    "to_pymrio",
    "from_pymrio",
]

_FORMAT = "xn_io-csv-1"


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = _io.StringIO()
    frame.to_csv(buffer, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _toml_safe(value: Any) -> Any:
    """Drop None (TOML has no null) and turn numpy scalars into Python ones."""
    if isinstance(value, dict):
        return {str(k): _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_toml_safe(v) for v in value if v is not None]
    if isinstance(value, np.generic):
        return value.item()
    return value


def table_blocks(table: IOTable) -> dict[str, pd.DataFrame]:
    """The blocks of ``table`` as written to its CSV folder (file name → frame, row labels in the index)."""
    blocks: dict[str, pd.DataFrame] = {
        "Z.csv": table.Z.rename_axis("sector"),
        "Y.csv": table.Y.rename_axis("sector"),
        "V.csv": table.V.rename_axis("component"),
        "x.csv": table.x.rename("x").to_frame().rename_axis("sector"),
        "sectors.csv": table.sector_info.rename_axis("sector"),
    }
    if len(table.M):
        blocks["M.csv"] = table.M.rename_axis("component")
    sats = table.satellites
    if sats:
        blocks["satellites.csv"] = pd.DataFrame({k: s.values for k, s in sats.items()}).rename_axis("sector")
        fd = {k: s.final_demand for k, s in sats.items() if s.final_demand is not None}
        if fd:
            blocks["satellites_final_demand.csv"] = pd.DataFrame(fd).T.rename_axis("satellite")
    if not table.pillars.empty:
        blocks["pillars.csv"] = table.pillars.set_index("sector")
    return blocks


def table_metadata_toml(table: IOTable, checksums: dict[str, str] | None = None) -> str:
    """The ``metadata.toml`` text of ``table`` (name, year, units, satellites, technologies, metadata, checksums).

    Raises
    ------
    TableError
        If the table's metadata cannot be written as TOML.
    """
    sats = table.satellites
    meta = {
        "format": _FORMAT,
        "name": table.name,
        "year": table.year,
        "unit": table.unit,
        "rtol": table.rtol,
        "satellites": {k: {"unit": s.unit, "status": s.status, "note": s.note} for k, s in sats.items()},
        "technologies": table.technologies,
        "metadata": table.metadata,
    }
    if checksums is not None:
        meta["checksums"] = checksums
    try:
        return tomli_w.dumps(_toml_safe(meta))
    except TypeError as exc:
        raise TableError(f"table metadata cannot be written as TOML: {exc}") from None


def write_csv_folder(table: IOTable, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Implementation of :func:`xn_io.io.write_csv_folder` (documented there)."""
    blocks = table_blocks(table)
    data = {name: _csv_bytes(frame) for name, frame in blocks.items()}
    meta_text = table_metadata_toml(
        table, {name: hashlib.sha256(content).hexdigest() for name, content in sorted(data.items())}
    )
    with atomic_directory(path, overwrite=overwrite) as tmp:
        for name, content in data.items():
            (tmp / name).write_bytes(content)
        (tmp / "metadata.toml").write_text(meta_text, encoding="utf-8")
    return Path(path)


def _read_block(folder: Path, name: str, *, required: bool = True, numeric: bool = True) -> pd.DataFrame | None:
    file = folder / name
    if not file.exists():
        if required:
            raise TableError(f"{folder}: the table file {name} is missing")
        return None
    try:
        frame = pd.read_csv(file, index_col=0, dtype={0: str}, encoding="utf-8")
    except pd.errors.EmptyDataError:
        raise TableError(f"{file}: the file is empty; expected a CSV with a header line") from None
    except UnicodeDecodeError:
        raise TableError(f"{file}, {utf8_error(file)}") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise TableError(f"{file}: cannot be read as CSV: {' '.join(str(exc).split())}") from None
    frame.index = frame.index.map(str)
    if frame.shape[1] == 0:
        delimiter = next((d for d in (";", "\t", "|") if d in str(frame.index.name or "")), None)
        hint = f" (it looks {delimiter!r}-separated)" if delimiter else ""
        raise TableError(
            f"{file}: no data columns; expected comma-separated values with the sector in the first column{hint}"
        )
    duplicated = frame.index.duplicated()
    if duplicated.any():
        k = int(duplicated.argmax())
        raise TableError(f"{file}, line {k + 2}: row {frame.index[k]!r} appears a second time")
    if numeric:
        for column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce")
            bad = values.isna() & frame[column].notna()
            if bad.any():
                k = int(bad.to_numpy().argmax())
                raise TableError(
                    f"{file}, line {k + 2}: column {column!r} has {frame[column].iloc[k]!r}; expected a number"
                )
    return frame


#: The types of the fields of a table's metadata.toml (checked before they are used).
_META_TYPES: dict[str, Any] = {
    "format": Any,
    "name": str,
    "year": int,
    "unit": str,
    "rtol": float,
    "satellites": dict[str, dict[str, str]],
    "technologies": dict[str, list[str]],
    "metadata": dict,
    "checksums": dict[str, str],
}


def _check_metadata(meta: dict, meta_file: Path) -> None:
    for key, value in meta.items():
        check_value(value, _META_TYPES.get(key, Any), f"{meta_file}: {key}", error=TableError)
    if "rtol" in meta and not 0 < meta["rtol"] < 1:
        raise TableError(f"{meta_file}: rtol must lie in (0, 1), got {meta['rtol']}")


def read_csv_folder(path: str | os.PathLike, *, table_cls: type[IOTable], verify_checksums: bool = True) -> IOTable:
    """Implementation of :func:`xn_io.io.read_csv_folder` (documented there); the table class is ``table_cls``."""
    folder = Path(path)
    if not folder.is_dir():
        raise TableError(f"{folder} is not a table folder (no such directory)")
    meta_file = folder / "metadata.toml"
    if not meta_file.exists():
        raise TableError(f"{folder}: metadata.toml is missing")
    try:
        meta = tomllib.loads(meta_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TableError(f"{meta_file}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise TableError(f"{meta_file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x})") from None
    except RecursionError:
        raise TableError(f"{meta_file}: tables nested too deeply") from None
    _check_metadata(meta, meta_file)
    if verify_checksums:
        for name, digest in meta.get("checksums", {}).items():
            file = folder / name
            if file.exists() and hashlib.sha256(file.read_bytes()).hexdigest() != digest:
                raise TableError(
                    f"{file} differs from the checksum in metadata.toml (edited after it was written?); "
                    "pass verify_checksums=False to read it anyway"
                )
    blocks = {
        name: _read_block(folder, name, required=name in _REQUIRED, numeric=name != "sectors.csv")
        for name in _BLOCK_FILES
    }
    pillars_file = folder / "pillars.csv"
    blocks["pillars.csv"] = (
        pd.read_csv(pillars_file, dtype={"sector": str, "pillar": str}) if pillars_file.exists() else None
    )
    return table_from_blocks(blocks, meta, table_cls=table_cls, default_name=folder.name, source=str(folder))


_BLOCK_FILES = (
    "Z.csv",
    "Y.csv",
    "V.csv",
    "M.csv",
    "x.csv",
    "sectors.csv",
    "satellites.csv",
    "satellites_final_demand.csv",
)
_REQUIRED = ("Z.csv", "Y.csv", "V.csv", "x.csv")


def table_from_blocks(
    blocks: dict[str, pd.DataFrame | None],
    meta: dict,
    *,
    table_cls: type[IOTable],
    default_name: str = "",
    source: str = "",
) -> IOTable:
    """Build an :class:`IOTable` from the blocks of its folder format and its parsed ``metadata.toml``.

    ``blocks`` maps file names (``"Z.csv"`` …) to frames with row labels in the
    index, except ``"pillars.csv"`` (columns ``sector``, ``pillar``, ``share``);
    missing optional blocks are ``None`` or absent.

    Raises
    ------
    TableError
        A satellite listed in the metadata has no column, or the table is invalid.
    """
    sats: dict[str, Satellite] = {}
    sat_values = blocks.get("satellites.csv")
    sat_fd = blocks.get("satellites_final_demand.csv")
    for key, spec in meta.get("satellites", {}).items():
        if sat_values is None or key not in sat_values.columns:
            raise TableError(f"{source}: metadata.toml lists satellite {key!r} but satellites.csv has no such column")
        fd = None
        if sat_fd is not None and key in sat_fd.index:
            fd = sat_fd.loc[key].dropna()
        sats[key] = Satellite(
            sat_values[key], spec.get("unit", ""), fd, spec.get("status", "estimate"), spec.get("note", "")
        )
    x = blocks["x.csv"]
    x_series = x.iloc[:, 0] if x is not None else None
    return table_cls(
        blocks["Z.csv"],
        blocks["Y.csv"],
        blocks["V.csv"],
        blocks.get("M.csv"),
        x=x_series,
        satellites=sats,
        unit=meta.get("unit", "亿元"),
        name=meta.get("name", default_name),
        year=meta.get("year"),
        pillars=blocks.get("pillars.csv"),
        sector_info=blocks.get("sectors.csv"),
        technologies=meta.get("technologies", {}),
        metadata=meta.get("metadata", {}),
        rtol=meta.get("rtol", 1e-6),
    )


def _pymrio_index(table: IOTable, region: str) -> tuple[pd.MultiIndex, pd.MultiIndex]:
    """(region, sector) and (region, category) labels; a table whose labels already are
    (region, sector) pairs (an MRIO read with :class:`IOTable` directly) keeps them."""
    if isinstance(table.sectors, pd.MultiIndex) and table.sectors.nlevels == 2:
        sectors = table.sectors.set_names(["region", "sector"])
    else:
        sectors = pd.MultiIndex.from_product([[region], list(table.sectors)], names=["region", "sector"])
    columns = table.Y.columns
    if isinstance(columns, pd.MultiIndex) and columns.nlevels == 2:
        categories = columns.set_names(["region", "category"])
    else:
        categories = pd.MultiIndex.from_product([[region], list(columns)], names=["region", "category"])
    return sectors, categories


def to_pymrio(table: IOTable, *, region: str | None = None):
    """Implementation of :func:`xn_io.io.to_pymrio` (documented there)."""
    import pymrio

    reg = region or table.name or "region"
    sectors, categories = _pymrio_index(table, reg)
    Z = pd.DataFrame(table.Z.to_numpy(), index=sectors, columns=sectors)
    Y = pd.DataFrame(table.Y.to_numpy(), index=sectors, columns=categories)
    x = pd.DataFrame({"indout": table.x.to_numpy()}, index=sectors)
    unit = pd.DataFrame({"unit": [table.unit] * table.n}, index=sectors)

    def money_extension(name: str, block: pd.DataFrame) -> dict:
        rows = pd.Index(block.index, name="inputtype")
        return dict(
            name=name,
            F=pd.DataFrame(block.to_numpy(), index=rows, columns=sectors),
            unit=pd.DataFrame({"unit": [table.unit] * len(block)}, index=rows),
        )

    extensions = {"factor_inputs": money_extension("factor_inputs", table.V)}
    if len(table.M):
        extensions["other_inputs"] = money_extension("other_inputs", table.M)
    sats = table.satellites
    if sats:
        names = pd.Index(list(sats), name="stressor")
        F = pd.DataFrame([s.values.to_numpy() for s in sats.values()], index=names, columns=sectors)
        F_Y = pd.DataFrame(
            [
                (
                    s.final_demand.reindex(table.Y.columns).fillna(0.0).to_numpy()
                    if s.final_demand is not None
                    else np.zeros(len(categories))
                )
                for s in sats.values()
            ],
            index=names,
            columns=categories,
        )
        meta = pd.DataFrame(
            {
                "unit": [s.unit for s in sats.values()],
                "status": [s.status for s in sats.values()],
                "note": [s.note for s in sats.values()],
            },
            index=names,
        )
        extensions["satellites"] = dict(name="satellites", F=F, F_Y=F_Y, unit=meta)
    return pymrio.IOSystem(Z=Z, Y=Y, x=x, unit=unit, name=table.name or reg, **extensions)


def _stressor_label(stressor: Any) -> str:
    return stressor if isinstance(stressor, str) else "/".join(map(str, stressor))


def from_pymrio(
    io_system,
    region: str | None = None,
    *,
    table_cls: type[IOTable],
    value_added: str = "factor_inputs",
    other_inputs: str = "other_inputs",
    status: str = "estimate",
    year: int | None = None,
    rtol: float = 1e-6,
) -> IOTable:
    """Implementation of :func:`xn_io.io.from_pymrio` (documented there); the table class is ``table_cls``."""
    if io_system.Z is None or io_system.Y is None:
        raise TableError("the pymrio system has no Z or Y; run calc_system() first")
    regions = [str(r) for r in io_system.get_regions()]
    if region is None:
        if len(regions) != 1:
            raise TableError(f"the pymrio system has {len(regions)} regions: name one of {regions} as region")
        region = regions[0]
    if region not in regions:
        raise TableError(f"region {region!r} is not in the pymrio system; it has {regions}")
    multi = len(regions) > 1
    Zfull, Yfull = io_system.Z, io_system.Y
    sectors = pd.Index([str(s) for s in io_system.get_sectors()])
    Z = pd.DataFrame(Zfull.loc[region, region].to_numpy(), index=sectors, columns=sectors)
    own_fd = Yfull.loc[region, region]
    Y = pd.DataFrame(own_fd.to_numpy(), index=sectors, columns=[str(c) for c in own_fd.columns])
    M = pd.DataFrame(columns=sectors, dtype=float)
    if multi:
        imports = Zfull.xs(region, axis=1, level=0).drop(index=region, level=0).sum(axis=0).to_numpy()
        M.loc["imports"] = imports
        exports = Zfull.loc[region].drop(columns=region, level=0).sum(axis=1) + Yfull.loc[region].drop(
            columns=region, level=0
        ).sum(axis=1)
        Y["exports"] = (Y["exports"] if "exports" in Y.columns else 0.0) + exports.to_numpy()
    if io_system.x is not None:
        x = pd.Series(io_system.x.loc[region].iloc[:, 0].to_numpy(), index=sectors)
    else:
        x = pd.Series(
            Zfull.loc[region].sum(axis=1).to_numpy() + Yfull.loc[region].sum(axis=1).to_numpy(), index=sectors
        )
    V = None
    found: list[tuple[str, Any, str, Satellite]] = []
    for ext_key in io_system.get_extensions():
        ext = getattr(io_system, ext_key)
        if ext.F is None:
            continue
        F = ext.F.xs(region, axis=1, level=0)
        if ext_key == value_added:
            V = pd.DataFrame(F.to_numpy(), index=[str(i) for i in F.index], columns=sectors)
            continue
        if ext_key == other_inputs:
            for label, row in zip(F.index, F.to_numpy()):
                M.loc[str(label)] = (M.loc[str(label)].to_numpy() if str(label) in M.index else 0.0) + row
            continue
        F_Y = ext.F_Y.xs(region, axis=1, level=0) if getattr(ext, "F_Y", None) is not None else None
        units = ext.unit if isinstance(ext.unit, pd.DataFrame) else None
        for pos, stressor in enumerate(F.index):
            info = units.iloc[pos] if units is not None else pd.Series(dtype=object)
            fd = None
            if F_Y is not None:
                fd = pd.Series(F_Y.iloc[pos].to_numpy(), index=[str(c) for c in F_Y.columns])
                if not multi and not fd.any():
                    fd = None
            sat = Satellite(
                pd.Series(F.iloc[pos].to_numpy(), index=sectors),
                str(info.get("unit", "unknown")),
                fd,
                status=str(info.get("status", status)),
                note=str(info.get("note", f"pymrio extension {ext.name}")),
            )
            found.append((ext_key, stressor, _stressor_label(stressor), sat))
    counts = pd.Series([label for _, _, label, _ in found]).value_counts()
    satellites = {(label if counts[label] == 1 else f"{ext_key}:{label}"): sat for ext_key, _, label, sat in found}
    if V is not None:
        gap = x.to_numpy() - Z.to_numpy().sum(axis=0) - V.to_numpy().sum(axis=0) - M.to_numpy().sum(axis=0)
        if np.abs(gap).max(initial=0.0) > rtol * max(1.0, float(x.abs().max())):
            M.loc[OTHER_INPUTS] = (M.loc[OTHER_INPUTS].to_numpy() if OTHER_INPUTS in M.index else 0.0) + gap
    unit_frame = getattr(io_system, "unit", None)
    unit = str(unit_frame.iloc[0, 0]) if isinstance(unit_frame, pd.DataFrame) and len(unit_frame) else "unknown"
    name = str(io_system.name or "pymrio")
    return table_cls(
        Z,
        Y,
        V,
        M if len(M) else None,
        x=x,
        satellites=satellites,
        unit=unit,
        name=f"{name}:{region}" if multi else name,
        year=year,
        metadata={"source": "pymrio", "region": region},
        rtol=rtol,
    )
