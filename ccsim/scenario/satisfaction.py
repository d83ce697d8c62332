"""How customers rate their experience: a stated model, not hidden defaults.

Each customer's probability of being satisfied (CSAT), a promoter or a detractor (NPS) is a
`base` probability plus the effect of each experience they had, clipped to [0, 1]. The effects
are probability points the scenario states (e.g. `abandoned: -0.45`); an experience not named
has no effect. Customers are judged once their outcome is known (see the `csat` KPI).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from ccsim.scenario.types import Probability, Strict

Effect = Annotated[float, Field(ge=-1, le=1)]

# experience -> what it means, for one customer (first contact in the measured period, and the
# contacts that followed it: repeats, retrials, transfers, escalations)
EXPERIENCES = {
    "late_answer": "the first contact was answered after its queue's service-level threshold",
    "abandoned": "a contact was abandoned while waiting",
    "callback": "a contact took a callback instead of waiting",
    "transferred": "a contact was transferred",
    "escalated": "a contact was escalated",
    "repeat": "the customer had to contact again (repeat contact or retrial)",
    "unresolved": "the issue was not resolved by the end of the horizon",
    "late_resolution": "a process ticket was resolved after its promise",
}


class Drivers(Strict):
    """P = clip(base + the effects of the experiences the customer had, 0, 1)."""

    base: Probability
    """Probability (0 to 1) for a customer whose contacts went without any of the experiences below."""
    late_answer: Effect = 0.0
    """Effect (-1 to 1) of being answered after the service-level threshold."""
    abandoned: Effect = 0.0
    """Effect (-1 to 1) of having abandoned."""
    callback: Effect = 0.0
    """Effect (-1 to 1) of having been called back."""
    transferred: Effect = 0.0
    """Effect (-1 to 1) of having been transferred."""
    escalated: Effect = 0.0
    """Effect (-1 to 1) of having been escalated."""
    repeat: Effect = 0.0
    """Effect (-1 to 1) of having had to contact again."""
    unresolved: Effect = 0.0
    """Effect (-1 to 1) of a problem left unresolved."""
    late_resolution: Effect = 0.0
    """Effect (-1 to 1) of a process finished after its promise."""

    def effects(self) -> tuple[float, ...]:
        """The effects in EXPERIENCES order."""
        return tuple(getattr(self, name) for name in EXPERIENCES)


class Alerts(Strict):
    """Alert lines the report warns about: customer-level CSAT and FCR below these shares; in
    `ccsim compare`, a variant's NPS more than `nps_drop` points below the baseline's."""

    csat: Probability | None = None
    """Warn when customer-level CSAT falls below this share (0 to 1)."""
    fcr: Probability | None = None
    """Warn when customer-level FCR falls below this share (0 to 1)."""
    nps_drop: float | None = Field(None, gt=0, le=200, allow_inf_nan=False)
    """ccsim compare warns when a variant's NPS (all customers) is lower than the baseline's by more than this many points."""


class Satisfaction(Strict):
    """`satisfied` drives CSAT; `promoter` and `detractor` (both or neither) drive NPS =
    promoters − detractors in points. A customer's passive share is what is left; where
    promoter and detractor together exceed 1, the detractor share is cut to fit."""

    satisfied: Drivers
    """Drivers of the probability that a customer is satisfied (CSAT)."""
    promoter: Drivers | None = None
    """Drivers of the probability that a customer is a promoter (NPS; with detractor)."""
    detractor: Drivers | None = None
    """Drivers of the probability that a customer is a detractor (NPS; with promoter)."""
    alerts: Alerts = Alerts()
    """Thresholds the report warns about."""

    @model_validator(mode="after")
    def _both_or_neither(self) -> "Satisfaction":
        if (self.promoter is None) != (self.detractor is None):
            raise ValueError("give both promoter and detractor (NPS needs both), or neither")
        return self
