"""How robust is a plan? Monte Carlo over the uncertain coefficients of the table.

The Xianning table is an estimate (regionalised coefficients, estimated
satellites), so one optimal plan says little on its own. :func:`monte_carlo`
draws ``n`` perturbed tables (:func:`perturb_table`), solves the same scenario
on each (through the executors of :func:`~xn_io.optimize.sweep`, so a run
scales from a laptop to a Dask cluster) and reports how often each target is
met, the spread of GDP and CO2, and which sectors receive investment in
(nearly) every draw.

How a table is perturbed (:class:`Perturbation`)
------------------------------------------------
* **Technical coefficients**: every ``a_ij`` is multiplied by its own factor
  drawn uniformly from ``[1 − technical, 1 + technical]``. Base-year gross
  output ``x`` is held (it is the better-measured quantity); each product's
  final demand (all categories in proportion) absorbs the change of its
  intermediate sales, and each sector's value added (all rows in proportion)
  the change of its intermediate purchases, so both accounting identities
  still hold exactly. A draw is kept only if every final demand and every
  value added stays positive; then ``(I − A')x = y' > 0`` with ``x > 0``,
  which proves the economy productive: the spectral radius of ``A'`` is at
  most ``max_i (A'x)_i / x_i < 1`` (Collatz–Wielandt bound; Miller & Blair
  2022, §2.6). A rejected draw is redrawn, up to ``max_redraws`` times; after
  that the last draw's deviations are halved until it is accepted (recorded
  as ``technical_shrink``).
* **CO2 and energy intensities, capital–output ratios**: each sector's value of
  the ``"co2"``, ``"energy"`` and ``"capital"`` satellites is multiplied by its
  own factor, uniform in ``[1 − r, 1 + r]``. Households' direct emissions and
  other satellites are left as they are.

Draws are independent and reproducible: draw ``i`` uses the ``i``-th child of
``numpy.random.SeedSequence(seed)``, whatever executor runs it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ArgumentError, ArgumentTypeError, InfeasibleError, ScenarioError, TableError, XnIOError
from .scenario import Scenario
from .sweep import _PROCESS_LOCK, plan_record, run_tasks

__all__ = ["Perturbation", "perturb_table", "monte_carlo", "MonteCarloResult", "plot_monte_carlo"]

_SATELLITES = (("co2", "co2"), ("energy", "energy"), ("capital", "capital"))


@dataclass(frozen=True)
class Perturbation:
    """Ranges of the multiplicative perturbations of :func:`perturb_table` (all uniform, independent).

    Each value ``r`` means a factor uniform in ``[1 − r, 1 + r]`` per
    coefficient (technical) or per sector (satellites); 0 switches that part off.
    The defaults are xn_io's assumptions, not estimates from data: set them
    from what you know of your table's uncertainty.

    Attributes
    ----------
    technical : float
        Technical coefficients ``a_ij``. Default 0.10.
    co2 : float
        CO2 per unit of output (the ``"co2"`` satellite). Default 0.15.
    energy : float
        Energy per unit of output (the ``"energy"`` satellite). Default 0.10.
    capital : float
        Capital per unit of output (the ``"capital"`` satellite, the
        capital–output ratio of the plan model). Default 0.20.
    max_redraws : int
        Draws of the technical factors tried before the deviations are shrunk. Default 100.

    Raises
    ------
    ScenarioError
        A range outside ``[0, 1)`` or a negative ``max_redraws``.

    Examples
    --------
    >>> Perturbation(technical=0.2).co2, Perturbation(0, 0, 0, 0).is_zero
    (0.15, True)
    """

    technical: float = 0.10
    co2: float = 0.15
    energy: float = 0.10
    capital: float = 0.20
    max_redraws: int = 100

    def __post_init__(self) -> None:
        for name in ("technical", "co2", "energy", "capital"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1:
                raise ScenarioError(f"Perturbation.{name} must be a number in [0, 1), got {value!r}", field=name)
        if isinstance(self.max_redraws, bool) or not isinstance(self.max_redraws, int) or self.max_redraws < 0:
            raise ScenarioError(f"Perturbation.max_redraws must be an integer ≥ 0, got {self.max_redraws!r}",
                                field="max_redraws")

    @property
    def is_zero(self) -> bool:
        """True when nothing is perturbed."""
        return self.technical == self.co2 == self.energy == self.capital == 0


def _seed_sequence(seed) -> np.random.SeedSequence:
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None or (isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0):
        return np.random.SeedSequence(None if seed is None else int(seed))
    raise ArgumentError(f"seed must be a non-negative integer, a numpy SeedSequence or None, got {seed!r}", argument="seed")


def _rebalance(table, A2: np.ndarray):
    """Z, Y, V of a table with coefficients ``A2`` and the same x, or None if a final demand or value added is ≤ 0."""
    x = table.x.to_numpy(dtype=float)
    Z2 = A2 * x[np.newaxis, :]
    Y = table.Y.to_numpy(dtype=float)
    fd_old = Y.sum(axis=1)
    fd_new = x - Z2.sum(axis=1)
    V = table.V.to_numpy(dtype=float)
    va_old = V.sum(axis=0)
    m = table.M.to_numpy(dtype=float).sum(axis=0) if table.M is not None and len(table.M) else 0.0
    va_new = x - Z2.sum(axis=0) - m
    tol = 1e-9 * x
    if np.any(fd_new <= tol) or np.any(va_new <= tol):
        return None
    Y2 = Y * (fd_new / fd_old)[:, np.newaxis]
    V2 = V * (va_new / va_old)[np.newaxis, :]
    return (
        pd.DataFrame(Z2, index=table.Z.index, columns=table.Z.columns),
        pd.DataFrame(Y2, index=table.Y.index, columns=table.Y.columns),
        pd.DataFrame(V2, index=table.V.index, columns=table.V.columns),
    )


def perturb_table(table, perturbation: Perturbation | None = None, *, seed=None):
    """A copy of ``table`` with its coefficients perturbed within the ranges of ``perturbation``.

    Parameters
    ----------
    table : IOTable
    perturbation : Perturbation, optional
        Default ``Perturbation()``.
    seed : int or numpy.random.SeedSequence, optional
        Seed of the draw.

    Returns
    -------
    IOTable
        Balanced and productive (see the module docstring); ``metadata["perturbation"]``
        holds the ranges, ``redraws``, ``technical_shrink`` and ``spectral_bound``
        (``max_i (A'x)_i / x_i``, an upper bound of the spectral radius of ``A'``).
        With a zero perturbation the table itself is returned.

    Raises
    ------
    TableError
        Output, a product's final demand or a sector's value added is ≤ 0 in
        the table itself (the rebalancing needs them positive).

    References
    ----------
    Miller, R. E. & Blair, P. D. (2022). *Input–Output Analysis*, 3rd ed., §2.6
    (Hawkins–Simon conditions, productive economies).

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> p = perturb_table(t, Perturbation(technical=0.1, co2=0.2), seed=1)
    >>> ratio = (p.A / t.A).stack().dropna()
    >>> bool(ratio.between(0.9, 1.1).all()), bool((p.x == t.x).all())
    (True, True)
    >>> bool(p.metadata["perturbation"]["spectral_bound"] < 1)
    True
    """
    p = perturbation if perturbation is not None else Perturbation()
    if not isinstance(p, Perturbation):
        raise ArgumentTypeError(f"perturbation must be a Perturbation, got {type(p).__name__}", argument="perturbation")
    if p.is_zero:
        return table
    rng_tech, *rng_sat = (np.random.default_rng(s) for s in _seed_sequence(seed).spawn(1 + len(_SATELLITES)))
    x = table.x.to_numpy(dtype=float)
    A = table.A.to_numpy(dtype=float)
    info = {"technical": p.technical, "co2": p.co2, "energy": p.energy, "capital": p.capital,
            "redraws": 0, "technical_shrink": 1.0}
    changes: dict = {}
    if p.technical > 0:
        bad = np.flatnonzero(x <= 0)
        if bad.size:
            raise TableError(f"perturb_table: sector {table.sectors[bad[0]]!r} has output {x[bad[0]]} ≤ 0 "
                             f"({bad.size} such sectors); output must be positive")
        for label, values in (("final demand", table.Y.sum(axis=1)), ("value added", table.V.sum(axis=0))):
            low = values[values <= 0]
            if len(low):
                raise TableError(f"perturb_table: {label} of {low.index[0]!r} is {low.iloc[0]:g} ≤ 0 "
                                 f"({len(low)} sectors); it must be positive to absorb the perturbation")
        blocks = None
        for attempt in range(p.max_redraws + 1):
            factors = rng_tech.uniform(1 - p.technical, 1 + p.technical, A.shape)
            blocks = _rebalance(table, A * factors)
            if blocks is not None:
                info["redraws"] = attempt
                break
        shrink = 1.0
        while blocks is None:  # never accepted: halve the last draw's deviations (shrink → 0 is the table itself)
            shrink /= 2
            blocks = _rebalance(table, A * (1 + (factors - 1) * shrink))
        info["redraws"] = info["redraws"] if shrink == 1.0 else p.max_redraws
        info["technical_shrink"] = shrink
        changes.update(Z=blocks[0], Y=blocks[1], V=blocks[2], x=table.x)
        A2 = blocks[0].to_numpy() / x[np.newaxis, :]
    else:
        A2 = A
    info["spectral_bound"] = float(np.max((A2 @ x) / x)) if np.all(x > 0) else float("nan")
    satellites = dict(table.satellites)
    for (name, attr), rng in zip(_SATELLITES, rng_sat):
        r = getattr(p, attr)
        if r == 0 or name not in satellites:
            continue
        sat = satellites[name]
        factor = rng.uniform(1 - r, 1 + r, len(sat.values))
        satellites[name] = dataclasses.replace(
            sat, values=sat.values * factor,
            status="estimate" if sat.status in ("official", "mixed") else sat.status,
            note=f"{sat.note} [Monte Carlo draw: each sector × a factor uniform in [{1 - r:g}, {1 + r:g}]]".strip(),
        )
    metadata = {**dict(table.metadata or {}), "perturbation": info}
    return table.replace(satellites=satellites, metadata=metadata, **changes)


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
            rec.update({k: info.get(k) for k in ("redraws", "technical_shrink", "spectral_bound")})
            plan = solve(drawn, scenario, time_limit=options.get("time_limit"),
                         diagnose_infeasible=options.get("diagnose", False))
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
        Draw × year (base year included): GDP (亿元) and total CO2 (万吨); NaN for unsolved draws.
    investment : DataFrame
        Draw × sector: cumulative investment over the plan years, 亿元.
    targets_met : DataFrame
        Draw × target: whether each target was met (NaN for unsolved draws).
    """

    scenario: Scenario
    perturbation: Perturbation
    seed: int | None
    draws: pd.DataFrame
    gdp: pd.DataFrame
    co2: pd.DataFrame
    investment: pd.DataFrame
    targets_met: pd.DataFrame

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
        all_met = self.draws["all_targets_met"].eq(True) if "all_targets_met" in self.draws else pd.Series(False, index=self.draws.index)
        rows["all targets"] = (float(all_met.mean()) if self.n else np.nan, self.n)
        out = pd.DataFrame.from_dict(rows, orient="index", columns=["probability", "draws"])
        out.index.name = "target"
        return out

    def spread(self, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Mean, standard deviation and quantiles of last-year GDP and CO2, peak CO2 and cumulative CO2."""
        last = self.scenario.last_year
        cols = [c for c in (f"gdp_{last}", f"co2_{last}", "co2_peak", "cumulative_co2", "investment") if c in self.draws]
        data = self.draws.loc[self.solved, cols].astype(float)
        out = pd.DataFrame({"mean": data.mean(), "std": data.std(ddof=1)})
        for q in quantiles:
            out[f"q{round(100 * q):02d}"] = data.quantile(q)
        out["unit"] = ["万吨" if c.startswith(("co2", "cumulative_co2")) else "亿元" for c in out.index]
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
        """Sectors by the share of solved draws in which they receive more than ``threshold`` 亿元 (cumulative).

        Columns ``share_invested``, ``median``, ``q05``, ``q95`` (亿元) and
        ``robust`` (share_invested ≥ ``share``); most robust first.
        """
        inv = self.investment.loc[self.solved]
        out = pd.DataFrame({
            "share_invested": (inv > threshold).mean(),
            "median": inv.median(),
            "q05": inv.quantile(0.05),
            "q95": inv.quantile(0.95),
        })
        out["robust"] = out["share_invested"] >= share
        out.index.name = "sector"
        return out.sort_values(["share_invested", "median"], ascending=False)

    def summary(self) -> str:
        """A short text: draws, target probabilities, spread, robust sectors."""
        last = self.scenario.last_year
        counts = self.draws["status"].value_counts().to_dict()
        head = (f"Monte Carlo of scenario '{self.scenario.name}': {self.n} draws ({counts}), "
                f"perturbation {dataclasses.asdict(self.perturbation)}")
        lines = [head, "", "Probability that each target is met:"]
        for t, row in self.target_probability().iterrows():
            lines.append(f"  {t:42s} {100 * row['probability']:5.1f} %  ({int(row['draws'])} draws)")
        s = self.spread()
        lines.append("")
        for q in (f"gdp_{last}", f"co2_{last}", "co2_peak"):
            if q in s.index:
                r = s.loc[q]
                lines.append(f"{q:16s} median {r['q50']:,.0f} {r['unit']}, 90 % of draws in [{r['q05']:,.0f}, {r['q95']:,.0f}]")
        robust = self.robust_investment()
        robust = robust[robust["robust"]].sort_values("median", ascending=False)
        names = [f"{sec} ({row['median']:,.0f})" for sec, row in robust.head(10).iterrows()]
        more = f", and {len(robust) - 10} more" if len(robust) > 10 else ""
        lines.append("")
        lines.append("Sectors invested in (> 1 亿元 cumulative) in at least 90 % of the draws, largest median "
                     "investment (亿元) first: " + (", ".join(names) + more if names else "none"))
        return "\n".join(lines) + "\n"

    def plot(self, **kwargs):
        """See :func:`plot_monte_carlo`."""
        return plot_monte_carlo(self, **kwargs)


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
        _draw_task, table, items, options={"time_limit": time_limit, "diagnose": diagnose_infeasible},
        executor=executor, n_workers=n_workers, retries=retries, quiet=quiet, desc="monte_carlo",
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
    return MonteCarloResult(scenario=scenario, perturbation=perturb, seed=seed, draws=draws, gdp=gdp, co2=co2,
                            investment=investment, targets_met=targets)


# ----------------------------------------------------------------------------------- the chart
def plot_monte_carlo(result: MonteCarloResult, *, top: int = 12, threshold: float = 1.0):
    """Fan charts of GDP and CO2 and a box chart of investment by sector, as a matplotlib Figure.

    The figure is built without pyplot (no display needed; safe under the Agg backend).

    Parameters
    ----------
    result : MonteCarloResult
    top : int
        Sectors shown in the box chart (largest median investment first).
    threshold : float
        Investment (亿元) above which a sector counts as invested in (label of the box chart).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 4.2), layout="constrained")
    axes = fig.subplots(1, 3, width_ratios=[1, 1, 1.3])
    s = result.scenario
    # English units: the default fonts have no CJK glyphs (xn_io.report draws Chinese when it finds a font)
    for ax, quantity, unit, title in ((axes[0], "gdp", "100 million yuan", "GDP"), (axes[1], "co2", "10 kt", "CO2")):
        f = result.fan(quantity)
        years = f.index.to_numpy()
        ax.fill_between(years, f["q05"], f["q95"], alpha=0.2, color="C0", label="5–95 %")
        ax.fill_between(years, f["q25"], f["q75"], alpha=0.35, color="C0", label="25–75 %")
        ax.plot(years, f["q50"], color="C0", label="median")
        if quantity == "gdp" and s.family_on("gdp_target"):
            target = s.gdp_target / (1 + s.price_growth) ** (s.last_year - s.first_year + 1)  # at base-year prices
            ax.axhline(target, color="C3", ls="--", lw=1, label=f"target {target:,.0f}")
        ax.set_title(f"{title} ({unit}), {len(result.solved)} solved draws")
        ax.set_xticks(years)
        ax.legend(fontsize=8, loc="upper left")
    robust = result.robust_investment(threshold=threshold)
    names = list(robust.sort_values("median", ascending=False).index[:top])
    inv = result.investment.loc[result.solved, names]
    ax = axes[2]
    if len(inv):
        import inspect

        horizontal = ({"orientation": "horizontal"} if "orientation" in inspect.signature(ax.boxplot).parameters
                      else {"vert": False})  # matplotlib ≥ 3.10 / older
        ax.boxplot([inv[c].to_numpy() for c in names], showfliers=False, **horizontal)
        ax.set_yticks(range(1, len(names) + 1),
                      [f"{c} ({100 * robust.loc[c, 'share_invested']:.0f} %)" for c in names], fontsize=8)
        ax.invert_yaxis()
    ax.set_xlabel("cumulative investment, 100 million yuan")
    ax.set_title(f"Investment by sector (share of draws > {threshold:g})")
    fig.suptitle(f"Monte Carlo of '{s.name}'")
    return fig
