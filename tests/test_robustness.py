"""Issue 20's bad inputs as regression tests: each a clear XnIOError naming its field, file or line.

Also: HiGHS' "error" status re-checked before it is called a solver error (the
budget-scale 0.767 case is infeasible, as 0.766 and 0.768 are), and Ctrl-C
sent to a real ``xn-io frontier`` at several moments ends with exit 130, one
line, no traceback and no crash.
"""

from __future__ import annotations

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import xn_io
from tests.adversarial.cases import firm_files
from xn_io.cli import main
from xn_io.errors import InfeasibleError, NetworkDataError, ScenarioError, XnIOError
from xn_io.optimize import Scenario

ROOT = Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- scenario fields
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"discount_rate": math.nan}, "discount_rate"),
        ({"gdp_target": math.inf}, "targets.gdp_target"),
        ({"budget_growth": math.nan}, "investment.budget_growth"),
        ({"budget": {2027: math.nan}}, "investment.budget.2027"),
        ({"family_scale": {"budget": math.inf}}, "family_scale.budget"),
        ({"family_scale": {"budget": "x"}}, "family_scale.budget"),
        ({"carbon_caps": {2028: -math.inf}}, "carbon.carbon_caps.2028"),
        ({"pillar_targets": {"big_health": "500"}}, "targets.pillar_targets.big_health"),
        ({"families": {"carbon_peak": "false"}}, "families.carbon_peak"),
        ({"no_new_capacity": [1]}, "investment.no_new_capacity[0]"),
        ({"price_growth": -1.0}, "economy.price_growth"),
        ({"export_growth_max": -3.0}, "economy.export_growth_max"),
        ({"last_year": 1_000_000}, "last_year"),
        ({"first_year": 2026, "last_year": 2200}, "last_year"),
    ],
)
def test_bad_scenario_fields_name_the_field(changes, field):
    with pytest.raises(ScenarioError) as info:
        Scenario(**changes)
    assert info.value.field == field and field in str(info.value)
    assert "\n" not in str(info.value)


def test_toml_false_string_is_an_error_and_true_booleans_work(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[families]\ncarbon_peak = "false"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="families.carbon_peak must be true or false"):
        Scenario.from_toml(bad)
    good = tmp_path / "g.toml"
    good.write_text("[families]\ncarbon_peak = false\n", encoding="utf-8")
    assert Scenario.from_toml(good).family_on("carbon_peak") is False


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a = " + "{b = " * 1000 + "1" + "}" * 1000 + "\n", "nested more than"),
        ("[" + ".".join(["a"] * 200_000) + "]\n", "nested more than"),
        ("[investment]\nbudget = {x = 1}\n", "expected a year"),
        ("[investment]\nbudget = {2026 = true}\n", "investment.budget.2026 must be a finite number"),
        ("economy = 5\n", "[economy] must be a table"),
    ],
)
def test_hostile_toml_files_give_one_clear_error_quickly(tmp_path, text, needle):
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        Scenario.from_toml(path)
    assert needle in str(info.value)
    assert time.perf_counter() - start < 5.0


def test_non_utf8_scenario_names_the_file_and_line(tmp_path):
    path = tmp_path / "s.toml"
    path.write_bytes(b'name = "ok"\ndescription = "\xcf\xfe"\n')
    with pytest.raises(ScenarioError, match=r"s\.toml, line 2: not UTF-8"):
        Scenario.from_toml(path)


