"""The cases: one per bad input listed in issue 20, each run in a fresh folder and classified.

A case is a function ``(folder) -> Outcome``. Library cases call xn_io directly;
CLI cases go through :func:`run_cli`, which calls :func:`xn_io.cli.main`
in-process (fast, for the test suite) or, with ``SUBPROCESS = True``, runs
the ``xn-io`` program (its console-script entry point) as a real process. Cases about signals, kills and
resource limits always run a real process.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import signal
import stat
import subprocess
import sys
import time
import tomllib
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import xn_io
from xn_io.errors import IllConditionedWarning, XnIOError

ROOT = Path(__file__).resolve().parents[2]

#: The kinds of outcome; only the first two are acceptable.
GOOD = ("clear", "correct")
KINDS = (*GOOD, "unclear", "internal", "silent")

#: Run the CLI cases as real processes (``python -m tests.adversarial --subprocess``).
SUBPROCESS = False


@dataclass(frozen=True)
class Outcome:
    """How one case ended: ``kind`` (one of :data:`KINDS`) and what was seen."""

    kind: str
    detail: str = ""


@dataclass(frozen=True)
class Case:
    """One listed bad input: its id, the issue's group and words, and the function that replays it."""

    id: str
    group: str
    item: str
    run: Callable[[Path], Outcome]


CASES: list[Case] = []


def case(group: str, item: str):
    def register(fn: Callable[[Path], Outcome]) -> Callable[[Path], Outcome]:
        CASES.append(Case(fn.__name__.removeprefix("case_").replace("_", "-"), group, item, fn))
        return fn

    return register


# ----------------------------------------------------------------------------------- judging
def judge_message(message: str, needles: Sequence[str], what: str = "") -> Outcome:
    """``clear`` if ``message`` is one line naming every needle, else ``unclear``."""
    shown = f"{what}: {message}" if what else message
    if "\n" in message.strip():
        return Outcome("unclear", f"more than one line: {shown[:300]}")
    missing = [n for n in needles if n.casefold() not in message.casefold()]
    if missing:
        return Outcome("unclear", f"does not name {missing}: {shown[:300]}")
    return Outcome("clear", shown[:300])


def expect_error(call: Callable[[], Any], *needles: str, warning: type[Warning] | None = None) -> Outcome:
    """Call ``call``; an XnIOError (or a ``warning``) naming the needles is clear, another exception internal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call()
        except XnIOError as exc:
            return judge_message(str(exc), needles, type(exc).__name__)
        except Exception as exc:  # what the issue calls an internal error
            return Outcome("internal", f"{type(exc).__name__}: {exc}"[:300])
    if warning is not None:
        for w in caught:
            if issubclass(w.category, warning):
                return judge_message(str(w.message), needles, w.category.__name__)
    return Outcome("silent", f"accepted: {result!r}"[:300])


@dataclass(frozen=True)
class Run:
    """What a run of ``xn-io`` gave: exit code (negative: killed by that signal), stdout, stderr, seconds."""

    code: int
    out: str
    err: str
    seconds: float


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "XN_IO_CJK_FONT": "none",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


#: The ``xn-io`` program as installers write it for ``[project.scripts]`` (``xn_io._console:main``).
LAUNCHER = [sys.executable, "-c", "import sys; from xn_io._console import main; sys.exit(main())"]


def run_cli(args: Sequence[str], *, cwd: Path | None = None, process: bool = False, **popen: Any) -> Run:
    """Run ``xn-io args``: in-process through :func:`xn_io.cli.main`, or as the ``xn-io`` program (:data:`LAUNCHER`)."""
    args = [str(a) for a in args]
    start = time.perf_counter()
    if process or SUBPROCESS:
        done = subprocess.run(
            [*LAUNCHER, *args],
            cwd=cwd,
            env=_env(),
            capture_output=True,
            text=True,
            timeout=300,
            **popen,
        )
        return Run(done.returncode, done.stdout, done.stderr, time.perf_counter() - start)
    from xn_io.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
            except Exception as exc:  # main() let an exception out: a traceback for the user
                code = 1
                print(f"Traceback (in-process): {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        os.chdir(before)
    return Run(code, out.getvalue(), err.getvalue(), time.perf_counter() - start)


def judge_cli(run: Run, *needles: str, codes: Sequence[int] = (2,)) -> Outcome:
    """Exit 2 (or ``codes``) with one error line naming the needles is clear; exit 1, a traceback or a crash internal."""
    tail = run.err.strip()[-300:]
    if "Traceback" in run.err or run.code == 1 or run.code < 0 or "internal error" in run.err:
        return Outcome("internal", f"exit {run.code}: {tail}")
    if run.code == 0:
        return Outcome("silent", f"exit 0 (accepted): {run.out.strip()[-200:]} {tail}")
    if run.code not in codes:
        return Outcome("unclear", f"exit {run.code}, expected {list(codes)}: {tail}")
    lines = [line for line in run.err.splitlines() if ": error:" in line or ": infeasible:" in line]
    if len(lines) != 1:
        return Outcome("unclear", f"{len(lines)} error lines: {tail}")
    return judge_message(lines[0], needles)


def both(first: Outcome, *checks: tuple[bool, str]) -> Outcome:
    """``first``, unless a check of what is left on disk fails: then a silent wrong result."""
    for ok, what in checks:
        if not ok:
            return Outcome("silent", f"{what} ({first.kind}: {first.detail})"[:400])
    return first


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------------------------- materials
MB_Z = [[150.0, 500.0], [200.0, 100.0]]
MB_Y = [350.0, 1700.0]
MB_SECTORS = ["agriculture", "manufacturing"]


def mb_folder(folder: Path, name: str = "mb") -> Path:
    """Miller & Blair's Table 2.3 as a CSV folder, its checksums dropped (as after editing the CSVs by hand)."""
    import tomli_w

    t = xn_io.IOTable.from_arrays(MB_Z, MB_Y, sectors=MB_SECTORS, satellites={"co2": ([30.0, 10.0], "万吨")}, name=name)
    path = Path(t.to_csv(folder / name))
    meta = tomllib.loads((path / "metadata.toml").read_text(encoding="utf-8"))
    meta.pop("checksums", None)
    (path / "metadata.toml").write_text(tomli_w.dumps(meta), encoding="utf-8")
    return path


