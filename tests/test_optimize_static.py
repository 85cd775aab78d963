"""Static Leontief LP: published numbers, identities, a second implementation, finite differences."""

from functools import partial

import numpy as np
import pytest

from xn_io.errors import ArgumentError, InfeasibleError, SolverError, TableError
from xn_io.leontief import output_multipliers, solve_output
from xn_io.optimize import leontief_lp, leontief_lp_highspy

WILLIAMS_A = np.array([[0.1, 0.5, 0.4], [0.1, 0.1, 0.2], [0.2, 0.1, 0.2]])
WILLIAMS_Y = np.array([60.0, 60.0, 30.0])


@pytest.mark.parametrize("impl", [leontief_lp, leontief_lp_highspy, partial(leontief_lp, backend="highspy")])
def test_williams_static_model(impl):
    # Williams (2013) §12.9 / SAS mpex09 Figure 9.1: static production 166.4, 105.7, 92.3
    r = impl(WILLIAMS_A, np.ones(3), WILLIAMS_Y, sense="min")
    np.testing.assert_allclose(r.x, [166.40, 105.67, 92.31], atol=0.006)
    np.testing.assert_allclose(r.x, solve_output(WILLIAMS_A, WILLIAMS_Y), rtol=1e-9)
    np.testing.assert_allclose(r.net_output, WILLIAMS_Y, atol=1e-9)


@pytest.mark.parametrize("impl", [leontief_lp, leontief_lp_highspy, partial(leontief_lp, handoff="persistent")])
def test_min_output_duals_are_output_multipliers(impl):
    # d(Σx)/dy = 1ᵀ(I − A)⁻¹, the column sums of the Leontief inverse (Miller & Blair §6.2)
    r = impl(WILLIAMS_A, np.ones(3), WILLIAMS_Y, sense="min")
    np.testing.assert_allclose(r.balance_duals, output_multipliers(WILLIAMS_A), rtol=1e-8)


def test_two_sector_optimum_known_by_hand():
    # max 0.5 x0 + 0.6 x1 s.t. 0.8 x0 − 0.1 x1 ≥ 10, −0.3 x0 + 0.9 x1 ≥ 10, 2 x0 + 0.5 x1 ≤ 100.
    # The cap and the first balance bind: x1 = 100, x0 = 25, objective 72.5;
    # along the binding pair obj = 6.25 + 0.6625 x1 and x1 = (F − 25)/0.75, so dual(F) = 0.8833…
    A = [[0.2, 0.1], [0.3, 0.1]]
    r = leontief_lp(A, [0.5, 0.6], [10, 10], caps={"co2": ([2.0, 0.5], 100.0)})
    np.testing.assert_allclose(r.x, [25.0, 100.0], atol=1e-7)
    assert r.objective == pytest.approx(72.5, rel=1e-9)
    assert r.cap_duals["co2"] == pytest.approx(0.6625 / 0.75, rel=1e-7)
    # balance 0 binds: raising d0 forces x0 up along the cap: dobj/dd0 = −(0.5·... ) computed by hand below
    # x0 = (d0 + 0.1 x1)/0.8, 2 x0 + 0.5 x1 = 100 → x1 = (100 − 2.5 d0)/0.75; obj = 0.5 x0 + 0.6 x1
    d0 = 10.0
    x1 = lambda d: (100 - 2.5 * d) / 0.75
    obj = lambda d: 0.5 * (d + 0.1 * x1(d)) / 0.8 + 0.6 * x1(d)
    slope = (obj(d0 + 1e-6) - obj(d0 - 1e-6)) / 2e-6
    assert r.balance_duals[0] == pytest.approx(slope, rel=1e-6)
    assert r.balance_duals[1] == pytest.approx(0.0, abs=1e-9)


def _random_instance(seed, n):
    rng = np.random.default_rng(seed)
    A = rng.random((n, n)) * (rng.random((n, n)) < 0.5)
    A *= 0.7 / A.sum(axis=0).clip(min=1e-9)  # column sums 0.7: productive
    va = 1 - A.sum(axis=0)
    d = rng.uniform(1, 10, n)
    base = solve_output(A, d)
    co2 = rng.uniform(0, 3, n)
    energy = rng.uniform(0, 2, n)
    caps = {"co2": (co2, 1.6 * co2 @ base), "energy": (energy, 1.4 * energy @ base)}
    bounds = (0.0, 3 * base)
    return A, va, d, caps, bounds


