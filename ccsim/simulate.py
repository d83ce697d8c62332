"""Run independent replications of a scenario: here, on local processes or on a Dask cluster (`ccsim.executors`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ccsim import arguments, executors
from ccsim.budget import check_size
from ccsim.errors import CcsimError
from ccsim.kpis import occupancy_warnings
from ccsim.model.plan import Plan, compile_plan
from ccsim.results import Results
from ccsim.scenario import Scenario, load_scenario, load_warnings

Progress = Callable[[int, int], None]


def simulate(
    scenario: Scenario | str | Path | Mapping[str, Any],
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
    force: bool = False,
    executor: executors.Executor = None,
) -> Results:
    """Simulate `replications` independent replications (default: the scenario's) from base `seed`.

    Replication r always uses the random streams of (seed, r), so results are the same
    whatever the number of `workers` (local processes) and the `executor`: None (or "local") runs
    here, a `dask.distributed.Client` on its cluster (then `workers` stays 1; see
    `ccsim.executors`). `progress(done, total)` is called after each replication.

    The run's size is estimated first (see `ccsim.budget`): a run this machine cannot hold is
    refused with a ScenarioError naming the key to change unless `force`; a long one warns
    (`SizeWarning`). Bad arguments raise `ArgumentError` (a ValueError) naming the argument.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    file = None if isinstance(scenario, (Scenario, Mapping)) else str(scenario)
    replications, seed, workers = run_arguments(sc, replications, seed, workers)
    executor = executors.check(executor, workers)
    check_size(sc, replications, executors.size_workers(executor, workers), force=force, file=file)
    try:
        return _run(sc, replications, seed, workers, progress, executor)
    except MemoryError:
        raise CcsimError(f"out of memory simulating {sc.name!r} ({replications} replications); lower the "
                         "arrivals, horizon.days, warmup or replications") from None


def run_arguments(sc: Scenario, replications: object, seed: object, workers: object) -> tuple[int, int, int]:
    """(replications, seed, workers) checked, the scenario's where None; a bad argument raises an
    ArgumentError naming it."""
    replications = sc.replications if replications is None else arguments.whole("replications", replications, 1)
    seed = sc.seed if seed is None else arguments.seed(seed)
    return replications, seed, arguments.whole("workers", workers, 1)


def _run(sc: Scenario, replications: int, seed: int, workers: int, progress: Progress | None,
         executor: executors.Executor = None) -> Results:
    plan = compile_plan(sc)
    records = executors.collect(plan, seed, replications, executor, workers, progress)
    return results_of(sc, plan, seed, records)


def results_of(sc: Scenario, plan: Plan, seed: int, records: list) -> Results:
    """The Results of `records`, what the replications of `plan` (compiled from `sc`) returned in
    replication order."""
    warnings = [str(w) for w in load_warnings(sc)] + occupancy_warnings(plan, records)
    return Results(scenario=sc, plan=plan, seed=seed, records=records, warnings=warnings)
