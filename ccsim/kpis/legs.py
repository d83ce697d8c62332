"""KPIs of the queue legs of one replication: per queue, per channel and per interval (or day),
with the service-level parts and the backlog they share. Rows are filled by KPI name
(`registry.columns`); definitions are in `registry`."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.cache import per_replication
from ccsim.kpis.registry import columns, names
from ccsim.kpis.tally import members, tally
from ccsim.model.plan import ABANDON_RULES, Plan
from ccsim.model.plan.deadlines import allowed_by
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
    """Per leg: answered within the queue's threshold?, counted in the service-level denominator?,
    censored (still waiting at the end, not yet past the threshold)?"""
    q, outcome, wait = legs["queue"], legs["outcome"], legs["wait_s"]
    threshold = allowed_by(plan.calendar, plan.threshold_limit, q, legs["enqueue_s"])
    answered = outcome == ANSWERED
    within = answered & (wait <= threshold)
    unknown = censored(legs["at_end"] == WAITING_AT_END, wait, threshold)
    rule = np.array([ABANDON_RULES.index(r) for r in plan.abandon_rule])[q]
    moved_on = (outcome == ESCALATED) | (outcome == CALLBACK)  # counted where they went
    counted = np.select(
        [rule == 0, rule == 1, rule == 2],
        [~((outcome == ABANDONED) & (wait <= threshold)), np.ones_like(answered), answered]) & ~moved_on & ~unknown
    return within, counted.astype(bool), unknown


# the origins each offered_* KPI counts
OFFERED_BY_ORIGIN = {"fresh": [FRESH], "repeat": [REPEAT], "retrial": [RETRIAL], "transfer": [TRANSFER],
                     "escalation": [ESCALATION, TIER]}


@per_replication
def queue_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(queues + 1, queue KPIs) for one replication; the last row is all queues together."""
    return _kpis_by_row(plan, rec.legs, rec.legs["queue"], plan.n_queues, total=True)


@per_replication
def channel_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(channels in use, queue KPIs) for one replication, queues pooled by channel."""
    if len(plan.channels_used) == 1:            # one channel: all queues pooled, the queue table's last row
        return queue_kpis(plan, rec)[-1:].copy()
    channel = np.array([plan.channels_used.index(c) for c in plan.channel])[rec.legs["queue"]]
    return _kpis_by_row(plan, rec.legs, channel, len(plan.channels_used))


@per_replication
def pilot_queue_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(2, queues + 1, queue KPIs): the legs of customers outside (0) and inside (1) a pilot on
    contacts, per queue and all queues together."""
    queue, pilot = rec.legs["queue"], rec.legs["pilot"]
    return np.stack([_kpis_by_row(plan, rec.legs, np.where(pilot == side, queue, plan.n_queues), plan.n_queues,
                                  total=True) for side in (False, True)])


def _kpis_by_row(plan: Plan, legs: dict[str, np.ndarray], row: np.ndarray, n_rows: int,
                 total: bool = False) -> np.ndarray:
    """(rows, queue KPIs): the KPIs of the legs of each row (`row`: each leg's row in 0..n_rows,
    n_rows for none), with `total` then of all those legs. Counts come from one tally over the
    legs' codes; means and percentiles from each row's legs in order, as a boolean selection has them."""
    within, counted, unknown = _sl_parts(plan, legs)
    outcome, wait, at_end = legs["outcome"], legs["wait_s"], legs["at_end"]
    due = np.array([c[2] if c else np.inf for c in plan.flows.callback])[legs["queue"]]
    table, g = tally(row, n_rows, {
        "origin": legs["origin"], "outcome": outcome, "at_end": at_end, "result": legs["result"], "within": within,
        "counted": counted, "unknown": unknown, "due_hit": wait <= due,
        "due_unknown": censored(at_end == WAITING_AT_END, wait, due)}, total)

    def count(condition: np.ndarray) -> np.ndarray:
        return table @ condition.astype(float)

    callback_leg = g["origin"] == CALLBACK_LEG
    inbound, answered = ~callback_leg, g["outcome"] == ANSWERED
    decided = inbound & answered & (g["result"] != OPEN)    # services that ended, with their decision
    offered, n_answered = count(inbound), count(inbound & answered)
    n_abandoned, n_within = count(inbound & (g["outcome"] == ABANDONED)), count(inbound & g["within"])
    n_transfers, n_decided = count(inbound & answered & (g["result"] == TRANSFERRED)), count(decided)
    served = members(np.where((legs["origin"] != CALLBACK_LEG) & (outcome == ANSWERED), row, n_rows), n_rows, total)
    waits = [wait[legs_of_row] for legs_of_row in served]
    pct = np.array([np.percentile(w, [50, 90, 95]) if w.size else [np.nan] * 3 for w in waits]).reshape(-1, 3)
    cb_answered = count(callback_leg & answered)
    return columns("queue", {
        "offered": offered, "answered": n_answered, "abandoned": n_abandoned,
        "in_system": count(inbound & (g["at_end"] == WAITING_AT_END)),
        "in_service": count(inbound & (g["at_end"] == IN_SERVICE_AT_END)),
        "service_level": ratio(n_within, count(inbound & g["counted"])), "censored": count(inbound & g["unknown"]),
        "asa": [w.mean() if w.size else np.nan for w in waits],
        "wait_p50": pct[:, 0], "wait_p90": pct[:, 1], "wait_p95": pct[:, 2],
        "abandon_rate": ratio(n_abandoned, offered),
        "aht": [legs["handle_s"][i].mean() if i.size else np.nan for i in served],
        "answered_within_threshold": n_within, "escalated": count(inbound & (g["outcome"] == ESCALATED)),
        "callbacks": count(inbound & (g["outcome"] == CALLBACK)),
        "transfers": n_transfers, "transfer_rate": ratio(n_transfers, n_decided),
        "fcr": ratio(count(decided & (g["result"] == RESOLVED)), n_decided),
        **{f"offered_{name}": count(np.isin(g["origin"], kinds)) for name, kinds in OFFERED_BY_ORIGIN.items()},
        "callbacks_answered": cb_answered,
        "callback_within_due": ratio(count(callback_leg & answered & g["due_hit"]),
                                     count(callback_leg & ~g["due_unknown"])),
    })



