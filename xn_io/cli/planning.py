"""The planning subcommands of ``xn-io``: plan, report and scenario init.

Each command function takes the parsed arguments and returns an exit code;
errors are raised and turned into exit codes and one-line messages by
:func:`xn_io.cli.main`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .common import InputProblem, check_new, progress, resolve_table, say
from .display import terminal_width, wrap
from .text import frontier_text, plan_text

if TYPE_CHECKING:
    from ..report.chains import ChainDrawing

__all__ = [
    "load_scenario",
    "parse_caps",
    "default_caps",
    "cmd_plan",
    "cmd_frontier",
    "cmd_report",
    "cmd_scenario_init",
    "cmd_sensitivity",
    "sensitivity_text",
    "add_commands",
]


def load_scenario(path: str | None):
    """The scenario in the TOML file ``path``, or the shipped baseline when ``path`` is None.

    Raises
    ------
    ScenarioError
        From :meth:`Scenario.from_toml`: an unknown, invalid or wrongly typed
        field (named as in the file, e.g. ``economy.growth_max``), or a file
        that is not TOML.
    """
    from ..optimize import Scenario

    return Scenario() if path is None else Scenario.from_toml(path)


# ----------------------------------------------------------------------------- plan
def cmd_plan(args: argparse.Namespace) -> int:
    """Solve a scenario (the baseline without one), print the plan, optionally write its CSVs."""
    from ..optimize import solve

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    scenario = load_scenario(args.scenario)
    table = resolve_table(args.table)
    say(args, f"solving scenario {scenario.name!r} on table {table.name!r} ({table.n} sectors) …")
    plan = solve(table, scenario)
    if out is not None:
        plan.to_csv(out, overwrite=args.force)
    files = {"investment": f"{out}/investment.csv", "constraints": f"{out}/constraints.csv"} if out else None
    print(plan_text(plan, table, names=_names(table, args), width=terminal_width(), files=files))
    if out is not None:
        say(args, f"wrote {out}/ (CSV of every sector × year quantity, summary.txt, scenario.toml)")
    return 0


def _names(table, args):
    from ..report.glossary import Names

    return Names.for_table(table, getattr(args, "lang", "en") or "en")


# ----------------------------------------------------------------------------- frontier
def parse_caps(items: list[str] | None, *, option: str = "--carbon-caps") -> list[float] | None:
    """Caps from the command line: numbers separated by spaces or commas, or ``START:STOP:STEP`` (STOP included).

    Examples
    --------
    >>> parse_caps(["3000,3500", "4000"])
    [3000.0, 3500.0, 4000.0]
    >>> parse_caps(["2500:3500:500"])
    [2500.0, 3000.0, 3500.0]
    """
    if not items:
        return None
    caps: list[float] = []
    for item in items:
        for part in filter(None, (p.strip() for p in item.split(","))):
            try:
                if ":" in part:
                    start, stop, step = (float(v) for v in part.split(":"))
                    if not all(np.isfinite([start, stop, step])) or step <= 0 or stop < start:
                        raise ValueError
                    n = int(round((stop - start) / step))
                    if n + 1 + len(caps) > MAX_FRONTIER_POINTS:
                        raise InputProblem(
                            f"{option}: {part!r} asks for {n + 1:,} points (one solve each); "
                            f"at most {MAX_FRONTIER_POINTS} — use a larger STEP"
                        )
                    caps += [start + k * step for k in range(n + 1) if start + k * step <= stop * (1 + 1e-12)]
                else:
                    value = float(part)
                    if not np.isfinite(value):
                        raise ValueError
                    caps.append(value)
            except ValueError:
                raise InputProblem(
                    f"{option}: {part!r} is not a finite number or START:STOP:STEP with finite numbers and STEP > 0"
                ) from None
    if len(caps) > MAX_FRONTIER_POINTS:
        raise InputProblem(f"{option}: {len(caps):,} caps (one solve each); at most {MAX_FRONTIER_POINTS}")
    if any(c < 0 for c in caps):
        raise InputProblem(f"{option}: caps must be ≥ 0, got {min(caps)}")
    return caps


#: Most points a frontier from the command line may ask for (each is one solve of the plan model).
MAX_FRONTIER_POINTS = 1000


def default_caps(plan, *, points: int = 5) -> list[float]:
    """Carbon caps for a frontier around a solved plan: 70 % to 110 % of its last-year CO2."""
    last = plan.co2_total.iloc[-1]
    return [round(float(last) * f, 1) for f in np.linspace(0.7, 1.1, points)]


def _frontier(table, scenario, caps, energy_caps, years, *, quiet: bool):
    from ..optimize import frontier

    def bar(points):
        return progress(points, total=len(points), desc="frontier", quiet=quiet)

    return frontier(table, scenario, carbon_caps=caps, energy_caps=energy_caps, cap_years=years, progress=bar)


def _no_feasible_point(table, scenario, frame, x, caps, energy_caps, years) -> None:
    """Raise InfeasibleError with the diagnosis of the loosest point (no point of the frontier is feasible)."""
    import dataclasses

    from ..errors import InfeasibleError
    from ..optimize import diagnose

    loosest = float(frame[x].max())
    cap_years = list(years) if years else [scenario.last_year]
    field = "carbon_caps" if caps else "energy_caps"
    relaxed = dataclasses.replace(
        scenario, **{field: {**getattr(scenario, field), **{int(y): loosest for y in cap_years}}}
    )
    diagnosis = diagnose(table, relaxed)
    raise InfeasibleError(
        f"no cap of the frontier gives a feasible plan (loosest: {loosest:,.0f})", diagnosis=diagnosis
    )


def cmd_frontier(args: argparse.Namespace) -> int:
    """Solve a scenario for a sequence of carbon (and energy) caps and print the GDP–carbon trade-off."""
    from ..report import Report
    from ..report.plan_sections import frontier_section

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    caps = parse_caps(args.carbon_caps)
    energy_caps = parse_caps(args.energy_caps, option="--energy-caps")
    if not caps and not energy_caps:
        raise InputProblem("frontier: give --carbon-caps (e.g. --carbon-caps 2500:4000:500) or --energy-caps")
    scenario = load_scenario(args.scenario)
    table = resolve_table(args.table)
    n = (len(caps) if caps else 1) * (len(energy_caps) if energy_caps else 1)
    if n > MAX_FRONTIER_POINTS:
        raise InputProblem(
            f"frontier: {n:,} pairs of carbon and energy caps (one solve each); at most {MAX_FRONTIER_POINTS}"
        )
    say(
        args,
        f"solving {n} point{'s' if n != 1 else ''} of scenario {scenario.name!r} on {table.name!r} (one model, warm-started) …",
    )
    frame = _frontier(table, scenario, caps, energy_caps, args.years, quiet=args.quiet)
    last = scenario.last_year
    x = "carbon_cap" if caps else "energy_cap"
    y = f"gdp_{last}" if f"gdp_{last}" in frame.columns else "objective"
    if "status" in frame.columns and not (frame["status"] == "optimal").any():
        _no_feasible_point(table, scenario, frame, x, caps, energy_caps, args.years)
    from .text import model_results_line, table_status_line

    width = terminal_width()
    print(table_status_line(table, width))
    print(model_results_line(scenario.first_year, last, width))
    x_header = f"{'CO2' if caps else 'energy'} cap ({scenario.co2_unit if caps else scenario.energy_unit})"
    print(
        frontier_text(
            frame,
            x=x,
            y=y,
            x_header=x_header,
            y_header=f"GDP {last} ({table.unit})",
            co2_unit=scenario.co2_unit,
            width=width,
            files=str(out) if out else None,
            price_unit=frame.attrs.get("objective_unit", ""),
        )
    )
    if out is not None:
        r = Report(f"Carbon–GDP frontier: scenario '{scenario.name}' on table '{table.name}'")
        r.note("Every point is a model result — an estimate under the scenario's assumptions — not a statistic.")
        r.extend(
            frontier_section(
                frame.assign(**{y: frame[y].where(frame["status"] == "optimal")}) if "status" in frame else frame,
                x=x,
                y=y,
                xlabel=f"{'CO2' if caps else 'energy'} cap ({scenario.co2_unit if caps else scenario.energy_unit})",
                ylabel=f"GDP in {last} ({table.unit})",
                goal=scenario.gdp_target,
            )
        )
        r.write(out, overwrite=args.force)
        say(args, f"wrote {out}/report.html and {out}/frontier.csv")
    return 0


# ----------------------------------------------------------------------------- report
def cmd_report(args: argparse.Namespace) -> int:
    """Solve a scenario, trace its carbon–GDP frontier, draw the chains and write the report folder."""
    from ..optimize import solve
    from ..report.chains import chain_drawings
    from ..report.plan_report import plan_report

    out = Path(args.out)
    check_new(out, args.force)
    caps = parse_caps(args.carbon_caps)
    scenario = load_scenario(args.scenario)
    table = resolve_table(args.table)
    steps = (
        ["solve"]
        + ([] if args.no_frontier else ["frontier"])
        + ([] if args.no_sensitivity else ["sensitivity"])
        + ([] if args.no_chains else ["chains"])
        + ["charts", "write"]
    )
    plan = frontier = report = sens = effects = None
    chains: list[ChainDrawing] = []
    chains_note = ""
    for step in progress(steps, total=len(steps), desc="report", quiet=args.quiet):
        if step == "solve":
            plan = solve(table, scenario)
            if scenario.substitution_rate > 0 or any(v > 0 for v in scenario.substitution.values()):
                from ..optimize import substitution_effects

                effects = substitution_effects(table, scenario, target_costs=False)  # one more solve, without it
        elif step == "frontier":
            frontier = _frontier(
                table, scenario, caps or default_caps(plan, points=args.frontier_points), None, None, quiet=True
            )
            last = scenario.last_year
            frontier[f"gdp_{last}"] = frontier[f"gdp_{last}"].where(frontier["status"] == "optimal")
        elif step == "sensitivity":
            from ..optimize import sensitivity

            sens = sensitivity(table, scenario)
        elif step == "chains":
            chains, chains_note = chain_drawings(table, lang=args.lang)
        elif step == "charts":
            cols = ("carbon_cap", f"gdp_{scenario.last_year}")
            report = plan_report(
                plan,
                table,
                frontier=frontier,
                frontier_columns=cols,
                chains=chains,
                chains_note=chains_note,
                lang=args.lang,
                sensitivity=sens,
                substitution_effects=effects,
            )
        elif step == "write":
            assert report is not None, "the charts step runs before the write step"
            report.write(out, overwrite=args.force)
    files = {"investment": f"{out}/investment_by_sector.csv", "constraints": f"{out}/shadow_prices.csv"}
    print(plan_text(plan, table, names=_names(table, args), width=terminal_width(), files=files))
    print()
    print(wrap(f"wrote {out}/report.html, {out}/report.md and {out}/plan.xlsx (every table in full)", terminal_width()))
    return 0


# ----------------------------------------------------------------------------- sensitivity
def _cell(value, width: int, digits: int = 0) -> str:
    if isinstance(value, str):
        return f"{value[:width]:>{width}}"
    return f"{value:>{width},.{digits}f}"


def sensitivity_text(frame, metrics, *, top: int = 10, width: int = 80) -> str:
    """The ranking of a :func:`~xn_io.optimize.sensitivity` frame as text lines of at most ``width`` columns.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"metric": ["gdp_2030"], "metric_unit": ["亿元"], "rank": [1], "label": ["investment budget"],
    ...                   "unit": ["×"], "low_value": [0.8], "high_value": [1.2], "base": [2856.3], "at_low": [2803.7],
    ...                   "at_high": [float("nan")], "status_low": ["optimal"], "status_high": ["infeasible"],
    ...                   "swing": [52.6]})
    >>> print(sensitivity_text(f, ["gdp_2030"]))  # doctest: +NORMALIZE_WHITESPACE
    GDP in 2030 (亿元), base case 2,856:
     #  assumption                      low / high     at low   at high    swing
     1  investment budget               ×0.8 / ×1.2     2,804  infeasib       53
    """
    from ..report.sensitivity import metric_title

    lines = []
    for metric in metrics:
        rows = frame[frame["metric"] == metric].head(top)
        if rows.empty:
            continue
        unit = rows["metric_unit"].iloc[0]
        year = unit == "year"
        base = rows["base"].iloc[0]
        lines.append(
            f"{metric_title(metric)} ({unit}), base case {base:,.0f}:"
            if not year
            else f"{metric_title(metric)}, base case {int(base)}:"
        )
        lines.append(f"{'#':>2}  {'assumption':30s}  {'low / high':>13}  {'at low':>8}  {'at high':>8}  {'swing':>7}")
        for _, row in rows.iterrows():
            if row["unit"] == "×":
                rng = f"×{row['low_value']:.3g} / ×{row['high_value']:.3g}"
            elif row["unit"] == "year":
                rng = f"{int(row['low_value'])} / {int(row['high_value'])}"
            else:
                rng = f"{row['low_value']:.3g} / {row['high_value']:.3g}"
            at = [
                row[f"at_{side}"] if np.isfinite(row[f"at_{side}"]) else row[f"status_{side}"]
                for side in ("low", "high")
            ]
            digits = 0 if year or abs(base) >= 100 else 2
            if year:
                at = [f"{int(v)}" if not isinstance(v, str) else v for v in at]
            lines.append(
                f"{int(row['rank']):>2}  {str(row['label'])[:30]:30s}  {rng[:13]:>13}  {_cell(at[0], 8, digits)}"
                f"  {_cell(at[1], 8, digits)}  {_cell(row['swing'], 7, digits)}"
            )
        lines.append("")
    return "\n".join(line[:width] for line in lines).rstrip("\n")


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """One assumption at a time over its stated range; print the ranking of each result, optionally a report."""
    from ..optimize import ASSUMPTIONS, sensitivity
    from ..report import Report
    from ..report.sensitivity import drivers_text, sensitivity_section

    out = Path(args.out) if args.out else None
    if out is not None:
        check_new(out, args.force)
    names = {a.name for a in ASSUMPTIONS}
    for name in args.only or []:
        if name not in names:
            raise InputProblem(f"--only: no assumption {name!r}; the registry has: {', '.join(sorted(names))}")
    scenario = load_scenario(args.scenario)
    table = resolve_table(args.table)
    say(args, f"varying the assumptions of scenario {scenario.name!r} on table {table.name!r} one at a time …")

    def bar(runs):
        return progress(runs, total=len(runs), desc="sensitivity", quiet=args.quiet)

    frame = sensitivity(table, scenario, assumptions=args.only or None, progress=bar)
    present = list(dict.fromkeys(frame["metric"]))
    if args.metric:
        for m in args.metric:
            if m not in present:
                raise InputProblem(f"--metric: no result {m!r}; results are: {', '.join(present)}")
        metrics = list(args.metric)
    elif args.all:
        metrics = present
    else:
        metrics = [m for m in present if not m.startswith("pillar_")]
    print(f"Sensitivity of scenario '{scenario.name}' on table '{table.name}'")
    from .text import model_results_line, table_status_line

    print(table_status_line(table, terminal_width()))
    print(model_results_line(scenario.first_year, scenario.last_year, terminal_width()))
    print(f"({frame.attrs['n_solves']} solves in {frame.attrs['seconds']:.1f} s). Each assumption is moved alone")
    print("over its stated range (see --out for the basis of each); ranked by swing.\n")
    print(sensitivity_text(frame, metrics, top=args.top))
    print("")
    import textwrap

    for paragraph in drivers_text(frame, metrics=[m for m in metrics if m != "co2_peak_year"]).splitlines():
        print(textwrap.fill(paragraph, width=76))  # leaves room for the wide CJK units
    skipped = frame.attrs.get("skipped") or []
    if skipped and not args.quiet:
        print("\nNot varied: " + ", ".join(name for name, _ in skipped) + " (see the report or --debug).")
    if out is not None:
        r = Report(f"Sensitivity: scenario '{scenario.name}' on table '{table.name}'")
        r.note(
            "Every figure is a model result under the scenario's assumptions, on an estimated table — "
            "not a statistic or a forecast."
        )
        r.extend(sensitivity_section(frame))
        r.write(out, overwrite=args.force)
        say(args, f"wrote {out}/report.html, {out}/sensitivity.csv and the tornado charts")
    return 0


# ----------------------------------------------------------------------------- scenario init
def cmd_scenario_init(args: argparse.Namespace) -> int:
    """Write the baseline scenario, with a comment on every field, to edit."""
    from .._files import atomic_write_text
    from ..optimize import Scenario
    from .template import commented_scenario

    path = Path(args.path)
    check_new(path, args.force, folder=False)
    header = (
        "xn-io scenario: the assumptions of a 2026–2030 investment plan. Edit the values, then run "
        f"`xn-io plan {path.name}` or `xn-io report {path.name} --out DIR`. Money in 亿元 at base-year "
        "prices, CO2 in 万吨, energy in 万吨标准煤, capacity in 万kW, rates per year as fractions "
        "(0.06 = 6%). Defaults are the plan's figures where it gives one, otherwise labelled assumptions."
    )
    atomic_write_text(path, commented_scenario(Scenario(), header=header), overwrite=args.force)
    say(args, f"wrote {path}")
    return 0


def _points(text: str) -> int:
    """``--frontier-points``: an integer from 2 to :data:`MAX_FRONTIER_POINTS`."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
    if not 2 <= value <= MAX_FRONTIER_POINTS:
        raise argparse.ArgumentTypeError(f"{value} is outside 2–{MAX_FRONTIER_POINTS}")
    return value


