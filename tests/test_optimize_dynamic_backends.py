"""``dynamic_leontief_lp`` through both backends, and its array-built rows against the term-by-term Pyomo model.

Oracles: (1) :func:`add_dynamic_leontief` writes the same model constraint by
constraint with Pyomo expressions, independently of the array builder;
Pyomo's own standard-form compiler turns it into rows that must equal the
builder's, coefficient by coefficient, bound by bound. (2) The two backends
must return the same optimum (objective, every variable, every dual).
"""

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pyomo.environ as pe
import pytest
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from xn_io.errors import ArgumentError, SolverError
from xn_io.optimize import DynamicLeontief, Resource, add_dynamic_leontief, dynamic_leontief_lp
from xn_io.optimize._dynamic_rows import dynamic_rows
from xn_io.optimize.dynamic import _check, _labels

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "williams_economic_planning.py"


@pytest.fixture(scope="module")
def williams():
    spec = importlib.util.spec_from_file_location("williams_example_backends", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _random_problem(seed: int, *, rectangular: bool = False) -> DynamicLeontief:
    """A productive random economy with every feature on: lags, stocks, surplus, resources, terminal growth."""
    rng = np.random.default_rng(seed)
    nq, na = (4, 6) if rectangular else (5, 5)
    A = rng.uniform(0, 1, (nq, na)) * (rng.uniform(0, 1, (nq, na)) < 0.6)
    A *= 0.5 / A.sum(axis=0).clip(min=1e-9)
    B = rng.uniform(0, 0.4, (nq, na)) * (rng.uniform(0, 1, (nq, na)) < 0.5)
    years = list(range(2026, 2031))
    d = rng.uniform(5, 20, nq) * 1.03 ** np.arange(1, 6)[:, None]
    return DynamicLeontief(
        A=A,
        B=B,
        demand=d,
        initial_capacity=rng.uniform(40, 80, na),
        years=years,
        initial_stock=rng.uniform(0, 5, nq),
        make=[q % nq for q in range(na)] if rectangular else None,
        depreciation=rng.uniform(0.02, 0.08, na),
        input_lag=1,
        construction_lag=2,
        resources={
            "co2": Resource(per_output=rng.uniform(0, 1, na), limit=rng.uniform(150, 200)),
            "labour": Resource(
                per_output=rng.uniform(0, 1, na), per_new_capacity=rng.uniform(0, 0.5, na), capacity_lag=1
            ),
        },
        surplus_max=np.full((5, nq), 10.0),
        base_output=rng.uniform(20, 30, na),
        terminal_output=rng.uniform(10, 20, na),
        terminal_capacity_growth=0.02,
    )


def _cases(williams):
    w = williams
    yield "williams capacity", w.problem(w.DEMAND, 470.0), {"capacity": {5: np.ones(3)}}, "max"
    yield "williams production", w.problem(np.zeros(3), 470.0), {"output": {4: np.ones(3), 5: np.ones(3)}}, "max"
    yield (
        "williams manpower",
        w.problem(w.DEMAND, None),
        {"output": dict.fromkeys(range(2, 7), w.LABOUR), "new_capacity": dict.fromkeys(range(3, 8), w.LABOUR_CAPACITY)},
        "max",
    )
    for seed in (1, 2):
        p = _random_problem(seed)
        yield f"random {seed}", p, {"new_capacity": dict.fromkeys(range(2027, 2033), np.ones(5))}, "min"
    p = _random_problem(3, rectangular=True)
    yield "rectangular", p, {"output": dict.fromkeys(range(2026, 2031), np.ones(6))}, "max"


def _case_ids():
    return ["williams capacity", "williams production", "williams manpower", "random 1", "random 2", "rectangular"]


@pytest.fixture(scope="module")
def cases(williams):
    return {name: (p, obj, sense) for name, p, obj, sense in _cases(williams)}


FRAMES = ("output", "capacity", "new_capacity", "stock", "surplus", "resource_use", "balance_duals", "resource_duals")


@pytest.mark.parametrize("name", _case_ids())
def test_backends_give_the_same_optimum(cases, name):
    p, obj, sense = cases[name]
    a = dynamic_leontief_lp(p, obj, sense=sense)
    b = dynamic_leontief_lp(p, obj, sense=sense, backend="highspy")
    assert a.objective == pytest.approx(b.objective, rel=1e-7, abs=1e-7)
    scale = max(1.0, float(np.nanmax(np.abs(a.capacity.to_numpy()))))
    for frame in FRAMES:
        fa, fb = getattr(a, frame), getattr(b, frame)
        if fa is None:
            assert fb is None
            continue
        pd.testing.assert_index_equal(fa.index, fb.index)
        pd.testing.assert_index_equal(fa.columns, fb.columns)
        np.testing.assert_allclose(fa.to_numpy(), fb.to_numpy(), rtol=0, atol=1e-7 * scale, err_msg=frame)


@pytest.mark.parametrize("name", _case_ids())
def test_rows_equal_the_term_by_term_model(cases, name):
    """Pyomo's compiler on the add_dynamic_leontief model gives the builder's rows, coefficient by coefficient."""
    p, obj, sense = cases[name]
    m = pe.ConcreteModel()
    add_dynamic_leontief(m, p)
    m.obj = pe.Objective(expr=0.0)
    sf = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None)
    A = sf.A.tocsr()
    expected = {}
    for i, ((con, kind), rhs) in enumerate(zip(sf.rows, sf.rhs)):
        cols = A.indices[A.indptr[i] : A.indptr[i + 1]]
        coefs = {
            (sf.columns[j].parent_component().local_name, sf.columns[j].index()): v
            for j, v in zip(cols, A.data[A.indptr[i] : A.indptr[i + 1]])
        }
        lo = rhs if kind <= 0 else -np.inf
        hi = rhs if kind >= 0 else np.inf
        expected[(con.parent_component().local_name, con.index())] = (coefs, lo, hi)

    c = _check(p)
    P, S = _labels(p, c)
    rows = dynamic_rows(p, c, P, S)
    names = {}
    for key, f in rows.families.items():
        for j, y in enumerate(f.years):
            for i, lab in enumerate(f.labels):
                names[f.start + j * len(f.labels) + i] = (key, (lab, y))
    M = rows.matrix.tocsr()
    free = np.isnan(rows.fixed)
    got = {}
    for block, (where, keys) in rows.blocks.items():
        for r, key in zip(range(where.start, where.stop), keys):
            cols = M.indices[M.indptr[r] : M.indptr[r + 1]]
            vals = M.data[M.indptr[r] : M.indptr[r + 1]]
            coefs = {names[j]: v for j, v in zip(cols, vals) if free[j]}
            got[(block, key)] = (coefs, rows.row_lower[r], rows.row_upper[r])
    assert got.keys() == expected.keys()
    for key, (coefs, lo, hi) in expected.items():
        g_coefs, g_lo, g_hi = got[key]
        assert g_coefs.keys() == coefs.keys(), key
        for var, v in coefs.items():
            assert g_coefs[var] == pytest.approx(v, rel=1e-12), (key, var)
        for a, b in ((g_lo, lo), (g_hi, hi)):
            assert (np.isinf(a) and a == b) or a == pytest.approx(b, rel=1e-12, abs=1e-12), key

    # bounds and fixed values of every variable
    for j, (fam, idx) in names.items():
        v = getattr(m, fam)[idx]
        if v.fixed:
            assert rows.fixed[j] == pytest.approx(v.value), (fam, idx)
        else:
            assert np.isnan(rows.fixed[j])
            assert rows.lower[j] == (v.lb if v.lb is not None else -np.inf), (fam, idx)
            assert rows.upper[j] == (v.ub if v.ub is not None else np.inf), (fam, idx)