@pytest.mark.parametrize("seed", range(8))
def test_pyomo_and_direct_highspy_agree(seed):
    n = 5 + 4 * seed
    A, va, d, caps, bounds = _random_instance(seed, n)
    for sense in ("max", "min"):
        p = leontief_lp(A, va, d, caps, bounds, sense=sense)
        q = leontief_lp(A, va, d, caps, bounds, sense=sense, handoff="persistent")
        h = leontief_lp_highspy(A, va, d, caps, bounds, sense=sense)
        assert p.objective == pytest.approx(h.objective, rel=1e-7)
        assert q.objective == pytest.approx(h.objective, rel=1e-7)
        assert np.all(p.net_output >= d - 1e-6)
        for _name, (coef, limit) in caps.items():
            assert coef @ p.x <= limit * (1 + 1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_cap_duals_match_finite_differences(seed):
    A, va, d, caps, bounds = _random_instance(100 + seed, 12)
    r = leontief_lp(A, va, d, caps, bounds, sense="max")
    eps = 1e-3
    for name, (coef, limit) in caps.items():
        bumped = dict(caps)
        bumped[name] = (coef, limit + eps)
        r2 = leontief_lp_highspy(A, va, d, bumped, bounds, sense="max")
        assert (r2.objective - r.objective) / eps == pytest.approx(r.cap_duals[name], abs=1e-6, rel=1e-4)


def test_balance_duals_match_finite_differences():
    A, va, d, caps, bounds = _random_instance(7, 10)
    r = leontief_lp(A, va, d, caps, bounds, sense="max")
    eps = 1e-4
    for i in range(len(d)):
        dd = d.copy()
        dd[i] += eps
        r2 = leontief_lp_highspy(A, va, dd, caps, bounds, sense="max")
        assert (r2.objective - r.objective) / eps == pytest.approx(r.balance_duals[i], abs=1e-6, rel=1e-4)


def test_unbounded_and_infeasible_raise():
    with pytest.raises(SolverError, match="unbounded|infeasible"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, sense="max")
    with pytest.raises(InfeasibleError, match="infeasible"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, caps={"co2": (np.ones(3), 100.0)}, sense="min")
    with pytest.raises(InfeasibleError, match="infeasible"):
        leontief_lp_highspy(WILLIAMS_A, np.ones(3), WILLIAMS_Y, caps={"co2": (np.ones(3), 100.0)}, sense="min")


def test_bad_input_is_named():
    with pytest.raises(ArgumentError, match="sense"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, sense="maximise")
    with pytest.raises(TableError, match="c has 2 entries"):
        leontief_lp(WILLIAMS_A, np.ones(2), WILLIAMS_Y)
    with pytest.raises(ArgumentError, match="caps\\['co2'\\]"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, caps={"co2": 5.0})
    with pytest.raises(ArgumentError, match="handoff"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, handoff="lp-file")
    with pytest.raises(ArgumentError, match="backend"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, backend="gurobi")
    with pytest.raises(ArgumentError, match="bounds"):
        leontief_lp(WILLIAMS_A, np.ones(3), WILLIAMS_Y, bounds=(10.0, 5.0))


@pytest.mark.parametrize("seed", range(4))
def test_both_backends_give_identical_results(seed):
    """The same LP through Pyomo and straight through highspy: same optimum, same solution and duals."""
    A, va, d, caps, bounds = _random_instance(200 + seed, 30 + 10 * seed)
    p = leontief_lp(A, va, d, caps, bounds, sense="max", backend="pyomo")
    h = leontief_lp(A, va, d, caps, bounds, sense="max", backend="highspy")
    assert p.objective == pytest.approx(h.objective, rel=1e-9)
    # a unique optimum (non-degenerate random data): the same x, the same shadow prices
    np.testing.assert_allclose(p.x, h.x, rtol=1e-7, atol=1e-7 * np.abs(h.x).max())
    np.testing.assert_allclose(p.balance_duals, h.balance_duals, atol=1e-7)
    assert p.cap_duals == pytest.approx(h.cap_duals, abs=1e-7)
    np.testing.assert_allclose(p.net_output, (np.eye(len(d)) - A) @ p.x, atol=1e-9 * np.abs(p.x).max())


def test_matrix_rows_are_constraints_of_the_model():
    """Balance rows held as a matrix read as ordinary constraints, and a model extended beside them solves."""
    import pyomo.environ as pe

    from xn_io.optimize._matrix import MatrixRows
    from xn_io.optimize._solver import run, run_direct

    n = 3
    m = pe.ConcreteModel()
    m.x = pe.Var(range(n), bounds=(0, None))
    xs = list(m.x.values())
    m.balance = MatrixRows(np.eye(n) - WILLIAMS_A, xs, WILLIAMS_Y, np.inf)
    assert len(m.balance) == n and m.balance[0].lower == 60.0 and m.balance[0].upper is None
    body = m.balance[0].body
    for v, value in zip(xs, [1.0, 2.0, 3.0]):
        v.set_value(value)
    assert pe.value(body) == pytest.approx(0.9 * 1 - 0.5 * 2 - 0.4 * 3)  # row 0 of I − A
    assert "x[1]" in str(m.balance[0].expr)
    # extend: fix x[2] above its Leontief level, add a cap on x[0] as an ordinary constraint
    m.x[2].fix(100.0)
    m.extra = pe.Constraint(expr=m.x[0] <= 500.0)
    m.objective = pe.Objective(expr=sum(xs))
    direct = run_direct(m)
    x_direct = [v.value for v in xs]
    for v in xs[:2]:
        v.set_value(None)
    persistent = run(m)
    assert direct.objective == pytest.approx(persistent.objective, rel=1e-9)
    np.testing.assert_allclose(x_direct, [v.value for v in xs], rtol=1e-9)
    assert x_direct[2] == 100.0
    rows_direct = [direct.duals[r] for r in m.balance.values()]
    rows_persistent = [persistent.duals[r] for r in m.balance.values()]
    np.testing.assert_allclose(rows_direct, rows_persistent, atol=1e-9)


def test_an_outcome_without_optimum_has_no_objective_to_read():
    from xn_io.optimize._solver import SolveOutcome, Status

    assert SolveOutcome(Status.OPTIMAL, 2.5, 0.1).optimal_objective == 2.5
    with pytest.raises(SolverError, match="time limit"):
        _ = SolveOutcome(Status.TIME_LIMIT, None, 0.1, message="kTimeLimit").optimal_objective
