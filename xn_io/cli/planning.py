"""The planning subcommands of ``xn-io``: plan, report and scenario init.

Each command function takes the parsed arguments and returns an exit code;
errors are raised and turned into exit codes and one-line messages by
:func:`xn_io.cli.main`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .common import InputProblem, check_new, print_frame, progress, resolve_table, say

__all__ = ["load_scenario", "parse_caps", "default_caps", "cmd_plan", "cmd_frontier", "cmd_report", "cmd_scenario_init",
           "add_commands"]


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
    print(plan.summary())
    if out is not None:
        plan.to_csv(out, overwrite=args.force)
        say(args, f"wrote {out}/ (CSV of every sector × year quantity, summary.txt, scenario.toml)")
    return 0


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
        for part in filter(None, item.split(",")):
            try:
                if ":" in part:
                    start, stop, step = (float(v) for v in part.split(":"))
                    if step <= 0 or stop < start:
                        raise ValueError
                    n = int(round((stop - start) / step))
                    caps += [start + k * step for k in range(n + 1) if start + k * step <= stop * (1 + 1e-12)]
                else:
                    caps.append(float(part))
            except ValueError:
                raise InputProblem(f"{option}: {part!r} is not a number or START:STOP:STEP with STEP > 0") from None
    if any(c < 0 for c in caps):
        raise InputProblem(f"{option}: caps must be ≥ 0, got {min(caps)}")
    return caps


def default_caps(plan, *, points: int = 5) -> list[float]:
    """Carbon caps for a frontier around a solved plan: 70 % to 110 % of its last-year CO2."""
    last = plan.co2_total.iloc[-1]
    return [round(float(last) * f, 1) for f in np.linspace(0.7, 1.1, points)]


def _frontier(table, scenario, caps, energy_caps, years, *, quiet: bool):
    from ..optimize import frontier

    def bar(points):
        return progress(points, total=len(points), desc="frontier", quiet=quiet)

    return frontier(table, scenario, carbon_caps=caps, energy_caps=energy_caps, cap_years=years, progress=bar)


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
    say(args, f"solving {n} points of scenario {scenario.name!r} on {table.name!r} (one model, warm-started) …")
    frame = _frontier(table, scenario, caps, energy_caps, args.years, quiet=args.quiet)
    print_frame(frame, digits=2)
    if out is not None:
        last = scenario.last_year
        x = "carbon_cap" if caps else "energy_cap"
        y = f"gdp_{last}" if f"gdp_{last}" in frame.columns else "objective"
        r = Report(f"Carbon–GDP frontier: scenario '{scenario.name}' on table '{table.name}'")
        r.note("Every point is a model result — an estimate under the scenario's assumptions — not a statistic.")
        r.extend(frontier_section(frame.assign(**{y: frame[y].where(frame["status"] == "optimal")}) if "status" in frame else frame,
                                  x=x, y=y, xlabel=f"{'CO2' if caps else 'energy'} cap ({scenario.co2_unit if caps else scenario.energy_unit})",
                                  ylabel=f"GDP in {last} ({table.unit})", goal=scenario.gdp_target))
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
    steps = ["solve"] + ([] if args.no_frontier else ["frontier"]) + ([] if args.no_chains else ["chains"]) + ["charts", "write"]
    plan = frontier = report = None
    chains, chains_note = [], ""
    for step in progress(steps, total=len(steps), desc="report", quiet=args.quiet):
        if step == "solve":
            plan = solve(table, scenario)
        elif step == "frontier":
            frontier = _frontier(
                table, scenario, caps or default_caps(plan, points=args.frontier_points), None, None, quiet=True
            )
            last = scenario.last_year
            frontier[f"gdp_{last}"] = frontier[f"gdp_{last}"].where(frontier["status"] == "optimal")
        elif step == "chains":
            chains, chains_note = chain_drawings(table, lang=args.lang)
        elif step == "charts":
            cols = ("carbon_cap", f"gdp_{scenario.last_year}")
            report = plan_report(plan, table, frontier=frontier, frontier_columns=cols, chains=chains,
                                 chains_note=chains_note, lang=args.lang)
        elif step == "write":
            report.write(out, overwrite=args.force)
    print(plan.summary())
    print(f"wrote {out}/report.html and {out}/report.md")
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


# ----------------------------------------------------------------------------- parser
def add_commands(subs, sub, common) -> None:
    """Register plan, report and scenario on the subparsers ``subs``."""
    p = sub(subs, "plan", cmd_plan, "solve a scenario (the baseline without one) and print the plan",
            "xn-io plan examples/scenarios/strict-carbon.toml --table xianning-2025 --out plan_strict")
    p.add_argument("scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)")
    common(p, table=True, out="")

    p = sub(subs, "frontier", cmd_frontier, "the carbon–GDP trade-off: the best plan for each carbon (or energy) cap",
            "xn-io frontier examples/scenarios/baseline.toml --carbon-caps 2500:4000:500 --out frontier_baseline")
    p.add_argument("scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)")
    p.add_argument("--carbon-caps", nargs="+", metavar="CAP", help="CO2 caps (万吨): numbers, or START:STOP:STEP")
    p.add_argument("--energy-caps", nargs="+", metavar="CAP", help="energy caps (万吨标准煤): numbers, or START:STOP:STEP")
    p.add_argument("--years", nargs="+", type=int, metavar="YEAR", help="years the caps apply to (default: the last plan year)")
    common(p, table=True, out="")

    p = sub(subs, "report", cmd_report,
            "solve a scenario and write a report folder (report.md, report.html, CSVs, charts)",
            "xn-io report --out baseline_report          # the baseline plan on the embedded table")
    p.add_argument("scenario", nargs="?", default=None, metavar="SCENARIO.toml", help="scenario file (default: the baseline)")
    common(p, table=True, lang=True)
    p.add_argument("--out", metavar="DIR", required=True, help="the report folder to create")
    p.add_argument("--force", action="store_true", help="replace an existing folder")
    p.add_argument("--carbon-caps", nargs="+", metavar="CAP",
                   help="caps of the frontier (万吨; default: 70%%–110%% of the plan's last-year CO2)")
    p.add_argument("--frontier-points", type=int, default=5, metavar="N", help="points of the default frontier (default 5)")
    p.add_argument("--no-frontier", action="store_true", help="leave the frontier out")
    p.add_argument("--no-chains", action="store_true", help="leave the chain drawings out")

    p = sub(subs, "scenario", None, "scenario files: `scenario init PATH` writes a commented baseline to edit",
            "xn-io scenario init my_scenario.toml")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    q = sub(actions, "init", cmd_scenario_init, "write the baseline scenario with a comment on every field",
            "xn-io scenario init my_scenario.toml")
    q.add_argument("path", metavar="PATH", help="the scenario file to create")
    q.add_argument("--force", action="store_true", help="replace an existing file")
    common(q)
