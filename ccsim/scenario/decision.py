"""The decision rule a comparison recommends under: the KPI to optimize among the scenarios that
meet what they must (`ccsim.decision` applies it)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ccsim.scenario.types import Strict

# Queue KPIs (over all queues, or each queue's target) a scenario can be required to meet; every one
# has a direction in the KPI registry and is compared by `ccsim compare` (a test keeps both true).
MUST_MEET = ("service_level", "asa", "abandon_rate", "wait_p90", "fcr", "transfer_rate", "abandoned", "escalated")
# Objectives: every cost KPI (lower is better), or one of the queue KPIs above over all queues.
OBJECTIVES = ("total_cost", "agent_cost", "total_cost_per_contact", "cost_per_contact", "abandon_penalty",
              "late_penalty", "missed_intervals", "missed_interval_penalty", *MUST_MEET)


class Decision(Strict):
    """How `ccsim compare` recommends: among the scenarios that meet every KPI of `must_meet`, the
    best on `objective` (its direction from the KPI registry). A KPI of `must_meet` with a target
    in the queues (`service_level.target`, `max_asa`, `max_abandon`) must meet each queue's target
    (its 95% CI wholly on the good side); one without a target must not be significantly worse than
    in the baseline (paired 95% CI)."""

    objective: Literal[OBJECTIVES] = "total_cost"
    """KPI the recommendation optimises among the scenarios meeting must_meet; its direction (lower or higher is better) comes from the KPI registry."""
    must_meet: tuple[Literal[MUST_MEET], ...] = Field(("service_level",))
    """KPIs every recommended scenario must meet: each queue's target where one is set, otherwise not significantly worse than the baseline."""
