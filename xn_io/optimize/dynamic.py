"""The dynamic Leontief model as a linear programme: capacity, construction lags, stocks.

For products q, activities a (each activity makes one product; several
activities making the same product are rival technologies, the rectangular
form of Duchin & Levine) and years y of the plan, the balance of product q in
year y is

    s[q,y] + Σ_{a makes q} x[a,y]
        = d[q,y] + Σ_a A[q,a] x[a,y+ℓ] + Σ_a B[q,a] k[a,y+L] + s[q,y+1] + e[q,y]

with ℓ the *input lag* (inputs are delivered ℓ years before the output they
serve), L the *construction lag* (inputs for new capacity arrive L years before
the capacity does), s stocks carried between years (optional), e the surplus
— extra final use such as sales to other regions — bounded above by a market
absorption limit (or absent: the balance is then an equality). Capacity
follows ``cap[a,y] = (1 − δ_a) cap[a,y−1] + k[a,y]`` and bounds output,
``x[a,y] ≤ cap[a,y]``. Any satellite (labour, energy, CO2) can be limited each
year: ``Σ r_a x[a,y] + Σ ρ_a k[a,y+λ] ≤ R_y``. Terminal conditions: a floor on
output in the years after the plan that the input lag brings into the model,
and optionally a capacity that keeps growing after it.

The base year (the year before the first plan year) has a balance row only
when ℓ > 0: it delivers the inputs of the first plan year from the initial
stocks and its fixed base output. New capacity whose inputs would have been
delivered before the first balance year is exogenous (``base_new_capacity``).

References
----------
Leontief, W. (1970). The dynamic inverse. In Carter & Bródy (eds.),
*Contributions to Input-Output Analysis*, 17–46.
Miller, R. E. & Blair, P. D. (2022). *Input-Output Analysis*, 3rd ed., §13.6 (dynamic models).
Williams, H. P. (2013). *Model Building in Mathematical Programming*, 5th ed.,
§12.9 "Economic planning" and its solution §13.9.
Duchin, F. & Levine, S. H. (2011). Sectors may use multiple technologies
simultaneously: the rectangular choice-of-technology model. *Economic Systems
Research* 23(3), 281–302.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np
import pandas as pd
import pyomo.environ as pe
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression

from ..errors import ArgumentError, InfeasibleError, ScenarioError, SolverError, TableError
from ._dynamic_rows import LP, DynamicRows, dynamic_rows
from ._matrix import MatrixRows
from ._solver import Status, new_solver, no_gc, run, run_direct, run_highs, set_highs_options

__all__ = ["Resource", "DynamicLeontief", "DynamicResult", "add_dynamic_leontief", "dynamic_leontief_lp"]


@dataclass(frozen=True)
class Resource:
    """A satellite used per unit of output and per unit of new capacity, limited each year.

    Attributes
    ----------
    per_output : array_like, shape (activities,)
        Use per unit of output in the same year.
    limit : float or array_like, shape (years,) or None
        Yearly limit (one value per plan year, or one for all); ``None``
        records the use without limiting it. Years after the plan use the last value.
    per_new_capacity : array_like, shape (activities,), optional
        Use per unit of new capacity, ``capacity_lag`` years before it comes on stream.
    capacity_lag : int
        λ ≥ 0: the resource for capacity effective in year y + λ is used in year y.
    unit : str
        Unit of the satellite, for reports.
    """

    per_output: np.ndarray
    limit: float | np.ndarray | None = None
    per_new_capacity: np.ndarray | None = None
    capacity_lag: int = 0
    unit: str = ""


@dataclass(frozen=True)
class DynamicLeontief:
    """Data of a dynamic Leontief LP (see the module docstring for the equations).

    Attributes
    ----------
    A, B : array_like, shape (products, activities)
        Input coefficients of current production and of new capacity.
    demand : array_like, shape (years, products)
        Exogenous final demand d in each plan year.
    initial_capacity : array_like, shape (activities,)
        Capacity in the base year.
    years : sequence of int
        Consecutive plan years (labels); the base year is ``years[0] − 1``.
    initial_stock : array_like, shape (products,), optional
        Stocks at the start of the first balance year; ``None`` carries no stocks.
    make : sequence of int, optional
        Product made by each activity (default: activity a makes product a).
    depreciation : float or array_like, shape (activities,)
        δ, share of capacity lost each year.
    input_lag, construction_lag : int
        ℓ ≥ 0 and L ≥ 1 (years).
    resources : mapping of str to Resource
        Satellites limited (or recorded) each year.
    surplus_max : array_like, shape (years, products), optional
        Upper bound of the surplus e (``inf`` for none); ``None``: no surplus variable.
    surplus_min : array_like, shape (years, products), optional
        Lower bound of the surplus e (default 0).
    base_output : array_like, shape (activities,), optional
        Output of the base year, fixed (used only when ℓ > 0; default 0).
    base_new_capacity : array_like, shape (L', activities), optional
        Exogenous new capacity for the first years whose inputs predate the model.
    terminal_output : array_like, shape (activities,), optional
        Floor on output in the ℓ years after the plan.
    terminal_capacity_growth : float, optional
        If given, new capacity may be built for the years after the plan and
        ``cap[a, T+1] ≥ (1 + g) x[a, T]``; otherwise new capacity after the plan is 0.
    products, activities : sequence of str, optional
        Labels.
    """

    A: np.ndarray
    B: np.ndarray
    demand: np.ndarray
    initial_capacity: np.ndarray
    years: Sequence[int]
    initial_stock: np.ndarray | None = None
    make: Sequence[int] | None = None
    depreciation: float | np.ndarray = 0.0
    input_lag: int = 0
    construction_lag: int = 1
    resources: Mapping[str, Resource] = field(default_factory=dict)
    surplus_max: np.ndarray | None = None
    surplus_min: np.ndarray | None = None
    base_output: np.ndarray | None = None
    base_new_capacity: np.ndarray | None = None
    terminal_output: np.ndarray | None = None
    terminal_capacity_growth: float | None = None
    products: Sequence[str] | None = None
    activities: Sequence[str] | None = None

    # ---- derived index sets -------------------------------------------------
    @property
    def T(self) -> int:
        return len(self.years)

    @property
    def base_year(self) -> int:
        return int(self.years[0]) - 1

    @property
    def balance_years(self) -> list[int]:
        first = self.base_year if self.input_lag > 0 else int(self.years[0])
        return list(range(first, int(self.years[-1]) + 1))

    @property
    def output_years(self) -> list[int]:
        return list(range(self.balance_years[0], int(self.years[-1]) + self.input_lag + 1))

    @property
    def capacity_years(self) -> list[int]:
        extra = max(self.input_lag, 1 if self.terminal_capacity_growth is not None else 0)
        return list(range(int(self.years[0]), int(self.years[-1]) + extra + 1))

    @property
    def new_capacity_years(self) -> list[int]:
        """Years whose new capacity is a decision (its inputs are delivered in a balance year)."""
        first = self.balance_years[0] + self.construction_lag
        return list(range(first, int(self.years[-1]) + self.construction_lag + 1))


def _check(p: DynamicLeontief) -> dict:
    A = np.asarray(p.A, dtype=float)
    B = np.asarray(p.B, dtype=float)
    if A.ndim != 2 or B.shape != A.shape:
        raise TableError(f"A and B must be 2-D of the same shape (products × activities), got {A.shape} and {B.shape}")
    nq, na = A.shape
    years = [int(y) for y in p.years]
    if not years or years != list(range(years[0], years[0] + len(years))):
        raise ScenarioError(f"years must be consecutive integers, got {list(p.years)}", field="years")
    T = len(years)
    make = np.arange(na) if p.make is None else np.asarray(p.make, dtype=int)
    if make.shape != (na,) or make.min() < 0 or make.max() >= nq:
        raise TableError(f"make must give a product index in 0..{nq - 1} for each of the {na} activities")
    if p.make is None and nq != na:
        raise TableError(f"A has {nq} products and {na} activities: give make (product of each activity)")
    d = np.asarray(p.demand, dtype=float)
    if d.ndim == 1:
        d = np.tile(d, (T, 1))
    if d.shape != (T, nq):
        raise TableError(f"demand must have shape (years, products) = ({T}, {nq}), got {d.shape}")
    if p.input_lag < 0 or p.construction_lag < 1:
        raise ScenarioError(
            f"input_lag must be ≥ 0 and construction_lag ≥ 1, got {p.input_lag} and {p.construction_lag}",
            field="construction_lag",
        )

    def vec(name, v, n, default=0.0):
        v = np.full(n, default, dtype=float) if v is None else np.broadcast_to(np.asarray(v, dtype=float), (n,))
        if not np.all(np.isfinite(v)):
            raise TableError(f"{name} has non-finite entries")
        return np.array(v)

    out = dict(A=A, B=B, d=d, make=make, nq=nq, na=na, years=years)
    out["cap0"] = vec("initial_capacity", p.initial_capacity, na)
    out["delta"] = vec("depreciation", p.depreciation, na)
    if np.any((out["delta"] < 0) | (out["delta"] >= 1)):
        raise ScenarioError("depreciation must lie in [0, 1)", field="depreciation")
    out["x0"] = vec("base_output", p.base_output, na)
    out["s0"] = None if p.initial_stock is None else vec("initial_stock", p.initial_stock, nq)
    if p.surplus_max is not None:
        e = np.asarray(p.surplus_max, dtype=float)
        e = np.tile(e, (T, 1)) if e.ndim == 1 else e
        if e.shape != (T, nq) or np.any(e < 0):
            raise TableError(f"surplus_max must be ≥ 0 with shape ({T}, {nq}), got {e.shape}")
        out["emax"] = e
        lo = np.zeros((T, nq)) if p.surplus_min is None else np.asarray(p.surplus_min, dtype=float)
        lo = np.tile(lo, (T, 1)) if lo.ndim == 1 else lo
        if lo.shape != (T, nq) or np.any(lo > e) or np.any(lo < 0):
            raise TableError(f"surplus_min must lie in [0, surplus_max] with shape ({T}, {nq})")
        out["emin"] = lo
    exo_years = [y for y in range(years[0], p.new_capacity_years[0])]
    k0 = np.zeros((len(exo_years), na)) if p.base_new_capacity is None else np.asarray(p.base_new_capacity, float)
    if k0.size != len(exo_years) * na:
        raise TableError(f"base_new_capacity must have shape ({len(exo_years)}, {na}) for years {exo_years}")
    k0 = k0.reshape(len(exo_years), na)
    out["k_exo"] = {y: k0[i] for i, y in enumerate(exo_years)}
    return out


def _labels(p: DynamicLeontief, c: dict) -> tuple[list[str], list[str]]:
    """Product and activity labels (given, or ``s0…`` for a square table, ``p0…``/``a0…`` otherwise)."""
    P = list(p.products) if p.products is not None else None
    S = list(p.activities) if p.activities is not None else None
    if p.make is None:
        P = P or S or [f"s{q}" for q in range(c["nq"])]
        S = S or P
    P = P or [f"p{q}" for q in range(c["nq"])]
    S = S or [f"a{a}" for a in range(c["na"])]
    if len(P) != c["nq"] or len(S) != c["na"]:
        raise TableError(f"{len(P)} product and {len(S)} activity labels for a {c['nq']} × {c['na']} A")
    return P, S


def add_dynamic_leontief(b: pe.Block, p: DynamicLeontief) -> pe.Block:
    """Add the variables and constraints of ``p`` to the Pyomo block ``b`` and return it.

    Components: sets ``P`` (products), ``S`` (activities), ``YB``/``YX``/``YC``/``YK``
    (balance, output, capacity, new-capacity years); variables ``x``, ``k``,
    ``cap``, ``s`` (stocks, if any), ``e`` (surplus, if any); constraints
    ``balance``, ``capacity_law``, ``capacity_limit``, ``resource`` and
    ``terminal_capacity``; expressions ``use[r, y]`` of every resource. The
    objective is left to the caller.

    Examples
    --------
    >>> import pyomo.environ as pe
    >>> m = pe.ConcreteModel()
    >>> p = DynamicLeontief(A=[[0.1]], B=[[0.5]], demand=[[10.0], [12.0]], initial_capacity=[20.0], years=[2026, 2027])
    >>> _ = add_dynamic_leontief(m, p)
    >>> list(m.YX), list(m.YK), len(m.balance)
    ([2026, 2027], [2027, 2028], 2)
    """
    c = _check(p)
    A, B, d, make, years = c["A"], c["B"], c["d"], c["make"], c["years"]
    P, S = _labels(p, c)
    last, il, L = years[-1], p.input_lag, p.construction_lag
    YB, YX, YC, YK = p.balance_years, p.output_years, p.capacity_years, p.new_capacity_years
    b.P = pe.Set(initialize=P, ordered=True)
    b.S = pe.Set(initialize=S, ordered=True)
    b.YB = pe.Set(initialize=YB, ordered=True)
    b.YX = pe.Set(initialize=YX, ordered=True)
    b.YC = pe.Set(initialize=YC, ordered=True)
    b.YK = pe.Set(initialize=YK, ordered=True)
    b.x = pe.Var(b.S, b.YX, domain=pe.NonNegativeReals)
    b.k = pe.Var(b.S, b.YK, domain=pe.NonNegativeReals)
    b.cap = pe.Var(b.S, b.YC, domain=pe.NonNegativeReals)
    if il > 0:
        for a, name in enumerate(S):
            b.x[name, p.base_year].fix(c["x0"][a])
    for y in YK:
        if y > last and p.terminal_capacity_growth is None:
            for name in S:
                b.k[name, y].fix(0.0)
    if c["s0"] is not None:
        b.YS = pe.Set(initialize=list(range(YB[0], last + 2)), ordered=True)
        b.s = pe.Var(b.P, b.YS, domain=pe.NonNegativeReals)
        for q, name in enumerate(P):
            b.s[name, YB[0]].fix(c["s0"][q])
    if "emax" in c:
        b.e = pe.Var(b.P, b.YB, domain=pe.NonNegativeReals)
        for y in YB:
            row = c["emax"][y - years[0]] if y >= years[0] else np.zeros(c["nq"])
            low = c["emin"][y - years[0]] if y >= years[0] else np.zeros(c["nq"])
            for q, name in enumerate(P):
                b.e[name, y].setub(None if np.isinf(row[q]) else float(row[q]))
                b.e[name, y].setlb(float(low[q]))

    def knew(a: int, y: int):
        """New capacity of activity a in year y: a variable, or an exogenous constant."""
        if y in b.YK:
            return b.k[S[a], y]
        return float(c["k_exo"].get(y, np.zeros(c["na"]))[a])

    # balance rows, built from the non-zeros of A and B (DESIGN "Pyomo at scale")
    A_nz = [np.flatnonzero(A[q]) for q in range(c["nq"])]
    B_nz = [np.flatnonzero(B[q]) for q in range(c["nq"])]
    makers = [np.flatnonzero(make == q) for q in range(c["nq"])]
    b.balance = pe.Constraint(b.P, b.YB)
    for q, qn in enumerate(P):
        for y in YB:
            coefs, vars_, const = [], [], 0.0
            for a in makers[q].tolist():
                coefs.append(1.0)
                vars_.append(b.x[S[a], y])
            for a in A_nz[q].tolist():
                coefs.append(-A[q, a])
                vars_.append(b.x[S[a], y + il])
            for a in B_nz[q].tolist():
                term = knew(a, y + L)
                if isinstance(term, float):
                    const -= B[q, a] * term
                else:
                    coefs.append(-B[q, a])
                    vars_.append(term)
            if c["s0"] is not None:
                coefs += [1.0, -1.0]
                vars_ += [b.s[qn, y], b.s[qn, y + 1]]
            if "emax" in c:
                coefs.append(-1.0)
                vars_.append(b.e[qn, y])
            rhs = float(d[y - years[0], q]) if y >= years[0] else 0.0
            b.balance[qn, y] = LinearExpression(constant=const, linear_coefs=coefs, linear_vars=vars_) == rhs

    # capacity law and limit
    b.capacity_law = pe.Constraint(b.S, b.YC)
    b.capacity_limit = pe.Constraint(b.S, b.YC)
    for a, an in enumerate(S):
        for y in YC:
            prev = c["cap0"][a] if y == years[0] else None
            keep = 1.0 - c["delta"][a]
            kn = knew(a, y)
            coefs, vars_ = [1.0], [b.cap[an, y]]
            const = 0.0
            if prev is None:
                coefs.append(-keep)
                vars_.append(b.cap[an, y - 1])
            else:
                const -= keep * prev
            if isinstance(kn, float):
                const -= kn
            else:
                coefs.append(-1.0)
                vars_.append(kn)
            b.capacity_law[an, y] = LinearExpression(constant=const, linear_coefs=coefs, linear_vars=vars_) == 0.0
            if y in b.YX:
                b.capacity_limit[an, y] = b.x[an, y] - b.cap[an, y] <= 0.0

    # resources
    names = list(p.resources)
    b.R = pe.Set(initialize=names, ordered=True)
    b.YR = pe.Set(initialize=[y for y in YX if y >= years[0]], ordered=True)
    b.use = pe.Expression(b.R, b.YR)
    b.resource = pe.Constraint(b.R, b.YR)
    for rn in names:
        r = p.resources[rn]
        ro = np.broadcast_to(np.asarray(r.per_output, dtype=float), (c["na"],))
        rk = None if r.per_new_capacity is None else np.broadcast_to(np.asarray(r.per_new_capacity, float), (c["na"],))
        lim = None if r.limit is None else np.broadcast_to(np.asarray(r.limit, dtype=float), (len(years),))
        for y in b.YR:
            coefs, vars_, const = [], [], 0.0
            for a in np.flatnonzero(ro).tolist():
                coefs.append(ro[a])
                vars_.append(b.x[S[a], y])
            if rk is not None:
                for a in np.flatnonzero(rk).tolist():
                    term = knew(a, y + r.capacity_lag) if y + r.capacity_lag <= YK[-1] else 0.0
                    if isinstance(term, float):
                        const += rk[a] * term
                    else:
                        coefs.append(rk[a])
                        vars_.append(term)
            b.use[rn, y] = LinearExpression(constant=const, linear_coefs=coefs, linear_vars=vars_)
            if lim is not None:
                b.resource[rn, y] = b.use[rn, y] <= float(lim[min(y - years[0], len(years) - 1)])

    # terminal conditions
    if p.terminal_output is not None:
        floor = np.broadcast_to(np.asarray(p.terminal_output, dtype=float), (c["na"],))
        for y in YX:
            if y > last:
                for a, an in enumerate(S):
                    b.x[an, y].setlb(float(floor[a]))
    b.terminal_capacity = pe.Constraint(b.S)
    if p.terminal_capacity_growth is not None:
        g = float(p.terminal_capacity_growth)
        for an in S:
            b.terminal_capacity[an] = b.cap[an, last + 1] - (1 + g) * b.x[an, last] >= 0.0
    return b


@dataclass(frozen=True)
class DynamicResult:
    """Solution of :func:`dynamic_leontief_lp`: frames are sector × year."""

    status: Status
    objective: float
    output: pd.DataFrame
    capacity: pd.DataFrame
    new_capacity: pd.DataFrame
    stock: pd.DataFrame | None
    surplus: pd.DataFrame | None
    resource_use: pd.DataFrame
    balance_duals: pd.DataFrame
    resource_duals: pd.DataFrame
    seconds: float


def dynamic_leontief_lp(
    problem: DynamicLeontief,
    objective: Mapping[str, Mapping[int, Sequence[float]]],
    *,
    sense: str = "max",
    backend: str = "pyomo",
    handoff: str = "compiled",
    solver_options: Mapping[str, str | float | int | bool] | None = None,
) -> DynamicResult:
    """Optimise a linear objective over the plans of a dynamic Leontief model.

    Parameters
    ----------
    problem : DynamicLeontief
        The data.
    objective : mapping
        Weights by variable family and year: ``{"output" | "capacity" |
        "new_capacity" | "stock" | "surplus": {year: weights per sector}}``.
    sense : {"max", "min"}
    backend : {"pyomo", "highspy"}
        Both solve the same LP, written from the problem's arrays block by
        block (no Python object per coefficient). ``"pyomo"`` (default) holds
        its rows as matrix blocks of a Pyomo model (variables ``x``, ``k``,
        ``cap``, ``s``, ``e`` indexed by sector and year) and hands that model
        to HiGHS; ``"highspy"`` passes the matrix to ``highspy.Highs`` with no
        model built. To extend the model with constraints of your own, build it
        with :func:`add_dynamic_leontief`.
    handoff : {"compiled", "persistent"}
        How the Pyomo model reaches HiGHS: as arrays in one call, or through
        Pyomo's persistent HiGHS interface (see :mod:`xn_io.optimize.static`);
        ignored with ``backend="highspy"``.
    solver_options : mapping, optional
        HiGHS options for this solve, by their HiGHS names, with either
        backend and hand-off, e.g. ``{"solver": "ipm"}`` for the
        interior-point method or ``{"time_limit": 600.0}``. Default: HiGHS'
        defaults, which on these models is the dual simplex (exact vertex and
        duals) — on the five-year benchmark the fastest up to about 1,000
        sectors; on WIOD's 1,435 the first-order ``{"solver": "pdlp"}`` took
        50 s where the simplex had not finished in 25 minutes, its answer
        accurate to HiGHS' 1e-7 tolerances (``benchmarks/README.md``, issue
        19). With ``"run_crossover": "off"``
        the interior-point answer is an interior optimum, optimal to HiGHS'
        tolerances but not a vertex. A time limit that ends the solve raises
        :class:`~xn_io.errors.SolverError`.

    Returns
    -------
    DynamicResult

    Raises
    ------
    TableError
        Inconsistent shapes.
    ScenarioError
        Bad lags or years of the problem.
    ArgumentError
        An unknown ``sense``, ``backend``, ``handoff`` or objective key, or a
        HiGHS option HiGHS does not know or whose value it rejects.
    InfeasibleError
        Demand, capacity and resources cannot all hold.
    SolverError
        Unbounded, or the solver failed otherwise.

    References
    ----------
    Williams (2013), §12.9 and §13.9; Miller & Blair (2022), §13.6.

    Examples
    --------
    One sector with capacity 100 must meet a demand of 110 in year 2; a unit
    of capacity needs 0.5 units of the product, delivered the year before.
    The least new capacity is 10, and year 1 must produce its 5 units of inputs:

    >>> p = DynamicLeontief(A=[[0.0]], B=[[0.5]], demand=[[0.0], [110.0]],
    ...                     initial_capacity=[100.0], years=[1, 2])
    >>> r = dynamic_leontief_lp(p, {"new_capacity": {2: [1.0]}}, sense="min")
    >>> round(r.objective, 6), r.output.loc["s0"].round(6).tolist()
    (10.0, [5.0, 110.0])

    The same straight through highspy:

    >>> dynamic_leontief_lp(p, {"new_capacity": {2: [1.0]}}, sense="min", backend="highspy").objective
    10.0

    And by HiGHS' interior-point method:

    >>> r = dynamic_leontief_lp(p, {"new_capacity": {2: [1.0]}}, sense="min", solver_options={"solver": "ipm"})
    >>> round(r.objective, 6)
    10.0
    """
    if sense not in ("max", "min"):
        raise ArgumentError(f"sense must be 'max' or 'min', got {sense!r}", argument="sense")
    if backend not in ("pyomo", "highspy"):
        raise ArgumentError(f"backend must be 'pyomo' or 'highspy', got {backend!r}", argument="backend")
    if handoff not in ("compiled", "persistent"):
        raise ArgumentError(f"handoff must be 'compiled' or 'persistent', got {handoff!r}", argument="handoff")
    options = dict(solver_options or {})
    set_highs_options(highspy.Highs(), options)  # unknown names or bad values fail before anything is built
    c = _check(problem)
    P, S = _labels(problem, c)
    rows = dynamic_rows(problem, c, P, S)
    lp = rows.lp(rows.cost(objective))
    rows = dataclasses.replace(rows, matrix=None)  # the LP holds the columns it needs: free the rest
    if backend == "highspy":
        out = _solve_highspy(rows, lp, sense, options)
    else:
        out = _solve_pyomo(rows, lp, sense, handoff, options)
    status, objective_value, column_values, row_dual, seconds = out
    what = f"the dynamic Leontief LP ({len(S)} activities, {len(problem.years)} years)"
    if status is Status.INFEASIBLE:
        raise InfeasibleError(f"{what} is infeasible: demand, capacity and resources cannot all hold")
    if not status.ok:
        raise SolverError(f"{what} ended {status.value}")
    values = rows.values(lp, column_values)

    def frame(key: str) -> pd.DataFrame:
        f = rows.families[key]
        block = values[f.start : f.start + f.size].reshape(len(f.years), len(f.labels)).T
        return pd.DataFrame(block, index=list(f.labels), columns=list(f.years))

    names = list(problem.resources)
    YR = rows.resource_years
    use = (rows.use @ values + rows.use_constant).reshape(len(names), len(YR))
    rduals = pd.DataFrame(np.nan, index=names, columns=YR, dtype=float)
    where, keys = rows.blocks["resource"]
    for (rn, y), dual in zip(keys, row_dual[where]):
        rduals.loc[rn, y] = dual
    where, _ = rows.blocks["balance"]
    bduals = pd.DataFrame(
        row_dual[where].reshape(len(problem.balance_years), len(P)).T, index=P, columns=problem.balance_years
    )
    return DynamicResult(
        status=status,
        objective=objective_value,
        output=frame("x"),
        capacity=frame("cap"),
        new_capacity=frame("k"),
        stock=frame("s") if "s" in rows.families else None,
        surplus=frame("e") if "e" in rows.families else None,
        resource_use=pd.DataFrame(use, index=names, columns=YR, dtype=float),
        balance_duals=bduals,
        resource_duals=rduals,
        seconds=seconds,
    )


def _solve_highspy(rows: DynamicRows, lp: LP, sense: str, options: Mapping | None = None):
    """Pass the LP to ``highspy.Highs`` as one column-wise matrix; (status, objective, x, row duals, seconds)."""
    inf = highspy.kHighsInf
    h_lp = highspy.HighsLp()
    h_lp.num_col_, h_lp.num_row_ = len(lp.columns), lp.matrix.shape[0]
    h_lp.col_cost_ = lp.cost
    h_lp.offset_ = lp.offset
    h_lp.col_lower_ = np.where(np.isinf(lp.lower), -inf, lp.lower)
    h_lp.col_upper_ = np.where(np.isinf(lp.upper), inf, lp.upper)
    h_lp.row_lower_ = np.where(np.isinf(rows.row_lower), -inf, rows.row_lower)
    h_lp.row_upper_ = np.where(np.isinf(rows.row_upper), inf, rows.row_upper)
    h_lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    h_lp.a_matrix_.start_, h_lp.a_matrix_.index_ = lp.matrix.indptr, lp.matrix.indices
    h_lp.a_matrix_.value_ = lp.matrix.data
    h_lp.sense_ = highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    set_highs_options(h, options)
    h.passModel(h_lp)
    start = time.perf_counter()
    status = run_highs(h)
    seconds = time.perf_counter() - start
    if not status.ok:
        return status, None, None, None, seconds
    sol = h.getSolution()
    objective = float(h.getInfo().objective_function_value)
    return status, objective, np.asarray(sol.col_value), np.asarray(sol.row_dual), seconds


def _solve_pyomo(rows: DynamicRows, lp: LP, sense: str, handoff: str, options: Mapping | None = None):
    """The LP as a Pyomo model whose rows are :class:`MatrixRows` blocks; solved as :func:`_solve_highspy` is."""
    m = pe.ConcreteModel(name="dynamic_leontief")
    with no_gc():
        every: list = [None] * len(rows.lower)
        for key, f in rows.families.items():
            var = pe.Var(f.labels, f.years, domain=pe.Reals)
            m.add_component(key, var)
            for j, y in enumerate(f.years):
                for i, lab in enumerate(f.labels):
                    every[f.start + j * len(f.labels) + i] = var[lab, y]
        for v, lo, hi, fx in zip(every, rows.lower.tolist(), rows.upper.tolist(), rows.fixed.tolist()):
            if fx == fx:  # not NaN: fixed
                v.fix(fx)
            else:
                v.setlb(lo if lo > -np.inf else None)
                v.setub(hi if hi < np.inf else None)
        columns = [every[j] for j in lp.columns.tolist()]
        M = sp.csr_array(lp.matrix)  # rows sliced per block; released once the blocks hold them
        blocks = []
        for name, (where, _) in rows.blocks.items():
            if where.stop > where.start:
                block = MatrixRows(M[where], columns, rows.row_lower[where], rows.row_upper[where])
                m.add_component(name, block)
                blocks.append(block)
        del M
        nz = np.flatnonzero(lp.cost)
        terms = [columns[j] for j in nz.tolist()]
        coefs = lp.cost[nz].tolist()
        m.objective = pe.Objective(
            expr=LinearExpression(constant=lp.offset, linear_coefs=coefs, linear_vars=terms),
            sense=pe.maximize if sense == "max" else pe.minimize,
        )
    if handoff == "compiled":
        out = run_direct(m, options=options)
    else:
        solver = new_solver()
        solver.config.solver_options.update(options or {})
        out = run(m, solver)
    if not out.status.ok:
        return out.status, None, None, None, out.seconds
    values = np.array([np.nan if v.value is None else v.value for v in columns], dtype=float)
    duals = np.array([out.duals.get(r, 0.0) for block in blocks for r in block.values()], dtype=float)
    return out.status, out.objective, values, duals, out.seconds
