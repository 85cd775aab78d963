"""LP workloads: the static Leontief LP and the five-year model, xn_io through Pyomo against a direct highspy model.

The capped LP (workload ``static``), on the synthetic dense table ``dense-<n>`` (``A = Z x̂⁻¹``)::

    maximise   v·x                         v = 1 − 1ᵀA, value added per unit of output
    subject to (I − A) x ≥ 0.9 (Y·1)       every final demand at least 90 % of the base year
               f_co2·x ≤ 0.95 F_co2        a CO2 cap 5 % below the base year (binds)
               f_en·x ≤ F_en               an energy cap at the base year
               0 ≤ x ≤ 1.2 x_base          capacity

The plain LP (workload ``plain``) is the same without the two caps.

Implementations:

``xn_io``
    :func:`xn_io.optimize.leontief_lp` with ``backend="pyomo"`` — a Pyomo
    model (balance rows one matrix block) handed to HiGHS in one call.
``xn_io.highspy``
    ``leontief_lp(..., backend="highspy")`` — xn_io's own direct matrix path.
``highspy``
    the peer: the same LP written directly against ``highspy`` here
    (CSC matrix → ``HighsLp`` → ``passModel`` → ``run``).

The five-year model (workload ``five_year``) is the dynamic Leontief LP of
:func:`xn_io.optimize.dynamic_leontief_lp` over 2026–2030 (input lag 0,
construction lag 1)::

    maximise   Σ_t v·x_t
    subject to x_t − A x_t − B k_{t+1} − e_t = d_t            balance (k_2031 = 0)
               cap_t = (1 − δ) cap_{t−1} + k_t,  k_2026 = 0     capacity law
               x_t ≤ cap_t                                     capacity
               f_co2·x_t ≤ C_t                                 CO2 cap
               0 ≤ e_t ≤ ē_t                                   surplus (sales elsewhere), bounded
               x, k, cap ≥ 0

with ``d_t`` = base final demand growing 2 % a year, ``ē_t`` 20 % of it
growing 5 %, ``B = s κᵀ`` (capital goods bought from every sector in
proportion to its output ``s = x / Σx``, capital–output ratios ``κ`` in
[0.5, 1.5]), ``cap_2025 = 1.3 x``, ``δ = 0.03`` and a CO2 cap of 115 % of the
base year growing 2 % a year. The peer
(``highspy``, :func:`direct_five_year`) builds the same rows as one sparse
matrix; at n = 300 (and the sizes in :data:`IPM_SIZES`) a third implementation,
``highspy.ipm``, solves that direct model with HiGHS' interior-point method instead of
its default (dual simplex). Sizes: 100–1,000 and WIOD's 1,435 sectors in the full run;
from n = 500 one solve takes minutes (the five dense balance blocks alone are 5n²
non-zeros), so the agreement run is the only timing there.

Results must agree on the optimal objective. Phases are recorded per call in
``extra["phases"]``: for the peer *build*, *hand-off* and *solve* separately;
for ``xn_io`` the model build and then hand-off + solve (the time
:class:`LPResult` reports), since Pyomo hands the model over inside ``solve``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np
import scipy.sparse as sp

from ..harness import Case
from ..problems import load_problem

__all__ = [
    "SUITE",
    "SIZES",
    "FIVE_YEAR_SIZES",
    "available",
    "specs",
    "cases",
    "build",
    "direct_highspy",
    "five_year_data",
    "direct_five_year",
]

SUITE = "lp"
SIZES = {"quick": (100, 200, 400), "full": (100, 200, 500, 1000, 2000)}
PLAIN_SIZES = {"quick": (100, 200, 400), "full": (400, 800, 1600)}
FIVE_YEAR_SIZES = {"quick": (50, 100), "full": (100, 200, 300, 500, 1000)}
FIVE_YEAR_TABLES = {"quick": (), "full": ("wiod-1435",)}
IPM_SIZES = (300,)
"""Sizes at which the five-year case also times HiGHS' interior-point solver on the direct model (at n = 500
one IPM solve took longer than the simplex one: see the README)."""
YEARS = tuple(range(2026, 2031))


def available() -> str | None:
    """None when ``xn_io.optimize`` provides ``leontief_lp`` and ``leontief_lp_highspy``."""
    try:
        from xn_io.optimize import dynamic_leontief_lp, leontief_lp, leontief_lp_highspy  # noqa: F401
    except ImportError as exc:
        return f"not yet available: xn_io.optimize.leontief_lp cannot be imported ({exc})"
    return None


def _per_output(M: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``M x̂⁻¹`` with zero columns where the output is zero (WIOD has 22 such sectors)."""
    inv = np.divide(1.0, x, out=np.zeros_like(x), where=x > 0)
    return M * inv[np.newaxis, :]


