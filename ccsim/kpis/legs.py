"""KPIs of the queue legs of one replication: per queue, per channel and per interval (or day),
with the service-level parts and the backlog they share. Rows are filled by KPI name
(`registry.columns`); definitions are in `registry`."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.registry import columns, stack_rows
from ccsim.model.plan import ABANDON_RULES, Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import (
    ABANDONED, ANSWERED, CALLBACK, CALLBACK_LEG, ESCALATED, ESCALATION, FRESH, IN_SERVICE_AT_END, OPEN, REPEAT,
    RESOLVED, RETRIAL, TIER, TRANSFER, TRANSFERRED, WAITING, WAITING_AT_END,
)
from ccsim.stats import ratio


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
    """(queues + 1, queue KPIs) for one replication; the last row is all queues together."""
    queue = rec.legs["queue"]
    return leg_kpis(plan, rec, [queue == q for q in range(plan.n_queues)] + [np.ones(queue.size, bool)])


def channel_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(channels in use, queue KPIs) for one replication, queues pooled by channel."""
    channel = np.array(plan.channel)[rec.legs["queue"]]
    return leg_kpis(plan, rec, [channel == c for c in plan.channels_used])


def leg_kpis(plan: Plan, rec: ReplicationRecords, selections: list[np.ndarray]) -> np.ndarray:
    """One row of queue KPIs per boolean selection of legs."""
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
        rows.append({
            "offered": offered, "answered": n_answered, "abandoned": n_abandoned,
            "in_system": (m & (at_end == WAITING_AT_END)).sum(),
            "in_service": (m & (at_end == IN_SERVICE_AT_END)).sum(),
            "service_level": ratio((m & within).sum(), den[m].sum()), "censored": (m & unknown).sum(),
            "asa": waits.mean() if n_answered else np.nan, "wait_p50": pct[0], "wait_p90": pct[1], "wait_p95": pct[2],
            "abandon_rate": ratio(n_abandoned, offered),
            "aht": legs["handle_s"][served].mean() if n_answered else np.nan,
            "answered_within_threshold": (m & within).sum(), "escalated": n_escalated, "callbacks": n_callbacks,
            "transfers": n_transfers, "transfer_rate": ratio(n_transfers, n_decided),
            "fcr": ratio((m & decided & (legs["result"] == RESOLVED)).sum(), n_decided),
            "offered_fresh": (m & (origin == FRESH)).sum(), "offered_repeat": (m & (origin == REPEAT)).sum(),
            "offered_retrial": (m & (origin == RETRIAL)).sum(), "offered_transfer": (m & (origin == TRANSFER)).sum(),
            "offered_escalation": (m & ((origin == ESCALATION) | (origin == TIER))).sum(),
            "callbacks_answered": cb_answered.sum(),
            "callback_within_due": ratio((cb_answered & (wait <= due)).sum(), (cb & ~callback_unknown).sum()),
        })
    return stack_rows("queue", rows)


def backlog(plan: Plan, legs: dict[str, np.ndarray], times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Legs waiting at each of `times`, and the age in seconds of the oldest of them (0 when
    none waits): two (len(times), queues + 1) arrays, the last column all queues."""
    outcome, queue, enqueue, end = legs["outcome"], legs["queue"], legs["enqueue_s"], legs["end_s"]
    # NaN (no end) sorts after every time, like inf: such a leg counts as waiting, as it should
    until = np.where(outcome == ANSWERED, legs["answer_s"], np.where(outcome == WAITING, np.inf, end))
    by_time = np.argsort(enqueue, kind="stable")        # legs come nearly in enqueue order: cheap
    by_queue = by_time[np.argsort(queue[by_time].astype(np.min_scalar_type(plan.n_queues)), kind="stable")]
    bounds = np.searchsorted(queue[by_queue], np.arange(plan.n_queues + 1))
    segments = [by_queue[bounds[q]:bounds[q + 1]] for q in range(plan.n_queues)] + [by_time]
    counts = np.zeros((times.size, plan.n_queues + 1))
    oldest = np.zeros((times.size, plan.n_queues + 1))
    for column, rows in enumerate(segments):
        counts[:, column], oldest[:, column] = _waiting(enqueue[rows], until[rows], times)
    return counts, oldest


def _waiting(enqueue: np.ndarray, until: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of legs in enqueue order waiting from `enqueue` to `until`: how many wait at each of
    `times`, and the age of the oldest of them (0 when none waits). In enqueue order, the oldest
    leg waiting at t is the first whose running maximum of `until` exceeds t, if it entered by t."""
    entered = np.searchsorted(enqueue, times, side="right")
    first = np.searchsorted(np.maximum.accumulate(until), times, side="right")
    first_enqueue = np.append(enqueue, 0.0)[first]      # spare entry: times when no leg waits
    return entered - _reached(until, times), np.where(first < entered, times - first_enqueue, 0.0)


def _reached(values: np.ndarray, times: np.ndarray) -> np.ndarray:
    """How many of `values` are at most each of `times` (no sort of `values`)."""
    order = np.argsort(times, kind="stable")
    passed = np.bincount(np.searchsorted(times[order], values, side="left"), minlength=times.size + 1)
    reached = np.empty(times.size, dtype=np.int64)
    reached[order] = np.cumsum(passed)[:times.size]
    return reached


def interval_kpis(plan: Plan, rec: ReplicationRecords, by_day: bool = False) -> np.ndarray:
    """(periods, queues + 1, interval KPIs) by the period (interval, or day with `by_day`)
    in which each leg entered its queue; backlogs at the period's start and end."""
    legs = rec.legs
    nq, nk = plan.n_queues, plan.n_intervals
    within, den, unknown = _sl_parts(plan, legs)
    origin, outcome = legs["origin"], legs["outcome"]
    inbound = (origin != CALLBACK_LEG).astype(float)
    answered = (outcome == ANSWERED) * inbound
    abandoned = (outcome == ABANDONED) * inbound
    k = np.clip(np.searchsorted(plan.interval_start, legs["enqueue_s"], side="right") - 1, 0, nk - 1)
    period, starts, ends = periods(plan, by_day)
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
    return columns("interval", {
        "offered": offered, "answered": n_answered, "abandoned": n_abandoned, "service_level": sl, "asa": asa,
        "abandon_rate": ratio(n_abandoned, offered), "offered_fresh": flows[0], "offered_repeat": flows[1],
        "offered_retrial": flows[2], "transfers": flows[3], "escalated": flows[4], "callbacks": flows[5],
        "backlog_start": counts[:n], "backlog_end": counts[n:], "oldest_age_end": ages[n:],
        "censored": per_cell(unknown * inbound)})


def periods(plan: Plan, by_day: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Period index of every interval, and each period's start and end (s)."""
    starts = plan.interval_start
    if not by_day:
        return np.arange(starts.size), starts, starts + plan.interval_s
    day = (starts // 86400).astype(int)
    first = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    last = np.r_[first[1:], starts.size] - 1
    return np.cumsum(np.r_[False, day[1:] != day[:-1]]), starts[first], starts[last] + plan.interval_s
