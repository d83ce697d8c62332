"""Run independent replications of a scenario, serially or on worker processes."""

from __future__ import annotations

import signal
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from ccsim import arguments
from ccsim.budget import check_size
from ccsim.errors import CcsimError
from ccsim.kpis import occupancy_warnings
from ccsim.model.plan import compile_plan
from ccsim.kpis.reduce import replicate, without_records
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
    records: bool | int = False,
    records_dir: str | Path | RecordStore | None = None,
) -> Results:
    """Simulate `replications` independent replications (default: the scenario's) from base `seed`.

    Replication r always uses the random streams of (seed, r), so results are the same
    whatever the number of `workers` (processes). `progress(done, total)` is called after
    each replication.

    Each replication is reduced to its KPIs as it ends, so memory grows with queues x intervals x
    groups, not with contacts. Per-contact records (`res.contacts`, `res.legs`) are kept only on
    request: `records=True` for every replication, or `records=k` for the first k; they are
    streamed to Parquet, one file per table and replication, in `records_dir` (default: a
    temporary folder that lives as long as the results; see `ccsim.records`).

    The run's size is estimated first (see `ccsim.budget`): a run this machine cannot hold is
    refused with a ScenarioError naming the key to change unless `force`; a long one warns
    (`SizeWarning`). Bad arguments raise `ArgumentError` (a ValueError) naming the argument.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    file = None if isinstance(scenario, (Scenario, Mapping)) else str(scenario)
    replications, seed, workers = run_arguments(sc, replications, seed, workers)
    kept = replications if records is True else 0 if records is False else \
        min(arguments.whole("records", records, 0), replications)
    check_size(sc, replications, workers, force=force, file=file)
    try:
        return _run(sc, replications, seed, workers, progress, _store(records_dir) if kept else None,
                    kept)
    except MemoryError:
        raise CcsimError(f"out of memory simulating {sc.name!r} ({replications} replications); lower the "
                         "arrivals, horizon.days, warmup or replications") from None


def _store(records_dir: str | Path | RecordStore | None) -> RecordStore:
    return records_dir if isinstance(records_dir, RecordStore) else RecordStore(records_dir)


def run_arguments(sc: Scenario, replications: object, seed: object, workers: object) -> tuple[int, int, int]:
    """(replications, seed, workers) checked, the scenario's where None; a bad argument raises an
    ArgumentError naming it."""
    replications = sc.replications if replications is None else arguments.whole("replications", replications, 1)
    seed = sc.seed if seed is None else arguments.seed(seed)
    return replications, seed, arguments.whole("workers", workers, 1)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which cancels what is left and stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(sc: Scenario, replications: int, seed: int, workers: int, progress: Progress | None,
         store: RecordStore | None, kept: int) -> Results:
    """Replications 0..replications-1, reduced to their KPIs; the first `kept` ones' records
    written to `store` as each arrives."""
    plan = compile_plan(sc)
    records: list[ReplicationRecords | None] = [None] * replications

    def arrived(rec: ReplicationRecords, done: int) -> None:
        if rec.legs is not None:
            store.write(plan, rec)
            rec = without_records(rec)
        records[rec.replication] = rec
        if progress:
            progress(done, replications)

    if workers == 1 or replications == 1:
        for r in range(replications):
            arrived(replicate(plan, seed, r, r < kept), r + 1)
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers, replications), initializer=_ignore_interrupts)
        try:
            futures = [pool.submit(replicate, plan, seed, r, r < kept) for r in range(replications)]
            for done, future in enumerate(as_completed(futures), start=1):
                arrived(future.result(), done)
        finally:            # on Ctrl-C or an error, queued replications are dropped, not run
            pool.shutdown(cancel_futures=True)
    warnings = [str(w) for w in load_warnings(sc)] + occupancy_warnings(plan, records)
    return Results(scenario=sc, plan=plan, seed=seed, records=records, warnings=warnings, record_store=store)
