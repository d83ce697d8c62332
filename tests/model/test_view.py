"""The routing view's cheap reads agree with its exact ones at every decision."""

from __future__ import annotations

import math
from pathlib import Path

import ccsim
from ccsim.policies import get_policy, register_policy
from ccsim.policies.registry import POLICIES

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_counted_idle_and_chat_room_agree_with_the_exact_reads():
    """Wraps the default policy on the omnichannel scenario (calls, chats, email, breaks): before
    each of its decisions, no line counts fewer legs than wait in it, each group's idle agents are
    `n_idle` many, the first idle since `longest_idle_since`, and its chat room is `has_chat_room`."""
    checked = {"lines": 0, "groups": 0, "chatting": 0}

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
                assert bool(view.chat_room[group]) == view.has_chat_room(group)
                checked["groups"] += bool(agents)
                checked["chatting"] += bool(view.chat_room[group])

        def select_agent(self, line):
            self.check()
            return super().select_agent(line)

        def select_line(self, group, chatting):
            self.check()
            return super().select_line(group, chatting)

    register_policy("test_checking")(Checking)
    try:
        sc = ccsim.load_scenario(SCENARIOS / "omnichannel.yml")
        sc = sc.model_copy(update={"routing": sc.routing.model_copy(update={"policy": "test_checking"})})
        ccsim.simulate(sc, replications=1, seed=2)
    finally:
        POLICIES.unregister("test_checking")
    assert checked["lines"] > 1000 and checked["groups"] > 1000 and checked["chatting"] > 1000
