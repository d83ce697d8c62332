"""KPIs of the queue legs of a replication per interval or day: the parts a chunk of customers
contributes per interval and queue (`interval_parts`; backlogs at each interval's start and end
are counts that add up and oldest ages that take the larger) and the KPIs of merged parts
(`finish_intervals`, days pooling their intervals). Rows are filled by KPI name (`registry.columns`)."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.legs import sl_parts
from ccsim.kpis.parts import Parts
from ccsim.kpis.registry import columns
from ccsim.kpis.tally import among, members, tally
from ccsim.model.plan import Plan
from ccsim.model.states import (
    ABANDONED, ANSWERED, CALLBACK, CALLBACK_LEG, ESCALATED, FRESH, REPEAT, RETRIAL, TRANSFERRED, WAITING,
)
from ccsim.stats import ratio


def interval_parts(plan: Plan, legs: dict[str, np.ndarray], sl: tuple | None = None) -> Parts:
    """(intervals, queues) counts and wait sums of the legs entering their queue in each interval,
    and the backlog (legs waiting) at each interval's start and end with the oldest one's age at the
    end; only for the intervals from the first these legs entered to the last they waited in (`window`).
    `sl`: `sl_parts` of the legs, if known."""
    nq = plan.n_queues
    within, counted, unknown = sl_parts(plan, legs) if sl is None else sl
    origin, outcome = legs["origin"], legs["outcome"]
    starts, ends = plan.interval_start, plan.interval_start + plan.interval_s
    by_time = np.argsort(legs["enqueue_s"], kind="stable")  # legs come nearly in enqueue order: cheap
    until = _until(legs)
    k = _entered(starts, legs["enqueue_s"], by_time)
    lo, hi = 0, 0
    if k.size:
        lo = min(k.min(), np.searchsorted(ends, legs["enqueue_s"].min(), side="left"))
        last = until.max()                          # NaN (no end yet) as inf: waiting to the end
        hi = max(k.max() + 1, np.searchsorted(starts, np.inf if np.isnan(last) else last, side="left"))
    nk = int(hi - lo)
    cell = (k - lo) * nq + legs["queue"]
    inbound = origin != CALLBACK_LEG
    # two small tallies rather than one of every combination: memory by cells x 72, not x 640
    flows, f = tally(cell, nk * nq, {"origin": origin, "outcome": outcome})
    parts, p = tally(cell, nk * nq, {"inbound": inbound, "within": within, "counted": counted, "unknown": unknown,
                                      "transferred": (outcome == ANSWERED) & (legs["result"] == TRANSFERRED)})

    def by_origin(*kinds):
        return (flows @ among(f["origin"], kinds)).reshape(nk, nq)

    def by_outcome(state):
        return (flows @ ((f["origin"] != CALLBACK_LEG) & (f["outcome"] == state))).reshape(nk, nq)

    def by_part(part):
        return (parts @ (p["inbound"] & p[part])).reshape(nk, nq)

    wait_sum = np.bincount(cell, weights=np.where(inbound & (outcome == ANSWERED), legs["wait_s"], 0.0),
                           minlength=nk * nq)
    counts, ages = backlog(plan, legs, np.concatenate([starts[lo:hi], ends[lo:hi]]), total=False,
                           by_time=by_time, until=until)
    return Parts({
        "offered": (flows @ (f["origin"] != CALLBACK_LEG)).reshape(nk, nq), "answered": by_outcome(ANSWERED),
        "abandoned": by_outcome(ABANDONED), "within": by_part("within"), "counted": by_part("counted"),
        "wait_sum": wait_sum.reshape(nk, nq), "offered_fresh": by_origin(FRESH), "offered_repeat": by_origin(REPEAT),
        "offered_retrial": by_origin(RETRIAL), "transfers": by_part("transferred"),
        "escalated": by_outcome(ESCALATED), "callbacks": by_outcome(CALLBACK), "censored": by_part("unknown"),
        "backlog_start": counts[:nk], "backlog_end": counts[nk:]}, maxima={"oldest_age_end": ages[nk:]},
        window=(int(lo), int(hi), plan.n_intervals))


def finish_intervals(plan: Plan, parts: Parts, by_day: bool = False) -> np.ndarray:
    """(periods, queues + 1, interval KPIs) by the period (interval, or day with `by_day`) in which
    each leg entered its queue; backlogs at the period's start and end; the last column all queues."""
    oldest = parts.maxima["oldest_age_end"]
    # every sum as one (names, periods, queues) block: one call per step, not one per name (each
    # sum adds the same values in the same order as per name)
    block = np.stack(list(parts.sums.values()))
    if by_day:
        first, last = day_intervals(plan)
        block = np.add.reduceat(block, first, axis=1)
        oldest = oldest[last]
    block = np.concatenate([block, block.sum(axis=2, keepdims=True)], axis=2)
    c = dict(zip(parts.sums, block))
    if by_day:          # backlogs at the day's opening and closing, not sums over its intervals
        c["backlog_start"], c["backlog_end"] = (
            np.concatenate([values, values.sum(axis=1, keepdims=True)], axis=1)
            for values in (parts.sums["backlog_start"][first], parts.sums["backlog_end"][last]))
    return columns("interval", {
        "offered": c["offered"], "answered": c["answered"], "abandoned": c["abandoned"],
        "service_level": ratio(c["within"], c["counted"]), "asa": ratio(c["wait_sum"], c["answered"]),
        "abandon_rate": ratio(c["abandoned"], c["offered"]), "offered_fresh": c["offered_fresh"],
        "offered_repeat": c["offered_repeat"], "offered_retrial": c["offered_retrial"], "transfers": c["transfers"],
        "escalated": c["escalated"], "callbacks": c["callbacks"], "backlog_start": c["backlog_start"],
        "backlog_end": c["backlog_end"],
        # the oldest of all queues is the oldest of the queues' oldest (ages are never negative)
        "oldest_age_end": np.concatenate([oldest, oldest.max(axis=1, initial=0.0, keepdims=True)], axis=1),
        "censored": c["censored"]})


