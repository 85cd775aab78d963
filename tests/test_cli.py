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
        [sys.executable, "-m", "xn_io.cli", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=300
    )


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
        [[150.0, 500.0], [200.0, 100.0]], [350.0, 1700.0], sectors=["agriculture", "manufacturing"],
        satellites={"co2": ([30.0, 10.0], "万吨")}, name="mb",
    )
    return t.to_csv(tmp_path_factory.mktemp("tables") / "mb")


def test_entry_point_is_declared():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert meta["project"]["scripts"]["xn-io"] == "xn_io.cli:main"


def test_help_lists_every_command_with_an_example():
    from xn_io.cli import build_parser

    proc = run("--help")
    assert proc.returncode == 0
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - the registered subcommands
    for name, sub in commands.items():
        assert name in proc.stdout
        text = sub.format_help()
        assert "example:" in text and f"xn-io {name}" in text, name


def test_tables_and_describe(tmp_path):
    proc = run("tables")
    assert proc.returncode == 0 and "xianning-2025" in proc.stdout and "china-2020" in proc.stdout
    out = tmp_path / "xianning"
    proc = run("describe", "xianning-2025", "--out", str(out), "--lang", "zh")
    assert proc.returncode == 0, proc.stderr
    assert "GDP" in proc.stdout and "estimate" in proc.stdout and "official" in proc.stdout
    assert (out / "report.html").is_file() and (out / "multipliers.csv").is_file()
    # refusal to overwrite: exit 2, one line naming the path, the folder untouched
    stamp = (out / "report.html").stat().st_mtime_ns
    proc = run("describe", "xianning-2025", "--out", str(out))
    assert_one_line_error(proc, 2, str(out), "--force")
    assert (out / "report.html").stat().st_mtime_ns == stamp


def test_multipliers_on_a_users_csv_folder(small_table_dir, tmp_path):
    csv = tmp_path / "m.csv"
    proc = run("multipliers", str(small_table_dir), "--out", str(csv))
    assert proc.returncode == 0, proc.stderr
    frame = pd.read_csv(csv, index_col=0)
    # Miller & Blair (2022) eq. 2.14: column sums of L are 1.5181 and 1.4521
    assert frame.loc["agriculture", "output_multiplier"] == pytest.approx(1.5181, abs=1e-4)
    assert frame.loc["manufacturing", "output_multiplier"] == pytest.approx(1.4521, abs=1e-4)
    proc = run("multipliers", str(small_table_dir), "--out", str(csv))
    assert_one_line_error(proc, 2, str(csv))
    proc = run("multipliers", str(small_table_dir), "--out", str(csv), "--force", "--sort", "co2_multiplier", "--top", "1")
    assert proc.returncode == 0 and "agriculture" in proc.stdout and "manufacturing" not in proc.stdout.split("units:")[0]


def test_bad_table_is_exit_2_without_traceback(tmp_path):
    assert_one_line_error(run("describe", "no-such-table"), 2, "no-such-table", "xianning-2025")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "metadata.toml").write_text('name = "broken"\n')
    assert_one_line_error(run("multipliers", str(broken)), 2, "broken", "Z.csv")
    proc = run("describe", "no-such-table", "--debug")
    assert proc.returncode != 0 and "Traceback" in proc.stderr
