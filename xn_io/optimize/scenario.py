"""Scenario: every assumption of a 2026–2030 investment plan, in one dataclass, read from TOML.

The defaults are the plan's figures (Xianning 15th Five-Year Plan, as tabulated
in ``tables/sources/xianning_plan/targets.csv``; the row id is given beside each
default) and explicitly labelled modelling assumptions where the plan gives no
number. Nothing here reads a table: checks that need one (pillars that exist,
units of the satellites, the base year) run in :func:`xn_io.optimize.build_model`.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from .._fields import check_fields
from .._files import atomic_write_text
from .._frozen import FrozenDict
from ..errors import ScenarioError

__all__ = ["Scenario", "OBJECTIVES", "FAMILIES", "DEFAULT_SHORTFALL_WEIGHTS", "builtin_scenarios"]

#: Objectives of the plan model and the unit of their value.
OBJECTIVES = {
    "max_gdp_2030": "亿元 GDP in the last year, less the value added of its investment spending",
    "max_discounted_gdp": "亿元 discounted cumulative GDP, less the value added of investment spending",
    "min_investment": "亿元 cumulative investment",
    "min_co2": "万吨 cumulative CO2",
}

#: Constraint families that a scenario can switch on or off.
FAMILIES = (
    "budget",
    "exports",
    "growth_bounds",
    "utilisation",
    "energy_cap",
    "carbon_cap",
    "carbon_peak",
    "carbon_budget",
    "carbon_intensity",
    "gdp_target",
    "pillar_targets",
    "new_energy",
    "new_energy_sites",
    "dispatch",
    "labour",
    "terminal",
    "local_supporting_rate",
    "non_fossil_share",
    "energy_intensity",
    "fossil_energy_peak",
    "consumption_rate",
    "cluster_output",
    "cluster_share",
    "chain_leader_output",
)


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped with xn_io (the files of ``examples/scenarios/``).

    Examples
    --------
    >>> builtin_scenarios()
    ['baseline', 'chemicals-local', 'green-materials-first', 'high-investment', 'strict-carbon']
    """
    folder = importlib.resources.files("xn_io.optimize") / "scenarios"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


# Families whose right-hand sides family_scale may multiply (the blocks with a ``level`` parameter).
_SCALABLE = (
    "budget",
    "energy_cap",
    "carbon_cap",
    "carbon_intensity",
    "labour",
    "gdp_target",
    "pillar_targets",
    "new_energy",
    "gdp_floor",
    "carbon_budget",
    "new_energy_sites",
)

# The plan's pillar targets for 2030, 亿元 of output (revenue), by the pillar names of the
# xianning-2025 table (targets.csv rows pillar_green_materials, pillar_equipment, pillar_health,
# pillar_agrifood: "breaks 1000"; pillar_culture_tourism: culture and tourism revenue 500).
PLAN_PILLAR_TARGETS = {
    "green_new_materials": 1000.0,
    "modern_equipment": 1000.0,
    "big_health": 1000.0,
    "modern_agrifood_processing": 1000.0,
    "culture_tourism": 500.0,
}

#: Default weights of the shortfalls of soft targets, by objective: objective units per unit of
#: shortfall (亿元 for GDP and pillars, 万kW for new energy). Assumptions: with a GDP objective a
#: 亿元 of a target missed costs as much as a 亿元 of (discounted) GDP, on top of the GDP itself;
#: a 万kW of new energy (about 0.07亿元 of output a year) 0.1亿元. With min_investment and min_co2
#: the weights are large (100 objective units per 亿元 short) so that the targets come first.
DEFAULT_SHORTFALL_WEIGHTS = {
    "max_gdp_2030": {"gdp": 1.0, "pillars": 1.0, "new_energy": 0.1},
    "max_discounted_gdp": {"gdp": 1.0, "pillars": 1.0, "new_energy": 0.1},
    "min_investment": {"gdp": 100.0, "pillars": 100.0, "new_energy": 10.0},
    "min_co2": {"gdp": 100.0, "pillars": 100.0, "new_energy": 10.0},
}

# 万kW of installed capacity per 亿元 of annual output, from the xianning-2025 table's power
# estimates (metadata power_note and [metadata.estimates.power]): solar 190 万kW ↔ 12.958 亿元,
# wind 60 万kW ↔ 7.812 亿元 (estimates, not official statistics).
TABLE_KW_PER_OUTPUT = {"power_solar": 190.0 / 12.958, "power_wind": 60.0 / 7.812}

# Share of process CO2 (from the chemistry of clinker, not from fuel) in the scope-1 CO2 of Hubei's
# non-metallic mineral products in 2019: CEADs provincial inventory, "Nonmetal Mineral Products",
# Process 37.529 ÷ Scope 1 Total 47.521 MtCO2 (tables/sources/ceads_co2/hubei_co2_by_sector_fuel_2019.csv).
# Process CO2 per tonne of clinker is fixed by chemistry: no efficiency gain applies to it.
CEADS_HUBEI_2019_CEMENT_PROCESS_SHARE = 37.52887354405556 / 47.52119232516703

# The plan's nominal targets (3000亿元 in 2030 from 2000亿元 in 2025: 8.45 %/yr) against its real
# growth of "about 6 %" (targets.csv gdp_level, gdp_growth) imply a GDP deflator of
# 1.0845 / 1.06 − 1 ≈ 2.3 %/yr: the default price_growth (an assumption derived from the plan).
PLAN_IMPLIED_DEFLATOR = round((3000.0 / 2000.0) ** (1 / 5) / 1.06 - 1, 4)

