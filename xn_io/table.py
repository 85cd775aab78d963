"""The labelled input-output table: :class:`IOTable` and its satellite accounts.

An :class:`IOTable` is immutable. It is validated when it is made; derived
matrices (``A``, ``L``, ``B``, ``G``, the factorisation of ``I − A``) are computed
on first use and cached; every transformation (:meth:`IOTable.aggregate`,
:meth:`IOTable.select`, :meth:`IOTable.replace`) returns a new table, so no cache
ever needs invalidating. The arithmetic is done by the pure functions of
:mod:`xn_io.leontief`; the table adds sector labels and units.

Examples
--------
>>> import xn_io
>>> t = xn_io.IOTable.from_arrays(
...     [[150, 500], [200, 100]], [350, 1700], sectors=["agriculture", "manufacturing"],
...     satellites={"co2": ([30.0, 10.0], "万吨")})
>>> t.A.round(2)
               agriculture  manufacturing
agriculture           0.15           0.25
manufacturing         0.20           0.05
>>> t.impact({"agriculture": 250, "manufacturing": -200}).round(2)
               output  value_added   co2 output_unit value_added_unit co2_unit
agriculture    247.52       160.89  7.43          亿元               亿元       万吨
manufacturing -158.42      -110.89 -0.79          亿元               亿元       万吨
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from . import _excel_io, _table_io, leontief, structural
from ._satellite import OTHER_INPUTS, Satellite, _freeze_nested, _frozen, _handout
from ._table_checks import (
    as_frame,
    check_close,
    check_pillars,
    check_satellites,
    check_sector_info,
    check_technologies,
)
from ._table_transform import aggregate_table, select_sectors
from ._units import with_unit_columns
from ._validation import as_real_array
from .errors import TableError, UnitError

__all__ = ["Satellite", "IOTable", "OTHER_INPUTS"]


class IOTable:
    """An input-output table with sector labels, units and satellite accounts.

    Parameters
    ----------
    Z : pandas.DataFrame
        Intermediate flows (sector × sector, supplier rows, buyer columns).
        Labels become strings; a MultiIndex (pymrio's (region, sector)) keeps
        its labels as tuples, so ``IOTable(io.Z, io.Y, x=io.x)`` is the whole MRIO.
    Y : pandas.DataFrame
        Final demand by category (sector × category: households, government,
        gfcf, inventories, exports …; a competitive table may add a negative
        ``imports`` column).
    V : pandas.DataFrame, optional
        Value added by component (rows: compensation, net_taxes, depreciation,
        surplus — any subset) × sector. Without ``V``, value added is the
        column residual ``x − Z·1 − M·1``.
    M : pandas.DataFrame, optional
        Imports and other primary inputs (rows) × sector.
    x : pandas.Series or one-column pandas.DataFrame, optional
        Gross output (pymrio's ``io.x`` is accepted as it is). Defaults to the
        row sums ``Z·1 + Y·1``; when given, the row identity must hold to ``rtol``.
    satellites : mapping of str to Satellite, optional
        Satellite accounts by name (``"co2"``, ``"energy"``, ``"employment"``, ``"capital"``).
    unit : str
        Money unit of the flows (default ``"亿元"``, 100 million CNY).
    name, year : optional
        Identification.
    pillars : pandas.DataFrame, optional
        Columns ``sector``, ``pillar``, ``share``: the share of a sector's output
        counted in a pillar industry.
    sector_info : pandas.DataFrame, optional
        Indexed by sector; columns such as ``name_en``, ``name_zh``, ``depreciation_rate``.
    technologies : mapping of str to list of str, optional
        Products made by rival technologies (e.g. ``{"electricity": ["power_coal", "power_solar"]}``).
    metadata : mapping, optional
        Sources, methods, price basis, which figures are official or estimated.
    rtol : float
        Relative tolerance of the accounting identities.

    Raises
    ------
    TableError
        Mismatched labels or shapes, NaN/inf entries, duplicate sectors,
        negative gross output, broken row or column identities (the message
        names the sector and the gap), pillars naming unknown sectors.

    Notes
    -----
    Row identity ``x = Z·1 + Y·1``; column identity ``x = 1ᵀZ + 1ᵀV + 1ᵀM``
    (Miller & Blair 2022, §2.2, Table 2.1).
    """

    # set once by __init__ (object.__setattr__), never again
    _Z: pd.DataFrame
    _Y: pd.DataFrame
    _V: pd.DataFrame
    _M: pd.DataFrame
    _x: pd.Series
    unit: str
    name: str
    year: int | None
    rtol: float
    _satellites: dict[str, Satellite]
    _pillars: pd.DataFrame
    _sector_info: pd.DataFrame
    _technologies: dict[str, list[str]]
    _metadata: dict[str, Any]

    def __init__(
        self,
        Z: pd.DataFrame,
        Y: pd.DataFrame,
        V: pd.DataFrame | None = None,
        M: pd.DataFrame | None = None,
        *,
        x: pd.Series | None = None,
        satellites: Mapping[str, Satellite] | None = None,
        unit: str = "亿元",
        name: str = "",
        year: int | None = None,
        pillars: pd.DataFrame | None = None,
        sector_info: pd.DataFrame | None = None,
        technologies: Mapping[str, Sequence[str]] | None = None,
        metadata: Mapping[str, Any] | None = None,
        rtol: float = 1e-6,
    ) -> None:
        if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not 0 < rtol < 1:
            raise TableError(f"rtol must be a number in (0, 1), got {rtol!r}")
        if not isinstance(unit, str) or not unit.strip():
            raise UnitError(f"unit must be a non-empty string such as '亿元', got {unit!r}")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise TableError(f"year must be an integer, got {year!r}")
        Z = as_frame("Z", Z)
        sectors = Z.index
        if sectors.has_duplicates:
            raise TableError(f"Z has duplicate sector labels: {list(sectors[sectors.duplicated()])[:5]}")
        if len(sectors) == 0:
            raise TableError("Z has no sectors")
        Z = as_frame("Z", Z, columns=sectors)
        Y = as_frame("Y", Y, index=sectors)
        M = as_frame("M", M, columns=sectors) if M is not None else pd.DataFrame(columns=sectors, dtype=float)
        row_sum = Z.to_numpy().sum(axis=1) + Y.to_numpy().sum(axis=1)
        if x is None:
            x_arr = row_sum
        else:
            if isinstance(x, pd.DataFrame):  # pymrio's x: one column "indout"
                if x.shape[1] != 1:
                    raise TableError(f"x must be a Series or a one-column DataFrame, got {x.shape[1]} columns")
                x = x.iloc[:, 0]
            x_arr = as_frame("x", pd.DataFrame(pd.Series(x, dtype=float)), index=sectors).iloc[:, 0].to_numpy()
            check_close("the row identity x = Z·1 + Y·1", row_sum, x_arr, sectors, rtol)
        if (x_arr < 0).any():
            i = int(np.flatnonzero(x_arr < 0)[0])
            raise TableError(f"gross output is negative for sector {sectors[i]!r} ({x_arr[i]:.6g})")
        col_inputs = Z.to_numpy().sum(axis=0) + M.to_numpy().sum(axis=0)
        if V is None:
            V = pd.DataFrame([x_arr - col_inputs], index=["value_added"], columns=sectors)
        else:
            V = as_frame("V", V, columns=sectors)
            check_close(
                "the column identity x = 1ᵀZ + 1ᵀV + 1ᵀM", col_inputs + V.to_numpy().sum(axis=0), x_arr, sectors, rtol
            )
        object.__setattr__(self, "_Z", _frozen(Z))
        object.__setattr__(self, "_Y", _frozen(Y))
        object.__setattr__(self, "_V", _frozen(V))
        object.__setattr__(self, "_M", _frozen(M))
        object.__setattr__(self, "_x", _frozen(pd.Series(x_arr, index=sectors, name="x")))
        object.__setattr__(self, "unit", str(unit))
        object.__setattr__(self, "name", str(name))
        object.__setattr__(self, "year", None if year is None else int(year))
        object.__setattr__(self, "rtol", float(rtol))
        object.__setattr__(self, "_satellites", check_satellites(satellites or {}, sectors, Y.columns, Satellite))
        object.__setattr__(self, "_pillars", check_pillars(pillars, sectors))
        object.__setattr__(self, "_sector_info", check_sector_info(sector_info, sectors))
        object.__setattr__(self, "_technologies", check_technologies(technologies or {}, sectors))
        object.__setattr__(self, "_metadata", _freeze_nested(dict(metadata or {})))

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("IOTable is immutable; use replace(), aggregate() or select() for a new table")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        Z,
        y,
        x=None,
        value_added=None,
        sectors: Sequence[str] | None = None,
        satellites: Mapping[str, Any] | None = None,
        unit: str = "亿元",
        *,
        categories: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> IOTable:
        """Make a table from plain arrays.

        Parameters
        ----------
        Z : array_like, shape (n, n)
        y : array_like, shape (n,) or (n, k), or pandas.DataFrame
            Final demand; a DataFrame keeps its column labels.
        x : array_like, shape (n,), optional
            Gross output (default ``Z·1 + y·1``).
        value_added : array_like, shape (n,) or (k, n), optional
            Value added (one row ``value_added`` or rows ``va_0 …``). When ``x``
            is given and the columns do not close with value added alone, the
            residual is kept as an explicit row ``other_primary_inputs``
            (imports, net taxes) in ``M``.
        sectors : sequence of str, optional
            Labels (default ``s0 … s{n−1}``).
        satellites : mapping, optional
            ``name → (vector, unit)``, ``name → Satellite``, or, for several
            stressors at once, ``name → (DataFrame, unit)`` with one row per
            stressor (each row becomes a satellite named by its label; ``unit``
            is one string or a sequence with one unit per row).
        unit : str
        categories : sequence of str, optional
            Final-demand column labels (default: the DataFrame's columns, else
            ``final_demand`` for one column and ``fd_0 … fd_{k−1}`` for several).
        **kwargs
            Passed to :class:`IOTable` (``name``, ``year``, ``pillars`` …).

        Examples
        --------
        >>> t = IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700])
        >>> t.x.tolist()
        [1000.0, 2000.0]
        >>> t.V.round(1)
                        s0      s1
        value_added  650.0  1400.0
        """
        Z = as_real_array("Z", Z)
        if Z.ndim != 2 or Z.shape[0] != Z.shape[1]:
            raise TableError(f"Z must be square, got shape {Z.shape}")
        n = Z.shape[0]
        labels = pd.Index([str(s) for s in sectors] if sectors is not None else [f"s{i}" for i in range(n)])
        if len(labels) != n:
            raise TableError(f"{len(labels)} sector labels given for {n} sectors")
        y_labels = list(y.columns) if isinstance(y, pd.DataFrame) else None
        y = as_real_array("y", y)
        if y.ndim == 1:
            y = y[:, None]
        if y.ndim != 2 or y.shape[0] != n:
            raise TableError(f"y must have {n} rows (one per sector), got shape {y.shape}")
        if categories is not None:
            fd_cols = [str(c) for c in categories]
            if len(fd_cols) != y.shape[1]:
                raise TableError(f"{len(fd_cols)} categories given for {y.shape[1]} final-demand columns")
        elif y_labels is not None:
            fd_cols = [str(c) for c in y_labels]
        else:
            fd_cols = ["final_demand"] if y.shape[1] == 1 else [f"fd_{k}" for k in range(y.shape[1])]
        Zf = pd.DataFrame(Z, index=labels, columns=labels)
        Yf = pd.DataFrame(y, index=labels, columns=fd_cols)
        x_arr = Z.sum(axis=1) + y.sum(axis=1) if x is None else as_real_array("x", x).ravel()
        if x_arr.shape[0] != n:
            raise TableError(f"x has {x_arr.shape[0]} entries but Z has {n} sectors")
        x_s = None if x is None else pd.Series(x_arr, index=labels)
        Vf = Mf = None
        if value_added is not None:
            va = as_real_array("value_added", value_added)
            va = va[None, :] if va.ndim == 1 else va
            if va.ndim != 2 or va.shape[1] != n:
                raise TableError(f"value_added must have {n} sector entries, got shape {va.shape}")
            rows = ["value_added"] if va.shape[0] == 1 else [f"va_{k}" for k in range(va.shape[0])]
            Vf = pd.DataFrame(va, index=rows, columns=labels)
            residual = x_arr - Z.sum(axis=0) - va.sum(axis=0)
            if np.abs(residual).max(initial=0.0) > kwargs.get("rtol", 1e-6) * max(1.0, float(np.abs(x_arr).max())):
                Mf = pd.DataFrame([residual], index=[OTHER_INPUTS], columns=labels)
        sats = {}
        for key, spec in (satellites or {}).items():
            if isinstance(spec, Satellite):
                sats[key] = spec
            else:
                try:
                    values, sat_unit = spec
                except (TypeError, ValueError):
                    raise TableError(
                        f"satellite {key!r} must be (vector, unit), (DataFrame, unit) or a Satellite"
                    ) from None
                if isinstance(values, pd.DataFrame):  # several stressors, one per row
                    if values.shape[1] != n:
                        raise TableError(
                            f"satellite {key!r} has {values.shape[1]} columns; expected {n} (one per sector)"
                        )
                    units = [sat_unit] * len(values) if isinstance(sat_unit, str) else list(sat_unit)
                    if len(units) != len(values):
                        raise TableError(f"satellite {key!r}: {len(units)} units for {len(values)} stressors")
                    for (label, row), row_unit in zip(values.iterrows(), units):
                        sats[str(label)] = Satellite(
                            pd.Series(as_real_array(f"satellite {label!r}", row.to_numpy()), index=labels), row_unit
                        )
                    continue
                values = as_real_array(f"satellite {key!r}", values)
                if values.shape != (n,):
                    raise TableError(f"satellite {key!r} has shape {values.shape}; expected ({n},)")
                sats[key] = Satellite(pd.Series(values, index=labels), sat_unit)
        return cls(Zf, Yf, Vf, Mf, x=x_s, satellites=sats, unit=unit, **kwargs)

    @classmethod
    def from_csv(cls, path) -> IOTable:
        """Read a table from a CSV folder written by :meth:`to_csv` (see :func:`xn_io.io.read_csv_folder`)."""
        return _table_io.read_csv_folder(path, table_cls=cls)

    @classmethod
    def from_pymrio(cls, io_system, region: str, **kwargs: Any) -> IOTable:
        """One region of a pymrio ``IOSystem`` as a single-region table (see :func:`xn_io.io.from_pymrio`)."""
        return _table_io.from_pymrio(io_system, region, table_cls=cls, **kwargs)

    def to_csv(self, path, *, overwrite: bool = False):
        """Write the table as a CSV folder, atomically (see :func:`xn_io.io.write_csv_folder`)."""
        return _table_io.write_csv_folder(self, path, overwrite=overwrite)

    @classmethod
    def read_excel(cls, path) -> IOTable:
        """Read a table from an ``.xlsx`` workbook written by :meth:`to_excel` (see :func:`xn_io.excel.read_excel`)."""
        return _excel_io.read_excel(path, table_cls=cls)

    def to_excel(self, path, *, overwrite: bool = False):
        """Write the table as an ``.xlsx`` workbook, one sheet per block, atomically (see :func:`xn_io.excel.write_excel`)."""
        return _excel_io.write_excel(self, path, overwrite=overwrite)

    def to_pymrio(self):
        """This table as a one-region pymrio ``IOSystem`` (see :func:`xn_io.io.to_pymrio`)."""
        return _table_io.to_pymrio(self)

    # ------------------------------------------------------------------ blocks
    @property
    def sectors(self) -> pd.Index:
        """Sector labels, the order of every block."""
        return self._Z.index

    @property
    def n(self) -> int:
        """Number of sectors."""
        return len(self._Z.index)

    # Every accessor hands out a new object: frames over the table's read-only data (an edit
    # copies first or raises, never reaching the table), or copies of dicts and lists.
    Z = property(lambda self: _handout(self._Z), doc="Intermediate flows (read-only data).")
    Y = property(lambda self: _handout(self._Y), doc="Final demand by category (read-only data).")
    V = property(lambda self: _handout(self._V), doc="Value added by component (read-only data).")
    M = property(lambda self: _handout(self._M), doc="Imports and other primary inputs (read-only data).")
    x = property(lambda self: _handout(self._x), doc="Gross output (read-only data).")
    satellites = property(
        lambda self: {k: s._handout() for k, s in self._satellites.items()}, doc="Satellite accounts by name (copies)."
    )
    pillars = property(lambda self: self._pillars.copy(), doc="Pillar mapping: sector, pillar, share (copy).")
    sector_info = property(lambda self: self._sector_info.copy(), doc="Sector names and parameters (copy).")
    technologies = property(
        lambda self: {k: list(v) for k, v in self._technologies.items()}, doc="Products with rival technologies."
    )
    metadata = property(
        lambda self: _freeze_nested(self._metadata), doc="Sources, methods, status of the figures (a copy)."
    )

    @property
    def value_added(self) -> pd.Series:
        """Value added by sector (column sums of ``V``)."""
        return self._V.sum(axis=0).rename("value_added")

    @property
    def final_demand(self) -> pd.Series:
        """Final demand by sector (row sums of ``Y``)."""
        return self._Y.sum(axis=1).rename("final_demand")

    @property
    def gdp(self) -> float:
        """Gross domestic (regional) product, the sum of value added."""
        return float(self._V.to_numpy().sum())

    def satellite(self, name: str) -> Satellite:
        """The satellite account ``name``; :class:`TableError` lists the available ones."""
        try:
            return self._satellites[name]._handout()
        except KeyError:
            raise TableError(
                f"table {self.name or '(unnamed)'} has no satellite {name!r}; it has {sorted(self._satellites)}"
            ) from None

    def intensity(self, name: str) -> pd.Series:
        """Satellite per unit of output, ``f = F x̂⁻¹``, in ``unit / money unit``."""
        values = leontief.intensities(self.satellite(name).values.to_numpy(), self._x.to_numpy(), zero_output="zero")
        return pd.Series(values, index=self.sectors, name=name)

    def pillar_output(self) -> pd.Series:
        """Gross output counted in each pillar, ``Σ share · x``, in the table's money unit."""
        if self._pillars.empty:
            return pd.Series(dtype=float, name="output")
        out = self._pillars.assign(output=self._pillars["share"] * self._x.reindex(self._pillars["sector"]).to_numpy())
        return out.groupby("pillar", sort=False)["output"].sum()

    # ------------------------------------------------------------------ derived (cached)
    def _labelled(self, values: np.ndarray, name: str | None = None):
        if values.ndim == 1:
            return pd.Series(values, index=self.sectors, name=name)
        return pd.DataFrame(values, index=self.sectors, columns=self.sectors)

    def _cached(self, values: np.ndarray, name: str | None = None):
        """A labelled frame over ``values`` made read-only: the form a derived matrix is cached in."""
        values = np.asarray(values, dtype=float)
        values.flags.writeable = False
        return self._labelled(values, name)

    @cached_property
    def _A(self) -> np.ndarray:
        A = leontief.technical_coefficients(
            self._Z.to_numpy(), self._x.to_numpy(), zero_output="zero", labels=self.sectors
        )
        A.flags.writeable = False
        return A

    @cached_property
    def solver(self) -> leontief.LeontiefSolver:
        """The factorisation of ``I − A``, shared by every solve on this table."""
        return leontief.factorize(self._A, labels=list(self.sectors))

    # The derived matrices are computed once and cached read-only; each access hands out a
    # new frame over the cached data (see _handout), so editing a result cannot change the table.
    @cached_property
    def _A_frame(self) -> pd.DataFrame:
        return self._labelled(self._A)

    @cached_property
    def _L_frame(self) -> pd.DataFrame:
        return self._cached(self.solver.inverse())

    @cached_property
    def _B_frame(self) -> pd.DataFrame:
        return self._cached(
            leontief.allocation_coefficients(self._Z.to_numpy(), self._x.to_numpy(), zero_output="zero")
        )

    @cached_property
    def _G_frame(self) -> pd.DataFrame:
        return self._cached(leontief.ghosh_inverse(self._B_frame.to_numpy(), labels=list(self.sectors)))

    @cached_property
    def _v_frame(self) -> pd.Series:
        inv = leontief.inverse_vector(self._x.to_numpy(), zero_output="zero")
        return self._cached(self._V.to_numpy().sum(axis=0) * inv, "value_added")

    @property
    def A(self) -> pd.DataFrame:
        """Technical coefficients ``A = Z x̂⁻¹`` (Miller & Blair 2022, eq. 2.4)."""
        return _handout(self._A_frame)

    @property
    def L(self) -> pd.DataFrame:
        """Leontief inverse ``(I − A)⁻¹``, formed once from the cached factorisation."""
        return _handout(self._L_frame)

    @property
    def B(self) -> pd.DataFrame:
        """Allocation coefficients ``B = x̂⁻¹ Z`` (Miller & Blair 2022, eq. 12.6)."""
        return _handout(self._B_frame)

    @property
    def G(self) -> pd.DataFrame:
        """Ghosh inverse ``G = (I − B)⁻¹`` (Miller & Blair 2022, eq. 12.8)."""
        return _handout(self._G_frame)

    @property
    def value_added_coefficients(self) -> pd.Series:
        """Value added per unit of output, ``v = 1ᵀV x̂⁻¹``."""
        return _handout(self._v_frame)

    # ------------------------------------------------------------------ multipliers
    def output_multipliers(self) -> pd.Series:
        """Output multipliers ``1ᵀL`` by sector (Miller & Blair 2022, §6.2.1)."""
        return self._labelled(self.solver.solve_transposed(np.ones(self.n)), "output_multiplier")

    def value_added_multipliers(self) -> pd.Series:
        """Value added per unit of final demand, ``vᵀL`` (Miller & Blair 2022, §6.2.3)."""
        return self._labelled(self.solver.solve_transposed(self._v_frame.to_numpy()), "value_added_multiplier")

    def satellite_multipliers(self, name: str) -> pd.Series:
        """Satellite released per unit of final demand, ``f L``, in ``unit / money unit``."""
        return self._labelled(self.solver.solve_transposed(self.intensity(name).to_numpy()), name)

    def footprints(self, name: str) -> pd.DataFrame:
        """Satellite embodied in each final-demand category, ``f L Y``, plus direct final-demand amounts.

        Returns
        -------
        pandas.DataFrame
            Indexed by final-demand category, columns ``embodied``, ``direct``
            and ``total``, in the satellite's unit, and ``unit``. The totals add up to the
            satellite's total (Miller & Blair 2022, §10.2).
        """
        sat = self.satellite(name)
        embodied = self.satellite_multipliers(name).to_numpy() @ self._Y.to_numpy()
        direct = np.zeros(len(self._Y.columns))
        if sat.final_demand is not None:
            direct = sat.final_demand.reindex(self._Y.columns).fillna(0.0).to_numpy()
        out = pd.DataFrame({"embodied": embodied, "direct": direct}, index=self._Y.columns)
        out["total"] = out["embodied"] + out["direct"]
        out["unit"] = sat.unit  # with the numbers, not only in .attrs (which pandas drops)
        out.attrs["unit"] = sat.unit
        return out

    def impact(self, delta_y) -> pd.DataFrame:
        """Output, value added and satellites caused by a change in final demand.

        Parameters
        ----------
        delta_y : mapping or pandas.Series or array_like
            Change in final demand by sector (missing sectors count as 0).

        Returns
        -------
        pandas.DataFrame
            By sector: ``output`` (Δx = L Δy), ``value_added`` and one column per
            satellite; then each measure's unit in ``<measure>_unit`` (also in
            ``.attrs["units"]``).

        Raises
        ------
        TableError
            If ``delta_y`` names an unknown sector or has the wrong length.
        """
        if isinstance(delta_y, (Mapping, pd.Series)):
            dy = pd.Series(delta_y, dtype=float)
            dy.index = dy.index.map(str)
            unknown = list(dy.index.difference(self.sectors))
            if unknown:
                raise TableError(f"delta_y names sectors not in the table: {unknown[:5]}")
            dy = dy.reindex(self.sectors, fill_value=0.0).to_numpy()
        else:
            dy = np.asarray(delta_y, dtype=float)
        dx = self.solver.solve(dy)
        out = pd.DataFrame({"output": dx, "value_added": dx * self._v_frame.to_numpy()}, index=self.sectors)
        units = {"output": self.unit, "value_added": self.unit}
        for key, sat in self._satellites.items():
            out[key] = dx * self.intensity(key).to_numpy()
            units[key] = sat.unit
        return with_unit_columns(out, units)

    def summary(self) -> pd.DataFrame:
        """Key figures with units and whether each is official or an estimate.

        Returns
        -------
        pandas.DataFrame
            Columns ``value``, ``unit``, ``status``, indexed by indicator
            (GDP, gross output; sales outside the region and their ratio to GDP
            when ``Y`` has an ``exports`` (or ``outflow``) column; the local share of
            intermediate inputs when ``M`` has an ``imports`` row; for each product
            made by several technologies, its local output, what is sold in the
            region and what is sold outside; each pillar's output, each
            satellite's total).

        Examples
        --------
        >>> Z = pd.DataFrame([[150, 500], [200, 100]], index=["a", "m"], columns=["a", "m"])
        >>> Y = pd.DataFrame({"households": [300, 1000], "exports": [50, 700]}, index=["a", "m"])
        >>> IOTable(Z, Y).summary().loc[["GDP (value added)", "sales outside the region"], "value"].tolist()
        [2050.0, 750.0]
        """
        status = self._metadata.get("status", {}) if isinstance(self._metadata.get("status"), Mapping) else {}
        default = str(self._metadata.get("default_status", "as given"))
        rows = [
            ("sectors", float(self.n), "count", "—"),
            ("GDP (value added)", self.gdp, self.unit, status.get("gdp", default)),
            ("gross output", float(self._x.sum()), self.unit, status.get("output", default)),
            ("final demand", float(self._Y.to_numpy().sum()), self.unit, status.get("final_demand", default)),
        ]
        if len(self._M):
            rows.append(
                (
                    "imports and other primary inputs",
                    float(self._M.to_numpy().sum()),
                    self.unit,
                    status.get("imports", default),
                )
            )
        rows += self._openness_rows(status.get("final_demand", default))
        for pillar, value in self.pillar_output().items():
            rows.append((f"pillar output: {pillar}", float(value), self.unit, status.get("pillars", default)))
        for key, sat in self._satellites.items():
            rows.append((f"{key} total", sat.total, sat.unit, sat.status))
        frame = pd.DataFrame(rows, columns=["indicator", "value", "unit", "status"]).set_index("indicator")
        frame.attrs["table"] = self.name
        return frame

    def _openness_rows(self, status: str) -> list[tuple[str, float, str, str]]:
        """Sales outside the region, local share of intermediate inputs, balance of each multi-technology product."""
        rows: list[tuple[str, float, str, str]] = []
        outside = [c for c in ("exports", "outflow") if c in self._Y.columns]
        if outside:
            sales = float(self._Y[outside].to_numpy().sum())
            rows.append(("sales outside the region", sales, self.unit, status))
            rows.append(
                ("sales outside the region / GDP", sales / self.gdp if self.gdp else float("nan"), "ratio", status)
            )
        bought = [r for r in self._M.index if r == "imports" or str(r).startswith("imports:")]
        if bought:
            local = float(self._Z.to_numpy().sum())
            outside_inputs = float(self._M.loc[bought].to_numpy().sum())
            if local + outside_inputs > 0:
                rows.append(("local share of intermediate inputs", local / (local + outside_inputs), "ratio", status))
        for product, techs in self._technologies.items():
            made = float(self._x[list(techs)].sum())
            sold_out = float(self._Y.loc[list(techs), outside].to_numpy().sum()) if outside else 0.0
            rows.append((f"{product}: local output", made, self.unit, status))
            rows.append((f"{product}: sold in the region", made - sold_out, self.unit, status))
            rows.append((f"{product}: sold outside the region", sold_out, self.unit, status))
        return rows

    # ------------------------------------------------------------------ structural analysis
    def linkages(self, *, normalized: bool = True) -> pd.DataFrame:
        """Direct and total, backward and forward linkages (see :func:`xn_io.structural.linkage_table`)."""
        return structural.linkage_table(self, normalized=normalized)

    def key_sectors(self, *, kind: str = "total", threshold: float = 1.0) -> pd.DataFrame:
        """Key, backward-, forward-oriented and weak sectors (see :func:`xn_io.structural.key_sectors`)."""
        return structural.key_sectors(self, kind=kind, threshold=threshold)

    def extract(
        self,
        groups: Mapping[str, Sequence[str]] | str | None = None,
        *,
        mode: Literal["total", "backward", "forward"] = "total",
        fraction: float = 1.0,
        satellites: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Losses from hypothetical extraction of sectors or groups (see :func:`xn_io.structural.extract_sectors`)."""
        return structural.extract_sectors(self, groups, mode=mode, fraction=fraction, satellites=satellites)

    def structural_paths(
        self,
        satellite: str = "co2",
        *,
        demand=None,
        pillar: str | None = None,
        threshold: float = 1e-3,
        max_depth: int = 8,
        max_paths: int | None = 50,
    ) -> pd.DataFrame:
        """Largest supply-chain paths to a satellite (see :func:`xn_io.structural.structural_paths`)."""
        return structural.structural_paths(
            self, satellite, demand=demand, pillar=pillar, threshold=threshold, max_depth=max_depth, max_paths=max_paths
        )

    def important_coefficients(self, *, p: float = 0.01, limit: float = 1.0) -> pd.DataFrame:
        """Coefficients with the smallest tolerable limits of change (see :func:`xn_io.structural.important_coefficients`)."""
        return structural.important_coefficients(self, p=p, limit=limit)

    # ------------------------------------------------------------------ transformations
    def _kwargs(self) -> dict[str, Any]:
        return dict(
            x=self._x,
            satellites=self._satellites,
            unit=self.unit,
            name=self.name,
            year=self.year,
            pillars=self._pillars,
            sector_info=self._sector_info,
            technologies=self._technologies,
            metadata=self._metadata,
            rtol=self.rtol,
        )

    def replace(self, **changes: Any) -> IOTable:
        """A new table with some blocks or attributes replaced (``Z``, ``Y``, ``V``, ``M``, ``x``, ``satellites`` …).

        Replacing ``Z`` or ``Y`` without ``x`` recomputes ``x`` from the rows.
        """
        blocks = {"Z": self._Z, "Y": self._Y, "V": self._V, "M": self._M}
        kwargs = self._kwargs()
        if ("Z" in changes or "Y" in changes) and "x" not in changes:
            kwargs["x"] = None
            if "V" not in changes:
                blocks["V"] = None
        for key, value in changes.items():
            if key in blocks:
                blocks[key] = value
            elif key in kwargs:
                kwargs[key] = value
            else:
                raise TableError(f"replace(): unknown field {key!r}; fields are {sorted([*blocks, *kwargs])}")
        return IOTable(blocks["Z"], blocks["Y"], blocks["V"], blocks["M"], **kwargs)

    def aggregate(self, mapping: Mapping[str, str] | pd.Series, *, name: str | None = None) -> IOTable:
        """Aggregate sectors into groups.

        Parameters
        ----------
        mapping : mapping or pandas.Series
            Sector → group label; every sector must be mapped.
        name : str, optional
            Name of the new table.

        Returns
        -------
        IOTable
            Flows, output and satellites summed by group; pillar shares
            output-weighted; technologies kept only where their sectors stay
            separate.

        Raises
        ------
        TableError
            If a sector is not mapped or the mapping names unknown sectors.

        Examples
        --------
        >>> t = IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["a", "b"])
        >>> t.aggregate({"a": "all", "b": "all"}).Z
                  all
        all     950.0
        """
        return aggregate_table(self, mapping, name=name)

    def select(self, sectors: Sequence[str], *, name: str | None = None) -> IOTable:
        """A table of some sectors only, the others moved outside the table.

        Purchases from the dropped sectors become an ``other_sectors`` row of
        ``M``; sales to them become an ``other_sectors`` column of ``Y``, so
        both identities still hold for the kept sectors.

        Raises
        ------
        TableError
            If a label is unknown or nothing is selected.

        Examples
        --------
        >>> t = IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], sectors=["a", "b"])
        >>> t.select(["a"]).Y
           final_demand  other_sectors
        a         350.0          500.0
        """
        return select_sectors(self, sectors, name=name)

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        label = f"{self.name!r}, " if self.name else ""
        year = f"{self.year}, " if self.year is not None else ""
        sats = ", ".join(f"{k} [{s.unit}]" for k, s in self._satellites.items()) or "none"
        return (
            f"IOTable({label}{year}{self.n} sectors, {len(self._Y.columns)} final-demand categories, "
            f"GDP {self.gdp:,.6g} {self.unit}, satellites: {sats})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IOTable):
            return NotImplemented
        return (
            all(getattr(self, b).equals(getattr(other, b)) for b in ("_Z", "_Y", "_V", "_M", "_x"))
            and self.unit == other.unit
        )

    __hash__ = None  # type: ignore[assignment]

    def isclose(self, other: IOTable, *, rtol: float = 1e-9) -> bool:
        """True when both tables have the same labels and blocks equal to ``rtol``."""
        for block in ("_Z", "_Y", "_V", "_M"):
            a, b = getattr(self, block), getattr(other, block)
            if not (a.index.equals(b.index) and a.columns.equals(b.columns)):
                return False
            if not np.allclose(a.to_numpy(), b.to_numpy(), rtol=rtol, atol=rtol * max(1.0, float(self._x.max()))):
                return False
        return math.isclose(self.gdp, other.gdp, rel_tol=rtol)
