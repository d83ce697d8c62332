"""A replication reduced to its KPIs: every level's KPIs are computed while its per-contact
records are in memory, then the records are let go. What a replication keeps, and what a worker
sends back, then grows with queues x intervals x groups, not with contacts; wait percentiles stay
exact (each replication's are computed from all its waits before they are dropped)."""

from __future__ import annotations

import dataclasses

from ccsim.kpis.agents import cost_kpis, group_kpis
from ccsim.kpis.customers import customer_kpis, process_kpis, stage_kpis
from ccsim.kpis.legs import channel_kpis, interval_kpis, pilot_queue_kpis, queue_kpis
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords, run_replication

EVERY_LEVEL = (queue_kpis, channel_kpis, interval_kpis, group_kpis, cost_kpis, customer_kpis, stage_kpis,
               process_kpis)


def summarize(plan: Plan, rec: ReplicationRecords) -> None:
    """Compute every KPI of `rec` that result tables, comparisons and charts read, into its
    `kpi_cache`."""
    for compute in EVERY_LEVEL:
        compute(plan, rec)
    interval_kpis(plan, rec, by_day=True)
    if plan.pilot_contacts > 0:
        pilot_queue_kpis(plan, rec)


def without_records(rec: ReplicationRecords) -> ReplicationRecords:
    """`rec` sharing its aggregates and KPI cache, without its per-contact records."""
    return dataclasses.replace(rec, legs=None, contacts=None, stages=None)


def reduced_replication(plan: Plan, seed: int, replication: int, kept: int = 0) -> ReplicationRecords:
    """Replication number `replication` of `plan` (base seed `seed`) reduced to its KPIs; the
    first `kept` replications keep their per-contact records too (for the caller to write and
    let go)."""
    rec = run_replication(plan, seed, replication)
    summarize(plan, rec)
    return rec if replication < kept else without_records(rec)
