"""Many plan solves at once: a list or grid of scenarios, serially, on local processes or on Dask.

``sweep(table, scenarios, executor=...)`` solves every scenario and returns one
tidy DataFrame. Each task is *(table, scenario) → one row*: the worker builds
its own Pyomo model (nothing Pyomo crosses a process boundary — only the
table and the scenario, both plain picklable data, go out, and a dict of
numbers comes back). The same call runs

* ``"serial"`` (default): in this process;
* ``"processes"``: on a :class:`concurrent.futures.ProcessPoolExecutor` of
  ``n_workers`` processes (the table is sent once per process);
* ``"dask"``: on a Dask ``LocalCluster`` started for the call;
* a :class:`dask.distributed.Client`, or a scheduler address such as
  ``"tcp://10.0.0.5:8786"``: on an existing Dask cluster (the table is
  scattered to every worker once);
* any other :class:`concurrent.futures.Executor` you pass in.

Nothing is dropped: a scenario whose targets and caps clash comes back as
``status == "infeasible"`` with the diagnosis of :func:`~xn_io.optimize.diagnose`;
a scenario that raises is retried ``retries`` times (Dask ``retries=``; for
processes the pool is rebuilt after a worker dies) and then reported with
``status == "error"`` and its error text. The rows are in the order of the
scenarios, whatever order the results arrived in.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import socket
import sys
import threading
import time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import product
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ArgumentError, ArgumentTypeError, InfeasibleError, ScenarioError, XnIOError
from .plan import CONSTRAINT_UNITS
from .scenario import FAMILIES, Scenario

__all__ = ["sweep", "scenario_grid", "plan_record", "varied_parameters", "run_tasks", "EXECUTORS"]

#: The executors named by a string (anything else is a Dask scheduler address).
EXECUTORS = ("serial", "processes", "dask")

# Cap and target families reported in the ``binding`` column (growth and market bounds are counted only).
_POLICY_FAMILIES = tuple(f for f in CONSTRAINT_UNITS if f not in ("growth_up", "growth_down", "exports"))

# Pyomo is not thread-safe: tasks that share a process (a Dask worker with several threads) run one at a time.
_PROCESS_LOCK = threading.Lock()


# ---------------------------------------------------------------------------------------- grid
def _label(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def scenario_grid(base: Scenario | None = None, **axes: Sequence[Any]) -> list[Scenario]:
    """Every combination of the given values, as named scenarios derived from ``base``.

    Parameters
    ----------
    base : Scenario, optional
        The scenario the grid varies (default ``Scenario()``, the shipped baseline).
    **axes : sequence
        One sequence of values per parameter. A name that is a :class:`Scenario`
        field (``growth_max=[0.2, 0.3]``, ``carbon_peak_year=[2027, 2029]``)
        replaces that field. A name ``<family>_scale`` (``budget_scale``,
        ``carbon_cap_scale``, ``pillar_targets_scale``, ``gdp_target_scale`` …)
        multiplies the right-hand sides of that constraint family (see
        ``Scenario.family_scale``; a scale already in ``base`` is multiplied).

    Returns
    -------
    list of Scenario
        In row-major order of the axes (the last axis varies fastest), named
        ``"<base>|<axis>=<value>|…"``.

    Raises
    ------
    ScenarioError
        An axis that is neither a field nor a scalable family, an empty axis or
        one with repeated values, a scale of a family that is switched off in
        ``base`` (scaling it would change nothing), or a value the scenario
        rejects.

    Examples
    --------
    >>> grid = scenario_grid(Scenario(), budget_scale=[0.8, 1.2], growth_max=[0.2, 0.3])
    >>> [s.name for s in grid]  # doctest: +NORMALIZE_WHITESPACE
    ['baseline|budget_scale=0.8|growth_max=0.2', 'baseline|budget_scale=0.8|growth_max=0.3',
     'baseline|budget_scale=1.2|growth_max=0.2', 'baseline|budget_scale=1.2|growth_max=0.3']
    >>> grid[3].family_scale, grid[3].growth_max
    ({'budget': 1.2}, 0.3)
    """
    base = base if base is not None else Scenario()
    if not isinstance(base, Scenario):
        raise ArgumentTypeError(f"base must be a Scenario, got {type(base).__name__}", argument="base")
    if not axes:
        raise ScenarioError("scenario_grid needs at least one axis, e.g. budget_scale=[0.8, 1.0, 1.2]", field="axes")
    fields = {f.name for f in dataclasses.fields(base)} - {"name", "description"}
    kinds: dict[str, tuple[str, str]] = {}
    for axis, values in axes.items():
        if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
            raise ScenarioError(f"axis {axis}: give a sequence of values, got {values!r}", field=axis)
        values = list(values)
        axes[axis] = values
        if not values:
            raise ScenarioError(f"axis {axis} has no values", field=axis)
        if len({repr(v) for v in values}) != len(values):
            raise ScenarioError(f"axis {axis} repeats a value: {values!r}", field=axis)
        if axis in fields:
            kinds[axis] = ("field", axis)
        elif axis.endswith("_scale"):
            family = axis[: -len("_scale")]
            on = (
                base.objective == "min_co2"
                if family == "gdp_floor"
                else (family in FAMILIES and base.family_on(family))
            )
            if family in FAMILIES and not on:
                raise ScenarioError(
                    f"axis {axis}: the family {family!r} is off in scenario {base.name!r} (give its caps or switch "
                    f"it on in families), so scaling it would change nothing",
                    field=axis,
                )
            kinds[axis] = ("scale", family)
        else:
            raise ScenarioError(
                f"axis {axis!r} is neither a Scenario field nor '<family>_scale' of a constraint family", field=axis
            )
    out = []
    names = list(axes)
    for combo in product(*(axes[a] for a in names)):
        changes: dict[str, Any] = {}
        scale = dict(base.family_scale)
        for axis, value in zip(names, combo):
            kind, target = kinds[axis]
            if kind == "field":
                changes[target] = value
            else:
                scale[target] = scale.get(target, 1.0) * value
        label = "|".join(f"{a}={_label(v)}" for a, v in zip(names, combo))
        try:
            out.append(base.replace(name=f"{base.name}|{label}", family_scale=scale, **changes))
        except ScenarioError as exc:
            raise ScenarioError(f"grid point {label}: {exc}", field=exc.field) from None
    return out


# ---------------------------------------------------------------------------------------- rows
def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in str(text).lower())


def plan_record(plan) -> dict[str, Any]:
    """The key outputs of a solved :class:`~xn_io.optimize.Plan` as one flat row.

    Parameters
    ----------
    plan : Plan

    Returns
    -------
    dict
        Keys: ``status``, ``objective``, ``objective_unit``, ``gdp_<last>``
        (in ``plan.units["money"]``), ``co2_<last>``, ``co2_peak`` (in
        ``plan.units["co2"]``) and ``co2_peak_year`` (base year included),
        ``cumulative_co2``, ``investment`` (cumulative, money unit),
        ``targets_met`` / ``targets_total``, ``all_targets_met``,
        ``shortfall_<target>`` for each target missed (``shortfall_gdp_2030``),
        ``pillar_<name>`` (last-year output of each pillar, money unit), ``binding``
        (the binding caps and targets, ``family[item] year``, ``; ``-separated),
        ``n_binding`` (binding rows of every kind, growth and market bounds
        included) and ``solve_seconds``.

    Examples
    --------
    >>> import xn_io
    >>> from xn_io.optimize import solve
    >>> rec = plan_record(solve(xn_io.load_table("xianning-2025"), Scenario()))
    >>> rec["status"], rec["co2_peak_year"], rec["targets_total"]
    ('optimal', 2029, 7)
    """
    last = plan.scenario.last_year
    co2 = plan.co2_total
    targets = plan.targets
    rec: dict[str, Any] = {
        "status": plan.status.value,
        "objective": plan.objective,
        "objective_unit": plan.objective_unit,
        f"gdp_{last}": float(plan.gdp[last]),
        f"co2_{last}": float(co2[last]),
        "co2_peak": float(co2.max()),
        "co2_peak_year": plan.co2_peak_year,
        "cumulative_co2": float(co2[plan.scenario.years].sum()),
        "investment": float(plan.investment.to_numpy().sum()),
        "targets_met": int(targets["met"].sum()),
        "targets_total": len(targets),
        "all_targets_met": bool(targets["met"].all()),
    }
    for name, row in targets.iterrows():
        if not row["met"]:
            rec[f"shortfall_{_slug(name)}"] = float(row["shortfall"])
    for pillar, value in plan.pillars[f"output_{last}"].items():
        rec[f"pillar_{pillar}"] = float(value)
    b = plan.binding
    policy = b[b["family"].isin(_POLICY_FAMILIES)]
    rec["binding"] = "; ".join(
        (row["family"] if row["item"] == row["family"] else f"{row['family']}[{row['item']}]") + f" {row['year']}"
        for _, row in policy.iterrows()
    )
    rec["n_binding"] = len(b)
    rec["solve_seconds"] = plan.seconds + plan.build_seconds
    return rec


def _solve_task(table, scenario: Scenario, options: dict) -> dict[str, Any]:
    """One sweep task, run in a worker: solve and flatten. A user-level error is a result, not a failure."""
    from .solve import solve

    rec: dict[str, Any] = {}
    with _PROCESS_LOCK:
        try:
            plan = solve(
                table,
                scenario,
                time_limit=options.get("time_limit"),
                diagnose_infeasible=options.get("diagnose", True),
                target_costs=False,
            )
            rec.update(plan_record(plan))
        except InfeasibleError as exc:
            rec.update(status="infeasible", diagnosis=exc.diagnosis.message if exc.diagnosis is not None else str(exc))
        except XnIOError as exc:  # solver failure, or a scenario that does not fit the table: deterministic
            rec.update(status="error", error=f"{type(exc).__name__}: {exc}")
    return rec


def _echo_task(table, item, options) -> dict[str, Any]:
    """A task that returns its item (the example of :func:`run_tasks`)."""
    return {"status": "optimal", "item": item}


# ----------------------------------------------------------------------------------- executors
_WORKER_TABLE: Any = None


def _init_worker(table) -> None:
    global _WORKER_TABLE
    _WORKER_TABLE = table


def _call_with_worker_table(fn, item, options):
    return _tagged(fn, _WORKER_TABLE, item, options)


def _tagged(fn, table, item, options):
    """Run ``fn``; note which process ran it (host:pid) and its wall time in the worker."""
    start = time.perf_counter()
    rec = fn(table, item, options)
    rec["task_seconds"] = time.perf_counter() - start
    rec["worker"] = f"{socket.gethostname()}:{os.getpid()}"
    return rec


def _failure(exc: BaseException, attempts: int) -> dict[str, Any]:
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    if isinstance(exc, BrokenProcessPool):
        text = f"the worker process died while running this task ({text})"
    return {"status": "error", "error": text, "attempts": attempts}


def _progress(total: int, desc: str, quiet: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="task", disable=quiet or not sys.stderr.isatty(), leave=False)


def run_tasks(
    fn: Callable[[Any, Any, dict], dict],
    table,
    items: Sequence[Any],
    *,
    options: dict | None = None,
    executor: str | Executor | Any | None = None,
    n_workers: int | None = None,
    retries: int = 2,
    quiet: bool = False,
    desc: str = "xn_io",
    mp_context: str = "spawn",
) -> list[dict[str, Any]]:
    """Map ``fn(table, item, options) → dict`` over ``items`` on an executor; one record per item, in order.

    The engine of :func:`sweep` and :func:`xn_io.optimize.monte_carlo`, for
    other many-solve analyses.

    Parameters
    ----------
    fn : callable
        A module-level function (it is pickled by reference) returning a dict.
    table : IOTable
        Sent once per worker process (``"processes"``, Dask) or with each task
        (an ``Executor`` passed in).
    items : sequence
        Picklable task arguments.
    options : dict, optional
        Passed to every call.
    executor, n_workers, retries, quiet, mp_context
        As in :func:`sweep`.
    desc : str
        Label of the progress bar and of the Dask task keys.

    Returns
    -------
    list of dict
        One record per item, in the order of ``items``. Each carries
        ``attempts``, ``worker`` (host:pid) and ``task_seconds`` (wall time of
        the task in the worker); an exception still raised after ``retries``
        further attempts becomes ``{"status": "error", "error": …}``.

    Raises
    ------
    ArgumentError
        A bad ``retries``, ``n_workers`` or ``executor``, or Dask asked for but not installed.

    Examples
    --------
    >>> from xn_io.optimize.sweep import _echo_task
    >>> [r["item"] for r in run_tasks(_echo_task, None, [3, 1, 2], quiet=True)]
    [3, 1, 2]
    """
    options = dict(options or {})
    if not isinstance(retries, int) or retries < 0:
        raise ArgumentError(f"retries must be an integer ≥ 0, got {retries!r}", argument="retries")
    if n_workers is not None and (not isinstance(n_workers, int) or n_workers < 1):
        raise ArgumentError(f"n_workers must be a positive integer, got {n_workers!r}", argument="n_workers")
    items = list(items)
    if executor is None or executor == "serial":
        return _run_serial(fn, table, items, options, retries, quiet, desc)
    if executor == "processes":
        return _run_processes(fn, table, items, options, n_workers, retries, quiet, desc, mp_context)
    if isinstance(executor, Executor):
        return _run_executor(fn, table, items, options, executor, retries, quiet, desc)
    if isinstance(executor, str) and executor != "dask" and ":" not in executor:
        raise ArgumentError(
            f"executor {executor!r} is not one of {EXECUTORS} nor a scheduler address such as 'tcp://host:8786'",
            argument="executor",
        )
    if executor == "dask" or isinstance(executor, str) or _is_dask_client(executor):
        return _run_dask(fn, table, items, options, executor, n_workers, retries, quiet, desc)
    raise ArgumentTypeError(
        f"executor must be one of {EXECUTORS}, a scheduler address, a dask.distributed.Client or a "
        f"concurrent.futures.Executor; got {type(executor).__name__}",
        argument="executor",
    )


def _is_dask_client(obj) -> bool:
    mod = type(obj).__module__ or ""
    return mod.startswith("distributed") and type(obj).__name__ == "Client"


def _run_serial(fn, table, items, options, retries, quiet, desc):
    out = []
    with _progress(len(items), desc, quiet) as bar:
        for item in items:
            for attempt in range(1, retries + 2):
                try:
                    rec = _tagged(fn, table, item, options)
                    rec["attempts"] = attempt
                    break
                except Exception as exc:
                    rec = _failure(exc, attempt)
            out.append(rec)
            bar.update()
    return out


def _run_executor(fn, table, items, options, pool: Executor, retries, quiet, desc):
    results: dict[int, dict] = {}
    attempts = dict.fromkeys(range(len(items)), 0)
    with _progress(len(items), desc, quiet) as bar:
        futs = {pool.submit(_tagged, fn, table, items[i], options): i for i in range(len(items))}
        pending = set(futs)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                i = futs.pop(fut)
                attempts[i] += 1
                exc = fut.exception()
                if exc is None:
                    results[i] = {**fut.result(), "attempts": attempts[i]}
                elif attempts[i] > retries:
                    results[i] = _failure(exc, attempts[i])
                else:
                    try:
                        new = pool.submit(_tagged, fn, table, items[i], options)
                    except Exception as broken:
                        results[i] = _failure(broken, attempts[i])
                    else:
                        futs[new] = i
                        pending.add(new)
                        continue
                bar.update()
    return [results[i] for i in range(len(items))]


def _run_processes(fn, table, items, options, n_workers, retries, quiet, desc, mp_context):
    # At most n_workers tasks are in flight, so a worker that dies (which breaks the whole pool)
    # costs an attempt only to the tasks that were running, never to the ones still queued.
    n_workers = n_workers or os.cpu_count() or 1
    ctx = multiprocessing.get_context(mp_context)
    results: dict[int, dict] = {}
    attempts = dict.fromkeys(range(len(items)), 0)
    todo = deque(range(len(items)))
    with _progress(len(items), desc, quiet) as bar:
        while todo:
            with ProcessPoolExecutor(
                min(n_workers, len(todo)), mp_context=ctx, initializer=_init_worker, initargs=(table,)
            ) as pool:
                running: dict = {}
                broken = not _fill(pool, running, todo, n_workers, fn, items, options)
                while running:
                    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for fut in done:
                        i = running.pop(fut)
                        attempts[i] += 1
                        exc = fut.exception()
                        if exc is None:
                            results[i] = {**fut.result(), "attempts": attempts[i]}
                        elif attempts[i] > retries:
                            results[i] = _failure(exc, attempts[i])
                        else:
                            todo.append(i)  # again, in this pool or (if it broke) in the next one
                            broken = broken or isinstance(exc, BrokenProcessPool)
                            continue
                        bar.update()
                    if not broken:
                        broken = not _fill(pool, running, todo, n_workers, fn, items, options)
    return [results[i] for i in range(len(items))]


def _fill(pool, running: dict, todo: deque, n_workers: int, fn, items, options) -> bool:
    """Submit queued tasks until ``n_workers`` are in flight; False if the pool is broken."""
    while todo and len(running) < n_workers:
        i = todo.popleft()
        try:
            running[pool.submit(_call_with_worker_table, fn, items[i], options)] = i
        except BrokenProcessPool:
            todo.appendleft(i)
            return False
    return True


def _run_dask(fn, table, items, options, executor, n_workers, retries, quiet, desc):
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ArgumentError(
            'the Dask executor needs dask.distributed: pip install "xn_io[dask]" (or "dask[distributed]")',
            argument="executor",
        ) from None
    owned: list[Client | LocalCluster] = []
    if executor == "dask":
        cluster = LocalCluster(
            n_workers=n_workers or os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        owned.append(cluster)
        client = Client(cluster)
        owned.insert(0, client)
    elif isinstance(executor, str):
        client = Client(executor)
        owned.append(client)
    else:
        client = executor
    try:
        # one copy of the table per worker, sent once; every task refers to it. A cluster with no worker yet
        # (adaptive, still scaling up) cannot take a broadcast: then the table travels with each task.
        if client.scheduler_info().get("workers"):
            table_ref = client.scatter(table, broadcast=True, hash=False)
        else:
            table_ref = table
        run_id = uuid.uuid4().hex[:8]
        futs = []
        for i, item in enumerate(items):
            futs.append(
                client.submit(
                    _tagged, fn, table_ref, item, options, key=f"xn_io-{desc}-{run_id}-{i}", retries=retries, pure=False
                )
            )
        index = {f.key: i for i, f in enumerate(futs)}
        results: dict[int, dict] = {}
        with _progress(len(items), desc, quiet) as bar:
            for fut in as_completed(futs):
                i = index[fut.key]
                if fut.status == "finished":
                    results[i] = {**fut.result(), "attempts": None}
                else:  # error after the retries, a task that killed too many workers (KilledWorker), cancelled
                    try:
                        exc = fut.exception()
                    except BaseException as cancelled:
                        exc = cancelled
                    results[i] = _failure(exc, retries + 1)
                fut.release()
                bar.update()
        del table_ref
        return [results[i] for i in range(len(items))]
    finally:
        for obj in owned:
            obj.close()


# --------------------------------------------------------------------------------------- sweep
def _flat_fields(s: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(s):
        if f.name in ("name", "description"):
            continue
        value = getattr(s, f.name)
        if isinstance(value, dict):
            for k, v in value.items():
                out[f"{f.name}.{k}"] = v
        elif isinstance(value, list):
            out[f.name] = tuple(value)
        else:
            out[f.name] = value
    return out


def varied_parameters(scenarios: Sequence[Scenario]) -> pd.DataFrame:
    """The scenario fields that differ between ``scenarios``, one column each (dicts as ``field.key``).

    Examples
    --------
    >>> varied_parameters([Scenario(name="a"), Scenario(name="b", growth_max=0.2, family_scale={"budget": 0.9})])
       growth_max  family_scale.budget
    0         0.3                  NaN
    1         0.2                  0.9
    """
    flat = [_flat_fields(s) for s in scenarios]
    keys = list(dict.fromkeys(k for row in flat for k in row))
    keep = [k for k in keys if len({repr(row.get(k)) for row in flat}) > 1]
    return pd.DataFrame([{k: row.get(k, np.nan) for k in keep} for row in flat], columns=keep)


def sweep(
    table,
    scenarios: Iterable[Scenario],
    executor: str | Executor | Any | None = None,
    *,
    n_workers: int | None = None,
    retries: int = 2,
    time_limit: float | None = None,
    diagnose_infeasible: bool = True,
    quiet: bool = False,
    mp_context: str = "spawn",
) -> pd.DataFrame:
    """Solve every scenario on ``table`` and tabulate the outcomes, one row per scenario.

    Parameters
    ----------
    table : IOTable
        The regional table (sent to each worker once).
    scenarios : iterable of Scenario
        E.g. :func:`scenario_grid`; names must be unique.
    executor : str, Executor or dask.distributed.Client, optional
        ``None`` or ``"serial"``; ``"processes"``; ``"dask"`` (a local Dask
        cluster for this call); a scheduler address (``"tcp://host:8786"``);
        a ``dask.distributed.Client``; or a ``concurrent.futures.Executor``.
    n_workers : int, optional
        Processes for ``"processes"`` and ``"dask"`` (default: CPU count).
    retries : int
        Further attempts for a task that raises or whose worker process dies
        (default 2). Infeasibility and scenario errors are results, not
        retried. On Dask, a task whose worker dies is rescheduled by the
        scheduler itself (up to ``distributed.scheduler.allowed-failures``
        times, default 3; then it is reported with ``KilledWorker``).
    time_limit : float, optional
        Seconds allowed to HiGHS per solve.
    diagnose_infeasible : bool
        Run the elastic diagnosis for infeasible scenarios (default true).
    quiet : bool
        No progress bar (there is none anyway when stderr is not a terminal).
    mp_context : str
        Start method of the process pool (default ``"spawn"``: safe with
        threads and HiGHS; ``"fork"`` starts faster on Linux).

    Returns
    -------
    DataFrame
        Index ``scenario`` (the names, in the given order); the varied
        parameters (:func:`varied_parameters`); then ``status`` (``"optimal"``,
        ``"infeasible"`` or ``"error"``) and the columns of :func:`plan_record`;
        ``diagnosis`` (infeasible rows), ``error`` (failed rows), ``attempts``
        (``None`` on Dask, which retries on its own), ``worker`` (host:pid) and
        ``task_seconds`` (wall time of the task in the worker).

    Raises
    ------
    ArgumentTypeError
        A non-Scenario item.
    ArgumentError
        An unknown executor, or Dask asked for but not installed.
    ScenarioError
        Repeated scenario names.

    Examples
    --------
    >>> import xn_io
    >>> t = xn_io.load_table("xianning-2025")
    >>> base = Scenario(target_mode="hard", pillar_targets={}, carbon_caps={2030: 3400.0})
    >>> df = sweep(t, scenario_grid(base, gdp_target=[2600.0, 3200.0]), quiet=True)
    >>> df[["gdp_target", "status"]]  # doctest: +NORMALIZE_WHITESPACE
                              gdp_target      status
    scenario
    baseline|gdp_target=2600      2600.0     optimal
    baseline|gdp_target=3200      3200.0  infeasible
    >>> df["diagnosis"].iloc[1].startswith("to make scenario 'baseline|gdp_target=3200' feasible")
    True
    """
    scenarios = list(scenarios)
    for i, s in enumerate(scenarios):
        if not isinstance(s, Scenario):
            raise ArgumentTypeError(
                f"scenarios[{i}] is a {type(s).__name__}, not a Scenario", argument=f"scenarios[{i}]"
            )
    names = [s.name for s in scenarios]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ScenarioError(f"scenario names must be unique in a sweep; repeated: {dupes[:5]}", field="name")
    records = run_tasks(
        _solve_task,
        table,
        scenarios,
        options={"time_limit": time_limit, "diagnose": diagnose_infeasible},
        executor=executor,
        n_workers=n_workers,
        retries=retries,
        quiet=quiet,
        desc="sweep",
        mp_context=mp_context,
    )
    params = varied_parameters(scenarios)
    body = pd.DataFrame(records)
    first = ["status", "objective", "objective_unit"]
    last = ["diagnosis", "error", "attempts", "worker", "task_seconds"]
    middle = [c for c in body.columns if c not in first and c not in last]
    ordered = first + middle + last  # columns no record has (e.g. "error" when none failed) are empty
    body = body.reindex(columns=ordered)
    frame = pd.concat([params, body], axis=1)
    frame.index = pd.Index(names, name="scenario")
    if "co2_peak_year" in frame.columns:
        frame["co2_peak_year"] = frame["co2_peak_year"].astype("Int64")
    frame.attrs["table"] = getattr(table, "name", "")
    frame.attrs["executor"] = executor if isinstance(executor, str) or executor is None else type(executor).__name__
    return frame
