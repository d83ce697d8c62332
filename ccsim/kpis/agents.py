"""KPIs of the agent groups of one replication (occupancy, hours, cost), the costs shared among
queues with their penalties, and occupancy warnings. Filled by KPI name (`registry.columns`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ccsim.kpis.cache import per_replication
from ccsim.kpis.legs import interval_kpis, queue_kpis
from ccsim.kpis.registry import columns, index
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import ANSWERED, OPEN, RESOLVED
from ccsim.stats import ratio
from ccsim.units import format_clock


@per_replication
def group_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(groups + 1, group KPIs) for one replication; the last row is all groups.

    Staffed hours are hours present and available (agents staying to finish a contact
    included); off hours are scheduled hours lost to shrinkage and breaks; both are paid.
    """
    legs = rec.legs
    served = legs["outcome"] == ANSWERED
    group = np.where(served, legs["group"], plan.n_groups)           # unserved legs in a spare bin

    def per_group(weights):
        counts = np.bincount(group, weights=weights, minlength=plan.n_groups + 1)[:plan.n_groups]
        return np.append(counts, counts.sum())

    handled = per_group(served.astype(float))
    aht = ratio(per_group(np.where(served, legs["handle_s"], 0.0)), handled)
    decided = served & (legs["result"] != OPEN)        # services still running at the end decided nothing
    fcr = ratio(per_group((decided & (legs["result"] == RESOLVED)).astype(float)), per_group(decided.astype(float)))
    hours = np.stack([rec.busy_s.sum(axis=1), rec.present_s.sum(axis=1), plan.staff.sum(axis=1) * plan.interval_s,
                      rec.off_s.sum(axis=1), rec.break_s.sum(axis=1)], axis=1) / 3600.0
    cost = (hours[:, 1] + hours[:, 3]) * plan.cost_per_hour
    rows = np.column_stack([hours, rec.breaks, cost])
    rows = np.vstack([rows, rows.sum(axis=0)])
    busy, present, scheduled, off, break_hours, breaks, cost = rows.T
    return columns("group", {
        "occupancy": ratio(busy, present), "handled": handled, "aht": aht, "fcr": fcr, "busy_hours": busy,
        "staffed_hours": present, "scheduled_hours": scheduled, "off_hours": off,
        "shrinkage": ratio(off - break_hours, scheduled), "break_hours": break_hours, "breaks": breaks, "cost": cost})


@per_replication
def cost_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(queues + 1, cost KPIs) for one replication. Each group's agent cost is shared among
    the queues in proportion to the handle time its agents gave them ("ALL" holds the whole
    cost, idle groups included); penalties price abandoned contacts, contacts answered after
    the threshold and intervals whose service level misses the target (`costs` in the scenario).
    Costs per contact divide by answered contacts."""
    nq = plan.n_queues
    queues, groups = queue_kpis(plan, rec), group_kpis(plan, rec)
    answered, abandoned, within = (queues[:, index("queue", k)]
                                   for k in ("answered", "abandoned", "answered_within_threshold"))
    legs = rec.legs
    served = legs["outcome"] == ANSWERED
    cell = np.where(served, legs["group"] * nq + legs["queue"], plan.n_groups * nq)
    handle = np.bincount(cell, weights=legs["handle_s"] * served, minlength=(plan.n_groups + 1) * nq)
    handle = handle[:plan.n_groups * nq].reshape(plan.n_groups, nq)
    group_cost = groups[:-1, index("group", "cost")]
    share = np.nan_to_num(ratio(handle, handle.sum(axis=1, keepdims=True)))
    agent_cost = np.append(group_cost @ share, group_cost.sum())
    sl = interval_kpis(plan, rec)[:, :nq, index("interval", "service_level")]
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