#: Longest plan horizon a scenario may ask for (years); each year adds a block of the model.
MAX_PLAN_YEARS = 50
_YEAR_RANGE = (1950, 2200)

# TOML layout: the section each field is written under (fields not listed are top level).
_SECTIONS = {
    "economy": (
        "price_growth",
        "demand_growth",
        "external_demand",
        "market_share_gain",
        "export_growth_max",
        "export_growth",
        "export_floor",
        "growth_max",
        "sector_growth_max",
        "decline_max",
        "utilisation_floor",
        "sector_utilisation_floor",
        "spare_capacity",
        "capital_output_ratio",
        "depreciation",
        "terminal_growth",
    ),
    "investment": (
        "money_unit",
        "base_investment",
        "budget_growth",
        "budget",
        "no_new_capacity",
        "investment_value_added",
        "non_capacity_investment",
    ),
    "targets": (
        "target_mode",
        "shortfall_weights",
        "gdp_target",
        "gdp_floor",
        "pillar_targets",
        "new_energy_target",
        "new_energy_sectors",
        "kw_per_output",
        "consumption_rate_rise",
        "cluster_sectors",
        "cluster_output_target",
        "cluster_industry_share",
        "chain_leader_shares",
        "chain_leader_output_target",
    ),
    "carbon": (
        "co2_unit",
        "co2_efficiency",
        "sector_co2_efficiency",
        "process_co2_share",
        "carbon_peak_year",
        "carbon_peak_allowance",
        "carbon_caps",
        "carbon_budget",
        "co2_intensity_cut",
    ),
    "energy": (
        "energy_unit",
        "energy_efficiency",
        "sector_energy_efficiency",
        "energy_caps",
        "non_fossil_share_min",
        "energy_intensity_cut",
        "fossil_energy_peak_year",
    ),
    "power": ("must_run", "curtailment_max", "fixed_output", "new_energy_site_limit"),
    "labour": ("labour_productivity_growth", "labour_limit"),
    "chains": (
        "substitution_rate",
        "substitution_pillars",
        "substitution",
        "substitution_mode",
        "local_supporting_target",
    ),
}


def _toml_key(name: str) -> str:
    """The dotted TOML key of a field (``economy.growth_max``), as a user writes it."""
    for section, names in _SECTIONS.items():
        if name in names:
            return f"{section}.{name}"
    return name


