"""More of the plan's targets as switchable constraint families of the plan model.

Each family is a block with a mutable ``level`` and a constraint ``con`` (as the
families of :mod:`xn_io.optimize.model`), built only when its scenario field is
set, and names its row of ``tables/sources/xianning_plan/targets.csv``:

========================  =====================================================  ==========================
family                    constraint (T = last plan year, 0 = base year)         targets.csv row
========================  =====================================================  ==========================
``non_fossil_share``      (energy_T − fossil_T) ≥ s · energy_T                   ``non_fossil_share``
``energy_intensity``      energy_T ≤ (1 − cut) · energy_0 / gdp_0 · gdp_T         (能耗双控 in the text; no row)
``fossil_energy_peak``    fossil_y ≤ fossil_P for every y after the peak year P  ``carbon_peak`` (note: coal
                                                                                 and oil peak before 2030)
``consumption_rate``      households_T ≥ (c_0 + rise) · gdp_T                    (居民消费率明显提高; no row)
``cluster_output``        Σ_{j ∈ clusters} x_{j,T} ≥ target / deflator           ``advanced_mfg_cluster_output``
``cluster_share``         Σ_{clusters} x_{j,T} ≥ share · Σ_{industry} x_{j,T}    ``advanced_mfg_cluster_output``
``chain_leader_output``   Σ_j λ_j x_{j,T} ≥ target / deflator                    ``chain_leader_output``
========================  =====================================================  ==========================

CO2 per unit of GDP (``co2_per_gdp_cut``) is the family ``carbon_intensity`` of
the model, culture and tourism revenue (``pillar_culture_tourism``) a pillar
target. The provincial figures the plan does not state (non-fossil share, CO2
and energy intensity) are scenario values: assumptions until a source gives them.

Every family here is a hard row whatever ``target_mode`` says (soft targets are the GDP,
pillar and new-energy targets, whose shortfalls have a price in objective units; a price
per point of an energy share or per 万吨标准煤 above an intensity limit is not a figure the
plan or the table gives, and inventing one would decide the plan). A scenario that cannot
meet one raises :class:`~xn_io.errors.InfeasibleError`, whose diagnosis names the family
and the amount by which it must give way; :func:`~xn_io.optimize.clashes.target_clashes`
names the targets it clashes with.

Household consumption is exogenous in the plan model (local final demand grows at
``demand_growth``), so a rising consumption rate is an *upper* bound on GDP: the model
meets it by growing less, unless the scenario raises ``demand_growth``. That is what the
target means in this model, and why it clashes with a GDP target.
"""

from __future__ import annotations

from functools import partial

import pyomo.environ as pe
from pyomo.core.expr.numeric_expr import LinearExpression

from ..errors import ScenarioError
from ._peak import add_peak_rule

__all__ = ["TARGET_FAMILIES", "add_plan_targets", "industry_sectors"]

#: The families of this module and their rows in targets.csv (None: not a row of the table).
TARGET_FAMILIES = {
    "non_fossil_share": "non_fossil_share",
    "energy_intensity": None,
    "fossil_energy_peak": "carbon_peak",
    "consumption_rate": None,
    "cluster_output": "advanced_mfg_cluster_output",
    "cluster_share": "advanced_mfg_cluster_output",
    "chain_leader_output": "chain_leader_output",
}


def industry_sectors(table) -> list[str]:
    """Industry (工业) sectors of a table: ``sector_info.broad_sector == "secondary"`` without construction.

    Examples
    --------
    >>> import xn_io
    >>> s = industry_sectors(xn_io.load_table("xianning-2025"))
    >>> "steel" in s, "construction" in s, "trade" in s
    (True, False, False)
    """
    info = table.sector_info
    if info is None or "broad_sector" not in info.columns:
        return []
    return [s for s in table.sectors if info.loc[s, "broad_sector"] == "secondary" and s != "construction"]


def _lin(coefs, vars_, const=0.0):
    keep = [(float(c), v) for c, v in zip(coefs, vars_) if c != 0]
    return LinearExpression(constant=float(const), linear_coefs=[c for c, _ in keep], linear_vars=[v for _, v in keep])


def _family(m, name, index, level, rule):
    blk = pe.Block()
    setattr(m, name, blk)
    blk.level = pe.Param(index, initialize=level, mutable=True, within=pe.Reals)
    blk.con = pe.Constraint(index, rule=rule)
    return blk


def _check_sectors(table, field, names):
    unknown = [s for s in names if s not in set(table.sectors)]
    if unknown:
        raise ScenarioError(f"{field}: the table has no sector {unknown[0]!r}", field=f"{field}.{unknown[0]}")


