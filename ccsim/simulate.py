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
from ccsim.model.replication import ReplicationRecords, run_replication
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
) -> Results:
    """Simulate `replications` independent replications (default: the scenario's) from base `seed`.

    Replication r always uses the random streams of (seed, r), so results are the same
    whatever the number of `workers` (processes). `progress(done, total)` is called after
    each replication.

    The run's size is estimated first (see `ccsim.budget`): a run this machine cannot hold is
    refused with a ScenarioError naming the key to change unless `force`; a long one warns
    (`SizeWarning`). Bad arguments raise `ArgumentError` (a ValueError) naming the argument.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    file = None if isinstance(scenario, (Scenario, Mapping)) else str(scenario)
    replications, seed, workers = run_arguments(sc, replications, seed, workers)
    check_size(sc, replications, workers, force=force, file=file)
    try:
        return _run(sc, replications, seed, workers, progress)
    except MemoryError:
        raise CcsimError(f"out of memory simulating {sc.name!r} ({replications} replications); lower the "
                         "arrivals, horizon.days, warmup or replications") from None


def run_arguments(sc: Scenario, replications: object, seed: object, workers: object) -> tuple[int, int, int]:
    """(replications, seed, workers) checked, the scenario's where None; a bad argument raises an
    ArgumentError naming it."""
    replications = sc.replications if replications is None else arguments.whole("replications", replications, 1)
    seed = sc.seed if seed is None else arguments.seed(seed)
    return replications, seed, arguments.whole("workers", workers, 1)


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the parent, which cancels what is left and stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(sc: Scenario, replications: int, seed: int, workers: int, progress: Progress | None) -> Results:
    plan = compile_plan(sc)
    records: list[ReplicationRecords | None] = [None] * replications
    if workers == 1 or replications == 1:
        for r in range(replications):
            records[r] = run_replication(plan, seed, r)
            if progress:
                progress(r + 1, replications)
    else:
        pool = ProcessPoolExecutor(max_workers=min(workers, replications), initializer=_ignore_interrupts)
        try:
            futures = {pool.submit(run_replication, plan, seed, r): r for r in range(replications)}
            for done, future in enumerate(as_completed(futures), start=1):
                records[futures[future]] = future.result()
                if progress:
                    progress(done, replications)
        finally:            # on Ctrl-C or an error, queued replications are dropped, not run
            pool.shutdown(cancel_futures=True)
    warnings = [str(w) for w in load_warnings(sc)] + occupancy_warnings(plan, records)
    return Results(scenario=sc, plan=plan, seed=seed, records=records, warnings=warnings)
