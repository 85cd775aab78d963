"""The plan model: the dynamic Leontief block plus the plan's constraint families, in Pyomo.

``build_model(table, scenario)`` returns a ``ConcreteModel`` to inspect or extend:

* ``m.io`` — the dynamic Leontief block (:func:`~xn_io.optimize.add_dynamic_leontief`):
  products (rival electricity technologies merged into one product), sectors,
  output ``x``, new capacity ``k``, capacity ``cap``, exports ``e`` (the
  surplus of the balance, bounded by market absorption), constraints
  ``balance``, ``capacity_law``, ``capacity_limit``, ``terminal_capacity``;
* expressions ``gdp[y]``, ``investment[s, y]``, ``total_investment[y]``,
  ``co2[y]``, ``energy[y]``, ``employment[y]``, ``pillar_output[p]``,
  ``new_energy_capacity``;
* one block per constraint family, each holding mutable parameters and a
  constraint ``con``: ``budget``, ``growth_bounds``, ``energy_cap``,
  ``carbon_cap``, ``carbon_peak``, ``carbon_budget``, ``carbon_intensity``, ``gdp_target``,
  ``pillar_targets``, ``new_energy``, ``labour``, ``gdp_floor``; ``utilisation``
  (the floor on capacity use, a mutable ``floor`` per sector). A family
  switched off in the scenario is not built; ``block.deactivate()`` switches
  one off in a built model;
* ``shortfall[t]`` of each target (fixed at 0 when targets are hard);
* ``objective_value`` (the objective's own value: GDP, investment or CO2),
  ``shortfall_penalty`` (Σ weight × shortfall of the soft targets, weights in
  the mutable ``shortfall_weight[t]``) and ``objective`` = value ∓ penalty.

The derived data (coefficients, base values, units) are in ``m.xn_data``
(:class:`PlanData`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyomo.environ as pe
from pyomo.core.expr.numeric_expr import LinearExpression

from ..errors import ScenarioError, TableError, UnitError
from ._peak import add_peak_rule
from ._satellites import satellite_path
from ._solver import no_gc
from .dynamic import DynamicLeontief, add_dynamic_leontief
from .scenario import OBJECTIVES, Scenario
from .units import check_preset_money, check_units

__all__ = ["PlanData", "plan_data", "build_model", "for_table"]

#: Objective units given up per unit of investment beyond the spending's own value added: among plans
#: of equal value the one that invests less is optimal (no capacity built that is not needed).
INVESTMENT_TIE_BREAK = 0.01


@dataclass(frozen=True)
class PlanData:
    """Coefficients and base-year values the plan model is built from (all labelled)."""

    scenario: Scenario
    table_name: str
    base_year: int
    years: list
    sectors: list
    products: list
    make: pd.Series  # product of each sector
    A: pd.DataFrame  # products × sectors
    B: pd.DataFrame  # products × sectors, per unit of new capacity
    invest_mix: pd.Series  # local goods bought per 亿元 of investment, by product
    investment_va: float  # value added per 亿元 of investment spending itself (deducted by the GDP objectives)
    x0: pd.Series
    v: pd.Series  # value added per unit of output
    kappa: pd.Series  # capital per unit of capacity (亿元 per 亿元/yr)
    delta: pd.Series
    demand: pd.DataFrame  # exogenous local final demand, years × products
    exports0: pd.Series
    exports_max: pd.DataFrame  # years × products
    new_capacity_first_year: pd.Series  # replacement of base-year capacity (fixed)
    first_year_expansion: float  # base-year investment left to expand first-year capacity (allocated by the model)
    co2: pd.DataFrame  # years × sectors, per unit of output
    co2_households: pd.Series  # by year
    energy: pd.DataFrame
    energy_households: pd.Series
    employment: pd.DataFrame
    co2_per0: pd.Series  # base-year CO2 per unit of output
    energy_per0: pd.Series
    employment_per0: pd.Series
    must_run: list  # technologies run at availability
    fixed_output: pd.Series  # sector → output in every plan year (dispatch by assumption)
    maintained: list  # sectors whose capacity is kept, not expanded
    budget: pd.Series  # by year
    other_investment: pd.Series  # by year: fixed investment that builds no sector capacity (exogenous)
    gdp0: float
    co2_0: float
    energy_0: float
    deflator: float  # (1 + price_growth) ** years: current-price targets ÷ this = base prices
    pillars: pd.DataFrame  # sector, pillar, share

    @property
    def last_year(self) -> int:
        return self.years[-1]


# Fields whose defaults (the Xianning preset) name sectors or pillars of the xianning-2025 table.
_NAMED_FIELDS = (
    "no_new_capacity",
    "new_energy_sectors",
    "kw_per_output",
    "sector_co2_efficiency",
    "sector_energy_efficiency",
    "process_co2_share",
    "fixed_output",
    "pillar_targets",
)


def for_table(scenario: Scenario, table) -> Scenario:
    """The scenario as it applies to ``table``: default entries naming sectors or pillars the table lacks dropped.

    The defaults of :class:`Scenario` are the Xianning preset (coal power dispatched as in
    2025, hydro without new sites, the plan's pillars…). On another table, the entries of
    a field *left at its default* that name sectors (or pillars) the table does not have
    are dropped, so ``Scenario()`` works on any table; a field the user set is checked
    strictly by :func:`plan_data` and an unknown name is an error.

    Examples
    --------
    >>> import xn_io
    >>> s = for_table(Scenario(), xn_io.load_table("china-2020-42"))
    >>> s.fixed_output, s.no_new_capacity, s.pillar_targets, s.first_year, s.family_on("gdp_target")
    ({}, (), {}, 2021, False)
    """
    defaults = Scenario()
    sectors = set(table.sectors)
    pillars = set() if table.pillars is None else set(table.pillars["pillar"])
    changes: dict = {}
    # plan years follow the table's base year when left at their defaults (and nothing is keyed by year)
    years_default = (scenario.first_year, scenario.last_year) == (defaults.first_year, defaults.last_year)
    keyed = any(
        getattr(scenario, f) for f in ("budget", "carbon_caps", "energy_caps", "labour_limit", "carbon_peak_allowance")
    )
    if table.year is not None and years_default and not keyed and int(table.year) + 1 != scenario.first_year:
        shift = int(table.year) + 1 - scenario.first_year
        changes.update(first_year=scenario.first_year + shift, last_year=scenario.last_year + shift)
        peak_year = scenario.carbon_peak_year
        if peak_year is not None and peak_year == defaults.carbon_peak_year:
            changes["carbon_peak_year"] = peak_year + shift
    # the preset's own table has every sector its defaults name; on another table its scalar targets
    # (GDP 3000亿元 in 2030) mean nothing, so the GDP target is off unless the user set one
    named = {k for f in _NAMED_FIELDS if f != "pillar_targets" for k in getattr(defaults, f)}
    if not named <= sectors and scenario.gdp_target == defaults.gdp_target and "gdp_target" not in scenario.families:
        changes["families"] = {**scenario.families, "gdp_target": False}
    for name in _NAMED_FIELDS:
        value = getattr(scenario, name)
        if value != getattr(defaults, name):
            continue
        known = pillars if name == "pillar_targets" else sectors
        kept = (
            {k: v for k, v in value.items() if k in known}
            if isinstance(value, dict)
            else [k for k in value if k in known]
        )
        if len(kept) != len(value):
            changes[name] = kept
    return scenario.replace(**changes) if changes else scenario


def plan_data(table, scenario: Scenario) -> PlanData:
    """Derive every coefficient of the plan model from ``table`` and ``scenario``.

    Raises
    ------
    ScenarioError
        A field that does not fit the table (pillar, sector, base year, or caps
        in another unit than the table's satellite), or the Xianning preset's
        亿元 figures on a table in another money unit.
    TableError
        The table lacks what the model needs: a "gfcf" final-demand column
        (investment), and capital per unit of output from a "capital"
        satellite, a "depreciation" row of value added or the scenario's
        ``capital_output_ratio``. A :class:`~xn_io.errors.UnitError` when the
        capital satellite is not in the table's money unit.

    Examples
    --------
    >>> import xn_io
    >>> d = plan_data(xn_io.load_table("xianning-2025"), Scenario())
    >>> d.base_year, d.years[-1], round(d.gdp0, 1), d.make["power_solar"]
    (2025, 2030, 2000.0, 'electricity')
    """
    s = for_table(scenario, table)
    check_units(table, s)  # caps, allowances and budgets in another unit than the table's: an error
    check_preset_money(table, s)  # the preset's 亿元 figures on a table in another money unit: an error
    sectors = list(table.sectors)
    base = int(table.year) if table.year is not None else s.first_year - 1
    if s.first_year != base + 1:
        raise ScenarioError(f"first_year {s.first_year} must follow the table's base year {base}", field="first_year")
    years = s.years
    if "gfcf" not in table.Y.columns:
        raise TableError(f"the plan model needs a 'gfcf' final-demand column; the table has {list(table.Y.columns)}")
    # products: each technology group is one product, other sectors their own
    make = pd.Series(sectors, index=sectors, dtype=object)
    for product, techs in (table.technologies or {}).items():
        make[list(techs)] = product
    products = list(dict.fromkeys(make.tolist()))
    agg = pd.DataFrame(0.0, index=products, columns=sectors)
    for sec in sectors:
        agg.loc[make[sec], sec] = 1.0
    A = agg @ table.A
    x0 = table.x.astype(float)
    for name, sec_list in (("no_new_capacity", s.no_new_capacity), ("new_energy_sectors", s.new_energy_sectors)):
        for sec in sec_list:
            if sec not in sectors:
                raise ScenarioError(f"{name}: the table has no sector {sec!r}", field=f"{name}.{sec}")
    for name in (
        "sector_utilisation_floor",
        "sector_co2_efficiency",
        "sector_energy_efficiency",
        "process_co2_share",
        "fixed_output",
    ):
        for sec in getattr(s, name):
            if sec not in sectors:
                raise ScenarioError(f"{name}: the table has no sector {sec!r}", field=f"{name}.{sec}")
    for sec in s.must_run or []:
        if sec not in sectors:
            raise ScenarioError(f"must_run: the table has no sector {sec!r}", field=f"must_run.{sec}")
    for sec, share in s.fixed_output.items():
        if share > 1 + s.spare_capacity + 1e-12:
            raise ScenarioError(
                f"fixed_output.{sec} = {share} exceeds its maintained capacity ({1 + s.spare_capacity:g} × base output)",
                field=f"fixed_output.{sec}",
            )
    for sec in s.sector_growth_max:
        if sec not in sectors:
            raise ScenarioError(f"sector_growth_max: the table has no sector {sec!r}", field=f"sector_growth_max.{sec}")
    for sec in s.kw_per_output:
        if sec not in sectors:
            raise ScenarioError(f"kw_per_output: the table has no sector {sec!r}", field=f"kw_per_output.{sec}")
    for pillar in s.pillar_targets:
        if table.pillars is None or pillar not in set(table.pillars["pillar"]):
            have = [] if table.pillars is None else sorted(set(table.pillars["pillar"]))
            raise ScenarioError(
                f"pillar_targets: the table has no pillar {pillar!r} (it has {have})", field=f"pillar_targets.{pillar}"
            )
    for product in s.export_growth:
        if product not in products:
            raise ScenarioError(f"export_growth: no product {product!r}", field=f"export_growth.{product}")
    # capital and depreciation: the capital satellite, else the stated ratio, else the capital stock implied by
    # the depreciation row of value added (depreciation ÷ rate, as the xianning-2025 build estimates it)
    info = table.sector_info
    delta = pd.Series(s.depreciation, index=sectors, dtype=float)
    if info is not None and "depreciation_rate" in info.columns:
        delta = info["depreciation_rate"].reindex(sectors).fillna(s.depreciation).astype(float)
    if "capital" in table.satellites:
        capital_unit = table.satellites["capital"].unit
        if capital_unit != table.unit:
            raise UnitError(
                f"the table's 'capital' satellite is in {capital_unit!r} but its money is in {table.unit!r}: capital per "
                f"unit of output would be off by the ratio of the units; give the capital satellite in {table.unit!r}"
            )
        kappa = (table.satellites["capital"].values / x0).astype(float)
    elif s.capital_output_ratio is not None:
        kappa = pd.Series(s.capital_output_ratio, index=sectors)
    elif "depreciation" in table.V.index and float(table.V.loc["depreciation"].sum()) > 0:
        capital = (table.V.loc["depreciation"] / delta).astype(float)
        kappa = capital / x0
        # a sector without recorded depreciation takes the economy's capital–output ratio, not free capacity
        kappa = kappa.where(capital > 0, float(capital[capital > 0].sum() / x0[capital > 0].sum()))
    else:
        raise ScenarioError(
            "the table has no 'capital' satellite and no 'depreciation' row of value added: set capital_output_ratio",
            field="capital_output_ratio",
        )
    # investment: base-year amount and the local goods it buys
    est = (table.metadata or {}).get("estimates", {}).get("final_demand_local_totals", {})
    base_inv = s.base_investment
    if base_inv is None:
        base_inv = float(est.get("gfcf", table.Y["gfcf"].sum()))
    invest_mix = (agg @ table.Y["gfcf"]) / base_inv if base_inv > 0 else pd.Series(0.0, index=products)
    B = pd.DataFrame(np.outer(invest_mix.to_numpy(), kappa.to_numpy()), index=products, columns=sectors)
    investment_va = s.investment_value_added
    if investment_va is None:  # m_I = v (I − A)⁻¹ b: the spending's own value added in the region
        b = table.Y["gfcf"] / base_inv if base_inv > 0 else table.Y["gfcf"] * 0.0
        investment_va = float(table.value_added_coefficients @ table.solver.solve(b.to_numpy(dtype=float)))
    # investment that builds no sector's capacity (housing, infrastructure): the part of base-year investment
    # beyond what capacity growing at demand_growth needs (Σ κ (δ + g) x₀); exogenous, growing with demand
    other_inv0 = s.non_capacity_investment
    if other_inv0 is None:
        other_inv0 = max(0.0, base_inv - float((kappa * (delta + s.demand_growth) * x0).sum()))
    if other_inv0 > base_inv:
        raise ScenarioError(
            f"investment.non_capacity_investment = {other_inv0} exceeds base-year investment {base_inv:.6g}",
            field="investment.non_capacity_investment",
        )
    other_investment = pd.Series([other_inv0 * (1 + s.demand_growth) ** (y - base) for y in years], index=years)
    new_cap_first, first_expansion = _first_year_new_capacity(
        base_inv - other_inv0, kappa, delta, x0 * (1 + s.spare_capacity)
    )
    budget = pd.Series(
        [s.budget.get(y, base_inv * (1 + s.budget_growth) ** (y - base)) for y in years], index=years, dtype=float
    )
    # demand and exports
    other = [c for c in table.Y.columns if c not in ("gfcf", "exports")]
    y_local = agg @ table.Y[other].sum(axis=1)
    demand = pd.DataFrame([y_local * (1 + s.demand_growth) ** (y - base) for y in years], index=years, columns=products)
    demand += np.outer(other_investment.to_numpy(), invest_mix.to_numpy())
    exports0 = agg @ table.Y["exports"] if "exports" in table.Y.columns else pd.Series(0.0, index=products)
    growth = _outside_market_growth(table, s, make, products)
    exports_max = pd.DataFrame([exports0 * (1 + growth) ** (y - base) for y in years], index=years, columns=products)
    co2, co2_hh, co2_per0 = satellite_path(
        table,
        "co2",
        years,
        base,
        s.co2_efficiency,
        s.demand_growth,
        s.sector_co2_efficiency,
        s.process_co2_share,
    )
    energy, energy_hh, energy_per0 = satellite_path(
        table,
        "energy",
        years,
        base,
        s.energy_efficiency,
        s.demand_growth,
        s.sector_energy_efficiency,
    )
    employment, _, employment_per0 = satellite_path(table, "employment", years, base, s.labour_productivity_growth, 0.0)
    # dispatch: zero-carbon technologies run first; some outputs are set by assumption
    if s.must_run is not None:
        must_run = list(s.must_run)
    elif "co2" in table.satellites:
        techs = [t for group in (table.technologies or {}).values() for t in group]
        must_run = [t for t in techs if co2_per0[t] == 0 and t not in s.fixed_output]
    else:
        must_run = []
    fixed_output = pd.Series({sec: share * x0[sec] for sec, share in s.fixed_output.items()}, dtype=float)
    maintained = list(dict.fromkeys([*s.no_new_capacity, *s.fixed_output]))
    sat_total = lambda name: table.satellites[name].total if name in table.satellites else 0.0
    pillars = table.pillars if table.pillars is not None else pd.DataFrame(columns=["sector", "pillar", "share"])
    return PlanData(
        scenario=s,
        table_name=table.name,
        base_year=base,
        years=years,
        sectors=sectors,
        products=products,
        make=make,
        A=A,
        B=B,
        invest_mix=invest_mix,
        investment_va=investment_va,
        x0=x0,
        v=(table.value_added / x0).astype(float),
        kappa=kappa,
        delta=delta,
        demand=demand,
        exports0=exports0,
        exports_max=exports_max,
        new_capacity_first_year=new_cap_first,
        first_year_expansion=first_expansion,
        other_investment=other_investment,
        co2=co2,
        co2_households=co2_hh,
        energy=energy,
        energy_households=energy_hh,
        employment=employment,
        co2_per0=co2_per0,
        energy_per0=energy_per0,
        employment_per0=employment_per0,
        must_run=must_run,
        fixed_output=fixed_output,
        maintained=maintained,
        budget=budget,
        gdp0=float(table.gdp),
        co2_0=float(sat_total("co2")),
        energy_0=float(sat_total("energy")),
        deflator=(1 + s.price_growth) ** (years[-1] - base),
        pillars=pillars,
    )


def _outside_market_growth(table, s: Scenario, make: pd.Series, products: list) -> pd.Series:
    """Yearly growth of the market each product sells into outside the region, by product.

    ``external_demand = "table"`` takes the table's sector data (``sector_info``
    column ``outside_market_growth``: xianning-2025 estimates it by constant market
    shares from the national tables) plus ``market_share_gain``; a product without
    data, or ``external_demand = "uniform"``, takes ``export_growth_max``. A
    product in ``export_growth`` takes that rate.
    """
    info = table.sector_info
    by_sector = pd.Series(np.nan, index=make.index)
    if s.external_demand == "table" and info is not None and "outside_market_growth" in info.columns:
        by_sector = info["outside_market_growth"].reindex(make.index).astype(float) + s.market_share_gain
    by_product = by_sector.groupby(make).mean()  # the technologies of one product face one market
    growth = pd.Series({p: by_product.get(p, np.nan) for p in products}, dtype=float)
    growth = growth.fillna(s.export_growth_max)
    growth.update(pd.Series(dict(s.export_growth), dtype=float))
    return growth


def _first_year_new_capacity(base_inv, kappa, delta, cap0):
    """The part of the first plan year's new capacity that is fixed, and the money left to expand capacity.

    Base-year investment (its goods were delivered before the model starts) first
    replaces what each sector's capacity loses to depreciation (δ × capacity):
    that replacement is fixed. What is left expands capacity where the first
    plan year needs it: a decision of the model (``m.first_expansion``), not a
    split fixed in advance. If base-year investment does not cover replacement,
    every sector is maintained in the same proportion and nothing is left.

    Returns
    -------
    (Series, float)
        Replacement capacity by sector, and the money left for expansion.
    """
    replace = delta * cap0
    cost = float((kappa * replace).sum())
    if base_inv <= cost:
        return replace * (base_inv / cost if cost > 0 else 0.0), 0.0
    return replace, float(base_inv - cost)


def _needed(value, family: str, field: str):
    """The scenario value a switched-on family reads; a clear error when it is not set."""
    if value is None:
        raise ScenarioError(f"families.{family} is on but {field} is not set", field=field)
    return value


def _lin(coefs, vars_, const=0.0):
    coefs = np.asarray(coefs, dtype=float)
    keep = np.flatnonzero(coefs)
    return LinearExpression(
        constant=float(const), linear_coefs=coefs[keep].tolist(), linear_vars=[vars_[i] for i in keep]
    )


def build_model(table, scenario: Scenario | None = None) -> pe.ConcreteModel:
    """Build the Pyomo model of the 2026–2030 plan on ``table`` under ``scenario``.

    Parameters
    ----------
    table : IOTable
        The regional table (base year = the year before ``scenario.first_year``).
    scenario : Scenario, optional
        Defaults to ``Scenario()`` (the plan's targets, soft).

    Returns
    -------
    pyomo.environ.ConcreteModel
        See the module docstring for its components.

    Raises
    ------
    ScenarioError, TableError
        See :func:`plan_data`.

    Examples
    --------
    >>> import xn_io
    >>> m = build_model(xn_io.load_table("xianning-2025"), Scenario(carbon_caps={2030: 3000.0}))
    >>> list(m.YEARS), "electricity" in m.io.P, len(m.io.S)
    ([2026, 2027, 2028, 2029, 2030], True, 38)
    >>> m.carbon_cap.level[2030].value                 # mutable: change it and re-solve
    3000.0
    >>> sorted(b.name for b in m.component_objects(pe.Block, descend_into=False))
    ['budget', 'carbon_cap', 'carbon_peak', 'dispatch', 'gdp_target', 'growth_bounds', 'io', 'new_energy', 'new_energy_sites', 'pillar_targets', 'utilisation']
    """
    s = scenario if scenario is not None else Scenario()
    d = plan_data(table, s)
    with no_gc():
        m = _build(d)
        from .substitution import add_chains  # import substitution (补链), local supporting rate: blocks of their own

        add_chains(m, table)
        return m


def _build(d: PlanData) -> pe.ConcreteModel:
    s = d.scenario
    S, P, Y, last = d.sectors, d.products, d.years, d.last_year
    m = pe.ConcreteModel(name=f"xn_io plan: {s.name}")
    m.xn_data = d
    make_idx = [P.index(d.make[sec]) for sec in S]
    dispatch = s.family_on("dispatch")
    emax = d.exports_max.copy() if s.family_on("exports") else d.exports_max * 0.0 + np.inf
    emin = np.minimum(np.tile(s.export_floor * d.exports0.to_numpy(), (len(Y), 1)), d.exports_max.to_numpy())
    if dispatch:
        # a product all of whose technologies are dispatched (must-run or fixed) is sent out as the balance of
        # local supply and use: the grid takes it, no market bound and no floor (electricity)
        for q in P:
            techs = d.make.index[d.make == q]
            if len(techs) > 1 and all(t in d.must_run or t in d.fixed_output.index for t in techs):
                emax[q] = np.inf
                emin[:, P.index(q)] = 0.0
    io = DynamicLeontief(
        A=d.A.to_numpy(),
        B=d.B.to_numpy(),
        demand=d.demand.to_numpy(),
        initial_capacity=(d.x0 * (1 + s.spare_capacity)).to_numpy(),
        years=Y,
        make=make_idx,
        depreciation=d.delta.to_numpy(),
        input_lag=0,
        construction_lag=1,
        surplus_max=emax.to_numpy(),
        surplus_min=emin if s.family_on("exports") else None,
        base_new_capacity=d.new_capacity_first_year.to_numpy()[None, :],
        terminal_capacity_growth=s.terminal_growth,
        products=P,
        activities=S,
    )
    m.io = pe.Block()
    add_dynamic_leontief(m.io, io)
    if not s.family_on("terminal"):
        # no floor on the capacity entering the year after the plan; the last year's investment stays a
        # decision (capped by the utilisation floor), so construction does not collapse in the last year
        m.io.terminal_capacity.deactivate()
    x, k, cap = m.io.x, m.io.k, m.io.cap
    # the base year's investment beyond replacement expands first-year capacity where it is needed
    first = Y[0]
    growable = [sec for sec in S if sec not in d.maintained]
    m.first_expansion = pe.Var(S, domain=pe.NonNegativeReals)
    for sec in S:
        if sec not in growable:
            m.first_expansion[sec].fix(0.0)
        con = m.io.capacity_law[sec, first]
        con.set_value(con.body - m.first_expansion[sec] == 0.0)
    if growable and d.first_year_expansion > 0:
        m.first_expansion_money = pe.Constraint(
            expr=_lin(d.kappa[growable], [m.first_expansion[sec] for sec in growable]) == d.first_year_expansion
        )
    else:
        m.first_expansion.fix(0.0)
    for sec in d.maintained:  # no new sites, or dispatched by assumption: capacity maintained, not expanded
        for y in m.io.YK:
            k[sec, y].fix(float(d.delta[sec] * d.x0[sec] * (1 + s.spare_capacity)))
        if sec in m.io.terminal_capacity:
            m.io.terminal_capacity[sec].deactivate()  # it cannot grow: no terminal growth asked of it
    sites = s.family_on("new_energy_sites") and bool(s.new_energy_sectors)
    if sites:
        for sec in s.new_energy_sectors:  # bounded by sites, not asked to grow after the plan
            if sec in m.io.terminal_capacity:
                m.io.terminal_capacity[sec].deactivate()
    if dispatch:
        for sec, level in d.fixed_output.items():
            for y in Y:
                x[sec, y].fix(float(level))
    m.YEARS = pe.Set(initialize=Y, ordered=True)
    xs = lambda y: [x[sec, y] for sec in S]
    m.gdp = pe.Expression(m.YEARS, rule=lambda m, y: _lin(d.v, xs(y)))
    m.investment = pe.Expression(S, m.YEARS, rule=lambda m, sec, y: d.kappa[sec] * k[sec, y + 1])
    m.total_investment = pe.Expression(m.YEARS, rule=lambda m, y: _lin(d.kappa, [k[sec, y + 1] for sec in S]))
    m.co2 = pe.Expression(m.YEARS, rule=lambda m, y: _lin(d.co2.loc[y], xs(y), d.co2_households[y]))
    m.energy = pe.Expression(m.YEARS, rule=lambda m, y: _lin(d.energy.loc[y], xs(y), d.energy_households[y]))
    m.employment = pe.Expression(m.YEARS, rule=lambda m, y: _lin(d.employment.loc[y], xs(y)))
    pillar_names = list(dict.fromkeys(d.pillars["pillar"]))
    m.PILLARS = pe.Set(initialize=pillar_names, ordered=True)

    def pillar_rule(m, p):
        rows = d.pillars[d.pillars["pillar"] == p]
        return _lin(rows["share"].to_numpy(), [x[sec, last] for sec in rows["sector"]])

    m.pillar_output = pe.Expression(m.PILLARS, rule=pillar_rule)
    kw = [s.kw_per_output.get(sec, 0.0) for sec in s.new_energy_sectors]
    m.new_energy_capacity = pe.Expression(expr=_lin(kw, [cap[sec, last] for sec in s.new_energy_sectors]))

    # targets and their shortfalls
    targets = {}
    if s.family_on("gdp_target"):
        targets["gdp"] = s.gdp_target / d.deflator
    if s.family_on("pillar_targets"):
        targets.update({f"pillar:{p}": v / d.deflator for p, v in s.pillar_targets.items()})
    if s.family_on("new_energy") and s.new_energy_sectors:
        targets["new_energy"] = s.new_energy_target
    pillar_names_all = set(d.pillars["pillar"])
    for key in s.shortfall_weights:
        if key not in ("gdp", "pillars", "new_energy") and key not in pillar_names_all:
            raise ScenarioError(
                f"shortfall_weights.{key}: not 'gdp', 'pillars', 'new_energy' or a pillar of the table "
                f"({sorted(pillar_names_all)})",
                field=f"shortfall_weights.{key}",
            )
    m.TARGETS = pe.Set(initialize=list(targets), ordered=True)
    m.shortfall = pe.Var(m.TARGETS, domain=pe.NonNegativeReals)
    if s.target_mode == "hard":
        for t in targets:
            m.shortfall[t].fix(0.0)

    def family(name, index, level, rule):
        """A block with a mutable parameter ``level`` and a constraint ``con``."""
        blk = pe.Block()
        setattr(m, name, blk)
        scale = float(s.family_scale.get(name, 1.0))
        level = {k: v * scale for k, v in level.items()}
        blk.level = pe.Param(index, initialize=level, mutable=True, within=pe.Reals)
        blk.con = pe.Constraint(index, rule=lambda b, *i: rule(b, *i))
        return blk

    if s.family_on("budget"):
        family(
            "budget",
            m.YEARS,
            d.budget.to_dict(),
            lambda b, y: m.total_investment[y] + float(d.other_investment[y]) <= b.level[y],
        )
    if s.family_on("growth_bounds"):
        blk = pe.Block()
        m.growth_bounds = blk
        prev = lambda sec, y: d.x0[sec] if y == Y[0] else x[sec, y - 1]
        gmax = {sec: s.sector_growth_max.get(sec, s.growth_max) for sec in S}
        fixed = set(d.fixed_output.index) if dispatch else set()
        up = [sec for sec in S if sec not in fixed and not (sites and sec in s.new_energy_sectors)]
        blk.up = pe.Constraint(up, m.YEARS, rule=lambda b, sec, y: x[sec, y] - (1 + gmax[sec]) * prev(sec, y) <= 0)
        down = [sec for sec in S if sec not in fixed]
        blk.down = pe.Constraint(
            down, m.YEARS, rule=lambda b, sec, y: x[sec, y] - (1 - s.decline_max) * prev(sec, y) >= 0
        )
    if s.family_on("utilisation"):
        # no idle builds: every sector uses at least u of its capacity in every plan year, and in the first
        # year after the plan, whose output is taken to grow at terminal_growth from the last plan year
        blk = pe.Block()
        m.utilisation = blk
        free = [sec for sec in S if not (dispatch and sec in d.fixed_output.index)]  # fixed: use is assumed
        u = {sec: float(s.sector_utilisation_floor.get(sec, s.utilisation_floor)) for sec in free}
        after = last + 1 in m.io.YC
        uyears = Y + ([last + 1] if after else [])
        g = 1 + s.terminal_growth

        def used(sec, y):
            return x[sec, y] if y <= last else g * x[sec, last]

        blk.floor = pe.Param(free, initialize=u, mutable=True, within=pe.UnitInterval)
        blk.con = pe.Constraint(free, uyears, rule=lambda b, sec, y: used(sec, y) - b.floor[sec] * cap[sec, y] >= 0)
    if dispatch and d.must_run:
        # zero-carbon plants run at their availability: capacity is measured at the base year's full-load
        # hours, so output = capacity unless the stated grid-absorption limit lets some be curtailed
        blk = pe.Block()
        m.dispatch = blk
        blk.curtailment_max = pe.Param(initialize=float(s.curtailment_max), mutable=True, within=pe.UnitInterval)
        blk.must_run = pe.Constraint(
            d.must_run, m.YEARS, rule=lambda b, sec, y: x[sec, y] - (1 - b.curtailment_max) * cap[sec, y] >= 0
        )
    if s.family_on("energy_cap"):
        caps = {y: s.energy_caps[y] for y in Y if y in s.energy_caps}
        family("energy_cap", list(caps), caps, lambda b, y: m.energy[y] <= b.level[y])
    if s.family_on("carbon_cap"):
        caps = {y: s.carbon_caps[y] for y in Y if y in s.carbon_caps}
        family("carbon_cap", list(caps), caps, lambda b, y: m.co2[y] <= b.level[y])
    if s.family_on("carbon_peak"):
        # a peak is a level: no year after the peak year emits more than the peak year itself. In a plan
        # year the level is tied to that year's CO2 as stated (what the diagnosis relaxes); `solve_model`
        # settles it as a cap the plan reaches on its own, so the peak year is never raised (`_peak`)
        peak = _needed(s.carbon_peak_year, "carbon_peak", "carbon.carbon_peak_year")
        later = [y for y in Y if y > peak]
        allow = {y: float(s.carbon_peak_allowance.get(y, 0.0)) for y in later}
        if peak < Y[0]:
            family("carbon_peak", later, allow, lambda b, y: m.co2[y] - d.co2_0 <= b.level[y])
        else:
            add_peak_rule(m, "carbon_peak", m.co2, peak, later, allow, family)
    if s.family_on("carbon_budget"):
        budget = _needed(s.carbon_budget, "carbon_budget", "carbon.carbon_budget")
        family("carbon_budget", [last], {last: budget}, lambda b, y: sum(m.co2[t] for t in Y) <= b.level[y])
    if s.family_on("carbon_intensity"):
        cut = _needed(s.co2_intensity_cut, "carbon_intensity", "carbon.co2_intensity_cut")
        ratio = (1 - cut) * d.co2_0 / d.gdp0
        family("carbon_intensity", [last], {last: ratio}, lambda b, y: m.co2[y] - b.level[y] * m.gdp[y] <= 0)
    if s.family_on("labour"):
        lim = {y: s.labour_limit[y] for y in Y if y in s.labour_limit}
        family("labour", list(lim), lim, lambda b, y: m.employment[y] <= b.level[y])
    if "gdp" in targets:
        family("gdp_target", [last], {last: targets["gdp"]}, lambda b, y: m.gdp[y] + m.shortfall["gdp"] >= b.level[y])
    pillar_t = {t.split(":", 1)[1]: v for t, v in targets.items() if t.startswith("pillar:")}
    if pillar_t:
        family(
            "pillar_targets",
            list(pillar_t),
            pillar_t,
            lambda b, p: m.pillar_output[p] + m.shortfall[f"pillar:{p}"] >= b.level[p],
        )
    if sites:
        kw_sites = [s.kw_per_output.get(sec, 0.0) for sec in s.new_energy_sectors]
        family(
            "new_energy_sites",
            list(m.io.YC),
            {
                y: float(_needed(s.new_energy_site_limit, "new_energy_sites", "power.new_energy_site_limit"))
                for y in m.io.YC
            },
            lambda b, y: _lin(kw_sites, [cap[sec, y] for sec in s.new_energy_sectors]) <= b.level[y],
        )
    if "new_energy" in targets:
        family(
            "new_energy",
            [last],
            {last: targets["new_energy"]},
            lambda b, y: m.new_energy_capacity + m.shortfall["new_energy"] >= b.level[y],
        )
    # min_co2 needs a GDP floor: the explicit gdp_floor, else the GDP target — which, when targets are
    # soft, acts as a floor whose shortfall costs its weight (100 万吨 CO2 per 亿元 by default), so no hard row
    if s.objective == "min_co2" and (s.gdp_floor is not None or "gdp" not in targets or s.target_mode == "hard"):
        floor = s.gdp_floor if s.gdp_floor is not None else s.gdp_target
        family("gdp_floor", [last], {last: floor / d.deflator}, lambda b, y: m.gdp[y] >= b.level[y])

    # objective: the objective's own value (m.objective_value) and, with soft targets, the weighted
    # shortfalls it pays (m.shortfall_penalty, weights from the scenario): one LP, so its duals are
    # the marginal values of the caps with the targets' trade-off priced in
    # The GDP objectives count each year's GDP less the value added of that year's investment spending
    # itself (m.investment_value_added): investment is worth the capacity it builds, never the spending, so
    # the budget is a ceiling, not a target. The tie-break makes, of two plans equal in value, the one that
    # invests less the optimum (capacity built only where it is used).
    lam = d.investment_va + INVESTMENT_TIE_BREAK
    m.investment_value_added = pe.Expression(m.YEARS, rule=lambda m, y: d.investment_va * m.total_investment[y])
    net = lambda y: m.gdp[y] - lam * m.total_investment[y]
    if s.objective == "max_gdp_2030":
        m.objective_value = pe.Expression(expr=net(last))
    elif s.objective == "max_discounted_gdp":
        disc = {y: (1 + s.discount_rate) ** -(y - d.base_year) for y in Y}
        m.objective_value = pe.Expression(expr=sum(disc[y] * net(y) for y in Y))
    elif s.objective == "min_investment":
        m.objective_value = pe.Expression(expr=sum(m.total_investment[y] for y in Y))
    elif s.objective == "min_co2":
        m.objective_value = pe.Expression(expr=sum(m.co2[y] for y in Y))
    soft = s.target_mode == "soft" and bool(targets)
    m.shortfall_weight = pe.Param(
        m.TARGETS, initialize={t: s.shortfall_weight(t) for t in targets}, mutable=True, within=pe.NonNegativeReals
    )
    m.shortfall_penalty = pe.Expression(
        expr=sum(m.shortfall_weight[t] * m.shortfall[t] for t in targets) if soft else 0.0
    )
    sense = pe.maximize if s.objective.startswith("max") else pe.minimize
    sign = -1.0 if sense == pe.maximize else 1.0
    m.objective = pe.Objective(expr=m.objective_value + sign * m.shortfall_penalty, sense=sense)
    m.objective_unit = OBJECTIVES[s.objective]
    return m
