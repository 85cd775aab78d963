"""Satellite coefficients of the plan model by year: per unit of output, falling with efficiency gains."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["satellite_path"]


def satellite_path(table, name, years, base, rate, household_growth, sector_rate=None, fixed_share=None):
    """Coefficients of satellite ``name`` by year, its households' total by year, and base-year per unit.

    Each sector's coefficient (satellite ÷ output in the base year) falls by its
    efficiency ``rate`` a year (``sector_rate`` overrides per sector); ``fixed_share``
    is the share of a sector's coefficient that does not fall (process CO2). The
    households' total grows with ``household_growth`` and falls with ``rate``. A
    table without the satellite gives zeros. Units are the table's (checked
    against the scenario's caps by :func:`~xn_io.optimize.units.check_units`).
    """
    zero = pd.Series(0.0, index=table.sectors)
    if name not in table.satellites:
        return (pd.DataFrame(0.0, index=years, columns=table.sectors), pd.Series(0.0, index=years), zero)
    sat = table.satellites[name]
    per = (sat.values / table.x).fillna(0.0).astype(float)
    hh = 0.0 if sat.final_demand is None else float(sat.final_demand.sum())
    rates = pd.Series(rate, index=table.sectors, dtype=float)
    rates.update(pd.Series(sector_rate or {}, dtype=float).reindex(table.sectors).dropna())
    fixed = pd.Series(fixed_share or {}, dtype=float).reindex(table.sectors).fillna(0.0)
    factor = np.array([fixed + (1 - fixed) * (1 - rates) ** (y - base) for y in years])
    coefs = pd.DataFrame(factor * per.to_numpy(), index=years, columns=table.sectors)
    households = pd.Series([hh * ((1 + household_growth) * (1 - rate)) ** (y - base) for y in years], index=years)
    return coefs, households, per
