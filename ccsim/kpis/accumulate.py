"""Every KPI level of one replication accumulated from chunks of its records: `add` each chunk
(a `ReplicationRecords` whose tables hold a set of whole customers, all their contacts, legs and
completed stages, numbered from 0 within the chunk, and whose per-group arrays add up over the
chunks to the replication's), then `kpi_cache()` or `reduced(replication)`. What it keeps grows
with queues x intervals x groups, and with the waits and resolution times kept for percentiles
up to `cap` values per row (`quantiles`), not with contacts. A whole replication is one chunk:
its KPIs are computed this way too, so each KPI has one definition."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.agents import finish_costs, finish_groups, group_parts
from ccsim.kpis.customers import (
    customer_parts, finish_customers, finish_processes, finish_stages, process_parts, stage_parts,
)
from ccsim.kpis.intervals import finish_intervals, interval_parts
from ccsim.kpis.legs import channel_rows, finish_queues, pilot_rows, queue_parts, queue_rows, sl_parts
from ccsim.kpis.parts import Parts
from ccsim.kpis.quantiles import CAP
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords


def cache_key(name: str, options: dict) -> tuple:
    """The `kpi_cache` key of level function `name` with its keyword options."""
    return (name, *sorted(options.items()))


class KpiAccumulator:
    """The KPIs of one replication of `plan`, from its chunks of whole customers (see the module).
    Percentiles are exact for rows of at most `cap` values, within 0.1% beyond."""

    def __init__(self, plan: Plan, cap: int = CAP):
        self.plan, self.cap = plan, cap
        self.parts: dict[str, Parts] = {}
        self.returns_pending = 0
        self._finished: dict[tuple, np.ndarray] = {}

    def add(self, chunk: ReplicationRecords) -> None:
        """Merge the parts of `chunk` (whole customers, chunk-local `customer`/`contact` rows)."""
        if chunk.legs is None:
            raise ValueError(f"chunk of replication {chunk.replication} holds no records (reduced already)")
        plan = self.plan
        sl = sl_parts(plan, chunk.legs)            # shared by the queue and interval parts
        parts = {"queue": queue_parts(plan, chunk.legs, self.cap, sl), "interval": interval_parts(plan, chunk.legs, sl),
                 "group": group_parts(plan, chunk), "customer": customer_parts(plan, chunk, self.cap),
                 "stage": stage_parts(plan, chunk.stages), "process": process_parts(plan, chunk.contacts)}
        if self.parts:
            for level, mine in self.parts.items():
                mine.merge(parts[level])
        else:
            self.parts = {level: mine.whole() for level, mine in parts.items()}
        self.returns_pending += chunk.returns_pending
        self._finished.clear()

    def kpis(self, name: str, **options) -> np.ndarray:
        """The KPIs the record function `name` of `ccsim.kpis` (e.g. "queue_kpis"; "interval_kpis"
        with by_day=True) gives for the chunks added so far, read-only."""
        key = cache_key(name, options)
        if key not in self._finished:
            if not self.parts:
                raise ValueError("no chunk added yet: the KPIs of nothing are not defined")
            if name not in FINISH:
                raise ValueError(f"unknown KPI level function {name!r}; known: {', '.join(FINISH)}")
            value = np.asarray(FINISH[name](self, **options))
            value.setflags(write=False)
            self._finished[key] = value
        return self._finished[key]

    def kpi_cache(self) -> dict[tuple, np.ndarray]:
        """Every level's KPIs that result tables, comparisons and charts read, keyed as
        `ReplicationRecords.kpi_cache` holds them (see `ccsim.kpis.cache`)."""
        wanted = [("queue_kpis", {}), ("channel_kpis", {}), ("interval_kpis", {}), ("group_kpis", {}),
                  ("cost_kpis", {}), ("customer_kpis", {}), ("stage_kpis", {}), ("process_kpis", {}),
                  ("interval_kpis", {"by_day": True})]
        if self.plan.pilot_contacts > 0:
            wanted.append(("pilot_queue_kpis", {}))
        return {cache_key(name, options): self.kpis(name, **options) for name, options in wanted}

    def reduced(self, replication: int) -> ReplicationRecords:
        """Replication number `replication` reduced to its KPIs: no per-contact records, the
        per-group arrays summed over the chunks, and `kpi_cache()`."""
        if not self.parts:
            raise ValueError("no chunk added yet: nothing to reduce")
        g = self.parts["group"].sums
        return ReplicationRecords(replication, None, None, None, g["busy_s"], g["present_s"], g["off_s"],
                                  g["break_s"], g["breaks"], self.returns_pending, kpi_cache=self.kpi_cache())

    # the finish step of each level, from the merged parts (and other levels' KPIs)
    def _queues(self) -> np.ndarray:
        return finish_queues(self.plan, self.parts["queue"], queue_rows(self.plan), self.cap)

    def _channels(self) -> np.ndarray:
        if len(self.plan.channels_used) == 1:       # one channel: all queues pooled, the queue table's last row
            return self.kpis("queue_kpis")[-1:].copy()
        return finish_queues(self.plan, self.parts["queue"], channel_rows(self.plan), self.cap)

    def _pilot(self) -> np.ndarray:
        return np.stack([finish_queues(self.plan, self.parts["queue"], rows, self.cap)
                         for rows in pilot_rows(self.plan)])

    def _costs(self) -> np.ndarray:
        return finish_costs(self.plan, self.kpis("queue_kpis"), self.kpis("group_kpis"), self.kpis("interval_kpis"),
                            self.parts["group"].sums["handle"])


FINISH = {
    "queue_kpis": KpiAccumulator._queues,
    "channel_kpis": KpiAccumulator._channels,
    "pilot_queue_kpis": KpiAccumulator._pilot,
    "interval_kpis": lambda acc, by_day=False: finish_intervals(acc.plan, acc.parts["interval"], bool(by_day)),
    "group_kpis": lambda acc: finish_groups(acc.plan, acc.parts["group"]),
    "cost_kpis": KpiAccumulator._costs,
    "customer_kpis": lambda acc: finish_customers(acc.plan, acc.parts["customer"], acc.cap),
    "stage_kpis": lambda acc: finish_stages(acc.plan, acc.parts["stage"]),
    "process_kpis": lambda acc: finish_processes(acc.plan, acc.parts["process"]),
}
