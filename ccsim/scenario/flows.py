"""Schema of process flows: transfers, escalations, resolution (FCR), repeat contacts, retrials,
callbacks and multi-stage processes. Cross-field rules for them live in `checks`."""

from __future__ import annotations

from pydantic import ConfigDict, Field, model_validator

from ccsim.scenario.arrivals import Arrivals
from ccsim.scenario.calendar import Limit
from ccsim.scenario.severity import SeverityClass
from ccsim.scenario.type_schemas import at_least_one, key_rules, not_both
from ccsim.scenario.types import Duration, DistributionSpec, PositiveDuration, Probability, Strict, Whole


class Transfer(Strict):
    """After service, the contact moves to queue `to` with `probability` (its own handle time there).

    `priority` is the priority it re-enters with (default: the target queue's own).
    """

    to: str
    """Queue the contact moves to after service."""
    probability: Probability
    """Probability (0 to 1) that a served contact is transferred there."""
    priority: Whole | None = None
    """Priority the contact re-enters with (default: the target queue's own; 1 is served first)."""


class Escalation(Strict):
    """A contact still waiting `after` seconds is moved to queue `to`, or raised to `priority`
    in its own queue (or both: moved, with that priority)."""

    model_config = ConfigDict(json_schema_extra=key_rules(at_least_one("to", "priority")))

    after: Duration
    """Wait (seconds or a text such as 2m) after which a still-waiting contact is escalated."""
    to: str | None = None
    """Queue the waiting contact moves to (omitted: it stays in its own queue)."""
    priority: Whole | None = None
    """Priority the escalated contact is raised to (1 is served first)."""

    @model_validator(mode="after")
    def _somewhere(self) -> "Escalation":
        if self.to is None and self.priority is None:
            raise ValueError("give 'to' (a queue), 'priority' (a raised priority), or both")
        return self


class Attempts(Strict):
    """Customers who come back: with `probability`, after `delay`, at most `max_attempts` contacts in all."""

    probability: Probability = 1.0
    """Probability (0 to 1) that the customer comes back."""
    delay: DistributionSpec
    """Time until the customer's next contact: a distribution in seconds ({dist: exponential, mean: 2h})."""
    max_attempts: Whole = Field(3, ge=1)
    """Most contacts one customer makes in all, the first included."""


class Unresolved(Strict):
    """What happens to a contact the service did not resolve: escalated at once to the next tier
    (`escalate_to`), or the customer contacts the same queue again later (`repeat`), or neither
    (the problem stays unresolved)."""

    model_config = ConfigDict(json_schema_extra=key_rules(not_both("escalate_to", "repeat")))

    escalate_to: str | None = None
    """Queue (the next tier) an unresolved contact is escalated to at once."""
    repeat: Attempts | None = None
    """The customer contacts the same queue again later: probability, delay and max_attempts."""

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
    """A callback is offered when the expected wait on arrival exceeds this (seconds or a text such as 2m)."""
    acceptance: Probability
    """Probability (0 to 1) that an offered caller accepts the callback."""
    due: PositiveDuration
    """The callback is due this long after the call (seconds or a text such as 1h)."""
    priority: Whole | None = None
    """Priority of the callback work (default: after every inbound contact; 1 is served first)."""


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
    """Queue whose skilled agents serve this stage."""
    name: str | None = None
    """Name of the stage in reports (default: the queue's name)."""
    priority: Whole | None = None
    """Priority this stage's work waits with in its queue (default the queue's own; lower is served first)."""
    delay: Duration = 0.0
    """Time before the stage starts, after the previous stage ends (seconds or a text such as 1d)."""
    time_limit: Limit | None = None
    """The stage should be done within this time of its start (seconds or a text such as 4h; or on the calendar, e.g. {by: "17:00"})."""
    escalate_to: str | None = None
    """Queue a stage still waiting at its time_limit is moved to."""
    escalate_priority: Whole | None = None
    """Priority a stage still waiting at its time_limit is raised to (1 is served first)."""

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
    """Expected volume of new cases: per_hour, per_interval or csv, and day_factors."""
    stages: list[Stage] = Field(min_length=1)
    """The stages every case passes through, in order."""
    promise: Limit | None = None
    """End-to-end target from arrival to the last stage's end (seconds or a text such as 2d; or on the calendar, e.g. {working_days: 2})."""
    severity: dict[str, SeverityClass] = {}
    """Severity classes (e.g. high, medium, low), each with its share of the cases and rules of its own."""
    description: str = ""
    """Free text shown in reports."""

