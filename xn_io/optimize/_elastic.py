"""Elastic rows: a plan model's cap and target rows made relaxable, for the diagnosis and the clash finder."""

from __future__ import annotations

from collections.abc import Iterable

import pyomo.environ as pe

__all__ = ["make_elastic"]

#: Families whose right-hand side is a ratio: their relaxation is scaled by the base-year total, not the rhs.
_RATIO_SCALE = {"carbon_intensity": "co2_0", "energy_intensity": "energy_0"}


def make_elastic(m, families: Iterable[str]) -> list[tuple[str, object, float, float]]:
    """Give every row of the active family blocks ``families`` of ``m`` a relaxation ``m.relax[n] ≥ 0``.

    A ≤ row becomes ``body − relax ≤ rhs``, a ≥ row ``body + relax ≥ rhs``; the
    relaxations are indexed by ``m.ELASTIC`` (0, 1, …, in the order returned).

    Returns
    -------
    list of (family, index, rhs, scale)
        ``scale`` puts relaxations of different rows on one footing: the size of the
        rhs, or for ratio families (CO2 or energy per GDP) the base-year total;
        base-year CO2 where the rhs is 0.
    """
    d = m.xn_data
    keys: list[tuple[str, object]] = []
    for fam in families:
        blk = getattr(m, fam, None)
        if blk is None or not blk.active:
            continue
        keys.extend((fam, idx) for idx in blk.con)
    m.ELASTIC = pe.Set(initialize=range(len(keys)))
    m.relax = pe.Var(m.ELASTIC, domain=pe.NonNegativeReals)
    rows = []
    for n, (fam, idx) in enumerate(keys):
        con = getattr(m, fam).con[idx]
        if con.has_ub():
            rhs = pe.value(con.upper)
            con.set_value((None, con.body - m.relax[n], con.upper))
        else:
            rhs = pe.value(con.lower)
            con.set_value((con.lower, con.body + m.relax[n], None))
        if fam in _RATIO_SCALE:
            scale = max(getattr(d, _RATIO_SCALE[fam]), 1.0)
        else:
            scale = abs(rhs) if abs(rhs) > 1e-9 else max(d.co2_0, 1.0)
        rows.append((fam, idx, rhs, scale))
    return rows
