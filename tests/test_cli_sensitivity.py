"""`xn-io sensitivity`: the ranking printed within 80 columns, a report folder, exit codes."""

from __future__ import annotations

import unicodedata

import pandas as pd

from tests.test_cli import run, run_here


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_sensitivity_prints_the_ranking_in_80_columns_and_writes_a_report(tmp_path):
    out = tmp_path / "sens"
    proc = run("sensitivity", "--only", "budget_scale", "demand_growth", "table.co2", "--out", str(out), "--quiet")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert all(_width(line) <= 80 for line in lines), [line for line in lines if _width(line) > 80]
    assert "GDP in 2030 (亿元), base case" in proc.stdout and "CO2 in 2030 (万吨)" in proc.stdout
    assert "year CO2 peaks" in proc.stdout and "moves most with" in proc.stdout
    frame = pd.read_csv(out / "sensitivity.csv")
    assert set(frame["assumption"]) == {"budget_scale", "demand_growth", "table.co2"}
    assert (out / "figures" / "tornado_gdp_2030.png").stat().st_size > 1000
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Tornado" in html and "basis" in html
    # the CO2 intensities drive CO2 more than the budget does: its row comes first
    co2 = [
        ln
        for ln in lines[lines.index(next(ln for ln in lines if ln.startswith("CO2 in 2030"))) :]
        if ln[:2].strip() == "1"
    ]
    assert "CO2 intensities" in co2[0]


def test_sensitivity_exit_codes(tmp_path, capsys):
    code, _, err = run_here(capsys, "sensitivity", "--only", "nonsense")
    assert code == 2 and "nonsense" in err and "budget_scale" in err
    code, _, err = run_here(capsys, "sensitivity", "--only", "budget_scale", "--metric", "gdp_2099")
    assert code == 2 and "gdp_2099" in err
    hard = tmp_path / "hard.toml"
    hard.write_text('target_mode = "hard"\n[targets]\ngdp_target = 90000.0\n', encoding="utf-8")
    code, out, err = run_here(capsys, "sensitivity", str(hard), "--only", "budget_scale")
    assert code == 3 and "infeasible" in err and "Traceback" not in err and "must" in out
    bad = tmp_path / "bad.toml"
    bad.write_text("[economy]\ngrowth_max = 'fast'\n", encoding="utf-8")
    code, _, err = run_here(capsys, "sensitivity", str(bad))
    assert code == 2 and "growth_max" in err and len(err.strip().splitlines()) == 1
