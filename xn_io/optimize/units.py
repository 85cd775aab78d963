"""Units of a plan, taken from the table: money from ``IOTable.unit``, CO2, energy and
employment from the table's satellites.

A scenario's figures are read in these units; a scenario that states another unit
(``money_unit``, ``co2_unit``, ``energy_unit``) for figures it gives is an error that
names the field, never a silent conversion. Every label of a :class:`~xn_io.optimize.Plan`
(its frames, targets, shadow prices, the report and the charts) comes from here.

Examples
--------
>>> import xn_io
>>> from xn_io.optimize import Scenario
>>> t = xn_io.IOTable.from_arrays([[150, 500], [200, 100]], [350, 1700], unit="USD million",
...                               satellites={"co2": ([30.0, 10.0], "kt")})
>>> u = plan_units(t, Scenario())
>>> u["money"], u["co2"], u["energy"]
('USD million', 'kt', '万吨标准煤')
>>> objective_unit("min_co2", u)
'kt CO2'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .._frozen import FrozenDict
from ..errors import ScenarioError

__all__ = ["DEFAULT_UNITS", "plan_units", "check_units", "check_preset_money", "objective_unit", "constraint_unit"]

#: The units of the Xianning table, used where a table does not say (e.g. no energy satellite).
DEFAULT_UNITS = FrozenDict(money="亿元", co2="万吨", energy="万吨标准煤", employment="万人", power="万kW")

# objective → (kind of unit, what is counted)
_OBJECTIVES = {
    "max_gdp_2030": ("money", "GDP"),
    "max_discounted_gdp": ("money", "discounted GDP"),
    "min_investment": ("money", "investment"),
    "min_co2": ("co2", "CO2"),
}

# constraint family → (kind of unit, what is counted or "", what the family limits or requires)
_CONSTRAINTS = {
    "budget": ("money", "investment", "investment budget"),
    "energy_cap": ("energy", "", "energy cap"),
    "carbon_cap": ("co2", "CO2", "carbon cap"),
    "carbon_peak": ("co2", "CO2", "carbon peak (no year above the peak year)"),
    "carbon_budget": ("co2", "CO2", "cumulative carbon budget"),
    "carbon_intensity": ("co2", "CO2", "CO2-intensity limit"),
    "labour": ("employment", "", "employment limit"),
    "gdp_target": ("money", "GDP", "GDP target"),
    "pillar_targets": ("money", "output", "pillar target"),
    "new_energy": ("power", "", "new-energy capacity target"),
    "new_energy_sites": ("power", "", "new-energy sites and grid limit"),
    "gdp_floor": ("money", "GDP", "GDP floor"),
    "growth_up": ("money", "output", "growth ceiling"),
    "growth_down": ("money", "output", "decline floor"),
    "exports": ("money", "exports", "export market limit"),
    "utilisation": ("money", "output", "utilisation floor"),
    "local_supporting_rate": ("money", "local inputs", "local supporting rate target"),
    "non_fossil_share": ("energy", "non-fossil energy", "non-fossil share of energy use"),
    "energy_intensity": ("energy", "", "energy-intensity limit"),
    "fossil_energy_peak": ("energy", "fossil energy", "fossil energy peak"),
    "consumption_rate": ("money", "household consumption", "household consumption rate"),
    "cluster_output": ("money", "output", "advanced-manufacturing cluster output"),
    "cluster_share": ("money", "output", "clusters' share of industry"),
    "chain_leader_output": ("money", "output", "chain-leader output"),
}


def _satellite_unit(table: Any, name: str, fallback: str) -> str:
    sats = table.satellites
    return sats[name].unit if name in sats else fallback


def plan_units(table: Any, scenario: Any = None) -> FrozenDict:
    """The units of a plan on ``table``: keys ``money``, ``co2``, ``energy``, ``employment``, ``power``.

    Money is the table's unit; CO2, energy and employment the units of its
    ``co2``, ``energy`` and ``employment`` satellites, else the scenario's
    ``co2_unit``/``energy_unit``, else :data:`DEFAULT_UNITS`.
    """
    co2 = getattr(scenario, "co2_unit", None) or DEFAULT_UNITS["co2"]
    energy = getattr(scenario, "energy_unit", None) or DEFAULT_UNITS["energy"]
    return FrozenDict(
        money=str(table.unit),
        co2=_satellite_unit(table, "co2", co2),
        energy=_satellite_unit(table, "energy", energy),
        employment=_satellite_unit(table, "employment", DEFAULT_UNITS["employment"]),
        power=DEFAULT_UNITS["power"],
    )


def _gives_figures(value: Any) -> bool:
    """Whether a scenario field holds figures (a non-empty mapping, or a number, zero included)."""
    if value is None:
        return False
    return bool(value) if isinstance(value, Mapping) else True


def check_units(table: Any, scenario: Any) -> None:
    """Raise :class:`~xn_io.errors.ScenarioError` naming the field whose stated unit is not the table's.

    ``money_unit`` (when stated) must be the table's unit; ``co2_unit`` and
    ``energy_unit`` must be the units of the table's satellites when the
    scenario gives caps, allowances or a carbon budget in them.
    """
    money = getattr(scenario, "money_unit", None)
    if money is not None and money != table.unit:
        raise ScenarioError(
            f"money_unit is {money!r} but the table {table.name or '(unnamed)'!r} is in {table.unit!r}: "
            f"give the budget, GDP and pillar targets in {table.unit!r}",
            field="money_unit",
        )
    sats = table.satellites
    for sat, field, caps in (
        ("co2", "co2_unit", ("carbon_caps", "carbon_peak_allowance", "carbon_budget")),
        ("energy", "energy_unit", ("energy_caps",)),
    ):
        stated = getattr(scenario, field, None)
        if (
            sat in sats
            and stated is not None
            and stated != sats[sat].unit
            and any(_gives_figures(getattr(scenario, c, None)) for c in caps)
        ):
            raise ScenarioError(
                f"{field} is {stated!r} but the table's {sat!r} satellite is in {sats[sat].unit!r}: "
                f"give {' and '.join(caps)} in {sats[sat].unit!r}",
                field=field,
            )


#: Fields whose defaults (the Xianning preset of :class:`~xn_io.optimize.Scenario`) are money figures in 亿元,
#: with the constraint family that uses them.
_PRESET_MONEY = {"gdp_target": "gdp_target", "pillar_targets": "pillar_targets", "kw_per_output": "new_energy"}


def check_preset_money(table: Any, scenario: Any) -> None:
    """Raise :class:`~xn_io.errors.ScenarioError` when the Xianning preset's 亿元 figures would be read in another unit.

    A scenario's money figures are read in the table's unit when it states no
    ``money_unit``. The defaults of :class:`~xn_io.optimize.Scenario` are the
    Xianning plan's figures, in 亿元: the GDP target (3000), the pillar targets
    and ``kw_per_output`` (万kW per 亿元). On a table in another money unit,
    those still in force and left at the preset are an error naming them,
    never a plan off by the ratio of the units. Call it on the scenario as it
    applies to the table (:func:`~xn_io.optimize.model.for_table`).

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import Scenario
    >>> t = xn_io.load_table("xianning-2025")
    >>> t = t.replace(Z=t.Z * 1e4, Y=t.Y * 1e4, V=t.V * 1e4, M=t.M * 1e4, x=t.x * 1e4, unit="万元")
    >>> check_preset_money(t, Scenario())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    xn_io.errors.ScenarioError: gdp_target, pillar_targets, kw_per_output keep the Xianning preset's figures, ...
    >>> check_preset_money(t, Scenario(gdp_target=3e7, pillar_targets={}, kw_per_output={}))   # given in 万元
    """
    if getattr(scenario, "money_unit", None) is not None or table.unit == DEFAULT_UNITS["money"]:
        return  # a stated unit is checked by check_units; a 亿元 table reads the preset as it is
    from .scenario import Scenario

    defaults = Scenario()
    kept = []
    for name, family in _PRESET_MONEY.items():
        value, preset = getattr(scenario, name), getattr(defaults, name)
        if not scenario.family_on(family) or not value:
            continue
        if value == preset or (isinstance(value, Mapping) and any(preset.get(k) == v for k, v in value.items())):
            kept.append(name)
    if kept:
        unit = table.unit
        raise ScenarioError(
            f"{', '.join(kept)} {'keeps' if len(kept) == 1 else 'keep'} the Xianning preset's figures, which are in "
            f"{DEFAULT_UNITS['money']!r}, but the "
            f"table {table.name or '(unnamed)'!r} is in {unit!r}: give them in {unit!r} and set money_unit = {unit!r}, "
            "or switch their families off",
            field=kept[0],
        )


def objective_unit(objective: str, units: Mapping[str, str]) -> str:
    """The unit of an objective's value (the numerator of every shadow price), e.g. ``"亿元 GDP"``."""
    kind, what = _OBJECTIVES.get(objective, ("money", objective))
    return f"{units[kind]} {what}"


def constraint_unit(family: str, units: Mapping[str, str]) -> tuple[str, str]:
    """(unit of the right-hand side, what the family limits) of a constraint family."""
    kind, what, label = _CONSTRAINTS.get(family, ("money", "", family))
    return (f"{units[kind]} {what}".strip(), label)
