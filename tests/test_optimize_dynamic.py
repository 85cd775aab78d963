"""Dynamic Leontief LP: Williams §12.9, identities recomputed from the result, duals, technology choice."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from xn_io.errors import ArgumentError, InfeasibleError, ScenarioError, TableError
from xn_io.leontief import solve_output
from xn_io.optimize import DynamicLeontief, Resource, dynamic_leontief_lp

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "williams_economic_planning.py"


@pytest.fixture(scope="module")
def williams():
    spec = importlib.util.spec_from_file_location("williams_example", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def williams_results(williams):
    return williams.solve_all()


# Published optima. Variant 3 (2450.0266…) is the value asserted by sasoptpy's test of its
# port of SAS/OR mpex09 (sassoftware/sasoptpy tests/examples/test_examples.py, test_econ).
# Variants 1 and 2 (2141.9 and 2618.6) are the book's solution (Williams 2013, §13.9) as
# recalled by the author of this test — not re-read from the book during development; the
# independent confirmation here is that the same model text (mpex09) gives variant 3 exactly.
@pytest.mark.parametrize(
    "name, value, rel",
    [
        ("max capacity at end of year 5", 2141.9, 5e-5),
        ("max production in years 4-5", 2618.6, 5e-5),
        ("max manpower", 2450.026622821294, 1e-9),
    ],
)
def test_williams_published_objectives(williams_results, name, value, rel):
    assert williams_results[name].objective == pytest.approx(value, rel=rel)


@pytest.mark.parametrize("name", ["max capacity at end of year 5", "max production in years 4-5", "max manpower"])
def test_williams_plans_satisfy_their_equations(williams, williams_results, name):
    """Recompute every balance, capacity and labour row from the returned frames."""
    r = williams_results[name]
    demand = np.zeros(3) if name == "max production in years 4-5" else williams.DEMAND
    x, k, s, cap = r.output, r.new_capacity, r.stock, r.capacity
    knew = lambda y: k[y].to_numpy() if y in k.columns else np.zeros(3)
    for y in range(6):
        d = demand if y >= 1 else np.zeros(3)
        lhs = s[y].to_numpy() + x[y].to_numpy()
        rhs = d + williams.A @ x[y + 1].to_numpy() + williams.B @ knew(y + 2) + s[y + 1].to_numpy()
        np.testing.assert_allclose(lhs, rhs, atol=1e-6)
    for y in range(1, 7):
        built = sum(knew(t) for t in range(2, y + 1))
        np.testing.assert_allclose(cap[y].to_numpy(), np.array([300.0, 350.0, 280.0]) + built, atol=1e-6)
        assert np.all(x[y].to_numpy() <= cap[y].to_numpy() + 1e-6)
        labour = williams.LABOUR @ x[y].to_numpy() + williams.LABOUR_CAPACITY @ knew(y + 1)
        assert labour == pytest.approx(r.resource_use.loc["manpower", y], abs=1e-6)
        if name != "max manpower":
            assert labour <= 470 + 1e-6
    np.testing.assert_allclose(s[0].to_numpy(), [150.0, 80.0, 100.0])
    assert np.all(x[6].to_numpy() >= solve_output(williams.A, williams.DEMAND) - 1e-6)


def test_labour_dual_matches_finite_difference(williams):
    base = dynamic_leontief_lp(williams.problem(williams.DEMAND, 470.0), {"capacity": {5: np.ones(3)}})
    eps = 0.01
    bumped = dynamic_leontief_lp(williams.problem(williams.DEMAND, 470.0 + eps), {"capacity": {5: np.ones(3)}})
    # the same limit holds in every year: the objective moves by the sum of the yearly duals
    assert (bumped.objective - base.objective) / eps == pytest.approx(
        base.resource_duals.loc["manpower"].sum(), rel=1e-5
    )


def test_stationary_economy_reproduces_the_static_model():
    """With no growth needed, the least-output plan is x = (I − A)⁻¹ y every year."""
    A = np.array([[0.2, 0.3], [0.1, 0.4]])
    y = np.array([10.0, 20.0])
    x_static = solve_output(A, y)
    p = DynamicLeontief(
        A=A, B=np.zeros((2, 2)), demand=np.tile(y, (3, 1)), initial_capacity=2 * x_static, years=[2026, 2027, 2028]
    )
    r = dynamic_leontief_lp(p, {"output": {t: [1, 1] for t in (2026, 2027, 2028)}}, sense="min")
    for t in (2026, 2027, 2028):
        np.testing.assert_allclose(r.output[t].to_numpy(), x_static, rtol=1e-9)
    assert r.objective == pytest.approx(3 * x_static.sum(), rel=1e-9)
    # balance duals of a min-output problem are the output multipliers
    np.testing.assert_allclose(
        r.balance_duals[2027].to_numpy(), np.linalg.solve((np.eye(2) - A).T, np.ones(2)), rtol=1e-7
    )


def test_choice_of_technology_shifts_the_mix_under_a_carbon_cap():
    """One product (power) from two technologies: coal (cheap capacity, CO2 1/unit) and solar.

    Demand 100 a year; both technologies start with capacity 60; coal capacity
    costs 1 unit of 'goods' per unit, solar 3. A CO2 cap of 40 forces solar to
    make at least 60, so 0 units of new solar capacity are needed in year 1 and
    the least-investment plan is: coal 40, solar 60, no new capacity at all.
    Tightening the cap to 30 needs 10 units of new solar capacity, costing 30 goods.
    """
    A = np.zeros((2, 3))  # products: power, goods; activities: coal, solar, goods
    B = np.array([[0.0, 0.0, 0.0], [1.0, 3.0, 0.0]])
    base = dict(
        A=A,
        B=B,
        demand=np.array([[0.0, 0.0], [100.0, 0.0]]),
        initial_capacity=[60.0, 60.0, 1000.0],
        years=[1, 2],
        make=[0, 0, 1],
        products=["power", "goods"],
        activities=["coal", "solar", "goods"],
    )
    obj = {"new_capacity": {2: [1.0, 3.0, 0.0]}}
    r = dynamic_leontief_lp(
        DynamicLeontief(**base, resources={"co2": Resource(per_output=[1.0, 0.0, 0.0], limit=40.0)}), obj, sense="min"
    )
    assert r.objective == pytest.approx(0.0, abs=1e-9)
    assert r.output.loc["coal", 2] + r.output.loc["solar", 2] == pytest.approx(100.0)
    assert r.output.loc["coal", 2] <= 40 + 1e-9
    r = dynamic_leontief_lp(
        DynamicLeontief(**base, resources={"co2": Resource(per_output=[1.0, 0.0, 0.0], limit=30.0)}), obj, sense="min"
    )
    assert r.objective == pytest.approx(30.0, rel=1e-9)
    assert r.new_capacity.loc["solar", 2] == pytest.approx(10.0, rel=1e-9)
    assert r.output.loc["goods", 1] == pytest.approx(30.0, rel=1e-9)  # the goods that build it


def test_depreciation_and_surplus_bounds():
    # capacity 100 loses 10 % a year; demand 100 in year 2 needs 10 of new capacity.
    p = DynamicLeontief(
        A=[[0.0]],
        B=[[0.0]],
        demand=[[0.0], [100.0]],
        initial_capacity=[100.0],
        years=[1, 2],
        depreciation=0.1,
        surplus_max=[[5.0], [0.0]],
    )
    r = dynamic_leontief_lp(p, {"new_capacity": {2: [1.0]}}, sense="min")
    # cap1 = 90; cap2 = 81 + k2 ≥ 100
    assert r.capacity.loc["s0", 1] == pytest.approx(90.0)
    assert r.new_capacity.loc["s0", 2] == pytest.approx(19.0)
    assert r.surplus.loc["s0", 1] <= 5.0 + 1e-9


def test_errors_are_named():
    ok = dict(A=[[0.1]], B=[[0.1]], demand=[[1.0]], initial_capacity=[10.0], years=[1])
    with pytest.raises(ScenarioError, match="years"):
        dynamic_leontief_lp(DynamicLeontief(**{**ok, "years": [1, 3]}), {})
    with pytest.raises(ScenarioError, match="construction_lag"):
        dynamic_leontief_lp(DynamicLeontief(**ok, construction_lag=0), {})
    with pytest.raises(TableError, match="demand"):
        dynamic_leontief_lp(DynamicLeontief(**{**ok, "demand": [[1.0, 2.0]]}), {})
    with pytest.raises(ArgumentError, match="objective family"):
        dynamic_leontief_lp(DynamicLeontief(**ok), {"profit": {1: [1.0]}})
    with pytest.raises(InfeasibleError, match="infeasible"):
        dynamic_leontief_lp(DynamicLeontief(**{**ok, "demand": [[100.0]]}), {"output": {1: [1.0]}}, sense="min")


def test_both_handoffs_agree(williams):
    p = williams.problem(williams.DEMAND, 470.0)
    a = dynamic_leontief_lp(p, {"capacity": {5: np.ones(3)}})
    b = dynamic_leontief_lp(p, {"capacity": {5: np.ones(3)}}, handoff="persistent")
    assert a.objective == pytest.approx(b.objective, rel=1e-9)
    np.testing.assert_allclose(a.resource_duals.to_numpy(), b.resource_duals.to_numpy(), atol=1e-9)
    with pytest.raises(ArgumentError, match="handoff"):
        dynamic_leontief_lp(p, {"capacity": {5: np.ones(3)}}, handoff="mps")