# ----------------------------------------------------------------------------- CLI arguments
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["frontier", "--carbon-caps", "nan"], "not a finite number"),
        (["frontier", "--carbon-caps", "0:inf:1"], "not a finite number"),
        (["frontier", "--carbon-caps", "0:1e9:1"], "at most 1000"),
        (["frontier", "--carbon-caps", "0:1e5:1"], "at most 1000"),
    ],
)
def test_bad_frontier_caps_are_refused_before_any_solve(capsys, args, needle):
    start = time.perf_counter()
    assert main([*args, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1
    assert time.perf_counter() - start < 10.0  # no 5 GB list, no 100,000 solves


def test_negative_frontier_points_is_an_argument_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["report", "--out", "x", "--frontier-points", "-3"])
    assert info.value.code == 2 and "outside 2–1000" in capsys.readouterr().err


# ----------------------------------------------------------------------------- firm files
def test_chains_flags_with_blanks_agree_with_firm_graph(tmp_path, capsys):
    from xn_io.network import firm_graph, local_supporting_rate

    firms, links = firm_files(tmp_path, "TRUE ")
    expected = local_supporting_rate(firm_graph(firms, links)).loc["L", "upstream"]
    assert expected == pytest.approx(1.0)  # the only supplier is local
    assert main(["chains", "--firms", str(firms), "--links", str(links), "--quiet"]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "upstream" in line and "downstream" in line).split()
    row = next(line for line in out.splitlines() if line.startswith("L ")).split()
    # the row has the leader's label first, then one value per header column
    assert float(row[1 + header.index("upstream")]) == pytest.approx(expected)


def test_empty_and_non_utf8_firm_files_name_the_file(tmp_path, capsys):
    firms, links = firm_files(tmp_path, "true")
    links.write_bytes(b"")
    assert main(["chains", "--firms", str(firms), "--links", str(links), "--quiet"]) == 2
    assert f"{links}: the file is empty" in capsys.readouterr().err
    links.write_bytes(b"supplier,buyer,value,product\ns1,L,20,\xcfre\n")
    with pytest.raises(NetworkDataError, match=r"links\.csv, line 2: not UTF-8"):
        from xn_io.network.firms import _read_firm_files

        _read_firm_files(firms, links)


# ----------------------------------------------------------------------------- infeasibility
def test_highs_error_status_is_rechecked_and_reported_as_infeasible():
    table = xn_io.load_table("xianning-2025")
    from xn_io.optimize import solve

    # 0.766 and 0.768 are proven infeasible; at 0.767 the persistent HiGHS solve ends "error"
    for scale in (0.766, 0.767, 0.768):
        with pytest.raises(InfeasibleError):
            solve(table, Scenario(family_scale={"budget": scale}, growth_max=0.2), diagnose_infeasible=False)


def test_cli_reports_the_0767_case_as_infeasible_with_exit_3(tmp_path, capsys):
    path = tmp_path / "s.toml"
    Scenario(family_scale={"budget": 0.767}, growth_max=0.2).to_toml(path)
    assert main(["plan", str(path), "--quiet"]) == 3
    captured = capsys.readouterr()
    assert "infeasible" in captured.err and "budget" in captured.out


def _green_materials_2028() -> Scenario:
    # found by a sweep over the shipped scenarios x the sensitivity registry's ranges (190 solves): HiGHS' dual
    # simplex stops on "excessive dual values" with and without presolve; the interior-point method (and the
    # one-call hand-over of sensitivity) prove it infeasible
    return Scenario.builtin("green-materials-first").replace(carbon_peak_year=2028)


def test_an_error_status_that_presolve_off_does_not_clear_is_rechecked_with_the_ipm():
    from xn_io.optimize import _solver, sweep
    from xn_io.optimize.model import build_model
    from xn_io.optimize.solve import solve

    table = xn_io.load_table("xianning-2025")
    scenario = _green_materials_2028()
    model = build_model(table, scenario)
    opt = _solver.new_solver()
    first = opt.solve(model)  # the plain persistent solve: the failure being re-checked
    if str(first.termination_condition).endswith("unknown"):  # on this HiGHS build: check every path
        highs = opt._solver_model
        highs.setOptionValue("output_flag", False)
        assert _solver.run_highs(highs) is _solver.Status.INFEASIBLE
        assert _solver._option(highs, "presolve") == "choose" and _solver._option(highs, "solver") == "choose"
    assert _solver.run(build_model(table, scenario)).status is _solver.Status.INFEASIBLE
    with pytest.raises(InfeasibleError):
        solve(table, scenario, diagnose_infeasible=False)
    row = sweep(table, [scenario], diagnose_infeasible=False, quiet=True).iloc[0]
    assert row["status"] == "infeasible"


def test_cli_reports_the_green_materials_2028_case_as_infeasible_with_its_diagnosis(tmp_path, capsys):
    path = tmp_path / "s.toml"
    _green_materials_2028().to_toml(path)
    assert main(["plan", str(path), "--quiet"]) == 3
    captured = capsys.readouterr()
    assert captured.err.startswith("xn-io: infeasible") and len(captured.err.strip().splitlines()) == 1
    assert "Smallest relaxation" in captured.out and "green_new_materials" in captured.out


# ----------------------------------------------------------------------------- Ctrl-C
def test_ctrl_c_on_a_real_frontier_ends_with_exit_130_and_one_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XN_IO_CJK_FONT": "none"}
    args = [
        sys.executable,
        "-m",
        "xn_io.cli",
        "frontier",
        "--carbon-caps",
        "2500:4500:50",
        "--out",
        str(tmp_path / "f"),
    ]
    # counted from the moment the command says "solving 41 points" (its readiness signal, read from its
    # stderr, not a guess of how long start-up takes): at once (the model is being built), then during the solves
    codes = []
    for delay in (0.0, 0.4, 1.5):
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        before = _wait_for_line(proc, lambda line: line.startswith("solving 41 points"))
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=300)
        codes.append(proc.returncode)
        if proc.returncode == 0:  # finished before the signal: then the output is complete
            assert (tmp_path / "f").is_dir()
            _remove_tree(tmp_path / "f")
            continue
        assert proc.returncode == 130, (delay, proc.returncode, before + err)
        assert "Traceback" not in err and "Segmentation" not in err
        assert err.strip().splitlines() == ["xn-io: interrupted; no output was left half-written"], err
        assert list(tmp_path.iterdir()) == []
    assert codes[0] == 130, codes  # sent as the 41 solves begin, it cannot arrive after all of them


