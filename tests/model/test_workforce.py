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
    from ccsim.model.engine import Engine, Observer
    from ccsim.model.plan import compile_plan

    class Checked(Observer):
        def went_off(self, engine, agent):
            assert agent.leg == -1 and agent.chats == 0
            assert agent not in engine.pools[agent.group].idle

    plan = compile_plan(shrunk(10, 0.3, 110, hours=24))
    records = Engine(plan, 2, 0, observer=Checked()).run()
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


def with_breaks(**shift_extra) -> ccsim.Scenario:
    shift = {"start": "08:00", "length": "8h", "count": 6,
             "breaks": [{"after": "2h", "every": "2h", "length": "15m"},
                        {"after": "3h30m", "length": "30m", "spread": "1h"}], **shift_extra}
    return ccsim.load_scenario({
        "horizon": {"start": "08:00", "end": "18:00", "days": 2}, "interval": "30m",
        "queues": {"q": {"arrivals": {"per_hour": 50}, "handle_time": {"dist": "exponential", "mean": 360},
                         "patience": {"dist": "exponential", "mean": 300}}},
        "agent_groups": {"team": {"skills": ["q"], "shifts": [shift, {"start": "12:00", "length": "6h", "count": 2}]}},
    })


def test_shift_breaks_take_exactly_the_configured_time():
    res = ccsim.simulate(with_breaks(), replications=3, seed=7)
    g = res.groups.loc["team"]
    # per agent and day: breaks at 2h, 4h, 6h of 15 minutes and a 30-minute lunch
    assert g["breaks"] == 6 * 4 * 2
    assert np.isclose(g["break_hours"], 6 * (3 * 0.25 + 0.5) * 2)
    assert g["shrinkage"] == 0
    by_interval = res.group_intervals.groupby("interval")["off_hours"].mean()
    assert by_interval.iloc[0:4].sum() == 0                       # nobody on break in the first two hours


def test_breaks_wait_for_the_contact_in_hand():
    from ccsim.model.engine import Engine, Observer
    from ccsim.model.plan import compile_plan

    class Checked(Observer):
        def went_off(self, engine, agent):
            assert agent.leg == -1 and agent.chats == 0

    plan = compile_plan(with_breaks())
    records = Engine(plan, 1, 0, observer=Checked()).run()
    spells = records.off
    due = np.sort(plan.breaks[0][:, 0])
    assert len(spells) == len(due)
    assert (np.sort(spells[:, 1]) >= due - 1e-9).all()             # never before it is due, often after
    np.testing.assert_allclose(np.sort(spells[:, 2] - spells[:, 1]), np.sort(plan.breaks[0][:, 1]))


def test_focus_rest_rhythm_times():
    from ccsim.scenario.shifts import Shift

    shift = Shift.model_validate({"start": "08:00", "length": "4h30m", "count": 2,
                                  "rhythm": {"work": "50m", "rest": "5m", "long_rest": "15m", "cycles": 4}})
    assert [(o / 60, length / 60) for o, length, _ in shift.off_times()] == [
        (50, 5), (105, 5), (160, 5), (215, 15)]


def test_breaks_longer_than_the_shift_are_an_error():
    import pytest

    with pytest.raises(ccsim.ScenarioError) as info:
        with_breaks(breaks=[{"after": "1h", "every": "30m", "length": "50m"}])
    problem = info.value.problems[0]
    assert problem.path == "agent_groups.team.shifts.0" and "longer than the 8h shift" in problem.message
    with pytest.raises(ccsim.ScenarioError, match="does not fit"):
        with_breaks(breaks=[{"after": "7h50m", "length": "15m"}])
