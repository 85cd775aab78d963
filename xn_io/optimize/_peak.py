"""A peak the plan reaches on its own: the peak level as a cap, settled by re-solves.

The rule "no year after the peak year P emits more than P" (CO2, or fossil
energy) has the peak year's quantity on both sides. Left to the LP, it is met
most cheaply by *raising* P — growing the emitting sectors faster before the
peak to make room after it — so a plan with the rule can emit more over the
period than one without it (the 冲高峰 that China's carbon-peak guidance warns
against). Here the level is not the LP's to choose: the years after P are
held to a cap ``L`` that is a parameter of the LP, and ``L`` is the highest cap
at which the plan's own quantity in P reaches it,

    L* = max { L : q_P(L) ≥ L },

where ``q_P(L)`` is P's quantity in the optimal plan under the cap. Since
raising P buys nothing under a fixed cap, the plan at ``L*`` meets the rule
without raising any year. ``L*`` is found from the plan without the rule (the
cap at its later-year maximum) downwards by regula falsi on the
piecewise-linear ``q_P(L) − L``, re-solving on the same persistent solver
(each re-solve is warm-started: about 15 ms on the Xianning model).

The model keeps the rule as stated — the level tied to P's quantity by a
link row — for the diagnosis and the clash finder, which ask whether the rule
can hold at all; :func:`settle_peak` switches the link off while it settles.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pyomo.environ as pe

from ._solver import SolveOutcome, Status

__all__ = ["PeakRule", "add_peak_rule", "has_peak_level", "settle_peak"]

#: how far (relative) the settled level may lie below the highest cap the peak year reaches
TOLERANCE = 1e-9
#: relative width below which a feasible cap above an infeasible one ends the search (no cap is reached)
FLOOR_TOLERANCE = 1e-6
#: relative difference between the peak year and the cap taken as solver noise
NOISE = 1e-10
#: re-solves allowed per rule and pass
MAX_SOLVES = 60
#: passes over the rules when more than one is on (each settles with the others at their levels)
MAX_PASSES = 4


@dataclass(frozen=True)
class PeakRule:
    """One peak rule of a plan model: ``quantity[y] − level ≤ allowance[y]`` for the years after ``year``."""

    family: str
    year: int
    quantity: Any  # the model's indexed expression or variable (by year), e.g. m.co2
    level: Any  # the level variable
    link: Any  # level == quantity[year]: the rule as stated
    block: Any  # the family block, with ``con`` (the rows) and ``level`` (the allowances)


def add_peak_rule(m, family: str, quantity, year: int, later: Sequence[int], allowance: dict, make_family) -> PeakRule:
    """Add the rule ``quantity[y] ≤ quantity[year] + allowance[y]`` for ``y`` in ``later`` to ``m``, as stated.

    ``make_family(name, index, levels, rule)`` builds the family block (the
    model's own helper). The level is a variable ``<family>_level`` tied to
    ``quantity[year]`` by the row ``<family>_link``; the rule is registered in
    ``m.peak_rules`` for :func:`settle_peak`.
    """
    level = pe.Var(within=pe.Reals)
    setattr(m, f"{family}_level", level)
    link = pe.Constraint(expr=level - quantity[year] == 0)
    setattr(m, f"{family}_link", link)
    block = make_family(family, list(later), allowance, lambda b, y: quantity[y] - level <= b.level[y])
    rule = PeakRule(family, year, quantity, level, link, block)
    if not hasattr(m, "peak_rules"):
        m.peak_rules = []
    m.peak_rules.append(rule)
    return rule


def has_peak_level(m) -> bool:
    """True when ``m`` holds a peak rule whose level is a plan year's quantity (see :func:`add_peak_rule`)."""
    return any(len(r.block.con) for r in getattr(m, "peak_rules", ()))


def _value(rule: PeakRule, y: int) -> float:
    return float(pe.value(rule.quantity[y]))


def _room(rule: PeakRule) -> float:
    """The highest later-year quantity less its allowance: the cap at which the rule stops binding."""
    return max(_value(rule, y) - pe.value(rule.block.level[y]) for y in rule.block.con)


def _tolerance(rule: PeakRule) -> float:
    return TOLERANCE * max(1.0, abs(_value(rule, rule.year)))


def _settle_one(rule: PeakRule, solve_once: Callable[[bool], SolveOutcome]) -> SolveOutcome:
    """Settle one rule's level (the others as they stand); the last outcome, or an infeasible one."""
    rule.block.con.deactivate()
    rule.level.unfix()
    free = solve_once(False)
    rule.block.con.activate()
    if not free.status.ok:
        return free
    peak, top = _value(rule, rule.year), _room(rule)
    tol = _tolerance(rule)
    if peak >= top - tol:  # the rule does not bind
        rule.level.fix(peak)
        return solve_once(False)

    high, f_high = top, peak - top  # f < 0: with a cap this high, later years rise above the peak year
    before: tuple[float, float] | None = None  # the previous cap with f < 0, for the secant
    low: float | None = None  # the highest cap with f ≥ 0 found, and f there
    f_low = 0.0
    floor: float | None = None  # the highest cap found infeasible
    side, last, cap = 0, free, top
    for _ in range(MAX_SOLVES):
        if low is None:
            if floor is not None and high - floor <= FLOOR_TOLERANCE * max(1.0, abs(high)):
                break  # every feasible cap (to 1e-6) lies above the peak year
            # as if the peak year did not move; where it falls with the cap, the root lies lower still: then twice
            # the secant's step through the last two caps, to bracket the root rather than creep up on it
            cap = high + f_high
            if before is not None and before[1] < f_high:
                cap = min(cap, high - 2 * f_high * (high - before[0]) / (f_high - before[1]))
            if floor is not None and cap <= floor:
                cap = 0.5 * (floor + high)
        elif high - low <= tol:
            break
        else:  # regula falsi (Illinois variant), aimed just below the root
            cap = high - f_high * (high - low) / (f_high - f_low) - 0.5 * tol
            if not low < cap < high:
                cap = 0.5 * (low + high)
        rule.level.fix(cap)
        last = solve_once(False)
        if not last.status.ok:
            floor = cap
            if low is not None:  # between a feasible low and high: not expected of an LP; stop at low
                break
            continue
        value = _value(rule, rule.year) - cap
        if value >= -NOISE * max(1.0, abs(cap)):  # reached (to the solver's accuracy)
            low, f_low = cap, value
            if value <= tol:  # the peak year meets the cap to within tol
                break
            if side == -1:
                f_high *= 0.5
            side = -1
        else:
            before = (high, f_high)
            high, f_high = cap, value
            if side == 1 and low is not None:
                f_low *= 0.5
            side = 1
    if low is None:
        return SolveOutcome(
            Status.INFEASIBLE,
            None,
            last.seconds,
            message=(
                f"the {rule.family.replace('_', ' ')} in {rule.year} holds only if {rule.year} itself is raised "
                "to make room after it: no cap on the later years is reached by the peak year on its own"
            ),
        )
    rule.level.fix(low)
    return solve_once(False) if low != cap else last


def settle_peak(m, solve_once: Callable[[bool], SolveOutcome]) -> SolveOutcome:
    """Solve ``m`` with each peak rule's level settled as a cap the plan reaches on its own.

    Parameters
    ----------
    m : pyomo model
        A plan model with peak rules in plan years (:func:`has_peak_level`).
    solve_once : callable
        ``solve_once(final)`` solves ``m`` as it stands and returns its
        :class:`~xn_io.optimize._solver.SolveOutcome`; ``final`` asks for
        duals (the last solve only).

    Returns
    -------
    SolveOutcome
        Of the final solve, at the settled levels, with ``seconds`` the time of
        every solve the settling took. The model is left with the
        links switched off and each level fixed at its ``L*``: the peak rows'
        duals price the caps (the value of a year after the peak emitting one
        unit more). If the rules cannot hold without raising a peak year, the
        outcome is infeasible with a message that says so, and the model holds
        the rules as stated again.

    Notes
    -----
    Each rule is settled in turn with the others at their levels (the first
    with the others off). For one rule: the plan without it is solved; if its
    later years stay at or below the peak year, the rule does not bind and
    ``L*`` is the peak year's quantity. Otherwise ``f(L) = q_P(L) − L`` is
    negative at the later-year maximum; the search steps down (first by
    ``f``, as if q_P did not move, then along the secant of the last two caps,
    aimed just below the root) until ``f ≥ 0``, and closes the bracket by
    regula falsi with the Illinois step (Dowell & Jarratt 1971), stopping when
    ``0 ≤ f ≤`` 1e-9 of the peak year's quantity. A cap at which the model is infeasible lies below the bracket.
    With several rules, passes repeat until every peak year reaches its level.
    """
    spent = 0.0

    def timed(final: bool) -> SolveOutcome:
        nonlocal spent
        out = inner(final)
        spent += out.seconds
        return dataclasses.replace(out, seconds=spent)

    inner, solve_once = solve_once, timed
    rules = [r for r in m.peak_rules if len(r.block.con)]
    for r in rules:
        r.link.deactivate()
        r.block.con.deactivate()
    out = None
    for _ in range(MAX_PASSES):
        for r in rules:
            out = _settle_one(r, solve_once)
            if not out.status.ok:
                for q in rules:  # back to the rules as stated
                    q.link.activate()
                    q.block.con.activate()
                    q.level.unfix()
                return out if out.message else solve_once(True)
        if all(_value(r, r.year) >= pe.value(r.level) - _tolerance(r) for r in rules):
            break
    return solve_once(True)
