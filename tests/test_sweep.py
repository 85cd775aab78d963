"""Scenario sweeps: the grid, the rows (checked against independent solves and diagnoses), executors.

Oracles: every row of a sweep is compared with a direct ``solve()`` / ``diagnose()``
of the same scenario; the process and Dask executors are compared with the serial
one; worker deaths are caused on purpose (a scenario whose task kills its process
the first time it runs) and every scenario must still come back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import xn_io
from xn_io.errors import ArgumentError, ArgumentTypeError, ScenarioError
from xn_io.optimize import Scenario, diagnose, solve
from xn_io.optimize.sweep import scenario_grid, sweep, varied_parameters

# columns that legitimately differ between executors
_RUN_COLUMNS = ["solve_seconds", "task_seconds", "worker", "attempts"]


@dataclass(frozen=True)
class KillOnce(Scenario):
    """A scenario whose task kills its worker process the first time it runs (never the test process)."""

    marker: str = ""
    driver_pid: int = 0

    @property
    def years(self) -> list[int]:
        if self.marker and os.getpid() != self.driver_pid and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os._exit(17)
        return super().years


@dataclass(frozen=True)
class AlwaysFails(Scenario):
    """A scenario whose task raises a non-xn_io error every time (a bug, not a user error)."""

    @property
    def years(self) -> list[int]:
        raise RuntimeError("simulated failure in the worker")


@pytest.fixture(scope="module")
def table() -> xn_io.IOTable:
    return xn_io.load_table("xianning-2025")


@pytest.fixture(scope="module")
def hard_base(table) -> Scenario:
    # carbon cap relative to the table's base-year CO2, so the test survives table rebuilds
    co2 = table.satellites["co2"].total
    return Scenario(name="hard", target_mode="hard", pillar_targets={}, carbon_caps={2030: 1.0 * co2})


@pytest.fixture(scope="module")
def grid(table, hard_base) -> list[Scenario]:
    # GDP 2600 is reachable under the cap; 3400 is not (a 70 % rise in five years under growth bounds)
    return scenario_grid(hard_base, gdp_target=[2600.0, 3400.0], budget_scale=[1.0, 1.3])


@pytest.fixture(scope="module")
def serial(table, grid) -> pd.DataFrame:
    return sweep(table, grid, quiet=True)


def _compare(a: pd.DataFrame, b: pd.DataFrame) -> None:
    cols = [c for c in a.columns if c not in _RUN_COLUMNS]
    pd.testing.assert_frame_equal(a[cols], b[cols], check_exact=False, rtol=1e-9, atol=1e-6)


# ------------------------------------------------------------------------------- what travels
def test_the_table_and_the_scenario_travel_by_pickle(table, hard_base):
    import pickle

    t2 = pickle.loads(pickle.dumps(table))
    assert t2 == table and t2.satellites["co2"].unit == table.satellites["co2"].unit
    assert pickle.loads(pickle.dumps(hard_base)) == hard_base
    assert pickle.loads(pickle.dumps(KillOnce(name="k", marker="m"))).marker == "m"


# ------------------------------------------------------------------------------------- grid
def test_grid_is_the_cartesian_product_with_named_points():
    base = Scenario(name="b", family_scale={"budget": 2.0})
    g = scenario_grid(base, budget_scale=[0.5, 1.0, 1.5], carbon_peak_year=[2027, 2029])
    assert len(g) == 6
    assert g[0].name == "b|budget_scale=0.5|carbon_peak_year=2027"
    # scales multiply the base scale; fields are replaced
    assert [s.family_scale["budget"] for s in g] == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]
    assert [s.carbon_peak_year for s in g] == [2027, 2029] * 3
    assert len({s.name for s in g}) == 6


@pytest.mark.parametrize(
    "axes, word",
    [
        ({"no_such_field": [1]}, "no_such_field"),
        ({"growth_max": []}, "no values"),
        ({"growth_max": [0.2, 0.2]}, "repeats"),
        ({"carbon_cap_scale": [0.9]}, "off"),  # the baseline has no carbon caps
        ({"growth_max": [-1.0]}, "growth_max"),
    ],
)
def test_grid_rejects_bad_axes(axes, word):
    with pytest.raises(ScenarioError, match=word):
        scenario_grid(Scenario(), **axes)


def test_varied_parameters_lists_only_what_differs():
    p = varied_parameters([Scenario(name="a"), Scenario(name="b", carbon_caps={2030: 1.0}, growth_max=0.2)])
    assert list(p.columns) == ["growth_max", "carbon_caps.2030"]
    assert p["growth_max"].tolist() == [0.3, 0.2]
    assert np.isnan(p.loc[0, "carbon_caps.2030"]) and p.loc[1, "carbon_caps.2030"] == 1.0


# ------------------------------------------------------------------------------------- rows
def test_rows_match_direct_solves_and_diagnoses(table, grid, serial):
    assert list(serial.index) == [s.name for s in grid]
    assert {"gdp_target", "family_scale.budget"} <= set(serial.columns)
    feasible = serial[serial["status"] == "optimal"]
    infeasible = serial[serial["status"] == "infeasible"]
    assert len(feasible) == 2 and len(infeasible) == 2
    for s in grid:
        row = serial.loc[s.name]
        if row["status"] == "optimal":
            plan = solve(table, s)
            assert row["objective"] == pytest.approx(plan.objective, rel=1e-9)
            assert row["gdp_2030"] == pytest.approx(plan.gdp[2030], rel=1e-9)
            assert row["co2_peak"] == pytest.approx(plan.co2_total.max(), rel=1e-9)
            assert row["co2_peak_year"] == plan.co2_peak_year
            assert row["investment"] == pytest.approx(plan.investment.to_numpy().sum(), rel=1e-9)
            for p, out in plan.pillars["output_2030"].items():
                assert row[f"pillar_{p}"] == pytest.approx(out, rel=1e-9)
            binding = plan.binding
            assert row["n_binding"] == len(binding)
            # the carbon cap binds: reaching GDP is cheap, the objective is discounted GDP under the cap
            assert ("carbon_cap 2030" in row["binding"]) == bool((binding["family"] == "carbon_cap").any())
            assert pd.isna(row["diagnosis"]) and pd.isna(row["error"])
        else:
            assert row["diagnosis"] == diagnose(table, s).message
            assert pd.isna(row["objective"])


def test_a_failing_scenario_is_reported_not_dropped(table):
    good = Scenario(name="ok")
    misfit = Scenario(name="misfit", pillar_targets={"no_such_pillar": 1.0})  # a user error: not retried
    bug = AlwaysFails(name="bug")  # an unexpected error: retried, then reported
    df = sweep(table, [misfit, good, bug], retries=1, quiet=True)
    assert list(df.index) == ["misfit", "ok", "bug"]
    assert df.loc["ok", "status"] == "optimal"
    assert df.loc["misfit", "status"] == "error" and "no_such_pillar" in df.loc["misfit", "error"]
    assert df.loc["misfit", "attempts"] == 1
    assert df.loc["bug", "status"] == "error" and "simulated failure" in df.loc["bug", "error"]
    assert df.loc["bug", "attempts"] == 2


def test_bad_arguments(table):
    with pytest.raises(ScenarioError, match="unique"):
        sweep(table, [Scenario(), Scenario()], quiet=True)
    with pytest.raises(ArgumentTypeError, match=r"scenarios\[1\]"):
        sweep(table, [Scenario(), {"name": "x"}], quiet=True)
    with pytest.raises(ArgumentError, match="executor"):
        sweep(table, [Scenario()], executor=3.5, quiet=True)
    with pytest.raises(ArgumentError, match="scheduler address"):
        sweep(table, [Scenario()], executor="proceses", quiet=True)
    with pytest.raises(ArgumentError, match="retries"):
        sweep(table, [Scenario()], retries=-1, quiet=True)


# -------------------------------------------------------------------------------- processes
def test_processes_survive_a_dying_worker(table, grid, serial, tmp_path):
    killer = KillOnce(name="killer", marker=str(tmp_path / "died"), driver_pid=os.getpid())
    df = sweep(table, [*grid, killer], "processes", n_workers=2, quiet=True)
    assert (tmp_path / "died").exists()  # a worker did die
    assert len(df) == len(grid) + 1
    _compare(serial, df.loc[serial.index])
    assert df.loc["killer", "status"] == "optimal"
    assert df.loc["killer", "attempts"] >= 2
    assert df.loc["killer", "objective"] == pytest.approx(solve(table, Scenario()).objective, rel=1e-9)


def test_a_dead_worker_costs_only_the_tasks_it_was_running(table, grid, serial, tmp_path):
    # two workers die (one task each); with n_workers=2 each death can cost an attempt to at most
    # the 2 tasks in flight, never to the tasks still queued
    killers = [KillOnce(name=f"killer{k}", marker=str(tmp_path / f"died{k}"), driver_pid=os.getpid()) for k in (1, 2)]
    df = sweep(table, [killers[0], *grid, killers[1]], "processes", n_workers=2, quiet=True)
    assert all((tmp_path / f"died{k}").exists() for k in (1, 2))
    assert (df.loc[["killer1", "killer2"], "status"] == "optimal").all()
    _compare(serial, df.loc[serial.index])
    extra = int(df["attempts"].sum()) - len(df)
    assert 2 <= extra <= 2 * 2, df["attempts"]


# ------------------------------------------------------------------------------------- dask
@pytest.fixture(scope="module")
def client():
    import distributed  # in the test extra (dask[distributed]): missing means failing, not skipping

    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def test_dask_gives_the_serial_results(table, grid, serial, client):
    df = sweep(table, grid, client, quiet=True)
    _compare(serial, df)
    # the infeasible rows come back through Dask with their diagnosis
    assert (df.loc[df["status"] == "infeasible", "diagnosis"].str.startswith("to make scenario")).all()


def test_dask_worker_killed_mid_sweep_loses_no_scenario(table, grid, serial, client, tmp_path):
    killer = KillOnce(name="killer", marker=str(tmp_path / "died"), driver_pid=os.getpid())
    scenarios = [*grid[:2], killer, *grid[2:]]
    df = sweep(table, scenarios, client, quiet=True)
    assert (tmp_path / "died").exists()
    dead_pid = (tmp_path / "died").read_text()
    assert list(df.index) == [s.name for s in scenarios]
    assert df.loc["killer", "status"] == "optimal"
    assert not df.loc["killer", "worker"].endswith(f":{dead_pid}")  # finished by another process
    _compare(serial, df.loc[serial.index])


def test_dask_monte_carlo_matches_serial(table, client):
    from xn_io.optimize.uncertainty import monte_carlo

    a = monte_carlo(table, Scenario(), 3, seed=11, quiet=True)
    b = monte_carlo(table, Scenario(), 3, seed=11, executor=client, quiet=True)
    pd.testing.assert_frame_equal(a.gdp, b.gdp)
    pd.testing.assert_frame_equal(a.investment, b.investment)
    pd.testing.assert_frame_equal(a.targets_met, b.targets_met)


# -------------------------------------------------------------------------------- benchmark
def test_benchmark_workload_and_overhead_formula():
    from benchmarks import sweep as bench

    scenarios = bench.workload(200)
    assert len({s.name for s in scenarios}) == 200
    frame = pd.DataFrame({"task_seconds": [0.1, 0.3], "status": ["optimal"] * 2, "worker": ["a", "b"]})
    row = bench._row("x", frame, 0.25, 2, 2, 0.4, serial_median=0.1)
    # two workers for 0.25 s = 0.5 s of worker time, 0.4 s of it in tasks: 0.1 s over 2 tasks = 50 ms each
    assert row["overhead_per_task_ms"] == pytest.approx(50.0)
    assert row["speedup"] == pytest.approx(1.6) and row["task_slowdown"] == pytest.approx(2.0)


def test_benchmark_times_the_baseline_solve():
    """The recorded baseline is a real solve: optimal, with the objective of a direct solve of the same scenario."""
    import xn_io
    from benchmarks import sweep as bench
    from xn_io.optimize import Scenario, solve

    table = xn_io.load_table("xianning-2025")
    b = bench.baseline_solve(table, repeats=1)
    assert len(b["times_s"]) == 1 and b["median_s"] > 0
    assert b["objective"] == pytest.approx(solve(table, Scenario()).objective, rel=1e-9)
    assert "optimal" in b["status"].lower()
