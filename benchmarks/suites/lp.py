"""LP workloads: the static Leontief LP, xn_io through Pyomo against a direct highspy model.

The LP, on the synthetic dense table ``dense-<n>`` (``A = Z x̂⁻¹``)::

    maximise   v·x                         v = 1 − 1ᵀA, value added per unit of output
    subject to (I − A) x ≥ 0.9 (Y·1)       every final demand at least 90 % of the base year
               f_co2·x ≤ 0.95 F_co2        a CO2 cap 5 % below the base year (binds)
               f_en·x ≤ F_en               an energy cap at the base year
               0 ≤ x ≤ 1.2 x_base          capacity

Implementations:

``xn_io``
    :func:`xn_io.optimize.leontief_lp` — a Pyomo model handed to HiGHS
    through ``pyomo.contrib.solver``.
``xn_io.highspy``
    :func:`xn_io.optimize.leontief_lp_highspy` — xn_io's own direct matrix path.
``highspy``
    the peer: the same LP written directly against ``highspy`` here
    (CSC matrix → ``HighsLp`` → ``passModel`` → ``run``).

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

__all__ = ["SUITE", "SIZES", "available", "cases", "build", "direct_highspy"]

SUITE = "lp"
SIZES = {"quick": (100, 200, 400), "full": (100, 200, 500, 1000, 2000)}


def available() -> str | None:
    """None when ``xn_io.optimize`` provides ``leontief_lp`` and ``leontief_lp_highspy``."""
    try:
        from xn_io.optimize import leontief_lp, leontief_lp_highspy  # noqa: F401
    except ImportError as exc:
        return f"not yet available: xn_io.optimize.leontief_lp cannot be imported ({exc})"
    return None


def lp_data(table: str) -> dict:
    """The LP's data from a benchmark table (see the module docstring)."""
    p = load_problem(table)
    Z = p.Z.toarray() if sp.issparse(p.Z) else p.Z
    A = Z / p.x[np.newaxis, :]
    f = p.F / p.x[np.newaxis, :]
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
    rows = sp.vstack([sp.identity(n, format="csr") - sp.csr_array(A)] + [sp.csr_array(coef[np.newaxis, :]) for coef, _ in caps.values()],
                     format="csc")
    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = rows.shape[0]
    lp.col_cost_ = np.asarray(c, dtype=float)
    lp.col_lower_ = np.asarray(bounds[0], dtype=float)
    lp.col_upper_ = np.asarray(bounds[1], dtype=float)
    lp.row_lower_ = np.concatenate([demand_min, np.full(len(caps), -inf)])
    lp.row_upper_ = np.concatenate([np.full(n, inf), [limit for _, limit in caps.values()]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = rows.indptr
    lp.a_matrix_.index_ = rows.indices
    lp.a_matrix_.value_ = rows.data
    lp.sense_ = highspy.ObjSense.kMaximize
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    t1 = time.perf_counter()
    h.passModel(lp)
    t2 = time.perf_counter()
    h.run()
    t3 = time.perf_counter()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"direct highspy LP over {n} sectors ended {h.modelStatusToString(h.getModelStatus())}")
    if phases is not None:
        phases.append({"build": t1 - t0, "handoff": t2 - t1, "solve": t3 - t2})
    return float(h.getInfo().objective_function_value)


def _relative(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def build(workload: str, table: str) -> Case:
    """The case ``workload`` (``"static"``) on ``table`` (``"dense-<n>"``)."""
    from xn_io.optimize import leontief_lp, leontief_lp_highspy

    if workload != "static":
        raise KeyError(f"unknown lp workload {workload!r}; expected 'static'")
    data = lp_data(table)
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
    return Case(SUITE, workload, table, n, impls, _relative, tol=1e-7, memory=n >= 500, extra={"phases": phases})


def cases(*, quick: bool) -> Iterator[Case]:
    """The static LP on the synthetic dense tables of the quick or the full run."""
    for n in SIZES["quick" if quick else "full"]:
        yield build("static", f"dense-{n}")
