"""The event loop of one replication, on SimPy's Environment used as a bare event kernel.

Events are bare SimPy events (`Timer`) with plain callbacks: the next fresh arrival, a patience
timer running out, a service completing; one SimPy process changes staffing at interval
boundaries. A *contact* is one attempt of a customer; each visit of a contact to a queue is a
*leg* (a transfer or an escalation starts a new leg). Contacts and legs are integers indexing
plain lists; waiting legs sit in deques per line that the engine owns (abandoned or moved
legs are skipped lazily); idle agents wait in one deque per group, longest idle first.
Routing decisions belong to a `RoutingPolicy`, process flows to `FlowMixin`. No pandas and
no logging in here."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from heapq import heappush

import numpy as np
import simpy
from simpy.events import NORMAL

from ccsim.model.arrivals import Arrivals, draw_arrivals
from ccsim.model.availability import AvailabilityMixin
from ccsim.model.chat import ChatMixin
from ccsim.model.flows import FlowMixin
from ccsim.model.plan import Plan
from ccsim.model.states import ANSWERED, FRESH, IN_SERVICE_AT_END, OPEN, RESOLVED, WAITING, WAITING_AT_END
from ccsim.model.streams import stream
from ccsim.policies import get_blending, get_policy

INF = math.inf


@dataclass(slots=True, eq=False)
class Agent:
    """One agent of group `group`: `leg` is the voice or email leg in hand (-1 if none), `chats`
    the number of chats in hand. Compared and hashed by identity."""

    group: int
    idle_since: float
    leg: int = -1
    chats: int = 0


class Timer:
    """The leanest SimPy event: a value and callbacks, scheduled straight onto the environment's heap.

    `Environment.step` reads only `callbacks`, `_ok` and `_value`; ordering ties are broken by the
    environment's own event counter, exactly as for `env.timeout`.
    """

    __slots__ = ("callbacks", "_value")
    _ok = True

    def __init__(self, callback, value):
        self.callbacks = [callback]
        self._value = value


@dataclass(frozen=True, slots=True)
class EngineRecords:
    """Everything one replication leaves behind, as arrays. Legs and contacts in creation order."""

    legs: dict[str, np.ndarray]
    contacts: dict[str, np.ndarray]
    stages: np.ndarray          # (n, 5): contact, process, stage, entry s, done s
    off: np.ndarray             # (n, 4): group, start s, end s, kind (BREAK, SHRINKAGE) of spells off work
    present_s: np.ndarray       # (groups, intervals): agent-seconds present in each interval
    returns_pending: int        # repeat contacts and retrials still scheduled at the end
    pilot_customers: np.ndarray  # (fresh contacts,) bool: the customer is in a pilot on contacts


# field name -> numpy dtype of the records
LEG_FIELDS = {"contact": int, "queue": int, "line": int, "enqueue": float, "handle": float,
              "patience": float, "state": int, "answer": float, "end": float, "group": int,
              "origin": int, "result": int, "stage": int}
CONTACT_FIELDS = {"customer": int, "attempt": int, "kind": int, "arrival": float, "process": int,
                  "stage": int, "stage_entry": float, "transfers": int, "escalations": int,
                  "last_leg": int, "pending": bool}


class Engine(FlowMixin, ChatMixin, AvailabilityMixin):
    """Simulates one replication of a `Plan`."""

    def __init__(self, plan: Plan, seed: int, replication: int, arrivals: Arrivals | None = None):
        self.plan = plan
        self.arrivals = draw_arrivals(plan, seed, replication) if arrivals is None else arrivals
        self.env = simpy.Environment(initial_time=plan.start_s - plan.warmup_s)
        self._heap, self._event_id = self.env._queue, self.env._eid
        self._preallocate_fresh()
        self.waiting: list[deque[int]] = [deque() for _ in range(plan.n_lines)]
        self.n_waiting = [0] * plan.n_lines
        self.idle: list[deque[Agent]] = [deque() for _ in range(plan.n_groups)]
        self.busy = [0] * plan.n_groups
        self.leaving = [0] * plan.n_groups
        self.present_s = np.zeros((plan.n_groups, plan.n_intervals + 1))
        self._slot = plan.n_intervals   # the last column collects time outside the intervals
        self._since = [self.env.now] * plan.n_groups
        self.after_service = plan.flows.after_service
        self.handle_factor = None if plan.handle_factor is None else plan.handle_factor.tolist()
        self.pilot_customer = (stream(seed, replication, "pilot").random(len(self.arrivals)) < plan.pilot_contacts
                               ).tolist() if plan.pilot_contacts > 0 else None
        self.pilot_factor = plan.pilot_handle_factor.tolist()
        self.pilot_fcr = plan.pilot_fcr_change.tolist()
        self.scales_handle = self.handle_factor is not None or self.pilot_customer is not None
        self.line_chat = tuple(plan.is_chat[q] for q in plan.line_queue)
        self.open_chat: list[dict[Agent, None]] = [{} for _ in range(plan.n_groups)]  # agents with room
        self.init_flows(seed, replication)
        self.init_availability()
        self.line_live = tuple(not d for d in plan.line_deferred)
        self.blending = get_blending(plan.blending)(self, plan.reserve, plan.live_quiet_s)
        self.tracks_quiet = plan.live_quiet_s > 0 and any(plan.line_deferred)
        self.last_live_leave = -INF        # when the last live contact stopped waiting
        self._wake_time = INF
        self.policy = get_policy(plan.policy)(self)

    def after(self, delay_s: float, callback, value) -> None:
        """Call `callback(event)` with `event._value = value` in `delay_s` seconds."""
        heappush(self._heap, (self.env._now + delay_s, NORMAL, next(self._event_id), Timer(callback, value)))

    # -- what policies read ----------------------------------------------------------
    def oldest_arrival(self, line: int) -> float:
        """Enqueue time of the longest-waiting leg of a line with `n_waiting[line] > 0`."""
        waiting, state, leg_line = self.waiting[line], self.leg_state, self.leg_line
        while state[waiting[0]] != WAITING or leg_line[waiting[0]] != line:
            waiting.popleft()
        return self.leg_enqueue[waiting[0]]

    def live_waiting(self) -> bool:
        """Does any live (not deferred) contact wait?"""
        n_waiting = self.n_waiting
        return any(n_waiting[line] for line, live in enumerate(self.line_live) if live)

    def wake_at(self, time_s: float) -> None:
        """Let idle agents look for work again at `time_s` (when a blending rule may allow it)."""
        if time_s < self._wake_time:
            self._wake_time = time_s
            self.after(time_s - self.env.now, self._wake, time_s)

    def _wake(self, event: simpy.Event) -> None:
        if event._value != self._wake_time:
            return                               # superseded by an earlier wake-up
        self._wake_time = INF
        for idle in self.idle:
            for agent in list(idle):
                line = self.policy.select_queue(agent)
                if line is None:
                    break                        # same group, same skills: the others find nothing either
                idle.remove(agent)
                self.serve(agent, line)

    # -- running ---------------------------------------------------------------------
    def run(self) -> EngineRecords:
        env = self.env
        if len(self.arrivals):
            self.after(self._arrival_times[0] - env.now, self._arrive, 0)
        env.process(self._staffing())
        env.run(until=self.plan.end_s)
        self._account_all()
        at_end = self._legs_at_end()
        legs = {name: np.array(getattr(self, f"leg_{name}"), dtype=t) for name, t in LEG_FIELDS.items()}
        legs["at_end"] = at_end
        answered = legs["state"] == ANSWERED    # a service ends one handle time after its answer
        legs["end"][answered] = legs["answer"][answered] + legs["handle"][answered]
        contacts = {name: np.array(getattr(self, f"contact_{name}"), dtype=t) for name, t in CONTACT_FIELDS.items()}
        stages = np.array(self.stage_log, dtype=float).reshape(-1, 5)
        off = np.array(self.off_spells(), dtype=float).reshape(-1, 4)
        return EngineRecords(legs, contacts, stages, off, self.present_s[:, :-1].copy(),
                             self.returns_scheduled - self.returns_arrived,
                             np.array(self.pilot_customer or [], dtype=bool))

    def _legs_at_end(self) -> np.ndarray:
        """Per leg at the end: DONE, WAITING_AT_END (found in a waiting line) or IN_SERVICE_AT_END
        (its service completion still scheduled), counted from the lines and pending events, not
        from the outcomes; a leg in service gets the result OPEN (no after-service decision ran)."""
        at_end = np.zeros(len(self.leg_state), dtype=np.int8)
        state, leg_line = self.leg_state, self.leg_line
        for line, waiting in enumerate(self.waiting):
            for leg in waiting:           # skip moved and finished legs, as `next_waiting` does
                if state[leg] == WAITING and leg_line[leg] == line:
                    at_end[leg] = WAITING_AT_END
        finish, finish_chat = self._finish, self._finish_chat
        for *_, event in self._heap:
            callback = event.callbacks[0] if event.callbacks else None
            if callback == finish:
                leg = event._value.leg
            elif callback == finish_chat:
                leg = event._value[1]
            else:
                continue
            at_end[leg] = IN_SERVICE_AT_END
            self.leg_result[leg] = OPEN
        return at_end

    def _preallocate_fresh(self) -> None:
        """Records for every fresh contact and its first leg, filled from the pre-drawn arrivals.

        Fresh contact i and its first leg i share the index of arrival i; contacts and legs that
        flows create later are appended after them. Arrival and enqueue times are set on arrival.
        """
        plan, arrivals = self.plan, self.arrivals
        n = len(arrivals)
        entry = [plan.source_entry(source) for source in range(len(plan.source_key))]
        queue = np.array([q for q, _ in entry] or [0])[arrivals.source]
        process = np.array([p for _, p in entry] or [0])[arrivals.source]
        line = np.array([plan.queue_line[q] if p < 0 else plan.stages[p][0].line for q, p in entry] or [0])
        stage = np.where(process >= 0, 0, -1).tolist()
        ids, nan = list(range(n)), [math.nan] * n
        self._arrival_times = arrivals.time.tolist()
        self._arrival_process = process.tolist()
        self.contact_customer, self.contact_attempt, self.contact_kind = ids[:], [1] * n, [FRESH] * n
        self.contact_arrival, self.contact_process, self.contact_stage = nan[:], self._arrival_process[:], stage[:]
        self.contact_stage_entry, self.contact_transfers, self.contact_escalations = nan[:], [0] * n, [0] * n
        self.contact_last_leg, self.contact_pending = ids[:], [False] * n
        self.leg_contact, self.leg_queue, self.leg_line = ids[:], queue.tolist(), line[arrivals.source].tolist()
        self.leg_enqueue, self.leg_handle, self.leg_patience = nan[:], arrivals.handle_s.tolist(), \
            arrivals.patience_s.tolist()
        self.leg_state, self.leg_answer, self.leg_end, self.leg_group = [WAITING] * n, nan[:], nan[:], [-1] * n
        self.leg_origin, self.leg_result, self.leg_stage = [FRESH] * n, [RESOLVED] * n, stage

    def _arrive(self, event: simpy.Event) -> None:
        """Fresh arrival i: offer its first leg (or start its process), then schedule arrival i + 1."""
        i = event._value
        now = self.env.now
        self.contact_arrival[i] = now
        if self._arrival_process[i] < 0:
            self.leg_enqueue[i] = now
            self.offer(i)
        else:
            self.start_process(i)
        if i + 1 < len(self._arrival_times):
            self.after(self._arrival_times[i + 1] - now, self._arrive, i + 1)

    def new_contact(self, customer: int, attempt: int, kind: int, process: int) -> int:
        """Register a contact (customer -1: a new customer) and return its index."""
        contact = len(self.contact_kind)
        self.contact_customer.append(contact if customer < 0 else customer)
        self.contact_attempt.append(attempt)
        self.contact_kind.append(kind)
        self.contact_arrival.append(self.env.now)
        self.contact_process.append(process)
        self.contact_stage.append(-1)
        self.contact_stage_entry.append(math.nan)
        self.contact_transfers.append(0)
        self.contact_escalations.append(0)
        self.contact_last_leg.append(-1)
        self.contact_pending.append(False)
        return contact

    def new_leg(self, contact: int, queue: int, line: int, origin: int, handle: float, patience: float,
                stage: int) -> int:
        """Register a leg of `contact` waiting in `line` from now; return its index."""
        leg = len(self.leg_state)
        self.leg_contact.append(contact)
        self.leg_queue.append(queue)
        self.leg_line.append(line)
        self.leg_enqueue.append(self.env.now)
        self.leg_handle.append(handle)
        self.leg_patience.append(patience)
        self.leg_state.append(WAITING)
        self.leg_answer.append(math.nan)
        self.leg_end.append(math.nan)
        self.leg_group.append(-1)
        self.leg_origin.append(origin)
        self.leg_result.append(RESOLVED)
        self.leg_stage.append(stage)
        self.contact_last_leg[contact] = leg
        return leg

    def offer(self, leg: int) -> None:
        """Hand a new leg to an idle agent, or let it wait (with its patience and escalation timers)."""
        line = self.leg_line[leg]
        group = self.policy.select_agent(line)
        if group is not None:
            if self.line_chat[line]:
                self.start_chat(self.chat_agent(group), leg)
            else:
                self._start(self.idle[group].popleft(), leg)
            return
        if self.offers_callbacks and self.offer_callback(leg):
            return
        self.waiting[line].append(leg)
        self.n_waiting[line] += 1
        patience = self.leg_patience[leg]
        if patience != INF:
            self.after(patience, self._patience_over, leg)
        if self.escalates:
            self.arm_escalation(leg)

    def _patience_over(self, event: simpy.Event) -> None:
        leg = event._value
        if self.leg_state[leg] == WAITING:
            self.abandon(leg)

    def in_pilot(self, leg: int) -> bool:
        """Is the customer of `leg` in a pilot on contacts?"""
        if self.pilot_customer is None:
            return False
        customer = self.contact_customer[self.leg_contact[leg]]
        return customer < len(self.pilot_customer) and self.pilot_customer[customer]

    def handle_scale(self, group: int, leg: int) -> float:
        """Factor on the handle time of `leg` served by `group`: the group's, and a pilot's."""
        queue = self.leg_queue[leg]
        factor = 1.0 if self.handle_factor is None else self.handle_factor[group][queue]
        return factor * self.pilot_factor[queue] if self.in_pilot(leg) else factor

    def _start(self, agent: Agent, leg: int) -> None:
        if self.scales_handle:
            self.leg_handle[leg] *= self.handle_scale(agent.group, leg)
        self.leg_state[leg] = ANSWERED
        self.leg_answer[leg] = self.env.now
        self.leg_group[leg] = agent.group
        agent.leg = leg
        self.busy[agent.group] += 1
        self.after(self.leg_handle[leg], self._finish, agent)

    def _finish(self, event: simpy.Event) -> None:
        agent: Agent = event._value
        leg = agent.leg
        agent.leg = -1
        if self.after_service[self.leg_queue[leg]]:
            self.decide_after_service(leg)
        self.release(agent)

    def release(self, agent: Agent) -> None:
        """An agent with nothing in hand: leaves if its group is shrinking, goes off work if asked
        (a break, shrinkage), else takes new work."""
        group = agent.group
        if self.leaving[group]:
            self._account(group)  # the leaving agent was present up to now
            self.leaving[group] -= 1
            self.busy[group] -= 1
            return
        if self.pending_off[group]:
            self._account(group)
            self.busy[group] -= 1
            self.go_off(agent, self.pending_off[group].popleft())
            return
        self.busy[group] -= 1
        self._dispatch(agent)

    def _dispatch(self, agent: Agent) -> None:
        """Give a free agent the next waiting leg its policy picks, or make it idle."""
        line = self.policy.select_queue(agent)
        if line is None:
            agent.idle_since = self.env.now
            self.idle[agent.group].append(agent)
            return
        self.serve(agent, line)

    def serve(self, agent: Agent, line: int) -> None:
        """`agent` (free) takes the oldest leg waiting in `line`, and more chats if it has room."""
        leg = self.next_waiting(line)
        if self.line_chat[line]:
            self.start_chat(agent, leg)
            self.fill_chats(agent)
        else:
            self._start(agent, leg)

    def next_waiting(self, line: int) -> int:
        """Remove and return the oldest leg still waiting in `line` (which has one)."""
        waiting, state, leg_line = self.waiting[line], self.leg_state, self.leg_line
        leg = waiting.popleft()
        while state[leg] != WAITING or leg_line[leg] != line:
            leg = waiting.popleft()
        self.n_waiting[line] -= 1
        if self.tracks_quiet and self.line_live[line]:
            self.last_live_leave = self.env.now
        return leg

    # -- staffing --------------------------------------------------------------------
    def _staffing(self):
        """Set each group's staff at every interval start; close (staff 0) between days."""
        env = self.env
        for time, slot, staff in self._staff_timeline():
            if time > env.now:
                yield env.timeout(time - env.now)
            self._account_all()
            self._slot = slot
            for group, target in enumerate(staff):
                self._set_staff(group, int(target))
            self.shrink(staff)

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
        change = target - (len(idle) + self.busy[group] + self.off[group] - self.leaving[group])
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

    def staffed(self, group: int) -> int:
        """Agents of `group` present and not about to leave."""
        return len(self.idle[group]) + self.busy[group] - self.leaving[group]

    def _account(self, group: int) -> None:
        now = self.env.now
        self.present_s[group, self._slot] += (len(self.idle[group]) + self.busy[group]) * (now - self._since[group])
        self._since[group] = now

    def _account_all(self) -> None:
        for group in range(self.plan.n_groups):
            self._account(group)
