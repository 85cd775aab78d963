"""The validation's inputs, from the extracted CSVs in ``benchmarks/data/lq_validation/``.

:func:`scotland_uk` aggregates the Scottish (98 IOC industries) and UK (105
industries) tables of 2019 to their 94 common groups with the hand-written
concordance ``concordance_uk_scotland.csv``; :func:`provinces` gives the national
and the 31 provincial 42-sector tables of 2017. Files are checked against
``SHA256SUMS`` before use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from xn_io.errors import TableError

__all__ = [
    "DATA",
    "Concordance",
    "Provinces",
    "ScotlandUK",
    "aggregation_matrix",
    "concordance",
    "provinces",
    "scotland_uk",
    "verify_checksums",
]

DATA = Path(__file__).resolve().parent.parent / "data" / "lq_validation"


def verify_checksums(folder: Path = DATA) -> None:
    """Raise :class:`~xn_io.errors.TableError` naming the first file whose SHA-256 differs from ``SHA256SUMS``."""
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        got = hashlib.sha256((folder / name).read_bytes()).hexdigest()
        if got != digest:
            raise TableError(f"{folder / name}: SHA-256 {got} differs from SHA256SUMS ({digest})")


def _read(name: str, folder: Path, **kw) -> pd.DataFrame:
    return pd.read_csv(folder / name, index_col=0, dtype={"code": str}, **kw)


@dataclass(frozen=True)
class Concordance:
    """UK ↔ Scotland: each common group lists the Scottish IOC industries and the UK industries it holds."""

    groups: list[str]
    labels: list[str]
    scotland: list[list[str]]
    uk: list[list[str]]


def concordance(folder: Path = DATA) -> Concordance:
    """Read ``concordance_uk_scotland.csv`` (columns group, label, scotland_ioc, scotland_sic, uk_sic)."""
    c = pd.read_csv(folder / "concordance_uk_scotland.csv", dtype=str)
    return Concordance(
        groups=c["group"].tolist(),
        labels=c["label"].tolist(),
        scotland=[s.split(";") for s in c["scotland_ioc"]],
        uk=[s.split(";") for s in c["uk_sic"]],
    )


def aggregation_matrix(codes: list[str], members: list[list[str]], *, side: str) -> np.ndarray:
    """0/1 matrix G (groups × codes) with ``G[g, k] = 1`` when code k belongs to group g.

    Raises :class:`~xn_io.errors.TableError` when a code is in no group or in two,
    or a group names a code the table does not have — the concordance must be a
    partition of both classifications.
    """
    index = {c: k for k, c in enumerate(codes)}
    G = np.zeros((len(members), len(codes)))
    for g, ms in enumerate(members):
        for m in ms:
            if m not in index:
                raise TableError(f"concordance group {g + 1}: {side} code {m!r} is not in the {side} table")
            G[g, index[m]] += 1
    counts = G.sum(axis=0)
    if (counts != 1).any():
        k = int(np.flatnonzero(counts != 1)[0])
        raise TableError(f"concordance: {side} code {codes[k]!r} is in {int(counts[k])} groups, expected exactly 1")
    return G


@dataclass(frozen=True, eq=False)
class ScotlandUK:
    """Scotland and the UK in 2019 on the common groups (£ million).

    Attributes
    ----------
    groups, labels : list of str
    Z_scotland : ndarray
        Scottish-produced intermediate flows (the true regional flows).
    x_scotland : ndarray
        Scottish output by group.
    Z_uk, x_uk : ndarray
        UK-produced (domestic-use) flows and UK output by group.
    official_multipliers : ndarray
        Scotland's official Type I output multipliers, averaged within a group
        with the industries' outputs as weights (the group's own multiplier
        for the groups that are one Scottish industry: 91 of 94).
    single : ndarray of bool
        True where the group is exactly one Scottish industry.
    imports_ruk, imports_row : ndarray
        Scottish intermediate imports from the rest of the UK and of the world, by buying group.
    """

    groups: list[str]
    labels: list[str]
    Z_scotland: np.ndarray
    x_scotland: np.ndarray
    Z_uk: np.ndarray
    x_uk: np.ndarray
    official_multipliers: np.ndarray
    single: np.ndarray
    imports_ruk: np.ndarray
    imports_row: np.ndarray


def scotland_uk(folder: Path = DATA, *, verify: bool = True) -> ScotlandUK:
    """Load Scotland and the UK 2019 and aggregate both to the concordance's groups."""
    if verify:
        verify_checksums(folder)
    conc = concordance(folder)
    sZ, si = _read("scotland_2019_flows.csv", folder), _read("scotland_2019_industries.csv", folder)
    uZ, ui = _read("uk_2019_flows.csv", folder), _read("uk_2019_industries.csv", folder)
    Gs = aggregation_matrix(list(si.index), conc.scotland, side="Scotland")
    Gu = aggregation_matrix(list(ui.index), conc.uk, side="UK")
    xs = Gs @ si["output"].to_numpy()
    w = Gs * si["output"].to_numpy()[None, :]
    mult = (w @ si["type1_output_multiplier"].to_numpy()) / np.where(xs > 0, xs, 1.0)
    return ScotlandUK(
        groups=conc.groups,
        labels=conc.labels,
        Z_scotland=Gs @ sZ.to_numpy() @ Gs.T,
        x_scotland=xs,
        Z_uk=Gu @ uZ.to_numpy() @ Gu.T,
        x_uk=Gu @ ui["output"].to_numpy(),
        official_multipliers=mult,
        single=Gs.sum(axis=1) == 1,
        imports_ruk=Gs @ si["imports_ruk"].to_numpy(),
        imports_row=Gs @ si["imports_row"].to_numpy(),
    )


