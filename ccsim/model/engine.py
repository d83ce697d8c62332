"""The event loop of one replication, on SimPy's Environment used as a bare event kernel.

Three kinds of events drive everything: an arrival, a patience timer running out, and a
service completing. They are SimPy timeouts with plain callbacks; one generator feeds the
arrivals and one changes staffing at interval boundaries. Contacts are integers indexing
preallocated lists; waiting lines are deques the engine owns (abandoned contacts are
marked and skipped lazily); idle agents wait in one deque per group, longest idle first.
Routing decisions are delegated to a `RoutingPolicy`. No pandas, no logging in here.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
import simpy

from ccsim.model.arrivals import Arrivals
from ccsim.model.plan import Plan
from ccsim.policies import get_policy

WAITING, ANSWERED, ABANDONED = 0, 1, 2


@dataclass(slots=True)
class Agent:
    """One agent of group `group`; `contact` is the contact in hand (-1 when idle)."""

    group: int
    idle_since: float
    contact: int = -1


@dataclass(frozen=True, slots=True)
class EngineRecords:
    """What one replication leaves behind: per-contact outcomes (arrival order) and agent presence."""

    state: np.ndarray        # WAITING (still in system at the end), ANSWERED or ABANDONED
    answer_s: np.ndarray     # answer time, nan if never answered
    end_s: np.ndarray        # service end (maybe after the horizon) or abandonment time; nan if waiting
    group: np.ndarray        # serving agent group, -1 if none
    present_s: np.ndarray    # (groups, intervals): agent-seconds present in each interval


class Engine:
    """Simulates one replication of a `Plan` for a given set of arrivals."""

    def __init__(self, plan: Plan, arrivals: Arrivals):
        self.plan = plan
        self.arrivals = arrivals
        n = len(arrivals)
        self.env = simpy.Environment(initial_time=plan.start_s - plan.warmup_s)
        self.arrival_s = arrivals.time.tolist()
        self.queue_of = arrivals.queue.tolist()
        self.handle_s = arrivals.handle_s.tolist()
        self.patience_s = arrivals.patience_s.tolist()
        self.state = [WAITING] * n
        self.answer_s = [math.nan] * n
        self.end_s = [math.nan] * n
        self.served_by = [-1] * n
        self.waiting: list[deque[int]] = [deque() for _ in range(plan.n_queues)]
        self.n_waiting = [0] * plan.n_queues
        self.idle: list[deque[Agent]] = [deque() for _ in range(plan.n_groups)]
        self.busy = [0] * plan.n_groups
        self.leaving = [0] * plan.n_groups
        self.present_s = np.zeros((plan.n_groups, plan.n_intervals + 1))
        self._slot = plan.n_intervals   # the last column collects time outside the intervals
        self._since = [self.env.now] * plan.n_groups
        self.policy = get_policy(plan.policy)(self)

    # -- what policies read ----------------------------------------------------------
    def oldest_arrival(self, queue: int) -> float:
        """Arrival time of the longest-waiting contact of a queue with `n_waiting[queue] > 0`."""
        line, state = self.waiting[queue], self.state
        while state[line[0]] != WAITING:
            line.popleft()
        return self.arrival_s[line[0]]

    # -- running ---------------------------------------------------------------------
    def run(self) -> EngineRecords:
        env = self.env
        env.process(self._arrive_all())
        env.process(self._staffing())
        env.run(until=self.plan.end_s)
        self._account_all()
        state = np.array(self.state, dtype=np.int8)
        answer = np.array(self.answer_s)
        end = np.array(self.end_s)
        answered = state == ANSWERED
        end[answered] = answer[answered] + self.arrivals.handle_s[answered]
        return EngineRecords(state, answer, end, np.array(self.served_by, dtype=np.int64),
                             self.present_s[:, :-1].copy())

    def _arrive_all(self):
        env, timeout = self.env, self.env.timeout
        arrive = self._arrive
        for contact, time in enumerate(self.arrival_s):
            delay = time - env.now
            if delay > 0:
                yield timeout(delay)
            arrive(contact)

    def _arrive(self, contact: int) -> None:
        queue = self.queue_of[contact]
        group = self.policy.select_agent(queue)
        if group is not None:
            self._start(self.idle[group].popleft(), contact)
            return
        self.waiting[queue].append(contact)
        self.n_waiting[queue] += 1
        patience = self.patience_s[contact]
        if patience != math.inf:
            self.env.timeout(patience, contact).callbacks.append(self._patience_over)

    def _patience_over(self, event: simpy.Event) -> None:
        contact = event._value
        if self.state[contact] == WAITING:
            self.state[contact] = ABANDONED
            self.end_s[contact] = self.env.now
            self.n_waiting[self.queue_of[contact]] -= 1

    def _start(self, agent: Agent, contact: int) -> None:
        self.state[contact] = ANSWERED
        self.answer_s[contact] = self.env.now
        self.served_by[contact] = agent.group
        agent.contact = contact
        self.busy[agent.group] += 1
        self.env.timeout(self.handle_s[contact], agent).callbacks.append(self._finish)

    def _finish(self, event: simpy.Event) -> None:
        agent: Agent = event._value
        group = agent.group
        agent.contact = -1
        if self.leaving[group]:
            self._account(group)  # the leaving agent was present up to now
            self.leaving[group] -= 1
            self.busy[group] -= 1
            return
        self.busy[group] -= 1
        self._dispatch(agent)

    def _dispatch(self, agent: Agent) -> None:
        """Give a free agent the next waiting contact its policy picks, or make it idle."""
        queue = self.policy.select_queue(agent)
        if queue is None:
            agent.idle_since = self.env.now
            self.idle[agent.group].append(agent)
            return
        line, state = self.waiting[queue], self.state
        contact = line.popleft()
        while state[contact] != WAITING:
            contact = line.popleft()
        self.n_waiting[queue] -= 1
        self._start(agent, contact)

    # -- staffing --------------------------------------------------------------------
    def _staffing(self):
        """Set each group's staff at every interval start; close (staff 0) between days."""
        plan, env = self.plan, self.env
        for time, slot, staff in self._staff_timeline():
            if time > env.now:
                yield env.timeout(time - env.now)
            self._account_all()
            self._slot = slot
            for group, target in enumerate(staff):
                self._set_staff(group, int(target))

    def _staff_timeline(self) -> list[tuple[float, int, np.ndarray]]:
        plan = self.plan
        outside = plan.n_intervals
        timeline = [(plan.start_s - plan.warmup_s, outside, plan.staff[:, 0])] if plan.warmup_s > 0 else []
        closed = np.zeros(plan.n_groups, dtype=int)
        for k, start in enumerate(plan.interval_start):
            timeline.append((float(start), k, plan.staff[:, k]))
            end = start + plan.interval_s
            if k + 1 < plan.n_intervals and plan.interval_start[k + 1] > end + 1e-9:
                timeline.append((float(end), outside, closed))
        return timeline

    def _set_staff(self, group: int, target: int) -> None:
        idle = self.idle[group]
        change = target - (len(idle) + self.busy[group] - self.leaving[group])
        if change > 0:
            kept = min(self.leaving[group], change)
            self.leaving[group] -= kept
            for _ in range(change - kept):
                self._dispatch(Agent(group, self.env.now))
        elif change < 0:
            leave_now = min(len(idle), -change)
            for _ in range(leave_now):
                idle.pop()
            # busy agents leave when they finish the contact in hand
            self.leaving[group] += -change - leave_now

    def _account(self, group: int) -> None:
        now = self.env.now
        present = len(self.idle[group]) + self.busy[group]
        self.present_s[group, self._slot] += present * (now - self._since[group])
        self._since[group] = now

    def _account_all(self) -> None:
        for group in range(self.plan.n_groups):
            self._account(group)