def set_metadata(path: Path, key: str, toml_value: str) -> None:
    """Replace the top-level ``key`` of ``path/metadata.toml`` by the TOML text ``toml_value``."""
    meta = path / "metadata.toml"
    lines = meta.read_text(encoding="utf-8").splitlines()
    head = [i for i, line in enumerate(lines) if line.startswith("[")]
    top = lines[: head[0]] if head else lines
    rest = lines[len(top) :]
    top = [line for line in top if not line.startswith(f"{key} =")]
    # a table-valued key (satellites, technologies, checksums) is also a [section]: drop it
    out, skip = [], False
    for line in rest:
        if line.startswith("["):
            skip = line.strip() in (f"[{key}]",) or line.startswith(f"[{key}.")
        if not skip:
            out.append(line)
    meta.write_text("\n".join([*top, f"{key} = {toml_value}", *out]) + "\n", encoding="utf-8")


def read_folder(path: Path):
    return xn_io.read_csv_folder(path, verify_checksums=False)


def firm_files(folder: Path, flag: str = "true") -> tuple[Path, Path]:
    firms = folder / "firms.csv"
    firms.write_text(
        "id,name,sector,pillar,is_chain_leader,is_local,output\n"
        f"L,Leader,steel,materials,{flag},{flag},100\n"
        f"s1,Local,ore,,false,{flag},30\n",
        encoding="utf-8",
    )
    links = folder / "links.csv"
    links.write_text("supplier,buyer,value,product\ns1,L,20,ore\n", encoding="utf-8")
    return firms, links


def scenario_file(folder: Path, text: str) -> Path:
    path = folder / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


def from_toml(folder: Path, text: str, *needles: str) -> Outcome:
    from xn_io.optimize import Scenario

    path = scenario_file(folder, text)
    return expect_error(lambda: Scenario.from_toml(path), *needles)


def scenario(**changes: Any) -> Outcome:
    from xn_io.optimize import Scenario

    return expect_error(lambda: Scenario(**changes), *changes)


_TABLES: dict[str, Any] = {}


def xianning():
    if "xianning" not in _TABLES:
        _TABLES["xianning"] = xn_io.load_table("xianning-2025")
    return _TABLES["xianning"]


def in_wan_yuan(table, *, capital: bool = True):
    """``table`` with its money in 万元 (10^4 元) instead of 亿元 (10^8 元): every money block × 10^4.

    With ``capital`` the capital satellite (亿元) is converted too; without, it is left in 亿元 as a
    careless conversion would.
    """
    from xn_io import Satellite

    sats = dict(table.satellites)
    if capital and "capital" in sats:
        old = sats["capital"]
        sats["capital"] = Satellite(old.values * 1e4, "万元", status=old.status)
    meta = dict(table.metadata or {})
    totals = meta.get("estimates", {}).get("final_demand_local_totals")
    if totals:  # money figures of the metadata the plan reads (base-year investment)
        meta["estimates"] = {**meta["estimates"], "final_demand_local_totals": {k: v * 1e4 for k, v in totals.items()}}
    return table.replace(
        metadata=meta,
        Z=table.Z * 1e4,
        Y=table.Y * 1e4,
        V=table.V * 1e4,
        M=None if table.M is None else table.M * 1e4,
        x=table.x * 1e4,
        unit="万元",
        satellites=sats,
    )


# ========================================================================= files replaced or lost
_FILES = "files replaced or lost"