def test_backend_is_checked(cases):
    p, obj, sense = cases["williams capacity"]
    with pytest.raises(ArgumentError, match="backend"):
        dynamic_leontief_lp(p, obj, backend="gurobi")
    with pytest.raises(ArgumentError, match="objective family"):
        dynamic_leontief_lp(p, {"profit": {1: [1.0]}}, backend="highspy")
    with pytest.raises(ArgumentError, match="no year"):
        dynamic_leontief_lp(p, {"output": {1999: np.ones(3)}}, backend="highspy")


@pytest.mark.parametrize("name", _case_ids())
def test_interior_point_gives_the_simplex_optimum(cases, name):
    """HiGHS' interior-point method (with and without crossover), chosen by ``solver_options``, on both backends."""
    p, obj, sense = cases[name]
    simplex = dynamic_leontief_lp(p, obj, sense=sense, backend="highspy")
    scale = max(1.0, abs(simplex.objective))
    for backend, handoff, options in (
        ("highspy", "compiled", {"solver": "ipm"}),
        ("pyomo", "compiled", {"solver": "ipm", "run_crossover": "off"}),
        ("pyomo", "persistent", {"solver": "ipm"}),
    ):
        r = dynamic_leontief_lp(p, obj, sense=sense, backend=backend, handoff=handoff, solver_options=options)
        assert abs(r.objective - simplex.objective) <= 1e-6 * scale, (backend, handoff, options)


@pytest.mark.parametrize("backend", ["highspy", "pyomo"])
def test_solver_options_reach_highs(cases, backend):
    """An iteration limit of 0 without presolve must stop the solve: the options are applied, not dropped."""
    p, obj, sense = cases["random 1"]
    with pytest.raises(SolverError, match="iteration limit"):
        dynamic_leontief_lp(
            p, obj, sense=sense, backend=backend, solver_options={"presolve": "off", "simplex_iteration_limit": 0}
        )


def test_solver_options_are_checked(cases):
    p, obj, sense = cases["williams capacity"]
    with pytest.raises(ArgumentError, match="no_such_option"):
        dynamic_leontief_lp(p, obj, solver_options={"no_such_option": 1})
    with pytest.raises(ArgumentError, match="solver_options"):
        dynamic_leontief_lp(p, obj, backend="highspy", solver_options={"time_limit": "soon"})
