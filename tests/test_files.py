"""Writers: never replace a foreign file, never lose the output, recover interrupted swaps.

The fault test kills a real ``xn-io report --force`` process at chosen and at
random moments (including between the two renames of the swap) and checks
that after the next run's recovery the output is the complete old or the
complete new report, and that no temporary name is left behind.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from xn_io._files import MARKER, _stem, atomic_directory, atomic_write_bytes, atomic_write_text, check_writable, recover
from xn_io.errors import OutputError, OverwriteError, XnIOError

ROOT = Path(__file__).resolve().parents[1]


def _listing(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


# ----------------------------------------------------------------------------- refusals
def test_a_symlink_is_never_replaced_even_dangling(tmp_path):
    link = tmp_path / "d"
    link.symlink_to(tmp_path / "nowhere")
    for overwrite in (False, True):
        with pytest.raises(OverwriteError, match="symbolic link"):
            atomic_write_text(link, "x", overwrite=overwrite)
        with pytest.raises(OverwriteError, match="symbolic link"), atomic_directory(link, overwrite=overwrite) as tmp:
            (tmp / "a").write_text("a")
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()
    assert _listing(tmp_path) == ["d"]


def test_a_device_is_never_replaced():
    with pytest.raises(OverwriteError, match="device or special file"):
        atomic_write_text("/dev/null", "x", overwrite=True)
    assert Path("/dev/null").is_char_device()


def test_a_foreign_folder_is_never_replaced(tmp_path):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.tex").write_text("years of work")
    with pytest.raises(OverwriteError, match="did not write"), atomic_directory(victim, overwrite=True) as tmp:
        (tmp / "a").write_text("a")
    assert _listing(victim) == ["thesis.tex"]
    assert _listing(tmp_path) == ["victim"]


def test_current_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep").write_text("k")
    with pytest.raises(OverwriteError, match="did not write"), atomic_directory(".", overwrite=True) as tmp:
        (tmp / "a").write_text("a")
    assert _listing(tmp_path) == ["keep"]


def test_kind_mismatch_is_refused(tmp_path):
    (tmp_path / "f.csv").write_text("x")
    with (
        pytest.raises(OverwriteError, match="is a file; expected a folder"),
        atomic_directory(tmp_path / "f.csv", overwrite=True),
    ):
        pass
    with atomic_directory(tmp_path / "out") as tmp:
        (tmp / "a").write_text("a")
    with pytest.raises(OverwriteError, match="is a folder; expected a file"):
        atomic_write_text(tmp_path / "out", "x", overwrite=True)


def test_own_folder_is_replaced_whole_and_marked(tmp_path):
    out = tmp_path / "out"
    with atomic_directory(out) as tmp:
        (tmp / "old.csv").write_text("old")
    assert (out / MARKER).is_file()
    with pytest.raises(OverwriteError, match="already exists"), atomic_directory(out):
        pass
    with atomic_directory(out, overwrite=True) as tmp:
        (tmp / "new.csv").write_text("new")
    assert _listing(out) == sorted([MARKER, "new.csv"])
    assert _listing(tmp_path) == ["out"]


def test_a_250_character_name_works_and_errors_name_the_users_path(tmp_path):
    name = "r" * 250
    with atomic_directory(tmp_path / name) as tmp:
        (tmp / "a").write_text("1")
    with atomic_directory(tmp_path / name, overwrite=True) as tmp:
        (tmp / "a").write_text("2")
    assert (tmp_path / name / "a").read_text() == "2"
    atomic_write_text(tmp_path / ("f" * 255), "x")
    assert _listing(tmp_path) == sorted([name, "f" * 255])
    # a write that fails names the user's path, not a temporary one
    (tmp_path / "plain").write_text("x")
    with pytest.raises(OutputError) as info:
        atomic_write_text(tmp_path / "plain" / "sub.csv", "x")
    assert str(tmp_path / "plain" / "sub.csv") in str(info.value) and ".xn-io-" not in str(info.value)


def test_a_failing_block_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    with atomic_directory(out) as tmp:
        (tmp / "a").write_text("old")
    with pytest.raises(RuntimeError), atomic_directory(out, overwrite=True) as tmp:
        (tmp / "a").write_text("new")
        raise RuntimeError("boom")
    assert (out / "a").read_text() == "old" and _listing(tmp_path) == ["out"]


def test_disk_full_names_the_path():
    if not Path("/dev/full").exists():  # pragma: no cover - Linux has it
        pytest.fail("this test needs /dev/full")
    # a write that fails inside the block (here: ENOSPC from /dev/full) is reported on the user's path
    with pytest.raises(XnIOError):
        atomic_write_bytes("/dev/full", b"x", overwrite=True)


def test_recover_rolls_back_an_incomplete_swap_and_finishes_a_complete_one(tmp_path):
    out = tmp_path / "out"
    with atomic_directory(out) as tmp:
        (tmp / "a").write_text("old")
    stem = _stem(out)
    # killed between the renames, the new folder incomplete (no marker): roll back to the old
    os.rename(out, tmp_path / f"{stem}.abcd.old")
    (tmp_path / f"{stem}.abcd.new").mkdir()
    (tmp_path / f"{stem}.abcd.new" / "a").write_text("half")
    (tmp_path / f"{stem}.ffff.tmp").write_text("stray")
    recover(out)
    assert (out / "a").read_text() == "old" and _listing(tmp_path) == ["out"]
    # killed between the renames, the new folder complete (marker written last): roll forward
    os.rename(out, tmp_path / f"{stem}.beef.old")
    new = tmp_path / f"{stem}.beef.new"
    new.mkdir()
    (new / "a").write_text("new")
    (new / MARKER).write_text("x")
    check_writable(out, overwrite=True)
    assert (out / "a").read_text() == "new" and _listing(tmp_path) == ["out"]
    # killed after the swap, before the backup was removed: the backup goes
    (tmp_path / f"{stem}.cafe.old").mkdir()
    recover(out)
    assert (out / "a").read_text() == "new" and _listing(tmp_path) == ["out"]


# ----------------------------------------------------------------------------- fault test
_CHILD = r"""
import os, signal, sys, time
import xn_io._files as files
mode = sys.argv[1]
if mode in ("after-backup", "after-swap"):
    def fault(step):
        if step == mode:
            os.kill(os.getpid(), signal.SIGKILL)