def lp_data(table: str, *, caps: bool = True) -> dict:
    """The LP's data from a benchmark table (see the module docstring); without the caps for ``caps=False``."""
    p = load_problem(table)
    Z = p.Z.toarray() if sp.issparse(p.Z) else p.Z
    A = _per_output(Z, p.x)
    f = _per_output(p.F, p.x)
    if not caps:
        return {
            "A": A,
            "c": 1.0 - A.sum(axis=0),
            "demand_min": 0.9 * p.Y.sum(axis=1),
            "caps": {},
            "bounds": (np.zeros(p.n), 1.2 * p.x),
        }
    return {
        "A": A,
        "c": 1.0 - A.sum(axis=0),
        "demand_min": 0.9 * p.Y.sum(axis=1),
        "caps": {"co2": (f[0], 0.95 * float(p.F[0].sum())), "energy": (f[1], float(p.F[1].sum()))},
        "bounds": (np.zeros(p.n), 1.2 * p.x),
    }


def direct_highspy(A, c, demand_min, caps, bounds, *, phases: list | None = None) -> float:
    """Maximise ``c·x`` subject to the Leontief LP's rows, written directly against highspy.

    Returns the optimal objective; appends ``{"build", "handoff", "solve"}`` seconds to ``phases``.
    """
    import highspy

    t0 = time.perf_counter()
    n = len(c)
    rows = sp.vstack(
        [sp.identity(n, format="csr") - sp.csr_array(A)]
        + [sp.csr_array(coef[np.newaxis, :]) for coef, _ in caps.values()],
        format="csc",
    )
    inf = highspy.kHighsInf
    return _run_highs(
        rows,
        c,
        bounds[0],
        bounds[1],
        np.concatenate([demand_min, np.full(len(caps), -inf)]),
        np.concatenate([np.full(n, inf), [limit for _, limit in caps.values()]]),
        what=f"direct highspy LP over {n} sectors",
        t0=t0,
        phases=phases,
    )


def five_year_data(table: str) -> dict:
    """Arrays of the five-year model on a benchmark table (see the module docstring)."""
    p = load_problem(table)
    Z = p.Z.toarray() if sp.issparse(p.Z) else p.Z
    n = p.n
    A = _per_output(Z, p.x)
    rng = np.random.default_rng([n, 5])
    share = p.x / p.x.sum()  # capital goods bought in proportion to each sector's size
    kappa = rng.uniform(0.5, 1.5, n)
    T = len(YEARS)
    growth = np.arange(1, T + 1)[:, np.newaxis]
    # WIOD records a final use of −1 (rounding) for two of its 22 sectors with no output and no inputs to
    # anyone: no plan can deliver it (nothing makes or absorbs the product), so those rows' demand is 0
    y0 = np.where(p.x > 0, p.Y.sum(axis=1), 0.0)[np.newaxis, :]
    return {
        "A": A,
        "B": share[:, np.newaxis] * kappa[np.newaxis, :],
        "demand": y0 * 1.02**growth,
        "surplus_max": np.maximum(0.2 * y0, 0.0) * 1.05**growth,  # WIOD has negative final use (inventories)
        "cap0": 1.3 * p.x,
        "delta": 0.03,
        "co2": _per_output(p.F[:1], p.x)[0],
        "co2_cap": 1.15 * float(p.F[0].sum()) * 1.02 ** np.arange(1, T + 1),
        "v": 1.0 - A.sum(axis=0),
    }


