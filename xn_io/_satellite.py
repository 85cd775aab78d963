"""Satellite accounts and the read-only storage of a table's data (the bottom of the table layer).

:class:`Satellite` is re-exported by :mod:`xn_io.table` (its home in the API reference)
and by :mod:`xn_io`; it lives here so that the modules that read and write tables
(:mod:`xn_io._table_io`, :mod:`xn_io._excel_io`) can build satellites without importing
:mod:`xn_io.table`, which imports them.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import TableError, UnitError

__all__ = ["Satellite", "OTHER_INPUTS"]

OTHER_INPUTS = "other_primary_inputs"
"""Row label of the residual kept when columns do not close with value added alone."""

_STATUSES = ("official", "estimate", "mixed", "illustrative")


def _frozen(obj):
    """``obj`` with its data read-only: a DataFrame or Series over a read-only copy of its values.

    Held by the table; handed out through :func:`_handout`, so a caller can neither write
    into the table's arrays nor rename or extend its frames.
    """
    values = np.array(obj.to_numpy(dtype=float), dtype=float)  # a copy the table alone owns
    values.flags.writeable = False
    if isinstance(obj, pd.Series):
        return pd.Series(values, index=obj.index, name=obj.name, copy=False)
    return pd.DataFrame(values, index=obj.index, columns=obj.columns, copy=False)


def _handout(obj):
    """A new frame sharing the table's read-only data: edits of it copy first (pandas
    copy-on-write) or raise, and never reach the table."""
    return obj.copy(deep=False)


def _freeze_nested(value):
    """A deep copy of metadata (dicts, lists, scalars), so a caller's edits stay the caller's."""
    return copy.deepcopy(value)


@dataclass(frozen=True)
class Satellite:
    """A satellite account: one quantity by sector, with its unit.

    Parameters
    ----------
    values : pandas.Series
        Amount by sector (e.g. CO2 emitted by each sector's production).
    unit : str
        Unit of ``values`` (e.g. ``"万吨"`` for CO2, ``"万吨标准煤"`` for energy).
    final_demand : pandas.Series, optional
        Amounts released directly by final-demand categories (e.g. households'
        own fuel combustion), indexed by final-demand category.
    status : {"official", "estimate", "mixed", "illustrative"}
        Whether the figures are official statistics or estimates.
    note : str
        How the figures were obtained.
    """

    values: pd.Series
    unit: str
    final_demand: pd.Series | None = None
    status: str = "estimate"
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.unit, str) or not self.unit.strip():
            raise UnitError("a satellite must carry its unit as a non-empty string")
        if self.status not in _STATUSES:
            raise TableError(f"satellite status must be one of {_STATUSES}, got {self.status!r}")
        object.__setattr__(self, "values", _frozen(pd.Series(self.values, dtype=float)))
        if self.final_demand is not None:
            object.__setattr__(self, "final_demand", _frozen(pd.Series(self.final_demand, dtype=float)))

    def _handout(self) -> Satellite:
        """A copy whose Series are new objects over the same read-only data."""
        return Satellite(self.values, self.unit, self.final_demand, self.status, self.note)

    @property
    def total(self) -> float:
        """Total over sectors and final-demand categories."""
        fd = 0.0 if self.final_demand is None else float(self.final_demand.sum())
        return float(self.values.sum()) + fd
