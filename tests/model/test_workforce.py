"""The workforce: shrinkage as unavailability against Erlang C with (1 - s) n agents, and the
hours it costs."""

from __future__ import annotations

import numpy as np

import ccsim
from ccsim import erlang
from tests.model.helpers import assert_in_ci, kpi_samples


def shrunk(agents: int, shrinkage: float, rate_per_hour: float, hours: int = 48) -> ccsim.Scenario:
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "00:00", "end": "24:00", "days": hours // 24}, "interval": "60m", "warmup": 7200,
        "queues": {"q": {"arrivals": {"per_hour": rate_per_hour}, "handle_time": {"dist": "exponential", "mean": 300}}},
        "agent_groups": {"agents": {"skills": ["q"], "staff": agents, "shrinkage": shrinkage, "cost_per_hour": 30}},
    })


def test_shrinkage_behaves_like_erlang_c_with_the_available_agents():
    agents, share, available = 20, 0.25, 15
    rate = 0.8 * available * 3600 / 300
    res = ccsim.simulate(shrunk(agents, share, rate), replications=20, seed=5)
    k = kpi_samples(res)
    assert_in_ci(k["service_level"], float(erlang.service_level(rate, 300, available, 20)))
    assert_in_ci(k["asa"], float(erlang.asa(rate, 300, available)))
    g = res.groups.loc["agents"]
    assert g["scheduled_hours"] == agents * 48
    assert abs(g["shrinkage"] - share) < 0.01                     # a quarter of scheduled time off work
    assert abs(g["staffed_hours"] + g["off_hours"] - g["scheduled_hours"]) < 0.01 * g["scheduled_hours"]
    assert np.isclose(g["cost"], (g["staffed_hours"] + g["off_hours"]) * 30)  # time off is paid


def test_no_shrinkage_changes_nothing():
    base = ccsim.simulate(shrunk(12, 0.0, 120, hours=24), replications=2, seed=1)
    assert (base.groups["off_hours"] == 0).all()
    assert np.isclose(base.groups.loc["agents", "staffed_hours"], base.groups.loc["agents", "scheduled_hours"], rtol=0.01)


def test_nobody_goes_off_work_with_a_contact_in_hand():
    """Every spell off work starts with empty hands and lasts exactly its length; at high load
    most spells start after the interval boundary, when an agent finishes."""
    from ccsim.model.engine import Engine
    from ccsim.model.plan import compile_plan

    class Checked(Engine):
        def go_off(self, agent, duration_s):
            assert agent.leg == -1 and agent.chats == 0
            assert agent not in self.idle[agent.group]
            super().go_off(agent, duration_s)

    plan = compile_plan(shrunk(10, 0.3, 110, hours=24))
    records = Checked(plan, 2, 0).run()
    starts, lengths = records.off[:, 1], records.off[:, 2] - records.off[:, 1]
    finished = records.off[:, 2] < plan.end_s
    np.testing.assert_allclose(lengths[finished], 3600)
    late = (starts - plan.interval_start[0]) % 3600 > 0
    assert late.mean() > 0.5 and len(starts) >= 3 * 23


def test_occupancy_above_the_cap_is_a_warning():
    def run(rate_per_hour, cap):
        data = {"horizon": {"start": "08:00", "end": "20:00"}, "interval": "60m",
                "queues": {"q": {"arrivals": {"per_hour": rate_per_hour},
                                 "handle_time": {"dist": "exponential", "mean": 300}}},
                "agent_groups": {"agents": {"skills": ["q"], "staff": 10, "max_occupancy": cap}}}
        return ccsim.simulate(ccsim.load_scenario(data), replications=2, seed=1).warnings

    warnings = run(110, 0.85)                                     # load 0.92
    assert any("agent group agents: occupancy" in w and "cap of 85%" in w for w in warnings), warnings
    assert not run(60, 0.99)                                      # load 0.5


def test_weekday_factors_and_the_day_table():
    sc = ccsim.load_scenario({
        "horizon": {"start": "08:00", "end": "18:00", "days": 7, "first_day": "thu"}, "interval": "60m",
        "queues": {"q": {"arrivals": {"per_hour": 30, "day_factors": {"sat": 0.5, "sun": 0}},
                         "handle_time": {"dist": "exponential", "mean": 240}}},
        "agent_groups": {"g": {"skills": ["q"], "staff": 4}},
    })
    assert sc.weekdays() == ["thu", "fri", "sat", "sun", "mon", "tue", "wed"]
    res = ccsim.simulate(sc, replications=8, seed=2)
    days = res.days[res.days.queue == "q"].set_index("day")
    assert days.loc[4, "offered"] == 0                                   # Sunday: closed
    for day in (1, 2, 5, 6, 7):
        assert days.loc[day, "offered_ci_low"] <= 300 <= days.loc[day, "offered_ci_high"]
    assert days.loc[3, "offered_ci_low"] <= 150 <= days.loc[3, "offered_ci_high"]
    per_interval = res.intervals[res.intervals.queue == "q"].groupby("day")[["offered", "answered", "abandoned"]].sum()
    np.testing.assert_allclose(per_interval.to_numpy(), days[["offered", "answered", "abandoned"]].to_numpy())
    last = res.intervals[(res.intervals.queue == "q")].groupby("day")["backlog_end"].last()
    np.testing.assert_allclose(last.to_numpy(), days["backlog_end"].to_numpy())