def backlog(plan: Plan, legs: dict[str, np.ndarray], times: np.ndarray, total: bool = True,
            by_time: np.ndarray | None = None, until: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Legs waiting at each of `times`, and the age in seconds of the oldest of them (0 when
    none waits): two (len(times), queues) arrays, with `total` a last column for all queues.
    `by_time` (the legs in stable enqueue order) and `until` (`_until`), where known already."""
    queue, enqueue = legs["queue"], legs["enqueue_s"]
    until = _until(legs) if until is None else until
    nq = plan.n_queues
    if by_time is None:
        by_time = np.argsort(enqueue, kind="stable")    # legs come nearly in enqueue order: cheap
    counts = np.zeros((times.size, nq + total))
    oldest = np.zeros((times.size, nq + total))
    for q, rows in enumerate(members(queue[by_time], nq)):
        rows = by_time[rows]
        counts[:, q], oldest[:, q] = _waiting(enqueue[rows], until[rows], times)
    if total:       # the oldest of all is the oldest of the queues' oldest (ages are never negative)
        counts[:, nq], oldest[:, nq] = counts[:, :nq].sum(axis=1), oldest[:, :nq].max(axis=1)
    return counts, oldest


def _entered(starts: np.ndarray, enqueue: np.ndarray, by_time: np.ndarray) -> np.ndarray:
    """The interval each leg entered its queue in: the last whose start is at or before its
    enqueue time (the first interval for earlier legs, the last for later ones). Counted from the
    legs in enqueue order (`by_time`): one pass over the legs rather than a binary search each,
    the same numbers as np.clip(np.searchsorted(starts, enqueue, "right") - 1, 0, len(starts) - 1)."""
    ordered = enqueue[by_time]
    # a start s is at or before the legs from position searchsorted(ordered, s, "left") on
    started = np.cumsum(np.bincount(np.searchsorted(ordered, starts, side="left"), minlength=ordered.size + 1))
    k = np.empty(ordered.size, dtype=np.int64)
    k[by_time] = started[:ordered.size] - 1
    return np.clip(k, 0, starts.size - 1)


def _until(legs: dict[str, np.ndarray]) -> np.ndarray:
    """When each leg stopped waiting (s): answered, left the line, or inf while waiting at the end;
    NaN (no end) sorts after every time, like inf: such a leg counts as waiting, as it should."""
    outcome = legs["outcome"]
    return np.where(outcome == ANSWERED, legs["answer_s"], np.where(outcome == WAITING, np.inf, legs["end_s"]))


def _waiting(enqueue: np.ndarray, until: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of legs in enqueue order waiting from `enqueue` to `until`: how many wait at each of
    `times`, and the age of the oldest of them (0 when none waits). In enqueue order, the oldest
    leg waiting at t is the first whose running maximum of `until` exceeds t, if it entered by t."""
    entered = np.searchsorted(enqueue, times, side="right")
    first = np.searchsorted(np.maximum.accumulate(until), times, side="right")
    first_enqueue = np.append(enqueue, 0.0)[first]      # spare entry: times when no leg waits
    return entered - _reached(enqueue, until, times), np.where(first < entered, times - first_enqueue, 0.0)


def _reached(enqueue: np.ndarray, until: np.ndarray, times: np.ndarray) -> np.ndarray:
    """How many of `until` are at most each of `times`, for legs in enqueue order (no sort of
    `until`). Most legs stop waiting before the first of `times` after they entered: their count
    of times before `until` is that of times before `enqueue`, found in one pass over the legs;
    only the others (and any whose `until` is below `enqueue` or NaN) take a binary search each,
    which every leg took before (the same numbers): 0.5 ms instead of 1.4 on mmc10's three chunks.
    Few times, or few legs against them: a binary search each, as fast there in fewer calls."""
    order = np.argsort(times, kind="stable")
    ordered = times[order]
    if times.size < 256 or enqueue.size < 16 * times.size:    # measured: the binary search is as fast there
        before = np.searchsorted(ordered, until, side="left")
    else:
        # times before each leg's enqueue: a time t is before the legs from searchsorted(enqueue, t, "right") on
        before = np.cumsum(np.bincount(np.searchsorted(enqueue, ordered, side="right"), minlength=enqueue.size + 1))
        before = before[:enqueue.size]
        near = (enqueue <= until) & (until <= np.append(ordered, np.inf)[before])
        far = np.flatnonzero(~near)
        before[far] = np.searchsorted(ordered, until[far], side="left")
    passed = np.bincount(before, minlength=times.size + 1)
    reached = np.empty(times.size, dtype=np.int64)
    reached[order] = np.cumsum(passed)[:times.size]
    return reached


def periods(plan: Plan, by_day: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Period index of every interval, and each period's start and end (s)."""
    starts = plan.interval_start
    if not by_day:
        return np.arange(starts.size), starts, starts + plan.interval_s
    first, last = day_intervals(plan)
    return np.repeat(np.arange(first.size), last - first + 1), starts[first], starts[last] + plan.interval_s


def day_intervals(plan: Plan) -> tuple[np.ndarray, np.ndarray]:
    """The first and the last interval of each day."""
    day = (plan.interval_start // 86400).astype(int)
    first = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    return first, np.r_[first[1:], day.size] - 1
