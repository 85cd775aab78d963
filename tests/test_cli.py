"""The `xn-io` command through real subprocess calls: help, each subcommand, exit codes, no overwriting."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import xn_io

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``xn-io ARGS`` as the console script would (``python -m xn_io.cli``), not on a terminal."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), "XN_IO_CJK_FONT": "none", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "xn_io.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )


def run_here(capsys, *args: str) -> tuple[int, str, str]:
    """Run ``xn-io ARGS`` in this process (for the cheap error paths); return code, stdout, stderr."""
    from xn_io.cli import main

    code = main([*args, "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_one_line_error(proc: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture(scope="module")
def small_table_dir(tmp_path_factory) -> Path:
    """Miller & Blair Table 2.3 as a user's CSV folder."""
    t = xn_io.IOTable.from_arrays(
        [[150.0, 500.0], [200.0, 100.0]],
        [350.0, 1700.0],
        sectors=["agriculture", "manufacturing"],
        satellites={"co2": ([30.0, 10.0], "万吨")},
        name="mb",
    )
    return t.to_csv(tmp_path_factory.mktemp("tables") / "mb")


def test_entry_point_is_declared():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    # the launcher guards Ctrl-C during the imports, then runs xn_io.cli.main (tests/test_robustness.py)
    assert meta["project"]["scripts"]["xn-io"] == "xn_io._console:main"


def test_help_lists_every_command_with_an_example():
    from xn_io.cli import build_parser

    proc = run("--help")
    assert proc.returncode == 0
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, sub in commands.items():
        assert name in proc.stdout
        text = sub.format_help()
        assert "example:" in text and f"xn-io {name}" in text, name


def test_tables_and_describe(tmp_path, capsys):
    proc = run("tables")
    assert proc.returncode == 0 and "xianning-2025" in proc.stdout and "china-2020" in proc.stdout
    out = tmp_path / "xianning"
    proc = run("describe", "xianning-2025", "--out", str(out), "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    assert "GDP" in proc.stdout and "estimate" in proc.stdout and "official" in proc.stdout
    assert (out / "report.html").is_file() and (out / "multipliers.csv").is_file()
    # refusal to overwrite: exit 2, one line naming the path, the folder untouched
    stamp = (out / "report.html").stat().st_mtime_ns
    code, _, err = run_here(capsys, "describe", "xianning-2025", "--out", str(out))
    assert code == 2 and str(out) in err and "--force" in err
    assert (out / "report.html").stat().st_mtime_ns == stamp


def test_multipliers_on_a_users_csv_folder(small_table_dir, tmp_path, capsys):
    csv = tmp_path / "m.csv"
    proc = run("multipliers", str(small_table_dir), "--out", str(csv))
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(csv, index_col=0)
    # Miller & Blair (2022) eq. 2.14: column sums of L are 1.5181 and 1.4521
    assert frame.loc["agriculture", "output_multiplier"] == pytest.approx(1.5181, abs=1e-4)
    assert frame.loc["manufacturing", "output_multiplier"] == pytest.approx(1.4521, abs=1e-4)
    code, _, err = run_here(capsys, "multipliers", str(small_table_dir), "--out", str(csv))
    assert code == 2 and str(csv) in err
    code, out, _ = run_here(
        capsys,
        "multipliers",
        str(small_table_dir),
        "--out",
        str(csv),
        "--force",
        "--sort",
        "co2_multiplier",
        "--top",
        "1",
    )
    assert code == 0 and "agriculture" in out and "manufacturing" not in out.split("units:")[0]


def test_bad_table_is_exit_2_without_traceback(tmp_path, capsys):
    from xn_io.cli import main
    from xn_io.cli.common import InputProblem

    assert_one_line_error(run("describe", "no-such-table"), 2, "no-such-table", "xianning-2025")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "metadata.toml").write_text('name = "broken"\n')
    code, _, err = run_here(capsys, "multipliers", str(broken))
    assert code == 2 and "broken" in err and "Z.csv" in err
    with pytest.raises(InputProblem):  # --debug lets the exception (and its traceback) through
        main(["describe", "no-such-table", "--debug"])


# ----------------------------------------------------------------------------- planning commands
BAD_SIGN = 'name = "bad"\n[economy]\ngrowth_max = -0.5\n'
BAD_TYPE = 'name = "bad"\n[economy]\ngrowth_max = "fast"\n'
BAD_TOML = 'name = "bad"\n[economy\n'
UNKNOWN = 'name = "bad"\nbudgett = 5\n'
HARD = 'name = "hard"\n[targets]\ntarget_mode = "hard"\n'