def direct_five_year(
    data: dict,
    *,
    phases: list | None = None,
    solver: str = "simplex",
    time_limit: float | None = None,
    options: dict | None = None,
    info: dict | None = None,
) -> float:
    """The five-year model written directly against highspy; returns the optimal objective.

    Columns: ``x_t`` (t = 0..T−1), ``k_t`` (t = 1..T−1; ``k_0`` is 0 and
    ``k_T`` after the plan is 0), ``cap_t``, ``e_t``. Rows: balance, capacity
    law (equalities), capacity limit, CO2 cap.
    """
    import highspy

    t0 = time.perf_counter()
    A, B = data["A"], data["B"]
    n, T = A.shape[0], len(YEARS)
    keep = 1.0 - data["delta"]
    eye = sp.identity(n, format="csr")
    zero = None
    ImA, negB, negI = sp.csr_array(eye - sp.csr_array(A)), -sp.csr_array(B), -eye
    nx_, nk = T, T - 1  # blocks of x and k

    # column blocks: x[0..T-1], k[1..T-1], cap[0..T-1], e[0..T-1]
    def col(kind, t):
        return {"x": t, "k": nx_ + t - 1, "cap": nx_ + nk + t, "e": nx_ + nk + T + t}[kind]

    ncols_blocks = nx_ + nk + 2 * T
    rows = []
    lower, upper = [], []
    for t in range(T):  # balance
        r = [zero] * ncols_blocks
        r[col("x", t)] = ImA
        if t + 1 <= T - 1:
            r[col("k", t + 1)] = negB
        r[col("e", t)] = negI
        rows.append(r)
        lower.append(data["demand"][t])
        upper.append(data["demand"][t])
    for t in range(T):  # capacity law
        r = [zero] * ncols_blocks
        r[col("cap", t)] = eye
        if t >= 1:
            r[col("cap", t - 1)] = -keep * eye
            r[col("k", t)] = negI
        rows.append(r)
        rhs = keep * data["cap0"] if t == 0 else np.zeros(n)
        lower.append(rhs)
        upper.append(rhs)
    for t in range(T):  # capacity limit
        r = [zero] * ncols_blocks
        r[col("x", t)] = eye
        r[col("cap", t)] = negI
        rows.append(r)
        lower.append(np.full(n, -highspy.kHighsInf))
        upper.append(np.zeros(n))
    co2 = sp.csr_array(data["co2"][np.newaxis, :])
    for t in range(T):  # CO2 cap
        r = [zero] * ncols_blocks
        r[col("x", t)] = co2
        rows.append(r)
        lower.append(np.array([-highspy.kHighsInf]))
        upper.append(np.array([data["co2_cap"][t]]))
    M = sp.bmat(rows, format="csc")
    ncol = M.shape[1]
    cost = np.zeros(ncol)
    for t in range(T):
        cost[col("x", t) * n : (col("x", t) + 1) * n] = data["v"]
    col_upper = np.full(ncol, highspy.kHighsInf)
    for t in range(T):
        col_upper[col("e", t) * n : (col("e", t) + 1) * n] = data["surplus_max"][t]
    return _run_highs(
        M,
        cost,
        np.zeros(ncol),
        col_upper,
        np.concatenate(lower),
        np.concatenate(upper),
        what=f"direct five-year LP over {n} sectors",
        t0=t0,
        phases=phases,
        solver=solver,
        time_limit=time_limit,
        options=options,
        info=info,
    )


def _xn_five_year(data: dict, phases: list, backend: str = "pyomo", solver_options: dict | None = None):
    from xn_io.optimize import DynamicLeontief, Resource, dynamic_leontief_lp

    t0 = time.perf_counter()
    problem = DynamicLeontief(
        A=data["A"],
        B=data["B"],
        demand=data["demand"],
        initial_capacity=data["cap0"],
        years=YEARS,
        depreciation=data["delta"],
        input_lag=0,
        construction_lag=1,
        resources={"co2": Resource(per_output=data["co2"], limit=data["co2_cap"])},
        surplus_max=data["surplus_max"],
    )
    r = dynamic_leontief_lp(
        problem,
        {"output": dict.fromkeys(YEARS, data["v"])},
        sense="max",
        backend=backend,
        solver_options=solver_options,
    )
    total = time.perf_counter() - t0
    phases.append({"build+handoff": total - r.seconds, "solve": r.seconds})
    return r.objective


