"""Plan: a solved investment plan as tidy data (sector × year frames, targets, shadow prices).

Nothing refers back to the Pyomo model: a Plan is plain pandas data that a
report, a chart or a CSV writer can use as it is.
"""

from __future__ import annotations

import io as _io
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pe

from .._files import atomic_directory
from .._frozen import FrozenDict
from ._solver import SolveOutcome, Status
from .scenario import Scenario
from .substitution import chain_summary, local_supply_frame, plan_local_supporting_rate
from .units import DEFAULT_UNITS, constraint_unit, objective_unit

__all__ = ["Plan", "extract_plan", "OBJECTIVE_UNITS", "CONSTRAINT_UNITS"]

#: Unit of the objective in the Xianning table's units (a plan takes its own from its table: Plan.units).
OBJECTIVE_UNITS = {
    k: objective_unit(k, DEFAULT_UNITS) for k in ("max_gdp_2030", "max_discounted_gdp", "min_investment", "min_co2")
}

#: Unit of each constraint family's right-hand side in the Xianning table's units, and what it limits.
CONSTRAINT_UNITS = {
    f: constraint_unit(f, DEFAULT_UNITS)
    for f in (
        "budget",
        "energy_cap",
        "carbon_cap",
        "carbon_peak",
        "carbon_budget",
        "carbon_intensity",
        "labour",
        "gdp_target",
        "pillar_targets",
        "new_energy",
        "new_energy_sites",
        "gdp_floor",
        "growth_up",
        "growth_down",
        "exports",
    )
}

_FAMILY_BLOCKS = (
    "budget",
    "energy_cap",
    "carbon_cap",
    "carbon_peak",
    "carbon_budget",
    "carbon_intensity",
    "labour",
    "gdp_target",
    "pillar_targets",
    "new_energy",
    "new_energy_sites",
    "gdp_floor",
    "local_supporting_rate",
    "non_fossil_share",
    "energy_intensity",
    "fossil_energy_peak",
    "consumption_rate",
    "cluster_output",
    "cluster_share",
    "chain_leader_output",
)


# Target rows: with soft targets their shortfall variable makes them always satisfiable.
_TARGET_BLOCKS = ("gdp_target", "pillar_targets", "new_energy")