def test_plan_baseline_writes_once_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "plan"
    proc = run("plan", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "GDP" in proc.stdout and "shadow price" in proc.stdout.lower()
    assert (out / "output.csv").is_file() and (out / "scenario.toml").is_file()
    assert_one_line_error(run("plan", "--out", str(out)), 2, str(out), "--force")


def test_bad_scenario_is_exit_2_naming_file_and_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_SIGN)
    assert_one_line_error(run("plan", str(bad)), 2, "bad.toml", "growth_max")


@pytest.mark.parametrize(
    "text, needles",
    [(BAD_TYPE, ["economy.growth_max"]), (BAD_TOML, ["not valid TOML", "line 2"]), (UNKNOWN, ["budgett"])],
    ids=["wrong-type", "not-toml", "unknown-field"],
)
def test_bad_scenario_messages(tmp_path, capsys, text, needles):
    from xn_io.cli import main

    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    assert main(["plan", str(bad), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.toml" in err[0] and all(n in err[0] for n in needles), err
    assert main(["plan", str(tmp_path / "missing.toml"), "--quiet"]) == 2
    assert "missing.toml" in capsys.readouterr().err


def test_infeasible_is_exit_3_with_the_diagnosis(tmp_path):
    hard = tmp_path / "hard.toml"
    hard.write_text(HARD)
    proc = run("plan", str(hard))
    assert proc.returncode == 3, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "infeasible" in proc.stderr
    assert "must" in proc.stdout and "亿元" in proc.stdout  # the relaxation, in the planner's words and units


def test_scenario_init_round_trips_and_refuses_to_overwrite(tmp_path, capsys):
    from xn_io.optimize import Scenario

    path = tmp_path / "mine.toml"
    proc = run("scenario", "init", str(path))
    assert proc.returncode == 0, proc.stderr
    text = path.read_text(encoding="utf-8")
    assert text.count("\n# ") > 20  # commented
    assert Scenario.from_toml(path) == Scenario()  # the template is the baseline
    code, _, err = run_here(capsys, "scenario", "init", str(path))
    assert code == 2 and str(path) in err


def test_frontier_and_bad_caps(tmp_path, capsys):
    from xn_io.cli import main

    out = tmp_path / "frontier"
    proc = run("frontier", "--carbon-caps", "3400,4500", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(out / "frontier.csv", index_col=0)
    cap, gdp = frame.columns[:2]
    assert "万吨" in cap and "亿元" in gdp  # units in the headers
    assert list(frame[cap]) == [3400.0, 4500.0]
    assert frame[gdp].iloc[0] <= frame[gdp].iloc[1] + 1e-6  # a tighter cap cannot raise GDP
    assert main(["frontier", "--carbon-caps", "lots", "--quiet"]) == 2
    assert "--carbon-caps" in capsys.readouterr().err


def test_report_folder_of_the_baseline(tmp_path, capsys):
    from tests.test_report import check_self_contained

    out = tmp_path / "report"
    proc = run("report", "--out", str(out), "--carbon-caps", "3000", "4500", "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    assert "%|" not in proc.stderr and "\r" not in proc.stderr  # no progress bar when not on a terminal
    for name in (
        "gdp_path",
        "co2_path",
        "pillars_vs_targets",
        "investment_by_sector",
        "shadow_prices",
        "frontier",
        "targets",
    ):
        assert (out / f"{name}.csv").is_file(), name
    page = (out / "report.html").read_text(encoding="utf-8")
    images = check_self_contained(page)
    figures = sorted((out / "figures").glob("*.png"))
    assert len(images) == len(figures) >= 5 and any(f.name.startswith("chain_") for f in figures)
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "model result" in md and "official" in md and "estimate" in md  # data status stated
    assert "No font able to draw Chinese" in md  # XN_IO_CJK_FONT=none: the fallback is said
    code, _, err = run_here(capsys, "report", "--out", str(out))
    assert code == 2 and str(out) in err


def test_chains_labels_illustrative_firms_and_names_bad_rows(tmp_path, capsys):
    proc = run("chains", "--top", "3")
    assert proc.returncode == 0, proc.stderr
    assert "ILLUSTRATIVE" in proc.stdout and "local supporting rate" in proc.stdout
    firms = tmp_path / "firms.csv"
    links = tmp_path / "links.csv"
    firms.write_text(
        "id,name,sector,pillar,is_chain_leader,is_local,output\nA,Leader,steel,green_new_materials,true,true,10\n"
    )
    links.write_text("supplier,buyer,value,product\nZ,A,5,ore\n")
    code, _, err = run_here(capsys, "chains", "--firms", str(firms), "--links", str(links))
    assert code == 2 and "row" in err and "Z" in err, err


def test_progress_bar_only_on_a_terminal(monkeypatch):
    from xn_io.cli.common import progress

    items = [1, 2]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert progress(items, total=2) is items
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    assert progress(items, total=2, quiet=True) is items
    bar = progress(items, total=2)
    assert type(bar).__name__ == "tqdm" and list(bar) == items
