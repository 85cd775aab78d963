"""`xn-io` outputs: the cases of issue 20 where files were replaced or lost, as regression tests.

Each runs the command in this process (the error paths are cheap) and checks
the exit code, the one-line message naming the user's path, and that nothing
but the intended output changed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from xn_io.cli import main


def run_here(capsys, *args: str) -> tuple[int, str, str]:
    code = main([*args, "--quiet"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_scenario_init_never_replaces_a_device(capsys):
    if not Path("/dev/full").exists():  # pragma: no cover - Linux has it
        pytest.fail("this test needs /dev/full")
    before = os.stat("/dev/full")
    code, _, err = run_here(capsys, "scenario", "init", "/dev/full", "--force")
    assert code == 2 and "/dev/full" in one_line(err) and "device" in err
    after = os.lstat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_scenario_init_never_replaces_a_dangling_symlink(tmp_path, capsys):
    link = tmp_path / "d"
    link.symlink_to(tmp_path / "target-that-does-not-exist")
    for extra in ((), ("--force",)):
        code, _, err = run_here(capsys, "scenario", "init", str(link), *extra)
        assert code == 2 and str(link) in one_line(err) and "symbolic link" in err
    assert link.is_symlink() and not (tmp_path / "target-that-does-not-exist").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d"]


def test_plan_out_force_never_empties_a_foreign_folder(tmp_path, capsys):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "data.csv").write_text("precious\n")
    code, _, err = run_here(capsys, "plan", "--out", str(victim), "--force")
    assert code == 2 and str(victim) in one_line(err) and "did not write" in err
    assert sorted(p.name for p in victim.iterdir()) == ["data.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["victim"]


def test_out_dot_is_refused_and_leaves_no_temporary_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("k")
    code, _, err = run_here(capsys, "describe", "--out", ".", "--force")
    assert code == 2 and "did not write" in one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_a_250_character_output_name_works_and_is_replaced_with_force(tmp_path, capsys):
    out = tmp_path / ("m" * 250 + ".csv")
    code, _, err = run_here(capsys, "multipliers", "--out", str(out))
    assert code == 0, err
    first = out.read_text(encoding="utf-8")
    assert first.startswith("sector,") and len(first.splitlines()) > 10
    code, _, err = run_here(capsys, "multipliers", "--out", str(out), "--force", "--sort", "co2_multiplier")
    assert code == 0, err
    assert sorted(out.read_text(encoding="utf-8").splitlines()) == sorted(first.splitlines())  # same rows, re-sorted
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_an_unwritable_output_names_the_users_path(tmp_path, capsys):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    out = blocker / "m.csv"
    code, _, err = run_here(capsys, "multipliers", "--out", str(out))
    line = one_line(err)
    assert code == 2 and str(out) in line and ".xn-io-" not in line