def add_plan_targets(m, table) -> list[str]:
    """Add the target families the scenario sets to a built plan model ``m``; return their names."""
    from ._satellites import satellite_path

    d = m.xn_data
    s = d.scenario
    last, base, Y = d.last_year, d.base_year, list(d.years)
    x = m.io.x
    S = list(d.sectors)
    added = []

    def xs(y):
        return [x[j, y] for j in S]

    if s.non_fossil_share_min is not None or s.fossil_energy_peak_year is not None:
        if "energy_fossil" not in table.satellites or "energy" not in table.satellites:
            raise ScenarioError(
                "the non-fossil share and the fossil-energy peak need 'energy' and 'energy_fossil' satellites",
                field="energy.non_fossil_share_min",
            )
        fossil, fossil_hh, _ = satellite_path(
            table,
            "energy_fossil",
            Y,
            base,
            s.energy_efficiency,
            s.demand_growth,
            s.sector_energy_efficiency,
        )
        m.fossil_energy = pe.Expression(m.YEARS, rule=lambda m, y: _lin(fossil.loc[y], xs(y), fossil_hh[y]))
        m.fossil_energy_0 = float(table.satellites["energy_fossil"].total)
    if s.non_fossil_share_min is not None and s.family_on("non_fossil_share"):
        _family(
            m,
            "non_fossil_share",
            [last],
            {last: s.non_fossil_share_min},
            lambda b, y: (1 - b.level[y]) * m.energy[y] - m.fossil_energy[y] >= 0,
        )
        added.append("non_fossil_share")
    if s.fossil_energy_peak_year is not None and s.family_on("fossil_energy_peak"):
        peak = s.fossil_energy_peak_year
        after = [y for y in Y if y > peak]
        allowance = dict.fromkeys(after, 0.0)
        if peak < Y[0]:
            _family(
                m,
                "fossil_energy_peak",
                after,
                allowance,
                lambda b, y: m.fossil_energy[y] - m.fossil_energy_0 <= b.level[y],
            )
        else:  # a level the plan reaches on its own, as the carbon peak (`_peak`)
            add_peak_rule(m, "fossil_energy_peak", m.fossil_energy, peak, after, allowance, partial(_family, m))
        added.append("fossil_energy_peak")
    if s.energy_intensity_cut is not None and s.family_on("energy_intensity"):
        ratio = (1 - s.energy_intensity_cut) * d.energy_0 / d.gdp0
        _family(m, "energy_intensity", [last], {last: ratio}, lambda b, y: m.energy[y] - b.level[y] * m.gdp[y] <= 0)
        added.append("energy_intensity")
    if s.consumption_rate_rise is not None and s.family_on("consumption_rate"):
        if "households" not in table.Y.columns:
            raise ScenarioError(
                "the consumption rate needs a 'households' final-demand column", field="targets.consumption_rate_rise"
            )
        hh0 = float(table.Y["households"].sum())
        hh_last = hh0 * (1 + s.demand_growth) ** (last - base)
        rate = hh0 / d.gdp0 + s.consumption_rate_rise
        m.household_consumption = pe.Param(
            m.YEARS, initialize={y: hh0 * (1 + s.demand_growth) ** (y - base) for y in Y}
        )
        _family(m, "consumption_rate", [last], {last: rate}, lambda b, y: hh_last - b.level[y] * m.gdp[y] >= 0)
        added.append("consumption_rate")
    clusters = list(s.cluster_sectors) if s.cluster_sectors is not None else _default_clusters(table)
    if s.cluster_output_target is not None and s.family_on("cluster_output"):
        _check_sectors(table, "targets.cluster_sectors", clusters)
        _family(
            m,
            "cluster_output",
            [last],
            {last: s.cluster_output_target / d.deflator},
            lambda b, y: sum(x[j, y] for j in clusters) >= b.level[y],
        )
        added.append("cluster_output")
    if s.cluster_industry_share is not None and s.family_on("cluster_share"):
        _check_sectors(table, "targets.cluster_sectors", clusters)
        industry = industry_sectors(table)
        if not industry:
            raise ScenarioError(
                "the cluster share needs sector_info.broad_sector to tell industry sectors",
                field="targets.cluster_industry_share",
            )
        _family(
            m,
            "cluster_share",
            [last],
            {last: s.cluster_industry_share},
            lambda b, y: sum(x[j, y] for j in clusters) - b.level[y] * sum(x[j, y] for j in industry) >= 0,
        )
        added.append("cluster_share")
    if s.chain_leader_output_target is not None and s.family_on("chain_leader_output"):
        shares = dict(s.chain_leader_shares)
        if not shares:
            raise ScenarioError(
                "targets.chain_leader_output_target needs chain_leader_shares (sector → the leaders' share of its output)",
                field="targets.chain_leader_shares",
            )
        _check_sectors(table, "targets.chain_leader_shares", shares)
        _family(
            m,
            "chain_leader_output",
            [last],
            {last: s.chain_leader_output_target / d.deflator},
            lambda b, y: sum(v * x[j, y] for j, v in shares.items()) >= b.level[y],
        )
        added.append("chain_leader_output")
    return added


def _default_clusters(table) -> list[str]:
    """Default advanced-manufacturing cluster sectors: the sectors of the green-materials and equipment pillars.

    An assumption: the plan names its clusters by industry, not by sector of the table.
    """
    p = table.pillars
    if p is None:
        return []
    rows = p[p["pillar"].isin(["green_new_materials", "modern_equipment"])]
    return list(dict.fromkeys(rows["sector"]))
