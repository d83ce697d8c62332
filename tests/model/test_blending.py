"""Blending live and deferred work: live first whatever the priorities, agents kept in reserve
for live contacts, and deferred work only after the live lines have been quiet for a while."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.model.engine import Engine, Observer
from ccsim.model.plan import compile_plan

EXP = "exponential"


def blended(blending: str = "live_first", reserve: int = 0, live_quiet: float = 0, agents: int = 8,
            email_per_hour: float = 40) -> ccsim.Scenario:
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "18:00"}, "interval": "60m",
        "queues": {
            "calls": {"arrivals": {"per_hour": 60}, "handle_time": {"dist": EXP, "mean": 300}, "priority": 2,
                      "patience": {"dist": EXP, "mean": 300}},
            "mail": {"channel": "email", "arrivals": {"per_hour": email_per_hour},
                     "handle_time": {"dist": EXP, "mean": 240}, "priority": 1,
                     "service_level": {"threshold": "2h", "target": 0.9}},
        },
        "agent_groups": {"blended": {"skills": ["calls", "mail"], "staff": agents}},
        "routing": {"blending": blending, "reserve": reserve, "live_quiet": live_quiet},
    })


def test_live_first_serves_calls_before_higher_priority_email():
    live = ccsim.simulate(blended("live_first"), replications=5, seed=3).kpis
    by_priority = ccsim.simulate(blended("by_priority"), replications=5, seed=3).kpis
    assert live.loc["calls", "abandon_rate"] < 0.8 * by_priority.loc["calls", "abandon_rate"]
    assert live.loc["calls", "asa"] < 0.8 * by_priority.loc["calls", "asa"]
    assert live.loc["mail", "asa"] > 5 * by_priority.loc["mail", "asa"]
    assert live.loc["mail", "service_level"] > 0.9            # email still meets its 2-hour due time


class Watched(Observer):
    """Records the state of the center whenever an agent starts a deferred (email) leg."""

    def __init__(self):
        self.seen: list[tuple[int, bool, float]] = []

    def leg_started(self, engine, agent, leg):
        if engine.plan.line_deferred[engine.legs.line[leg]]:
            view = engine.view
            self.seen.append((view.n_idle(agent.group), view.live_waiting(), view.now - view.last_live_leave))


def watched(plan, seed):
    watcher = Watched()
    return Engine(plan, seed, 0, observer=watcher), watcher


@pytest.mark.parametrize(("reserve", "agents"), [(1, 8), (3, 11)])
def test_reserve_keeps_agents_idle_for_live_contacts(reserve, agents):
    engine, watcher = watched(compile_plan(blended(reserve=reserve, agents=agents)), 1)
    records = engine.run()
    idle_left = np.array([s[0] for s in watcher.seen])
    assert len(idle_left) > 100 and (idle_left >= reserve).all()
    mail = records.legs["queue"] == 1
    assert (records.legs["state"][mail] == 1).mean() > 0.9         # email still gets done


def test_deferred_work_waits_for_quiet_live_lines():
    engine, watcher = watched(compile_plan(blended(live_quiet=60)), 2)
    records = engine.run()
    assert len(watcher.seen) > 100
    assert not any(live for _, live, _ in watcher.seen)
    assert min(quiet for _, _, quiet in watcher.seen) >= 60 - 1e-9
    mail = records.legs["queue"] == 1
    assert (records.legs["state"][mail] == 1).mean() > 0.9         # woken up after the quiet period


def test_blending_changes_nothing_without_deferred_work():
    sc = ccsim.load_scenario("scenarios/hotline.yml")
    a = ccsim.simulate(sc, replications=2, seed=1, records=True).contacts
    data = sc.model_dump()
    b = ccsim.simulate(sc.model_copy(update={"routing": sc.routing.model_copy(update={"blending": "by_priority"})}),
                       replications=2, seed=1, records=True).contacts
    assert data["routing"]["blending"] == "live_first"
    assert a.equals(b)


def test_unknown_blending_lists_allowed():
    with pytest.raises(ccsim.ScenarioError, match="allowed: by_priority, live_first"):
        ccsim.load_scenario({"horizon": {"start": "08:00", "end": "10:00"},
                             "queues": {"q": {"arrivals": {"per_hour": 1}, "handle_time": 60}},
                             "agent_groups": {"g": {"skills": ["q"], "staff": 1}},
                             "routing": {"blending": "whatever"}})


def test_outbound_campaign_is_deferred_work_done_in_quiet_times():
    """A list of 200 outbound calls released at 08:00, due by 18:00, worked between inbound calls."""
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "18:00"}, "interval": "60m",
        "queues": {
            "calls": {"arrivals": {"per_hour": 50}, "handle_time": {"dist": EXP, "mean": 300},
                      "patience": {"dist": EXP, "mean": 300}},
            "campaign": {"channel": "outbound", "arrivals": {"per_interval": [200] + [0] * 9},
                         "handle_time": {"dist": EXP, "mean": 180}, "service_level": {"threshold": "10h", "target": 0.95}},
        },
        "agent_groups": {"team": {"skills": ["calls", "campaign"], "staff": 7}},
    })
    res = ccsim.simulate(sc, replications=5, seed=4)
    k = res.kpis
    assert k.loc["campaign", "answered"] > 190 and k.loc["campaign", "abandoned"] == 0
    assert k.loc["campaign", "service_level"] > 0.95
    assert k.loc["calls", "asa"] < 60                                  # inbound calls still come first
    iv = res.intervals[res.intervals.queue == "campaign"]
    assert iv.backlog_end.iloc[0] > iv.backlog_end.iloc[5] >= iv.backlog_end.iloc[-1]   # the list is worked down


@pytest.mark.parametrize("name, reserve, quiet_s", [("live_first", 0, 0.0), ("live_first", 1, 0.0),
                                                    ("live_first", 0, 60.0), ("by_priority", 2, 0.0)])
def test_a_blending_policy_that_never_defers_answers_now(name, reserve, quiet_s):
    """`defers() == False` lets the engine skip asking: then `defer_from` must answer now for any
    group with an idle agent, whatever waits."""
    from ccsim.policies import get_blending

    class View:
        now = 100.0
        last_live_leave = 90.0

        def n_idle(self, group):
            return 1

        def live_waiting(self):
            return True

    policy = get_blending(name)(View(), reserve, quiet_s)
    answers = {policy.defer_from(0, from_idle) for from_idle in (True, False)}
    assert policy.defers() == (answers != {View.now})
