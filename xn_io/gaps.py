"""Gaps in a pillar's chain (补链): inputs bought mostly outside the region, and what local supply would bring.

For each pillar, :func:`chain_gaps` ranks the intermediate inputs its sectors
buy from outside the region by value, keeping those with a high import share —
the candidates for investment attraction. :func:`localisation_gain` measures,
through the Leontief model, the regional output and value added gained if a
share of those imports were made locally: the regional purchase coefficients
of the pillar rise by the substituted share, the final demand stays as it is,
and the new output is solved from the new ``I − A`` (no matrix is inverted).

Chain gaps are Leontief maths on the table: they sit below both the supply-chain
networks (:mod:`xn_io.network`, which re-exports them) and the plan model
(:mod:`xn_io.optimize.substitution` takes its default pairs from them).

Examples
--------
>>> import xn_io
>>> import pandas as pd
>>> s = ["parts", "cars"]
>>> t = xn_io.IOTable(pd.DataFrame([[0, 20], [0, 0]], index=s, columns=s),
...                   pd.DataFrame({"exports": [30, 100]}, index=s),
...                   M=pd.DataFrame([[0, 30]], index=["imports"], columns=s),
...                   pillars=pd.DataFrame({"sector": ["cars"], "pillar": ["auto"], "share": [1.0]}))
>>> chain_gaps(t, "auto", local_share=0.5)[["regional", "imported", "import_share", "output_gain"]]
         regional  imported  import_share  output_gain
product
parts        20.0      30.0           0.6         15.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import leontief
from .errors import NetworkDataError, TableError
from .imports_by_product import imported_inputs
from .table import IOTable

__all__ = ["pillar_weights", "chain_gaps", "localisation_gain"]


def pillar_weights(table: IOTable, pillar: str) -> pd.Series:
    """The share of each sector counted in ``pillar`` (0 for the others), by sector.

    Raises
    ------
    NetworkDataError
        If the table has no sector in ``pillar``; the message lists the pillars.

    Examples
    --------
    >>> import pandas as pd, xn_io
    >>> t = xn_io.IOTable.from_arrays([[1, 2], [3, 4]], [10, 10], sectors=["a", "b"],
    ...     pillars=pd.DataFrame({"sector": ["b"], "pillar": ["P"], "share": [0.5]}))
    >>> pillar_weights(t, "P").tolist()
    [0.0, 0.5]
    """
    p = table.pillars
    rows = p[p["pillar"] == pillar]
    if rows.empty:
        raise NetworkDataError(
            f"table {table.name or '(unnamed)'} has no pillar {pillar!r}; its pillars are {sorted(p['pillar'].unique())}"
        )
    w = rows.groupby("sector")["share"].sum()
    return w.reindex(table.sectors, fill_value=0.0).rename(pillar)


def _check_share(name: str, value: float) -> float:
    if not (isinstance(value, (int, float)) and math.isfinite(value) and 0.0 <= value <= 1.0):
        raise NetworkDataError(f"{name} must be a number in [0, 1], got {value!r}")
    return float(value)


def _imports(table: IOTable, imports: pd.DataFrame | None) -> pd.DataFrame:
    imp = imported_inputs(table) if imports is None else imports
    if not (imp.index.map(str).equals(table.sectors) and imp.columns.map(str).equals(table.sectors)):
        raise TableError("imports must be a product × buyer DataFrame labelled by the table's sectors, in order")
    if not np.isfinite(imp.to_numpy(dtype=float)).all() or (imp.to_numpy(dtype=float) < 0).any():
        raise TableError("imports must be finite and non-negative")
    return imp


def localisation_gain(
    table: IOTable,
    pillar: str,
    products: Sequence[str],
    *,
    share: float,
    imports: pd.DataFrame | None = None,
) -> pd.Series:
    """Regional output and value added gained if ``share`` of a pillar's imports of ``products`` were made locally.

    Parameters
    ----------
    table : IOTable
    pillar : str
        The buying pillar (its sectors weighted by their pillar shares).
    products : sequence of str
        Supplying sectors whose imports are (partly) replaced.
    share : float
        Share of those imports supplied locally instead, in [0, 1].
    imports : pandas.DataFrame, optional
        Imported inputs by product × buyer (default :func:`imported_inputs`).

    Returns
    -------
    pandas.Series
        ``substituted`` (imports replaced, money unit), ``output_gain`` (Σ Δx),
        ``value_added_gain`` (vᵀΔx) and ``multiplier`` (output gain per unit substituted).

    Raises
    ------
    NetworkDataError
        Unknown pillar or product, ``share`` outside [0, 1].
    NotProductiveError
        If the raised coefficients make the economy non-productive.

    Notes
    -----
    ``A' = A + s·Δ`` with ``Δ_ij = w_j m_ij / x_j`` for the listed products ``i``
    and the pillar's sectors ``j`` (weights ``w_j``); the final demand ``y`` of
    the table is kept and ``x' = (I − A')⁻¹ y`` is solved by LU. To first order
    ``Δx ≈ L·d`` with ``d = s Σ_j w_j m_ij`` (import substitution as a new
    demand on regional suppliers; Miller & Blair 2022, ch. 2 and ch. 8); the exact
    solve adds the feedback of the extra output on itself.

    Examples
    --------
    One supplier with no inputs of its own, one buyer importing 30 of it: half
    made locally adds 15 of output and, with value added = output, 15 of value added.

    >>> import xn_io
    >>> import pandas as pd
    >>> s = ["parts", "cars"]
    >>> t = xn_io.IOTable(pd.DataFrame([[0, 20], [0, 0]], index=s, columns=s),
    ...                   pd.DataFrame({"exports": [30, 100]}, index=s),
    ...                   M=pd.DataFrame([[0, 30]], index=["imports"], columns=s),
    ...                   pillars=pd.DataFrame({"sector": ["cars"], "pillar": ["auto"], "share": [1.0]}))
    >>> localisation_gain(t, "auto", ["parts"], share=0.5).round(6).tolist()
    [15.0, 15.0, 15.0, 1.0]
    """
    share = _check_share("share", share)
    w = pillar_weights(table, pillar).to_numpy()
    products = [str(p) for p in products]
    unknown = [p for p in products if p not in table.sectors]
    if unknown:
        raise NetworkDataError(f"products not in the table: {unknown[:5]}")
    imp = _imports(table, imports).to_numpy(dtype=float)
    x = table.x.to_numpy()
    rows = table.sectors.get_indexer(products)
    delta = np.zeros((table.n, table.n))
    inv_x = leontief.inverse_vector(x, zero_output="zero")
    delta[rows, :] = imp[rows, :] * (w * inv_x)[None, :]
    substituted = float(share * (imp[rows, :] * w[None, :]).sum())
    if substituted == 0.0:
        return pd.Series({"substituted": 0.0, "output_gain": 0.0, "value_added_gain": 0.0, "multiplier": np.nan})
    A_new = table.A.to_numpy() + share * delta
    x_new = leontief.solve_output(A_new, table.final_demand.to_numpy(), labels=list(table.sectors))
    dx = x_new - x
    gain = float(dx.sum())
    return pd.Series(
        {
            "substituted": substituted,
            "output_gain": gain,
            "value_added_gain": float(table.value_added_coefficients.to_numpy() @ dx),
            "multiplier": gain / substituted,
        }
    )


def chain_gaps(
    table: IOTable,
    pillar: str,
    *,
    imports: pd.DataFrame | None = None,
    min_import_share: float = 0.5,
    local_share: float | None = 0.3,
    top: int | None = None,
) -> pd.DataFrame:
    """The inputs a pillar buys mostly from outside the region, ranked by imported value.

    Parameters
    ----------
    table : IOTable
        A regional table with an ``imports`` row in ``M``.
    pillar : str
    imports : pandas.DataFrame, optional
        Imported inputs by product × buyer (default :func:`imported_inputs`;
        pass one made with a reference technology for product detail).
    min_import_share : float
        Keep products whose imported share of the pillar's purchases is at
        least this (default 0.5: bought *mostly* outside).
    local_share : float or None
        If given, add the gains of supplying this share of each product's
        imports locally (:func:`localisation_gain`, one product at a time).
    top : int, optional
        Keep the first ``top`` products.

    Returns
    -------
    pandas.DataFrame
        Indexed by product (supplying sector), sorted by ``imported``:
        ``regional`` and ``imported`` purchases of the pillar, ``import_share``,
        ``rank`` and, with ``local_share``, ``substituted``, ``output_gain``,
        ``value_added_gain``, ``multiplier``. ``attrs`` carry the pillar, the
        unit, the import method and ``status="estimate"``.

    Raises
    ------
    NetworkDataError
        Unknown pillar, shares outside [0, 1].
    TableError
        If the table has no ``imports`` row.
    """
    min_import_share = _check_share("min_import_share", min_import_share)
    if local_share is not None:
        local_share = _check_share("local_share", local_share)
    w = pillar_weights(table, pillar)
    imp = _imports(table, imports)
    regional = table.Z.to_numpy() @ w.to_numpy()
    imported = imp.to_numpy(dtype=float) @ w.to_numpy()
    total = regional + imported
    frame = pd.DataFrame(
        {
            "regional": regional,
            "imported": imported,
            "import_share": np.divide(imported, total, out=np.zeros_like(total), where=total > 0),
        },
        index=pd.Index(table.sectors, name="product"),
    )
    frame = frame[(frame["imported"] > 0) & (frame["import_share"] >= min_import_share)]
    frame = frame.sort_values("imported", ascending=False, kind="stable")
    if top is not None:
        frame = frame.head(int(top))
    frame["rank"] = np.arange(1, len(frame) + 1)
    if local_share is not None:
        gains = [localisation_gain(table, pillar, [p], share=local_share, imports=imp) for p in frame.index]
        cols = ["substituted", "output_gain", "value_added_gain", "multiplier"]
        frame = (
            frame.join(pd.DataFrame(gains, index=frame.index, columns=cols))
            if gains
            else frame.reindex(columns=[*frame.columns, *cols])
        )
    frame.attrs.update(
        pillar=pillar,
        unit=table.unit,
        status="estimate",
        local_share=local_share,
        imports_method=imp.attrs.get("method", "given"),
    )
    return frame
