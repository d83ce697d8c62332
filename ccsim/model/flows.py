"""Process flows on top of the engine core: transfers, resolution and tiers, repeat contacts,
retrials, escalation on waiting, callbacks and multi-stage processes.

Each feature costs nothing when a scenario does not use it: the core asks `after_service`,
`escalates` and `offers_callbacks` (plain flags) before calling in here.
"""

from __future__ import annotations

import math

import simpy

from ccsim.model.states import (
    ABANDONED, CALLBACK, CALLBACK_LEG, ESCALATED, ESCALATION, REPEAT, RETRIAL, STAGE, TIER,
    TRANSFER, TRANSFERRED, UNRESOLVED, WAITING,
)
from ccsim.model.streams import Draws, stream

INF = math.inf


class FlowMixin:
    """Flow decisions of `Engine`; relies on its `new_contact`, `new_leg`, `offer` and lists."""

    def init_flows(self, seed: int, replication: int) -> None:
        plan, flows = self.plan, self.plan.flows
        keys = plan.stream_key

        def draws(purpose, q, sample=None):
            rng = stream(seed, replication, purpose, keys[q])
            return Draws(sample(rng) if sample else rng.random)

        nq = plan.n_queues
        self.handle_later = [draws("handle_time_later", q, lambda rng, d=plan.handle_time[q]: lambda n: d.sample(rng, n))
                             for q in range(nq)]
        self.patience_later = [
            (lambda: INF) if plan.patience[q] is None else
            draws("patience_later", q, lambda rng, d=plan.patience[q]: lambda n: d.sample(rng, n))
            for q in range(nq)]
        self.transfer_draw = [draws("transfer", q) for q in range(nq)]
        self.resolution_draw = [draws("resolution", q) for q in range(nq)]
        self.repeat_draw = [draws("repeat", q) for q in range(nq)]
        self.retrial_draw = [draws("retrial", q) for q in range(nq)]
        self.callback_draw = [draws("callback", q) for q in range(nq)]
        self.delay_draw = {}
        for q in range(nq):
            for kind, retry in ((REPEAT, flows.repeat[q]), (RETRIAL, flows.retrial[q])):
                if retry is not None:
                    self.delay_draw[kind, q] = draws("delay", q, lambda rng, d=retry.delay: lambda n: d.sample(rng, n))
        self.escalates = any(e is not None for e in flows.escalation) or any(
            s.escalate_line >= 0 for stages in plan.stages for s in stages)
        self.offers_callbacks = any(c is not None for c in flows.callback)
        self.mean_handle = [d.mean for d in plan.handle_time]
        self.fcr_change = plan.fcr_change.tolist()
        self.groups_for = [[g for g in range(plan.n_groups) if q in plan.rank[g]] for q in range(nq)]
        self.lines_for = [[line for line, lq in enumerate(plan.line_queue) if lq == q] for q in range(nq)]
        self.stage_log: list[tuple[int, int, int, float, float]] = []
        self.returns_scheduled = 0
        self.returns_arrived = 0

    # -- after a service ---------------------------------------------------------------
    def decide_after_service(self, leg: int) -> None:
        """Transfer, escalate to the next tier, schedule a repeat contact, or move to the next stage."""
        q, contact = self.leg_queue[leg], self.leg_contact[leg]
        flows = self.plan.flows
        transfers = flows.transfers[q]
        if transfers:
            u = self.transfer_draw[q]()
            for cumulative, line in transfers:
                if u < cumulative:
                    self.leg_result[leg] = TRANSFERRED
                    self.contact_transfers[contact] += 1
                    self._move(contact, line, TRANSFER, self.leg_stage[leg])
                    return
        change = self.fcr_change[self.leg_group[leg]][q] + (self.pilot_fcr[q] if self.in_pilot(leg) else 0.0)
        fcr = min(max(flows.fcr[q] + change, 0.0), 1.0)
        if fcr < 1.0 and self.resolution_draw[q]() >= fcr:
            self.leg_result[leg] = UNRESOLVED
            tier = flows.tier_line[q]
            if tier >= 0:
                self.contact_escalations[contact] += 1
                self._move(contact, tier, TIER, self.leg_stage[leg])
                return
            repeat = flows.repeat[q]
            if repeat is not None and self.contact_attempt[contact] < repeat.max_attempts \
                    and self.repeat_draw[q]() < repeat.probability:
                self._schedule_return(contact, q, REPEAT)
            return
        if self.contact_process[contact] >= 0:
            self._stage_done(contact)

    def _move(self, contact: int, line: int, origin: int, stage: int) -> None:
        queue = self.plan.line_queue[line]
        self.offer(self.new_leg(contact, queue, line, origin, self.handle_later[queue](),
                                self.patience_later[queue](), stage))

    # -- customers coming back ---------------------------------------------------------
    def abandon(self, leg: int) -> None:
        """Mark a waiting leg abandoned; the customer may try again later."""
        self.leg_state[leg] = ABANDONED
        self.leg_end[leg] = self.env.now
        self.n_waiting[self.leg_line[leg]] -= 1
        if self.tracks_quiet and self.line_live[self.leg_line[leg]]:
            self.last_live_leave = self.env.now
        q, contact = self.leg_queue[leg], self.leg_contact[leg]
        retrial = self.plan.flows.retrial[q]
        if retrial is not None and self.contact_attempt[contact] < retrial.max_attempts \
                and self.retrial_draw[q]() < retrial.probability:
            self._schedule_return(contact, q, RETRIAL)

    def _schedule_return(self, contact: int, queue: int, kind: int) -> None:
        self.returns_scheduled += 1
        payload = (self.contact_customer[contact], self.contact_attempt[contact] + 1, kind, queue)
        self.after(self.delay_draw[kind, queue](), self._return, payload)

    def _return(self, event: simpy.Event) -> None:
        customer, attempt, kind, queue = event._value
        self.returns_arrived += 1
        contact = self.new_contact(customer, attempt, kind, -1)
        self.offer(self.new_leg(contact, queue, self.plan.queue_line[queue], kind,
                                self.handle_later[queue](), self.patience_later[queue](), -1))

    # -- escalation on waiting -----------------------------------------------------------
    def arm_escalation(self, leg: int) -> None:
        """Start the wait-limit timer of a leg that just started waiting, if a rule applies."""
        origin = self.leg_origin[leg]
        if origin == CALLBACK_LEG:
            return
        stage = self.leg_stage[leg]
        if stage >= 0 and origin != ESCALATION:
            contact = self.leg_contact[leg]
            plan = self.plan.stages[self.contact_process[contact]][stage]
            if plan.escalate_line >= 0:
                after = self.contact_stage_entry[contact] + plan.time_limit_s - self.env.now
                self.after(max(after, 0.0), self._wait_limit, (leg, plan.escalate_line, plan.escalate_queue))
                return
        rule = self.plan.flows.escalation[self.leg_queue[leg]]
        if rule is not None:
            after, line, queue = rule
            self.after(after, self._wait_limit, (leg, line, queue))

    def _wait_limit(self, event: simpy.Event) -> None:
        leg, line, queue = event._value
        if self.leg_state[leg] != WAITING:
            return
        contact = self.leg_contact[leg]
        self.contact_escalations[contact] += 1
        self.n_waiting[self.leg_line[leg]] -= 1
        if queue == self.leg_queue[leg]:
            # raised in place: the same leg waits on in the higher-priority line
            self.leg_line[leg] = line
            self.waiting[line].append(leg)
            self.n_waiting[line] += 1
            return
        self.leg_state[leg] = ESCALATED
        self.leg_end[leg] = self.env.now
        remaining = self.leg_patience[leg] - (self.env.now - self.leg_enqueue[leg])
        self.offer(self.new_leg(contact, queue, line, ESCALATION, self.handle_later[queue](),
                                remaining, self.leg_stage[leg]))

    # -- callbacks ---------------------------------------------------------------------
    def offer_callback(self, leg: int) -> bool:
        """Offer a callback to a caller about to wait; True if it was accepted."""
        q = self.leg_queue[leg]
        rule = self.plan.flows.callback[q]
        if rule is None or self.leg_origin[leg] > RETRIAL:
            return False
        offer_over, acceptance, _, line = rule
        waiting = sum(self.n_waiting[ln] for ln in self.lines_for[q])
        agents = sum(self.staffed(g) for g in self.groups_for[q])
        expected_wait = (waiting + 1) * self.mean_handle[q] / agents if agents > 0 else INF
        if expected_wait <= offer_over or self.callback_draw[q]() >= acceptance:
            return False
        self.leg_state[leg] = CALLBACK
        self.leg_end[leg] = self.env.now
        contact = self.leg_contact[leg]
        callback = self.new_leg(contact, q, line, CALLBACK_LEG, self.leg_handle[leg], INF, self.leg_stage[leg])
        self.waiting[line].append(callback)
        self.n_waiting[line] += 1
        return True

    # -- multi-stage processes -----------------------------------------------------------
    def start_process(self, contact: int) -> None:
        """Fresh process contact `contact` (its first leg has the same index) enters its first stage."""
        self._enter_stage(contact, contact)

    def _enter_stage(self, contact: int, leg: int = -1) -> None:
        """Offer the contact's current stage now, or after the stage's delay; `leg` is a prepared leg."""
        stage = self.plan.stages[self.contact_process[contact]][self.contact_stage[contact]]
        if stage.delay_s > 0 and not self.contact_pending[contact]:
            self.contact_pending[contact] = True
            self.after(stage.delay_s, self._stage_due, (contact, leg))
            return
        self.contact_pending[contact] = False
        self.contact_stage_entry[contact] = self.env.now
        if leg >= 0:
            self.leg_enqueue[leg] = self.env.now
        else:
            q = stage.queue
            leg = self.new_leg(contact, q, stage.line, STAGE, self.handle_later[q](), self.patience_later[q](),
                               self.contact_stage[contact])
        self.offer(leg)

    def _stage_due(self, event: simpy.Event) -> None:
        self._enter_stage(*event._value)

    def _stage_done(self, contact: int) -> None:
        process, stage = self.contact_process[contact], self.contact_stage[contact]
        self.stage_log.append((contact, process, stage, self.contact_stage_entry[contact], self.env.now))
        if stage + 1 < len(self.plan.stages[process]):
            self.contact_stage[contact] = stage + 1
            self._enter_stage(contact)
