"""How robust is a plan? Monte Carlo over the uncertain coefficients of the table.

The Xianning table is an estimate (regionalised coefficients, estimated
satellites), so one optimal plan says little on its own. :func:`monte_carlo`
draws ``n`` perturbed tables (:func:`perturb_table`), solves the same scenario
on each (through the executors of :func:`~xn_io.optimize.sweep`, so a run
scales from a laptop to a Dask cluster) and reports how often each target is
met, the spread of GDP and CO2, and which sectors receive investment in
(nearly) every draw.

How a table is perturbed: see :mod:`xn_io.perturb`.

Draws are independent and reproducible: draw ``i`` uses the ``i``-th child of
``numpy.random.SeedSequence(seed)``, whatever executor runs it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ArgumentError, ArgumentTypeError, InfeasibleError, XnIOError
from ..perturb import Perturbation, _seed_sequence, perturb_table
from .scenario import Scenario
from .sweep import _PROCESS_LOCK, plan_record, run_tasks
from .units import DEFAULT_UNITS, plan_units

__all__ = ["monte_carlo", "MonteCarloResult"]


# --------------------------------------------------------------------------------- the draws
def _draw_task(table, item, options) -> dict:
    """One Monte Carlo draw, run in a worker: perturb, solve, keep paths and investment."""
    from .solve import solve

    index, scenario, perturbation, seed = item
    rec: dict = {"draw": index}
    with _PROCESS_LOCK:
        try:
            drawn = perturb_table(table, perturbation, seed=seed)
            info = (drawn.metadata or {}).get("perturbation", {})
            rec.update({k: info.get(k) for k in ("redraws", "technical_shrink", "spectral_bound", "delta")})
            plan = solve(
                drawn,
                scenario,
                time_limit=options.get("time_limit"),
                diagnose_infeasible=options.get("diagnose", False),
                target_costs=False,
            )
        except InfeasibleError as exc:
            rec.update(status="infeasible", diagnosis=exc.diagnosis.message if exc.diagnosis is not None else str(exc))
            return rec
        except XnIOError as exc:
            rec.update(status="error", error=f"{type(exc).__name__}: {exc}")
            return rec
    rec.update(plan_record(plan))
    rec["gdp_path"] = {int(y): float(v) for y, v in plan.gdp.items()}
    rec["co2_path"] = {int(y): float(v) for y, v in plan.co2_total.items()}
    rec["investment_by_sector"] = {str(s): float(v) for s, v in plan.investment.sum(axis=1).items()}
    rec["targets_met_by"] = {str(t): bool(v) for t, v in plan.targets["met"].items()}
    return rec


@dataclass(frozen=True)
class MonteCarloResult:
    """The draws of :func:`monte_carlo` and the statistics a report needs.

    Attributes
    ----------
    scenario : Scenario
    perturbation : Perturbation
    seed : int or None
    draws : DataFrame
        One row per draw (index ``draw``): ``status``, the columns of
        :func:`~xn_io.optimize.plan_record`, ``redraws``, ``technical_shrink``,
        ``spectral_bound``, ``diagnosis``, ``error``, ``worker``.
    gdp, co2 : DataFrame
        Draw × year (base year included): GDP and total CO2 in ``units``; NaN for unsolved draws.
    investment : DataFrame
        Draw × sector: cumulative investment over the plan years, in ``units["money"]``.
    targets_met : DataFrame
        Draw × target: whether each target was met (NaN for unsolved draws).
    units : mapping
        The table's units (see :func:`xn_io.optimize.units.plan_units`).
    """

    scenario: Scenario
    perturbation: Perturbation
    seed: int | None
    draws: pd.DataFrame
    gdp: pd.DataFrame
    co2: pd.DataFrame
    investment: pd.DataFrame
    targets_met: pd.DataFrame
    units: Mapping[str, str] = dataclasses.field(default_factory=lambda: DEFAULT_UNITS)

    @property
    def n(self) -> int:
        """Number of draws."""
        return len(self.draws)

    @property
    def solved(self) -> pd.Index:
        """The draws with an optimal plan."""
        return self.draws.index[self.draws["status"] == "optimal"]

    def target_probability(self) -> pd.DataFrame:
        """Share of draws in which each target is met.

        Per target over the solved draws (``draws`` column: how many); the
        row ``"all targets"`` over every draw, an unsolved draw counting as a miss.
        """
        met = self.targets_met.loc[self.solved].astype(float)
        rows = {t: (float(met[t].mean()) if len(met) else np.nan, int(met[t].notna().sum())) for t in met.columns}
        all_met = (
            self.draws["all_targets_met"].eq(True)
            if "all_targets_met" in self.draws
            else pd.Series(False, index=self.draws.index)
        )
        rows["all targets"] = (float(all_met.mean()) if self.n else np.nan, self.n)
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["probability", "draws"])
        out.index.name = "target"
        return out

    def spread(self, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Mean, standard deviation and quantiles of last-year GDP and CO2, peak CO2 and cumulative CO2."""
        last = self.scenario.last_year
        cols = [
            c for c in (f"gdp_{last}", f"co2_{last}", "co2_peak", "cumulative_co2", "investment") if c in self.draws
        ]
        data = self.draws.loc[self.solved, cols].astype(float)
        out = pd.DataFrame({"mean": data.mean(), "std": data.std(ddof=1)})
        for q in quantiles:
            out[f"q{round(100 * q):02d}"] = data.quantile(q)
        out["unit"] = [
            self.units["co2"] if c.startswith(("co2", "cumulative_co2")) else self.units["money"] for c in out.index
        ]
        out.index.name = "quantity"
        return out

    def fan(self, quantity: str = "gdp", quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Year × quantile of ``"gdp"`` or ``"co2"`` over the solved draws: the data of a fan chart."""
        if quantity not in ("gdp", "co2"):
            raise ArgumentError(f"fan: quantity must be 'gdp' or 'co2', got {quantity!r}", argument="quantity")
        data = getattr(self, quantity).loc[self.solved]
        out = pd.DataFrame({f"q{round(100 * q):02d}": data.quantile(q) for q in quantiles})
        out.index.name = "year"
        return out

    def robust_investment(self, *, threshold: float = 1.0, share: float = 0.9) -> pd.DataFrame:
        """Sectors by the share of solved draws in which they receive more than ``threshold`` (cumulative, in the table's money unit).

        Columns ``share_invested``, ``median``, ``q05``, ``q95`` (money unit) and
        ``robust`` (share_invested ≥ ``share``); most robust first.
        """
        inv = self.investment.loc[self.solved]
        out = pd.DataFrame(
            {
                "share_invested": (inv > threshold).mean(),
                "median": inv.median(),
                "q05": inv.quantile(0.05),
                "q95": inv.quantile(0.95),
            }
        )
        out["robust"] = out["share_invested"] >= share
        out.index.name = "sector"
        return out.sort_values(["share_invested", "median"], ascending=False)

    def summary(self) -> str:
        """A short text: draws, target probabilities, spread, robust sectors."""
        last = self.scenario.last_year
        counts = self.draws["status"].value_counts().to_dict()
        head = (
            f"Monte Carlo of scenario '{self.scenario.name}': {self.n} draws ({counts}), "
            f"perturbation {dataclasses.asdict(self.perturbation)}"
        )
        lines = [head, "", "Probability that each target is met:"]
        for t, row in self.target_probability().iterrows():
            lines.append(f"  {t:42s} {100 * row['probability']:5.1f} %  ({int(row['draws'])} draws)")
        s = self.spread()
        lines.append("")
        for q in (f"gdp_{last}", f"co2_{last}", "co2_peak"):
            if q in s.index:
                r = s.loc[q]
                lines.append(
                    f"{q:16s} median {r['q50']:,.0f} {r['unit']}, 90 % of draws in [{r['q05']:,.0f}, {r['q95']:,.0f}]"
                )
        robust = self.robust_investment()
        robust = robust[robust["robust"]].sort_values("median", ascending=False)
        names = [f"{sec} ({row['median']:,.0f})" for sec, row in robust.head(10).iterrows()]
        more = f", and {len(robust) - 10} more" if len(robust) > 10 else ""
        lines.append("")
        money = self.units["money"]
        lines.append(
            f"Sectors invested in (> 1 {money} cumulative) in at least 90 % of the draws, largest median "
            f"investment ({money}) first: " + (", ".join(names) + more if names else "none")
        )
        return "\n".join(lines) + "\n"


def monte_carlo(
    table,
    scenario: Scenario | None = None,
    n: int = 100,
    *,
    perturb: Perturbation | None = None,
    seed: int | None = None,
    executor=None,
    n_workers: int | None = None,
    retries: int = 2,
    time_limit: float | None = None,
    diagnose_infeasible: bool = False,
    quiet: bool = False,
    mp_context: str = "spawn",
) -> MonteCarloResult:
    """Solve ``scenario`` on ``n`` perturbed copies of ``table`` and summarise the plans.

    Parameters
    ----------
    table : IOTable
    scenario : Scenario, optional
        Default ``Scenario()`` (soft targets: every draw is solved and its shortfalls reported).
    n : int
        Number of draws.
    perturb : Perturbation, optional
        Ranges (default ``Perturbation()``).
    seed : int, optional
        Seed; draw ``i`` uses child ``i`` of ``SeedSequence(seed)``, so the
        result does not depend on the executor.
    executor, n_workers, retries, time_limit, quiet, mp_context
        As in :func:`~xn_io.optimize.sweep`.
    diagnose_infeasible : bool
        Diagnose infeasible draws (an elastic re-solve each; default false).

    Returns
    -------
    MonteCarloResult
        ``target_probability()``, ``spread()``, ``fan()``, ``robust_investment()``, ``plot()``.

    Raises
    ------
    ArgumentError
        ``n`` not a positive integer or a bad seed (``ArgumentTypeError``
        for a ``scenario`` or ``perturb`` of the wrong type).
    ScenarioError
        A scenario that does not fit the table (checked once, before any draw).
    TableError
        See :func:`perturb_table`.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> mc = monte_carlo(t, Scenario(), 4, seed=7, quiet=True)
    >>> list(mc.draws["status"]), list(mc.fan("gdp").columns)
    (['optimal', 'optimal', 'optimal', 'optimal'], ['q05', 'q25', 'q50', 'q75', 'q95'])
    >>> float(mc.target_probability().loc["GDP 2030", "probability"]) in (0.0, 0.25, 0.5, 0.75, 1.0)
    True
    """
    scenario = scenario if scenario is not None else Scenario()
    if not isinstance(scenario, Scenario):
        raise ArgumentTypeError(f"scenario must be a Scenario, got {type(scenario).__name__}", argument="scenario")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ArgumentError(f"n must be a positive integer number of draws, got {n!r}", argument="n")
    perturb = perturb if perturb is not None else Perturbation()
    if not isinstance(perturb, Perturbation):
        raise ArgumentTypeError(f"perturb must be a Perturbation, got {type(perturb).__name__}", argument="perturb")
    children = _seed_sequence(seed).spawn(int(n))
    # a scenario that does not fit the table, or a table that cannot be perturbed, fails here once, not n times
    from .model import plan_data

    plan_data(table, scenario)
    perturb_table(table, perturb, seed=np.random.SeedSequence(0))
    items = [(i, scenario, perturb, children[i]) for i in range(int(n))]
    records = run_tasks(
        _draw_task,
        table,
        items,
        options={"time_limit": time_limit, "diagnose": diagnose_infeasible},
        executor=executor,
        n_workers=n_workers,
        retries=retries,
        quiet=quiet,
        desc="monte_carlo",
        mp_context=mp_context,
    )
    nested = ("gdp_path", "co2_path", "investment_by_sector", "targets_met_by")
    index = pd.RangeIndex(len(records), name="draw")

    def frame(key, columns_name):
        out = pd.DataFrame([r.get(key) or {} for r in records], index=index)
        out.columns.name = columns_name
        return out

    gdp, co2 = frame("gdp_path", "year"), frame("co2_path", "year")
    investment = frame("investment_by_sector", "sector").reindex(columns=[str(s) for s in table.sectors])
    targets = frame("targets_met_by", "target")
    draws = pd.DataFrame([{k: v for k, v in r.items() if k not in nested} for r in records], index=index)
    draws = draws.drop(columns="draw", errors="ignore")
    for col in ("diagnosis", "error"):
        if col not in draws:
            draws[col] = None
    return MonteCarloResult(
        scenario=scenario,
        perturbation=perturb,
        seed=seed,
        draws=draws,
        gdp=gdp,
        co2=co2,
        investment=investment,
        targets_met=targets,
        units=plan_units(table, scenario),
    )
