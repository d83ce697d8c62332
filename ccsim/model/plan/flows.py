"""Flows compiled per queue (transfers, escalation, tiers, repeats, retrials, callbacks) and
process stages, with every target resolved to a line and a queue index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ccsim.distributions import Distribution
from ccsim.model.plan.lines import LineTable

if TYPE_CHECKING:
    from ccsim.scenario.flows import Attempts, Stage
    from ccsim.scenario.models import Queue, Scenario


class TransferRule(NamedTuple):
    """After a service, transfer to `line` when a uniform draw falls below `cumulative_probability`."""

    cumulative_probability: float
    line: int


class EscalationRule(NamedTuple):
    """After waiting `after_s`, move to `line` of `queue` (the same queue: raised in place)."""

    after_s: float
    line: int
    queue: int


class CallbackRule(NamedTuple):
    """Offer a callback when the expected wait exceeds `offer_over_s`; accepted with probability
    `acceptance`; the callback waits in `line` and is due within `due_s`."""

    offer_over_s: float
    acceptance: float
    due_s: float
    line: int


@dataclass(frozen=True, slots=True)
class Retry:
    """Customers coming back: with `probability`, after `delay`, up to `max_attempts` contacts."""

    probability: float
    delay: Distribution
    max_attempts: int


@dataclass(frozen=True, slots=True)
class StagePlan:
    queue: int
    line: int
    delay_s: float
    time_limit_s: float          # inf when none; plain seconds or a CalendarLimit (see deadlines)
    escalate_line: int           # -1: no escalation
    escalate_queue: int          # queue of escalate_line (-1 for none)


@dataclass(frozen=True, slots=True)
class Flows:
    """Per queue: where contacts go after service, on a long wait, on abandonment, on arrival."""

    transfers: tuple[tuple[TransferRule, ...], ...]
    escalation: tuple[EscalationRule | None, ...]
    fcr: tuple[float, ...]
    tier_line: tuple[int, ...]                             # unresolved -> escalate to this line, or -1
    repeat: tuple[Retry | None, ...]
    retrial: tuple[Retry | None, ...]
    callback: tuple[CallbackRule | None, ...]
    after_service: tuple[bool, ...]                        # anything to decide after a service?

    @property
    def any(self) -> bool:
        return any(self.after_service) or any(e is not None for e in self.escalation) or \
            any(r is not None for r in self.retrial) or any(c is not None for c in self.callback)


def compile_flows(sc: Scenario, lines: LineTable) -> Flows:
    """Each queue's flows; names the lines of their targets, queue by queue, in the order below."""
    transfers, escalation, tier, callback = [], [], [], []
    for q, (name, queue) in enumerate(sc.queues.items()):
        transfers.append(_transfers(queue, lines))
        escalation.append(_escalation(queue, name, lines))
        tier.append(lines(queue.unresolved.escalate_to) if queue.unresolved and queue.unresolved.escalate_to else -1)
        callback.append(_callback(queue, q, lines))
    return Flows(
        transfers=tuple(transfers),
        escalation=tuple(escalation),
        fcr=tuple(queue.fcr for queue in sc.queues.values()),
        tier_line=tuple(tier),
        repeat=tuple(_retry(queue.unresolved.repeat if queue.unresolved else None) for queue in sc.queues.values()),
        retrial=tuple(_retry(queue.retrial) for queue in sc.queues.values()),
        callback=tuple(callback),
        after_service=tuple(_decides_after_service(sc, name, bool(rules)) for name, rules in zip(sc.queues, transfers)),
    )


def _transfers(queue: Queue, lines: LineTable) -> tuple[TransferRule, ...]:
    rules, total = [], 0.0
    for t in queue.transfers:
        total += t.probability
        rules.append(TransferRule(total, lines(t.to, t.priority)))
    return tuple(rules)


def _escalation(queue: Queue, name: str, lines: LineTable) -> EscalationRule | None:
    esc = queue.escalation
    if esc is None:
        return None
    target = esc.to if esc.to is not None else name
    return EscalationRule(esc.after, lines(target, esc.priority), lines.index[target])


def _callback(queue: Queue, q: int, lines: LineTable) -> CallbackRule | None:
    cb = queue.callback
    return None if cb is None else CallbackRule(cb.offer_over, cb.acceptance, cb.due, lines.callback(q, cb.priority))


def _retry(spec: Attempts | None) -> Retry | None:
    return None if spec is None else Retry(spec.probability, spec.delay, spec.max_attempts)


def _decides_after_service(sc: Scenario, name: str, transfers: bool) -> bool:
    """Is there anything to decide after serving queue `name`? With processes, always: a process
    contact may reach any queue (escalated, transferred)."""
    pilot = sc.pilot                          # what remains of a pilot after apply_pilot: one on contacts
    return transfers or sc.queues[name].fcr < 1 or bool(sc.processes) \
        or any(group.change(name) for group in sc.agent_groups.values()) or bool(pilot and pilot.change(name))


def compile_stages(sc: Scenario, lines: LineTable) -> tuple[tuple[StagePlan, ...], ...]:
    """Per process, its stages in order; names the lines of the stage queues and escalations."""
    return tuple(tuple(_stage(stage, lines) for stage in process.stages) for process in sc.processes.values())


def _stage(stage: Stage, lines: LineTable) -> StagePlan:
    esc_queue = stage.escalate_to if stage.escalate_to is not None else stage.queue
    escalates = stage.escalate_to is not None or stage.escalate_priority is not None
    return StagePlan(
        queue=lines.index[stage.queue], line=lines(stage.queue, stage.priority), delay_s=stage.delay,
        time_limit_s=stage.time_limit if stage.time_limit is not None else np.inf,
        escalate_line=lines(esc_queue, stage.escalate_priority) if escalates else -1,
        escalate_queue=lines.index[esc_queue] if escalates else -1)
