"""KPIs of one replication (per queue, interval, agent group, customer and process stage), and
the tables that average them over replications. Definitions are in the README."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ccsim.model.plan import ABANDON_RULES, Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import (
    ABANDONED, ANSWERED, CALLBACK, CALLBACK_LEG, DONE, ESCALATED, ESCALATION, FRESH, IN_SERVICE_AT_END, OPEN,
    REPEAT, RESOLVED, RETRIAL, TIER, TRANSFER, TRANSFERRED, WAITING, WAITING_AT_END,
)
from ccsim.stats import mean_ci, ratio, wide_table
from ccsim.units import format_clock

QUEUE_KPIS = (
    "offered", "answered", "abandoned", "in_system", "in_service", "service_level", "censored", "asa", "wait_p50", "wait_p90",
    "wait_p95", "abandon_rate", "aht", "answered_within_threshold",
    "escalated", "callbacks", "transfers", "transfer_rate", "fcr",
    "offered_fresh", "offered_repeat", "offered_retrial", "offered_transfer", "offered_escalation",
    "callbacks_answered", "callback_within_due",
)
GROUP_KPIS = ("occupancy", "handled", "aht", "fcr", "busy_hours", "staffed_hours", "scheduled_hours", "off_hours",
              "shrinkage", "break_hours", "breaks", "cost")
CUSTOMER_KPIS = ("customers", "contacts_per_customer", "fcr", "resolved", "transferred", "escalated",
                 "repeat_contacts", "retrials", "resolution_time", "resolution_p90")
STAGE_KPIS = ("completed", "wait", "processing", "stage_time", "within_limit")
PROCESS_KPIS = ("started", "completed", "resolution_time", "within_promise", "censored")
COST_KPIS = ("agent_cost", "abandon_penalty", "late_penalty", "missed_intervals", "missed_interval_penalty",
             "total_cost", "cost_per_contact", "total_cost_per_contact")


def censored(open_at_end: np.ndarray, age_s: np.ndarray, limit_s) -> np.ndarray:
    """Items whose hit or miss against a time limit is still unknown at the end of the horizon:
    open then (waiting, or a ticket not done) and no older than their limit. An item done by
    the end is judged by its time; one open and older than its limit has missed already. The one
    definition behind service_level, callback_within_due and within_promise, which leave these
    items out and report them as `censored`."""
    return open_at_end & (age_s <= limit_s)


def _sl_parts(plan: Plan, legs: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per leg: answered within the queue's threshold?, weight in the service-level denominator,
    censored (still waiting at the end, not yet past the threshold)?"""
    q, outcome, wait = legs["queue"], legs["outcome"], legs["wait_s"]
    threshold = plan.threshold_s[q]
    answered = outcome == ANSWERED
    within = answered & (wait <= threshold)
    unknown = censored(legs["at_end"] == WAITING_AT_END, wait, threshold)
    rule = np.array([ABANDON_RULES.index(r) for r in plan.abandon_rule])[q]
    moved_on = (outcome == ESCALATED) | (outcome == CALLBACK)  # counted where they went
    denominator = np.select(
        [rule == 0, rule == 1, rule == 2],
        [~((outcome == ABANDONED) & (wait <= threshold)), np.ones_like(answered), answered]) & ~moved_on & ~unknown
    return within, denominator.astype(float), unknown


def queue_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(queues + 1, len(QUEUE_KPIS)) for one replication; the last row is all queues together."""
    queue = rec.legs["queue"]
    return leg_kpis(plan, rec, [queue == q for q in range(plan.n_queues)] + [np.ones(queue.size, bool)])


def channel_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(channels in use, len(QUEUE_KPIS)) for one replication, queues pooled by channel."""
    channel = np.array(plan.channel)[rec.legs["queue"]]
    return leg_kpis(plan, rec, [channel == c for c in plan.channels_used])


