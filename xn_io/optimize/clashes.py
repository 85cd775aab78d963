"""Targets that cannot hold together: pairs of target rows that clash, and by how much.

:func:`~xn_io.optimize.diagnose` finds the smallest relaxation of *all* targets and
caps that makes a scenario feasible. :func:`target_clashes` asks a sharper
question of the targets alone: with the caps and the structure of the model kept
as they are and every other target left out, which target cannot hold on its own,
and which *pairs* of targets that each hold alone cannot hold together? For a
clashing pair it reports the smallest relative relaxation of the two (the same
elastic programme as the diagnosis, Chinneck 2008, ch. 8) and what relaxing each
one alone would take.

The carbon peak is held here as stated (its level tied to the peak year's CO2,
which a plan may raise), not settled as :func:`~xn_io.optimize.solve` settles it
(``xn_io.optimize._peak``): a clash involving the peak is a lower bound of
what the settled peak needs; :func:`~xn_io.optimize.diagnose` gives that figure.

References
----------
Chinneck, J. W. (2008). *Feasibility and Infeasibility in Optimization*,
Springer, ch. 8 (elastic programming) and ch. 6 (irreducible infeasible subsets).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd
import pyomo.environ as pe

from ..errors import ArgumentError
from ._elastic import make_elastic
from ._solver import new_solver, run
from .model import build_model
from .scenario import Scenario
from .units import constraint_unit, plan_units

__all__ = ["TARGET_ROWS", "target_clashes"]

#: Families whose rows are targets (relaxed by lowering them) or limits stated as targets (raising them).
TARGET_ROWS = {
    "gdp_target": "lower",
    "pillar_targets": "lower",
    "new_energy": "lower",
    "carbon_peak": "raise",
    "carbon_intensity": "raise",
    "local_supporting_rate": "lower",
    "non_fossil_share": "lower",
    "energy_intensity": "raise",
    "fossil_energy_peak": "raise",
    "consumption_rate": "lower",
    "cluster_output": "lower",
    "cluster_share": "lower",
    "chain_leader_output": "lower",
}


def _name(fam: str, idx, last: int) -> str:
    if fam == "pillar_targets":
        return f"pillar {idx}"
    if fam == "local_supporting_rate":
        return f"local supporting rate {idx}"
    if isinstance(idx, int) and idx != last:
        return f"{fam} {idx}"
    return fam


def target_clashes(
    table, scenario: Scenario, *, families: Sequence[str] | None = None, pairs: bool = True
) -> pd.DataFrame:
    """Which targets cannot hold alone, and which pairs cannot hold together (caps and structure kept).

    Parameters
    ----------
    table : IOTable
    scenario : Scenario
        Its targets are taken as hard; its caps (budget, carbon and energy caps, labour) stay as they are.
    families : sequence of str, optional
        Target families to test (default: every family of :data:`TARGET_ROWS` the scenario builds).
    pairs : bool
        Also test pairs (one LP per pair of rows that hold alone).

    Returns
    -------
    pandas.DataFrame
        One row per clash: ``kind`` ("alone" or "pair"), ``first`` and ``second``
        (target names; ``second`` empty for "alone"), ``relaxation`` (the smallest
        relative relaxation of the two together: Σ relaxation ÷ absolute right-hand side),
        ``first_by`` and ``second_by`` (how far each must move, in its unit,
        when both may), ``first_alone`` and ``second_alone`` (how far each must
        move if it alone gives way; NaN if that cannot restore feasibility),
        ``units`` and ``phrase``. Empty when no target clashes.

    Raises
    ------
    ArgumentError
        ``families`` names a family that is not a target family.

    Examples
    --------
    Household consumption is exogenous in the plan model, so a household consumption rate
    three points higher by 2030 caps GDP, and clashes with the 3000亿元 GDP target (reachable
    alone here, with a gain of 4 points of market share a year outside the region):

    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> s = Scenario(
    ...     consumption_rate_rise=0.03, market_share_gain=0.04, families={"pillar_targets": False, "new_energy": False}
    ... )
    >>> c = target_clashes(t, s)
    >>> c[["kind", "first", "second"]].values.tolist()
    [['pair', 'gdp_target', 'consumption_rate']]
    """
    fams = list(TARGET_ROWS) if families is None else list(families)
    for f in fams:
        if f not in TARGET_ROWS:
            raise ArgumentError(
                f"families: {f!r} is not a target family ({', '.join(TARGET_ROWS)})", argument="families"
            )
    s = scenario.replace(target_mode="hard")
    units = plan_units(table, s)
    m = build_model(table, s)
    d = m.xn_data
    m.objective.deactivate()
    info = {}
    for n, (fam, idx, _rhs, scale) in enumerate(make_elastic(m, fams)):
        try:
            unit = constraint_unit(fam, units)[0]
        except KeyError:
            unit = ""
        info[n] = (_name(fam, idx, d.last_year), scale, unit)
    solver = new_solver()

    def solve_with(active: dict[int, float | None]):
        """Min Σ relax/scale over ``active`` rows; other rows free (left out); None if infeasible."""
        for j in m.ELASTIC:
            m.relax[j].unfix()
        if hasattr(m, "clash_objective"):
            m.del_component(m.clash_objective)
        m.clash_objective = pe.Objective(
            expr=sum(m.relax[j] / info[j][1] for j in active) if active else 0.0, sense=pe.minimize
        )
        for j, fix in active.items():
            if fix is not None:
                m.relax[j].fix(fix)
        out = run(m, solver, duals=False)
        return out.status.ok

    columns = [
        "kind",
        "first",
        "second",
        "relaxation",
        "first_by",
        "second_by",
        "first_alone",
        "second_alone",
        "units",
        "phrase",
    ]
    clashes = []
    alone_ok = []
    for n in m.ELASTIC:
        ok = solve_with({n: None})
        r = float(m.relax[n].value) if ok else float("nan")
        name, scale, unit = info[n]
        if ok and r > 1e-6 * scale:
            clashes.append(
                (
                    "alone",
                    name,
                    "",
                    r / scale,
                    r,
                    float("nan"),
                    r,
                    float("nan"),
                    unit,
                    f"{name} cannot hold even alone: it must move by {r:,.1f} {unit}",
                )
            )
        elif ok:
            alone_ok.append(n)
    if pairs:
        for a, b in itertools.combinations(alone_ok, 2):
            ok = solve_with({a: None, b: None})
            if not ok:
                continue
            ra, rb = float(m.relax[a].value), float(m.relax[b].value)
            (na, sa, ua), (nb, sb, ub) = info[a], info[b]
            if ra / sa + rb / sb <= 1e-6:
                continue
            only = []
            for j, k in ((a, b), (b, a)):
                ok = solve_with({j: None, k: 0.0})
                only.append(float(m.relax[j].value) if ok else float("nan"))
            ways = [
                f"relaxing {n} by {v:,.1f} {u}"
                for n, v, u in ((na, only[0], ua), (nb, only[1], ub))
                if v == v  # not NaN: relaxing this one alone suffices
            ]
            phrase = f"{na} and {nb} cannot hold together: " + (
                " or ".join(ways) + " restores feasibility" if ways else "both must give way"
            )
            clashes.append(("pair", na, nb, ra / sa + rb / sb, ra, rb, only[0], only[1], f"{ua} / {ub}", phrase))
    return pd.DataFrame(clashes, columns=columns)