@case(_FILES, "`xn-io scenario init /dev/full --force`: a device (here a FIFO, which needs no root) is never replaced")
def case_special_file_with_force(folder: Path) -> Outcome:
    fifo = folder / "device"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a broken writer would not block on it
    try:
        run = run_cli(["scenario", "init", fifo, "--force", "--quiet"])
    finally:
        os.close(reader)
    return both(judge_cli(run, str(fifo)), (stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"))


@case(_FILES, "`xn-io scenario init d` (no --force) where d is a dangling symlink: the link is kept")
def case_dangling_symlink_scenario_init(folder: Path) -> Outcome:
    link = folder / "d"
    link.symlink_to(folder / "missing")
    run = run_cli(["scenario", "init", link, "--quiet"])
    kept = link.is_symlink() and os.readlink(link) == str(folder / "missing") and not (folder / "missing").exists()
    return both(
        judge_cli(run, str(link)),
        (kept, "the link was replaced or followed"),
        (listing(folder) == ["d"], "a temp name was left"),
    )


@case(_FILES, "`xn-io plan --out victim --force` on an unrelated folder: its contents are kept")
def case_foreign_folder_with_force(folder: Path) -> Outcome:
    victim = folder / "victim"
    victim.mkdir()
    (victim / "thesis.txt").write_text("years of work", encoding="utf-8")
    run = run_cli(["plan", "--out", victim, "--force", "--quiet"])
    kept = listing(victim) == ["thesis.txt"] and (victim / "thesis.txt").read_text(encoding="utf-8") == "years of work"
    return both(
        judge_cli(run, str(victim)),
        (kept, "the foreign folder's contents were touched"),
        (listing(folder) == ["victim"], "a temp name was left"),
    )


def _old_and_new(folder: Path, out: Path, *, complete: bool) -> None:
    """The state a run killed between its two renames leaves: the old output as backup, the new beside it."""
    from xn_io._files import MARKER, _stem, atomic_directory

    with atomic_directory(out) as tmp:
        (tmp / "which.txt").write_text("old", encoding="utf-8")
    stem = _stem(out)
    os.rename(out, folder / f"{stem}.k1ll.old")
    new = folder / f"{stem}.k1ll.new"
    new.mkdir()
    (new / "which.txt").write_text("new", encoding="utf-8")
    if complete:  # the marker is written last: a new folder with it is complete
        (new / MARKER).write_text("x", encoding="utf-8")


@case(_FILES, "`xn-io report --out X --force` killed between its two renames: the next run restores X (old or new)")
def case_killed_between_renames(folder: Path) -> Outcome:
    out = folder / "X"
    results = []
    for complete, expected in ((False, "old"), (True, "new")):
        _old_and_new(folder, out, complete=complete)
        run = run_cli(["plan", "--out", out, "--quiet"])  # the next run on X (without --force: it stops at once)
        outcome = judge_cli(run, str(out))
        restored = (out / "which.txt").read_text(encoding="utf-8") if (out / "which.txt").exists() else "missing"
        outcome = both(
            outcome,
            (restored == expected, f"X is {restored!r}, expected the complete {expected!r}"),
            (listing(folder) == ["X"], f"temp names left: {listing(folder)}"),
        )
        if outcome.kind != "clear":
            return outcome
        results.append(restored)
        import shutil

        shutil.rmtree(out)
    return Outcome("correct", f"rolled back to {results[0]!r}, finished to {results[1]!r}; no temp name left")


@case(_FILES, "temp folders left by killed runs are cleaned up by the next run")
def case_leftover_temp_names_cleaned(folder: Path) -> Outcome:
    from xn_io._files import _stem, atomic_directory

    out = folder / "X"
    with atomic_directory(out) as tmp:
        (tmp / "which.txt").write_text("old", encoding="utf-8")
    stem = _stem(out)
    (folder / f"{stem}.dead.tmp").mkdir()
    (folder / f"{stem}.dead.tmp" / "half.csv").write_text("1,2", encoding="utf-8")
    (folder / f"{stem}.beef.new").mkdir()
    refused = judge_cli(run_cli(["plan", "--out", out, "--quiet"]), str(out))  # the next run (it stops at once)
    return both(
        Outcome("correct", "leftovers removed") if refused.kind == "clear" else refused,
        (listing(folder) == ["X"], f"temp names left: {listing(folder)}"),
        ((out / "which.txt").read_text(encoding="utf-8") == "old", "X changed"),
    )


@case(_FILES, "`--out` on a dangling symlink: refused, no temp folder left, the link kept")
def case_out_on_dangling_symlink(folder: Path) -> Outcome:
    link = folder / "out"
    link.symlink_to(folder / "missing")
    run = run_cli(["plan", "--out", link, "--quiet"])
    return both(
        judge_cli(run, str(link)),
        (listing(folder) == ["out"] and link.is_symlink(), f"left behind: {listing(folder)}"),
    )


@case(_FILES, "`--out .`: refused, no temp folder left")
def case_out_dot(folder: Path) -> Outcome:
    work = folder / "work"
    work.mkdir()
    run = run_cli(["plan", "--out", ".", "--quiet"], cwd=work)
    return both(judge_cli(run, "."), (listing(folder) == ["work"] and listing(work) == [], "a temp name was left"))


@case(_FILES, "a valid 250-character output name works (the temp name is not longer than the output's)")
def case_250_character_name(folder: Path) -> Outcome:
    out = folder / ("p" * 250)
    run = run_cli(["plan", "--out", out, "--quiet"])
    if run.code != 0:
        return judge_cli(run, str(out), codes=())  # any error here is a failure; says which
    from xn_io._files import MARKER

    gdp = pd.read_csv(out / "gdp.csv") if (out / "gdp.csv").exists() else None
    ok = (out / MARKER).exists() and gdp is not None and len(gdp) > 0 and listing(folder) == [out.name]
    return Outcome("correct", "written") if ok else Outcome("silent", f"incomplete output: {listing(out)}")


# ===================================================================================== interrupts
_INTERRUPTS = "interrupts"


@case(_INTERRUPTS, "Ctrl-C during `xn-io frontier --carbon-caps 2500:4500:50`: exit 130, one line, no crash")
def case_ctrl_c_during_frontier(folder: Path) -> Outcome:
    out = folder / "f"
    proc = subprocess.Popen(
        [*LAUNCHER, "frontier", "--carbon-caps", "2500:4500:50", "--out", str(out)],
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:  # readiness: the command says it starts the 41 solves
        seen.append(line)
        if line.startswith("solving 41 points"):
            break
    time.sleep(0.4)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    lines = err.strip().splitlines()
    if proc.returncode < 0 or "Traceback" in err or "Segmentation" in err:
        return Outcome("internal", f"exit {proc.returncode}: {''.join(seen)[-200:]}{err[-300:]}")
    if proc.returncode == 0:  # finished first: the output must then be complete
        return (
            Outcome("correct", "finished before the signal") if out.is_dir() else Outcome("silent", "exit 0, no output")
        )
    if proc.returncode != 130 or lines != ["xn-io: interrupted; no output was left half-written"]:
        return Outcome("unclear", f"exit {proc.returncode}: {err[-300:]}")
    return both(Outcome("correct", "exit 130, one line"), (listing(folder) == [], f"left: {listing(folder)}"))


# ========================================================================== silent wrong results
_SILENT = "silent wrong results"


def _money_plan_check(plan_10k_gdp: pd.Series | pd.DataFrame, unit: str) -> Outcome:
    from xn_io.optimize import Scenario, solve

    reference = solve(xianning(), Scenario(), target_costs=False).gdp
    if unit != "万元":
        return Outcome("silent", f"plan of a 万元 table labelled {unit!r}")
    ratio = np.asarray(plan_10k_gdp, dtype=float) / np.asarray(reference, dtype=float)
    if np.allclose(ratio, 1e4, rtol=1e-5):
        return Outcome("correct", "labelled 万元, GDP = 10^4 × the 亿元 plan's")
    return Outcome("silent", f"labelled 万元 but GDP / (亿元 plan's GDP) = {np.unique(ratio.round(3))[:5]}, not 10^4")


@case(_SILENT, "a table in 万元 gets a plan in 亿元 (library): the same plan in 万元, or an error naming the unit")
def case_wan_yuan_table_library(folder: Path) -> Outcome:
    from xn_io.optimize import Scenario, solve

    table = in_wan_yuan(xianning())
    try:
        plan = solve(table, Scenario(), target_costs=False)
    except XnIOError as exc:
        return judge_message(str(exc), ["万元", "亿元"], type(exc).__name__)
    except Exception as exc:
        return Outcome("internal", f"{type(exc).__name__}: {exc}"[:300])
    return _money_plan_check(plan.gdp, plan.units["money"])


def wan_yuan_scenario():
    """The baseline with its money figures given in 万元 (×10^4; kw_per_output is per money unit: ÷10^4)."""
    from xn_io.optimize import Scenario

    s = Scenario()
    return s.replace(
        money_unit="万元",
        gdp_target=s.gdp_target * 1e4,
        pillar_targets={k: v * 1e4 for k, v in s.pillar_targets.items()},
        kw_per_output={k: v / 1e4 for k, v in s.kw_per_output.items()},
    )


@case(_SILENT, "the other side: a table in 万元 and a scenario in 万元 give the 亿元 plan × 10^4, labelled 万元")
def case_wan_yuan_table_and_scenario(folder: Path) -> Outcome:
    from xn_io.optimize import solve

    try:
        plan = solve(in_wan_yuan(xianning()), wan_yuan_scenario(), target_costs=False)
    except XnIOError as exc:
        return Outcome("silent", f"a consistent 万元 table and scenario refused: {type(exc).__name__}: {exc}"[:300])
    return _money_plan_check(plan.gdp, plan.units["money"])


@case(_SILENT, "a table in 万元 whose capital satellite is left in 亿元: an error naming the satellite, not a plan")
def case_wan_yuan_table_capital_in_yi_yuan(folder: Path) -> Outcome:
    from xn_io.optimize import solve

    table = in_wan_yuan(xianning(), capital=False)
    return expect_error(lambda: solve(table, wan_yuan_scenario(), diagnose_infeasible=False), "capital", "亿元", "万元")


@case(_SILENT, "a table in 万元 gets a plan in 亿元 (`xn-io plan --table DIR`): an error naming the units")
def case_wan_yuan_table_cli(folder: Path) -> Outcome:
    table_dir = Path(in_wan_yuan(xianning()).to_csv(folder / "wan"))
    return judge_cli(run_cli(["plan", "--table", table_dir, "--quiet"]), "万元", "亿元")


@case(_SILENT, "the other side, by the CLI: `xn-io plan S --table DIR`, both in 万元, gives the 亿元 plan × 10^4")
def case_wan_yuan_table_and_scenario_cli(folder: Path) -> Outcome:
    table_dir = Path(in_wan_yuan(xianning()).to_csv(folder / "wan"))
    path = folder / "s.toml"
    wan_yuan_scenario().to_toml(path)
    out = folder / "plan"
    run = run_cli(["plan", path, "--table", table_dir, "--out", out, "--quiet"])
    if run.code != 0:
        return both(judge_cli(run, codes=()), (False, "a consistent 万元 table and scenario refused"))
    gdp = pd.read_csv(out / "gdp.csv", index_col="year")["gdp"]
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    unit = "万元" if "万元" in summary and "亿元" not in summary.split("Pillar definitions")[0] else "not 万元"
    return _money_plan_check(gdp, unit)


@case(_SILENT, "`Scenario(discount_rate=float('nan'))` solves 'optimal' with objective NaN")
def case_nan_discount_rate(folder: Path) -> Outcome:
    return scenario(discount_rate=math.nan)


@case(_SILENT, "a sweep row with a NaN discount rate is 'optimal'")
def case_nan_discount_rate_in_a_sweep(folder: Path) -> Outcome:
    from xn_io.optimize import Scenario, scenario_grid

    return expect_error(lambda: scenario_grid(Scenario(), discount_rate=[0.05, math.nan]), "discount_rate")


@case(_SILENT, '`[families] carbon_peak = "false"` keeps the peak on')
def case_false_string_is_not_false(folder: Path) -> Outcome:
    return from_toml(folder, '[families]\ncarbon_peak = "false"\n', "families.carbon_peak", "true or false")


@case(_SILENT, "a non-productive A with one negative entry passes (spectral radius 1.2)")
def case_non_productive_with_negative_entry(folder: Path) -> Outcome:
    return expect_error(
        lambda: xn_io.IOTable.from_arrays([[120, -10], [0, 50]], [-10, 50]).output_multipliers(), "productive"
    )


@case(_SILENT, "`rtol = NaN` as an argument turns the identity checks off")
def case_nan_rtol_argument(folder: Path) -> Outcome:
    Z = pd.DataFrame(MB_Z, index=MB_SECTORS, columns=MB_SECTORS)
    Y = pd.DataFrame({"fd": MB_Y}, index=MB_SECTORS)
    return expect_error(lambda: xn_io.IOTable(Z, Y, rtol=math.nan), "rtol")


@case(_SILENT, "`rtol = nan` in metadata.toml turns the identity checks off")
def case_nan_rtol_metadata(folder: Path) -> Outcome:
    path = mb_folder(folder)
    set_metadata(path, "rtol", "nan")
    return expect_error(lambda: read_folder(path), "metadata.toml", "rtol")


@case(_SILENT, '`technologies={"e": "ab"}` becomes sectors `a` and `b`')
def case_technologies_string(folder: Path) -> Outcome:
    return expect_error(
        lambda: xn_io.IOTable.from_arrays(MB_Z, MB_Y, sectors=MB_SECTORS, technologies={"e": "ab"}), "technologies"
    )


@case(_SILENT, "`unit = 5` in metadata.toml is accepted")
def case_unit_number_metadata(folder: Path) -> Outcome:
    path = mb_folder(folder)
    set_metadata(path, "unit", "5")
    return expect_error(lambda: read_folder(path), "metadata.toml", "unit")


@case(_SILENT, "`unit=5` as an argument is accepted")
def case_unit_number_argument(folder: Path) -> Outcome:
    return expect_error(lambda: xn_io.IOTable.from_arrays(MB_Z, MB_Y, unit=5), "unit")


@case(_SILENT, '`xn-io chains` reads flags "TRUE " unstripped: its upstream local rate must be firm_graph\'s (1.0)')
def case_chains_flags_with_blanks(folder: Path) -> Outcome:
    from xn_io.network import firm_graph, local_supporting_rate

    firms, links = firm_files(folder, "TRUE ")
    expected = float(local_supporting_rate(firm_graph(firms, links)).loc["L", "upstream"])
    run = run_cli(["chains", "--firms", firms, "--links", links, "--quiet"])
    if run.code != 0:
        return judge_cli(run, "firms.csv", codes=())
    lines = run.out.splitlines()
    header = next(line for line in lines if "upstream" in line and "downstream" in line).split()
    row = next(line for line in lines if line.startswith("L ")).split()
    shown = float(row[1 + header.index("upstream")])
    if expected == 1.0 and shown == expected:
        return Outcome("correct", f"upstream {shown} = firm_graph's {expected}")
    return Outcome("silent", f"CLI upstream {shown}, firm_graph {expected} (the only supplier is local: 1.0)")


@case(
    _SILENT, "baseline, budget scale 0.767, growth_max 0.2: infeasible (exit 3, diagnosis), not 'the solve ended error'"
)
def case_budget_0767_reported_infeasible(folder: Path) -> Outcome:
    from xn_io.optimize import Scenario

    path = folder / "s.toml"
    Scenario(family_scale={"budget": 0.767}, growth_max=0.2).to_toml(path)
    run = run_cli(["plan", path, "--quiet"])
    return both(judge_cli(run, "infeasible", codes=(3,)), ("budget" in run.out, "no diagnosis naming the budget"))


@case(_SILENT, "ill-conditioned I − A (spectral radius 1 − 1e-15) returns multipliers 2 % wrong with no warning")
def case_ill_conditioned(folder: Path) -> Outcome:
    rho = 1.0 - 1e-15
    A = rho * np.array([[0.5, 0.5], [0.5, 0.5]])
    x = np.array([1000.0, 1000.0])
    Z = A * x
    y = x - Z.sum(axis=1)
    return expect_error(
        lambda: xn_io.IOTable.from_arrays(Z, y).output_multipliers(), "condition", warning=IllConditionedWarning
    )


# =========================================================================== internal errors
_INTERNAL = "internal errors"


@case(_INTERNAL, '`pillar_targets.x = "500"` (a string inside a scenario table)')
def case_pillar_target_string(folder: Path) -> Outcome:
    return from_toml(folder, '[targets.pillar_targets]\nbig_health = "500"\n', "targets.pillar_targets.big_health")


@case(_INTERNAL, '`family_scale.budget = "x"`')
def case_family_scale_string(folder: Path) -> Outcome:
    return from_toml(folder, '[family_scale]\nbudget = "x"\n', "family_scale.budget")


@case(_INTERNAL, "`price_growth = -1` (ZeroDivisionError)")
def case_price_growth_minus_one(folder: Path) -> Outcome:
    return from_toml(folder, "[economy]\nprice_growth = -1.0\n", "economy.price_growth")


@case(_INTERNAL, "NaN in `gdp_target`")
def case_nan_gdp_target(folder: Path) -> Outcome:
    return from_toml(folder, "[targets]\ngdp_target = nan\n", "targets.gdp_target")


@case(_INTERNAL, "inf in `budget_growth`")
def case_inf_budget_growth(folder: Path) -> Outcome:
    return from_toml(folder, "[investment]\nbudget_growth = inf\n", "investment.budget_growth")


@case(_INTERNAL, "NaN in `budget`")
def case_nan_budget(folder: Path) -> Outcome:
    return from_toml(folder, "[investment.budget]\n2027 = nan\n", "investment.budget.2027")


@case(_INTERNAL, "inf in `family_scale`")
def case_inf_family_scale(folder: Path) -> Outcome:
    return from_toml(folder, "[family_scale]\nbudget = inf\n", "family_scale.budget")


@case(_INTERNAL, "NaN in `carbon_caps`")
def case_nan_carbon_caps(folder: Path) -> Outcome:
    return from_toml(folder, "[carbon.carbon_caps]\n2028 = nan\n", "carbon.carbon_caps.2028")


@case(_INTERNAL, "inf in `gdp_target`")
def case_inf_gdp_target(folder: Path) -> Outcome:
    return from_toml(folder, "[targets]\ngdp_target = inf\n", "targets.gdp_target")


@case(_INTERNAL, "NaN in `budget_growth`")
def case_nan_budget_growth(folder: Path) -> Outcome:
    return from_toml(folder, "[investment]\nbudget_growth = nan\n", "investment.budget_growth")


@case(_INTERNAL, "-inf in `budget`")
def case_inf_budget(folder: Path) -> Outcome:
    return from_toml(folder, "[investment.budget]\n2027 = -inf\n", "investment.budget.2027")


@case(_INTERNAL, "NaN in `family_scale`")
def case_nan_family_scale(folder: Path) -> Outcome:
    return from_toml(folder, "[family_scale]\ncarbon_cap = nan\n", "family_scale.carbon_cap")


@case(_INTERNAL, "inf in `carbon_caps`")
def case_inf_carbon_caps(folder: Path) -> Outcome:
    return from_toml(folder, "[carbon.carbon_caps]\n2030 = inf\n", "carbon.carbon_caps.2030")


@case(_INTERNAL, "`last_year = 1000000` (OverflowError)")
def case_last_year_huge(folder: Path) -> Outcome:
    return from_toml(folder, "last_year = 1000000\n", "last_year")


@case(_INTERNAL, "TOML nested 1,000 deep (RecursionError)")
def case_toml_nested_1000(folder: Path) -> Outcome:
    return from_toml(folder, "a = " + "{b = " * 1000 + "1" + "}" * 1000 + "\n", "s.toml", "nested")


def _metadata_case(folder: Path, key: str, toml_value: str) -> Outcome:
    path = mb_folder(folder)
    set_metadata(path, key, toml_value)
    return expect_error(lambda: read_folder(path), "metadata.toml", key)


@case(_INTERNAL, "metadata.toml `checksums = [1, 2]`")
def case_metadata_checksums_list(folder: Path) -> Outcome:
    return _metadata_case(folder, "checksums", "[1, 2]")


@case(_INTERNAL, 'metadata.toml `satellites = "co2"`')
def case_metadata_satellites_string(folder: Path) -> Outcome:
    return _metadata_case(folder, "satellites", '"co2"')


@case(_INTERNAL, "metadata.toml `technologies = 5`")
def case_metadata_technologies_number(folder: Path) -> Outcome:
    return _metadata_case(folder, "technologies", "5")


@case(_INTERNAL, "metadata.toml `rtol = 'abc'`")
def case_metadata_rtol_string(folder: Path) -> Outcome:
    return _metadata_case(folder, "rtol", "'abc'")


@case(_INTERNAL, "metadata.toml `year = 'abc'`")
def case_metadata_year_string(folder: Path) -> Outcome:
    return _metadata_case(folder, "year", "'abc'")


@case(_INTERNAL, "`x.csv` with `;` as delimiter")
def case_semicolon_csv(folder: Path) -> Outcome:
    path = mb_folder(folder)
    text = (path / "x.csv").read_text(encoding="utf-8")
    (path / "x.csv").write_text(text.replace(",", ";"), encoding="utf-8")
    return expect_error(lambda: read_folder(path), "x.csv")


@case(_INTERNAL, "a 0-byte firms CSV (`xn-io chains`)")
def case_empty_firms_csv(folder: Path) -> Outcome:
    firms, links = firm_files(folder)
    firms.write_bytes(b"")
    return judge_cli(run_cli(["chains", "--firms", firms, "--links", links, "--quiet"]), str(firms), "empty")


@case(_INTERNAL, "a 0-byte links CSV (`xn-io chains`)")
def case_empty_links_csv(folder: Path) -> Outcome:
    firms, links = firm_files(folder)
    links.write_bytes(b"")
    return judge_cli(run_cli(["chains", "--firms", firms, "--links", links, "--quiet"]), str(links), "empty")


@case(_INTERNAL, "`--carbon-caps nan`")
def case_carbon_caps_nan(folder: Path) -> Outcome:
    return judge_cli(run_cli(["frontier", "--carbon-caps", "nan", "--quiet"]), "carbon-caps", "finite")


@case(_INTERNAL, "`--carbon-caps 0:inf:1`")
def case_carbon_caps_to_inf(folder: Path) -> Outcome:
    return judge_cli(run_cli(["frontier", "--carbon-caps", "0:inf:1", "--quiet"]), "carbon-caps", "finite")


@case(_INTERNAL, "`--frontier-points -3`")
def case_frontier_points_negative(folder: Path) -> Outcome:
    run = run_cli(["report", "--out", folder / "r", "--frontier-points", "-3", "--quiet"])
    return both(judge_cli(run, "--frontier-points", "-3"), (listing(folder) == [], "output written"))


@case(_INTERNAL, "complex arrays in `from_arrays`")
def case_complex_arrays(folder: Path) -> Outcome:
    return expect_error(lambda: xn_io.IOTable.from_arrays([[1j, 0], [0, 1]], [1, 1]), "Z", "real")


@case(_INTERNAL, "string arrays in `from_arrays`")
def case_string_arrays(folder: Path) -> Outcome:
    return expect_error(lambda: xn_io.IOTable.from_arrays([["a", "b"], ["c", "d"]], [1, 1]), "Z")


@case(_INTERNAL, '`load_table(["x"])`')
def case_load_table_list(folder: Path) -> Outcome:
    return expect_error(lambda: xn_io.load_table(["x"]), "name")


# ============================================================================ unclear errors
_UNCLEAR = "unclear errors"


@case(_UNCLEAR, "a non-UTF-8 scenario file: name the file and line, not only the byte")
def case_non_utf8_scenario(folder: Path) -> Outcome:
    from xn_io.optimize import Scenario

    path = folder / "s.toml"
    path.write_bytes(b'name = "ok"\ndescription = "\xcf\xfe"\n')
    return expect_error(lambda: Scenario.from_toml(path), "s.toml", "line 2", "UTF-8")


@case(_UNCLEAR, "a non-UTF-8 CSV in a table folder")
def case_non_utf8_table_csv(folder: Path) -> Outcome:
    path = mb_folder(folder)
    data = (path / "x.csv").read_bytes().replace(b"agriculture", b"agricultur\xcf")
    (path / "x.csv").write_bytes(data)
    return expect_error(lambda: read_folder(path), "x.csv", "line 2", "UTF-8")


@case(_UNCLEAR, "a non-UTF-8 metadata.toml")
def case_non_utf8_metadata(folder: Path) -> Outcome:
    path = mb_folder(folder)
    (path / "metadata.toml").write_bytes(
        (path / "metadata.toml").read_bytes().replace(b'name = "mb"', b'name = "m\xcf"')
    )
    return expect_error(lambda: read_folder(path), "metadata.toml", "UTF-8")


@case(_UNCLEAR, "a non-UTF-8 links CSV (`xn-io chains`)")
def case_non_utf8_links(folder: Path) -> Outcome:
    firms, links = firm_files(folder)
    links.write_bytes(b"supplier,buyer,value,product\ns1,L,20,\xcfre\n")
    return judge_cli(run_cli(["chains", "--firms", firms, "--links", links, "--quiet"]), str(links), "line 2", "UTF-8")


@case(_UNCLEAR, "`xn-io chains --links` drops the file and line the library names")
def case_chains_links_bad_line(folder: Path) -> Outcome:
    firms, links = firm_files(folder)
    links.write_text("supplier,buyer,value,product\ns1,L,20,ore\ns1,L,lots,ore\n", encoding="utf-8")
    return judge_cli(run_cli(["chains", "--firms", firms, "--links", links, "--quiet"]), str(links), "line 3")


@case(_UNCLEAR, '`export_growth_max = -3` says "surplus_max must be ≥ 0 with shape (5, 35), got (5, 35)"')
def case_export_growth_max_negative(folder: Path) -> Outcome:
    outcome = from_toml(folder, "[economy]\nexport_growth_max = -3.0\n", "economy.export_growth_max")
    if outcome.kind == "clear" and "surplus_max" in outcome.detail:
        return Outcome("unclear", f"names an internal array: {outcome.detail}")
    return outcome


@case(_UNCLEAR, 'disk full (a file-size limit) says only "[Errno 27] File too large"')
def case_file_too_large(folder: Path) -> Outcome:
    import resource

    out = folder / "big.toml"

    def limit() -> None:  # in the child: 1 kB per file, and EFBIG instead of SIGXFSZ
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    run = run_cli(["scenario", "init", out, "--quiet"], process=True, preexec_fn=limit)
    outcome = judge_cli(run, str(out))
    if outcome.kind == "clear" and ".xn-io-" in outcome.detail:
        outcome = Outcome("unclear", f"names a temp path: {outcome.detail}")
    return both(outcome, (listing(folder) == [], f"left behind: {listing(folder)}"))


@case(_UNCLEAR, 'a duplicate row in `x.csv` is "same labels in a different order"')
def case_duplicate_row_in_x(folder: Path) -> Outcome:
    path = mb_folder(folder)
    lines = (path / "x.csv").read_text(encoding="utf-8").splitlines()
    (path / "x.csv").write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    return expect_error(lambda: read_folder(path), "x.csv", "agriculture")


# ================================================================================= resources
_RESOURCES = "resources"


def _quick(outcome: Outcome, seconds: float, limit: float) -> Outcome:
    if seconds > limit:
        return Outcome("internal", f"took {seconds:.1f} s (limit {limit} s): {outcome.detail}")
    return outcome


@case(_RESOURCES, "`--carbon-caps 0:1e9:1` allocates 5.4 GB before a MemoryError")
def case_carbon_caps_a_billion(folder: Path) -> Outcome:
    run = run_cli(["frontier", "--carbon-caps", "0:1e9:1", "--quiet"])
    return _quick(judge_cli(run, "carbon-caps", "1000"), run.seconds, 10.0)


@case(_RESOURCES, "`--carbon-caps 0:1e5:1` starts 100,000 solves without a word")
def case_carbon_caps_hundred_thousand(folder: Path) -> Outcome:
    run = run_cli(["frontier", "--carbon-caps", "0:1e5:1", "--quiet"])
    return _quick(judge_cli(run, "carbon-caps", "1000"), run.seconds, 10.0)


@case(_RESOURCES, "a 400 KB scenario with a 200,000-level dotted header takes 43 s before its error")
def case_deep_dotted_header(folder: Path) -> Outcome:
    start = time.perf_counter()
    outcome = from_toml(folder, "[" + ".".join(["a"] * 200_000) + "]\n", "s.toml", "nested")
    return _quick(outcome, time.perf_counter() - start, 5.0)


def kill_once_task(table: Any, item: tuple[int, str], options: dict) -> dict[str, Any]:
    """A sweep task that kills its worker process the first time it runs when it carries a marker path."""
    index, marker = item
    if marker and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        os._exit(17)
    return {"status": "optimal", "index": index}


@case(_RESOURCES, 'sweeps on "processes": three killed workers cost every queued task a retry (26 of 30 rows lost)')
def case_dead_workers_cost_only_their_tasks(folder: Path) -> Outcome:
    from xn_io.optimize.sweep import run_tasks

    markers = {3: folder / "died3", 11: folder / "died11", 20: folder / "died20"}
    items = [(i, str(markers[i]) if i in markers else "") for i in range(30)]
    n_workers = 2
    rows = run_tasks(
        kill_once_task, None, items, executor="processes", n_workers=n_workers, quiet=True, mp_context="fork"
    )
    failed = [r for r in rows if r.get("status") != "optimal"]
    extra = sum(r["attempts"] for r in rows) - len(rows)
    died = sum(p.exists() for p in markers.values())
    if failed or [r.get("index") for r in rows] != list(range(30)):
        return Outcome("silent", f"{len(failed)} of 30 rows failed: {failed[:2]}")
    if died != 3 or extra > died * n_workers:
        return Outcome("silent", f"{died} deaths cost {extra} extra attempts (at most {n_workers} each)")
    return Outcome("correct", f"30 of 30 rows; {died} deaths cost {extra} extra attempts")


# ------------------------------------------------------------------------------------ the run
def run_case(c: Case, folder: Path) -> Outcome:
    """Run one case in ``folder`` (empty); a case that itself breaks counts as internal."""
    try:
        return c.run(folder)
    except Exception as exc:  # the harness or xn_io raised where no exception was expected
        return Outcome("internal", f"case raised {type(exc).__name__}: {exc}"[:300])


def tally(outcomes: dict[str, Outcome]) -> pd.DataFrame:
    """Cases by group × kind of outcome, with totals."""
    groups = {c.id: c.group for c in CASES}
    frame = pd.DataFrame([{"group": groups[k], "kind": o.kind} for k, o in outcomes.items()])
    table = pd.crosstab(frame["group"], frame["kind"], margins=True, margins_name="total")
    return table.reindex(columns=[k for k in (*KINDS, "total") if k in table.columns], fill_value=0)