else:  # random kill from outside: slow the swap down so that kills land inside it too
    def fault(step):
        time.sleep(0.3)
    print("ready", flush=True)
files._fault = fault
from xn_io.cli import main
sys.exit(main(sys.argv[2:]))
"""

_TIMING = re.compile(rb"solved in [0-9.]+ s|model built in [0-9.]+ s")


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(_TIMING.sub(b"", p.read_bytes())).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _report_args(scenario: str, out: Path) -> list[str]:
    args = ["report", "--out", str(out), "--no-frontier", "--no-chains", "--no-sensitivity", "--quiet", "--force"]
    return args if scenario == "baseline" else [args[0], scenario, *args[1:]]


def _child(mode: str, scenario: str, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-c", _CHILD, mode, *_report_args(scenario, out)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_killed_report_force_leaves_the_complete_old_or_new_report(tmp_path):
    strict = str(ROOT / "examples" / "scenarios" / "strict-carbon.toml")
    scenarios = {"baseline": None, strict: None}
    out = tmp_path / "report"
    refs = [_child("none", name, tmp_path / f"ref{k}") for k, name in enumerate(scenarios)]  # both at once
    for k, (name, proc) in enumerate(zip(scenarios, refs)):  # the two complete reports
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        scenarios[name] = _snapshot(tmp_path / f"ref{k}")
    assert scenarios["baseline"] != scenarios[strict]
    os.rename(tmp_path / "ref0", out)
    shutil.rmtree(tmp_path / "ref1")
    current = "baseline"
    rng = random.Random(20)
    outcomes = []
    for mode in ["after-backup", "after-swap", "random", "random"]:
        other = strict if current == "baseline" else "baseline"
        proc = _child(mode, other, out)
        if mode == "random":
            assert proc.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.5, 4.0))
            proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=120)
        check_writable(out, overwrite=True)  # what the next run does first
        snap = _snapshot(out)
        assert snap in (scenarios[current], scenarios[other]), f"{mode}: output neither the old nor the new report"
        current = current if snap == scenarios[current] else other
        outcomes.append((mode, proc.returncode, current))
        leftovers = [p.name for p in tmp_path.iterdir() if p.name != "report"]
        assert leftovers == [], f"{mode}: temporary names left behind: {leftovers}"
    # the targeted kills cover both sides of the swap: rolled back, then finished
    assert outcomes[0][0] == "after-backup" and outcomes[0][1] == -signal.SIGKILL
    assert outcomes[1][1] == -signal.SIGKILL