@dataclass(frozen=True)
class Plan:
    """A solved 2026–2030 plan.

    Frames indexed by sector (or product) with one column per year, in the
    table's units (:attr:`units`: money at base-year prices, CO2, energy and
    employment as the table's satellites; 亿元, 万吨, 万吨标准煤 and 万人 for the
    Xianning table).

    Attributes
    ----------
    scenario : Scenario
    table_name : str
    status : Status
    objective : float
        Value of the objective (GDP, investment or CO2), in ``objective_unit``,
        without the shortfall penalty.
    objective_unit : str
    seconds, build_seconds : float
        Solve and model-build wall time.
    output, value_added, employment : DataFrame
        Sector × year, base year included.
    investment : DataFrame
        Sector × plan year: investment made in the year (its capacity comes on stream the next year).
        The model invests only where capacity is needed (see ``Scenario.investment_value_added``).
    non_capacity_investment : Series
        By plan year: fixed investment that builds no sector's capacity (housing, infrastructure),
        exogenous (``Scenario.non_capacity_investment``); it buys the same goods and counts against the budget.
    capacity : DataFrame
        Sector × year (plan years and the terminal year).
    exports : DataFrame
        Product × year: sales outside the region (the surplus of the IO balance).
    energy, co2 : DataFrame
        By sector plus a "households" row × year.
    gdp : Series
        By year, base year included.
    targets : DataFrame
        One row per target: target, achieved, shortfall, unit, met, ``weight``
        (objective units per unit of shortfall; NaN for hard targets) and, for
        a soft target missed (when :func:`~xn_io.optimize.solve` was asked for
        them), ``cost_to_close`` — the objective given up to close the
        shortfall by one unit (of the target: money or power capacity), found by a re-solve with the
        shortfall held one unit lower; ``gdp_cost_to_close``, the same in
        last-year GDP; ``closable_by``, how far any plan can close it when
        that is less than one unit (the costs are then NaN).
    pillars : DataFrame
        Pillar: base-year output, last-year output, target, shortfall, met, definition.
    constraints : DataFrame
        Every cap and target row: family, item, year, lhs, sense, rhs, slack,
        shadow_price, unit (of the shadow price), binding. Soft targets are
        priced by their weights, not by a dual: their rows carry no shadow
        price (NaN) and never count as binding (see ``targets``).
    balance_duals : DataFrame
        Product × year: objective gained per extra unit of money of the product available for final use.
    units : mapping
        ``money``, ``co2``, ``energy``, ``employment``, ``power``: the units of
        every figure, taken from the table (see :func:`xn_io.optimize.units.plan_units`).
    co2_accounts : DataFrame
        Year × account: ``production`` (CO2 emitted in the region), ``sent_out``
        (CO2 of the electricity — each multi-technology product — sold outside
        the region, at the local technology mix of the year) and
        ``electricity_adjusted`` = production − sent_out, as Chinese provincial
        accounting does. Electricity bought from outside is not in the table
        (local supply first), so the net flow out is the table's sales outside.
    must_run : tuple of str
        Technologies run at their availability (see :attr:`curtailment`).
    penalty : float
        Σ weight × shortfall of the soft targets (objective units); the LP
        optimised ``objective − penalty`` (maximising) or ``objective + penalty``.
    local_supply : DataFrame
        Import substitution (:mod:`xn_io.optimize.substitution`): one row per
        substituted (input, buyer) pair and plan year with local and outside
        purchases and the local share; empty when the scenario substitutes nothing.
    local_supporting_rate : DataFrame
        Pillar × year (base year included): the sector-level local supporting
        rate, local share of the pillar sectors' intermediate inputs
        (:func:`~xn_io.optimize.sector_local_supporting_rate`); empty when the
        table has no pillars or no imports row.
    """

    scenario: Scenario
    table_name: str
    status: Status
    objective: float
    objective_unit: str
    seconds: float
    build_seconds: float
    output: pd.DataFrame
    value_added: pd.DataFrame
    investment: pd.DataFrame
    capacity: pd.DataFrame
    exports: pd.DataFrame
    energy: pd.DataFrame
    co2: pd.DataFrame
    employment: pd.DataFrame
    gdp: pd.Series
    targets: pd.DataFrame
    pillars: pd.DataFrame
    constraints: pd.DataFrame
    balance_duals: pd.DataFrame = field(repr=False)
    co2_accounts: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    must_run: tuple = ()
    penalty: float = 0.0
    non_capacity_investment: pd.Series = field(default_factory=lambda: pd.Series(dtype=float), repr=False)
    units: Mapping[str, str] = field(default_factory=lambda: DEFAULT_UNITS)
    local_supply: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    local_supporting_rate: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def value(self) -> float:
        """The LP's optimal value: ``objective`` net of the shortfall penalty (what the shadow prices differentiate)."""
        maximise = self.scenario.objective.startswith("max")
        return self.objective - self.penalty if maximise else self.objective + self.penalty

    # ------------------------------------------------------------- derived views
    @property
    def binding(self) -> pd.DataFrame:
        """The constraints that bind, largest shadow price first."""
        b = self.constraints[self.constraints["binding"]]
        return b.reindex(b["shadow_price"].abs().sort_values(ascending=False).index)

    @property
    def co2_total(self) -> pd.Series:
        """Total CO2 by year (sectors and households), in ``units["co2"]``."""
        return self.co2.sum()

    @property
    def co2_peak_year(self) -> int:
        """First year in which total CO2 reaches its highest level (base year included)."""
        total = self.co2_total
        top = total.max()
        return int(total.index[(total >= top - 1e-6 * max(1.0, abs(top))).to_numpy()][0])

    @property
    def utilisation(self) -> pd.DataFrame:
        """Share of capacity in use, sector × plan year (output ÷ capacity; NaN where capacity is 0)."""
        years = [y for y in self.output.columns if y in self.capacity.columns]
        cap = self.capacity[years]
        return (self.output[years] / cap.where(cap > 0)).astype(float)

    @property
    def curtailment(self) -> pd.DataFrame:
        """Capacity of the must-run technologies left unused, sector × plan year (亿元 of output)."""
        years = [y for y in self.output.columns if y in self.capacity.columns]
        rows = list(self.must_run)
        return (self.capacity.loc[rows, years] - self.output.loc[rows, years]).clip(lower=0.0)

    @property
    def investment_by_sector(self) -> pd.Series:
        """Cumulative investment by sector over the plan years, largest first."""
        return self.investment.sum(axis=1).sort_values(ascending=False)

    # ------------------------------------------------------------------ outputs
    def to_frame(self) -> pd.DataFrame:
        """All sector × year quantities as one long table: quantity, sector, year, value, unit."""
        u = self.units
        units = {
            "output": u["money"],
            "value_added": u["money"],
            "investment": u["money"],
            "capacity": f"{u['money']}/yr",
            "exports": u["money"],
            "energy": u["energy"],
            "co2": u["co2"],
            "employment": u["employment"],
        }
        parts = []
        for name, unit in units.items():
            frame = getattr(self, name)
            long = frame.rename_axis(index="sector", columns="year").stack().rename("value").reset_index()
            long.insert(0, "quantity", name)
            long["unit"] = unit
            parts.append(long)
        gdp = self.gdp.rename_axis("year").rename("value").reset_index()
        gdp.insert(0, "quantity", "gdp")
        gdp.insert(1, "sector", "total")
        gdp["unit"] = self.units["money"]
        parts.append(gdp)
        return pd.concat(parts, ignore_index=True)

    def summary(self) -> str:
        """A readable text summary: targets, GDP and CO2 paths, investment, binding constraints."""
        out = _io.StringIO()
        s = self.scenario
        w = out.write
        w(f"Plan '{s.name}' on table '{self.table_name}' — {s.objective} ({self.status.value})\n")
        w(
            f"objective {self.objective:,.2f} {self.objective_unit}; solved in {self.seconds:.2f} s "
            f"(model built in {self.build_seconds:.2f} s); targets are {s.target_mode}"
        )
        if s.target_mode == "soft":
            w(f" (shortfalls priced at their weights: penalty {self.penalty:,.2f})")
        w("\n\n")
        last = s.last_year
        money, co2_unit = self.units["money"], self.units["co2"]
        w(f"Targets in {last} ({money} at base-year prices unless stated):\n")
        for name, row in self.targets.iterrows():
            mark = "met" if row["met"] else f"SHORT by {row['shortfall']:,.1f}"
            if not row["met"] and "cost_to_close" in row.index:
                cost, most = row["cost_to_close"], row["closable_by"]
                if np.isfinite(cost):
                    mark += f"; closing 1 {row['unit']} of it costs {cost:,.2f} {self.objective_unit}"
                elif np.isfinite(most) and most >= 1e-3 * max(abs(row["target"]), 1.0):
                    mark += f"; other limits let it close by {most:,.1f} {row['unit']} at most"
                elif np.isfinite(most):  # a re-solve found (next to) no room: not "by 6.7e-12"
                    mark += "; other limits leave no room to close it"
            w(f"  {name:38s} {row['achieved']:10,.1f} / {row['target']:10,.1f} {row['unit']:8s} {mark}\n")
        w("\nPillar definitions (sector shares counted in each pillar):\n")
        for pillar, row in self.pillars.iterrows():
            w(f"  {pillar}: {row['definition']}\n")
        w(
            "  (pillar output = Σ share × gross output of these sectors of the table; the plan's 产值(营收)\n"
            "   may count more, such as trade and services attached to a pillar — see the table's PROVENANCE)\n"
        )
        w(f"\nGDP by year ({money}): " + ", ".join(f"{y} {v:,.0f}" for y, v in self.gdp.items()) + "\n")
        co2 = self.co2_total
        w(f"CO2 by year ({co2_unit}): " + ", ".join(f"{y} {v:,.0f}" for y, v in co2.items()))
        w(f"; peak in {self.co2_peak_year}\n")
        if not self.co2_accounts.empty and self.co2_accounts["sent_out"].abs().sum() > 0:
            adj = self.co2_accounts["electricity_adjusted"]
            w(
                "CO2, electricity-adjusted (CO2 of electricity sent out removed): "
                + ", ".join(f"{y} {v:,.0f}" for y, v in adj.items())
                + "\n"
            )
        w(
            f"Money at {self.gdp.index[0]} prices; the plan's current-price targets are divided by the deflator "
            f"(price_growth {s.price_growth:.2%}/yr, an assumption).\n"
        )
        if self.must_run:
            cut = self.curtailment
            w(
                f"Zero-carbon plants run at availability ({', '.join(self.must_run)}); curtailed: "
                + (f"{cut.to_numpy().sum():,.2f} {money} of output" if cut.to_numpy().sum() > 1e-6 else "none")
                + f" (the grid may refuse at most {s.curtailment_max:.0%} of their output)\n"
            )
        w(f"\nInvestment by sector, cumulative ({money}):\n")
        inv = self.investment_by_sector
        util = self.utilisation
        w(f"  {'':32s} {money:>10s}   capacity used {util.columns[0]}–{util.columns[-1]}\n")
        for sec, v in inv[inv > 0.5].head(12).items():
            w(f"  {sec:32s} {v:10,.1f}   {util.loc[sec].min():4.0%}–{util.loc[sec].max():4.0%}\n")
        w(f"  {'total':32s} {inv.sum():10,.1f}\n")
        if self.scenario.family_on("utilisation"):
            w(
                f"  (every sector uses at least {self.scenario.utilisation_floor:.0%} of its capacity unless the "
                "scenario says otherwise: no idle builds)\n"
            )
        b = self.binding
        groups = (
            ("Binding caps and targets", b[b["family"].isin(_FAMILY_BLOCKS)], None),
            (
                "Binding market limits (sales outside the region at their absorption bound)",
                b[b["family"] == "exports"],
                8,
            ),
            ("Binding growth bounds", b[b["family"].isin(("growth_up", "growth_down"))], 8),
        )
        for title, rows, limit in groups:
            w(f"\n{title}, with shadow prices:\n")
            if rows.empty:
                w("  none\n")
            for _, row in (rows if limit is None else rows.head(limit)).iterrows():
                label = CONSTRAINT_UNITS.get(row["family"], ("", row["family"]))[1]
                item = "" if row["item"] == row["family"] else f" {row['item']}"
                w(f"  {label + item:58s} {row['year']!s:5s} {row['shadow_price']:+11.4f} {row['unit']}\n")
            if limit is not None and len(rows) > limit:
                w(f"  … and {len(rows) - limit} more in the constraints table (constraints.csv, binding = True)\n")
        w(chain_summary(self))
        return out.getvalue()

    def to_excel(self, path, *, overwrite: bool = False):
        """Write the plan as one ``.xlsx`` workbook: a sheet on the status of its figures, then one sheet per frame.

        Column headers carry their units (``2030 [亿元]``); see
        :func:`xn_io.optimize.workbook.plan_sheets` for the layout.

        Raises
        ------
        OverwriteError
            ``path`` exists and ``overwrite`` is false.
        """
        from ..excel import write_workbook
        from .workbook import plan_sheets

        return write_workbook(plan_sheets(self), path, overwrite=overwrite)

    def to_csv(self, path, *, overwrite: bool = False):
        """Write every frame as CSV, the summary and the scenario into a new folder ``path``.

        Raises
        ------
        OverwriteError
            ``path`` exists and ``overwrite`` is false.
        """
        with atomic_directory(path, overwrite=overwrite) as tmp:
            for name in (
                "output",
                "value_added",
                "investment",
                "capacity",
                "exports",
                "energy",
                "co2",
                "employment",
                "targets",
                "pillars",
                "constraints",
                "balance_duals",
            ):
                getattr(self, name).to_csv(tmp / f"{name}.csv")
            self.gdp.rename("gdp").to_csv(tmp / "gdp.csv")
            for name in ("local_supply", "local_supporting_rate"):
                if len(getattr(self, name)):
                    getattr(self, name).to_csv(tmp / f"{name}.csv")
            (tmp / "summary.txt").write_text(self.summary(), encoding="utf-8")
            (tmp / "scenario.toml").write_text(self.scenario.to_toml(), encoding="utf-8")
        return path


