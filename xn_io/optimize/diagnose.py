"""Why a scenario is infeasible: the smallest weighted relaxation of its targets and caps.

The elastic re-solve gives every cap and target row of the plan model (budget,
energy and carbon caps, carbon peak and intensity, employment limits, the GDP
target and floor, pillar and new-energy targets) a non-negative relaxation
variable r — ``body − r ≤ cap`` or ``body + r ≥ target`` — and minimises
Σ w·r/scale, where scale is the size of the row's right-hand side (so that a
relaxation is measured relative to what it relaxes) and w a weight per family
(default 1). The structural rows — IO balance, capacity, growth bounds, export
market bounds — stay hard. Targets are taken as hard even in a soft scenario:
the diagnosis answers "what would it take to meet them all".

Each relaxed row is then tried alone (all other relaxations held at zero); if
that is feasible, it is reported as an alternative ("… or the health pillar
target falls by Y 亿元").

References
----------
Chinneck, J. W. (2008). *Feasibility and Infeasibility in Optimization*,
Springer, ch. 8 (elastic programming).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pe

from ..errors import ArgumentError
from ._elastic import make_elastic
from ._peak import has_peak_level, settle_peak
from ._solver import new_solver, run
from .model import build_model
from .scenario import Scenario
from .units import constraint_unit, plan_units

__all__ = ["Diagnosis", "diagnose", "RELAXABLE"]

#: Families the diagnosis may relax, and whether relaxing means raising (cap) or lowering (target).
RELAXABLE = {
    "budget": "raise",
    "energy_cap": "raise",
    "carbon_cap": "raise",
    "carbon_peak": "raise",
    "carbon_budget": "raise",
    "carbon_intensity": "raise",
    "labour": "raise",
    "gdp_target": "lower",
    "pillar_targets": "lower",
    "new_energy": "lower",
    "gdp_floor": "lower",
    "local_supporting_rate": "lower",
    "non_fossil_share": "lower",
    "energy_intensity": "raise",
    "fossil_energy_peak": "raise",
    "consumption_rate": "lower",
    "cluster_output": "lower",
    "cluster_share": "lower",
    "chain_leader_output": "lower",
}


@dataclass(frozen=True)
class Diagnosis:
    """The smallest weighted relaxation that makes a scenario feasible.

    Attributes
    ----------
    scenario : Scenario
    feasible : bool
        False when even relaxing every target and cap does not help (the
        structural assumptions — export bounds, growth bounds — conflict).
    relaxations : DataFrame
        family, item, year, rhs, relaxation (≥ 0, in ``unit``), relative, unit, phrase,
        ``intensity_cut_change`` (carbon intensity: how much smaller a cut would do) and
        ``relaxed_target`` (the share-type targets — non-fossil share, energy-intensity
        cut, consumption-rate rise, cluster share, local supporting rate —: the value of
        the scenario field at which the row holds at the diagnosed plan; NaN for the others).
    alternatives : DataFrame
        Rows that could restore feasibility alone, with the relaxation each would need.
    message : str
        The diagnosis in a planner's words.
    """

    scenario: Scenario
    feasible: bool
    relaxations: pd.DataFrame
    alternatives: pd.DataFrame = field(repr=False)
    message: str = ""

    def __str__(self) -> str:
        return self.message

    def relaxed_scenario(self, *, margin: float = 1e-6) -> Scenario:
        """The scenario with the reported relaxations applied (each widened by ``margin`` relative).

        Carbon-intensity relaxations are applied as a smaller cut at the
        diagnosed GDP, and the share-type targets (local supporting rate,
        non-fossil share, energy-intensity cut, consumption-rate rise, cluster
        share) at their ``relaxed_target``: the diagnosed plan meets them, so the
        relaxed scenario is feasible. Relaxations of the fossil-energy peak are
        reported but not applied (no scenario field allows fossil energy above its peak).
        """
        s = self.scenario
        changes: dict = {}
        defl = (1 + s.price_growth) ** (s.last_year - s.first_year + 1)
        for _, row in self.relaxations.iterrows():
            fam, item, year, r = row["family"], row["item"], int(row["year"]), float(row["relaxation"])
            r = r * (1 + margin) + margin
            new = float(row["rhs"]) + r if RELAXABLE[fam] == "raise" else float(row["rhs"]) - r
            scale = float(s.family_scale.get(fam, 1.0))
            new = new / scale if scale > 0 else new  # back to the scenario field, before family_scale
            if fam == "budget":
                changes.setdefault("budget", dict(s.budget))[year] = new
            elif fam == "energy_cap":
                changes.setdefault("energy_caps", dict(s.energy_caps))[year] = new
            elif fam == "carbon_cap":
                changes.setdefault("carbon_caps", dict(s.carbon_caps))[year] = new
            elif fam == "labour":
                changes.setdefault("labour_limit", dict(s.labour_limit))[year] = new
            elif fam == "carbon_peak":
                changes.setdefault("carbon_peak_allowance", dict(s.carbon_peak_allowance))[year] = new
            elif fam == "carbon_budget":
                changes["carbon_budget"] = new
            elif fam == "carbon_intensity":
                changes["co2_intensity_cut"] = max(
                    0.0, s.co2_intensity_cut - row["intensity_cut_change"] * (1 + margin)
                )
            elif fam == "gdp_target":
                changes["gdp_target"] = max(0.0, new * defl)
            elif fam == "gdp_floor":
                changes["gdp_floor"] = max(0.0, new * defl)
            elif fam == "pillar_targets":
                changes.setdefault("pillar_targets", dict(s.pillar_targets))[item] = max(0.0, new * defl)
            elif fam == "new_energy":
                changes["new_energy_target"] = max(0.0, new)
            elif fam == "cluster_output":
                changes["cluster_output_target"] = max(0.0, new * defl)
            elif fam == "chain_leader_output":
                changes["chain_leader_output_target"] = max(0.0, new * defl)
            elif fam in _SHARE_FIELDS:
                value = float(row["relaxed_target"]) - margin * (1 + abs(float(row["relaxed_target"])))
                if fam == "local_supporting_rate":
                    changes.setdefault("local_supporting_target", dict(s.local_supporting_target))[item] = max(
                        0.0, value
                    )
                elif fam == "consumption_rate":
                    changes[_SHARE_FIELDS[fam]] = value
                else:
                    changes[_SHARE_FIELDS[fam]] = max(0.0, value)
        return s.replace(**changes)


#: Share-type target families: the scenario field their relaxation is read back into, and how it is said.
_SHARE_FIELDS = {
    "non_fossil_share": "non_fossil_share_min",
    "energy_intensity": "energy_intensity_cut",
    "consumption_rate": "consumption_rate_rise",
    "cluster_share": "cluster_industry_share",
    "local_supporting_rate": "local_supporting_target",
}
_SHARE_SAYING = {
    "non_fossil_share": "a non-fossil share of energy use of {new} instead of {old}",
    "energy_intensity": "about a {new} cut in energy per GDP instead of {old}",
    "consumption_rate": "a household consumption rate {new} above the base year's instead of {old}",
    "cluster_share": "clusters {new} of industry output instead of {old}",
    "local_supporting_rate": "a local supporting rate of {new} instead of {old}",
}


def _relaxed_target(m, fam: str, idx, relax: float) -> float:
    """The scenario field's value at which a share-type row holds at the solution of ``m`` (relaxation ``relax``).

    The row's level enters its body linearly (``(1 − s)·energy − fossil``, ``energy − ℓ·gdp``, …), so the
    level that closes the relaxation is ``ℓ + relax / |∂body/∂ℓ|``, the derivative read off the row at the
    solution; the level is then turned back into the scenario field (a cut, a rise) where they differ.
    """
    d = m.xn_data
    con, level = getattr(m, fam).con[idx], getattr(m, fam).level
    old = float(pe.value(level[idx]))
    body0 = float(pe.value(con.body))
    step = 0.5 if old <= 0.5 else -0.5  # within [0, 1]: some levels are shares
    level[idx] = old + step
    slope = (float(pe.value(con.body)) - body0) / step
    level[idx] = old
    if abs(slope) < 1e-12:
        return float("nan")
    new = old + relax / abs(slope) * (1.0 if con.has_ub() else -1.0)  # a cap's level rises, a target's falls
    s = d.scenario
    if fam == "energy_intensity":
        return 1.0 - new * d.gdp0 / d.energy_0
    if fam == "consumption_rate":
        return float(s.consumption_rate_rise) + (new - old)
    return new


def _phrase(family: str, item, year: int, amount: float, unit: str, peak_year: int | None = None) -> str:
    what = {
        "budget": f"the {year} investment budget must rise by {amount:,.1f} {unit}",
        "energy_cap": f"the {year} energy cap must rise by {amount:,.1f} {unit}",
        "carbon_cap": f"the {year} carbon cap must rise by {amount:,.1f} {unit}",
        "carbon_peak": f"CO2 in {year} must be allowed to exceed the peak year {peak_year} by {amount:,.1f} {unit}",
        "carbon_budget": f"the cumulative carbon budget must rise by {amount:,.1f} {unit}",
        "carbon_intensity": f"{year} CO2 must be allowed {amount:,.1f} {unit} above the CO2-intensity limit",
        "labour": f"the {year} employment limit must rise by {amount:,.1f} {unit}",
        "gdp_target": f"the {year} GDP target must fall by {amount:,.1f} {unit}",
        "gdp_floor": f"the {year} GDP floor must fall by {amount:,.1f} {unit}",
        "pillar_targets": f"the {item} pillar target must fall by {amount:,.1f} {unit}",
        "new_energy": f"the {year} new-energy capacity target must fall by {amount:,.1f} {unit}",
        "local_supporting_rate": f"the {item} local supporting rate target must give way by {amount:,.1f} {unit}",
        "non_fossil_share": f"the {year} non-fossil energy share target must give way by {amount:,.1f} {unit}",
        "energy_intensity": f"{year} energy use must be allowed {amount:,.1f} {unit} above the energy-intensity limit",
        "fossil_energy_peak": f"fossil energy in {year} must be allowed {amount:,.1f} {unit} above its peak year",
        "consumption_rate": f"the {year} household consumption rate target must give way by {amount:,.1f} {unit}",
        "cluster_output": f"the {year} advanced-manufacturing cluster output target must fall by {amount:,.1f} {unit}",
        "cluster_share": f"the clusters' share of {year} industry output must give way by {amount:,.1f} {unit}",
        "chain_leader_output": f"the {year} chain-leader output target must fall by {amount:,.1f} {unit}",
    }
    return what[family]


def _widen_for_settled_peak(table, scenario: Scenario, relaxations: pd.DataFrame, units, d) -> pd.DataFrame | None:
    """``relaxations`` with the carbon-peak allowance widened until the relaxed scenario solves as ``solve`` does.

    The elastic LP holds the peak rule as stated, which a plan can meet by raising the peak year; ``solve``
    settles the level so that the peak year is not raised (:mod:`xn_io.optimize._peak`). Where the relaxed
    scenario does not solve so, every year after the peak year gets the same extra allowance, the least
    (to 1e-3 relative, by bisection) with which it does. None when no allowance up to base-year CO2 helps.
    """
    relaxed = Diagnosis(scenario, True, relaxations, relaxations.iloc[:0]).relaxed_scenario()
    m = build_model(table, relaxed.replace(target_mode="hard"))
    if not any(r.family == "carbon_peak" for r in getattr(m, "peak_rules", ())) or not has_peak_level(m):
        return relaxations
    solver = new_solver()
    blk = m.carbon_peak
    base = {y: pe.value(blk.level[y]) for y in blk.con}

    def solves(extra: float) -> bool:
        for y, v in base.items():
            blk.level[y] = v + extra
        return settle_peak(m, lambda final: run(m, solver, duals=False)).status.ok

    if solves(0.0):
        return relaxations
    low, high = 0.0, 0.01 * max(d.co2_0, 1.0)
    while not solves(high):
        low, high = high, 2 * high
        if high > max(d.co2_0, 1.0):
            return None
    while high - low > 1e-3 * high:  # to 0.1 % (a tenth of a 万吨 on Xianning's figures)
        mid = 0.5 * (low + high)
        low, high = (low, mid) if solves(mid) else (mid, high)
    unit = constraint_unit("carbon_peak", units)[0]
    scale = float(scenario.family_scale.get("carbon_peak", 1.0))
    rows = relaxations[relaxations["family"] != "carbon_peak"]
    added = []
    for y in base:
        had = relaxations[(relaxations["family"] == "carbon_peak") & (relaxations["year"] == y)]
        rhs = float(scenario.carbon_peak_allowance.get(y, 0.0)) * scale
        r = (float(had["relaxation"].iloc[0]) if len(had) else 0.0) + high
        phrase = _phrase("carbon_peak", "carbon_peak", y, r, unit, scenario.carbon_peak_year)
        phrase += " (with the peak year not raised to make room)"
        added.append(("carbon_peak", "carbon_peak", y, rhs, r, r / max(d.co2_0, 1.0), unit, phrase, 0.0, np.nan))
    return pd.concat([pd.DataFrame(added, columns=relaxations.columns), rows], ignore_index=True)


def diagnose(table, scenario: Scenario, *, weights: Mapping[str, float] | None = None) -> Diagnosis:
    """Find the smallest weighted relaxation of targets and caps that makes ``scenario`` feasible.

    Parameters
    ----------
    table : IOTable
    scenario : Scenario
    weights : mapping of family to float, optional
        Relative reluctance to relax each family (default 1 for all; e.g.
        ``{"carbon_cap": 10}`` prefers lowering targets to raising carbon caps).

    Returns
    -------
    Diagnosis
        With no relaxations if the scenario is feasible as it is.

    Raises
    ------
    ArgumentError
        An unknown family in ``weights``.

    References
    ----------
    Chinneck (2008), ch. 8.

    Examples
    --------
    A 2030 GDP of 3100亿 (current prices) with 2030 CO2 held to 3350万吨 cannot both hold:

    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> s = Scenario(target_mode="hard", gdp_target=3100.0, pillar_targets={}, carbon_caps={2030: 3350.0})
    >>> d = diagnose(t, s)
    >>> sorted(set(d.relaxations["family"]))
    ['carbon_cap', 'gdp_target']
    >>> d.message.startswith("to make scenario 'baseline' feasible, the 2030 carbon cap must rise by")
    True
    """
    weights = dict(weights or {})
    for fam in weights:
        if fam not in RELAXABLE:
            raise ArgumentError(
                f"weights: {fam!r} is not a relaxable family ({', '.join(RELAXABLE)})", argument=f"weights[{fam!r}]"
            )
    s = scenario.replace(target_mode="hard")
    units = plan_units(table, s)
    m = build_model(table, s)
    d = m.xn_data
    m.objective.deactivate()
    info = {}
    terms = []
    for n, (fam, idx, rhs, scale) in enumerate(make_elastic(m, RELAXABLE)):
        year = idx if isinstance(idx, int) else d.last_year
        info[n] = (fam, idx if not isinstance(idx, int) else fam, year, rhs, scale)
        terms.append(weights.get(fam, 1.0) / scale * m.relax[n])
    m.elastic_objective = pe.Objective(expr=sum(terms) if terms else 0.0, sense=pe.minimize)
    solver = new_solver()
    out = run(m, solver, duals=False)
    columns = [
        "family",
        "item",
        "year",
        "rhs",
        "relaxation",
        "relative",
        "unit",
        "phrase",
        "intensity_cut_change",
        "relaxed_target",
    ]
    if not out.status.ok:
        msg = (
            f"scenario {scenario.name!r} stays infeasible even with every target and cap relaxed: its structural "
            "assumptions conflict (export floors and market bounds, growth bounds, terminal growth, no-new-capacity "
            "sectors) — loosen those"
        )
        cap_first = (1 - d.delta) * d.x0 * (1 + s.spare_capacity) + d.new_capacity_first_year
        short = (cap_first / d.x0)[cap_first < d.x0 * (1 - 1e-9)].sort_values()
        if not short.empty:
            listed = ", ".join(f"{sec} {100 * r:.0f} %" for sec, r in short.head(6).items())
            msg += (
                f"; note that {s.first_year} capacity, set by {d.base_year} capacity, depreciation and "
                f"{d.base_year} investment, is below {d.base_year} output in {len(short)} sectors "
                f"({listed} of it): raise spare_capacity or base_investment if that is not intended"
            )
        empty = pd.DataFrame(columns=columns)
        return Diagnosis(scenario, False, empty, empty.copy(), msg)
    rows = []
    relaxed = []
    for n, (fam, item, year, rhs, scale) in info.items():
        r = float(m.relax[n].value)
        if r > 1e-6 * max(1.0, abs(rhs)):
            unit = constraint_unit(fam, units)[0]
            cut_change = 0.0
            if fam == "carbon_intensity":
                gdp = pe.value(m.gdp[d.last_year])
                cut_change = r / gdp * d.gdp0 / d.co2_0
            phrase = _phrase(fam, item, year, r, unit, scenario.carbon_peak_year)
            if fam == "carbon_intensity":
                cut = scenario.co2_intensity_cut
                assert cut is not None, "a carbon-intensity row exists only when the scenario sets a cut"
                phrase += f" (about a {100 * (cut - cut_change):.1f} % cut in CO2 per GDP instead of {100 * cut:.1f} %)"
            target = float("nan")
            if fam in _SHARE_FIELDS:
                target = _relaxed_target(m, fam, item if fam == "local_supporting_rate" else year, r)
                field = _SHARE_FIELDS[fam]
                stated = getattr(scenario, field)
                old = stated[item] if fam == "local_supporting_rate" else stated
                fmt = (lambda v: f"{100 * v:+.1f} points") if fam == "consumption_rate" else (lambda v: f"{v:.1%}")
                phrase += " (" + _SHARE_SAYING[fam].format(new=fmt(target), old=fmt(old)) + ")"
            rows.append((fam, item, year, rhs, r, r / scale, unit, phrase, cut_change, target))
            relaxed.append(n)
    relaxations = pd.DataFrame(rows, columns=columns)
    alts = []
    if len(relaxed) > 1:
        for n in relaxed[:8]:
            for j in m.ELASTIC:
                m.relax[j].fix(0.0) if j != n else m.relax[j].unfix()
            alone = run(m, solver, duals=False)
            if alone.status.ok:
                fam, item, year, rhs, scale = info[n]
                r = float(m.relax[n].value)
                unit = constraint_unit(fam, units)[0]
                alts.append(
                    (
                        fam,
                        item,
                        year,
                        rhs,
                        r,
                        r / scale,
                        unit,
                        _phrase(fam, item, year, r, unit, scenario.carbon_peak_year),
                        0.0,
                        float("nan"),
                    )
                )
        for j in m.ELASTIC:
            m.relax[j].unfix()
    alternatives = pd.DataFrame(alts, columns=columns)
    if not relaxations["family"].eq("fossil_energy_peak").any():  # (that one relaxed_scenario cannot apply)
        relaxations = _widen_for_settled_peak(table, scenario, relaxations, units, d)
        if relaxations is None:
            msg = (
                f"scenario {scenario.name!r} is infeasible with its carbon peak settled as a level the peak year "
                "reaches on its own: the rule as stated holds only by raising the peak year, and no allowance "
                "above the peak year alone restores feasibility"
            )
            empty = pd.DataFrame(columns=columns)
            return Diagnosis(scenario, False, empty, alternatives, msg)
    if relaxations.empty:
        msg = f"scenario {scenario.name!r} is feasible as it stands: nothing needs relaxing"
    else:
        msg = f"to make scenario {scenario.name!r} feasible, " + ", and ".join(relaxations["phrase"])
        if not alternatives.empty:
            msg += ". Relaxing a single row instead: " + "; or ".join(alternatives["phrase"])
        msg += " (smallest relative relaxation; structural rows kept)."
    return Diagnosis(scenario, True, relaxations, alternatives, msg)