def leg_kpis(plan: Plan, rec: ReplicationRecords, selections: list[np.ndarray]) -> np.ndarray:
    """One row of QUEUE_KPIS per boolean selection of legs."""
    legs = rec.legs
    within, den, unknown = _sl_parts(plan, legs)
    origin, outcome, wait = legs["origin"], legs["outcome"], legs["wait_s"]
    callback_leg = origin == CALLBACK_LEG
    inbound = ~callback_leg
    answered = outcome == ANSWERED
    at_end = legs["at_end"]
    decided = answered & (legs["result"] != OPEN)    # services that ended, with their decision
    due = np.array([c[2] if c else np.inf for c in plan.flows.callback])[legs["queue"]]
    callback_unknown = censored(at_end == WAITING_AT_END, wait, due)
    rows = []
    for mine in selections:
        m = mine & inbound
        served = m & answered
        waits = wait[served]
        n_answered = waits.size
        offered = m.sum()
        n_abandoned = (m & (outcome == ABANDONED)).sum()
        n_escalated = (m & (outcome == ESCALATED)).sum()
        n_callbacks = (m & (outcome == CALLBACK)).sum()
        n_transfers = (served & (legs["result"] == TRANSFERRED)).sum()
        n_decided = (m & decided).sum()
        cb = mine & callback_leg
        cb_answered = cb & answered
        pct = np.percentile(waits, [50, 90, 95]) if n_answered else [np.nan] * 3
        rows.append([
            offered, n_answered, n_abandoned, (m & (at_end == WAITING_AT_END)).sum(),
            (m & (at_end == IN_SERVICE_AT_END)).sum(), ratio((m & within).sum(), den[m].sum()), (m & unknown).sum(),
            waits.mean() if n_answered else np.nan, *pct,
            ratio(n_abandoned, offered), legs["handle_s"][served].mean() if n_answered else np.nan,
            (m & within).sum(), n_escalated, n_callbacks, n_transfers, ratio(n_transfers, n_decided),
            ratio((m & decided & (legs["result"] == RESOLVED)).sum(), n_decided),
            (m & (origin == FRESH)).sum(), (m & (origin == REPEAT)).sum(), (m & (origin == RETRIAL)).sum(),
            (m & (origin == TRANSFER)).sum(), (m & ((origin == ESCALATION) | (origin == TIER))).sum(),
            cb_answered.sum(), ratio((cb_answered & (wait <= due)).sum(), (cb & ~callback_unknown).sum()),
        ])
    return np.array(rows, dtype=float)


INTERVAL_KPIS = ("offered", "answered", "abandoned", "service_level", "asa", "abandon_rate",
                 "offered_fresh", "offered_repeat", "offered_retrial", "transfers", "escalated", "callbacks",
                 "backlog_start", "backlog_end", "oldest_age_end", "censored")


