"""KPIs of the agent groups of a replication (occupancy, hours, cost): the parts a chunk of
customers contributes and the KPIs of merged parts; the costs shared among queues with their
penalties; occupancy warnings. Filled by KPI name (`registry.columns`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ccsim.kpis.parts import Parts
from ccsim.kpis.registry import columns, index
from ccsim.kpis.tally import tally
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import ANSWERED, OPEN, RESOLVED
from ccsim.stats import ratio
from ccsim.units import format_clock


def group_parts(plan: Plan, chunk: ReplicationRecords) -> Parts:
    """Per agent group: the legs its agents answered, their handle seconds per queue (what costs
    are shared by), the services that ended with a decision and those resolved, and the chunk's
    agent-seconds per interval (busy, present, off, on breaks) and breaks."""
    legs = chunk.legs
    ng, nq = plan.n_groups, plan.n_queues
    served = legs["outcome"] == ANSWERED
    group = np.where(served, legs["group"], ng)                      # unserved legs in a spare bin
    # the counts from one tally (whole numbers: the same as sums of ones)
    table, f = tally(group, ng, {"decided": legs["result"] != OPEN, "resolved": legs["result"] == RESOLVED})
    decided = f["decided"]                   # services still running at the end decided nothing
    # unserved legs' handle times go to the spare cell, dropped: each cell adds what it added before
    cell = np.where(served, legs["group"] * nq + legs["queue"], ng * nq)
    handle = np.bincount(cell, weights=legs["handle_s"], minlength=(ng + 1) * nq)
    return Parts({"handled": table.sum(axis=1), "handle": handle[:ng * nq].reshape(ng, nq),
                  "decided": table @ decided, "resolved": table @ (decided & f["resolved"]),
                  "busy_s": chunk.busy_s, "present_s": chunk.present_s, "off_s": chunk.off_s,
                  "break_s": chunk.break_s, "breaks": chunk.breaks})


def finish_groups(plan: Plan, parts: Parts) -> np.ndarray:
    """(groups + 1, group KPIs); the last row is all groups.

    Staffed hours are hours present and available (agents staying to finish a contact
    included); off hours are scheduled hours lost to shrinkage and breaks; both are paid.
    """
    p = parts.sums

    def with_total(values):
        return np.append(values, values.sum())

    handled = with_total(p["handled"])
    hours = np.stack([p["busy_s"].sum(axis=1), p["present_s"].sum(axis=1), plan.staff.sum(axis=1) * plan.interval_s,
                      p["off_s"].sum(axis=1), p["break_s"].sum(axis=1)], axis=1) / 3600.0
    cost = (hours[:, 1] + hours[:, 3]) * plan.cost_per_hour
    rows = np.column_stack([hours, p["breaks"], cost])
    rows = np.vstack([rows, rows.sum(axis=0)])
    busy, present, scheduled, off, break_hours, breaks, cost = rows.T
    return columns("group", {
        "occupancy": ratio(busy, present), "handled": handled,
        "aht": ratio(with_total(p["handle"].sum(axis=1)), handled),
        "fcr": ratio(with_total(p["resolved"]), with_total(p["decided"])), "busy_hours": busy,
        "staffed_hours": present, "scheduled_hours": scheduled, "off_hours": off,
        "shrinkage": ratio(off - break_hours, scheduled), "break_hours": break_hours, "breaks": breaks, "cost": cost})


def finish_costs(plan: Plan, queues: np.ndarray, groups: np.ndarray, intervals: np.ndarray,
                 handle_s: np.ndarray) -> np.ndarray:
    """(queues + 1, cost KPIs) from a replication's queue, group and interval KPIs and the handle
    seconds each group gave each queue. Each group's agent cost is shared among the queues in
    proportion to that handle time ("ALL" holds the whole cost, idle groups included); penalties
    price abandoned contacts, contacts answered after the threshold and intervals whose service
    level misses the target (`costs` in the scenario). Costs per contact divide by answered contacts."""
    nq = plan.n_queues
    answered, abandoned, within = (queues[:, index("queue", k)]
                                   for k in ("answered", "abandoned", "answered_within_threshold"))
    group_cost = groups[:-1, index("group", "cost")]
    share = np.nan_to_num(ratio(handle_s, handle_s.sum(axis=1, keepdims=True)))
    agent_cost = np.append(group_cost @ share, group_cost.sum())
    sl = intervals[:, :nq, index("interval", "service_level")]
    missed = (sl < plan.sl_target).sum(axis=0).astype(float)
    missed = np.append(missed, missed.sum())
    per_queue = np.stack([abandoned[:nq], (answered - within)[:nq], missed[:nq]]) * plan.penalties
    penalties = np.concatenate([per_queue, per_queue.sum(axis=1, keepdims=True)], axis=1)
    total = agent_cost + penalties.sum(axis=0)
    return columns("cost", {
        "agent_cost": agent_cost, "abandon_penalty": penalties[0], "late_penalty": penalties[1],
        "missed_intervals": missed, "missed_interval_penalty": penalties[2], "total_cost": total,
        "cost_per_contact": ratio(agent_cost, answered), "total_cost_per_contact": ratio(total, answered)})


def occupancy_warnings(plan: Plan, records: Sequence[ReplicationRecords]) -> list[str]:
    """Agent groups whose occupancy, over the horizon or in some intervals, exceeds their
    `max_occupancy` (busy time / present time, pooled over replications)."""
    busy = np.sum([rec.busy_s for rec in records], axis=0)
    present = np.sum([rec.present_s for rec in records], axis=0)
    warnings = []
    for g, cap in enumerate(plan.max_occupancy):
        if not np.isfinite(cap) or present[g].sum() == 0:
            continue
        per_interval = ratio(busy[g], present[g])
        over = np.flatnonzero(per_interval > cap)
        average = busy[g].sum() / present[g].sum()
        if average > cap or over.size:
            worst = over[np.argmax(per_interval[over])] if over.size else int(np.nanargmax(per_interval))
            warnings.append(
                f"agent group {plan.group_names[g]}: occupancy {100 * average:.1f}% on average, above the cap of "
                f"{100 * cap:.0f}% in {over.size} of {plan.n_intervals} intervals (worst "
                f"{100 * per_interval[worst]:.1f}% at {format_clock(plan.interval_start[worst])}, day "
                f"{int(plan.interval_start[worst] // 86400) + 1}); sustained high occupancy drives burnout and attrition")
    return warnings
