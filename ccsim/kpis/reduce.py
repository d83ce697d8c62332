"""A replication reduced to its KPIs: every level's KPIs are accumulated from the chunks of
per-contact records the engine hands out as customers finish (`accumulate.KpiAccumulator`), and
the records are let go (or written to a record store). What a replication holds stays a chunk's
worth, and what it keeps, and a worker sends back, grows with queues x intervals x groups, not
with contacts; wait percentiles are exact up to `quantiles.CAP` values per row."""

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


def reduced_replication(plan: Plan, seed: int, replication: int, kept: int = 0,
                        records_to: str | None = None) -> ReplicationRecords:
    """Replication number `replication` of `plan` (base seed `seed`) reduced to its KPIs. It is
    simulated in chunks of whole customers taken out at the end of a day (`stream_replication`)
    and accumulated as they come: its memory stays that of the customers in progress, whatever
    the horizon. The first `kept` replications keep their per-contact records too: written chunk
    by chunk into the record store folder `records_to` where given (a folder this process can
    write), else returned whole (for the caller to write and let go)."""
    if replication < kept and records_to is None:
        rec = run_replication(plan, seed, replication)
        summarize(plan, rec)
        return rec
    kpis = KpiAccumulator(plan)
    if replication < kept:
        from ccsim.records import ReplicationWriter     # pyarrow: only where records are kept

        with ReplicationWriter(records_to, plan, replication) as writer:
            def consume(chunk: ReplicationRecords) -> None:
                kpis.add(chunk)
                writer.append(chunk)

            stream_replication(plan, seed, replication, consume)
    else:
        stream_replication(plan, seed, replication, kpis.add)
    return kpis.reduced(replication)