def _value(expr) -> float:
    return float(pe.value(expr))


def _constraint_rows(m, duals: dict, objective_unit: str, units: Mapping[str, str]) -> pd.DataFrame:
    rows = []
    soft = m.xn_data.scenario.target_mode == "soft"

    def add(family, item, year, con):
        lhs = _value(con.body)
        if con.has_ub():
            sense, rhs = "<=", _value(con.upper)
            slack = rhs - lhs
        else:
            sense, rhs = ">=", _value(con.lower)
            slack = lhs - rhs
        dual = float(duals.get(con, 0.0))
        tol = 1e-6 * max(1.0, abs(rhs))
        unit = f"{objective_unit} per {constraint_unit(family, units)[0]}"
        if family in _TARGET_BLOCKS and soft:  # priced by its weight, not a constraint: no shadow price
            rows.append((family, item, year, lhs, sense, rhs, slack, np.nan, unit, False))
            return
        rows.append((family, item, year, lhs, sense, rhs, slack, dual, unit, abs(slack) <= tol and abs(dual) > 1e-9))

    for fam in _FAMILY_BLOCKS:
        blk = getattr(m, fam, None)
        if blk is None or not blk.active:
            continue
        for idx in blk.con:
            year = idx if isinstance(idx, int) else m.xn_data.last_year
            item = idx if not isinstance(idx, int) else fam
            add(fam, item, year, blk.con[idx])
    gb = getattr(m, "growth_bounds", None)
    if gb is not None and gb.active:
        for (sec, y), con in gb.up.items():
            add("growth_up", sec, y, con)
        for (sec, y), con in gb.down.items():
            add("growth_down", sec, y, con)
    frame = pd.DataFrame(
        rows, columns=["family", "item", "year", "lhs", "sense", "rhs", "slack", "shadow_price", "unit", "binding"]
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame


def extract_plan(
    m,
    outcome: SolveOutcome,
    *,
    build_seconds: float = 0.0,
    reduced_costs: dict | None = None,
    units: Mapping[str, str] | None = None,
) -> Plan:
    """Read a solved plan model (see :func:`xn_io.optimize.build_model`) into a :class:`Plan`.

    ``units`` are the table's (:func:`xn_io.optimize.units.plan_units`); by default the Xianning table's.
    """
    d = m.xn_data
    s = d.scenario
    units = DEFAULT_UNITS if units is None else units
    obj_unit = objective_unit(s.objective, units)
    io = m.io
    years, base = d.years, d.base_year
    output = pd.DataFrame({base: d.x0, **{y: [_value(io.x[sec, y]) for sec in d.sectors] for y in years}})
    output.index = pd.Index(d.sectors, name="sector")
    value_added = output.mul(d.v, axis=0)
    investment = pd.DataFrame(
        {y: [_value(m.investment[sec, y]) for sec in d.sectors] for y in years}, index=output.index
    )
    capacity = pd.DataFrame({y: [_value(io.cap[sec, y]) for sec in d.sectors] for y in io.YC}, index=output.index)
    exports = pd.DataFrame({base: d.exports0, **{y: [_value(io.e[q, y]) for q in d.products] for y in years}})
    exports.index = pd.Index(d.products, name="product")

    co2 = _with_base(output, d.co2, d.co2_per0, d.co2_households, d.co2_0, years, base)
    energy = _with_base(output, d.energy, d.energy_per0, d.energy_households, d.energy_0, years, base)
    employment = pd.DataFrame({y: output[y] * d.employment.loc[y] for y in years})
    employment.insert(0, base, output[base] * d.employment_per0)
    gdp = value_added.sum().rename("gdp")
    gdp.index.name = "year"

    # targets
    targets, pillars = [], []
    last = d.last_year
    for t in m.TARGETS:
        if t == "gdp":
            achieved, target, unit, name = (
                _value(m.gdp[last]),
                _value(m.gdp_target.level[last]),
                units["money"],
                f"GDP {last}",
            )
        elif t == "new_energy":
            achieved, target, unit = _value(m.new_energy_capacity), _value(m.new_energy.level[last]), units["power"]
            name = f"new-energy capacity {last}"
        else:
            p = t.split(":", 1)[1]
            achieved, target, unit, name = (
                _value(m.pillar_output[p]),
                _value(m.pillar_targets.level[p]),  # a pillar target has its block
                units["money"],
                f"pillar {p} {last}",
            )
        weight = _value(m.shortfall_weight[t]) if s.target_mode == "soft" and hasattr(m, "shortfall_weight") else np.nan
        targets.append(
            (
                name,
                target,
                achieved,
                max(target - achieved, 0.0),
                unit,
                achieved >= target - 1e-6 * max(1, target),
                weight,
            )
        )
    targets = pd.DataFrame(
        targets, columns=["target_name", "target", "achieved", "shortfall", "unit", "met", "weight"]
    ).set_index("target_name")
    for p in m.PILLARS:
        rows = d.pillars[d.pillars["pillar"] == p]
        base_out = float((rows["share"].to_numpy() * d.x0[rows["sector"]].to_numpy()).sum())
        target = s.pillar_targets.get(p, np.nan) / d.deflator
        achieved = _value(m.pillar_output[p])
        definition = ", ".join(
            f"{sec}" + ("" if share == 1 else f" ×{share:g}") for sec, share in zip(rows["sector"], rows["share"])
        )
        pillars.append(
            (
                p,
                base_out,
                achieved,
                target,
                max(target - achieved, 0.0) if np.isfinite(target) else np.nan,
                bool(achieved >= target - 1e-6 * max(1, target)) if np.isfinite(target) else None,
                definition,
            )
        )
    pillars = pd.DataFrame(
        pillars, columns=["pillar", f"output_{base}", f"output_{last}", "target", "shortfall", "met", "definition"]
    ).set_index("pillar")
    duals = dict(outcome.duals)
    constraints = _constraint_rows(m, duals, obj_unit, units)
    if reduced_costs:
        constraints = pd.concat([constraints, _export_rows(m, reduced_costs, obj_unit, units)], ignore_index=True)
    balance_duals = pd.DataFrame(
        {y: [float(duals.get(io.balance[q, y], 0.0)) for q in d.products] for y in io.YB}, index=exports.index
    )
    objective = _value(m.objective_value) if hasattr(m, "objective_value") else outcome.optimal_objective
    penalty = _value(m.shortfall_penalty) if hasattr(m, "shortfall_penalty") else 0.0
    co2_accounts = _co2_accounts(co2, output, exports, d.make)
    return Plan(
        scenario=s,
        table_name=d.table_name,
        status=outcome.status,
        objective=objective,
        penalty=penalty,
        objective_unit=obj_unit,
        seconds=outcome.seconds,
        build_seconds=build_seconds,
        output=output,
        value_added=value_added,
        investment=investment,
        capacity=capacity,
        exports=exports,
        energy=energy,
        co2=co2,
        employment=employment,
        gdp=gdp,
        targets=targets,
        pillars=pillars,
        constraints=constraints,
        balance_duals=balance_duals,
        units=FrozenDict(units),
        co2_accounts=co2_accounts,
        must_run=tuple(d.must_run),
        non_capacity_investment=d.other_investment.rename("non_capacity_investment"),
        local_supply=(local_supply := local_supply_frame(m)),
        local_supporting_rate=plan_local_supporting_rate(m, output, local_supply),
    )


def _co2_accounts(co2: pd.DataFrame, output: pd.DataFrame, exports: pd.DataFrame, make: pd.Series) -> pd.DataFrame:
    """Production CO2, CO2 of multi-technology products (electricity) sold outside, and the adjusted account."""
    production = co2.sum()
    sent = pd.Series(0.0, index=production.index)
    for q in exports.index:
        techs = list(make.index[make == q])
        if len(techs) < 2:
            continue
        made = output.loc[techs].sum()
        per = co2.loc[techs].sum() / made.where(made > 0)
        sent = sent + (per * exports.loc[q]).fillna(0.0)
    frame = pd.DataFrame({"production": production, "sent_out": sent, "electricity_adjusted": production - sent})
    frame.index.name = "year"
    return frame


def _with_base(output, per, per0, households, base_total, years, base):
    """Sector × year frame of a satellite plus a households row; base year from the table's coefficients."""
    frame = pd.DataFrame({y: output[y] * per.loc[y] for y in years})
    frame.insert(0, base, output[base] * per0)
    hh_base = base_total - float(frame[base].sum())
    frame.loc["households"] = [hh_base] + households.tolist()
    return frame


def _export_rows(m, reduced_costs: dict, objective_unit: str, units: Mapping[str, str]) -> pd.DataFrame:
    """Exports at their market-absorption bound, with the bound's shadow price (reduced cost)."""
    rows = []
    io = m.io
    for (q, y), var in io.e.items():
        if y not in m.YEARS or var.ub is None:
            continue
        val, ub = float(var.value), float(var.ub)
        rc = float(reduced_costs.get(var, 0.0))
        at_ub = abs(ub - val) <= 1e-6 * max(1.0, ub)
        rows.append(
            (
                "exports",
                q,
                y,
                val,
                "<=",
                ub,
                ub - val,
                rc if at_ub else 0.0,
                f"{objective_unit} per {constraint_unit('exports', units)[0]}",
                at_ub and abs(rc) > 1e-9,
            )
        )
    frame = pd.DataFrame(
        rows, columns=["family", "item", "year", "lhs", "sense", "rhs", "slack", "shadow_price", "unit", "binding"]
    )
    frame["year"] = frame["year"].astype("Int64")
    return frame
