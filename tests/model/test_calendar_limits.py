"""Limits on the business calendar in simulated scenarios: the service level, its censored count,
stage within_limit and process within_promise judged against each item's own due time.

The center is open 09:00-21:00 and staffed (amply: 10 agents, 1-minute emails) only 09:00-15:00;
the calendar's working hours are 09:00-17:00, Monday to Friday. Work arriving after 15:00 waits
for the next morning, so which of it is late depends on how the limit is counted."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

import ccsim
from tests.model.helpers import full_records, kpi_samples

BASE = yaml.safe_load("""
name: calendar
horizon: {start: "09:00", end: "21:00", days: 1, first_day: mon}
interval: 60m
calendar: {start: "09:00", end: "17:00"}
queues:
  email:
    channel: email
    arrivals: {per_hour: 30}
    handle_time: {dist: deterministic, value: 60}
    service_level: {threshold: 2h, target: 0.8}
agent_groups:
  team: {skills: [email], staff: [10, 10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0]}
""")
H = 3600.0


def _run(data: dict, replications: int = 4) -> ccsim.Results:
    return ccsim.simulate(ccsim.load_scenario(data), replications=replications, seed=7)


def _with_threshold(threshold) -> dict:
    data = copy.deepcopy(BASE)
    data["queues"]["email"]["service_level"]["threshold"] = threshold
    return data


def test_working_hours_threshold_judges_evening_mail_tomorrow():
    plain, working = _run(_with_threshold("2h")), _run(_with_threshold({"working": "2h"}))
    arrivals = [rec.legs["enqueue_s"] for rec in full_records(plain)]
    early = np.array([(a < 15 * H).sum() for a in arrivals])           # all answered at once (10 agents)
    late = np.array([((a >= 15 * H) & (a < 19 * H)).sum() for a in arrivals])
    evening = np.array([(a >= 19 * H).sum() for a in arrivals])
    # clock hours: mail of 15:00-19:00 has waited over 2 h at 21:00 (a miss); from 19:00 on it is censored
    kpis = kpi_samples(plain, "email")
    assert kpis["service_level"] == pytest.approx(early / (early + late))
    assert kpis["censored"].tolist() == evening.tolist()
    # working hours: mail after 15:00 is due tomorrow (15:30 -> 09:30 Tuesday), so none has missed
    # yet: every answered one was on time and the rest is censored. Same seed, same arrivals.
    kpis = kpi_samples(working, "email")
    assert kpis["service_level"].tolist() == [1.0] * 4
    assert kpis["censored"].tolist() == (late + evening).tolist()
    assert kpis["offered"].tolist() == (early + late + evening).tolist()


TICKET = yaml.safe_load("""
name: tracking
horizon: {start: "09:00", end: "21:00", days: 2, first_day: mon}
interval: 60m
calendar: {start: "09:00", end: "17:00"}
queues:
  tracking:
    channel: email
    handle_time: {dist: deterministic, value: 60}
processes:
  ticket:
    arrivals: {per_hour: 20}
    promise: {working_days: 1}
    stages:
      - {name: track, queue: tracking, time_limit: {by: "17:00"}}
agent_groups:
  team: {skills: [tracking], staff: [10, 10, 10, 10, 10, 10, 0, 0, 0, 0, 0, 0]}
""")


def _stage_and_process(data: dict) -> tuple[float, float]:
    res = _run(data, replications=3)
    return float(res.stages["within_limit"].iloc[0]), float(res.processes["within_promise"].iloc[0])


def test_clock_deadline_before_and_after_the_cutoff():
    # tickets are tracked at once 09:00-15:00, the rest at 09:00 the next day. By 17:00 (cutoff 17:00):
    # tickets of 15:00-17:00 are due today and all late; later ones are due tomorrow and on time.
    res = _run(TICKET, replications=3)
    done = [rec.stages for rec in full_records(res)]
    entry = [s["entry_s"] for s in done]
    expected = np.mean([1 - ((e >= 15 * H) & (e < 17 * H)).sum() / e.size for e in entry])
    assert float(res.stages["within_limit"].iloc[0]) == pytest.approx(expected)
    assert expected < 0.95                  # the afternoon's tickets are a real share, not a rounding
    # with a 15:00 cutoff everything after 15:00 counts from the next working day: all on time
    early_cutoff = copy.deepcopy(TICKET)
    early_cutoff["processes"]["ticket"]["stages"][0]["time_limit"] = {"by": "17:00", "cutoff": "15:00"}
    assert _stage_and_process(early_cutoff)[0] == 1.0


def test_working_days_promise_against_plain_seconds():
    # one working day (09:00-17:00 Monday to Friday): a ticket of Monday 16:00 is due Tuesday 16:00 and met
    # at 09:01 Tuesday; a plain 8 h promise misses it
    _, working_days = _stage_and_process(TICKET)
    plain = copy.deepcopy(TICKET)
    plain["processes"]["ticket"]["promise"] = "8h"
    _, eight_hours = _stage_and_process(plain)
    assert working_days == 1.0
    assert eight_hours < 0.9


def test_stage_escalates_at_its_due_time():
    # a stage due by 17:00 and escalated to a staffed queue then: the tickets of 15:00-17:00 move at 17:00
    data = copy.deepcopy(TICKET)
    data["queues"]["desk"] = {"channel": "email", "handle_time": {"dist": "deterministic", "value": 60}}
    data["agent_groups"]["desk"] = {"skills": ["desk"], "staff": 5}
    data["processes"]["ticket"]["stages"][0]["escalate_to"] = "desk"
    res = _run(data, replications=1)
    rec = full_records(res)[0]
    legs = rec.legs
    desk = (*res.plan.queue_names,).index("desk")
    moved = legs["queue"] == desk
    assert moved.any()
    # escalated legs enter the desk queue at 17:00 on day 1 or 2, never at another time
    assert set(np.round(legs["enqueue_s"][moved] % 86400 / H, 6)) == {17.0}
