"""Size estimates before a run: close to the truth for small scenarios, refusals naming the key
for sizes this machine cannot hold, a warning for long runs, and `force`."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import ccsim
from ccsim import budget
from ccsim.errors import ScenarioError
from tests.model.helpers import full_records

AVAILABLE = 24 * 10**9          # the memory the refusal tests assume, whatever this machine has


def scenario(**changes) -> ccsim.Scenario:
    """One voice queue, 12 hours of 30-minute intervals, 10 replications; `changes` by dotted key."""
    data = {
        "name": "budget", "horizon": {"start": "08:00", "end": "20:00", "days": 1}, "interval": "30m",
        "replications": 10,
        "queues": {"billing": {"arrivals": {"per_hour": 60}, "handle_time": {"dist": "exponential", "mean": 180},
                               "patience": {"dist": "exponential", "mean": 120}}},
        "agent_groups": {"team": {"skills": ["billing"], "staff": 5}},
    }
    for key, value in changes.items():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[last] = value
    return ccsim.Scenario.model_validate(data)


def legs_per_replication(sc: ccsim.Scenario, replications: int = 4) -> float:
    res = ccsim.simulate(sc, replications=replications, seed=3)
    return float(np.mean([rec.legs["queue"].size for rec in full_records(res)]))


@pytest.mark.parametrize("changes", [
    {},
    {"horizon.days": 2, "warmup": "2h"},
    # half the billing calls unresolved, and every such customer calls again: ~2 legs per fresh contact
    {"queues.billing.fcr": 0.5,
     "queues.billing.unresolved": {"repeat": {"probability": 1.0, "delay": {"dist": "exponential", "mean": 600},
                                              "max_attempts": 5}}},
])
def test_contacts_estimate_is_within_a_factor_of_the_contacts_simulated(changes):
    sc = scenario(**changes)
    est = budget.estimate(sc)
    measured = legs_per_replication(sc)
    # the estimate counts the warmup's legs too; the records keep only the measured period's
    kept = est.legs - est.warmup_legs
    assert 0.7 < kept / measured < 1.4, (kept, measured)
    assert est.intervals == sc.n_intervals


def test_estimate_counts_agents_breaks_and_the_busiest_source():
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "16:00", "days": 3},
        "queues": {"a": {"arrivals": {"per_hour": 10}, "handle_time": {"dist": "exponential", "mean": 60}},
                   "b": {"arrivals": {"per_interval": [30] * 16}, "handle_time": {"dist": "exponential", "mean": 60}}},
        "agent_groups": {"x": {"skills": ["a", "b"], "shifts": [
            {"start": "08:00", "length": "8h", "count": 7, "breaks": [{"after": "2h", "length": "15m"}]}]},
            "y": {"skills": ["a"], "staff": [1, 4] + [2] * 14}},
    })
    est = budget.estimate(sc)
    assert est.busiest == "queues.b.arrivals"
    assert est.legs == pytest.approx(3 * (10 * 8 + 30 * 16))
    assert est.agents == 7 + 4
    assert est.breaks == 7 * 1 * 3          # one break per agent and day worked
    assert est.busiest_group == "agent_groups.x.shifts"


@pytest.mark.parametrize("changes, key, fragment", [
    ({"queues.billing.arrivals": {"per_hour": 1e12}}, "queues.billing.arrivals", "contacts"),
    ({"agent_groups.team.staff": 10**9}, "agent_groups.team.staff", "1e+09 agents"),
    ({"warmup": "100000d"}, "warmup", "warmup of 1e+05 days"),
    ({"horizon.days": 100000}, "horizon.days", "2,400,000 intervals"),
    ({"replications": 10_000_000}, "replications", "10000000 replications"),
])
def test_sizes_beyond_the_memory_are_refused_naming_the_key(changes, key, fragment):
    est = budget.estimate(scenario(**changes))
    [problem] = budget.size_problems(est, available_bytes=AVAILABLE)
    assert problem.path == key
    assert fragment in problem.message
    assert "needs ~" in problem.message and "24 GB available" in problem.message
    assert "--force" in problem.message
    assert budget.size_problems(est, force=True, available_bytes=AVAILABLE) == []


def test_the_scenarios_shipped_fit():
    for name in ("hotline", "after_sales", "omnichannel", "tiered_support"):
        sc = ccsim.load_scenario(f"scenarios/{name}.yml")
        assert budget.size_problems(budget.estimate(sc), available_bytes=AVAILABLE) == []


@pytest.mark.parametrize("changes, key, fragment", [
    ({"queues.billing.arrivals": {"per_hour": 1e20}}, "queues.billing.arrivals", "more than can be drawn"),
    ({"horizon.days": 10**8}, "horizon.days", "no longer resolve a millisecond"),
])
def test_impossible_sizes_are_refused_even_with_force(changes, key, fragment):
    est = budget.estimate(scenario(**changes))
    for force in (False, True):
        [problem] = budget.size_problems(est, force=force, available_bytes=AVAILABLE)
        assert problem.path == key and fragment in problem.message


def test_a_long_run_warns_with_its_estimate_and_a_short_one_does_not(monkeypatch):
    monkeypatch.setattr(budget, "available_memory_bytes", lambda: 10**18)
    long = scenario(**{"queues.billing.arrivals": {"per_hour": 1e6}})
    assert budget.estimate(long).seconds > budget.WARN_SECONDS
    with pytest.warns(budget.SizeWarning, match=r"this run will take about [\d.]+ min \(10 replications of about 1.2e\+07 contacts"):
        budget.check_size(long)
    with warnings.catch_warnings():
        warnings.simplefilter("error", budget.SizeWarning)
        est = budget.check_size(scenario())
    assert est.seconds < budget.WARN_SECONDS


def test_simulate_refuses_before_allocating_and_force_overrides(monkeypatch):
    monkeypatch.setattr(budget, "available_memory_bytes", lambda: 1000)
    sc = scenario()
    with pytest.raises(ScenarioError, match="needs ~.* of memory, this machine has 1 KB available"):
        ccsim.simulate(sc, replications=2)
    assert ccsim.simulate(sc, replications=2, force=True).replications == 2


def test_simulate_refuses_a_trillion_arrivals_at_once():
    # without the check, drawing the arrivals tries to allocate terabytes
    with pytest.raises(ScenarioError, match="queues.billing.arrivals: about 1.2e\\+13 contacts"):
        ccsim.simulate(scenario(**{"queues.billing.arrivals": {"per_hour": 1e12}}), replications=1)


def test_available_memory_is_read_from_the_machine():
    assert budget.available_memory_bytes() > 10**6
