"""The dynamic Leontief LP as arrays: one sparse row matrix, column bounds, row bounds (internal).

:func:`dynamic_rows` writes the rows of :mod:`xn_io.optimize.dynamic` (balance,
capacity law, capacity limit, resource limits, terminal capacity) straight
from the problem's arrays, block by block with numpy, with no Python object
per coefficient. Both backends of :func:`~xn_io.optimize.dynamic_leontief_lp`
solve exactly this LP: ``"highspy"`` passes it to ``highspy.Highs``,
``"pyomo"`` holds the same rows as :class:`~xn_io.optimize._matrix.MatrixRows`
blocks over the model's variables. The rows written term by term by
:func:`~xn_io.optimize.add_dynamic_leontief` are the independent statement of
the same model (the tests compare the two, coefficient by coefficient).

Variables are numbered family by family (``x``, ``k``, ``cap``, ``s``, ``e``),
year by year, sector by sector. Fixed variables (base-year output, initial
stocks, new capacity after the plan) are moved to the row bounds, as Pyomo's
compiler does; a variable that no row and no objective weight uses is not a
column, and its value is reported as NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..errors import ArgumentError

__all__ = ["Family", "LP", "DynamicRows", "dynamic_rows"]


@dataclass(frozen=True)
class Family:
    """One variable family: labels × years, numbered from ``start`` (year-major)."""

    labels: list[str]
    years: list[int]
    start: int

    def index(self, i, year: int):
        """Full index of label position(s) ``i`` in ``year``."""
        return self.start + (year - self.years[0]) * len(self.labels) + np.asarray(i)

    @property
    def size(self) -> int:
        return len(self.labels) * len(self.years)


@dataclass(frozen=True)
class LP:
    """The columns of one solve: the variables used by a row or the objective, not fixed."""

    columns: np.ndarray
    matrix: sp.csc_array
    cost: np.ndarray
    offset: float
    lower: np.ndarray
    upper: np.ndarray


@dataclass(frozen=True)
class DynamicRows:
    """The LP over the *columns* (used, free variables) and its bookkeeping over *all* variables.

    Attributes
    ----------
    families : dict of str to Family
        ``x``, ``k``, ``cap`` and, when present, ``s`` and ``e``.
    lower, upper, fixed : numpy.ndarray, shape (variables,)
        Bounds of every variable; ``fixed`` is its value where fixed, NaN elsewhere.
    matrix : scipy.sparse.csc_array, shape (rows, variables)
        Coefficients over all variables (the fixed ones' columns included).
    row_lower, row_upper : numpy.ndarray, shape (rows,)
        Row bounds with the fixed variables' terms moved into them (±inf for none).
    blocks : dict of str to (slice, list of keys)
        Rows of ``balance`` ((product, year)), ``capacity_law`` and ``capacity_limit``
        ((activity, year)), ``resource`` ((resource, year)) and ``terminal_capacity`` (activity).
    use, use_constant : scipy.sparse.csr_array over all variables, numpy.ndarray
        Every resource's use in every year (``resource_keys``), limited or not.
    resource_keys : list of (str, int)
    resource_years : list of int
    """

    families: dict[str, Family]
    lower: np.ndarray
    upper: np.ndarray
    fixed: np.ndarray
    matrix: sp.csc_array
    row_lower: np.ndarray
    row_upper: np.ndarray
    blocks: dict[str, tuple[slice, list]]
    use: sp.csr_array
    use_constant: np.ndarray
    resource_keys: list
    resource_years: list[int]

    def cost(self, objective: Mapping[str, Mapping[int, Sequence[float]]]) -> np.ndarray:
        """Objective weights over all variables from ``{family: {year: weights per label}}``."""
        names = {"output": "x", "capacity": "cap", "new_capacity": "k", "stock": "s", "surplus": "e"}
        families = {name: key for name, key in names.items() if key in self.families}
        cost = np.zeros(len(self.lower))
        for fam, by_year in objective.items():
            if fam not in families:
                raise ArgumentError(f"objective family {fam!r} is not one of {sorted(families)}", argument="objective")
            f = self.families[families[fam]]
            for y, given in by_year.items():
                w = np.broadcast_to(np.asarray(given, dtype=float), (len(f.labels),))
                if np.any(w != 0) and y not in f.years:
                    raise ArgumentError(f"objective: {fam} has no year {y}", argument="objective")
                nz = np.flatnonzero(w)
                np.add.at(cost, f.index(nz, y), w[nz])
        return cost

    def lp(self, cost: np.ndarray) -> LP:
        """The LP handed to the solver for objective weights ``cost`` (over all variables)."""
        is_fixed = ~np.isnan(self.fixed)
        used = ((np.diff(self.matrix.indptr) > 0) | (cost != 0)) & ~is_fixed
        columns = np.flatnonzero(used)
        return LP(
            columns=columns,
            matrix=sp.csc_array(self.matrix[:, columns]),
            cost=cost[columns],
            offset=float(cost[is_fixed] @ self.fixed[is_fixed]),
            lower=self.lower[columns],
            upper=self.upper[columns],
        )

    def values(self, lp: LP, column_values) -> np.ndarray:
        """Values of all variables: fixed ones at their value, columns from ``column_values``, others NaN."""
        full = self.fixed.copy()
        full[lp.columns] = np.asarray(column_values, dtype=float)
        return full


class _Rows:
    """COO triples of a block of rows, appended numpy block by numpy block."""

    def __init__(self):
        self.r, self.c, self.v = [], [], []
        self.n = 0
        self.lower, self.upper = [], []

    def add(self, rows, cols, vals) -> None:
        rows, cols = np.broadcast_arrays(np.asarray(rows), np.asarray(cols))
        vals = np.broadcast_to(np.asarray(vals, dtype=float), rows.shape)
        self.r.append(self.n + rows.ravel())
        self.c.append(cols.ravel())
        self.v.append(vals.ravel())

    def close(self, k: int, lower, upper) -> None:
        self.lower.append(np.broadcast_to(np.asarray(lower, dtype=float), (k,)))
        self.upper.append(np.broadcast_to(np.asarray(upper, dtype=float), (k,)))
        self.n += k

    def matrix(self, ncols: int) -> sp.csc_array:
        """The rows as a CSC array (duplicates summed, zeros dropped); the triples are released."""
        cat = lambda parts, dt: np.concatenate(parts).astype(dt, copy=False) if parts else np.zeros(0, dt)
        index = np.int32 if max(self.n, ncols) < 2**31 else np.int64
        M = sp.coo_array((cat(self.v, float), (cat(self.r, index), cat(self.c, index))), shape=(self.n, ncols))
        self.r, self.c, self.v = [], [], []
        M = sp.csc_array(M)
        M.sum_duplicates()
        M.eliminate_zeros()
        return M


def dynamic_rows(p, c: dict, P: list[str], S: list[str]) -> DynamicRows:
    """Rows of the dynamic LP of ``p`` (checked data ``c`` from ``dynamic._check``, labels ``P``, ``S``)."""
    A, B, d, make, years = c["A"], c["B"], c["d"], c["make"], c["years"]
    nq, na, T = c["nq"], c["na"], len(years)
    last, il, L = years[-1], p.input_lag, p.construction_lag
    YB, YX, YC, YK = p.balance_years, p.output_years, p.capacity_years, p.new_capacity_years
    fams: dict[str, Family] = {}
    start = 0
    spec = [("x", S, YX), ("k", S, YK), ("cap", S, YC)]
    if c["s0"] is not None:
        spec.append(("s", P, list(range(YB[0], last + 2))))
    if "emax" in c:
        spec.append(("e", P, YB))
    for key, labels, yrs in spec:
        fams[key] = Family(list(labels), list(yrs), start)
        start += fams[key].size
    nv = start
    lower, upper, fixed = np.zeros(nv), np.full(nv, np.inf), np.full(nv, np.nan)
    x, k, cap = fams["x"], fams["k"], fams["cap"]
    A_all, S_all = np.arange(na), np.arange(nq)
    if il > 0:
        fixed[x.index(A_all, p.base_year)] = c["x0"]
    if p.terminal_capacity_growth is None:
        for y in YK:
            if y > last:
                fixed[k.index(A_all, y)] = 0.0
    if "s" in fams:
        fixed[fams["s"].index(S_all, YB[0])] = c["s0"]
    if "e" in fams:
        e = fams["e"]
        for y in YB:
            if y >= years[0]:
                lower[e.index(S_all, y)] = c["emin"][y - years[0]]
                upper[e.index(S_all, y)] = c["emax"][y - years[0]]
            else:
                upper[e.index(S_all, y)] = 0.0
    if p.terminal_output is not None:
        floor = np.broadcast_to(np.asarray(p.terminal_output, dtype=float), (na,))
        for y in YX:
            if y > last:
                lower[x.index(A_all, y)] = floor

    rows = _Rows()
    blocks: dict[str, tuple[slice, list]] = {}
    zeros = np.zeros(na)
    k_exo = c["k_exo"]

    def knew(y: int, row_idx, a_idx, coef, rhs: np.ndarray) -> None:
        """Terms ``coef · k[a, y]`` of rows ``row_idx``: a variable, or a constant moved into ``rhs``."""
        if y in k.years:
            rows.add(row_idx, k.index(a_idx, y), coef)
        else:
            np.add.at(rhs, row_idx, -np.asarray(coef) * k_exo.get(y, zeros)[a_idx])

    # balance: Σ_make x − A x(y+ℓ) − B k(y+L) + s(y) − s(y+1) − e(y) = d(y)
    A_r, A_c = np.nonzero(A)
    B_r, B_c = np.nonzero(B)
    A_neg, B_neg = -A[A_r, A_c], -B[B_r, B_c]
    top = rows.n
    for y in YB:
        rhs = d[y - years[0]].copy() if y >= years[0] else np.zeros(nq)
        rows.add(make, x.index(A_all, y), 1.0)
        rows.add(A_r, x.index(A_c, y + il), A_neg)
        knew(y + L, B_r, B_c, B_neg, rhs)
        if "s" in fams:
            rows.add(S_all, fams["s"].index(S_all, y), 1.0)
            rows.add(S_all, fams["s"].index(S_all, y + 1), -1.0)
        if "e" in fams:
            rows.add(S_all, fams["e"].index(S_all, y), -1.0)
        rows.close(nq, rhs, rhs)
    blocks["balance"] = (slice(top, rows.n), [(q, y) for y in YB for q in P])

    # capacity law: cap(y) − (1 − δ) cap(y−1) − k(y) = 0, with cap(base) = cap0
    keep = 1.0 - c["delta"]
    top = rows.n
    for y in YC:
        rhs = keep * c["cap0"] if y == years[0] else np.zeros(na)
        rows.add(A_all, cap.index(A_all, y), 1.0)
        if y != years[0]:
            rows.add(A_all, cap.index(A_all, y - 1), -keep)
        knew(y, A_all, A_all, -np.ones(na), rhs)
        rows.close(na, rhs, rhs)
    blocks["capacity_law"] = (slice(top, rows.n), [(a, y) for y in YC for a in S])

    # capacity limit: x(y) − cap(y) ≤ 0
    top = rows.n
    lim_years = [y for y in YC if y in x.years]
    for y in lim_years:
        rows.add(A_all, x.index(A_all, y), 1.0)
        rows.add(A_all, cap.index(A_all, y), -1.0)
        rows.close(na, -np.inf, 0.0)
    blocks["capacity_limit"] = (slice(top, rows.n), [(a, y) for y in lim_years for a in S])

    # resources: use(r, y) = r_o·x(y) + r_k·k(y+λ), limited where a limit is given
    YR = [y for y in YX if y >= years[0]]
    use = _Rows()
    use_const: list[float] = []
    keys, limits = [], []
    for rn, r in p.resources.items():
        ro = np.broadcast_to(np.asarray(r.per_output, dtype=float), (na,))
        rk = None if r.per_new_capacity is None else np.broadcast_to(np.asarray(r.per_new_capacity, float), (na,))
        lim = None if r.limit is None else np.broadcast_to(np.asarray(r.limit, dtype=float), (T,))
        for y in YR:
            nz = np.flatnonzero(ro)
            use.add(np.zeros(len(nz), dtype=int), x.index(nz, y), ro[nz])
            const = 0.0
            if rk is not None and y + r.capacity_lag <= YK[-1]:
                nzk = np.flatnonzero(rk)
                yk = y + r.capacity_lag
                if yk in k.years:
                    use.add(np.zeros(len(nzk), dtype=int), k.index(nzk, yk), rk[nzk])
                else:
                    const = float(rk[nzk] @ k_exo.get(yk, zeros)[nzk])
            use.close(1, 0.0, 0.0)
            use_const.append(const)
            keys.append((rn, y))
            limits.append(np.nan if lim is None else float(lim[min(y - years[0], T - 1)]))
    U = use.matrix(nv)
    top = rows.n
    limited = [i for i, lim in enumerate(limits) if not np.isnan(lim)]
    U = sp.csr_array(U)
    if limited:
        Ul = U[limited].tocoo()
        rows.add(Ul.row, Ul.col, Ul.data)
        rows.close(len(limited), -np.inf, np.array([limits[i] - use_const[i] for i in limited]))
    blocks["resource"] = (slice(top, rows.n), [keys[i] for i in limited])

    # terminal capacity: cap(T+1) − (1 + g) x(T) ≥ 0
    top = rows.n
    if p.terminal_capacity_growth is not None:
        g = float(p.terminal_capacity_growth)
        rows.add(A_all, cap.index(A_all, last + 1), 1.0)
        rows.add(A_all, x.index(A_all, last), -(1.0 + g))
        rows.close(na, 0.0, np.inf)
    blocks["terminal_capacity"] = (slice(top, rows.n), list(S) if p.terminal_capacity_growth is not None else [])

    M = rows.matrix(nv)
    row_lower, row_upper = np.concatenate(rows.lower), np.concatenate(rows.upper)
    is_fixed = ~np.isnan(fixed)
    if is_fixed.any():
        shift = M[:, np.flatnonzero(is_fixed)] @ fixed[is_fixed]
        row_lower, row_upper = row_lower - shift, row_upper - shift
    return DynamicRows(
        families=fams,
        lower=lower,
        upper=upper,
        fixed=fixed,
        matrix=M,
        row_lower=row_lower,
        row_upper=row_upper,
        blocks=blocks,
        use=U,
        use_constant=np.asarray(use_const, dtype=float),
        resource_keys=keys,
        resource_years=YR,
    )
