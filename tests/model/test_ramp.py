"""Learning ramps: a lever's effect grows period by period as configured, for handle times and
first-contact resolution, for groups and pilots; bad ramps are refused."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.errors import ScenarioError
from ccsim.model.plan import compile_plan, ramp_share
from ccsim.model.states import ANSWERED, RESOLVED
from ccsim.stats import mean_ci
from tests.model.helpers import full_records


def _center(group: dict, days: int = 3, fcr: float = 1.0) -> dict:
    return {
        "name": "learning", "horizon": {"start": "00:00", "end": "24:00", "days": days}, "interval": "60m",
        "queues": {"q": {"arrivals": {"per_hour": 20}, "handle_time": {"dist": "deterministic", "value": 300},
                         "fcr": fcr}},
        "agent_groups": {"team": {"skills": ["q"], "staff": 4, **group}},
    }


def test_ramp_share_by_period():
    ramp = (86400.0, (0.0, 0.5, 1.0))
    assert [ramp_share(ramp, t) for t in (-5.0, 0.0, 86399.0, 86400.0, 2 * 86400.0, 30 * 86400.0)] == \
        [0.0, 0.0, 0.0, 0.5, 1.0, 1.0]
    assert ramp_share(None, 1e9) == 1.0


def test_handle_times_follow_the_ramp_day_by_day_exactly():
    sc = _center({"handle_time_factor": 0.5, "ramp": [0, 0.5, 1], "ramp_every": "1d"})
    res = ccsim.simulate(sc, replications=2, seed=1)
    for rec in full_records(res):
        legs = rec.legs
        served = legs["outcome"] == ANSWERED
        day = (legs["answer_s"][served] // 86400).astype(int)
        handle = legs["handle_s"][served]
        for d, expected in enumerate((300.0, 225.0, 150.0)):
            assert np.allclose(handle[day == d], expected), (d, np.unique(handle[day == d]))


def test_fcr_follows_the_ramp():
    sc = _center({"fcr_change": 0.3, "ramp": [0, 1], "ramp_every": "1d"}, days=2, fcr=0.6)
    res = ccsim.simulate(sc, replications=10, seed=3)
    shares = {0: [], 1: []}
    for rec in full_records(res):
        legs = rec.legs
        served = (legs["outcome"] == ANSWERED) & np.isfinite(legs["end_s"])
        day = (legs["answer_s"][served] // 86400).astype(int)
        resolved = legs["result"][served] == RESOLVED
        for d in shares:
            shares[d].append(resolved[day == d].mean())
    for d, expected in ((0, 0.6), (1, 0.9)):
        _, low, high = mean_ci(np.array(shares[d]))
        assert low <= expected <= high, (d, low, high)


def test_a_pilot_on_agents_ramps_in_its_own_group_only():
    sc = ccsim.load_scenario({**_center({}), "pilot": {"share": 0.5, "handle_time_factor": 0.8, "ramp": [0.5, 1]}})
    plan = compile_plan(sc)
    assert plan.group_names == ("team", "team (pilot)")
    assert plan.ramp == (None, (7 * 86400.0, (0.5, 1.0)))


@pytest.mark.parametrize("ramp, fragment", [([0.5, 1.2], "agent_groups.team.ramp.1"), ([], "agent_groups.team.ramp")])
def test_bad_ramps_are_refused_naming_the_field(ramp, fragment):
    with pytest.raises(ScenarioError) as err:
        ccsim.load_scenario(_center({"handle_time_factor": 0.9, "ramp": ramp}))
    assert fragment in str(err.value)
