"""Severity grading: each class a process of its own with its share of the tickets, priority,
limits, escalation target and promise; bad classes refused with their field path."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

import ccsim
from ccsim.errors import ScenarioError
from ccsim.model.plan import compile_plan
from ccsim.scenario.severity import apply_severity
from ccsim.stats import mean_ci

GRADED = yaml.safe_load("""
name: graded
horizon: {start: "08:00", end: "20:00", days: 3}
interval: 60m
processes:
  ticket:
    arrivals: {per_hour: 10}
    promise: 2d
    severity:
      high: {share: 0.2, priority: 0, time_limits: {dispatch: 30m}, escalate_to: management, promise: 1d}
      medium: {share: 0.5}
      low: {share: 0.3, priority: 3}
    stages:
      - {name: grading, queue: grading, time_limit: 30m}
      - {name: dispatch, queue: dispatch, time_limit: 1h}
queues:
  grading: {channel: email, handle_time: {dist: exponential, mean: 5m}, service_level: {threshold: 30m}}
  dispatch: {channel: email, handle_time: {dist: exponential, mean: 10m}, service_level: {threshold: 1h}}
  management: {channel: email, handle_time: {dist: exponential, mean: 10m}}
agent_groups:
  support: {skills: [grading, dispatch], staff: 3}
  managers: {skills: [management], staff: 1}
""")


def test_each_class_is_a_process_with_its_own_rules():
    sc = apply_severity(ccsim.load_scenario(GRADED))
    assert list(sc.processes) == ["ticket/high", "ticket/medium", "ticket/low"]
    high, medium, low = sc.processes.values()
    assert [p.arrivals.per_hour for p in (high, medium, low)] == pytest.approx([2.0, 5.0, 3.0])
    assert [s.time_limit for s in high.stages] == [1800.0, 1800.0]
    assert [s.escalate_to for s in high.stages] == ["management", "management"]
    assert [s.priority for s in high.stages] == [0, 0] and [s.priority for s in low.stages] == [3, 3]
    assert [s.time_limit for s in medium.stages] == [1800.0, 3600.0] and medium.stages[0].escalate_to is None
    assert (high.promise, medium.promise, low.promise) == (86400.0, 172800.0, 172800.0)
    plan = compile_plan(ccsim.load_scenario(GRADED))
    assert plan.process_names == ("ticket/high", "ticket/medium", "ticket/low")
    assert plan.stages[0][1].escalate_queue == plan.queue_names.index("management")


def test_classes_share_the_tickets_and_higher_priority_waits_less():
    res = ccsim.simulate(GRADED, replications=8, seed=2)
    started = res.processes["started"]
    expected = 10 * 12 * 3 * np.array([0.2, 0.5, 0.3])
    low, high = res.processes["started_ci_low"].to_numpy(), res.processes["started_ci_high"].to_numpy()
    assert ((low <= expected) & (expected <= high)).all(), (started, expected)
    # the tickets graded high wait less for grading than those graded low, paired by replication
    frame = res.per_replication
    waits = frame[(frame.level == "stage") & (frame.kpi == "wait")].pivot(index="replication", columns="name",
                                                                          values="value")
    _, low_ci, _ = mean_ci((waits["ticket/low/1"] - waits["ticket/high/1"]).to_numpy())
    assert low_ci > 0
    assert list(res.processes.index) == ["ticket/high", "ticket/medium", "ticket/low"]


def test_csv_arrivals_are_split_too(tmp_path):
    (tmp_path / "volumes.csv").write_text("interval_start,volume\n" + "".join(f"{h:02d}:00,12\n" for h in range(8, 20)))
    data = copy.deepcopy(GRADED)
    data["processes"]["ticket"]["arrivals"] = {"csv": "volumes.csv"}
    path = tmp_path / "graded.yml"
    path.write_text(yaml.safe_dump(data))
    sc = apply_severity(ccsim.load_scenario(path))
    assert sc.processes["ticket/low"].arrivals.volumes == pytest.approx((3.6,) * 12)


@pytest.mark.parametrize("change, path, fragment", [
    ({"low": {"share": 0.4}}, "processes.ticket.severity", "add up to 1.1"),
    ({"high": {"share": 0.2, "time_limits": {"repair": "1h"}}}, "processes.ticket.severity.high.time_limits.repair",
     "names no stage of the process; stages: grading, dispatch"),
    ({"high": {"share": 0.2, "escalate_to": "boss"}}, "processes.ticket.severity.high.escalate_to",
     "names unknown queue 'boss'"),
    ({"high": {"share": 0}}, "processes.ticket.severity.high.share", "greater than 0"),
])
def test_bad_classes_are_refused_naming_the_field(change, path, fragment):
    data = copy.deepcopy(GRADED)
    data["processes"]["ticket"]["severity"].update(change)
    with pytest.raises(ScenarioError) as err:
        ccsim.load_scenario(data)
    assert path in str(err.value) and fragment in str(err.value), str(err.value)
