"""The business calendar and limits on it in scenario files: accepted shapes, clear errors for
bad ones (file, line, field path, what is allowed), and scenarios that write back and reload."""

from __future__ import annotations

import pickle

import pytest
import yaml

import ccsim
from ccsim.scenario.calendar import CalendarLimit
from ccsim.scenario.dump import scenario_text
from tests.badinput.cli import assert_clean_error, run_cli

SCENARIO = """\
name: calendar
horizon: {start: "08:00", end: "20:00", days: 7, first_day: mon}
interval: 1h
calendar: {start: "09:00", end: "18:00", holidays: [3], hours: {fri: {start: "09:00", end: "16:00"}}}
queues:
  email:
    channel: email
    arrivals: {per_hour: 10}
    handle_time: {dist: exponential, mean: 5m}
    service_level: {threshold: {working: 2h}, target: 0.9}
processes:
  ticket:
    arrivals: {per_hour: 2}
    promise: {working_days: 2}
    stages:
      - {queue: email, time_limit: {by: "17:00", cutoff: "15:00"}}
agent_groups:
  team: {skills: [email], staff: 3}
"""


def _write(tmp_path, text: str):
    path = tmp_path / "scenario.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_limits_on_the_calendar_load_as_rules_with_a_nominal_length(tmp_path):
    sc = ccsim.load_scenario(_write(tmp_path, SCENARIO))
    threshold = sc.queues["email"].service_level.threshold
    stage = sc.processes["ticket"].stages[0].time_limit
    assert isinstance(threshold, CalendarLimit) and float(threshold) == 7200.0 and threshold.text == "2h working"
    assert sc.processes["ticket"].promise.text == "2 working days"
    assert stage.text == "by 17:00 (cutoff 15:00)" and float(stage) == 17 * 3600.0
    assert sc.calendar.days == ("mon", "tue", "wed", "thu", "fri")
    assert pickle.loads(pickle.dumps(stage)) == stage


def test_a_scenario_with_a_calendar_writes_back_and_reloads_equal(tmp_path):
    sc = ccsim.load_scenario(_write(tmp_path, SCENARIO.replace("{working: 2h}", "{working: 20s}")))
    text = scenario_text(sc)
    assert "working: 20s" in text              # not taken for the default threshold of 20 seconds
    assert ccsim.load_scenario(yaml.safe_load(text)) == sc


def test_plain_seconds_still_compare_as_before(tmp_path):
    sc = ccsim.load_scenario(_write(tmp_path, SCENARIO.replace("{working: 2h}", "2h")))
    assert sc.queues["email"].service_level.threshold == 7200.0
    assert not isinstance(sc.queues["email"].service_level.threshold, CalendarLimit)


@pytest.mark.parametrize("old, new, fragments", [
    ("{working: 2h}", "{working: 0}", ["scenario.yml:10", "queues.email.service_level.threshold", "working",
                                       "> 0 seconds"]),
    ("{working: 2h}", "{within: 2h}", ["queues.email.service_level.threshold", "unknown key 'within'",
                                       "allowed: working, working_days, by, cutoff, days"]),
    ("{working: 2h}", '{working: 2h, by: "17:00"}', ["exactly one of working, working_days, by"]),
    ("{working: 2h}", "{working: 2h, days: 1}", ["cutoff and days go with by"]),
    ("{working_days: 2}", "{working_days: 1.5}", ["processes.ticket.promise", "working_days", "whole number >= 1"]),
    ('cutoff: "15:00"', 'cutoff: "18:00"', ["processes.ticket.stages.0.time_limit",
                                            "cutoff (18:00) must be at or before by (17:00)"]),
    ('{by: "17:00"', '{by: "5pm"', ["by: expected a clock time 'HH:MM'"]),
    ("{working: 2h}", "soon", ["cannot read duration 'soon'", "{working: 2h}"]),
    ("holidays: [3]", "holidays: [0]", ["scenario.yml:4", "calendar.holidays.0",
                                        "a day number of the horizon (1, 2, ...) or a date YYYY-MM-DD"]),
    ("holidays: [3]", "holidays: [2026-10-01]", ["calendar", "need first_date"]),
    ("holidays: [3]", "holidays: [3], first_date: 2026-09-29", [
        "calendar.first_date", "2026-09-29 is a tue but horizon.first_day is mon"]),
    ("hours: {fri:", "hours: {sat:", ["calendar", "hours names sat, not among the working days"]),
    ('end: "18:00"', 'end: "08:00"', ["calendar", "end (08:00) must be after start (09:00)"]),
    ("calendar: {start", "calendar_off: {start", ["calendar_off"]),
])
def test_bad_calendars_and_limits_exit_2_with_the_field(tmp_path, old, new, fragments):
    assert old in SCENARIO
    result = run_cli("validate", _write(tmp_path, SCENARIO.replace(old, new, 1)))
    assert_clean_error(result, *fragments)


def test_limits_on_the_calendar_need_one(tmp_path):
    text = "\n".join(line for line in SCENARIO.splitlines() if not line.startswith("calendar:"))
    result = run_cli("validate", _write(tmp_path, text))
    assert_clean_error(result, "scenario.yml:9: queues.email.service_level.threshold: 2h working counts on the "
                               "business calendar: add calendar:",
                       "processes.ticket.promise: 2 working days counts on the business calendar",
                       "processes.ticket.stages.0.time_limit: by 17:00 (cutoff 15:00) counts on")
