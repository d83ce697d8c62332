"""Channels: chat concurrency against Erlang C with n*c servers, chat = voice at concurrency 1,
calls and chats never mixed in one agent's hands, email backlog carried over and drained."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ccsim
from ccsim import erlang
from tests.model.helpers import assert_in_ci, full_records, kpi_samples

EXP = "exponential"


def chat_center(concurrency: int, agents: int, rate_per_hour: float, *, slowdown: float = 0.0,
                channel: str = "chat", hours: int = 24) -> ccsim.Scenario:
    queue = {"channel": channel, "arrivals": {"per_hour": rate_per_hour}, "handle_time": {"dist": EXP, "mean": 300},
             "service_level": {"threshold": 30, "target": 0.8}}
    if channel == "chat":
        queue.update(concurrency=concurrency, slowdown=slowdown)
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "00:00", "end": "24:00", "days": hours // 24}, "interval": "60m", "warmup": 7200,
        "queues": {"q": queue}, "agent_groups": {"agents": {"skills": ["q"], "staff": agents}},
    })


def test_chat_with_concurrency_one_is_a_call():
    chat = ccsim.simulate(chat_center(1, 10, 100), replications=2, seed=4, records=True)
    voice = ccsim.simulate(chat_center(1, 10, 100, channel="voice"), replications=2, seed=4, records=True)
    pd.testing.assert_frame_equal(chat.contacts, voice.contacts)
    pd.testing.assert_frame_equal(chat.groups, voice.groups)


@pytest.mark.parametrize(("concurrency", "agents", "load"), [(3, 5, 0.85), (2, 8, 0.9)])
def test_concurrency_without_slowdown_is_erlang_c_with_n_times_c_servers(concurrency, agents, load):
    servers = concurrency * agents
    rate = load * servers * 3600 / 300
    res = ccsim.simulate(chat_center(concurrency, agents, rate, hours=48), replications=30, seed=1)
    k = kpi_samples(res)
    assert_in_ci(k["service_level"], float(erlang.service_level(rate, 300, servers, 30)))
    assert_in_ci(k["asa"], float(erlang.asa(rate, 300, servers)))
    waited = np.array([np.mean(rec.legs["wait_s"] > 0) for rec in full_records(res)])
    assert_in_ci(waited, float(erlang.erlang_c(rate * 300 / 3600, servers)))
    occupancy = np.array([rec.busy_s.sum() / rec.present_s.sum() for rec in res.records])
    assert_in_ci(occupancy, load)                     # a chat is 1 / concurrency of an agent


def test_slowdown_stretches_handle_time_with_chats_in_hand():
    plain = ccsim.simulate(chat_center(3, 5, 150), replications=3, seed=2).kpis.loc["q"]
    slow = ccsim.simulate(chat_center(3, 5, 150, slowdown=0.25), replications=3, seed=2).kpis.loc["q"]
    assert 300 * 0.95 < plain["aht"] < 300 * 1.05
    assert plain["aht"] * 1.05 < slow["aht"] < 300 * 1.5 * 1.05     # 1 + 0.25 x (0 to 2 other chats in hand)
    assert slow["asa"] > plain["asa"]


def test_an_agent_never_holds_a_call_and_a_chat_at_once():
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "16:00"}, "interval": "60m",
        "queues": {"calls": {"arrivals": {"per_hour": 6}, "handle_time": {"dist": EXP, "mean": 240}},
                   "chats": {"channel": "chat", "concurrency": 3, "arrivals": {"per_hour": 20},
                             "handle_time": {"dist": EXP, "mean": 360}}},
        "agent_groups": {"solo": {"skills": ["calls", "chats"], "staff": 1}},
    })
    res = ccsim.simulate(sc, replications=3, seed=6, records=True)
    for rep, legs in res.legs.groupby("replication"):
        served = legs[legs.outcome == "answered"].sort_values("answer_time")
        start, end, chat = served.answer_time.to_numpy(), served.end_time.to_numpy(), (served.queue == "chats").to_numpy()
        for i in np.flatnonzero(~chat):                 # a call overlaps nothing
            others = np.arange(len(served)) != i
            assert not np.any(others & (start < end[i] - 1e-9) & (end > start[i] + 1e-9)), rep
        times = np.r_[start[chat], end[chat]]
        steps = np.r_[np.ones(chat.sum()), -np.ones(chat.sum())]
        order = np.lexsort((steps, times))               # ends before starts at equal times
        assert np.cumsum(steps[order]).max() <= 3, rep   # never more than 3 chats in hand
    assert (res.legs.outcome == "answered").sum() > 50


def test_email_backlog_grows_by_day_drains_by_night_and_loses_nothing():
    """Email arrives 08:00-18:00 faster than the day shift can answer; the night shift drains it."""
    day = [0] * 8 + [40] * 10 + [0] * 6                     # emails per hour, midnight to midnight
    staff = [4] * 8 + [2] * 10 + [4] * 6
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "00:00", "end": "24:00", "days": 3}, "interval": "60m",
        "queues": {"mail": {"channel": "email", "arrivals": {"per_interval": day},
                            "handle_time": {"dist": EXP, "mean": 300},
                            "service_level": {"threshold": "2h", "target": 0.9}}},
        "agent_groups": {"back_office": {"skills": ["mail"], "staff": staff}},
    })
    res = ccsim.simulate(sc, replications=5, seed=3)
    iv = res.intervals[res.intervals.queue == "mail"].set_index("interval")
    evening = iv.loc[[17, 41, 65], "backlog_end"].to_numpy()          # 18:00 each day
    morning = iv.loc[[31, 55], "backlog_end"].to_numpy()              # 08:00 the next days
    assert (evening > 100).all()                                      # 400 in, about 240 out
    assert (morning < 5).all()
    assert iv.loc[17, "oldest_age_end"] > 2 * 3600                    # the oldest waited hours
    k = kpi_samples(res, "mail")
    np.testing.assert_array_equal(k["offered"], k["answered"] + k["in_system"])
    assert (k["abandoned"] == 0).all()
    drained = [rec.legs["outcome"].size - (rec.legs["outcome"] == 1).sum() for rec in full_records(res)]
    assert max(drained) < 5                                           # by midnight of day 3 nearly all answered


def test_email_with_patience_is_an_error():
    with pytest.raises(Exception, match="never abandons"):
        ccsim.load_scenario({"horizon": {"start": "08:00", "end": "10:00"},
                             "queues": {"m": {"channel": "email", "arrivals": {"per_hour": 1},
                                              "handle_time": {"dist": EXP, "mean": 60},
                                              "patience": {"dist": EXP, "mean": 60}}},
                             "agent_groups": {"g": {"skills": ["m"], "staff": 1}}})
