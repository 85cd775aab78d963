"""Plan.summary reads as a planner expects: plain numbers, no Python names, every missed target explained."""

import re

from xn_io.optimize import Scenario, solve


def test_the_baseline_summary_speaks_to_a_planner(table):
    plan = solve(table, Scenario())
    text = plan.summary()
    assert "Plan.binding" not in text and "Plan." not in text  # no Python attribute a planner cannot open
    assert not re.search(r"\d[eE][-+]\d", text), "a figure in scientific notation"
    lines = {line.split("  ")[1].strip() if "  " in line else "": line for line in text.splitlines()}
    missed = plan.targets[~plan.targets["met"]]
    assert len(missed) > 0, "the baseline misses some soft targets (the case this test reads)"
    for name, row in missed.iterrows():
        line = next(v for k, v in lines.items() if k.startswith(str(name)))
        if row["cost_to_close"] == row["cost_to_close"]:  # finite: the re-solve closed one unit
            assert f"closing 1 {row['unit']} of it costs" in line
        elif row["closable_by"] < 1e-3 * abs(row["target"]):
            assert "leave no room to close it" in line, line
        else:
            assert f"close by {row['closable_by']:,.1f} {row['unit']} at most" in line, line
    if (plan.binding["family"] == "exports").sum() > 8:
        assert "more in the constraints table (constraints.csv, binding = True)" in text