def _wait_for_line(proc: subprocess.Popen, ready, *, limit: int = 100_000) -> str:
    """Read the child's stderr up to and including the first line for which ``ready(line)``; return what was read."""
    seen = []
    for _ in range(limit):
        line = proc.stderr.readline()
        if not line:
            raise AssertionError(
                f"the command ended ({proc.wait()}) before its readiness line: {''.join(seen)[-2000:]}"
            )
        seen.append(line)
        if ready(line):
            return "".join(seen)
    raise AssertionError("no readiness line")


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


# The console script as installers write it for [project.scripts] (pip's wrapper), run with -X importtime:
# Python then reports each import on stderr as it completes; the line for xn_io._console is the readiness
# signal ("the program's own code starts now"), microseconds before the SIGINT guard is installed.
_WRAPPER = """\
import sys
from {module} import {func}
if __name__ == "__main__":
    sys.exit({func}())
"""


def _console_script(tmp_path: Path) -> Path:
    import tomllib

    entry = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["xn-io"]
    module, func = entry.split(":")
    script = tmp_path / "xn-io"
    script.write_text(_WRAPPER.format(module=module, func=func), encoding="utf-8")
    return script


@pytest.mark.parametrize("seed", [0, 1])
def test_ctrl_c_while_xn_io_starts_ends_with_exit_130_and_one_line(tmp_path, seed):
    """Ctrl-C from the first moment of the program's own code: during the imports of pandas & co., then later."""
    import random

    script = _console_script(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XN_IO_CJK_FONT": "none"}
    rng = random.Random(seed)
    # at once, then random moments in the first second (the imports) and beyond (the command itself)
    delays = [0.0, rng.uniform(0.0, 0.05), rng.uniform(0.05, 0.3), rng.uniform(0.3, 1.0), rng.uniform(1.0, 2.0)]
    interrupted = []
    for delay in delays:
        proc = subprocess.Popen(
            [sys.executable, "-X", "importtime", str(script), "tables"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
        # the first import completed after xn_io._console's own: main() has installed its guard and is importing
        # the command (pandas & co.); the microseconds between the two are the launcher's only unguarded moment
        state = {"console": False}

        def ready(line, state=state):
            if state["console"]:
                return True
            state["console"] = line.rstrip().endswith("| xn_io._console")
            return False

        _wait_for_line(proc, ready)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=120)
        lines = [line for line in err.splitlines() if not line.startswith("import time:")]
        assert "Traceback" not in err, (delay, err[-3000:])
        if proc.returncode == 0:  # the listing finished first: then it is complete
            assert "xianning-2025" in out and lines == [], (delay, lines)
            continue
        assert proc.returncode == 130, (delay, proc.returncode, lines)
        assert lines == ["xn-io: interrupted; no output was left half-written"], (delay, lines)
        interrupted.append(delay)
    assert delays[0] in interrupted  # sent as the imports begin: it cannot arrive after the listing


def test_the_launcher_imports_nothing_python_has_not_loaded_at_start_up():
    """The guard's own import adds no module to Python's start-up: the unguarded window is CPython's alone.

    Measured (2 shared cores, load ~3.4; SIGINT at uniform random moments in the first 60 ms, 150 runs each):
    Python's traceback window was ~34 ms with ``import signal`` (enum, functools, collections) and ``types``
    in the launcher's path, ~22 ms without — against ~20 ms for a launcher that is an empty package whose
    first statement installs the handler, i.e. CPython's own start-up (stdio set-up, ``site``).
    """
    code = "import sys; before = set(sys.modules); import xn_io._console; print(sorted(set(sys.modules) - before))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "['xn_io', 'xn_io._console']", done.stdout


def test_no_exception_but_xnioerror_escapes_for_these_inputs():
    bad = [
        lambda: xn_io.IOTable.from_arrays([[1j, 0], [0, 1]], [1, 1]),
        lambda: xn_io.IOTable.from_arrays([["a", "b"], ["c", "d"]], [1, 1]),
        lambda: xn_io.load_table(["x"]),
    ]
    for make in bad:
        with pytest.raises(XnIOError):
            make()
