"""Each KPI level of one replication, by its records or its cached KPIs (`cache.replication_kpis`):
the functions every table, comparison and chart calls. Their definitions are the levels' parts
and finish steps (`legs`, `intervals`, `agents`, `customers`) merged by `accumulate`."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.cache import replication_kpis
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords


def queue_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(queues + 1, queue KPIs) for one replication; the last row is all queues together."""
    return replication_kpis(plan, rec, "queue_kpis")


def channel_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(channels in use, queue KPIs) for one replication, queues pooled by channel."""
    return replication_kpis(plan, rec, "channel_kpis")


def pilot_queue_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(2, queues + 1, queue KPIs): the legs of customers outside (0) and inside (1) a pilot on
    contacts, per queue and all queues together."""
    return replication_kpis(plan, rec, "pilot_queue_kpis")


def interval_kpis(plan: Plan, rec: ReplicationRecords, *, by_day: bool = False) -> np.ndarray:
    """(periods, queues + 1, interval KPIs) by the period (interval, or day with `by_day`)
    in which each leg entered its queue; backlogs at the period's start and end."""
    return replication_kpis(plan, rec, "interval_kpis", **({"by_day": by_day} if by_day else {}))


def group_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(groups + 1, group KPIs) for one replication; the last row is all groups."""
    return replication_kpis(plan, rec, "group_kpis")


def cost_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(queues + 1, cost KPIs) for one replication: agent cost shared by handle time, penalties."""
    return replication_kpis(plan, rec, "cost_kpis")


def customer_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(entry queues + processes + 1, customer KPIs): customers by where they first entered."""
    return replication_kpis(plan, rec, "customer_kpis")


def stage_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(all stages of all processes, stage KPIs) for one replication."""
    return replication_kpis(plan, rec, "stage_kpis")


def process_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(processes, process KPIs) for one replication."""
    return replication_kpis(plan, rec, "process_kpis")
