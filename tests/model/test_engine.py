"""Engine bookkeeping: conservation, Little's law, priorities, staffing changes, reproducibility."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

import ccsim
from ccsim.model.arrivals import draw_arrivals
from ccsim.model.engine import Engine
from ccsim.model.plan import compile_plan
from ccsim.model.states import ABANDONED, ANSWERED, IN_SERVICE_AT_END, WAITING, WAITING_AT_END
from ccsim.stats import mean_ci
from tests.model.helpers import full_records, kpi_samples, single_queue


def two_queue(priority_a: int, priority_b: int, agents: int = 9, policy: str = "priority_then_longest_wait"):
    queue = lambda p: {  # noqa: E731
        "arrivals": {"per_hour": 120}, "priority": p,
        "handle_time": {"dist": "exponential", "mean": 120},
        "patience": {"dist": "exponential", "mean": 600},
    }
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "20:00"}, "interval": "60m",
        "queues": {"a": queue(priority_a), "b": queue(priority_b)},
        "agent_groups": {"pool": {"skills": ["a", "b"], "staff": agents}},
        "routing": {"policy": policy},
    })


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rates=hs.lists(hs.floats(0, 400), min_size=4, max_size=4),
    staff=hs.lists(hs.integers(0, 8), min_size=4, max_size=4),
    patience=hs.one_of(hs.none(), hs.floats(1, 600)),
    warmup=hs.sampled_from([0, 900]),
    seed=hs.integers(0, 2**32 - 1),
)
def test_every_arrival_is_accounted_for(rates, staff, patience, warmup, seed):
    """offered = answered + abandoned + in_system in every replication, for any load and staffing.
    Each side is counted on its own: offered from the drawn arrivals, answered and abandoned from
    the legs' outcomes, in_system by the engine walking its waiting lines at the end; in_service
    (agents still busy) against the services ending at or after the end."""
    queue = {"arrivals": {"per_interval": [r / 2 for r in rates]}, "handle_time": {"dist": "lognormal", "mean": 300, "cv": 1.2}}
    if patience is not None:
        queue["patience"] = {"dist": "exponential", "mean": patience}
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "09:00", "end": "11:00"}, "interval": "30m", "warmup": warmup,
        "queues": {"q": queue, "r": {**queue, "priority": 2}},
        "agent_groups": {"g": {"skills": {"q": 1, "r": 2}, "staff": staff}, "h": {"skills": ["r"], "staff": 1}},
    })
    res = ccsim.simulate(sc, replications=2, seed=seed, records=True)
    plan = res.plan
    k = kpi_samples(res, "ALL")
    for i, rec in enumerate(full_records(res)):
        drawn = draw_arrivals(plan, seed, rec.replication)
        offered = np.sum(drawn.time >= plan.start_s)
        assert rec.contacts["arrival_s"].size == offered
        outcome = rec.legs["outcome"]
        answered, abandoned = (outcome == ANSWERED).sum(), (outcome == ABANDONED).sum()
        assert offered == answered + abandoned + k["in_system"][i]
        assert k["answered"][i] == answered and k["abandoned"][i] == abandoned
        running = (outcome == ANSWERED) & (rec.legs["end_s"] >= plan.end_s)
        assert k["in_service"][i] == running.sum()
    for queue_name in ("q", "r"):
        k = kpi_samples(res, queue_name)
        q = plan.queue_names.index(queue_name)
        waiting = [((rec.legs["queue"] == q) & (rec.legs["outcome"] == WAITING)).sum() for rec in full_records(res)]
        np.testing.assert_array_equal(k["in_system"], waiting)
    # the engine's walk agrees with its own running counters: waiting per line, busy agents per group
    engine = Engine(plan, seed, 0)
    at_end = engine.run().legs["at_end"]
    assert (at_end == WAITING_AT_END).sum() == sum(engine.lines.n_waiting(ln) for ln in range(plan.n_lines))
    assert (at_end == IN_SERVICE_AT_END).sum() == sum(pool.busy for pool in engine.pools)
    contacts = res.contacts
    answered = contacts[contacts.outcome == "answered"]
    assert (answered.wait >= 0).all() and answered.agent_group.notna().all()
    assert (contacts.wait >= 0).all()
    abandoned = contacts[contacts.outcome == "abandoned"]
    assert abandoned.answer_time.isna().all()


def test_littles_law_for_the_waiting_line():
    """Time-average number waiting, sampled at Poisson instants (PASTA) from the engine's own
    counters, equals arrival rate x mean time in line computed from the contact records."""
    sc = single_queue(190, 180, 10, patience_s=300, hours=24, warmup_s=0)
    plan = compile_plan(sc)
    rng = np.random.default_rng(5)
    samples_l, samples_w = [], []
    for rep in range(10):
        engine = Engine(plan, 3, rep)
        seen: list[int] = []

        def probe(env=engine.env, seen=seen):
            while True:
                yield env.timeout(rng.exponential(30.0))
                seen.append(engine.lines.n_waiting(0))

        engine.env.process(probe())
        legs = engine.run().legs
        waited = np.where(legs["state"] == 1, legs["answer"], np.where(legs["state"] == 2, legs["end"], plan.end_s)) \
            - legs["enqueue"]
        samples_l.append(np.mean(seen))
        samples_w.append(waited.sum() / (plan.end_s - plan.start_s))  # = lambda_hat * W
    diff_mean, lo, hi = mean_ci(np.array(samples_l) - np.array(samples_w), 0.99)
    assert lo <= 0 <= hi, (diff_mean, lo, hi)
    assert abs(diff_mean) < 0.05 * np.mean(samples_w)


def test_priority_decides_which_queue_waits():
    """Same load on two queues sharing agents: the higher-priority queue waits less, and swapping
    priorities swaps the roles; fifo treats them alike."""
    def asa(sc):
        res = ccsim.simulate(sc, replications=10, seed=4)
        return kpi_samples(res, "a")["asa"], kpi_samples(res, "b")["asa"]

    a_first, b_last = asa(two_queue(1, 2))
    assert mean_ci(b_last - a_first)[1] > 5.0  # b waits > 5 s longer on average, with 95% confidence
    a_last, b_first = asa(two_queue(2, 1))
    assert mean_ci(a_last - b_first)[1] > 5.0
    fa, fb = asa(two_queue(1, 2, policy="fifo"))
    lo, hi = mean_ci(fa - fb)[1:]
    assert lo < 0 < hi


def test_skill_rank_prefers_the_primary_group():
    """Arrivals go to the group that ranks the queue 1 while one of its agents is idle."""
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "12:00"}, "interval": "60m",
        "queues": {"q": {"arrivals": {"per_hour": 20}, "handle_time": {"dist": "exponential", "mean": 60}}},
        "agent_groups": {"backup": {"skills": {"q": 2}, "staff": 5}, "primary": {"skills": {"q": 1}, "staff": 5}},
    })
    handled = ccsim.simulate(sc, replications=3, seed=1).groups["handled"]
    assert handled["primary"] > 0 and handled["backup"] == 0


def test_agents_leaving_finish_the_contact_in_hand():
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "09:00"}, "interval": "30m",
        "queues": {"q": {"arrivals": {"per_interval": [60, 60]}, "handle_time": {"dist": "deterministic", "value": 600}}},
        "agent_groups": {"g": {"skills": ["q"], "staff": [4, 0]}},
    })
    res = ccsim.simulate(sc, replications=2, seed=1, records=True)
    c = res.contacts
    answered = c[c.outcome == "answered"]
    boundary = 8.5 * 3600
    assert len(answered) > 0 and (answered.answer_time < boundary).all()
    # the last contacts started before 08:30 end up to 10 minutes later: agents stayed to finish
    assert answered.end_time.max() > boundary
    gi = res.group_intervals
    present = gi.set_index("interval")["present_hours"]
    assert present[0] == pytest.approx(2.0)
    assert 0 < present[1] <= 4 * 600 / 3600
    assert (c[c.arrival >= boundary].outcome == "in_system").all()


def test_staff_increase_takes_waiting_contacts_at_once():
    sc = ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "09:00"}, "interval": "30m",
        "queues": {"q": {"arrivals": {"per_interval": [30, 0]}, "handle_time": {"dist": "deterministic", "value": 60}}},
        "agent_groups": {"g": {"skills": ["q"], "staff": [0, 30]}},
    })
    c = ccsim.simulate(sc, replications=1, seed=1, records=True).contacts
    assert (c.outcome == "answered").all() and (c.answer_time == 8.5 * 3600).all()


def test_warmup_is_simulated_but_not_counted():
    with_warmup = ccsim.simulate(single_queue(200, 180, 12, hours=24, warmup_s=3600), replications=3, seed=2, records=True)
    assert with_warmup.contacts.arrival.min() >= 0
    # offered is close to 200/h x 24 h: the warmup hour's ~200 arrivals are not in it
    offered = with_warmup.kpis.loc["q", "offered"]
    assert abs(offered - 4800) < 4 * np.sqrt(4800)


def test_same_seed_same_results_and_independent_of_workers():
    sc = ccsim.load_scenario("scenarios/hotline.yml")
    one = ccsim.simulate(sc, replications=4, seed=9, workers=1, records=True)
    again = ccsim.simulate(sc, replications=4, seed=9, workers=1)
    two = ccsim.simulate(sc, replications=4, seed=9, workers=2, records=True)
    pd.testing.assert_frame_equal(one.kpis, again.kpis)
    pd.testing.assert_frame_equal(one.kpis, two.kpis)
    pd.testing.assert_frame_equal(one.contacts, two.contacts)
    other = ccsim.simulate(sc, replications=4, seed=10)
    assert not one.kpis.equals(other.kpis)


def test_results_tables_have_the_documented_shape():
    res = ccsim.simulate("scenarios/hotline.yml", replications=2, seed=1, records=True)
    queues = list(res.scenario.queues)
    assert list(res.kpis.index) == [*queues, "ALL"]
    for kpi in ("offered", "answered", "abandoned", "in_system", "service_level", "asa", "wait_p50",
                "wait_p90", "wait_p95", "abandon_rate"):
        assert {kpi, f"{kpi}_ci_low", f"{kpi}_ci_high"} <= set(res.kpis.columns)
    assert list(res.groups.index) == [*res.scenario.agent_groups, "ALL"]
    assert {"occupancy", "handled", "cost"} <= set(res.groups.columns)
    assert len(res.intervals) == res.scenario.n_intervals * (len(queues) + 1)
    assert {"offered", "answered", "abandoned", "service_level", "asa", "staff"} <= set(res.intervals.columns)
    assert list(res.contacts.columns)[:12] == [
        "replication", "contact_id", "queue", "arrival", "wait", "outcome", "answer_time", "end_time",
        "agent_group", "handle_time", "transfers", "escalated"]
    # interval offered sums to the queue's offered
    per_queue = res.intervals.groupby("queue")["offered"].sum()
    assert per_queue["billing"] == pytest.approx(res.kpis.loc["billing", "offered"])
    # occupancy stays a share, and cost follows staffed hours
    assert ((res.groups.occupancy > 0) & (res.groups.occupancy <= 1)).all()
    g = res.groups.loc["front_office"]
    assert g.cost == pytest.approx(g.staffed_hours * 28.0)
