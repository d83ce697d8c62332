"""Process flows: transfers, resolution and tiers, repeat contacts, retrials, escalation on
waiting, callbacks and multi-stage processes — where a contact goes after a leg.

Each feature costs nothing when a scenario does not use it: the engine and its lanes look up
`after_of` (per queue, None when nothing is decided after a service) and ask `escalates` and
`offers_callbacks` (plain flags) before calling in here. Flows own their random draws, the
stage log and the count of customers coming back; they create legs and contacts through the
engine and hand them to `Engine.offer`, or, for a process stage, to its line's lane directly
(`Engine.offer_of`). The hot steps (a queue's after-service decision, a resolved service moving
its process on, entering a stage, arming a wait-limit timer) are closures built once per
replication over what they touch, as in `lanes.py`; a stage done and the next one entered are
one call (`moved_on`, in place of `resolved` logging the stage, then `enter`, then `entered`):
the bundled after_sales scenario ran 1.07x faster with it (4 replications, KPI tables included,
5 interleaved rounds, medians, 2026-11-26, a shared machine). Where every leg of a queue is one
stage's, that stage's step runs right after the service, without `resolved` finding the contact's
process and stage: after_sales 1.03x more. Wait-limit timers and stage delays sit in the
heap one at a time per stage or rule (`kernel.TimerChain`): most legs are answered before their
limit, and their timers then never become events.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappush
from itertools import repeat
from typing import TYPE_CHECKING

import numpy as np
from simpy.events import NORMAL

from ccsim.model.states import (
    CALLBACK, CALLBACK_LEG, ESCALATED, ESCALATION, REPEAT, RETRIAL, STAGE, TIER,
    TRANSFER, TRANSFERRED, UNRESOLVED, WAITING,
)
from ccsim.model.plan.compiled import ramp_share
from ccsim.model.plan.deadlines import due_s
from ccsim.model.kernel import TimerChain
from ccsim.model.streams import draws, stream
from ccsim.scenario.calendar import CalendarLimit

if TYPE_CHECKING:
    from ccsim.model.engine import Engine
    from ccsim.model.plan import StagePlan

INF = math.inf


def _always(value: object) -> bool:
    """A stage delay always matters."""
    return True


class Flows:
    """Where contacts go after service, on a long wait, on abandonment and on arrival."""

    # wait-limit timers and stage delays in `TimerChain`s (False: each on the heap; the same events)
    chains_timers = True

    def __init__(self, engine: "Engine", seed: int, replication: int):
        self.engine = engine
        self.plan = plan = engine.plan
        flows = plan.flows
        keys = plan.stream_key

        def drawn(purpose, q, dist=None):
            def make():
                rng = stream(seed, replication, purpose, keys[q])
                return rng.random if dist is None else lambda n: dist.sample(rng, n)
            return draws(make)

        nq = plan.n_queues
        self.handle_later = [drawn("handle_time_later", q, plan.handle_time[q]) for q in range(nq)]
        self.patience_later = [repeat(INF).__next__ if plan.patience[q] is None
                               else drawn("patience_later", q, plan.patience[q]) for q in range(nq)]
        self.transfer_draw = [drawn("transfer", q) for q in range(nq)]
        self.resolution_draw = [drawn("resolution", q) for q in range(nq)]
        self.repeat_draw = [drawn("repeat", q) for q in range(nq)]
        self.retrial_draw = [drawn("retrial", q) for q in range(nq)]
        self.callback_draw = [drawn("callback", q) for q in range(nq)]
        self.delay_draw = {}
        for q in range(nq):
            for kind, retry in ((REPEAT, flows.repeat[q]), (RETRIAL, flows.retrial[q])):
                if retry is not None:
                    self.delay_draw[kind, q] = drawn("delay", q, retry.delay)
        self.escalates = any(e is not None for e in flows.escalation) or any(
            s.escalate_line >= 0 for stages in plan.stages for s in stages)
        self.offers_callbacks = any(c is not None for c in flows.callback)
        self.mean_handle = [d.mean for d in plan.handle_time]
        self.fcr_change = plan.fcr_change.tolist()
        self.pilot_fcr = plan.pilot_fcr_change.tolist()
        # per group and queue: the FCR of a customer outside any pilot
        self.fcr = [[min(max(flows.fcr[q] + change[q], 0.0), 1.0) for q in range(nq)] for change in self.fcr_change]
        # per queue: may a service end in anything but resolution (a transfer, an FCR below 1, a pilot)?
        # (a learning ramp moves a group's FCR from the queue's own towards its changed one)
        ramped = any(r is not None for r in plan.ramp)
        self.may_route = [bool(flows.transfers[q]) or engine.has_pilot
                          or any(fcr[q] < 1.0 for fcr in self.fcr) or (ramped and flows.fcr[q] < 1.0)
                          for q in range(nq)]
        self.groups_for = [[g for g in range(plan.n_groups) if q in plan.rank[g]] for q in range(nq)]
        self.lines_for = [[line for line, lq in enumerate(plan.line_queue) if lq == q] for q in range(nq)]
        # five numbers per completed stage: contact, process, stage, entry s, done s (flat: a flat
        # list becomes an array three times faster than a list of tuples)
        self.stage_log: list[float] = []
        self.returns_scheduled = 0
        self.returns_arrived = 0
        # per process, per stage: its wait limit as (limit, plain seconds?, escalation line, its
        # queue), or None; and `enter(contact, leg=-1)` (filled by `bind` once the offer lanes are set)
        self._stage_limit = [[None if s.escalate_line < 0 else
                              (s.time_limit_s, not isinstance(s.time_limit_s, CalendarLimit), s.escalate_line,
                               s.escalate_queue) for s in stages] for stages in plan.stages]
        self._enter: list[list[Callable[..., None]]] = []
        # per process, per stage: `done(leg)`, the service of `leg` resolved its contact, in the
        # stage: the stage is done now (filled by `bind`)
        self._done: list[list[Callable[[int], None]]] = []
        self._resolved = self._resolved_step(engine)
        self.arm_escalation = self._arm_step(engine)
        # per queue: what runs after a service of one of its legs (None: nothing to decide)
        self.after_of = [None if not flows.after_service[q] else
                         self._after_service_step(engine, q) if self.may_route[q] else self._resolved
                         for q in range(nq)]

    def bind(self) -> None:
        """Build each stage's entry step, which offers its legs straight to their line's lane."""
        engine = self.engine

        def stage_due(due: tuple[int, int, Callable[[int, int], None], TimerChain | None]) -> None:
            """A stage's delay is over: its contact (with its prepared leg, or -1) enters it now."""
            contact, leg, entered, timers = due
            if timers is not None:
                timers.advance()
            entered(contact, leg)

        self._stage_due = stage_due     # the callback of every stage delay (`chunks` looks for it)
        steps = [[self._entry_step(engine, number, stage, index, engine.offer_of(stage.line), stage_due)
                  for index, stage in enumerate(stages)] for number, stages in enumerate(self.plan.stages)]
        self._enter[:] = [[enter for enter, _ in process] for process in steps]
        # per process, per stage: what `resolved` runs when the stage is done (the next stage's
        # `moved_on`; the last stage's only logs itself)
        self._done[:] = [[*(moved_on for _, moved_on in process[1:]), self._last_step(engine, number, len(process) - 1)]
                         for number, process in enumerate(steps)]
        # a queue whose every leg is one stage's: after its service, that stage's `done` itself
        # (in place of `resolved` looking up the contact's process and stage)
        for queue, stage in enumerate(self._stage_of_queue()):
            if stage is not None and self.after_of[queue] is self._resolved:
                self.after_of[queue] = self._done[stage[0]][stage[1]]

    def _stage_of_queue(self) -> list[tuple[int, int] | None]:
        """Per queue: (process, stage) where every leg of the queue is one of that stage's (one
        stage uses it; no fresh contact of its own, no leg moved into it, no customer coming back
        to it), else None."""
        plan, flows = self.plan, self.plan.flows
        users: list[set] = [set() for _ in range(plan.n_queues)]
        for process, stages in enumerate(plan.stages):
            for index, stage in enumerate(stages):
                users[stage.queue].add((process, index))
        targets = [line for rules in flows.transfers for _, line in rules] + [*flows.tier_line] + \
            [rule.line for rule in (*flows.escalation, *flows.callback) if rule is not None] + \
            [stage.escalate_line for stages in plan.stages for stage in stages]
        for line in targets:
            if line >= 0:
                users[plan.line_queue[line]].add(None)
        for source in range(len(plan.source_key)):
            queue, process = plan.source_entry(source)
            if process < 0 and plan.rates_per_s[source].any():
                users[queue].add(None)
        for queue in range(plan.n_queues):
            if flows.retrial[queue] is not None or flows.repeat[queue] is not None:
                users[queue].add(None)
        return [next(iter(used)) if len(used) == 1 else None for used in users]

    def _resolved_step(self, engine: "Engine") -> Callable[[int], None]:
        """`resolved(leg)`: the service of `leg` resolved its contact; the contact's process (if
        any) logs the stage done and enters its next stage (`done`, built by `bind`)."""
        leg_contact, process_of, stage_of, done = engine.legs.contact, engine.contacts.process, \
            engine.contacts.stage, self._done

        def resolved(leg: int) -> None:
            contact = leg_contact[leg]
            process = process_of[contact]
            if process >= 0:
                done[process][stage_of[contact]](leg)

        return resolved

    def _last_step(self, engine: "Engine", process: int, index: int) -> Callable[[int], None]:
        """`done(leg)`: the service of `leg` resolved its contact in its last stage, number `index`
        of process number `process`: the stage is logged."""
        stage_entry, kernel, leg_contact = engine.contacts.stage_entry, engine.kernel, engine.legs.contact

        def done(leg: int) -> None:
            contact = leg_contact[leg]
            self.stage_log += (contact, process, index, stage_entry[contact], kernel.now)

        return done

    def take_stages(self, number: np.ndarray | None) -> np.ndarray:
        """(n, 5) completed stages (contact, process, stage, entry s, done s) taken out of the log:
        those of the contacts `number` numbers (number[contact] >= 0), with those numbers as
        contacts; None: every stage, as logged."""
        log = np.array(self.stage_log, dtype=float).reshape(-1, 5)
        if number is None:
            self.stage_log = []
            return log
        mine = number[log[:, 0].astype(np.int64)] >= 0
        self.stage_log = log[~mine].ravel().tolist()
        taken = log[mine]
        taken[:, 0] = number[taken[:, 0].astype(np.int64)]
        return taken

    # -- after a service ---------------------------------------------------------------
    def _after_service_step(self, engine: "Engine", q: int) -> Callable[[int], None]:
        """`decide_after_service` for a leg of queue `q`, as a closure over the queue's rules and
        draws; where a pilot or a learning ramp changes the FCR over time, the method itself."""
        plan, flows = self.plan, self.plan.flows
        if engine.has_pilot or any(ramp is not None for ramp in plan.ramp):
            return self.decide_after_service
        legs, contacts = engine.legs, engine.contacts
        leg_contact, result, served_by, leg_stage = legs.contact, legs.result, legs.group, legs.stage
        transferred, escalations, attempt = contacts.transfers, contacts.escalations, contacts.attempt
        transfers, transfer_draw, resolution_draw = flows.transfers[q], self.transfer_draw[q], self.resolution_draw[q]
        fcr_of = [fcr[q] for fcr in self.fcr]      # per group that served the leg
        tier, repeat = flows.tier_line[q], flows.repeat[q]
        repeat_draw, move, schedule_return, resolved = self.repeat_draw[q], self._move, self._schedule_return, self._resolved

        def after(leg: int) -> None:
            contact = leg_contact[leg]
            if transfers:
                u = transfer_draw()
                for cumulative, line in transfers:
                    if u < cumulative:
                        result[leg] = TRANSFERRED
                        transferred[contact] += 1
                        move(contact, line, TRANSFER, leg_stage[leg])
                        return
            fcr = fcr_of[served_by[leg]]
            if fcr < 1.0 and resolution_draw() >= fcr:
                result[leg] = UNRESOLVED
                if tier >= 0:
                    escalations[contact] += 1
                    move(contact, tier, TIER, leg_stage[leg])
                elif repeat is not None and attempt[contact] < repeat.max_attempts \
                        and repeat_draw() < repeat.probability:
                    schedule_return(contact, q, REPEAT)
                return
            resolved(leg)

        return after

    def decide_after_service(self, leg: int) -> None:
        """Transfer, escalate to the next tier, schedule a repeat contact, or move to the next stage."""
        legs, contacts, flows = self.engine.legs, self.engine.contacts, self.plan.flows
        q, contact = legs.queue[leg], legs.contact[leg]
        if not self.may_route[q]:
            self._resolved(leg)
            return
        transfers = flows.transfers[q]
        if transfers:
            u = self.transfer_draw[q]()
            for cumulative, line in transfers:
                if u < cumulative:
                    legs.result[leg] = TRANSFERRED
                    contacts.transfers[contact] += 1
                    self._move(contact, line, TRANSFER, legs.stage[leg])
                    return
        group = legs.group[leg]
        ramp = self.plan.ramp[group]
        if self.engine.has_pilot and self.engine.in_pilot(leg):
            now = self.engine.kernel.now
            change = self.fcr_change[group][q] * ramp_share(ramp, now) \
                + self.pilot_fcr[q] * ramp_share(self.plan.pilot_ramp, now)
            fcr = min(max(flows.fcr[q] + change, 0.0), 1.0)
        elif ramp is not None:
            fcr = min(max(flows.fcr[q] + self.fcr_change[group][q] * ramp_share(ramp, self.engine.kernel.now), 0.0), 1.0)
        else:
            fcr = self.fcr[group][q]
        if fcr < 1.0 and self.resolution_draw[q]() >= fcr:
            legs.result[leg] = UNRESOLVED
            tier = flows.tier_line[q]
            if tier >= 0:
                contacts.escalations[contact] += 1
                self._move(contact, tier, TIER, legs.stage[leg])
                return
            repeat = flows.repeat[q]
            if repeat is not None and contacts.attempt[contact] < repeat.max_attempts \
                    and self.repeat_draw[q]() < repeat.probability:
                self._schedule_return(contact, q, REPEAT)
            return
        self._resolved(leg)

    def _move(self, contact: int, line: int, origin: int, stage: int) -> None:
        queue = self.plan.line_queue[line]
        engine = self.engine
        engine.offer(engine.new_leg(contact, queue, line, origin, self.handle_later[queue](),
                                    self.patience_later[queue](), stage))

    # -- customers coming back ---------------------------------------------------------
    def after_abandon(self, leg: int) -> None:
        """A leg was abandoned: the customer may try again later."""
        legs, contacts = self.engine.legs, self.engine.contacts
        q, contact = legs.queue[leg], legs.contact[leg]
        retrial = self.plan.flows.retrial[q]
        if retrial is not None and contacts.attempt[contact] < retrial.max_attempts \
                and self.retrial_draw[q]() < retrial.probability:
            self._schedule_return(contact, q, RETRIAL)

    def _schedule_return(self, contact: int, queue: int, kind: int) -> None:
        self.returns_scheduled += 1
        contacts = self.engine.contacts
        payload = (contacts.customer[contact], contacts.attempt[contact] + 1, kind, queue)
        self.engine.kernel.at(self.delay_draw[kind, queue](), self._return, payload)

    def _return(self, payload: tuple[int, int, int, int]) -> None:
        customer, attempt, kind, queue = payload
        self.returns_arrived += 1
        engine = self.engine
        contact = engine.new_contact(customer, attempt, kind, -1)
        engine.offer(engine.new_leg(contact, queue, self.plan.queue_line[queue], kind,
                                    self.handle_later[queue](), self.patience_later[queue](), -1))

    # -- escalation on waiting -----------------------------------------------------------
    def _arm_step(self, engine: "Engine") -> Callable[[int], None]:
        """`arm_escalation(leg)`: start the wait-limit timer of a leg that just started waiting,
        if a rule applies (the stage's limit for a process leg, else its queue's rule). The timers
        of one stage's plain limit, or of one queue's rule, form a `TimerChain` (most legs are
        answered before their limit); a timer set out of order (a leg transferred within its
        stage) and a calendar limit's go on the heap directly."""
        legs, contacts, kernel, calendar = engine.legs, engine.contacts, engine.kernel, self.plan.calendar
        leg_origin, leg_stage, leg_contact, leg_queue, state = legs.origin, legs.stage, legs.contact, legs.queue, \
            legs.state
        process_of, stage_entry = contacts.process, contacts.stage_entry
        heap, ids, wait_limit = kernel._heap, kernel._ids, self._wait_limit

        def waiting(limit: tuple[int, int, int, object]) -> bool:
            # a leg that stopped waiting never waits again (its row is not taken by another leg
            # while a timer refers to it: `Kernel.pending` reports chained timers)
            return state[limit[0]] == WAITING

        def chain() -> TimerChain | None:
            return kernel.chain(waiting) if self.chains_timers else None

        # per process, per stage: (limit, plain seconds?, escalation line, its queue, chain), or None
        stage_limit = [[None if limit is None else (*limit, chain() if limit[1] else None) for limit in stages]
                       for stages in self._stage_limit]
        # per queue: (after s, escalation line, its queue, chain), or None
        rules = [None if rule is None else (*rule, chain()) for rule in self.plan.flows.escalation]

        def arm_escalation(leg: int) -> None:
            origin = leg_origin[leg]
            if origin == CALLBACK_LEG:
                return
            stage = leg_stage[leg]
            if stage >= 0 and origin != ESCALATION:
                contact = leg_contact[leg]
                limit = stage_limit[process_of[contact]][stage]
                if limit is not None:
                    limit_s, plain, line, queue, timers = limit
                    entry_s = stage_entry[contact]
                    due = entry_s + limit_s if plain else float(due_s(calendar, limit_s, entry_s))
                    if due < INF:               # a due time past the calendar's end never comes
                        now = kernel.now        # Kernel.at(max(due - now, 0), ...), inline
                        delay_s = due - now
                        if delay_s < 0.0:
                            delay_s = 0.0
                        if timers is None or not timers.at(now + delay_s, wait_limit, (leg, line, queue, timers)):
                            heappush(heap, (now + delay_s, NORMAL, next(ids), wait_limit, (leg, line, queue, None)))
                return
            rule = rules[leg_queue[leg]]
            if rule is not None:
                after, line, queue, timers = rule
                time_s = kernel.now + after
                if timers is None or not timers.at(time_s, wait_limit, (leg, line, queue, timers)):
                    heappush(heap, (time_s, NORMAL, next(ids), wait_limit, (leg, line, queue, None)))

        return arm_escalation

    def _wait_limit(self, limit: tuple[int, int, int, TimerChain | None]) -> None:
        leg, line, queue, timers = limit
        if timers is not None:
            timers.advance()
        engine = self.engine
        legs, lines, now = engine.legs, engine.lines, engine.kernel.now
        # most legs were answered before their limit: settled by their state, no purge of the lines
        if legs.state[leg] != WAITING or not lines.is_waiting(leg):
            return
        contact = legs.contact[leg]
        engine.contacts.escalations[contact] += 1
        if queue == legs.queue[leg]:
            # raised in place: the same leg waits on in the higher-priority line
            legs.line[leg] = line
            lines.move(leg, line, legs.enqueue[leg], engine.deadline(leg, line))
            return
        lines.drop(leg)
        legs.state[leg] = ESCALATED
        legs.end[leg] = now
        remaining = legs.patience[leg] - (now - legs.enqueue[leg])
        engine.offer(engine.new_leg(contact, queue, line, ESCALATION, self.handle_later[queue](),
                                    remaining, legs.stage[leg]))

    # -- callbacks ---------------------------------------------------------------------
    def offer_callback(self, leg: int) -> bool:
        """Offer a callback to a caller about to wait; True if it was accepted."""
        engine = self.engine
        legs, now = engine.legs, engine.kernel.now
        q = legs.queue[leg]
        rule = self.plan.flows.callback[q]
        if rule is None or legs.origin[leg] > RETRIAL:
            return False
        offer_over, acceptance, _, line = rule
        waiting = sum(engine.lines.n_waiting(ln) for ln in self.lines_for[q])
        agents = sum(engine.pools[g].staffed() for g in self.groups_for[q])
        expected_wait = (waiting + 1) * self.mean_handle[q] / agents if agents > 0 else INF
        if expected_wait <= offer_over or self.callback_draw[q]() >= acceptance:
            return False
        legs.state[leg] = CALLBACK
        legs.end[leg] = now
        callback = engine.new_leg(legs.contact[leg], q, line, CALLBACK_LEG, legs.handle[leg], INF, legs.stage[leg])
        engine.lines.enqueue(callback, line, now)
        return True

    # -- multi-stage processes -----------------------------------------------------------
    def arrival_step(self, process: int) -> Callable[[int], None]:
        """`arrive(leg)`: the fresh contact of the prepared first leg `leg`, of process number
        `process`, enters its first stage."""
        leg_contact, enter = self.engine.legs.contact, self._enter[process][0]

        def arrive(leg: int) -> None:
            enter(leg_contact[leg], leg)

        return arrive

    def _entry_step(self, engine: "Engine", process: int, stage: "StagePlan", index: int,
                    offer: Callable[[int], None], due: Callable[[tuple], None]) -> tuple[Callable[..., None],
                                                                                         Callable[[int], None]]:
        """(`enter(contact, leg=-1)`, `moved_on(leg)`) of stage number `index` (`stage`) of
        process number `process`. `enter`: the contact enters the stage now, or after the
        stage's delay (then `due` runs); `leg` is a prepared leg, else a new one is made.
        `moved_on(leg)`: the service of `leg` resolved its contact in the previous stage: that
        stage is logged and the contact enters this one. `offer` offers a leg to the stage's line."""
        kernel, contacts, enqueue, add = engine.kernel, engine.contacts, engine.legs.enqueue, engine._add_leg
        leg_contact = engine.legs.contact
        pending, stage_entry, first_leg, last_leg, stage_of = contacts.pending, contacts.stage_entry, \
            contacts.first_leg, contacts.last_leg, contacts.stage
        heap, ids = kernel._heap, kernel._ids
        queue, line, delay_s, previous = stage.queue, stage.line, stage.delay_s, index - 1
        handle, patience = self.handle_later[queue], self.patience_later[queue]

        def entered(contact: int, leg: int = -1) -> None:
            pending[contact] = 0
            now = kernel.now
            stage_entry[contact] = now
            if leg >= 0:
                enqueue[leg] = now
            else:                           # Engine.new_leg, inline
                leg = add(contact, queue, line, now, handle(), patience(), STAGE, index)
                if first_leg[contact] < 0:
                    first_leg[contact] = leg
                last_leg[contact] = leg
            offer(leg)

        if delay_s <= 0:
            def moved_on(leg: int) -> None:
                # the previous stage's `done`, then `entered(contact)`, inline (one call for three);
                # its contact has a leg already (no first_leg to set)
                contact = leg_contact[leg]
                now = kernel.now
                self.stage_log += (contact, process, previous, stage_entry[contact], now)
                stage_of[contact] = index
                pending[contact] = 0
                stage_entry[contact] = now
                leg = last_leg[contact] = add(contact, queue, line, now, handle(), patience(), STAGE, index)
                offer(leg)

            return entered, moved_on
        # the stage's delays end in the order they start: one at a time in the heap
        timers = kernel.chain(_always) if self.chains_timers else None

        def enter(contact: int, leg: int = -1) -> None:
            if pending[contact]:
                entered(contact, leg)
                return
            pending[contact] = 1            # `due` calls `entered` (value[0]: the contact)
            time_s = kernel.now + delay_s
            if timers is None:
                heappush(heap, (time_s, NORMAL, next(ids), due, (contact, leg, entered, None)))
            else:                           # never out of order: the same delay from a later time
                timers.at(time_s, due, (contact, leg, entered, timers))

        def moved_on_later(leg: int) -> None:
            # the previous stage's `done` inline, then `enter(contact)`, which starts the delay
            contact = leg_contact[leg]
            self.stage_log += (contact, process, previous, stage_entry[contact], kernel.now)
            stage_of[contact] = index
            enter(contact)

        return enter, moved_on_later
