"""The tables the benchmarks run on: three real ones (from ``benchmarks/data``) and synthetic ones.

Every problem is a :class:`Problem` of plain arrays — intermediate flows ``Z``,
gross output ``x``, final demand ``Y`` (sector × category) and satellite totals
``F`` (account × sector) — so that xn_io and each peer start from the same
numbers. Problems are named by a key:

``china-153``
    NBS China 2020 competitive-import table, 153 products, 10⁴ CNY (official).
``us-402``
    US BEA 2017 detail, 402 industries × 402 industries, derived from the
    Make and Use tables under the industry-technology assumption (see
    :func:`us_402`), million USD.
``wiod-1435``
    WIOD 2013 release, world table 2011, 41 regions × 35 industries, million USD.
``dense-<n>``
    Synthetic dense table of n sectors (seed fixed, see :func:`synthetic`).
``sparse-<n>``
    Synthetic sparse table of n sectors at 1% density.

The satellite accounts of the real tables are their value-added components
(the footprint computation is the same for CO2 or jobs); WIOD carries no
value-added rows, so its one account is the column residual ``x − 1ᵀZ``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["DATA", "Problem", "load_problem", "synthetic", "china_153", "us_402", "wiod_1435", "REAL_TABLES"]

DATA = Path(__file__).resolve().parent / "data"

REAL_TABLES = ("china-153", "us-402", "wiod-1435")


@dataclass(frozen=True, eq=False)
class Problem:
    """One table as arrays, the common input of xn_io and its peers.

    Attributes
    ----------
    key : str
        Name such as ``"wiod-1435"`` or ``"sparse-10000"``.
    Z : ndarray or scipy.sparse CSC array, shape (n, n)
        Intermediate flows.
    x : ndarray, shape (n,)
        Gross output.
    Y : ndarray, shape (n, c)
        Final demand by category.
    F : ndarray, shape (k, n)
        Satellite totals by sector (k accounts).
    origin : str
        ``"official"`` (published table, possibly transformed as documented) or ``"synthetic"``.
    note : str
        What the table is and how it was made.
    """

    key: str
    Z: np.ndarray | sp.csc_array
    x: np.ndarray
    Y: np.ndarray
    F: np.ndarray
    origin: str
    note: str

    @property
    def n(self) -> int:
        """Number of sectors."""
        return int(self.Z.shape[0])

    @property
    def sparse(self) -> bool:
        """Whether ``Z`` is stored sparse."""
        return sp.issparse(self.Z)


# --------------------------------------------------------------------------- real tables
def china_153() -> Problem:
    """NBS China 2020 input-output table, 153 products (competitive imports), 10⁴ CNY.

    ``Y`` has the columns rural and urban household consumption, government
    consumption, GFCF, inventory change, exports and (negative) imports, so that
    ``x = Z·1 + Y·1``; ``F`` holds the four value-added rows VA001–VA004.
    """
    raw = pd.read_csv(DATA / "china_2020_153.csv.gz", dtype={"Code": str}).set_index("Code")
    codes = [f"{i:03d}" for i in range(1, 154)]
    Z = raw.loc[codes, codes].to_numpy(dtype=float)
    fd = raw.loc[codes, ["FU101", "FU102", "FU103", "FU201", "FU202", "EX"]].to_numpy(dtype=float)
    Y = np.column_stack([fd, -raw.loc[codes, "IM"].to_numpy(dtype=float)])
    x = raw.loc[codes, "GO"].to_numpy(dtype=float)
    F = raw.loc[["VA001", "VA002", "VA003", "VA004"], codes].to_numpy(dtype=float)
    return Problem("china-153", Z, x, Y, F, "official", "NBS China 2020, 153 products, 10^4 CNY")


def us_402() -> Problem:
    """US BEA 2017 detail industry-by-industry table from Make and Use (industry technology).

    With Use ``U`` (commodity × industry), final demand ``E`` (commodity ×
    category), Make ``V`` (industry × commodity), commodity output
    ``q = 1ᵀV`` and industry output ``g = V·1``, the market-share matrix
    ``D = V q̂⁻¹`` gives the industry-by-industry flows ``Z = D U``, final
    demand ``Y = D E`` and output ``x = g``: the industry-technology
    assumption, industry-based technology (Miller & Blair 2022, §5.3.2 and
    Table 5.4, ``A = D B`` with ``B = U ĝ⁻¹``). Two commodities with no
    domestic production (S00300 non-comparable imports, S00900 rest-of-world
    adjustment) have ``q = 0`` and so a zero column in ``D``: their
    intermediate use leaves ``Z`` and is a primary input of the buying
    industry, as BEA itself treats non-comparable imports. ``F`` holds the
    three value-added rows V00100–V00300 (compensation, taxes on production
    less subsidies, gross operating surplus).
    """
    make = pd.read_csv(DATA / "us_bea_2017_detail_make.csv.gz", index_col=0)
    use = pd.read_csv(DATA / "us_bea_2017_detail_use_pro.csv.gz", index_col=0)
    industries = [c for c in make.index if c != "T007"]
    commodities = [c for c in make.columns if c != "T008"]
    fd_cols = [c for c in use.columns if re.fullmatch(r"F\d{2}[0-9A-Z]{3}", c)]
    V = make.loc[industries, commodities].to_numpy(dtype=float)
    U = use.loc[commodities, industries].to_numpy(dtype=float)
    E = use.loc[commodities, fd_cols].to_numpy(dtype=float)
    q = V.sum(axis=0)
    g = V.sum(axis=1)
    inv_q = np.divide(1.0, q, out=np.zeros_like(q), where=q != 0)
    D = V * inv_q[np.newaxis, :]
    Z = D @ U
    Y = D @ E
    F = use.loc[["V00100", "V00200", "V00300"], industries].to_numpy(dtype=float)
    return Problem(
        "us-402",
        Z,
        g,
        Y,
        F,
        "official",
        "US BEA 2017 detail, industry-by-industry (industry technology, Z = D U), million USD",
    )


def wiod_1435() -> Problem:
    """WIOD 2013 release, world table 2011: 1435 country-industries, million USD.

    ``Y`` has the 205 final-demand columns (41 countries × 5 categories); ``F``
    is one account, the column residual ``x − 1ᵀZ`` (value added plus taxes
    and international transport margins). 22 country-industries have zero
    output; their coefficients are taken as zero.
    """
    Z = pd.read_csv(DATA / "wiod_2011_inter_1435x1435.csv.gz", index_col=0).to_numpy(dtype=float)
    Y = pd.read_csv(DATA / "wiod_2011_final_1435x205.csv.gz", index_col=0).to_numpy(dtype=float)
    x = pd.read_csv(DATA / "wiod_2011_output_1435.csv.gz", index_col=0).iloc[:, 0].to_numpy(dtype=float)
    F = (x - Z.sum(axis=0))[np.newaxis, :]
    return Problem("wiod-1435", Z, x, Y, F, "official", "WIOD 2013 release, world 2011, 41 x 35, million USD")


# --------------------------------------------------------------------------- synthetic tables
def synthetic(n: int, *, density: float = 1.0, seed: int = 20260101, categories: int = 5, accounts: int = 3) -> Problem:
    """A seeded synthetic table that is productive by construction.

    Coefficients are drawn as ``u³`` (``u`` uniform, so most are small and a
    few large, as in real tables) on a random pattern of the given density;
    each column is scaled so that its sum is uniform in [0.2, 0.8]. Column
    sums below 1 make the spectral radius below 1, so the economy is
    productive (Miller & Blair 2022, §2.6.1). Final demand ``Y ≥ 0`` is drawn
    and the output ``x = (I − A)⁻¹ Y·1`` found by the Neumann series to 1e-13,
    so that both accounting identities hold; ``Z = A x̂``. Satellite totals
    ``F = f x̂`` with log-normal intensities ``f``.

    Parameters
    ----------
    n : int
        Number of sectors.
    density : float
        Share of non-zero coefficients; below 1 the table is stored as a
        scipy.sparse CSC array.
    seed : int
        Seed of numpy's default generator (the same ``n``, density and seed
        give the same table on every machine).
    categories, accounts : int
        Number of final-demand columns and of satellite accounts.
    """
    rng = np.random.default_rng([seed, n, int(round(density * 1e6))])
    if density < 1.0:
        A = sp.random_array(
            (n, n), density=density, format="csc", rng=rng, data_sampler=lambda size: rng.random(size) ** 3
        )
        col = np.asarray(A.sum(axis=0)).ravel()
    else:
        A = rng.random((n, n)) ** 3
        col = A.sum(axis=0)
    target = rng.uniform(0.2, 0.8, n)
    scale = np.divide(target, col, out=np.zeros(n), where=col > 0)
    A = sp.csc_array(A.multiply(scale[np.newaxis, :])) if sp.issparse(A) else A * scale[np.newaxis, :]
    Y = rng.lognormal(mean=3.0, sigma=1.0, size=(n, categories))
    y = Y.sum(axis=1)
    x, term = y.copy(), y.copy()
    while float(np.abs(term).max()) > 1e-13 * float(x.max()):
        term = A @ term
        x += term
    Z = sp.csc_array(A.multiply(x[np.newaxis, :])) if sp.issparse(A) else A * x[np.newaxis, :]
    F = rng.lognormal(mean=-2.0, sigma=1.0, size=(accounts, n)) * x[np.newaxis, :]
    kind = "dense" if density >= 1.0 else "sparse"
    note = f"synthetic {kind}, n = {n}, density {density:g}, seed {seed}"
    return Problem(f"{kind}-{n}", Z, x, Y, F, "synthetic", note)


_REAL = {"china-153": china_153, "us-402": us_402, "wiod-1435": wiod_1435}
SPARSE_DENSITY = 0.01


@functools.lru_cache(maxsize=4)
def load_problem(key: str) -> Problem:
    """Return the problem named ``key`` (cached: the same object on every call).

    Parameters
    ----------
    key : str
        ``"china-153"``, ``"us-402"``, ``"wiod-1435"``, ``"dense-<n>"`` or ``"sparse-<n>"``.

    Raises
    ------
    KeyError
        If ``key`` names no problem.
    """
    if key in _REAL:
        return _REAL[key]()
    match = re.fullmatch(r"(dense|sparse)-(\d+)", key)
    if match is None:
        raise KeyError(f"unknown benchmark table {key!r}; expected one of {sorted(_REAL)} or dense-<n> / sparse-<n>")
    n = int(match.group(2))
    return synthetic(n, density=1.0 if match.group(1) == "dense" else SPARSE_DENSITY)
