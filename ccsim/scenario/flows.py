"""Schema of process flows: transfers, escalations, resolution (FCR), repeat contacts, retrials,
callbacks and multi-stage processes. Cross-field rules for them live in `checks`."""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from ccsim.scenario.arrivals import Arrivals
from ccsim.scenario.severity import SeverityClass
from ccsim.scenario.type_schemas import at_least_one, key_rules, not_both
from ccsim.scenario.types import Duration, DistributionSpec, PositiveDuration, Probability, Strict, Whole


class Transfer(Strict):
    """After service, the contact moves to queue `to` with `probability` (its own handle time there).

    `priority` is the priority it re-enters with (default: the target queue's own).
    """

    to: str
    probability: Probability
    priority: Whole | None = None


class Escalation(Strict):
    """A contact still waiting `after` seconds is moved to queue `to`, or raised to `priority`
    in its own queue (or both: moved, with that priority)."""

    model_config = ConfigDict(json_schema_extra=key_rules(at_least_one("to", "priority")))

    after: Duration
    to: str | None = None
    priority: Whole | None = None

    @model_validator(mode="after")
    def _somewhere(self) -> "Escalation":
        if self.to is None and self.priority is None:
            raise ValueError("give 'to' (a queue), 'priority' (a raised priority), or both")
        return self


class Attempts(Strict):
    """Customers who come back: with `probability`, after `delay`, at most `max_attempts` contacts in all."""

    probability: Probability = 1.0
    delay: DistributionSpec
    max_attempts: Whole = Field(3, ge=1)


class Unresolved(Strict):
    """What happens to a contact the service did not resolve: escalated at once to the next tier
    (`escalate_to`), or the customer contacts the same queue again later (`repeat`), or neither
    (the problem stays unresolved)."""

    model_config = ConfigDict(json_schema_extra=key_rules(not_both("escalate_to", "repeat")))

    escalate_to: str | None = None
    repeat: Attempts | None = None

    @model_validator(mode="after")
    def _one(self) -> "Unresolved":
        if self.escalate_to is not None and self.repeat is not None:
            raise ValueError("give escalate_to or repeat, not both")
        return self


class Callback(Strict):
    """Virtual hold: when the expected wait on arrival exceeds `offer_over`, the caller is offered a
    callback and accepts with `acceptance`; the callback is outbound work of the same queue, due
    `due` seconds later, served at `priority` (default: after every inbound contact)."""

    offer_over: PositiveDuration
    acceptance: Probability
    due: PositiveDuration
    priority: Whole | None = None


class Stage(Strict):
    """One step of a multi-stage process, served by the agents skilled for `queue`.

    `delay` passes before the stage starts (e.g. 1d for a next-day follow-up); the stage should
    be done within `time_limit` of its start; a stage still waiting at its limit is escalated to
    `escalate_to` (a queue) or raised to `escalate_priority`. `priority`: the priority its work
    waits with in the queue (default the queue's own; lower is served first).
    """

    model_config = ConfigDict(json_schema_extra=key_rules(
        {"dependentRequired": {"escalate_to": ["time_limit"], "escalate_priority": ["time_limit"]}}))

    queue: str
    name: str | None = None
    priority: Whole | None = None
    delay: Duration = 0.0
    time_limit: PositiveDuration | None = None
    escalate_to: str | None = None
    escalate_priority: Whole | None = None

    @model_validator(mode="after")
    def _limit_for_escalation(self) -> "Stage":
        if (self.escalate_to is not None or self.escalate_priority is not None) and self.time_limit is None:
            raise ValueError("escalation needs a time_limit")
        return self

    @property
    def label(self) -> str:
        return self.name or self.queue


class Process(Strict):
    """A contact type that passes through `stages` in order; `promise` is the end-to-end target;
    `severity` grades its tickets into classes with rules of their own (`ccsim.scenario.severity`)."""

    arrivals: Arrivals
    stages: list[Stage] = Field(min_length=1)
    promise: PositiveDuration | None = None
    severity: dict[str, SeverityClass] = {}
    description: str = ""

