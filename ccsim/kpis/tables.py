"""Result tables over replications: per level, one row per queue, channel, group, entry point,
stage, process, interval or day with each KPI's mean and 95% CI bounds (columns in the level's
order of `registry.ORDER`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ccsim.kpis import registry
from ccsim.kpis.intervals import periods
from ccsim.kpis.replication import (
    channel_kpis, cost_kpis, customer_kpis, group_kpis, interval_kpis, process_kpis, queue_kpis, stage_kpis,
)
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.stats import mean_ci, mean_over, ratio, wide_table
from ccsim.units import format_clocks


def _stack(fn, plan: Plan, records: Sequence[ReplicationRecords]) -> np.ndarray:
    return np.stack([fn(plan, rec) for rec in records])


def _stage_names(plan: Plan) -> list[str]:
    return [f"{p}/{i + 1}" for p, stages in zip(plan.process_names, plan.stages) for i in range(len(stages))]


# level -> (computation per replication, its rows' names, the tables' index name)
ROWS = {
    "queue": (queue_kpis, lambda plan: [*plan.queue_names, "ALL"], "queue"),
    "channel": (channel_kpis, lambda plan: list(plan.channels_used), "channel"),
    "group": (group_kpis, lambda plan: [*plan.group_names, "ALL"], "group"),
    "customer": (customer_kpis, lambda plan: [*plan.queue_names, *plan.process_names, "ALL"], "entry"),
    "stage": (stage_kpis, _stage_names, "stage"),
    "process": (process_kpis, lambda plan: list(plan.process_names), "process"),
    "cost": (cost_kpis, lambda plan: [*plan.queue_names, "ALL"], "queue"),
}


def level_table(plan: Plan, records: Sequence[ReplicationRecords], level: str) -> pd.DataFrame:
    """One row per name of `level` (see ROWS): each KPI's mean and 95% CI bounds."""
    compute, names, index_name = ROWS[level]
    return wide_table(names(plan), registry.names(level), _stack(compute, plan, records), index_name)


def replication_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """Every KPI of every level in every replication, one row each: replication, level, name,
    kpi, value, unit (percent KPIs are shares of 1, unit "share")."""
    frames = []
    for level, (compute, names, _) in ROWS.items():
        rows, kpis = names(plan), registry.names(level)
        if not rows:
            continue
        values = _stack(compute, plan, records)                  # (replications, rows, kpis)
        r, n, k = values.shape
        frames.append(pd.DataFrame({
            "replication": np.repeat([rec.replication for rec in records], n * k),
            "level": level, "name": np.tile(np.repeat(rows, k), r), "kpi": np.tile(kpis, r * n),
            "value": values.ravel(), "unit": np.tile([registry.kpi(name, level).unit for name in kpis], r * n)}))
    frame = pd.concat(frames, ignore_index=True)
    return frame.astype({"level": "category", "name": "category", "kpi": "category", "unit": "category"})


def kpi_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per queue plus "ALL": KPI means and 95% CI bounds, with the queue's SL threshold."""
    table = level_table(plan, records, "queue")
    table.insert(0, "threshold_s", [*plan.threshold_s, np.nan])
    return table


def channel_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per channel in use (voice, chat, email, outbound): the queue KPIs, queues pooled."""
    return level_table(plan, records, "channel")


def group_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per agent group plus "ALL": occupancy, handled contacts, hours and cost with CIs."""
    return level_table(plan, records, "group")


def cost_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per queue plus "ALL": agent cost shared by handle time, penalties, cost per contact."""
    return level_table(plan, records, "cost")


def customer_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per entry point (queue or process) plus "ALL": customer-level outcomes."""
    return level_table(plan, records, "customer")


def stage_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per process stage: completions, mean wait, processing and stage time, within limit."""
    table = level_table(plan, records, "stage")
    table.insert(0, "time_limit_s", [s.time_limit_s for stages in plan.stages for s in stages])
    return table


def process_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per process: started, completed, end-to-end time and share within the promise."""
    table = level_table(plan, records, "process")
    table.insert(0, "promise_s", list(plan.promise_s))
    return table


def interval_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per interval and queue (plus "ALL"): means over replications, and staff able to serve.
    `start` is the clock time ("08:30"), `time` the start as a Timedelta since midnight of day 1."""
    mean = mean_over(_stack(interval_kpis, plan, records))     # no intervals: a t quantile per cell
    nk, nq = plan.n_intervals, plan.n_queues
    skilled = np.array([[q in plan.rank[g] for g in range(plan.n_groups)] for q in range(nq)], dtype=float)
    staff = np.concatenate([(skilled @ plan.staff).T, plan.staff.sum(axis=0)[:, None]], axis=1)
    starts = plan.interval_start
    # one constructor call: inserting column by column rebuilt pandas' column index each time
    return pd.DataFrame({
        "interval": np.repeat(np.arange(nk), nq + 1),
        "day": np.repeat((starts // 86400).astype(int) + 1, nq + 1),
        "start": np.repeat(format_clocks(starts), nq + 1),
        "time": pd.to_timedelta(np.repeat(starts, nq + 1), unit="s"),
        "queue": [*plan.queue_names, "ALL"] * nk,
        **{column: mean[:, :, j].ravel() for j, column in enumerate(registry.names("interval"))},
        "staff": staff.ravel(),
    })


def day_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per day and queue (plus "ALL"): the interval KPIs over the day, means and 95% CIs;
    backlogs at opening and closing."""
    stacked = np.stack([interval_kpis(plan, rec, by_day=True) for rec in records])
    mean, low, high = mean_ci(stacked)
    _, starts, _ = periods(plan, by_day=True)
    nq = plan.n_queues
    return pd.DataFrame({
        "day": np.repeat((starts // 86400).astype(int) + 1, nq + 1),
        "queue": [*plan.queue_names, "ALL"] * starts.size,
        **{name: values[:, :, j].ravel() for j, column in enumerate(registry.names("interval"))
           for name, values in ((column, mean), (f"{column}_ci_low", low), (f"{column}_ci_high", high))},
    })


def group_interval_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per interval and agent group: scheduled staff, present, off and busy hours, occupancy."""
    busy = np.mean([rec.busy_s for rec in records], axis=0)
    present = np.mean([rec.present_s for rec in records], axis=0)
    off = np.mean([rec.off_s for rec in records], axis=0)
    nk, ng = plan.n_intervals, plan.n_groups
    starts = plan.interval_start
    return pd.DataFrame({
        "interval": np.tile(np.arange(nk), ng),
        "day": np.tile((starts // 86400).astype(int) + 1, ng),
        "start": np.tile(format_clocks(starts), ng),
        "time": pd.to_timedelta(np.tile(starts, ng), unit="s"),
        "group": np.repeat(plan.group_names, nk),
        "staff": plan.staff.ravel(),
        "present_hours": present.ravel() / 3600.0,
        "off_hours": off.ravel() / 3600.0,
        "busy_hours": busy.ravel() / 3600.0,
        "occupancy": ratio(busy, present).ravel(),
    })
