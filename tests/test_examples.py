"""Every script in examples/ runs as it is, as a planner would run it.

Each script is run as a subprocess from an empty working folder (so whatever
it writes lands there, not in the repository), with ``--quick`` when the
script offers that option (it says so by handling ``--quick``), and must exit
with status 0 and print something.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def test_there_are_examples():
    assert EXAMPLES, "examples/ holds no scripts"


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(script: Path, tmp_path: Path):
    source = script.read_text(encoding="utf-8")
    first = source.lstrip().splitlines()[0]
    assert first.startswith(('"""', "#")), f"{script.name} must open with a short comment on what it shows"
    args = ["--quick"] if "--quick" in source else []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg", "XN_IO_CJK_FONT": "none"}
    proc = subprocess.run(
        [sys.executable, str(script), *args], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, f"{script.name} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    assert proc.stdout.strip(), f"{script.name} printed nothing"
    assert "Traceback" not in proc.stderr