@dataclass(frozen=True, eq=False)
class Provinces:
    """China 2017, 42 products (万元): the national table and the 31 provinces.

    Attributes
    ----------
    codes, descriptions : list of str
    names : list of str
        The provinces (pinyin), in NBS order.
    Z_national_domestic : ndarray, shape (42, 42)
        National intermediate flows of domestic products (non-competitive table).
    x_national : ndarray, shape (42,)
    Z : ndarray, shape (31, 42, 42)
        Provincial intermediate flows, competitive (all origins).
    columns : dict of str to ndarray, each shape (31, 42)
        ``TIU TC GCF EX OF TFU IM IF ERR GO`` by province and product.
    """

    codes: list[str]
    descriptions: list[str]
    names: list[str]
    Z_national_domestic: np.ndarray
    x_national: np.ndarray
    Z: np.ndarray
    columns: dict


def provinces(folder: Path = DATA, *, verify: bool = True, only: list[str] | None = None) -> Provinces:
    """Load the national and provincial 2017 tables (``only``: a subset of provinces, for tests)."""
    if verify:
        verify_checksums(folder)
    nat = _read("china_2017_national_42.csv", folder)
    codes = list(nat.index)
    prov = pd.read_csv(folder / "china_2017_provinces_42.csv.gz", dtype={"code": str})
    names = list(dict.fromkeys(prov["province"]))
    if only is not None:
        unknown = [p for p in only if p not in names]
        if unknown:
            raise TableError(f"unknown province {unknown[0]!r}; the 2017 tables have {names}")
        names = [p for p in names if p in only]
    Z, cols = [], {k: [] for k in ("TIU", "TC", "GCF", "EX", "OF", "TFU", "IM", "IF", "ERR", "GO")}
    for p in names:
        f = prov[prov["province"] == p].set_index("code")
        if list(f.index) != codes:
            raise TableError(
                f"china_2017_provinces_42.csv.gz: province {p!r} has products {list(f.index)[:3]} …, "
                f"expected the national 01 … 42"
            )
        Z.append(f[codes].to_numpy(dtype=float))
        for k, values in cols.items():
            values.append(f[k].to_numpy(dtype=float))
    return Provinces(
        codes=codes,
        descriptions=nat["description"].tolist(),
        names=names,
        Z_national_domestic=nat[codes].to_numpy(dtype=float),
        x_national=nat["output"].to_numpy(),
        Z=np.array(Z),
        columns={k: np.array(v) for k, v in cols.items()},
    )
