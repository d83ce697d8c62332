"""A replication reduced to its KPIs: every level's KPIs are computed while its per-contact
records are in memory (as one chunk of `accumulate.KpiAccumulator`), then the records are let go.
What a replication keeps, and what a worker sends back, then grows with queues x intervals x
groups, not with contacts; wait percentiles are exact up to `quantiles.CAP` values per row."""

from __future__ import annotations

import dataclasses

from ccsim.kpis.accumulate import KpiAccumulator
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords, run_replication, stream_replication


def summarize(plan: Plan, rec: ReplicationRecords) -> None:
    """Compute every KPI of `rec` that result tables, comparisons and charts read, into its
    `kpi_cache`."""
    whole = KpiAccumulator(plan)
    whole.add(rec)
    rec.kpi_cache.update(whole.kpi_cache())


def without_records(rec: ReplicationRecords) -> ReplicationRecords:
    """`rec` sharing its aggregates and KPI cache, without its per-contact records."""
    return dataclasses.replace(rec, legs=None, contacts=None, stages=None)


def reduced_replication(plan: Plan, seed: int, replication: int, kept: int = 0) -> ReplicationRecords:
    """Replication number `replication` of `plan` (base seed `seed`) reduced to its KPIs; the
    first `kept` replications keep their per-contact records too (for the caller to write and
    let go). The others are simulated in chunks of whole customers taken out at the end of each
    day (`stream_replication`) and accumulated as they come: their memory stays that of the
    customers in progress, whatever the horizon."""
    if replication < kept:
        rec = run_replication(plan, seed, replication)
        summarize(plan, rec)
        return rec
    kpis = KpiAccumulator(plan)
    stream_replication(plan, seed, replication, kpis.add)
    return kpis.reduced(replication)
