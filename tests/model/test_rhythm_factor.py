"""The focus/rest rhythm's productivity effect: handle times of agents working in a rhythm are
scaled by its `handle_time_factor`, weighted by the share of the group's scheduled agents on
rhythm shifts in each interval."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import yaml

import ccsim
from ccsim.model.plan import compile_plan
from tests.model.helpers import assert_in_ci, full_records

CENTER = yaml.safe_load("""
name: rhythm
horizon: {start: "08:00", end: "16:00", days: 2}
interval: 60m
queues:
  q:
    arrivals: {per_hour: 60}
    handle_time: {dist: exponential, mean: 240}
    service_level: {threshold: 20s}
agent_groups:
  focus:
    skills: [q]
    shifts:
      - {start: "08:00", length: 8h, count: 8, rhythm: {work: 50m, rest: 5m, handle_time_factor: 0.75}}
""")


def _with(shifts: list[dict]) -> ccsim.Scenario:
    data = copy.deepcopy(CENTER)
    data["agent_groups"]["focus"]["shifts"] = shifts
    return ccsim.load_scenario(data)


def test_handle_time_in_rhythm_is_scaled_by_the_factor():
    res = ccsim.simulate(ccsim.load_scenario(CENTER), replications=8, seed=11)
    served = [rec.legs["handle_s"][rec.legs["outcome"] == 1] for rec in full_records(res)]
    # exponential handle times of mean 240 s; every agent works in the rhythm: mean 0.75 x 240 = 180 s,
    # checked against the 99% CI over replications of the per-replication means
    assert_in_ci(np.array([h.mean() for h in served]), 180.0)


def test_no_rhythm_factor_leaves_handle_times_alone_and_pairs_with_it():
    plain = copy.deepcopy(CENTER["agent_groups"]["focus"]["shifts"])
    del plain[0]["rhythm"]["handle_time_factor"]
    a = ccsim.simulate(_with(plain), replications=4, seed=11)
    b = ccsim.simulate(ccsim.load_scenario(CENTER), replications=4, seed=11)
    first = [rec.legs for rec in full_records(a)][0]
    faster = [rec.legs for rec in full_records(b)][0]
    assert compile_plan(_with(plain)).rhythm_factor is None
    # common random numbers: the first contact's drawn handle time is the same, scaled by exactly 0.75
    assert faster["handle_s"][0] == pytest.approx(0.75 * first["handle_s"][0])


def test_factor_is_weighted_by_the_agents_working_in_the_rhythm():
    shifts = [{"start": "08:00", "length": "8h", "count": 6,
               "rhythm": {"work": "50m", "rest": "5m", "handle_time_factor": 0.5}},
              {"start": "12:00", "length": "4h", "count": 2}]
    plan = compile_plan(_with(shifts))
    # 08:00-12:00 all six on the rhythm: 0.5; from 12:00 six of eight: (6 x 0.5 + 2 x 1) / 8 = 0.625
    assert plan.rhythm_factor[0].tolist() == [0.5] * 4 + [0.625] * 4 + [0.5] * 4 + [0.625] * 4
    sc = _with([{**shifts[0], "rhythm": {**shifts[0]["rhythm"], "handle_time_factor": 1.0}}, shifts[1]])
    assert compile_plan(sc).rhythm_factor is None


def test_deterministic_handle_times_show_the_factor_per_interval():
    data = copy.deepcopy(CENTER)
    data["queues"]["q"]["handle_time"] = {"dist": "deterministic", "value": 100}
    data["agent_groups"]["focus"]["shifts"] = [
        {"start": "08:00", "length": "8h", "count": 6,
         "rhythm": {"work": "50m", "rest": "5m", "handle_time_factor": 0.5}},
        {"start": "12:00", "length": "4h", "count": 2}]
    res = ccsim.simulate(ccsim.load_scenario(data), replications=1, seed=3)
    legs = full_records(res)[0].legs
    served = legs["outcome"] == 1
    clock = (legs["answer_s"] % 86400) / 3600
    assert set(np.round(legs["handle_s"][served & (clock < 12)], 9)) == {50.0}
    assert set(np.round(legs["handle_s"][served & (clock >= 12)], 9)) == {62.5}


@pytest.mark.parametrize("factor", [0, -0.5, 3, "fast"])
def test_bad_factors_are_refused(factor):
    data = copy.deepcopy(CENTER)
    data["agent_groups"]["focus"]["shifts"][0]["rhythm"]["handle_time_factor"] = factor
    with pytest.raises(ccsim.ScenarioError, match=r"agent_groups\.focus\.shifts\.0\.rhythm\.handle_time_factor"):
        ccsim.load_scenario(data)
