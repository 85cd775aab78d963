"""What drives the plan? One-at-a-time sensitivity of the 2030 results to each assumption.

:func:`sensitivity` moves each assumption of a scenario — and the table's
coefficients that the scenario takes as given (capital–output ratios,
depreciation rates, CO2 intensities, the local share of intermediate inputs,
external demand) — to the low and then to the high end of a stated range,
everything else held at the scenario's values, re-solves the plan and records
2030 GDP, 2030 and cumulative CO2, the year CO2 peaks and each pillar's 2030
output. The result is ranked by *swing* (the spread of a result over the low,
base and high runs): the tornado diagram of Saltelli et al. (2008, §1.2).

The ranges live in :data:`ASSUMPTIONS`, one :class:`Assumption` each, with the
reason for the range (``basis``). The registry adapts to the scenario it is
given:

* an entry whose scenario field or family does not exist, or is switched off
  (a carbon cap the scenario does not set), is skipped and listed in
  ``frame.attrs["skipped"]`` with the reason;
* a numeric scenario field that no entry covers (a field added after this
  registry was written) is still moved, by a generic ±20 % of its value, and
  labelled ``"generic ±20 % (no stated range)"`` — add an :class:`Assumption`
  to :data:`ASSUMPTIONS` (or pass one in ``assumptions=``) to state its range.

Speed: the right-hand sides of the cap and target families (``budget``,
``carbon_cap``, ``pillar_targets`` …) and the export bounds are mutable in the
built model, so those assumptions are re-solved on one persistent HiGHS model
(warm-started, nothing rebuilt; each change is undone after its solve). Every
other assumption changes coefficients: the model is rebuilt (about 0.06 s on
the 38-sector Xianning table) and handed to HiGHS in one call as a sparse
matrix (:func:`~xn_io.optimize._solver.run_direct`), which is several times
faster than setting up a persistent instance for a single solve.

References
----------
Saltelli, A. et al. (2008). *Global Sensitivity Analysis. The Primer*. Wiley, §1.2
(one-at-a-time designs and tornado diagrams).
Miller, R. E. & Blair, P. D. (2022). *Input–Output Analysis*, 3rd ed., §8.2–8.3
(regional purchase coefficients, location quotients).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pe

from .._frozen import FrozenDict
from ..errors import (
    ArgumentError,
    ArgumentTypeError,
    InfeasibleError,
    ScenarioError,
    SolverError,
    TableError,
    XnIOError,
)
from ._peak import has_peak_level
from ._solver import Status, new_solver, run_direct
from .model import build_model
from .scenario import FAMILIES, Scenario
from .solve import solve_model
from .units import plan_units

__all__ = [
    "Assumption",
    "ASSUMPTIONS",
    "sensitivity",
    "ranking",
    "scale_regional_purchases",
    "METRIC_KINDS",
    "metric_unit",
]

#: Kinds of assumption: how a value is applied.
KINDS = ("field", "family", "table", "model")


@dataclass(frozen=True)
class Assumption:
    """One assumption of :func:`sensitivity` and the range it is moved over.

    Attributes
    ----------
    name : str
        Identifier: the scenario field (``"demand_growth"``), ``"<family>_scale"``
        for a constraint family, or a table hook (``"table.capital"``).
    label : str
        What it is, in a planner's words.
    kind : {"field", "family", "table", "model"}
        ``"field"``: replaces the scenario field ``target``. ``"family"``:
        multiplies the right-hand sides of the constraint family ``target``
        (on the persistent model). ``"table"``: ``apply(table, value)``
        returns a modified table. ``"model"``: ``apply(model, value)`` changes
        a built model in place and returns an undo function (persistent model).
    target : str
        The scenario field or family (``""`` for table and model hooks).
    unit : str
        Unit of the values (``"/yr"`` for yearly rates, ``"×"`` for factors, ``"year"``).
    low, high : float, optional
        Explicit low and high values.
    delta : (float, float), optional
        Or: low and high as the base value plus these offsets.
    factor : (float, float), optional
        Or: low and high as the base value times these factors (for family
        scales and table hooks the base value is 1).
    basis : str
        Why this range: the source, or "assumption" and on what it rests.
    apply : callable, optional
        The hook of ``"table"`` and ``"model"`` assumptions.
    integer : bool
        Round the values (years).
    bounds : (float, float), optional
        Values are clipped into these bounds (e.g. a rate ≥ 0).
    range_from : callable, optional
        ``range_from(table, scenario)`` → ``(low, high, basis)`` from data (e.g.
        the table's metadata), or None to keep the stated range.
    """

    name: str
    label: str
    kind: str
    target: str = ""
    unit: str = ""
    low: float | None = None
    high: float | None = None
    delta: tuple[float, float] | None = None
    factor: tuple[float, float] | None = None
    basis: str = ""
    apply: Callable[..., Any] | None = dataclasses.field(default=None, repr=False, compare=False)
    integer: bool = False
    bounds: tuple[float, float] | None = None
    range_from: Callable[..., Any] | None = dataclasses.field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ScenarioError(
                f"Assumption {self.name!r}: kind must be one of {KINDS}, got {self.kind!r}", field="kind"
            )
        given = [self.low is not None and self.high is not None, self.delta is not None, self.factor is not None]
        if sum(given) != 1:
            raise ScenarioError(
                f"Assumption {self.name!r}: give exactly one of low and high, delta or factor", field=self.name
            )
        if self.kind in ("table", "model") and self.apply is None:
            raise ScenarioError(f"Assumption {self.name!r}: a {self.kind} assumption needs apply=", field=self.name)
        if self.kind in ("field", "family") and not self.target:
            raise ScenarioError(f"Assumption {self.name!r}: a {self.kind} assumption needs target=", field=self.name)

    def values(self, base: float) -> tuple[float, float]:
        """The low and high values around ``base`` (1 for family scales and hooks)."""
        if self.delta is not None:
            lo, hi = base + self.delta[0], base + self.delta[1]
        elif self.factor is not None:
            lo, hi = base * self.factor[0], base * self.factor[1]
        else:
            lo, hi = float(self.low), float(self.high)  # type: ignore[arg-type]
        if self.bounds is not None:
            lo, hi = (min(max(v, self.bounds[0]), self.bounds[1]) for v in (lo, hi))
        if self.integer:
            lo, hi = int(round(lo)), int(round(hi))
        return lo, hi

    @property
    def range_text(self) -> str:
        """The stated range, as written in the registry."""
        if self.delta is not None:
            return f"base {self.delta[0]:+g} / {self.delta[1]:+g}"
        if self.factor is not None:
            return f"base × {self.factor[0]:g} / {self.factor[1]:g}"
        return f"{self.low:g} / {self.high:g}"


# ------------------------------------------------------------------------------ table hooks
FD_FLOOR = 0.1
"""Share of a product's final demand (exports included) that more local buying by other sectors leaves it."""


def scale_regional_purchases(table, factor: float):
    """The table with its local intermediate inputs scaled by ``factor``, the difference bought outside.

    Every intermediate flow ``Z[i, j]`` bought within the region becomes
    ``factor × Z[i, j]``; the change of each buyer's local purchases is taken
    from (or given to) its imports (the rows of ``M`` in proportion), so value
    added and output stay as they are; the change of each product's local
    sales is taken from (or given to) its final demand (all columns in
    proportion). This is what a different regional purchase coefficient does
    to a regionalised table; for Flegg's location quotient, scaling every
    coefficient by ``factor`` is a change of δ by ``ln(factor) / ln(L)`` with
    ``L = log2(1 + R/N)`` where no coefficient is capped at 1 (Flegg & Webber 1997).

    Parameters
    ----------
    table : IOTable
        A table with an imports block ``M``.
    factor : float
        > 0.

    Returns
    -------
    IOTable

    Raises
    ------
    TableError
        No imports block, or a product's final demand is ≤ 0 in the table. (Where more local
        buying would take a product's final demand below ``FD_FLOOR`` of its base value, that
        product's extra local sales stop there.)

    References
    ----------
    Flegg, A. T. & Webber, C. D. (1997). On the appropriate use of location
    quotients in generating regional input–output tables: reply. *Regional
    Studies* 31(8), 795–805.
    Miller, R. E. & Blair, P. D. (2022). *Input–Output Analysis*, 3rd ed., §8.2.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> u = scale_regional_purchases(t, 1.1)
    >>> bool(np.allclose(u.Z, 1.1 * t.Z)), bool(np.allclose(u.x, t.x)), bool(np.allclose(u.V, t.V))
    (True, True, True)
    """
    if not factor > 0:
        raise TableError(f"scale_regional_purchases: factor must be > 0, got {factor}")
    if table.M is None or not len(table.M):
        raise TableError(f"table {table.name!r} has no imports block M: the local share of inputs cannot move")
    Z = table.Z.astype(float)
    M = table.M.astype(float)
    local, m_col = Z.sum(axis=0), M.sum(axis=0)
    # each buyer's local purchases × factor, at most all of its intermediate purchases (imports ≥ 0)
    target = np.minimum(factor * local, local + m_col)
    g = (target / local.where(local > 0, 1.0)).where(local > 0, 1.0)
    Z2 = Z * g
    dz = Z2 - Z
    Y = table.Y.astype(float)
    fd = Y.sum(axis=1)
    if (fd <= 0).any():
        bad = fd[fd <= 0]
        raise TableError(
            f"scale_regional_purchases: product {bad.index[0]!r} has final demand {bad.iloc[0]:.3g} ≤ 0 in the table; "
            "it must be positive to give way to more local sales"
        )
    # a product's extra local sales stop where its final demand (exports included) would fall below
    # FD_FLOOR of what it was: more local buying cannot take more than the product has to sell
    extra = dz.sum(axis=1)
    room = (1 - FD_FLOOR) * fd
    shrink = (room / extra).where(extra > room, 1.0).clip(upper=1.0)
    dz = dz.mul(shrink, axis=0)
    Z2 = Z + dz
    new_m = m_col - dz.sum(axis=0)
    new_fd = fd - dz.sum(axis=1)
    M2 = M.mul((new_m.clip(lower=0.0) / m_col.where(m_col != 0, 1.0)), axis=1)
    Y2 = Y.mul((new_fd / fd), axis=0)
    return table.replace(Z=Z2, Y=Y2, M=M2, x=table.x, V=table.V)


def _delta_range(table, scenario) -> tuple[float, float, str] | None:
    """Local-purchase factors at the ends of the table's own δ range, when its metadata records them."""
    rng = (table.metadata or {}).get("delta_range") or {}
    try:
        mid, lo, hi = (float(rng[k]["local_intermediate_share"]) for k in ("recommended", "low", "high"))
        d_mid, d_lo, d_hi = (float(rng[k]["delta"]) for k in ("recommended", "low", "high"))
    except (KeyError, TypeError, ValueError):
        return None
    if not mid > 0:
        return None
    # a higher δ means fewer local purchases: the "low" end of the factor is the high δ
    basis = (
        f"the table's δ range {d_lo:g}–{d_hi:g} around {d_mid:g} (LQ validation): local share of inputs "
        f"{hi:.0%} / {lo:.0%} against {mid:.0%} when the table is rebuilt at those δ"
    )
    return hi / mid, lo / mid, basis


def _scale_satellite(name: str):
    def hook(table, factor: float):
        if name not in table.satellites:
            raise TableError(f"table {table.name!r} has no {name!r} satellite")
        sat = table.satellites[name]
        sats = dict(table.satellites)
        sats[name] = dataclasses.replace(sat, values=sat.values * factor)
        return table.replace(satellites=sats)

    hook.__name__ = f"scale_{name}"
    return hook


def _scale_depreciation(table, factor: float):
    info = table.sector_info
    if info is None or "depreciation_rate" not in info.columns:
        raise TableError(f"table {table.name!r} has no depreciation_rate in its sector_info")
    info = info.copy()
    info["depreciation_rate"] = (info["depreciation_rate"] * factor).clip(upper=0.99)
    return table.replace(sector_info=info)


def _scale_export_bounds(m, factor: float):
    """Multiply the upper bounds of sales outside the region (the export market limits) by ``factor``.

    A floor above the new bound is lowered to it. Returns the function that restores both bounds.
    """
    e = m.io.e
    saved = {idx: (var.lb, var.ub) for idx, var in e.items() if var.ub is not None}
    if not saved:
        raise ScenarioError("the model has no export market bounds (family 'exports' is off)", field="exports")
    for idx, (lb, ub) in saved.items():
        e[idx].setub(ub * factor)
        if lb is not None and lb > ub * factor:
            e[idx].setlb(ub * factor)

    def undo() -> None:
        for idx, (lb, ub) in saved.items():
            e[idx].setlb(lb)
            e[idx].setub(ub)

    return undo


_RATE = "/yr"

#: The registry: every assumption :func:`sensitivity` moves, with its range and the basis of that range.
ASSUMPTIONS: tuple[Assumption, ...] = (
    # ---- the economy
    Assumption(
        "demand_growth",
        "local final demand growth",
        "field",
        "demand_growth",
        _RATE,
        delta=(-0.02, 0.02),
        basis="plan: GDP 'about 6 %' a year (targets.csv gdp_growth); ±2 points, assumption",
    ),
    Assumption(
        "market_share_gain",
        "market share gain outside the region",
        "field",
        "market_share_gain",
        _RATE,
        delta=(-0.01, 0.02),
        basis="assumption: from losing 1 point of market share a year to gaining 2, in every market outside",
    ),
    Assumption(
        "export_growth_max",
        "export growth cap",
        "field",
        "export_growth_max",
        _RATE,
        delta=(-0.02, 0.02),
        basis="assumption (8 %, for products without market data): ±2 points",
    ),
    Assumption(
        "external_demand",
        "external demand",
        "model",
        unit="×",
        factor=(0.9, 1.1),
        apply=_scale_export_bounds,
        basis="assumption: every sector's market outside the region ±10 %",
    ),
    Assumption(
        "export_floor",
        "floor on sales outside",
        "field",
        "export_floor",
        "×",
        delta=(-0.1, 0.0),
        bounds=(0.0, math.inf),
        basis="assumption: existing customers keep 90–100 %",
    ),
    Assumption(
        "growth_max",
        "sector output growth cap",
        "field",
        "growth_max",
        _RATE,
        delta=(-0.10, 0.10),
        bounds=(0.0, math.inf),
        basis="assumption (30 %/yr in the baseline): ±10 points",
    ),
    Assumption(
        "decline_max",
        "sector output decline cap",
        "field",
        "decline_max",
        _RATE,
        delta=(-0.05, 0.05),
        bounds=(0.0, 0.99),
        basis="assumption (15 %/yr in the baseline): ±5 points",
    ),
    Assumption(
        "price_growth",
        "GDP deflator growth",
        "field",
        "price_growth",
        _RATE,
        delta=(0.0, 0.02),
        basis="assumption: the plan's nominal targets deflated at 0 to +2 %/yr more than the scenario",
    ),
    Assumption(
        "discount_rate",
        "discount rate",
        "field",
        "discount_rate",
        _RATE,
        delta=(-0.02, 0.02),
        bounds=(0.0, math.inf),
        basis="assumption (5 % in the baseline): ±2 points",
    ),
    # ---- investment and capacity
    Assumption(
        "budget_scale",
        "investment budget",
        "family",
        "budget",
        "×",
        factor=(0.9, 1.2),
        basis="assumption: fixed-asset investment −10 %/+20 % around the scenario's path (at −20 % the first "
        "year's budget no longer covers replacement and demand growth)",
    ),
    Assumption(
        "budget_growth",
        "investment budget growth",
        "field",
        "budget_growth",
        _RATE,
        delta=(-0.03, 0.03),
        basis="plan: investment growth in line with GDP (6 %); ±3 points, assumption",
    ),
    Assumption(
        "table.capital",
        "capital–output ratios",
        "table",
        unit="×",
        factor=(0.8, 1.2),
        apply=_scale_satellite("capital"),
        basis="table estimate; ±20 % as in the Monte Carlo (Perturbation.capital)",
    ),
    Assumption(
        "table.depreciation",
        "depreciation rates",
        "table",
        unit="×",
        factor=(0.8, 1.2),
        apply=_scale_depreciation,
        basis="table estimate by sector (sectors.csv); ±20 %, assumption",
    ),
    Assumption(
        "depreciation",
        "default depreciation rate",
        "field",
        "depreciation",
        _RATE,
        delta=(-0.01, 0.01),
        bounds=(0.0, 0.99),
        basis="assumption (5 %/yr)",
    ),
    Assumption(
        "spare_capacity",
        "base-year spare capacity",
        "field",
        "spare_capacity",
        "share",
        delta=(0.0, 0.10),
        basis="assumption (none in the baseline): up to 10 % idle capacity in 2025",
    ),
    Assumption(
        "terminal_growth",
        "capacity left for after 2030",
        "field",
        "terminal_growth",
        _RATE,
        delta=(-0.03, 0.03),
        bounds=(0.0, math.inf),
        basis="assumption (6 %, the plan's growth): ±3 points",
    ),
    Assumption(
        "utilisation_floor",
        "least capacity use (no idle builds)",
        "field",
        "utilisation_floor",
        "share",
        delta=(-0.1, 0.1),
        bounds=(0.0, 0.9),
        basis="assumption (80 %): ±10 points, at most 90 %",
    ),
    Assumption(
        "new_energy_site_limit",
        "new-energy sites and grid",
        "field",
        "new_energy_site_limit",
        "万kW",
        factor=(0.8, 1.2),
        basis="plan's 500万kW programme taken as the site limit; ±20 %, assumption",
    ),
    # ---- the table's structure
    Assumption(
        "table.regional_purchases",
        "local share of inputs",
        "table",
        unit="×",
        factor=(0.8, 1.2),
        apply=scale_regional_purchases,
        range_from=_delta_range,
        basis="the δ of the location quotient is uncertain: ±20 % of local purchases where the table "
        "records no δ range (at FLQ δ = 0.3, λ* = 0.158 that is δ ∓ 0.03)",
    ),
    # ---- carbon and energy
    Assumption(
        "co2_efficiency",
        "CO2 efficiency gain",
        "field",
        "co2_efficiency",
        _RATE,
        delta=(-0.01, 0.01),
        basis="assumption (2 %/yr): ±1 point",
    ),
    Assumption(
        "table.co2",
        "CO2 intensities",
        "table",
        unit="×",
        factor=(0.85, 1.15),
        apply=_scale_satellite("co2"),
        basis="estimate anchored on CEADs; ±15 % as in the Monte Carlo",
    ),
    Assumption(
        "carbon_peak_year",
        "carbon peak year",
        "field",
        "carbon_peak_year",
        "year",
        delta=(-1, 1),
        integer=True,
        basis="plan: peak before 2030; one year either side",
    ),
    Assumption(
        "carbon_cap_scale",
        "carbon caps",
        "family",
        "carbon_cap",
        "×",
        factor=(0.9, 1.1),
        basis="assumption: the scenario's caps ±10 %",
    ),
    Assumption(
        "energy_cap_scale",
        "energy caps",
        "family",
        "energy_cap",
        "×",
        factor=(0.9, 1.1),
        basis="assumption: the scenario's caps ±10 %",
    ),
    Assumption(
        "energy_efficiency",
        "energy efficiency gain",
        "field",
        "energy_efficiency",
        _RATE,
        delta=(-0.01, 0.01),
        basis="assumption (2 %/yr): ±1 point",
    ),
    Assumption(
        "carbon_intensity_scale",
        "CO2-per-GDP limit",
        "family",
        "carbon_intensity",
        "×",
        factor=(0.9, 1.1),
        basis="assumption: the scenario's limit ±10 %",
    ),
    # ---- targets
    Assumption(
        "gdp_target_scale",
        "GDP target",
        "family",
        "gdp_target",
        "×",
        factor=(0.9, 1.1),
        basis="the scenario's GDP target ±10 % (Xianning plan: 3000亿元 in 2030)",
    ),
    Assumption(
        "pillar_targets_scale",
        "pillar targets",
        "family",
        "pillar_targets",
        "×",
        factor=(0.8, 1.2),
        basis="the scenario's pillar targets ±20 % (Xianning plan: 1000亿元 each, tourism 500)",
    ),
    Assumption(
        "new_energy_scale",
        "new-energy target",
        "family",
        "new_energy",
        "×",
        factor=(0.8, 1.2),
        basis="the scenario's new-energy target ±20 % (Xianning plan: 500万kW)",
    ),
    Assumption(
        "labour_scale",
        "employment limits",
        "family",
        "labour",
        "×",
        factor=(0.9, 1.1),
        basis="assumption: the scenario's limits ±10 %",
    ),
    Assumption(
        "labour_productivity_growth",
        "labour productivity growth",
        "field",
        "labour_productivity_growth",
        _RATE,
        delta=(-0.02, 0.02),
        basis="targets.csv: 6.4 % in 2024; ±2 points",
    ),
)

# Fields that are not assumptions to move (identity, years, switches, units) — everything else numeric is.
_NOT_MOVED = {"name", "description", "first_year", "last_year", "objective", "target_mode", "co2_unit", "energy_unit"}
# Fields moved through a family scale of the registry (the right-hand sides they set).
_COVERED_BY_FAMILY = {"gdp_target", "new_energy_target", "co2_intensity_cut", "gdp_floor", "base_investment"}
# Field assumptions that matter only when a family is on.
_NEEDS_FAMILY = {
    "labour_productivity_growth": "labour",
    "energy_efficiency": "energy_cap",
    "carbon_peak_year": "carbon_peak",
    "export_growth_max": "exports",
    "market_share_gain": "exports",
    "export_floor": "exports",
    "growth_max": "growth_bounds",
    "decline_max": "growth_bounds",
    "terminal_growth": "terminal",
}
_GENERIC = (0.8, 1.2)

#: What each result measures: a kind of unit of :func:`~xn_io.optimize.units.plan_units` (the table's
#: money or CO2 unit), or ``"year"``. ``gdp`` stands for ``gdp_<year>``, ``co2`` for ``co2_<year>``
#: and ``pillar`` for ``pillar_<name>``.
METRIC_KINDS = FrozenDict(gdp="money", co2="co2", cumulative_co2="co2", co2_peak_year="year", pillar="money")


# ------------------------------------------------------------------------------ runner
def _metrics(m) -> dict[str, float]:
    """The results of a solved plan model, read from its expressions (as :class:`Plan` would report them)."""
    d = m.xn_data
    last = d.last_year
    co2 = {d.base_year: d.co2_0, **{y: pe.value(m.co2[y]) for y in d.years}}
    top = max(co2.values())
    peak = next(y for y, v in co2.items() if v >= top - 1e-6 * max(1.0, abs(top)))
    out = {
        f"gdp_{last}": float(pe.value(m.gdp[last])),
        f"co2_{last}": float(co2[last]),
        "cumulative_co2": float(sum(co2[y] for y in d.years)),
        "co2_peak_year": float(peak),
    }
    for pillar in m.PILLARS:
        out[f"pillar_{pillar}"] = float(pe.value(m.pillar_output[pillar]))
    return out


def metric_unit(metric: str, units: Mapping[str, str]) -> str:
    """The unit of a result of :func:`sensitivity`, in a plan's units (:func:`~xn_io.optimize.units.plan_units`).

    Parameters
    ----------
    metric : str
        ``gdp_<year>``, ``co2_<year>``, ``cumulative_co2``, ``co2_peak_year`` or ``pillar_<name>``.
    units : mapping
        The units of the plan's table, as :func:`~xn_io.optimize.units.plan_units` gives them.

    Raises
    ------
    ArgumentError
        An unknown metric.

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize.units import plan_units
    >>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], unit="USD million",
    ...                               satellites={"co2": ([30.0, 10.0], "kt")})
    >>> u = plan_units(t)
    >>> metric_unit("gdp_2030", u), metric_unit("cumulative_co2", u), metric_unit("co2_peak_year", u)
    ('USD million', 'kt', 'year')
    """
    if metric in METRIC_KINDS:
        kind = METRIC_KINDS[metric]
    else:
        head, _, tail = metric.partition("_")
        if head not in ("gdp", "co2", "pillar") or not tail:
            raise ArgumentError(
                f"metric {metric!r} is not one of {sorted(METRIC_KINDS)} (gdp/co2_<year>, pillar_<name>)",
                argument="metric",
            )
        kind = METRIC_KINDS[head]
    return "year" if kind == "year" else str(units[kind])


def _solve_built(m, solver, *, time_limit: float | None = None) -> tuple[str, dict[str, float] | None, str]:
    """Solve on the persistent ``solver``, or (``solver`` None) a fresh model in one hand-over to highspy."""
    if solver is not None:
        out = solve_model(m, solver)
    elif has_peak_level(m):  # the peak level is settled by re-solves: those go through a persistent solver
        out = solve_model(m, new_solver(time_limit=time_limit))
    else:
        out = run_direct(m, time_limit=time_limit)
    if not out.status.ok:
        return out.status.value, None, out.message
    return out.status.value, _metrics(m), ""


def _field_base(scenario: Scenario, a: Assumption) -> Any:
    return getattr(scenario, a.target)


def _generic(scenario: Scenario, covered: set[str]) -> list[Assumption]:
    out = []
    for f in dataclasses.fields(scenario):
        if f.name in covered or f.name in _NOT_MOVED or f.name in _COVERED_BY_FAMILY:
            continue
        value = getattr(scenario, f.name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value == 0:
            continue
        out.append(
            Assumption(
                f.name,
                f.name.replace("_", " "),
                "field",
                f.name,
                "",
                factor=_GENERIC,
                integer=isinstance(value, int),
                basis="generic ±20 % (no stated range)",
            )
        )
    return out


def _plan_of(assumptions, scenario: Scenario, table) -> tuple[list[tuple[Assumption, Any]], list[tuple[str, str]]]:
    """Which assumptions apply to this scenario and table, with their base values; the rest with a reason."""
    fields = {f.name for f in dataclasses.fields(scenario)}
    todo, skipped = [], []
    for a in assumptions:
        if a.range_from is not None:
            stated = a.range_from(table, scenario)
            if stated is not None:
                a = dataclasses.replace(a, low=stated[0], high=stated[1], delta=None, factor=None, basis=stated[2])
        if a.kind == "field":
            if a.target not in fields:
                skipped.append((a.name, f"the scenario has no field {a.target!r}"))
                continue
            base = _field_base(scenario, a)
            if base is None or isinstance(base, (bool, dict, list)):
                skipped.append((a.name, f"{a.target} is {base!r} in this scenario (not a number to move)"))
                continue
            info = table.sector_info
            if (
                a.target == "depreciation"
                and info is not None
                and "depreciation_rate" in info.columns
                and info["depreciation_rate"].notna().all()
            ):
                skipped.append((a.name, "the table gives every sector's depreciation rate (see table.depreciation)"))
                continue
            fam = _NEEDS_FAMILY.get(a.target)
            if fam is not None and fam in FAMILIES and not scenario.family_on(fam):
                skipped.append((a.name, f"family {fam!r} is off in this scenario, so {a.target} changes nothing"))
                continue
            todo.append((a, base))
        elif a.kind == "family":
            if a.target not in FAMILIES:
                skipped.append((a.name, f"{a.target!r} is not a constraint family"))
                continue
            if not scenario.family_on(a.target):
                skipped.append((a.name, f"family {a.target!r} is off in this scenario"))
                continue
            todo.append((a, float(scenario.family_scale.get(a.target, 1.0))))
        elif a.kind == "table":
            try:
                a.apply(table, 1.0)
            except XnIOError as exc:
                skipped.append((a.name, f"does not apply to table {table.name!r}: {exc}"))
                continue
            todo.append((a, 1.0))
        else:
            todo.append((a, 1.0))
    return todo, skipped


def sensitivity(
    table,
    scenario: Scenario | None = None,
    *,
    assumptions: Iterable[Assumption | str] | None = None,
    generic: bool = True,
    time_limit: float | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> pd.DataFrame:
    """One-at-a-time sensitivity of the plan's 2030 results to each assumption, ranked by swing.

    Parameters
    ----------
    table : IOTable
    scenario : Scenario, optional
        The base case (default ``Scenario()``, the shipped baseline).
    assumptions : iterable of Assumption or str, optional
        What to move: :class:`Assumption` objects, or names of entries of
        :data:`ASSUMPTIONS`. Default: the whole registry (entries that do not
        apply to the scenario are skipped, with the reason in
        ``attrs["skipped"]``).
    generic : bool
        Also move the numeric scenario fields no entry covers, by ±20 % of
        their value (only with the default registry). Default True.
    time_limit : float, optional
        Seconds allowed to HiGHS per solve.
    progress : callable, optional
        Wraps the sequence of runs, e.g. ``tqdm.tqdm``.

    Returns
    -------
    DataFrame
        Tidy: one row per assumption and result, ranked by ``swing`` within
        each result (the largest first). Columns: ``metric`` (``gdp_2030``,
        ``co2_2030``, ``cumulative_co2``, ``co2_peak_year``, ``pillar_<name>``),
        ``metric_unit``, ``rank``, ``assumption``, ``label``, ``kind``,
        ``unit`` (of the assumption's values), ``base_value``, ``low_value``,
        ``high_value``, ``base`` (the result in the base case), ``at_low``,
        ``at_high`` (NaN where that run is not optimal), ``status_low``,
        ``status_high`` (``"optimal"``, ``"infeasible"``, …, or ``"invalid"``
        when the value is refused by the scenario or the table, with the
        reason in ``note``), ``swing`` (max − min of base, low and high, over
        the runs that solved), ``basis`` (why this range) and ``note``.
        ``attrs`` holds ``base`` (the base results), ``skipped`` (assumption,
        reason), ``scenario``, ``table``, ``n_solves`` and ``seconds``.

    Raises
    ------
    InfeasibleError
        The base scenario itself is infeasible (nothing to compare with).
    SolverError
        The base solve fails otherwise.
    ScenarioError
        An unknown assumption name, or a scenario that does not fit the table.

    References
    ----------
    Saltelli, A. et al. (2008). *Global Sensitivity Analysis. The Primer*, §1.2.

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario, sensitivity
    >>> t = xn_io.load_table("xianning-2025")
    >>> df = sensitivity(t, Scenario(), assumptions=["budget_scale", "demand_growth"])
    >>> gdp = df[df["metric"] == "gdp_2030"]
    >>> list(gdp.columns[:4]), len(gdp), gdp["metric_unit"].iloc[0]
    (['metric', 'metric_unit', 'rank', 'assumption'], 2, '亿元')
    >>> bool((gdp["swing"].diff().dropna() <= 0).all())       # ranked by swing
    True
    >>> row = gdp.set_index("assumption").loc["budget_scale"]
    >>> bool(row["at_low"] <= row["base"] + 1e-6 <= row["at_high"] + 2e-6)   # more budget never lowers GDP
    True
    """
    scenario = scenario if scenario is not None else Scenario()
    if not isinstance(scenario, Scenario):
        raise ArgumentTypeError(f"scenario must be a Scenario, got {type(scenario).__name__}", argument="scenario")
    registry = {a.name: a for a in ASSUMPTIONS}
    if assumptions is None:
        chosen = list(ASSUMPTIONS)
        if generic:
            covered = {a.target for a in ASSUMPTIONS if a.kind == "field"}
            chosen += _generic(scenario, covered)
    else:
        chosen = []
        for a in assumptions:
            if isinstance(a, str):
                if a not in registry:
                    raise ScenarioError(f"no assumption {a!r} in the registry ({', '.join(registry)})", field=a)
                a = registry[a]
            elif not isinstance(a, Assumption):
                raise ArgumentTypeError(
                    f"assumptions: give Assumption objects or names, got {a!r}", argument="assumptions"
                )
            chosen.append(a)
    todo, skipped = _plan_of(chosen, scenario, table)

    start = time.perf_counter()
    m = build_model(table, scenario)
    solver = new_solver(time_limit=time_limit)
    status, base, message = _solve_built(m, solver)
    n_solves = 1
    if base is None:
        if status in (Status.INFEASIBLE.value, Status.INFEASIBLE_OR_UNBOUNDED.value):
            from .diagnose import diagnose

            diagnosis = diagnose(table, scenario)
            raise InfeasibleError(
                f"scenario {scenario.name!r} is infeasible, so there is no base case to vary: {diagnosis.message}",
                diagnosis=diagnosis,
            )
        raise SolverError(f"scenario {scenario.name!r}: the base solve ended {status} ({message})")

    runs = [(a, b, side) for a, b in todo for side in ("low", "high")]
    results: dict[tuple[str, str], tuple[Any, str, dict | None, str]] = {}
    for a, b, side in runs if progress is None else progress(runs):
        value = a.values(b)[0 if side == "low" else 1]
        if value == b:
            results[(a.name, side)] = (value, "optimal", base, "")  # the base case itself
            continue
        try:
            status, metrics, note = _run_one(a, value, b, table, scenario, m, solver, time_limit)
            n_solves += 1
        except (ScenarioError, TableError) as exc:
            status, metrics, note = "invalid", None, str(exc)
        results[(a.name, side)] = (value, status, metrics, note)

    rows = []
    units = plan_units(table, scenario)
    for a, b in todo:
        lo_v, lo_s, lo_m, lo_n = results[(a.name, "low")]
        hi_v, hi_s, hi_m, hi_n = results[(a.name, "high")]
        note = "; ".join(f"{side}: {n}" for side, n in (("low", lo_n), ("high", hi_n)) if n)
        for metric, base_value in base.items():
            at_low = lo_m[metric] if lo_m is not None else np.nan
            at_high = hi_m[metric] if hi_m is not None else np.nan
            vals = [v for v in (base_value, at_low, at_high) if np.isfinite(v)]
            rows.append(
                {
                    "metric": metric,
                    "metric_unit": metric_unit(metric, units),
                    "assumption": a.name,
                    "label": a.label,
                    "kind": a.kind,
                    "unit": a.unit,
                    "base_value": b,
                    "low_value": lo_v,
                    "high_value": hi_v,
                    "base": base_value,
                    "at_low": at_low,
                    "at_high": at_high,
                    "status_low": lo_s,
                    "status_high": hi_s,
                    "swing": max(vals) - min(vals),
                    "basis": a.basis,
                    "note": note,
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "metric",
            "metric_unit",
            "assumption",
            "label",
            "kind",
            "unit",
            "base_value",
            "low_value",
            "high_value",
            "base",
            "at_low",
            "at_high",
            "status_low",
            "status_high",
            "swing",
            "basis",
            "note",
        ],
    )
    order = {metric: k for k, metric in enumerate(base)}
    frame["_m"] = frame["metric"].map(order)
    # ties (and swings below solver noise) keep the registry order
    frame["_s"] = frame["swing"].where(frame["swing"] > 1e-6 * frame["base"].abs().clip(lower=1.0), 0.0)
    frame = frame.sort_values(["_m", "_s"], ascending=[True, False], kind="stable").drop(columns=["_m", "_s"])
    frame.insert(2, "rank", frame.groupby("metric", sort=False).cumcount() + 1)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(
        base=base,
        skipped=skipped,
        scenario=scenario.name,
        table=table.name,
        n_solves=n_solves,
        seconds=time.perf_counter() - start,
    )
    return frame


def _run_one(a: Assumption, value, base, table, scenario: Scenario, m, solver, time_limit):
    """Solve with one assumption at ``value``: on the persistent model when it is mutable, else rebuilt."""
    if a.kind == "family":
        blk = getattr(m, a.target)
        saved = {k: blk.level[k].value for k in blk.level}
        try:
            for k, v in saved.items():
                blk.level[k] = v * value / base
            return _solve_built(m, solver)
        finally:
            for k, v in saved.items():
                blk.level[k] = v
    if a.kind == "model":
        assert a.apply is not None, "Assumption.__post_init__ requires apply= for a model assumption"
        undo = a.apply(m, value)
        try:
            return _solve_built(m, solver)
        finally:
            undo()
    if a.kind == "field":
        s2, t2 = scenario.replace(**{a.target: value}), table
    else:
        assert a.apply is not None, "Assumption.__post_init__ requires apply= for a table assumption"
        s2, t2 = scenario, a.apply(table, value)
    try:
        m2 = build_model(t2, s2)
    except XnIOError as exc:
        return "invalid", None, str(exc)
    return _solve_built(m2, None, time_limit=time_limit)


def ranking(frame: pd.DataFrame, metric: str, *, top: int | None = None) -> pd.DataFrame:
    """The rows of one result of a :func:`sensitivity` frame, largest swing first."""
    out = frame[frame["metric"] == metric]
    if out.empty:
        raise ArgumentError(
            f"no result {metric!r} in the frame (have {sorted(set(frame['metric']))})", argument="metric"
        )
    return out if top is None else out.head(top)
