"""Williams' "Economic planning" (Model Building in Mathematical Programming, §12.9).

An economy of coal, steel and transport: how should it grow over five years?
Three objectives on the same dynamic Leontief model:

1. maximise total productive capacity at the end of year 5;
2. maximise total production in years 4 and 5 (no exogenous demand in years 1–5);
3. maximise the manpower employed over the five years, with the labour limit lifted.

Data as in the book (and SAS/OR's example mpex09, which reproduces it): inputs
to production are delivered a year ahead (input lag 1), inputs to new capacity
two years ahead (construction lag 2), labour for new capacity one year ahead;
stocks 150/80/100, capacities 300/350/280, demand 60/60/30, 470 of labour a year;
year 6 must produce at least the static Leontief output for the demand and
build no new capacity. (Gurobi's notebook of this problem changes the stocks,
one coefficient and the timeline, and gets a different number.)

Run: python examples/williams_economic_planning.py
"""

from __future__ import annotations

import numpy as np

from xn_io.optimize import DynamicLeontief, Resource, dynamic_leontief_lp, leontief_lp

SECTORS = ["coal", "steel", "transport"]
A = np.array([[0.1, 0.5, 0.4], [0.1, 0.1, 0.2], [0.2, 0.1, 0.2]])
B = np.array([[0.0, 0.7, 0.9], [0.1, 0.1, 0.2], [0.2, 0.1, 0.2]])
LABOUR = np.array([0.6, 0.3, 0.2])
LABOUR_CAPACITY = np.array([0.4, 0.2, 0.1])
DEMAND = np.array([60.0, 60.0, 30.0])
YEARS = range(1, 6)

# Published optima: the book's solution (Williams 2013, §13.9) for variants 1 and 2, and for
# variant 3 the value asserted by sasoptpy's port of SAS/OR mpex09 (2450.03).
PUBLISHED = {"max capacity at end of year 5": 2141.9, "max production in years 4-5": 2618.6, "max manpower": 2450.0}


def problem(demand: np.ndarray, labour_limit: float | None) -> DynamicLeontief:
    static = leontief_lp(A, np.ones(3), DEMAND, sense="min").x  # 166.4, 105.7, 92.3
    return DynamicLeontief(
        A=A,
        B=B,
        demand=np.tile(demand, (len(YEARS), 1)),
        initial_capacity=[300.0, 350.0, 280.0],
        initial_stock=[150.0, 80.0, 100.0],
        years=YEARS,
        input_lag=1,
        construction_lag=2,
        resources={
            "manpower": Resource(
                per_output=LABOUR, per_new_capacity=LABOUR_CAPACITY, capacity_lag=1, limit=labour_limit
            )
        },
        terminal_output=static,
        products=SECTORS,
        activities=SECTORS,
    )


def solve_all() -> dict:
    """Solve the three variants; return {name: DynamicResult}."""
    return {
        "max capacity at end of year 5": dynamic_leontief_lp(problem(DEMAND, 470.0), {"capacity": {5: np.ones(3)}}),
        "max production in years 4-5": dynamic_leontief_lp(
            problem(np.zeros(3), 470.0), {"output": {4: np.ones(3), 5: np.ones(3)}}
        ),
        "max manpower": dynamic_leontief_lp(
            problem(DEMAND, None),
            {
                "output": dict.fromkeys(range(2, 7), LABOUR),
                "new_capacity": dict.fromkeys(range(3, 8), LABOUR_CAPACITY),
            },
        ),
    }


def main() -> None:
    results = solve_all()
    print("Williams, Economic planning (§12.9): objectives")
    for name, r in results.items():
        print(f"  {name:32s} {r.objective:10.2f}   (published {PUBLISHED[name]:.1f})")
    first = results["max capacity at end of year 5"]
    print("\nVariant 1 — output by year:")
    print(first.output.round(1).to_string())
    print("\nVariant 1 — new capacity by the year it comes on stream:")
    print(first.new_capacity.round(1).to_string())
    print("\nVariant 1 — manpower used (limit 470):")
    print(first.resource_use.round(1).to_string())


if __name__ == "__main__":
    main()