def _relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def build(workload: str, table: str) -> Case:
    """The case ``workload`` (``"static"``) on ``table`` (``"dense-<n>"``)."""
    from xn_io.optimize import leontief_lp, leontief_lp_highspy

    if workload == "five_year":
        data5 = five_year_data(table)
        phases5: dict[str, list] = {"xn_io": [], "xn_io.highspy": [], "highspy": []}
        impls5 = {
            "xn_io": lambda: _xn_five_year(data5, phases5["xn_io"]),
            "xn_io.highspy": lambda: _xn_five_year(data5, phases5["xn_io.highspy"], backend="highspy"),
            "highspy": lambda: direct_five_year(data5, phases=phases5["highspy"]),
        }
        n5 = data5["A"].shape[0]
        if n5 in IPM_SIZES:
            phases5["highspy.ipm"] = []
            impls5["highspy.ipm"] = lambda: direct_five_year(data5, phases=phases5["highspy.ipm"], solver="ipm")
        # from n = 500 one call takes minutes: its agreement run (a call of 10 s or more counts) is its timing
        return Case(
            SUITE,
            workload,
            table,
            n5,
            impls5,
            _relative,
            tol=1e-7,
            memory=n5 >= 500,
            extra={"phases": phases5},
            max_rounds=0 if n5 >= 500 else None,
        )
    if workload not in ("static", "plain"):
        raise KeyError(f"unknown lp workload {workload!r}; expected 'static', 'plain' or 'five_year'")
    data = lp_data(table, caps=workload == "static")
    n = len(data["c"])
    phases: dict[str, list] = {"xn_io": [], "xn_io.highspy": [], "highspy": []}

    def via(fn, key):
        def call():
            t0 = time.perf_counter()
            r = fn(data["A"], data["c"], data["demand_min"], data["caps"], data["bounds"], sense="max")
            total = time.perf_counter() - t0
            label = "build" if key == "xn_io" else "build+handoff"
            second = "handoff+solve" if key == "xn_io" else "solve"
            phases[key].append({label: total - r.seconds, second: r.seconds})
            return r.objective

        return call

    impls = {
        "xn_io": via(leontief_lp, "xn_io"),
        "xn_io.highspy": via(leontief_lp_highspy, "xn_io.highspy"),
        "highspy": lambda: direct_highspy(**data, phases=phases["highspy"]),
    }
    return Case(
        SUITE,
        workload,
        table,
        n,
        impls,
        _relative,
        tol=1e-7,
        memory=n >= 500 and workload == "static",
        extra={"phases": phases},
        max_rounds=0 if n >= 2000 else None,
    )


def specs(*, quick: bool) -> list[tuple[str, str]]:
    """(workload, table) of every case of the quick or the full run, in order."""
    mode = "quick" if quick else "full"
    out = [("plain", f"dense-{n}") for n in PLAIN_SIZES[mode]]
    out += [("static", f"dense-{n}") for n in SIZES[mode]]
    out += [("five_year", f"dense-{n}") for n in FIVE_YEAR_SIZES[mode]]
    out += [("five_year", table) for table in FIVE_YEAR_TABLES[mode]]
    return out


def cases(*, quick: bool) -> Iterator[Case]:
    """The plain and capped static LPs and the five-year model on the tables of the quick or the full run."""
    for workload, table in specs(quick=quick):
        yield build(workload, table)


def _run_highs(
    A_csc,
    cost,
    col_lower,
    col_upper,
    row_lower,
    row_upper,
    *,
    what: str,
    t0: float,
    phases,
    solver: str = "simplex",
    time_limit: float | None = None,
    options: dict | None = None,
    info: dict | None = None,
) -> float:
    """Maximise ``cost·x`` over a column-wise matrix straight in highspy; record build/hand-off/solve times.

    ``options`` are further HiGHS options (``{"run_crossover": "off", "log_file": ...}``); ``info``, if
    given, receives HiGHS' iteration counts, residuals and objective of the run, optimal or not.
    """
    import highspy

    lp = highspy.HighsLp()
    lp.num_col_ = A_csc.shape[1]
    lp.num_row_ = A_csc.shape[0]
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_ = np.asarray(col_lower, dtype=float)
    lp.col_upper_ = np.asarray(col_upper, dtype=float)
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = A_csc.indptr
    lp.a_matrix_.index_ = A_csc.indices
    lp.a_matrix_.value_ = A_csc.data
    lp.sense_ = highspy.ObjSense.kMaximize
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if solver != "simplex":
        h.setOptionValue("solver", solver)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    for name, value in (options or {}).items():
        if h.setOptionValue(name, value) != highspy.HighsStatus.kOk:
            raise ValueError(f"HiGHS rejected the option {name}={value!r}")
    t1 = time.perf_counter()
    h.passModel(lp)
    t2 = time.perf_counter()
    h.run()
    t3 = time.perf_counter()
    if info is not None:
        hinfo = h.getInfo()
        info["model_status"] = h.modelStatusToString(h.getModelStatus())
        for key in (
            "simplex_iteration_count",
            "ipm_iteration_count",
            "crossover_iteration_count",
            "pdlp_iteration_count",
            "objective_function_value",
            "max_primal_infeasibility",
            "max_dual_infeasibility",
            "primal_dual_objective_error",
        ):
            info[key] = getattr(hinfo, key, None)
        info["run_seconds"] = t3 - t2
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"{what} ended {h.modelStatusToString(h.getModelStatus())}")
    if phases is not None:
        phases.append({"build": t1 - t0, "handoff": t2 - t1, "solve": t3 - t2})
    return float(h.getInfo().objective_function_value)
