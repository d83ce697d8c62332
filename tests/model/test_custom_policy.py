"""A routing policy written outside ccsim: registered by name, deciding from the read-only view."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.policies import RoutingPolicy, register_policy
from ccsim.policies.registry import POLICIES


class LowestPriorityFirst(RoutingPolicy):
    """The reverse of the default: a freed agent serves the waiting line of the *largest* priority
    number first; a new contact goes to the first group with an idle agent."""

    def select_agent(self, line):
        view = self.view
        return next((g for g in range(view.plan.n_groups)
                     if view.plan.line_queue[line] in view.plan.rank[g] and view.n_idle(g)), None)

    def select_line(self, group, chatting):
        view = self.view
        mine = [ln for ln, q in enumerate(view.plan.line_queue) if q in view.plan.rank[group] and view.n_waiting(ln)]
        return max(mine, key=lambda ln: view.plan.line_priority[ln], default=None)


@pytest.fixture
def lowest_priority_first():
    """The policy registered for one test only: other tests (the schema's list of policy names)
    see the built-in registry."""
    register_policy("test_lowest_priority_first")(LowestPriorityFirst)
    yield
    POLICIES.unregister("test_lowest_priority_first")


def two_queues(policy: str) -> ccsim.Scenario:
    exp = {"dist": "exponential", "mean": 300}
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "16:00"}, "interval": "60m",
        "queues": {"urgent": {"arrivals": {"per_hour": 165}, "handle_time": exp, "priority": 1},
                   "later": {"arrivals": {"per_hour": 165}, "handle_time": exp, "priority": 2}},
        "agent_groups": {"team": {"skills": ["urgent", "later"], "staff": 30}},
        "routing": {"policy": policy},
    })


def test_a_custom_policy_decides_who_waits(lowest_priority_first):
    """Load 0.92 on 30 agents: the queue served first has a mean ASA near 10 s, the other near
    90 s (measured); over 10 replications of 8 hours each mean is within a few seconds, so the
    bounds at 25 s and 50 s leave wide margins yet fail if the policy is ignored."""
    default = ccsim.simulate(two_queues("priority_then_longest_wait"), replications=10, seed=3)
    custom = ccsim.simulate(two_queues("test_lowest_priority_first"), replications=10, seed=3)
    urgent, later = default.kpis.loc[["urgent", "later"], "asa"]
    urgent_c, later_c = custom.kpis.loc[["urgent", "later"], "asa"]
    assert urgent < 25 < 50 < later
    assert later_c < 25 < 50 < urgent_c