@dataclass(frozen=True)
class Scenario:
    """The assumptions of one plan: years, objective, targets, caps and switches.

    Money is in 亿元 at base-year (2025) prices, CO2 in 万吨, energy in 万吨标准煤,
    capacity of power plants in 万kW, rates per year as fractions (0.06 = 6 %).

    Attributes
    ----------
    name, description : str
    first_year, last_year : int
        Plan years (default 2026–2030); the table's year is the base year.
    objective : str
        One of :data:`OBJECTIVES` (default ``"max_discounted_gdp"``, as the shipped baseline).
    discount_rate : float
        For ``max_discounted_gdp``. Assumption: 0.05.
    families : dict[str, bool]
        Which constraint families are on (:data:`FAMILIES`; missing = on,
        except ``energy_cap``, ``carbon_cap``, ``carbon_intensity`` and ``labour``
        which are on only when their caps are given).
    family_scale : dict[str, float]
        Multiplies the right-hand sides of a family (e.g. ``{"pillar_targets": 0.8}``
        asks for 80 % of every pillar target, ``{"budget": 1.2}`` a 20 % larger budget).
    price_growth : float
        GDP deflator growth used to turn the plan's current-price targets into
        base-year prices. Default 0.0231, the deflator the plan's own figures
        imply (nominal 8.45 %/yr to 3000亿元 against real growth of about 6 %);
        an assumption. Every money figure of a Plan is at base-year prices.
    demand_growth : float
        Real growth of local final demand (households, government, inventories).
        Default 0.06 = the plan's "about 6 %" GDP growth (targets.csv gdp_growth).
    external_demand : {"table", "uniform"}
        Where the bound on each product's sales outside the region comes from.
        ``"table"`` (default): the growth of the market the sector sells into,
        from the table's ``sector_info["outside_market_growth"]`` (on
        xianning-2025 an estimate by constant market shares from the national
        tables: −3 % to +8 % a year), plus ``market_share_gain``; products
        without data take ``export_growth_max``. ``"uniform"``: every product
        ``export_growth_max``.
    market_share_gain : float
        Yearly growth of the region's share of every market outside it, added to
        the table's market growth. Assumption: 0 (constant market shares); the
        plan's chain-leader and investment-attraction strategy is a bet on a gain.
    export_growth_max : float
        Market absorption where the table gives no market growth (or with
        ``external_demand = "uniform"``): sales outside the region may grow at
        most this much a year from the base year. Assumption: 0.08.
    export_growth : dict[str, float]
        Per-product overrides of the market growth (either source).
    export_floor : float
        Sales outside the region of each product stay at least this share of
        their base-year level (existing customers keep buying). Assumption: 1.0.
    growth_max, decline_max : float
        Bounds on each sector's yearly output change. Assumptions: 0.30 and 0.15.
    sector_growth_max : dict[str, float]
        Per-sector overrides of ``growth_max``.
    utilisation_floor : float
        No idle builds: in every plan year (and in the first year after the plan,
        with output growing at ``terminal_growth``) each sector uses at least
        this share of its capacity, so capacity is built only where output
        needs it. Assumption: 0.8.
    sector_utilisation_floor : dict[str, float]
        Per-sector overrides of ``utilisation_floor`` (where data say otherwise).
    spare_capacity : float
        Base-year capacity above base-year output, as a share. Assumption: 0.
    capital_output_ratio : float or None
        Used only if the table has no "capital" satellite.
    depreciation : float
        Used for sectors whose depreciation rate the table does not give. Assumption: 0.05.
    terminal_growth : float
        Capacity at the start of 2031 ≥ (1 + g) × 2030 output, per sector. Default 0.06.
    base_investment : float or None
        Fixed investment of the base year (亿元); ``None`` takes the table's
        gross fixed capital formation. It also brings the first plan year's new capacity.
    budget_growth : float
        Yearly growth of the investment budget from ``base_investment``. Default 0.06.
    budget : dict[int, float]
        Explicit budgets by year (override the growth path).
    no_new_capacity : list[str]
        Sectors that cannot add capacity. Assumption: hydro power (no new sites).
    investment_value_added : float or None
        Value added that one unit of investment spending itself brings the
        region in the year it is spent (the local goods it buys, through the
        Leontief inverse). The GDP objectives deduct it from each year's GDP,
        so investment is worth only the capacity it builds and the output that
        capacity sells, never the spending itself (the budget is a ceiling the
        plan need not use). ``None`` (default) computes it from the table:
        :math:`m_I = v (I - A)^{-1} b`, with :math:`b` the local goods bought
        per unit of investment (0.41 on xianning-2025). ``0`` gives the
        objective that rewards spending for its own sake.
    non_capacity_investment : float or None
        Base-year fixed investment that builds no sector's production capacity
        (housing, infrastructure, public works), 亿元: exogenous final demand
        growing at ``demand_growth``, within the budget. ``None`` (default)
        takes what base-year investment leaves after the capacity that output
        growing at ``demand_growth`` needs, :math:`\\sum_s \\kappa_s (\\delta_s + g) x_s`
        (an estimate: 296 of 835亿元 on xianning-2025, 35 %; real-estate development
        alone was 22 % of China's fixed investment in 2023).
    target_mode : {"soft", "hard"}
        Hard targets are constraints (an infeasible scenario raises with a
        diagnosis). Soft targets may fall short at a price: the objective
        pays ``shortfall_weights`` per unit of shortfall (one LP, so every
        shadow price is a true marginal value); shortfalls are reported with
        the objective given up to close each by one unit. Only the GDP, pillar
        and new-energy targets can be soft: the further plan targets
        (:mod:`xn_io.optimize.targets`) and the local supporting rate are hard
        rows in either mode, since a soft version would need a price per unit
        of an energy share, an intensity or a rate that neither the plan nor
        the table gives.
    shortfall_weights : dict[str, float]
        Objective units per unit of shortfall of a soft target: keys ``"gdp"``,
        ``"pillars"`` (every pillar), a pillar's name (overrides ``"pillars"``)
        and ``"new_energy"``. Missing keys take :data:`DEFAULT_SHORTFALL_WEIGHTS`
        of the objective (assumptions: 1 per 亿元 with a GDP objective).
    gdp_target : float
        GDP in the last year, 亿元 (targets.csv gdp_level: 3000 in 2030).
    gdp_floor : float or None
        Floor on last-year GDP for ``min_co2``, a hard constraint. Default: the
        GDP target (with soft targets, met as far as possible before CO2 is minimised).
    pillar_targets : dict[str, float]
        Last-year output of each pillar, 亿元 (targets.csv pillar_* rows).
    new_energy_target : float
        Installed solar + wind capacity in the last year, 万kW (targets.csv new_energy_capacity: 500).
    new_energy_sectors : list[str]
        Sectors counted as new energy.
    kw_per_output : dict[str, float]
        万kW per 亿元 of annual output of each new-energy sector (table estimates).
    money_unit : str or None
        Unit of the money figures (budget, GDP and pillar targets, base
        investment). ``None`` reads them in the table's unit; a stated unit
        must be the table's (no silent conversion).
    co2_unit, energy_unit : str
        Units of the caps; must match the table's satellites.
    co2_efficiency, energy_efficiency : float
        Yearly fall of CO2 and energy per unit of output (autonomous efficiency
        gains) in sectors not listed below. Assumption: 0.02.
    sector_co2_efficiency, sector_energy_efficiency : dict[str, float]
        Per-sector rates. Defaults: 0 for coal power (CO2 and coal per kWh
        follow the plant's heat rate, fixed without a plant change) and 0 for
        the energy of hydro, solar and wind (primary electricity is counted by
        its coal-equivalent factor, fixed by convention).
    process_co2_share : dict[str, float]
        Share of a sector's CO2 that is process CO2, fixed per unit of output
        (the efficiency rate applies to the rest). Default: cement, 0.79
        (CEADs Hubei 2019, non-metallic mineral products).
    must_run : list[str] or None
        Technologies that run at their availability (output = capacity, which
        is measured at the base year's full-load hours) before any other:
        ``None`` takes every technology of the table (``IOTable.technologies``)
        with zero CO2. Their output may fall below capacity only by
        ``curtailment_max``.
    curtailment_max : float
        Share of must-run output that the grid may refuse (the stated
        grid-absorption limit). Default 0: no curtailment.
    fixed_output : dict[str, float]
        Sectors whose output is set by assumption, as a share of the base
        year's output in every plan year; their capacity is maintained, not
        expanded. Default: coal power 1.0 (the plant mostly serves the
        provincial grid, which dispatches it; assumption: as in 2025).
    new_energy_site_limit : float or None
        Installed capacity of ``new_energy_sectors`` at most this much in every
        year, 万kW (sites and grid). Default 500: the plan's new-energy
        programme (targets.csv new_energy_capacity) taken as the limit, since
        no site survey is published. ``None``: no limit.
    carbon_peak_year : int or None
        The peak is a level: no year after this one emits more CO2 than this
        year (targets.csv carbon_peak: peak before 2030 → 2029).
    carbon_peak_allowance : dict[int, float]
        万吨 by which CO2 of a year after the peak may still exceed the peak year's (default none).
    carbon_caps, energy_caps : dict[int, float]
        Absolute caps by year.
    carbon_budget : float or None
        Cumulative CO2 of the plan years at most this much (万吨); ``None``: no budget.
    co2_intensity_cut : float or None
        Last-year CO2 per GDP at most (1 − cut) × base-year (the provincial
        figure is not stated in the plan: targets.csv co2_per_gdp_cut).
    labour_productivity_growth : float
        Yearly fall of employment per unit of output (targets.csv
        labour_productivity_growth: 6.4 % in 2024).
    labour_limit : dict[int, float]
        Employment caps by year, 万人.
    substitution_rate : float
        Import substitution as a decision (:mod:`xn_io.optimize.substitution`):
        for every default pair (a manufactured input a pillar's sectors buy
        mostly outside the region, as :func:`~xn_io.network.chain_gaps` finds
        it, and each pillar sector buying it; services, mining, utilities and
        construction only as explicit ``substitution`` pairs, see
        :func:`~xn_io.optimize.manufacturing_sectors`) the local share of the input may rise each
        year by at most this share of its base-year gap (technical minus
        regional coefficient), so by ``rate × years`` of the gap at most (and
        never beyond the technical coefficient). Default 0: no substitution,
        the fixed regional purchase coefficients of the table. An assumption
        of the scenario, not a plan figure.
    substitution_pillars : list[str] or None
        Pillars whose chain gaps give the default pairs; ``None``: every pillar of the table.
    substitution : dict[str, float]
        Per-pair rates, keyed ``"input>buyer"`` (product and buying sector of
        the table, e.g. ``"basic_chemicals>steel"``): they add pairs to the
        defaults or override their rate (0 removes a pair).
    substitution_mode : {"allow", "require"}
        ``"allow"``: the local share is a decision between its base-year value
        and the bound; ``"require"``: it follows the bound (a what-if: "bring
        half of these imports into the region by 2030").
    local_supporting_target : dict[str, float]
        Pillar → least sector-level local supporting rate in the last year
        (local share of the pillar sectors' intermediate inputs,
        :func:`~xn_io.optimize.sector_local_supporting_rate`), a hard row of
        the family ``local_supporting_rate``. The plan's 30 % (targets.csv
        ``chain_leader_local_supply``) is a chain-leader, firm-level figure;
        a sector rate is higher by construction, so the default is no target.
    non_fossil_share_min : float or None
        Least non-fossil share of energy use in the last year, (energy − fossil
        energy) ÷ energy (family ``non_fossil_share``; targets.csv
        ``non_fossil_share``: a provincial target whose number the plan does
        not state — any value is an assumption).
    energy_intensity_cut : float or None
        Last-year energy per GDP at most (1 − cut) × base-year (family
        ``energy_intensity``; the plan's 能耗双控 text, no number: an assumption).
    fossil_energy_peak_year : int or None
        No year after this one uses more fossil energy than this year (family
        ``fossil_energy_peak``; targets.csv ``carbon_peak`` note: coal and oil
        consumption peak before 2030). The table has no coal-only satellite:
        fossil energy (coal, oil and gas) stands for coal consumption control.
    consumption_rate_rise : float or None
        Household consumption ÷ GDP in the last year at least the base-year rate
        plus this (family ``consumption_rate``; the plan's 居民消费率明显提高,
        no number: an assumption). Household consumption is exogenous in the
        model, so this bounds GDP from above.
    cluster_sectors : list[str] or None
        Sectors counted as advanced-manufacturing clusters; ``None``: the sectors
        of the green-materials and equipment pillars (an assumption: the plan
        names clusters by industry, not by sector).
    cluster_output_target : float or None
        Output of the cluster sectors in the last year, 亿元 current prices
        (family ``cluster_output``; targets.csv ``advanced_mfg_cluster_output``: 1800).
    cluster_industry_share : float or None
        Cluster output at least this share of industry output (mining,
        manufacturing, utilities) in the last year (family ``cluster_share``;
        the same row: over 90 %).
    chain_leader_shares : dict[str, float]
        Sector → share of its output made by chain-leader firms (data: e.g. the
        leaders' output on a firm network ÷ the sector's output).
    chain_leader_output_target : float or None
        Chain leaders' output in the last year, 亿元 current prices (family
        ``chain_leader_output``; targets.csv ``chain_leader_output``: 1000).
    """

    name: str = "baseline"
    description: str = ""
    first_year: int = 2026
    last_year: int = 2030
    objective: str = "max_discounted_gdp"
    discount_rate: float = 0.05
    families: dict[str, bool] = field(default_factory=dict)
    family_scale: dict[str, float] = field(default_factory=dict)
    price_growth: float = PLAN_IMPLIED_DEFLATOR
    demand_growth: float = 0.06
    external_demand: str = "table"
    market_share_gain: float = 0.0
    export_growth_max: float = 0.08
    export_growth: dict[str, float] = field(default_factory=dict)
    export_floor: float = 1.0
    growth_max: float = 0.30
    sector_growth_max: dict[str, float] = field(default_factory=dict)
    decline_max: float = 0.15
    utilisation_floor: float = 0.8
    sector_utilisation_floor: dict[str, float] = field(default_factory=dict)
    spare_capacity: float = 0.0
    capital_output_ratio: float | None = None
    depreciation: float = 0.05
    terminal_growth: float = 0.06
    base_investment: float | None = None
    budget_growth: float = 0.06
    budget: dict[int, float] = field(default_factory=dict)
    no_new_capacity: list[str] = field(default_factory=lambda: ["power_hydro"])
    investment_value_added: float | None = None
    non_capacity_investment: float | None = None
    target_mode: str = "soft"
    shortfall_weights: dict[str, float] = field(default_factory=dict)
    gdp_target: float = 3000.0
    gdp_floor: float | None = None
    pillar_targets: dict[str, float] = field(default_factory=lambda: dict(PLAN_PILLAR_TARGETS))
    new_energy_target: float = 500.0
    new_energy_sectors: list[str] = field(default_factory=lambda: ["power_solar", "power_wind"])
    kw_per_output: dict[str, float] = field(default_factory=lambda: dict(TABLE_KW_PER_OUTPUT))
    money_unit: str | None = None
    co2_unit: str = "万吨"
    co2_efficiency: float = 0.02
    sector_co2_efficiency: dict[str, float] = field(default_factory=lambda: {"power_coal": 0.0})
    process_co2_share: dict[str, float] = field(
        default_factory=lambda: {"cement_building_materials": CEADS_HUBEI_2019_CEMENT_PROCESS_SHARE}
    )
    carbon_peak_year: int | None = 2029
    carbon_peak_allowance: dict[int, float] = field(default_factory=dict)
    carbon_caps: dict[int, float] = field(default_factory=dict)
    carbon_budget: float | None = None
    co2_intensity_cut: float | None = None
    energy_unit: str = "万吨标准煤"
    energy_efficiency: float = 0.02
    sector_energy_efficiency: dict[str, float] = field(
        default_factory=lambda: {"power_coal": 0.0, "power_hydro": 0.0, "power_solar": 0.0, "power_wind": 0.0}
    )
    must_run: list[str] | None = None
    curtailment_max: float = 0.0
    fixed_output: dict[str, float] = field(default_factory=lambda: {"power_coal": 1.0})
    new_energy_site_limit: float | None = 500.0
    energy_caps: dict[int, float] = field(default_factory=dict)
    labour_productivity_growth: float = 0.064
    labour_limit: dict[int, float] = field(default_factory=dict)
    substitution_rate: float = 0.0
    substitution_pillars: list[str] | None = None
    substitution: dict[str, float] = field(default_factory=dict)
    substitution_mode: str = "allow"
    local_supporting_target: dict[str, float] = field(default_factory=dict)
    non_fossil_share_min: float | None = None
    energy_intensity_cut: float | None = None
    fossil_energy_peak_year: int | None = None
    consumption_rate_rise: float | None = None
    cluster_sectors: list[str] | None = None
    cluster_output_target: float | None = None
    cluster_industry_share: float | None = None
    chain_leader_shares: dict[str, float] = field(default_factory=dict)
    chain_leader_output_target: float | None = None

    def __post_init__(self) -> None:
        # Mapping fields become read-only copies and lists tuples, so neither the caller's
        # objects nor later edits (``s.budget[1999] = -5``) can bypass validation.
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                object.__setattr__(self, f.name, FrozenDict(value))
            elif isinstance(value, list):
                object.__setattr__(self, f.name, tuple(value))
        self.validate()

    # ------------------------------------------------------------------ checks
    def validate(self) -> None:
        """Raise :class:`ScenarioError` naming the first invalid field."""
        self._check_types()
        if not (isinstance(self.first_year, int) and isinstance(self.last_year, int)):
            raise ScenarioError("first_year and last_year must be integers", field="first_year")
        for name in ("first_year", "last_year"):
            if not _YEAR_RANGE[0] <= getattr(self, name) <= _YEAR_RANGE[1]:
                raise ScenarioError(
                    f"{name} must lie in {_YEAR_RANGE[0]}–{_YEAR_RANGE[1]}, got {getattr(self, name)}", field=name
                )
        if self.last_year < self.first_year:
            raise ScenarioError(
                f"years out of order: first_year {self.first_year} is after last_year {self.last_year}",
                field="last_year",
            )
        if self.last_year - self.first_year + 1 > MAX_PLAN_YEARS:
            raise ScenarioError(
                f"last_year: {self.last_year - self.first_year + 1} plan years from {self.first_year}; "
                f"at most {MAX_PLAN_YEARS}",
                field="last_year",
            )
        for name in ("price_growth", "demand_growth", "export_growth_max", "budget_growth"):
            if not getattr(self, name) > -1:
                key = _toml_key(name)
                raise ScenarioError(
                    f"{key} must be a yearly growth rate above −1 (−100 %), got {getattr(self, name)}", field=key
                )
        for key, value in self.export_growth.items():
            if not value > -1:
                raise ScenarioError(
                    f"economy.export_growth.{key} must be a yearly growth rate above −1, got {value}",
                    field=f"economy.export_growth.{key}",
                )
        if self.objective not in OBJECTIVES:
            raise ScenarioError(f"objective {self.objective!r} is not one of {sorted(OBJECTIVES)}", field="objective")
        if self.external_demand not in ("table", "uniform"):
            raise ScenarioError(
                f"economy.external_demand must be 'table' or 'uniform', got {self.external_demand!r}",
                field="economy.external_demand",
            )
        if not -0.5 < self.market_share_gain < 1:
            raise ScenarioError(
                f"economy.market_share_gain must be a yearly rate in (−0.5, 1), got {self.market_share_gain}",
                field="economy.market_share_gain",
            )
        if self.target_mode not in ("soft", "hard"):
            raise ScenarioError(f"target_mode must be 'soft' or 'hard', got {self.target_mode!r}", field="target_mode")
        for key, value in self.family_scale.items():
            if key not in _SCALABLE:
                raise ScenarioError(
                    f"family_scale.{key}: not a scalable family ({', '.join(_SCALABLE)})", field=f"family_scale.{key}"
                )
            if value is None or value < 0:
                raise ScenarioError(f"family_scale.{key} must be ≥ 0, got {value}", field=f"family_scale.{key}")
        for key in self.families:
            if key not in FAMILIES:
                raise ScenarioError(
                    f"families.{key} is not a constraint family ({', '.join(FAMILIES)})", field=f"families.{key}"
                )
        nonneg = (
            "discount_rate",
            "growth_max",
            "decline_max",
            "spare_capacity",
            "terminal_growth",
            "gdp_target",
            "new_energy_target",
            "depreciation",
            "export_floor",
        )
        for name in nonneg:
            if getattr(self, name) < 0:
                raise ScenarioError(f"{name} must be ≥ 0, got {getattr(self, name)}", field=name)
        for name in (
            "decline_max",
            "co2_efficiency",
            "energy_efficiency",
            "labour_productivity_growth",
            "depreciation",
        ):
            if not -1 < getattr(self, name) < 1:
                raise ScenarioError(f"{name} must be a yearly rate in (−1, 1), got {getattr(self, name)}", field=name)
        if self.investment_value_added is not None and not 0 <= self.investment_value_added <= 1:
            raise ScenarioError(
                f"investment.investment_value_added must lie in 0–1 (value added per unit of investment), "
                f"got {self.investment_value_added}",
                field="investment.investment_value_added",
            )
        if self.non_capacity_investment is not None and self.non_capacity_investment < 0:
            raise ScenarioError(
                f"investment.non_capacity_investment must be ≥ 0, got {self.non_capacity_investment}",
                field="investment.non_capacity_investment",
            )
        if self.base_investment is not None and self.base_investment < 0:
            raise ScenarioError(f"base_investment must be ≥ 0, got {self.base_investment}", field="base_investment")
        if self.capital_output_ratio is not None and self.capital_output_ratio <= 0:
            raise ScenarioError("capital_output_ratio must be > 0", field="capital_output_ratio")
        if self.co2_intensity_cut is not None and not 0 <= self.co2_intensity_cut < 1:
            raise ScenarioError(
                f"co2_intensity_cut must lie in [0, 1), got {self.co2_intensity_cut}", field="co2_intensity_cut"
            )
        for name in ("budget", "carbon_caps", "energy_caps", "labour_limit", "carbon_peak_allowance"):
            for year, value in getattr(self, name).items():
                if not isinstance(year, int) or not self.first_year <= year <= self.last_year:
                    raise ScenarioError(
                        f"{name} has year {year!r} outside {self.first_year}–{self.last_year}", field=f"{name}.{year}"
                    )
                if value is None or value < 0:
                    raise ScenarioError(f"{name}[{year}] must be ≥ 0, got {value}", field=f"{name}.{year}")
        floors = {"utilisation_floor": self.utilisation_floor}
        floors.update({f"sector_utilisation_floor.{k}": v for k, v in self.sector_utilisation_floor.items()})
        for key, value in floors.items():
            if value is None or not 0 <= value <= 1:
                raise ScenarioError(f"{key} must be a share in [0, 1], got {value}", field=key)
        shares = {"curtailment_max": self.curtailment_max}
        shares.update({f"process_co2_share.{k}": v for k, v in self.process_co2_share.items()})
        for key, value in shares.items():
            if value is None or not 0 <= value <= 1:
                raise ScenarioError(f"{key} must be a share in [0, 1], got {value}", field=key)
        for name in ("sector_co2_efficiency", "sector_energy_efficiency"):
            for key, value in getattr(self, name).items():
                if value is None or not -1 < value < 1:
                    raise ScenarioError(
                        f"{name}.{key} must be a yearly rate in (−1, 1), got {value}", field=f"{name}.{key}"
                    )
        for key, value in self.fixed_output.items():
            if value is None or value < 0:
                raise ScenarioError(f"fixed_output.{key} must be ≥ 0, got {value}", field=f"fixed_output.{key}")
        if self.new_energy_site_limit is not None and self.new_energy_site_limit < 0:
            raise ScenarioError(
                f"new_energy_site_limit must be ≥ 0, got {self.new_energy_site_limit}", field="new_energy_site_limit"
            )
        if self.carbon_budget is not None and self.carbon_budget < 0:
            raise ScenarioError(f"carbon_budget must be ≥ 0, got {self.carbon_budget}", field="carbon_budget")
        for name in ("pillar_targets", "kw_per_output", "export_growth", "sector_growth_max", "shortfall_weights"):
            for key, value in getattr(self, name).items():
                if value is None or (value < 0 and name != "export_growth"):
                    raise ScenarioError(f"{name}.{key} must be ≥ 0, got {value}", field=f"{name}.{key}")
        if not 0 <= self.substitution_rate <= 1:
            raise ScenarioError(
                f"chains.substitution_rate must be a share of the gap per year in [0, 1], got {self.substitution_rate}",
                field="chains.substitution_rate",
            )
        for key, value in self.substitution.items():
            if key.count(">") != 1 or not all(part.strip() for part in key.split(">")):
                raise ScenarioError(
                    f"chains.substitution: key {key!r} must name a pair as 'input>buyer' (e.g. 'basic_chemicals>steel')",
                    field=f"chains.substitution.{key}",
                )
            if not 0 <= value <= 1:
                raise ScenarioError(
                    f"chains.substitution.{key} must be a share of the gap per year in [0, 1], got {value}",
                    field=f"chains.substitution.{key}",
                )
        for name in ("non_fossil_share_min", "energy_intensity_cut", "cluster_industry_share"):
            value = getattr(self, name)
            if value is not None and not 0 <= value < 1:
                key = _toml_key(name)
                raise ScenarioError(f"{key} must be a share in [0, 1), got {value}", field=key)
        if self.consumption_rate_rise is not None and not -1 < self.consumption_rate_rise < 1:
            raise ScenarioError(
                f"targets.consumption_rate_rise must be a change of a share in (−1, 1), got {self.consumption_rate_rise}",
                field="targets.consumption_rate_rise",
            )
        for name in ("cluster_output_target", "chain_leader_output_target"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ScenarioError(f"{_toml_key(name)} must be ≥ 0, got {value}", field=_toml_key(name))
        for key, value in self.chain_leader_shares.items():
            if not 0 <= value <= 1:
                raise ScenarioError(
                    f"targets.chain_leader_shares.{key} must be a share in [0, 1], got {value}",
                    field=f"targets.chain_leader_shares.{key}",
                )
        peak = self.fossil_energy_peak_year
        if peak is not None and not self.first_year - 1 <= peak <= self.last_year:
            raise ScenarioError(
                f"energy.fossil_energy_peak_year {peak} is outside {self.first_year - 1}–{self.last_year}",
                field="energy.fossil_energy_peak_year",
            )
        for key, value in self.local_supporting_target.items():
            if not 0 <= value <= 1:
                raise ScenarioError(
                    f"chains.local_supporting_target.{key} must be a share in [0, 1], got {value}",
                    field=f"chains.local_supporting_target.{key}",
                )
        if self.substitution_mode not in ("allow", "require"):
            raise ScenarioError(
                f"chains.substitution_mode must be 'allow' or 'require', got {self.substitution_mode!r}",
                field="chains.substitution_mode",
            )
        if self.carbon_peak_year is not None and not (self.first_year - 1 <= self.carbon_peak_year <= self.last_year):
            raise ScenarioError(
                f"carbon_peak_year {self.carbon_peak_year} is outside {self.first_year - 1}–{self.last_year}",
                field="carbon_peak_year",
            )

    def _check_types(self) -> None:
        """Every field, and every entry of its tables and lists, must have its annotated type.

        Numbers must be finite, booleans true booleans (the string ``"false"`` is
        an error); the message names the TOML key (e.g. ``families.carbon_peak``).
        """
        check_fields(self, _toml_key)

    # ------------------------------------------------------------ conveniences
    @property
    def years(self) -> list[int]:
        """The plan years."""
        return list(range(self.first_year, self.last_year + 1))

    def family_on(self, name: str) -> bool:
        """Whether constraint family ``name`` is active (see :attr:`families`)."""
        if name not in FAMILIES:
            raise ScenarioError(f"{name!r} is not a constraint family", field="families")
        default = {
            "energy_cap": bool(self.energy_caps),
            "carbon_cap": bool(self.carbon_caps),
            "carbon_intensity": self.co2_intensity_cut is not None,
            "carbon_peak": self.carbon_peak_year is not None,
            "carbon_budget": self.carbon_budget is not None,
            "new_energy_sites": self.new_energy_site_limit is not None,
            "labour": bool(self.labour_limit),
            "local_supporting_rate": bool(self.local_supporting_target),
            "non_fossil_share": self.non_fossil_share_min is not None,
            "energy_intensity": self.energy_intensity_cut is not None,
            "fossil_energy_peak": self.fossil_energy_peak_year is not None,
            "consumption_rate": self.consumption_rate_rise is not None,
            "cluster_output": self.cluster_output_target is not None,
            "cluster_share": self.cluster_industry_share is not None,
            "chain_leader_output": self.chain_leader_output_target is not None,
        }.get(name, True)
        return bool(self.families.get(name, default))

    def shortfall_weight(self, target: str) -> float:
        """Objective units per unit of shortfall of soft target ``target`` (``"gdp"``, ``"pillar:<name>"``, ``"new_energy"``).

        Examples
        --------
        >>> s = Scenario(shortfall_weights={"pillars": 2.0, "big_health": 5.0})
        >>> s.shortfall_weight("gdp"), s.shortfall_weight("pillar:culture_tourism"), s.shortfall_weight("pillar:big_health")
        (1.0, 2.0, 5.0)
        """
        default = DEFAULT_SHORTFALL_WEIGHTS[self.objective]
        w = self.shortfall_weights
        if target.startswith("pillar:"):
            name = target.split(":", 1)[1]
            return float(w.get(name, w.get("pillars", default["pillars"])))
        return float(w.get(target, default.get(target, 1.0)))

    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with ``changes`` applied (validated)."""
        return dataclasses.replace(self, **changes)

    # --------------------------------------------------------------------- TOML
    def to_dict(self) -> dict:
        """Nested dict in the TOML layout (sections as in the shipped scenarios)."""
        flat = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out: dict[str, Any] = {}
        for name, value in flat.items():
            if value is None:
                continue  # TOML has no null: a missing key means "default/None"
            if isinstance(value, dict):
                value = {str(k): v for k, v in value.items()}
            sec, _, key = _toml_key(name).rpartition(".")
            (out.setdefault(sec, {}) if sec else out)[key] = value
        return out

    def to_toml(self, path: str | Path | None = None, *, overwrite: bool = False) -> str:
        """Return the scenario as TOML text; also write it to ``path`` if given.

        Raises
        ------
        OverwriteError
            ``path`` exists and ``overwrite`` is false.
        """
        text = tomli_w.dumps(self.to_dict())
        if path is not None:
            atomic_write_text(path, text, overwrite=overwrite)
        return text

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build from the nested TOML layout (or a flat dict of field names)."""
        if not isinstance(data, Mapping):
            raise ScenarioError(f"a scenario must be a table of fields, got {type(data).__name__}", field="scenario")
        known = {f.name for f in dataclasses.fields(cls)}
        flat: dict[str, Any] = {}
        for key, value in data.items():
            if key in _SECTIONS and not isinstance(value, Mapping):
                raise ScenarioError(f"[{key}] must be a table of fields, got {value!r}", field=key)
            if key in _SECTIONS:
                for sub, v in value.items():
                    if sub not in _SECTIONS[key]:
                        raise ScenarioError(f"unknown field [{key}] {sub}", field=f"{key}.{sub}")
                    flat[sub] = v
            elif key in known:
                flat[key] = value
            else:
                raise ScenarioError(f"unknown scenario field {key!r}", field=key)
        hints = typing.get_type_hints(cls)
        for name, value in flat.items():  # TOML keys are strings: years become integers (values are checked later)
            if typing.get_args(hints.get(name))[:1] == (int,) and isinstance(value, Mapping):
                years = {}
                for k, v in value.items():
                    try:
                        years[int(k)] = v
                    except (TypeError, ValueError):
                        key = _toml_key(name)
                        raise ScenarioError(
                            f"{key} has key {k!r}; expected a year (an integer)", field=f"{key}.{k}"
                        ) from None
                flat[name] = years
        return cls(**flat)

    @classmethod
    def builtin(cls, name: str = "baseline") -> Scenario:
        """A scenario shipped with xn_io, by name (see :func:`builtin_scenarios`).

        Raises
        ------
        ScenarioError
            No shipped scenario has that name.

        Examples
        --------
        >>> Scenario.builtin("strict-carbon").carbon_peak_year
        2027
        """
        names = builtin_scenarios()
        if name not in names:
            raise ScenarioError(f"no built-in scenario {name!r}; there are {names}", field="name")
        text = (importlib.resources.files("xn_io.optimize") / "scenarios" / f"{name}.toml").read_text(encoding="utf-8")
        return cls.from_dict(tomllib.loads(text))

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Read a scenario file.

        Raises
        ------
        ScenarioError
            The file cannot be parsed, or a field is unknown or invalid.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "s.toml"
        >>> _ = Scenario(name="test", budget_growth=0.1).to_toml(p)
        >>> s = Scenario.from_toml(p)
        >>> s.name, s.budget_growth, s.pillar_targets["culture_tourism"]
        ('test', 0.1, 500.0)
        """
        path = Path(path)
        try:
            if path.stat().st_size > _MAX_TOML_BYTES:
                raise ScenarioError(
                    f"{path}: {path.stat().st_size:,} bytes; a scenario file is at most {_MAX_TOML_BYTES:,} bytes",
                    field="path",
                )
            text = path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise ScenarioError(f"scenario file {path} does not exist", field="path") from None
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            raise ScenarioError(
                f"{path}, line {line}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save the file as UTF-8",
                field="path",
            ) from None
        except IsADirectoryError:
            raise ScenarioError(f"{path} is a folder; expected a scenario TOML file", field="path") from None
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}", field="path") from None
        _check_nesting(text, path)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path} is not valid TOML: {exc}", field="path") from None
        except RecursionError:
            raise ScenarioError(
                f"{path}: tables nested too deeply (at most {_MAX_KEY_DEPTH} levels)", field="path"
            ) from None
        return cls.from_dict(data)


_MAX_TOML_BYTES = 1_000_000
_MAX_KEY_DEPTH = 16


def _check_nesting(text: str, path: Path) -> None:
    """Refuse keys and headers nested deeper than any scenario needs, before parsing them."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        if stripped.startswith("#"):
            continue
        head = stripped.split("]", 1)[0] if stripped.startswith("[") else stripped.split("=", 1)[0]
        if (
            head.count(".") > _MAX_KEY_DEPTH
            or stripped.count("{") > _MAX_KEY_DEPTH
            or stripped.count("[") > _MAX_KEY_DEPTH
        ):
            raise ScenarioError(
                f"{path}, line {number}: nested more than {_MAX_KEY_DEPTH} levels deep; no scenario field is",
                field="path",
            )
