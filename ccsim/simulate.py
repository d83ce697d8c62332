"""Run independent replications of a scenario: here, on local processes or on a Dask cluster (`ccsim.executors`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from ccsim import arguments, executors
from ccsim.budget import check_size
from ccsim.errors import CcsimError
from ccsim.kpis import occupancy_warnings, satisfaction_warnings
from ccsim.kpis.reduce import reduced_replication, without_records
from ccsim.model.plan import Plan, compile_plan
from ccsim.model.replication import ReplicationRecords
from ccsim.records import RecordStore
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
    records: bool | int = False,
    records_dir: str | Path | RecordStore | None = None,
) -> Results:
    """Simulate `replications` independent replications (default: the scenario's) from base `seed`.

    Replication r always uses the random streams of (seed, r), so results are the same
    whatever the number of `workers` (local processes) and the `executor`: None (or "local") runs
    here, a `dask.distributed.Client` on its cluster (then `workers` stays 1; see
    `ccsim.executors`). `progress(done, total)` is called after each replication.

    Each replication is reduced to its KPIs as it ends, so memory grows with queues x intervals x
    groups, not with contacts, and workers send back only those aggregates. Per-contact records
    (`res.contacts`, `res.legs`) are kept only on request: `records=True` for every replication,
    or `records=k` for the first k; they are streamed to Parquet, one file per table and
    replication, in `records_dir` (default: a temporary folder that lives as long as the results;
    see `ccsim.records`).

    The run's size is estimated first (see `ccsim.budget`): a run this machine cannot hold is
    refused with a ScenarioError naming the key to change unless `force`; a long one warns
    (`SizeWarning`). Bad arguments raise `ArgumentError` (a ValueError) naming the argument.

    Example:
        >>> res = ccsim.simulate("scenarios/hotline.yml", replications=3, seed=1)
        >>> res.replications, list(res.kpis.index)
        (3, ['general', 'billing', 'technical', 'vip', 'ALL'])
        >>> bool(0 <= res.kpis.loc["ALL", "service_level"] <= 1)   # a share; waits (asa, wait_p90) in seconds
        True
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    file = None if isinstance(scenario, (Scenario, Mapping)) else str(scenario)
    replications, seed, workers = run_arguments(sc, replications, seed, workers)
    kept = replications if records is True else 0 if records is False else \
        min(arguments.whole("records", records, 0), replications)
    executor = executors.check(executor, workers)
    check_size(sc, replications, executors.size_workers(executor, workers), force=force, file=file)
    try:
        return _run(sc, replications, seed, workers, progress, executor, kept,
                    _store(records_dir) if kept else None)
    except MemoryError:
        raise CcsimError(f"out of memory simulating {sc.name!r} ({replications} replications); lower the "
                         "arrivals, horizon.days, warmup or replications") from None


def run_arguments(sc: Scenario, replications: object, seed: object, workers: object) -> tuple[int, int, int]:
    """(replications, seed, workers) checked, the scenario's where None; a bad argument raises an
    ArgumentError naming it."""
    replications = sc.replications if replications is None else arguments.whole("replications", replications, 1)
    seed = sc.seed if seed is None else arguments.seed(seed)
    return replications, seed, arguments.whole("workers", workers, 1)


def _store(records_dir: str | Path | RecordStore | None) -> RecordStore:
    return records_dir if isinstance(records_dir, RecordStore) else RecordStore(records_dir)


def _run(sc: Scenario, replications: int, seed: int, workers: int, progress: Progress | None,
         executor: executors.Executor = None, kept: int = 0, store: RecordStore | None = None) -> Results:
    """Replications 0..replications-1 reduced to their KPIs; the first `kept` ones' records
    written to `store` as each arrives, then let go."""
    plan = compile_plan(sc)

    def receive(rec: ReplicationRecords) -> ReplicationRecords:
        if rec.legs is None:
            return rec
        store.write(plan, rec)
        return without_records(rec)

    # processes of this machine write their records into the store chunk by chunk; a cluster's
    # workers may not see its folder, so they send each replication's records back whole
    here = store is not None and not executors.is_cluster(executor)
    records = executors.collect(plan, seed, replications, executor, workers, progress,
                                partial(reduced_replication, kept=kept, records_to=str(store.folder) if here else None),
                                receive)
    return results_of(sc, plan, seed, records, store)


def results_of(sc: Scenario, plan: Plan, seed: int, records: list, store: RecordStore | None = None) -> Results:
    """The Results of `records`, what the replications of `plan` (compiled from `sc`) returned in
    replication order; `store`: their per-contact records, where kept."""
    warnings = [str(w) for w in load_warnings(sc)] + occupancy_warnings(plan, records) \
        + satisfaction_warnings(plan, records)
    return Results(scenario=sc, plan=plan, seed=seed, records=records, warnings=warnings, record_store=store)
