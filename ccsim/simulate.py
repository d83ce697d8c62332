"""Run independent replications of a scenario, serially or on worker processes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

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
) -> Results:
    """Simulate `replications` independent replications (default: the scenario's) from base `seed`.

    Replication r always uses the random streams of (seed, r), so results are the same
    whatever the number of `workers` (processes). `progress(done, total)` is called after
    each replication.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    replications = sc.replications if replications is None else int(replications)
    seed = sc.seed if seed is None else int(seed)
    if replications < 1:
        raise ValueError("replications must be >= 1")
    if workers < 1:
        raise ValueError("workers must be >= 1")
    plan = compile_plan(sc)
    records: list[ReplicationRecords | None] = [None] * replications
    if workers == 1 or replications == 1:
        for r in range(replications):
            records[r] = run_replication(plan, seed, r)
            if progress:
                progress(r + 1, replications)
    else:
        with ProcessPoolExecutor(max_workers=min(workers, replications)) as pool:
            futures = {pool.submit(run_replication, plan, seed, r): r for r in range(replications)}
            for done, future in enumerate(as_completed(futures), start=1):
                records[futures[future]] = future.result()
                if progress:
                    progress(done, replications)
    warnings = [str(w) for w in load_warnings(sc)] + occupancy_warnings(plan, records)
    return Results(scenario=sc, plan=plan, seed=seed, records=records, warnings=warnings)
