"""One replication end to end: draw contacts, run the engine, keep the measured period's records."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccsim.model.arrivals import draw_arrivals
from ccsim.model.engine import ABANDONED, ANSWERED, WAITING, Engine
from ccsim.model.plan import Plan

OUTCOMES = ("in_system", "answered", "abandoned")  # indexed by the engine's state codes
assert (WAITING, ANSWERED, ABANDONED) == (0, 1, 2)


@dataclass(frozen=True, slots=True)
class ReplicationRecords:
    """Contacts that arrived in the measured period (arrival order) and agent time per interval.

    `wait_s` is the time to answer, to abandonment, or (still in system) to the end.
    """

    replication: int
    arrival_s: np.ndarray
    queue: np.ndarray
    outcome: np.ndarray     # 0 in_system, 1 answered, 2 abandoned
    wait_s: np.ndarray
    answer_s: np.ndarray
    end_s: np.ndarray
    group: np.ndarray
    handle_s: np.ndarray    # drawn handle time; served only if answered
    busy_s: np.ndarray      # (groups, intervals) agent-seconds busy
    present_s: np.ndarray   # (groups, intervals) agent-seconds present


def run_replication(plan: Plan, seed: int, replication: int) -> ReplicationRecords:
    """Simulate replication number `replication` of `plan` with base seed `seed`."""
    arrivals = draw_arrivals(plan, seed, replication)
    records = Engine(plan, arrivals).run()
    busy = busy_seconds(plan, records.answer_s, records.end_s, records.group)
    measured = arrivals.time >= plan.start_s
    state = records.state[measured]
    arrival = arrivals.time[measured]
    answer = records.answer_s[measured]
    end = records.end_s[measured]
    wait = np.where(state == ANSWERED, answer, np.where(state == ABANDONED, end, plan.end_s)) - arrival
    return ReplicationRecords(
        replication=replication,
        arrival_s=arrival,
        queue=arrivals.queue[measured],
        outcome=state,
        wait_s=wait,
        answer_s=answer,
        end_s=end,
        group=records.group[measured],
        handle_s=arrivals.handle_s[measured],
        busy_s=busy,
        present_s=records.present_s,
    )


def busy_seconds(plan: Plan, start_s: np.ndarray, end_s: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Agent-seconds of service per (group, interval), clipping services to interval bounds.

    Uses B(t) = sum over services of clip(t - start, 0, end - start), evaluated at every
    interval boundary with sorted cumulative sums, so the cost is O(n log n) in services.
    """
    bounds_lo = plan.interval_start
    bounds_hi = plan.interval_start + plan.interval_s
    busy = np.zeros((plan.n_groups, plan.n_intervals))
    served = group >= 0
    for g in range(plan.n_groups):
        mine = served & (group == g)
        busy[g] = _busy_until(start_s[mine], end_s[mine], bounds_hi) - _busy_until(start_s[mine], end_s[mine], bounds_lo)
    return busy


def _busy_until(start: np.ndarray, end: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Total service time before each time in `t`."""
    starts, ends = np.sort(start), np.sort(end)
    cum_start = np.concatenate([[0.0], np.cumsum(starts)])
    cum_end = np.concatenate([[0.0], np.cumsum(ends)])
    n_started = np.searchsorted(starts, t, side="right")
    n_ended = np.searchsorted(ends, t, side="right")
    return (t * n_started - cum_start[n_started]) - (t * n_ended - cum_end[n_ended])
