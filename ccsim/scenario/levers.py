"""Process-change levers planners think in, and the pilot that tries them on part of the team.

Agent-level levers (`handle_time_factor`, `fcr_change`) belong to an agent group: they change
the contacts its agents serve. A `pilot` gives them to a share of the agents (or n agents of a
group, or a whole group) while the rest work as before; `apply_pilot` turns that into separate
"<group> (pilot)" groups, so the pilot and the control are reported side by side. A pilot on
`contacts` instead gives them to a share of the customers, whoever serves them (the engine
marks those customers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import numpy as np
from pydantic import ConfigDict, Field, model_validator

from ccsim.scenario.per_queue import PerQueue
from ccsim.scenario.type_schemas import at_least_one, key_rules, not_both
from ccsim.scenario.types import PositiveDuration, Probability, Whole

if TYPE_CHECKING:
    from ccsim.scenario.models import Scenario

Factor = Annotated[float, Field(gt=0, allow_inf_nan=False)]
Change = Annotated[float, Field(ge=-1, le=1, allow_inf_nan=False)]


class Proficiency(PerQueue):
    """How an agent group's work differs: handle times times `handle_time_factor` (0.85: 15%
    shorter) and first-contact resolution plus `fcr_change` (0.05: five points more), either for
    all queues (a number) or per queue ({billing: 0.85}).

    `ramp` makes the effect grow as people learn: the share of the full effect in each period of
    `ramp_every` (default a week) from the start of day 1, the last share holding afterwards;
    `ramp: [0, 0, 0, 0, 0.3, 0.6, 1.0]` is a four-week buffer, then three weeks of learning."""

    PER_QUEUE = {"handle_time_factor": 1.0, "fcr_change": 0.0}

    handle_time_factor: Factor | dict[str, Factor] = 1.0
    """Handle times are multiplied by this (0.85: 15% shorter): a number for all queues or a mapping queue -> number."""
    fcr_change: Change | dict[str, Change] = 0.0
    """Added to first-contact resolution (0.05: five points more), from -1 to 1: a number or queue -> number."""
    ramp: tuple[Probability, ...] | None = Field(None, min_length=1)
    """Share of the full effect in each period of ramp_every from day 1, the last one holding (e.g. [0, 0.5, 1])."""
    ramp_every: PositiveDuration = 7 * 86400.0
    """Length of one ramp period (seconds or a text such as 7d)."""

    def ramp_plan(self) -> tuple[float, tuple[float, ...]] | None:
        """(period s, shares) of the ramp, or None when the effect is whole from the start."""
        return None if self.ramp is None else (float(self.ramp_every), tuple(float(v) for v in self.ramp))

    def factor(self, queue: str) -> float:
        return self.for_queue("handle_time_factor", queue)

    def change(self, queue: str) -> float:
        return self.for_queue("fcr_change", queue)


class Pilot(Proficiency):
    """Who tries the change: `share` of every group's agents (of `group` only, if given), or
    `agents` agents of `group` (in every interval; in every shift, for a group staffed by
    shifts), or the whole `group`; or else `contacts`, a share of the arriving customers, whose
    contacts (repeats and transfers included) are handled under the change by whoever serves them."""

    model_config = ConfigDict(json_schema_extra=key_rules(
        at_least_one("share", "agents", "group", "contacts"), not_both("share", "agents"),
        *(not_both("contacts", key) for key in ("share", "agents", "group")),
        {"dependentRequired": {"agents": ["group"]}}))

    share: float | None = Field(None, gt=0, lt=1)
    """Share (0 to 1, exclusive) of every group's agents (of group only, if given) who try the change."""
    agents: Whole | None = Field(None, ge=1)
    """Number of agents of group who try the change, in every interval (or every shift)."""
    group: str | None = None
    """Agent group that tries the change (all of it, unless share or agents is given)."""
    contacts: float | None = Field(None, gt=0, lt=1)
    """Share (0 to 1, exclusive) of arriving customers whose contacts are handled under the change by whoever serves them."""

    @model_validator(mode="after")
    def _who(self) -> "Pilot":
        if self.contacts is not None and (self.share, self.agents, self.group) != (None, None, None):
            raise ValueError("a pilot is either on contacts or on agents (share, agents, group), not both")
        if self.share is not None and self.agents is not None:
            raise ValueError("give share or agents, not both")
        if self.agents is not None and self.group is None:
            raise ValueError("agents needs group: which group the pilot agents come from")
        if (self.share, self.agents, self.group, self.contacts) == (None, None, None, None):
            raise ValueError("say who pilots the change: share (of the agents), agents and group, group, "
                             "or contacts (a share of the customers)")
        return self


def apply_pilot(sc: "Scenario") -> "Scenario":
    """`sc` with each piloting group split into the control (as before) and "<group> (pilot)"
    (the same skills, cost, shrinkage and breaks, with the pilot's levers). A group staffed by
    shifts is split shift by shift, so both halves keep their breaks."""
    pilot = sc.pilot
    if pilot is None or pilot.contacts is not None:
        return sc                                   # a pilot on contacts keeps the groups as they are
    levers = {"handle_time_factor": pilot.handle_time_factor, "fcr_change": pilot.fcr_change, "ramp": pilot.ramp,
              "ramp_every": pilot.ramp_every}
    groups = {}
    for name, group in sc.agent_groups.items():
        if pilot.group is not None and name != pilot.group:
            groups[name] = group
            continue
        if group.shifts is not None:
            counts = np.array([shift.count for shift in group.shifts])
            split = [{"shifts": tuple(shift.model_copy(update={"count": int(k)})
                                      for shift, k in zip(group.shifts, part) if k > 0) or None}
                     for part in _split(counts, pilot)]
        else:
            split = [{"staff": tuple(int(v) for v in part), "shifts": None}
                     for part in _split(sc.staff(name), pilot)]
        for label, update, extra in ((name, split[0], {}), (f"{name} (pilot)", split[1], levers)):
            if any(update.get("staff", ())) or update.get("shifts"):
                groups[label] = group.model_copy(update=update | extra)
    return sc.model_copy(update={"agent_groups": groups, "pilot": None})


def _split(counts: np.ndarray, pilot: Pilot) -> tuple[np.ndarray, np.ndarray]:
    """(control, trial) agents from `counts` (per interval or per shift)."""
    if pilot.share is not None:
        trial = np.floor(pilot.share * counts + 0.5).astype(int)
    elif pilot.agents is not None:
        trial = np.minimum(pilot.agents, counts)
    else:
        trial = counts.copy()
    return counts - trial, trial