def backlog(plan: Plan, legs: dict[str, np.ndarray], times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Legs waiting at each of `times`, and the age in seconds of the oldest of them (0 when
    none waits): two (len(times), queues + 1) arrays, the last column all queues."""
    outcome, queue, enqueue, end = legs["outcome"], legs["queue"], legs["enqueue_s"], legs["end_s"]
    # NaN (no end) sorts after every time, like inf: such a leg counts as waiting, as it should
    until = np.where(outcome == ANSWERED, legs["answer_s"], np.where(outcome == WAITING, np.inf, end))
    nq = plan.n_queues
    by_time = np.argsort(enqueue, kind="stable")        # legs come nearly in enqueue order: cheap
    counts = np.zeros((times.size, nq + 1))
    oldest = np.zeros((times.size, nq + 1))
    for q, rows in enumerate(members(queue[by_time], nq)):
        rows = by_time[rows]
        counts[:, q], oldest[:, q] = _waiting(enqueue[rows], until[rows], times)
    # all queues: the oldest of all is the oldest of the queues' oldest (ages are never negative)
    counts[:, nq], oldest[:, nq] = counts[:, :nq].sum(axis=1), oldest[:, :nq].max(axis=1)
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


@per_replication
def interval_kpis(plan: Plan, rec: ReplicationRecords, *, by_day: bool = False) -> np.ndarray:
    """(periods, queues + 1, interval KPIs) by the period (interval, or day with `by_day`)
    in which each leg entered its queue; backlogs at the period's start and end."""
    legs = rec.legs
    nq, nk = plan.n_queues, plan.n_intervals
    within, counted, unknown = _sl_parts(plan, legs)
    origin, outcome = legs["origin"], legs["outcome"]
    k = np.clip(np.searchsorted(plan.interval_start, legs["enqueue_s"], side="right") - 1, 0, nk - 1)
    period, starts, ends = periods(plan, by_day)
    n = starts.size
    cell = period[k] * nq + legs["queue"]
    inbound = origin != CALLBACK_LEG
    # two small tallies rather than one of every combination: memory by cells x 72, not x 640
    flows, f = tally(cell, n * nq, {"origin": origin, "outcome": outcome})
    parts, p = tally(cell, n * nq, {"inbound": inbound, "within": within, "counted": counted, "unknown": unknown,
                                     "transferred": (outcome == ANSWERED) & (legs["result"] == TRANSFERRED)})

    def per_cell(counts):
        table = counts.reshape(n, nq)
        return np.concatenate([table, table.sum(axis=1, keepdims=True)], axis=1)

    def by_origin(*kinds):
        return per_cell(flows @ np.isin(f["origin"], kinds))

    def by_outcome(state):
        return per_cell(flows @ ((f["origin"] != CALLBACK_LEG) & (f["outcome"] == state)))

    def by_part(part):
        return per_cell(parts @ (p["inbound"] & p[part]))

    offered = per_cell(flows @ (f["origin"] != CALLBACK_LEG))
    n_answered, n_abandoned = by_outcome(ANSWERED), by_outcome(ABANDONED)
    wait_sum = np.bincount(cell, weights=np.where(inbound & (outcome == ANSWERED), legs["wait_s"], 0.0),
                           minlength=n * nq)
    counts, ages = backlog(plan, legs, np.concatenate([starts, ends]))
    return columns("interval", {
        "offered": offered, "answered": n_answered, "abandoned": n_abandoned,
        "service_level": ratio(by_part("within"), by_part("counted")), "asa": ratio(per_cell(wait_sum), n_answered),
        "abandon_rate": ratio(n_abandoned, offered), "offered_fresh": by_origin(FRESH),
        "offered_repeat": by_origin(REPEAT), "offered_retrial": by_origin(RETRIAL), "transfers": by_part("transferred"),
        "escalated": by_outcome(ESCALATED), "callbacks": by_outcome(CALLBACK),
        "backlog_start": counts[:n], "backlog_end": counts[n:], "oldest_age_end": ages[n:],
        "censored": by_part("unknown")})


def periods(plan: Plan, by_day: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Period index of every interval, and each period's start and end (s)."""
    starts = plan.interval_start
    if not by_day:
        return np.arange(starts.size), starts, starts + plan.interval_s
    day = (starts // 86400).astype(int)
    first = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    last = np.r_[first[1:], starts.size] - 1
    return np.cumsum(np.r_[False, day[1:] != day[:-1]]), starts[first], starts[last] + plan.interval_s
