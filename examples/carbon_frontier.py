"""What does a tighter carbon cap cost Xianning in GDP? The carbon–GDP frontier of a scenario.

Solves the baseline scenario (or the scenario file given with --scenario) on the
embedded Xianning table, then re-solves the same model — built once, warm-started —
for a range of caps on 2030 CO2, from 60 % to 110 % of the baseline's own 2030 CO2.
It prints, for each cap, the best 2030 GDP, the optimum of the LP (the objective net
of the soft targets' shortfall penalty), the shadow price of the cap (objective
units per 万吨 of CO2) and the slope of the optimum between neighbouring points
(which must lie between the shadow prices at its two ends: the optimal value of an
LP is a concave function of a right-hand side, and the dual is its slope), and
the tightest cap at which the 2030 GDP goal is still reached. It writes a report
folder with the frontier chart and its CSV.

Every number here is a model result under the scenario's assumptions, on an
estimated table — not a statistic or a forecast.

Run: python examples/carbon_frontier.py [--scenario FILE] [--points N] [--out DIR] [--force] [--quick]
(without --out it writes to a new carbon_frontier_<date>_<time> folder and says so).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import xn_io
from xn_io.errors import OverwriteError
from xn_io.optimize import Scenario, frontier, solve
from xn_io.report import Report, estimate_sentence, output_folder
from xn_io.report.plan_sections import frontier_section

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(HERE / "scenarios" / "baseline.toml"))
    parser.add_argument("--points", type=int, default=11, help="caps on the frontier (default 11)")
    parser.add_argument(
        "--out", default=None, help="report folder to write (default: a new carbon_frontier_<time> folder)"
    )
    parser.add_argument("--force", action="store_true", help="replace the report folder if it exists")
    parser.add_argument("--quick", action="store_true", help="4 points only (for tests)")
    args = parser.parse_args()
    try:
        out = output_folder(args.out, stem="carbon_frontier", force=args.force)  # checked before any work
    except OverwriteError as exc:
        raise SystemExit(f"error: {exc}") from None

    table = xn_io.load_table("xianning-2025")
    print(
        estimate_sentence(table) + " Every figure below is a MODEL RESULT under the scenario's assumptions, "
        f"not a statistic or a forecast. Writing the report to {out}/\n"
    )
    scenario = Scenario.from_toml(args.scenario)
    last = scenario.last_year
    base = solve(table, scenario)
    co2_free = float(base.co2_total[last])
    # the plan's GDP goal is at current prices; the model's figures at 2025 prices (the scenario's deflator)
    goal = scenario.gdp_target / (1 + scenario.price_growth) ** (last - table.year)
    print(
        f"Scenario {scenario.name!r}: without a cap on {last} CO2 the plan emits {co2_free:,.0f} 万吨 in {last} "
        f"and reaches a GDP of {base.gdp[last]:,.0f} 亿元 at {table.year} prices (goal {scenario.gdp_target:,.0f} "
        f"at current prices = {goal:,.0f} at {table.year} prices, deflated by {100 * scenario.price_growth:.2f} %/yr).\n"
    )

    points = 4 if args.quick else args.points
    caps = [round(c, 1) for c in np.linspace(0.6, 1.1, points) * co2_free]
    f = frontier(table, scenario, carbon_caps=caps)
    unit = f.attrs.get("objective_unit", "objective units")
    gdp = f"gdp_{last}"
    ok = f["status"] == "optimal"

    print(f"Frontier: best {last} GDP for each cap on {last} CO2 (shadow price in {unit} per 万吨 CO2)")
    print(f"{'cap (万吨)':>10} {'status':>10} {'GDP (亿元)':>10} {'optimum':>10} {'price':>9} {'slope':>9}")
    feasible = f[ok].sort_values("carbon_cap")
    slopes = feasible["value"].diff().shift(-1) / feasible["carbon_cap"].diff().shift(-1)
    for i, row in f.sort_values("carbon_cap").iterrows():
        if row["status"] != "optimal":
            print(f"{row['carbon_cap']:10,.0f} {row['status']:>10} {'—':>10} {'—':>10} {'—':>9} {'—':>9}")
            continue
        slope = slopes.get(i, np.nan)
        print(
            f"{row['carbon_cap']:10,.0f} {row['status']:>10} {row[gdp]:10,.1f} {row['value']:10,.1f} "
            f"{row['carbon_price']:9.4f} " + (f"{slope:9.4f}" if np.isfinite(slope) else f"{'':>9}")
        )
    print("(optimum: the objective net of the soft targets' shortfall penalty; slope: of the optimum to the next cap)")

    # concavity check: each slope lies between the shadow prices at its two ends
    prices = feasible["carbon_price"].to_numpy()
    s = slopes.to_numpy()[:-1]
    tol = 1e-6 * max(1.0, float(np.nanmax(np.abs(prices))) if len(prices) else 1.0)
    consistent = all(min(a, b) - tol <= x <= max(a, b) + tol for a, b, x in zip(prices[:-1], prices[1:], s))
    print(f"\nslopes between shadow prices at both ends (LP frontier is concave): {'yes' if consistent else 'NO'}")

    reach = feasible[feasible[gdp] >= goal - 1e-6]
    if len(reach):
        print(f"tightest cap tried that still reaches the {last} GDP goal: {reach['carbon_cap'].min():,.0f} 万吨")
    else:
        print(
            f"no cap tried reaches the {last} GDP goal of {goal:,.0f} 亿元 at {table.year} prices "
            f"(best: {feasible[gdp].max():,.1f} 亿元): the goal is out of reach for other reasons (see the plan's shortfalls)."
        )
    if (~ok).any():
        print(f"caps with no feasible plan: {', '.join(f'{c:,.0f}' for c in f.loc[~ok, 'carbon_cap'])} 万吨")

    report = Report(f"Carbon–GDP frontier of scenario '{scenario.name}' on table '{table.name}'")
    report.note(
        "Every point is a model result — an estimate under the scenario's assumptions, on an estimated "
        "table — not a statistic or a forecast."
    )
    report.extend(
        frontier_section(
            f.assign(**{gdp: f[gdp].where(ok)}),
            x="carbon_cap",
            y=gdp,
            xlabel=f"CO2 cap in {last} (万吨)",
            ylabel=f"GDP in {last} (亿元)",
            goal=goal,
        )
    )
    report.write(out, overwrite=args.force)
    print(f"\nwrote {out}/report.html, {out}/frontier.csv and {out}/figures/frontier.png")


if __name__ == "__main__":
    main()
