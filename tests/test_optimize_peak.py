"""The peak level settled outside the LP (xn_io.optimize._peak), on two-year LPs solved by hand."""

import pyomo.environ as pe
import pytest

from xn_io.optimize._peak import add_peak_rule, has_peak_level, settle_peak
from xn_io.optimize._solver import Status, new_solver, run


def _toy(objective, *rows):
    """Emissions e[1] (the peak year) and e[2]; the rule e[2] ≤ e[1]; ``rows(m)`` the other constraints."""
    m = pe.ConcreteModel()
    m.e = pe.Var([1, 2], within=pe.NonNegativeReals)

    def family(name, index, level, rule):
        blk = pe.Block()
        setattr(m, name, blk)
        blk.level = pe.Param(index, initialize=level, mutable=True, within=pe.Reals)
        blk.con = pe.Constraint(index, rule=rule)
        return blk

    add_peak_rule(m, "carbon_peak", m.e, 1, [2], {2: 0.0}, family)
    m.rows = pe.ConstraintList()
    for row in rows:
        m.rows.add(row(m))
    m.objective = pe.Objective(expr=objective(m), sense=pe.maximize)
    return m


def _settle(m):
    solver = new_solver()
    return settle_peak(m, lambda final: run(m, solver, duals=final))


def test_the_peak_year_is_not_raised_where_the_lp_would_raise_it():
    """max −0.5 e1 + 2 e2, e1 ≥ 5, e2 ≤ 12: the rule as one LP raises e1 from 5 to 12 (it pays 2 − 0.5 > 0);
    settled, e1 stays at 5 — nothing raises it under a fixed cap — and the level is 5."""
    m = _toy(lambda m: -0.5 * m.e[1] + 2 * m.e[2], lambda m: m.e[1] >= 5, lambda m: m.e[2] <= 12)
    assert has_peak_level(m)
    stated = run(m, new_solver())
    assert stated.status.ok and pe.value(m.e[1]) == pytest.approx(12.0)  # the LP raises the peak year
    out = _settle(m)
    assert out.status.ok
    assert pe.value(m.e[1]) == pytest.approx(5.0, abs=1e-6)
    assert pe.value(m.e[2]) == pytest.approx(5.0, abs=1e-6)
    assert pe.value(m.carbon_peak_level) == pytest.approx(5.0, abs=1e-6)
    assert not m.carbon_peak_link.active and m.carbon_peak_level.fixed
    assert out.duals[m.carbon_peak.con[2]] == pytest.approx(2.0)  # a unit more after the peak is worth 2


def test_the_level_is_where_the_peak_year_meets_the_cap():
    """max 0.5 e1 + 2 e2, e1 ≤ 10, e2 ≤ 12, e1 + e2 ≤ 19: under a cap L on e2, e1 = min(10, 19 − L), so the
    highest L with e1 ≥ L is 9.5 (regula falsi on a kinked f)."""
    m = _toy(
        lambda m: 0.5 * m.e[1] + 2 * m.e[2],
        lambda m: m.e[1] <= 10,
        lambda m: m.e[2] <= 12,
        lambda m: m.e[1] + m.e[2] <= 19,
    )
    out = _settle(m)
    assert out.status.ok
    assert pe.value(m.carbon_peak_level) == pytest.approx(9.5, rel=1e-6)
    assert pe.value(m.e[1]) >= pe.value(m.carbon_peak_level) - 1e-9
    assert pe.value(m.e[2]) <= pe.value(m.carbon_peak_level) + 1e-9


def test_a_rule_that_does_not_bind_leaves_the_plan_as_without_it():
    m = _toy(lambda m: m.e[1] + m.e[2], lambda m: m.e[1] <= 8, lambda m: m.e[2] <= 6)
    out = _settle(m)
    assert out.status.ok
    assert (pe.value(m.e[1]), pe.value(m.e[2])) == pytest.approx((8.0, 6.0))
    assert out.duals[m.carbon_peak.con[2]] == pytest.approx(0.0)


def test_a_rule_the_peak_year_cannot_reach_is_reported_infeasible():
    """e1 ≤ 4 and 6 ≤ e2 ≤ 10: every cap at which the plan is feasible is at least 6, above e1; the rule as
    stated (e2 ≤ e1) is infeasible too. The settling says so and leaves the rule as stated."""
    m = _toy(lambda m: m.e[1] + m.e[2], lambda m: m.e[1] <= 4, lambda m: m.e[2] >= 6, lambda m: m.e[2] <= 10)
    out = _settle(m)
    assert out.status is Status.INFEASIBLE
    assert "holds only if 1 itself is raised" in out.message
    assert m.carbon_peak_link.active and not m.carbon_peak_level.fixed
    assert run(m, new_solver()).status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED)


def test_the_fossil_energy_peak_raises_no_year_on_the_embedded_table(table):
    """The fossil-energy peak (coal and oil peak before 2030) is settled the same way: with it on, fossil energy
    in no year exceeds the plan without it, and no year after the peak year exceeds the peak year."""
    from xn_io.optimize import Scenario, build_model
    from xn_io.optimize.solve import solve_model

    s = Scenario(fossil_energy_peak_year=2027)
    fossil = {}
    for name, scenario in (("on", s), ("off", s.replace(families={**s.families, "fossil_energy_peak": False}))):
        m = build_model(table, scenario)
        assert solve_model(m, new_solver()).status.ok
        fossil[name] = {y: pe.value(m.fossil_energy[y]) for y in s.years}
    on, off = fossil["on"], fossil["off"]
    assert max(on[y] for y in s.years if y > 2027) <= on[2027] + 1e-6
    assert all(on[y] <= off[y] * (1 + 1e-6) for y in s.years), (on, off)
    assert sum(on.values()) < sum(off.values())  # the rule binds


def test_the_diagnosis_allows_what_the_settled_peak_needs(table):
    """The elastic LP holds the peak rule as stated (met by raising 2029); the diagnosis widens the 2030 allowance
    until the relaxed scenario solves with the peak settled — and no less: 0.5万吨 less does not solve."""
    from xn_io.errors import InfeasibleError
    from xn_io.optimize import Scenario, diagnose, solve

    d = diagnose(table, Scenario(target_mode="hard"))
    row = d.relaxations[d.relaxations["family"] == "carbon_peak"].iloc[0]
    assert "not raised" in row["phrase"] and row["phrase"] in d.message
    relaxed = d.relaxed_scenario()
    plan = solve(table, relaxed, target_costs=False)
    assert plan.co2_total[2030] <= (plan.co2_total[2029] + relaxed.carbon_peak_allowance[2030]) * (1 + 1e-7)
    tighter = relaxed.replace(carbon_peak_allowance={2030: relaxed.carbon_peak_allowance[2030] - 0.5})
    with pytest.raises(InfeasibleError):
        solve(table, tighter, diagnose_infeasible=False)
