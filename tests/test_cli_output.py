"""What the xn-io commands print: every line fits the terminal, pipes and bad numbers end cleanly."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import xn_io
from xn_io.cli import main
from xn_io.cli.display import display_width

ROOT = Path(__file__).resolve().parents[1]
WIDTH = 80


def _env(**extra) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": str(WIDTH), **extra}


def _run_here(capsys, monkeypatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _too_wide(text: str) -> list[str]:
    return [line for line in text.splitlines() if display_width(line) > WIDTH]


COMMANDS = [
    ("tables",),
    ("describe",),
    ("describe", "--lang", "zh"),
    ("multipliers",),
    ("multipliers", "china-2020", "--top", "5"),
    ("multipliers", "--lang", "zh", "--sort", "co2_multiplier"),
    ("plan",),
    ("plan", "--lang", "zh"),
    ("frontier", "--carbon-caps", "3000,4500"),
    ("chains",),
    ("chains", "--lang", "zh", "--top", "3"),
    ("sensitivity", "--only", "budget_scale", "demand_growth"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_every_command_fits_80_columns(capsys, monkeypatch, args):
    code, out, err = _run_here(capsys, monkeypatch, *args, "--quiet")
    assert code == 0, err
    assert out.strip()
    assert not _too_wide(out), _too_wide(out)
    assert "NaN" not in out and "Unnamed" not in out  # no raw frames
    assert "ESTIMATE" in out or "official" in out  # the status of the figures is said


def test_report_and_scenario_init_fit_80_columns(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # short paths: a path longer than a line cannot fit any terminal
    code, out, err = _run_here(
        capsys, monkeypatch, "report", "--out", "r", "--quiet", "--no-frontier", "--no-chains", "--no-sensitivity"
    )
    assert code == 0, err
    assert not _too_wide(out), _too_wide(out)
    assert "MODEL RESULTS" in out and "ESTIMATE" in out
    assert "see r/shadow_prices.csv" in out  # the rest of a cut list is in a named file
    assert (tmp_path / "r" / "shadow_prices.csv").is_file()
    code, out, err = _run_here(capsys, monkeypatch, "scenario", "init", "s.toml")
    assert code == 0 and not _too_wide(out + err)


def test_plan_says_where_the_rest_is(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run_here(capsys, monkeypatch, "plan", "--quiet", "--out", "p")
    assert code == 0
    pointers = [line.split("— see ", 1)[1].strip() for line in out.splitlines() if line.strip().startswith("… and")]
    assert pointers
    for target in pointers:
        assert (tmp_path / target).is_file(), target
    assert "Plan.binding" not in out  # no Python attribute for a command-line user


@pytest.mark.parametrize(
    "command",
    [None, "plan", "report", "frontier", "chains", "describe", "multipliers", "tables", "sensitivity", "scenario"],
)
def test_help_fits_80_columns(command):
    args = ["--help"] if command is None else [command, "--help"]
    proc = subprocess.run(
        [sys.executable, "-m", "xn_io.cli", *args], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert not _too_wide(proc.stdout), _too_wide(proc.stdout)


def test_a_closed_pipe_ends_quietly():
    # the reader goes away before anything is written: every write fails with EPIPE
    proc = subprocess.Popen(
        [sys.executable, "-m", "xn_io.cli", "multipliers", "xianning-2025"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert b"Broken pipe" not in err and b"Traceback" not in err, err


def test_head_three_exits_zero():
    proc = subprocess.run(
        f"set -o pipefail; {sys.executable} -m xn_io.cli multipliers xianning-2025 | head -3",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3 and proc.stderr == ""


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "3000,nan"])
def test_caps_that_are_not_finite_are_bad_input(capsys, monkeypatch, value):
    code, _, err = _run_here(capsys, monkeypatch, "frontier", f"--carbon-caps={value}", "--quiet")
    assert code == 2, err
    assert "--carbon-caps" in err and "finite" in err


def test_a_frontier_with_no_feasible_point_exits_3_and_diagnoses_once(capsys, monkeypatch):
    code, out, err = _run_here(capsys, monkeypatch, "frontier", "--carbon-caps", "0", "--quiet")
    assert code == 3, (out, err)
    assert "no cap of the frontier gives a feasible plan" in err
    lines = [line for line in (out + err).splitlines() if line.strip()]
    assert len(lines) == len(set(lines))  # nothing printed twice
    assert "relaxation" in out.lower()
    assert not _too_wide(out + err)


def test_report_of_a_substitution_scenario_says_what_it_brings(capsys, monkeypatch, tmp_path):
    """#16: 'bring the chain's imported chemicals into Xianning' from a scenario file, and the report shows the GDP,
    investment, jobs and CO2 it brings: the plan with substitution less the plan without it (two solves here)."""
    import pandas as pd

    from xn_io.optimize import Scenario, solve

    monkeypatch.chdir(tmp_path)
    s = Scenario.builtin("chemicals-local")
    s.to_toml(tmp_path / "chem.toml")
    code, _, err = _run_here(
        capsys, monkeypatch, "report", "chem.toml", "--out", "r", "--quiet", "--no-frontier", "--no-chains",
        "--no-sensitivity",
    )  # fmt: skip
    assert code == 0, err
    effects = pd.read_csv(tmp_path / "r" / "substitution_effects.csv", index_col=0)
    table = xn_io.load_table("xianning-2025")
    on = solve(table, s, target_costs=False)
    off = solve(table, s.replace(substitution_rate=0.0, substitution={}), target_costs=False)
    gdp = next(c for c in effects.columns if c.startswith("GDP"))
    co2 = next(c for c in effects.columns if c.startswith("CO2"))
    jobs = next(c for c in effects.columns if c.startswith("employment"))
    assert effects.loc[2030, gdp] == pytest.approx(on.gdp[2030] - off.gdp[2030], abs=1e-6)
    assert effects.loc[2030, co2] == pytest.approx(on.co2_total[2030] - off.co2_total[2030], abs=1e-6)
    assert effects.loc[2030, jobs] == pytest.approx(on.employment.sum()[2030] - off.employment.sum()[2030], abs=1e-6)
    assert "Effect of import substitution" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
