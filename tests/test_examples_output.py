"""Planner scripts write to a folder they name, refuse an existing one before any work, and label their figures."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
WRITERS = {  # script → the option naming its output folder (None: a positional argument)
    "carbon_frontier.py": "--out",
    "own_table.py": "--out",
    "plan_2026_2030.py": "--out",
    "chain_leaders.py": None,
}


def _run(script: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "XN_IO_CJK_FONT": "none"}
    return subprocess.run(
        [sys.executable, str(ROOT / "examples" / script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("script", sorted(WRITERS))
def test_an_existing_folder_is_refused_before_any_work(script, tmp_path):
    (tmp_path / "taken").mkdir()
    option = WRITERS[script]
    started = time.perf_counter()
    proc = _run(script, *([option, "taken"] if option else ["taken"]), cwd=tmp_path)
    assert proc.returncode != 0
    assert "already exists" in proc.stderr
    assert "MODEL RESULT" not in proc.stdout and "==" not in proc.stdout  # nothing was computed first
    assert time.perf_counter() - started < 30
    assert list((tmp_path / "taken").iterdir()) == []


def test_a_new_folder_is_made_named_and_said(tmp_path):
    proc = _run("carbon_frontier.py", "--quick", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    made = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(made) == 1 and made[0].name.startswith("carbon_frontier_")
    first = proc.stdout.splitlines()[0]
    assert "estimate" in first and "MODEL RESULT" in first and made[0].name in first  # said at the top
    assert (made[0] / "report.html").is_file()
