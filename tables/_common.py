"""Helpers shared by the build scripts in ``tables/`` (not part of the xn_io package).

Every build script reads only ``tables/sources/`` and writes one CSV folder under
``xn_io/data/tables/<name>/`` through :meth:`xn_io.IOTable.to_csv`, so that the
format is exactly the one :func:`xn_io.load_table` reads. Builds are
deterministic: no clock, no randomness, sorted inputs.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pandas as pd

TABLES = Path(__file__).resolve().parent
ROOT = TABLES.parent
SOURCES = TABLES / "sources"
OUTPUT = ROOT / "xn_io" / "data" / "tables"

if str(ROOT) not in sys.path:  # run as `python tables/build_x.py` from a checkout
    sys.path.insert(0, str(ROOT))

WAN_TO_YI = 1e-4
"""万元 (10^4 CNY) → 亿元 (10^8 CNY)."""

VA_ROWS = {"VA001": "compensation", "VA002": "net_taxes", "VA003": "depreciation", "VA004": "surplus"}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def source_checksums(paths: list[Path]) -> dict[str, str]:
    """SHA-256 of the source files a build read, keyed by path relative to tables/sources."""
    return {str(p.relative_to(SOURCES)): sha256(p) for p in sorted(paths)}


def read_nbs_153(path: Path) -> dict[str, pd.DataFrame]:
    """Parse an NBS competitive-import IO table as stored by the ``ionet`` package.

    Returns a dict with ``Z`` (product × product, 万元), ``F`` (product × final-use
    column, including ``IM`` and ``GO``), ``V`` (VA001..VA004 × product) and
    ``names`` (code, name_en, name_zh). Codes are kept as strings ("001").
    """
    raw = pd.read_csv(path, dtype={"Code": str})
    raw = raw.set_index("Code")
    codes = [c for c in raw.index if c.isdigit()]
    Z = raw.loc[codes, codes].astype(float)
    F = raw.loc[
        codes, [c for c in raw.columns if c not in codes and c not in ("Description", "DescriptionInChinese")]
    ].astype(float)
    V = raw.loc[list(VA_ROWS), codes].astype(float)
    names = pd.DataFrame(
        {
            "name_en": raw.loc[codes, "Description"].str.strip(),
            "name_zh": raw.loc[codes, "DescriptionInChinese"].str.strip(),
        },
        index=pd.Index(codes, name="code"),
    )
    return {
        "Z": Z,
        "F": F,
        "V": V,
        "names": names,
        "TVA": raw.loc["TVA", codes].astype(float),
        "TI": raw.loc["TI", codes].astype(float),
    }


def check_close(what: str, got, want, *, rtol: float = 1e-9) -> None:
    """Raise AssertionError naming ``what`` if ``got`` and ``want`` differ beyond ``rtol``."""
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    scale = np.maximum(np.abs(want), 1e-12 * max(1.0, float(np.abs(want).max(initial=0.0))))
    err = np.abs(got - want) / scale
    if err.max(initial=0.0) > rtol:
        i = int(np.argmax(err))
        raise AssertionError(
            f"{what}: relative error {err.max():.3g} at position {i} ({got.flat[i]!r} vs {want.flat[i]!r})"
        )
