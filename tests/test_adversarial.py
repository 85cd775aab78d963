"""Issue 20's adversarial run, repeated: every bad input its text lists gives a clear error or a correct result.

The cases live in ``tests/adversarial/cases.py`` (one per listed item: files
replaced or lost, interrupts, silent wrong results, internal errors, unclear
errors, resources); ``python -m tests.adversarial`` prints their tally. Here
each case is one test that fails on an unclear error, an internal error or a
silent wrong result, and says what it saw.
"""

from __future__ import annotations

import pytest

from tests.adversarial import cases


@pytest.mark.parametrize("case", cases.CASES, ids=[c.id for c in cases.CASES])
def test_bad_input_gives_a_clear_error_or_a_correct_result(case, tmp_path):
    outcome = cases.run_case(case, tmp_path)
    assert outcome.kind in cases.GOOD, f"{case.group}: {case.item}\n{outcome.kind}: {outcome.detail}"


@pytest.mark.parametrize("case_id", ["special-file-with-force", "foreign-folder-with-force", "empty-links-csv"])
def test_cli_cases_give_the_same_as_real_xn_io_processes(case_id, tmp_path, monkeypatch):
    # the suite calls xn_io.cli.main in-process; the program (console-script entry point) must end the same way
    monkeypatch.setattr(cases, "SUBPROCESS", True)
    case = next(c for c in cases.CASES if c.id == case_id)
    outcome = cases.run_case(case, tmp_path)
    assert outcome.kind == "clear", outcome.detail


def test_every_group_of_the_issue_has_its_cases():
    groups = {c.group for c in cases.CASES}
    assert groups == {
        "files replaced or lost",
        "interrupts",
        "silent wrong results",
        "internal errors",
        "unclear errors",
        "resources",
    }
    assert len({c.id for c in cases.CASES}) == len(cases.CASES) >= 60


def test_the_judge_tells_the_kinds_apart():
    from xn_io.errors import ScenarioError

    def raise_(exc):
        raise exc

    assert cases.expect_error(lambda: raise_(ScenarioError("growth_max must be ≥ 0")), "growth_max").kind == "clear"
    assert cases.expect_error(lambda: raise_(ScenarioError("bad value")), "growth_max").kind == "unclear"
    assert cases.expect_error(lambda: raise_(ScenarioError("growth_max\nbad")), "growth_max").kind == "unclear"
    assert cases.expect_error(lambda: raise_(ZeroDivisionError("x")), "x").kind == "internal"
    assert cases.expect_error(lambda: 42, "x").kind == "silent"
    run = cases.Run(2, "", "usage: xn-io ...\nxn-io: error: s.toml: field 'x' bad\n", 0.1)
    assert cases.judge_cli(run, "s.toml").kind == "clear"
    assert cases.judge_cli(cases.Run(1, "", "xn-io: internal error: KeyError", 0.1), "x").kind == "internal"
    assert cases.judge_cli(cases.Run(0, "done", "", 0.1), "x").kind == "silent"
    assert cases.judge_cli(cases.Run(-11, "", "", 0.1), "x").kind == "internal"
