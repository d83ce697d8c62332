"""The routing view's cheap reads agree with its exact ones at every decision."""

from __future__ import annotations

import math
from pathlib import Path

import ccsim
from ccsim.policies import get_policy, register_policy
from ccsim.policies.registry import POLICIES

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_counted_and_idle_agree_with_n_waiting_and_longest_idle():
    """Wraps the default policy: before each of its decisions, every line counted empty has nobody
    waiting, and each group's idle agents are `n_idle` many, the first idle since `longest_idle_since`."""
    checked = {"lines": 0, "groups": 0}

    class Checking(get_policy("priority_then_longest_wait")):
        def check(self):
            view = self.view
            for line in range(view.plan.n_lines):
                assert view.counted[line] >= view.n_waiting(line)
                checked["lines"] += view.counted[line] == 0
            for group in range(view.plan.n_groups):
                agents = view.idle[group]
                assert len(agents) == view.n_idle(group)
                assert (agents[0].idle_since if agents else math.inf) == view.longest_idle_since(group)
                checked["groups"] += bool(agents)

        def select_agent(self, line):
            self.check()
            return super().select_agent(line)

        def select_line(self, group, chatting):
            self.check()
            return super().select_line(group, chatting)

    register_policy("test_checking")(Checking)
    try:
        sc = ccsim.load_scenario(SCENARIOS / "hotline.yml").model_copy(
            update={"routing": ccsim.load_scenario(SCENARIOS / "hotline.yml").routing.model_copy(
                update={"policy": "test_checking"})})
        ccsim.simulate(sc, replications=1, seed=2)
    finally:
        POLICIES.unregister("test_checking")
    assert checked["lines"] > 1000 and checked["groups"] > 1000
