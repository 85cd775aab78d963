"""Where should Xianning invest in 2026–2030? The baseline plan on the embedded table.

Solves examples/scenarios/baseline.toml (or the scenario file given as the first
argument) on ``xn_io.load_table("xianning-2025")`` and prints the plan: 2030 pillar
outputs against their targets, the GDP path, the CO2 path and its peak year,
investment by sector, and the binding constraints with their shadow prices. Then it
asks which targets clash — with every target made a hard constraint, the elastic
diagnosis says what must give — and what carbon costs: the GDP-versus-CO2 frontier
for a range of 2030 carbon caps, from one model re-solved for each cap. Finally it
draws the GDP and CO2 paths and the pillars against their targets (saved as PNG files
into ``--out DIR``, by default a new ``plan_2026_2030_<date>_<time>`` folder, with ``plan.xlsx``).

Run: python examples/plan_2026_2030.py [scenario.toml] [--out DIR] [--force]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd

import xn_io
from xn_io._files import atomic_directory
from xn_io.errors import InfeasibleError, OverwriteError
from xn_io.optimize import Scenario, frontier, solve
from xn_io.report import estimate_sentence, output_folder
from xn_io.report.charts import path_chart, target_chart

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(HERE / "scenarios" / "baseline.toml"))
    parser.add_argument(
        "--out", help="folder for the charts and plan.xlsx (default: a new plan_2026_2030_<time> folder)"
    )
    parser.add_argument("--force", action="store_true", help="replace the --out folder if it exists")
    args = parser.parse_args(argv)
    try:
        out = output_folder(args.out, stem="plan_2026_2030", force=args.force)  # refused before any work
    except OverwriteError as exc:
        raise SystemExit(f"error: {exc}") from None
    path = Path(args.scenario)
    scenario = Scenario.from_toml(path)
    table = xn_io.load_table("xianning-2025")
    print(
        estimate_sentence(table) + " Every figure for 2026–2030 below is a MODEL RESULT under the scenario's "
        f"assumptions, not a statistic or a forecast. Charts and plan.xlsx go to {out}/\n"
    )
    print(f"Scenario {path.name}: {scenario.description}\n")
    plan = solve(table, scenario)
    print(plan.summary())

    print("2030 pillar outputs against their targets (亿元, 2025 prices):")
    print(plan.pillars.drop(columns="definition").round(1).to_string())

    print("\nPower mix, output by technology (亿元):")
    print(plan.output.loc[table.technologies.get("electricity", [])].round(1).to_string())

    print("\nWhich targets clash? The same scenario with every target hard:")
    try:
        solve(table, scenario.replace(target_mode="hard"))
        print("  all targets can be met together.")
    except InfeasibleError as err:
        print("  " + err.diagnosis.message)

    top = plan.co2_total[scenario.last_year]
    caps = [round(top * f) for f in (1.0, 0.95, 0.9, 0.85, 0.8, 0.75)]
    print(f"\nGDP versus the {scenario.last_year} carbon cap (targets as in the scenario):")
    curve = frontier(table, scenario, carbon_caps=caps)
    last = scenario.last_year
    shown = curve[["carbon_cap", "status", f"gdp_{last}", f"co2_{last}", "carbon_price"]].rename(
        columns={"carbon_price": f"shadow price ({curve.attrs['objective_unit']} per 万吨)"}
    )
    print(shown.round(2).to_string(index=False))

    goal = scenario.gdp_target / (1 + scenario.price_growth) ** (last - table.year)  # at 2025 prices
    figures = {
        "gdp_path": path_chart(
            plan.gdp.to_frame("GDP"),
            title="GDP, model result (亿元, 2025 prices)",
            ylabel="亿元",
            goal=(last, goal, f"plan goal {scenario.gdp_target:,.0f} at current prices = {goal:,.0f}"),
        ),
        "co2_path": path_chart(
            plan.co2_total.rename_axis("year").to_frame("CO2"),
            title="CO2 emissions, model result (万吨)",
            ylabel="万吨",
            peak_year=plan.co2_peak_year,
        ),
        "pillars": target_chart(
            pd.DataFrame({"2030 model": plan.pillars["output_2030"], "plan target": plan.pillars["target"]}),
            title=f"Pillar output in {last} against the plan's targets (亿元)",
            ylabel="亿元",
            actual="2030 model",
            target="plan target",
        ),
    }
    with atomic_directory(out, overwrite=args.force) as folder:
        for name, fig in figures.items():
            fig.savefig(folder / f"{name}.png", dpi=120, bbox_inches="tight")
        plan.to_excel(folder / "plan.xlsx")
    print(f"\ncharts and plan.xlsx (every quantity by sector and year, units in the headers) written to {out}/")


if __name__ == "__main__":
    main()
