"""Where should Xianning invest in 2026–2030? The baseline plan on the embedded table.

Solves examples/scenarios/baseline.toml (or the scenario file given as the first
argument) on ``xn_io.load_table("xianning-2025")`` and prints the plan: 2030 pillar
outputs against their targets, the GDP path, the CO2 path and its peak year,
investment by sector, and the binding constraints with their shadow prices. Then it
asks which targets clash — with every target made a hard constraint, the elastic
diagnosis says what must give — and what carbon costs: the GDP-versus-CO2 frontier
for a range of 2030 carbon caps, from one model re-solved for each cap.

Run: python examples/plan_2026_2030.py [scenario.toml]
"""

from __future__ import annotations

import sys
from pathlib import Path

import xn_io
from xn_io.errors import InfeasibleError
from xn_io.optimize import Scenario, frontier, solve

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> None:
    path = Path(argv[0]) if argv else HERE / "scenarios" / "baseline.toml"
    scenario = Scenario.from_toml(path)
    table = xn_io.load_table("xianning-2025")
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


if __name__ == "__main__":
    main(sys.argv[1:])