def backlog(plan: Plan, legs: dict[str, np.ndarray], times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Legs waiting at each of `times`, and the age in seconds of the oldest of them (0 when
    none waits): two (len(times), queues + 1) arrays, the last column all queues."""
    waiting_until = np.where(legs["outcome"] == ANSWERED, legs["answer_s"],
                             np.where(legs["outcome"] == WAITING, np.inf, legs["end_s"]))
    counts = np.zeros((times.size, plan.n_queues + 1))
    oldest = np.zeros((times.size, plan.n_queues + 1))
    for q in [*range(plan.n_queues), None]:
        mine = slice(None) if q is None else legs["queue"] == q
        enqueue, until = legs["enqueue_s"][mine], waiting_until[mine]
        column = plan.n_queues if q is None else q
        counts[:, column] = np.searchsorted(np.sort(enqueue), times, side="right") \
            - np.searchsorted(np.sort(until), times, side="right")
        oldest[:, column] = times - _oldest_waiting(enqueue, until, times)
    return counts, oldest


def _oldest_waiting(enqueue: np.ndarray, until: np.ndarray, times: np.ndarray) -> np.ndarray:
    """For each of `times`, the earliest enqueue time among legs waiting then (the time
    itself when none waits). A leg that stopped waiting stays done for every later time, so one
    pass over the legs in enqueue order serves all the times in increasing order."""
    order = np.argsort(enqueue, kind="stable")
    enqueue, until = enqueue[order].tolist(), until[order].tolist()
    time_order = np.argsort(times, kind="stable")
    out, i, n = np.empty(times.size), 0, len(enqueue)
    for k in time_order.tolist():
        t = times[k]
        while i < n and until[i] <= t:
            i += 1
        # legs before i are done; the first leg from i that is waiting at t is the oldest
        j = i
        while j < n and enqueue[j] <= t and until[j] <= t:
            j += 1
        out[k] = enqueue[j] if j < n and enqueue[j] <= t else t
    return out


def interval_kpis(plan: Plan, rec: ReplicationRecords, by_day: bool = False) -> np.ndarray:
    """(periods, queues + 1, len(INTERVAL_KPIS)) by the period (interval, or day with `by_day`)
    in which each leg entered its queue; backlogs at the period's start and end."""
    legs = rec.legs
    nq, nk = plan.n_queues, plan.n_intervals
    within, den, unknown = _sl_parts(plan, legs)
    origin, outcome = legs["origin"], legs["outcome"]
    inbound = (origin != CALLBACK_LEG).astype(float)
    answered = (outcome == ANSWERED) * inbound
    abandoned = (outcome == ABANDONED) * inbound
    k = np.clip(np.searchsorted(plan.interval_start, legs["enqueue_s"], side="right") - 1, 0, nk - 1)
    period, starts, ends = _periods(plan, by_day)
    n = starts.size
    cell = period[k] * nq + legs["queue"]

    def per_cell(weights):
        table = np.bincount(cell, weights=weights, minlength=n * nq).reshape(n, nq)
        return np.concatenate([table, table.sum(axis=1, keepdims=True)], axis=1)

    offered = per_cell(inbound)
    n_answered = per_cell(answered)
    n_abandoned = per_cell(abandoned)
    sl = ratio(per_cell(within * inbound), per_cell(den * inbound))
    asa = ratio(per_cell(np.where(answered > 0, legs["wait_s"], 0.0)), n_answered)
    flows = [per_cell((origin == kind).astype(float)) for kind in (FRESH, REPEAT, RETRIAL)]
    flows += [per_cell((answered > 0) & (legs["result"] == TRANSFERRED)), per_cell((outcome == ESCALATED) * inbound),
              per_cell((outcome == CALLBACK) * inbound)]
    counts, ages = backlog(plan, legs, np.concatenate([starts, ends]))
    return np.stack([offered, n_answered, n_abandoned, sl, asa, ratio(n_abandoned, offered), *flows,
                     counts[:n], counts[n:], ages[n:], per_cell(unknown * inbound)], axis=-1)


def _periods(plan: Plan, by_day: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Period index of every interval, and each period's start and end (s)."""
    starts = plan.interval_start
    if not by_day:
        return np.arange(starts.size), starts, starts + plan.interval_s
    day = (starts // 86400).astype(int)
    first = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    last = np.r_[first[1:], starts.size] - 1
    return np.cumsum(np.r_[False, day[1:] != day[:-1]]), starts[first], starts[last] + plan.interval_s


def group_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(groups + 1, len(GROUP_KPIS)) for one replication; the last row is all groups.

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
    return np.column_stack([ratio(busy, present), handled, aht, fcr, busy, present, scheduled, off,
                            ratio(off - break_hours, scheduled), break_hours, breaks, cost])


def cost_kpis(plan: Plan, rec: ReplicationRecords, queues: np.ndarray | None = None,
              groups: np.ndarray | None = None) -> np.ndarray:
    """(queues + 1, len(COST_KPIS)) for one replication. Each group's agent cost is shared among
    the queues in proportion to the handle time its agents gave them ("ALL" holds the whole
    cost, idle groups included); penalties price abandoned contacts, contacts answered after
    the threshold and intervals whose service level misses the target (`costs` in the scenario).
    Costs per contact divide by answered contacts. `queues` and `groups`: this replication's
    `queue_kpis` and `group_kpis`, where the caller has them already."""
    nq = plan.n_queues
    queues = queue_kpis(plan, rec) if queues is None else queues
    groups = group_kpis(plan, rec) if groups is None else groups
    answered, abandoned, within = (queues[:, QUEUE_KPIS.index(k)]
                                   for k in ("answered", "abandoned", "answered_within_threshold"))
    legs = rec.legs
    served = legs["outcome"] == ANSWERED
    cell = np.where(served, legs["group"] * nq + legs["queue"], plan.n_groups * nq)
    handle = np.bincount(cell, weights=legs["handle_s"] * served, minlength=(plan.n_groups + 1) * nq)
    handle = handle[:plan.n_groups * nq].reshape(plan.n_groups, nq)
    group_cost = groups[:-1, GROUP_KPIS.index("cost")]
    share = np.nan_to_num(ratio(handle, handle.sum(axis=1, keepdims=True)))
    agent_cost = np.append(group_cost @ share, group_cost.sum())
    sl = interval_kpis(plan, rec)[:, :nq, INTERVAL_KPIS.index("service_level")]
    missed = (sl < plan.sl_target).sum(axis=0).astype(float)
    missed = np.append(missed, missed.sum())
    per_queue = np.stack([abandoned[:nq], (answered - within)[:nq], missed[:nq]]) * plan.penalties
    penalties = np.concatenate([per_queue, per_queue.sum(axis=1, keepdims=True)], axis=1)
    total = agent_cost + penalties.sum(axis=0)
    return np.column_stack([agent_cost, penalties[0], penalties[1], missed, penalties[2], total,
                            ratio(agent_cost, answered), ratio(total, answered)])


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


def customer_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(entry queues + processes + 1, len(CUSTOMER_KPIS)): what happened to each customer who
    first called in the measured period, grouped by where they first entered. Customers whose
    outcome still hangs on a service running at the end are left out of a share: of fcr,
    transferred and escalated while the first contact is in service with no transfer (no
    escalation) yet, of resolved while any of their contacts is in service and none resolved."""
    c = rec.contacts
    first = (c["kind"] == FRESH) & (c["attempt"] == 1)
    customer = np.where(c["customer"] >= 0, c["customer"], np.arange(c["kind"].size))
    n = c["kind"].size
    attempts = np.bincount(customer, minlength=n)
    resolved_any = np.bincount(customer, weights=c["resolved"].astype(float), minlength=n) > 0
    running = c["at_end"] == IN_SERVICE_AT_END
    in_service = np.bincount(customer, weights=running.astype(float), minlength=n) > 0
    moved, raised = c["transfers"] > 0, c["escalations"] > 0
    undecided = {"fcr": running & ~moved & ~raised, "transferred": running & ~moved, "escalated": running & ~raised,
                 "resolved": in_service & ~resolved_any}
    fcr = c["resolved"] & (c["transfers"] == 0) & (c["escalations"] == 0)
    entry = np.where(c["process"] >= 0, plan.n_queues + c["process"], c["queue"])
    rows = []
    for e in [*range(plan.n_queues + len(plan.process_names)), None]:
        mine = first if e is None else first & (entry == e)
        same = np.ones(n, bool) if e is None else entry[np.clip(customer, 0, n - 1)] == e
        res = c["resolution_s"][mine & c["resolved"]]
        customers = mine.sum()

        def share(event: np.ndarray, kpi: str) -> float:
            return ratio((mine & event).sum(), (mine & ~undecided[kpi]).sum())

        rows.append([
            customers, ratio(attempts[mine].sum(), customers), share(fcr, "fcr"), share(resolved_any, "resolved"),
            share(moved, "transferred"), share(raised, "escalated"),
            (same & (c["kind"] == REPEAT)).sum(), (same & (c["kind"] == RETRIAL)).sum(),
            res.mean() if res.size else np.nan, np.percentile(res, 90) if res.size else np.nan,
        ])
    return np.array(rows, dtype=float)


def stage_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(all stages of all processes, len(STAGE_KPIS)) for one replication."""
    s = rec.stages
    rows = []
    for p, stages in enumerate(plan.stages):
        for i, stage in enumerate(stages):
            mine = (s["process"] == p) & (s["stage"] == i)
            time = s["done_s"][mine] - s["entry_s"][mine]
            n = mine.sum()
            rows.append([n, s["wait_s"][mine].mean() if n else np.nan, s["handle_s"][mine].mean() if n else np.nan,
                         time.mean() if n else np.nan, ratio((time <= stage.time_limit_s).sum(), n)])
    return np.array(rows, dtype=float).reshape(-1, len(STAGE_KPIS))


def process_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(processes, len(PROCESS_KPIS)): started, completed, mean end-to-end time, the share done
    within the promise among tickets that can be judged, and the censored ones (still open at the
    end and not yet past their promise, see `censored`)."""
    c = rec.contacts
    open_at_end = c["at_end"] != DONE
    rows = []
    for p, promise in enumerate(plan.promise_s):
        mine = c["process"] == p
        done = mine & c["resolved"]
        times = c["resolution_s"][done]
        unknown = mine & censored(open_at_end, plan.end_s - c["arrival_s"], promise)
        rows.append([mine.sum(), done.sum(), times.mean() if times.size else np.nan,
                     ratio((done & (c["resolution_s"] <= promise)).sum(), (mine & ~unknown).sum())
                     if np.isfinite(promise) else np.nan, unknown.sum() if np.isfinite(promise) else np.nan])
    return np.array(rows, dtype=float).reshape(-1, len(PROCESS_KPIS))


def _stack(fn, plan: Plan, records: Sequence[ReplicationRecords]) -> np.ndarray:
    return np.stack([fn(plan, rec) for rec in records])


def kpi_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per queue plus "ALL": KPI means and 95% CI bounds, with the queue's SL threshold."""
    table = wide_table([*plan.queue_names, "ALL"], QUEUE_KPIS, _stack(queue_kpis, plan, records), "queue")
    table.insert(0, "threshold_s", [*plan.threshold_s, np.nan])
    return table


def channel_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per channel in use (voice, chat, email, outbound): the queue KPIs, queues pooled."""
    return wide_table(list(plan.channels_used), QUEUE_KPIS, _stack(channel_kpis, plan, records), "channel")


def group_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per agent group plus "ALL": occupancy, handled contacts, hours and cost with CIs."""
    return wide_table([*plan.group_names, "ALL"], GROUP_KPIS, _stack(group_kpis, plan, records), "group")


def cost_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per queue plus "ALL": agent cost shared by handle time, penalties, cost per contact."""
    return wide_table([*plan.queue_names, "ALL"], COST_KPIS, _stack(cost_kpis, plan, records), "queue")


def customer_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per entry point (queue or process) plus "ALL": customer-level outcomes."""
    names = [*plan.queue_names, *plan.process_names, "ALL"]
    return wide_table(names, CUSTOMER_KPIS, _stack(customer_kpis, plan, records), "entry")


def stage_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per process stage: completions, mean wait, processing and stage time, within limit."""
    names = [f"{p}/{i + 1}" for p, stages in zip(plan.process_names, plan.stages) for i in range(len(stages))]
    table = wide_table(names, STAGE_KPIS, _stack(stage_kpis, plan, records), "stage")
    table.insert(0, "time_limit_s", [s.time_limit_s for stages in plan.stages for s in stages])
    return table


def process_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per process: started, completed, end-to-end time and share within the promise."""
    table = wide_table(plan.process_names, PROCESS_KPIS, _stack(process_kpis, plan, records), "process")
    table.insert(0, "promise_s", list(plan.promise_s))
    return table


def interval_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per interval and queue (plus "ALL"): means over replications, and staff able to serve."""
    mean = mean_ci(_stack(interval_kpis, plan, records))[0]
    nk, nq = plan.n_intervals, plan.n_queues
    skilled = np.array([[q in plan.rank[g] for g in range(plan.n_groups)] for q in range(nq)], dtype=float)
    staff = np.concatenate([(skilled @ plan.staff).T, plan.staff.sum(axis=0)[:, None]], axis=1)
    starts = plan.interval_start
    frame = pd.DataFrame({
        "interval": np.repeat(np.arange(nk), nq + 1),
        "day": np.repeat((starts // 86400).astype(int) + 1, nq + 1),
        "start": np.repeat([format_clock(s) for s in starts], nq + 1),
        "queue": [*plan.queue_names, "ALL"] * nk,
    })
    for j, column in enumerate(INTERVAL_KPIS):
        frame[column] = mean[:, :, j].ravel()
    frame["staff"] = staff.ravel()
    return frame


def day_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per day and queue (plus "ALL"): the interval KPIs over the day, means and 95% CIs;
    backlogs at opening and closing."""
    stacked = np.stack([interval_kpis(plan, rec, by_day=True) for rec in records])
    mean, low, high = mean_ci(stacked)
    _, starts, _ = _periods(plan, by_day=True)
    nq = plan.n_queues
    frame = pd.DataFrame({
        "day": np.repeat((starts // 86400).astype(int) + 1, nq + 1),
        "queue": [*plan.queue_names, "ALL"] * starts.size,
    })
    for j, column in enumerate(INTERVAL_KPIS):
        frame[column] = mean[:, :, j].ravel()
        frame[f"{column}_ci_low"] = low[:, :, j].ravel()
        frame[f"{column}_ci_high"] = high[:, :, j].ravel()
    return frame


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
        "start": np.tile([format_clock(s) for s in starts], ng),
        "group": np.repeat(plan.group_names, nk),
        "staff": plan.staff.ravel(),
        "present_hours": present.ravel() / 3600.0,
        "off_hours": off.ravel() / 3600.0,
        "busy_hours": busy.ravel() / 3600.0,
        "occupancy": ratio(busy, present).ravel(),
    })