# ----------------------------------------------------------------------------- parser
def add_commands(subs, sub, common) -> None:
    """Register plan, report and scenario on the subparsers ``subs``."""
    p = sub(
        subs,
        "plan",
        cmd_plan,
        "solve a scenario (the baseline without one) and print the plan",
        "xn-io plan examples/scenarios/strict-carbon.toml --table xianning-2025 --out plan_strict",
    )
    p.add_argument(
        "scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)"
    )
    common(p, table=True, out="", lang=True)

    p = sub(
        subs,
        "frontier",
        cmd_frontier,
        "the carbon–GDP trade-off: the best plan for each carbon (or energy) cap",
        "xn-io frontier examples/scenarios/baseline.toml --carbon-caps 2500:4000:500 --out frontier_baseline",
    )
    p.add_argument(
        "scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)"
    )
    p.add_argument(
        "--carbon-caps",
        nargs="+",
        metavar="CAP",
        help="CO2 caps in the table's CO2 unit (万吨 on Xianning): numbers, or START:STOP:STEP",
    )
    p.add_argument(
        "--energy-caps",
        nargs="+",
        metavar="CAP",
        help="energy caps in the table's energy unit (万吨标准煤 on Xianning): numbers, or START:STOP:STEP",
    )
    p.add_argument(
        "--years", nargs="+", type=int, metavar="YEAR", help="years the caps apply to (default: the last plan year)"
    )
    common(p, table=True, out="")

    p = sub(
        subs,
        "report",
        cmd_report,
        "solve a scenario and write a report folder (report.md, report.html, CSVs, charts)",
        "xn-io report --out baseline_report          # the baseline plan on the embedded table",
    )
    p.add_argument(
        "scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)"
    )
    common(p, table=True, lang=True)
    p.add_argument("--out", metavar="DIR", required=True, help="the report folder to create")
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument(
        "--carbon-caps",
        nargs="+",
        metavar="CAP",
        help="caps of the frontier, in the table's CO2 unit (default: 70%%–110%% of the plan's last-year CO2)",
    )
    p.add_argument(
        "--frontier-points",
        type=_points,
        default=5,
        metavar="N",
        help=f"points of the default frontier (default 5, 2–{MAX_FRONTIER_POINTS})",
    )
    p.add_argument("--no-frontier", action="store_true", help="leave the frontier out")
    p.add_argument("--no-chains", action="store_true", help="leave the chain drawings out")
    p.add_argument(
        "--no-sensitivity",
        action="store_true",
        help="leave out what drives the results (one-at-a-time sensitivity, ~40 solves)",
    )

    p = sub(
        subs,
        "sensitivity",
        cmd_sensitivity,
        "what drives the plan: each assumption moved alone over a stated range, results ranked (tornado)",
        "xn-io sensitivity examples/scenarios/baseline.toml --top 8 --out sensitivity_baseline",
    )
    p.add_argument(
        "scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)"
    )
    p.add_argument(
        "--metric",
        nargs="+",
        metavar="RESULT",
        help="results to print (e.g. gdp_2030 co2_2030 cumulative_co2 co2_peak_year pillar_big_health)",
    )
    p.add_argument("--all", action="store_true", help="print every result, the pillars included")
    p.add_argument("--only", nargs="+", metavar="NAME", help="vary only these assumptions (names of the registry)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="assumptions printed per result (default 10)")
    common(p, table=True, out="")

    p = sub(
        subs,
        "scenario",
        None,
        "scenario files: `scenario init PATH` writes a commented baseline to edit",
        "xn-io scenario init my_scenario.toml",
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = sub(
        actions,
        "init",
        cmd_scenario_init,
        "write the baseline scenario with a comment on every field",
        "xn-io scenario init my_scenario.toml",
    )
    q.add_argument("path", metavar="PATH", help="the scenario file to create")
    q.add_argument("--force", action="store_true", help="replace an existing file")
    common(q)
