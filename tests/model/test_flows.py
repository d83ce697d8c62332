"""Process flows against theory and bookkeeping: Jackson networks, conservation of every kind of
arrival, repeat contacts, escalation limits, callbacks and multi-stage time limits."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim import erlang
from ccsim.model.arrivals import draw_arrivals
from ccsim.model.engine import Engine
from ccsim.model.states import (
    ABANDONED, ANSWERED, CALLBACK, CALLBACK_LEG, ESCALATED, ESCALATION, FRESH, IN_SERVICE_AT_END, REPEAT, RETRIAL,
    TIER, TRANSFER, TRANSFERRED, UNRESOLVED, WAITING, WAITING_AT_END,
)
from ccsim.stats import mean_ci
from tests.model.helpers import assert_in_ci, full_records, kpi_samples

EXP = "exponential"


def _scenario(queues: dict, groups: dict, *, hours: int = 24, warmup: float = 0.0, processes: dict | None = None,
              start: str = "00:00", end: str = "24:00", interval: str = "60m") -> ccsim.Scenario:
    data = {"horizon": {"start": start, "end": end, "days": max(hours // 24, 1)}, "interval": interval,
            "warmup": warmup, "queues": queues, "agent_groups": groups}
    if processes:
        data["processes"] = processes
    return ccsim.Scenario.model_validate(data)


# -- an open Jackson network --------------------------------------------------------------------

JACKSON_RATES = {"a": 200.0, "b": 100.0, "c": 0.0}          # fresh arrivals per hour
JACKSON_AHT = {"a": 180.0, "b": 240.0, "c": 240.0}
JACKSON_AGENTS = {"a": 14, "b": 14, "c": 7}
# routing after service: a -> b 0.3; b -> c 0.5; c -> a 0.2 (a feedback loop)
ROUTING = np.array([[0.0, 0.3, 0.0], [0.0, 0.0, 0.5], [0.2, 0.0, 0.0]])


def test_transfer_network_matches_jackson():
    """Effective arrival rates from the traffic equations, each node Erlang C: P(wait) and ASA
    inside the simulation's 99% confidence interval, offered volume per queue too."""
    fresh = np.array(list(JACKSON_RATES.values()))
    rates = np.linalg.solve(np.eye(3) - ROUTING.T, fresh)      # lambda = fresh + R^T lambda
    names = list(JACKSON_RATES)
    queues = {}
    for i, q in enumerate(names):
        queues[q] = {"handle_time": {"dist": EXP, "mean": JACKSON_AHT[q]},
                     "transfers": [{"to": names[j], "probability": float(p)} for j, p in enumerate(ROUTING[i]) if p]}
        if JACKSON_RATES[q]:
            queues[q]["arrivals"] = {"per_hour": JACKSON_RATES[q]}
    groups = {f"team_{q}": {"skills": [q], "staff": JACKSON_AGENTS[q]} for q in names}
    res = ccsim.simulate(_scenario(queues, groups, hours=48, warmup=7200), replications=20, seed=11)
    for i, q in enumerate(names):
        k = kpi_samples(res, q)
        hours = 48.0
        assert_in_ci(k["offered"] / hours, rates[i])
        assert_in_ci(k["asa"], float(erlang.asa(rates[i], JACKSON_AHT[q], JACKSON_AGENTS[q])))
        assert_in_ci(k["service_level"], float(erlang.service_level(rates[i], JACKSON_AHT[q], JACKSON_AGENTS[q], 20)))
        waited = np.array([np.mean(rec.legs["wait_s"][rec.legs["queue"] == i] > 0) for rec in full_records(res)])
        assert_in_ci(waited, float(erlang.erlang_c(rates[i] * JACKSON_AHT[q] / 3600, JACKSON_AGENTS[q])))
        assert_in_ci(k["transfer_rate"], ROUTING[i].sum())


# -- conservation with every flow at once -------------------------------------------------------

def _everything(seed_staff: int = 4) -> ccsim.Scenario:
    short = {"dist": EXP, "mean": 240}
    queues = {
        "l1": {"arrivals": {"per_hour": 50}, "handle_time": short, "patience": {"dist": EXP, "mean": 90},
               "fcr": 0.7, "unresolved": {"escalate_to": "l2"},
               "transfers": [{"to": "billing", "probability": 0.1}],
               "retrial": {"probability": 0.6, "delay": {"dist": EXP, "mean": 600}, "max_attempts": 3},
               "callback": {"offer_over": 60, "acceptance": 0.5, "due": "30m"},
               "escalation": {"after": 120, "to": "supervisors"}},
        "l2": {"handle_time": {"dist": EXP, "mean": 480}, "patience": {"dist": EXP, "mean": 300}, "fcr": 0.8,
               "unresolved": {"repeat": {"probability": 0.9, "delay": {"dist": EXP, "mean": 1800},
                                         "max_attempts": 3}}},
        "billing": {"arrivals": {"per_hour": 20}, "handle_time": short, "patience": {"dist": EXP, "mean": 200},
                    "escalation": {"after": 60, "priority": 0}},
        "supervisors": {"handle_time": short},
        "intake": {"handle_time": {"dist": EXP, "mean": 120}},
        "followup": {"handle_time": {"dist": EXP, "mean": 180}},
    }
    groups = {
        "front": {"skills": {"l1": 1, "billing": 2, "intake": 3}, "staff": seed_staff},
        "experts": {"skills": ["l2", "followup"], "staff": 3},
        "leads": {"skills": ["supervisors"], "staff": 1},
    }
    processes = {"ticket": {"arrivals": {"per_hour": 6}, "promise": "1d", "stages": [
        {"queue": "intake", "time_limit": "10m", "escalate_to": "supervisors"},
        {"queue": "followup", "delay": "30m", "time_limit": "1h"},
    ]}}
    return _scenario(queues, groups, hours=24, start="08:00", end="20:00", processes=processes)


@pytest.mark.parametrize("staff", [1, 4, 8])
def test_every_arrival_of_every_kind_ends_in_one_outcome(staff):
    sc = _everything(staff)
    res = ccsim.simulate(sc, replications=3, seed=5)
    plan = res.plan
    for rec in full_records(res):
        legs, contacts = rec.legs, rec.contacts
        origin, outcome, result = legs["origin"], legs["outcome"], legs["result"]
        # every leg has exactly one outcome, every contact too
        assert np.isin(outcome, [WAITING, ANSWERED, ABANDONED, ESCALATED, CALLBACK]).all()
        assert np.isin(contacts["outcome"], [WAITING, ANSWERED, ABANDONED, ESCALATED, CALLBACK]).all()
        # fresh contacts are exactly the drawn arrivals; returns are repeats and retrials
        drawn = draw_arrivals(plan, 5, rec.replication)
        kind = contacts["kind"]
        assert (kind == FRESH).sum() == len(drawn)
        engine = Engine(plan, 5, rec.replication)
        raw = engine.run()
        assert (kind != FRESH).sum() == engine.flows.returns_arrived == raw.contacts["kind"].size - len(drawn)
        assert engine.flows.returns_scheduled == engine.flows.returns_arrived + rec.returns_pending
        # what is left at the end, walked by the engine, agrees with its running counters
        assert (raw.legs["at_end"] == WAITING_AT_END).sum() == sum(engine.lines.n_waiting(ln) for ln in range(plan.n_lines))
        assert (raw.legs["at_end"] == IN_SERVICE_AT_END).sum() == sum(pool.busy for pool in engine.pools)
        # each move out of a leg created exactly one new leg of the matching origin
        answered = outcome == ANSWERED
        assert (origin == TRANSFER).sum() == (answered & (result == TRANSFERRED)).sum()
        l1 = plan.queue_names.index("l1")
        assert (origin == TIER).sum() == (answered & (result == UNRESOLVED) & (legs["queue"] == l1)).sum()
        assert (origin == CALLBACK_LEG).sum() == (outcome == CALLBACK).sum()
        assert (origin == ESCALATION).sum() == (outcome == ESCALATED).sum()
        # repeat contacts only follow unresolved services, retrials only abandonments
        l2 = plan.queue_names.index("l2")
        assert (kind == REPEAT).sum() <= (answered & (result == UNRESOLVED) & (legs["queue"] == l2)).sum()
        assert (kind == RETRIAL).sum() <= (outcome == ABANDONED).sum()
        assert contacts["attempt"].max() <= 3
        # every leg belongs to a contact, every contact has a leg or waits for a delayed stage
        assert (legs["contact"] >= 0).all()
    # each side counted on its own: outcomes from the legs, in_system from the engine's walk
    for name in (*plan.queue_names, "ALL"):
        k = kpi_samples(res, name)
        counted = {kpi: _inbound(res, name, outcome) for kpi, outcome in (
            ("answered", ANSWERED), ("abandoned", ABANDONED), ("escalated", ESCALATED), ("callbacks", CALLBACK))}
        for kpi, count in counted.items():
            np.testing.assert_array_equal(k[kpi], count)
        np.testing.assert_array_equal(k["offered"], sum(counted.values()) + k["in_system"])
    # where the offered legs came from, counted from contacts, drawn arrivals and decisions
    k = kpi_samples(res, "ALL")
    for i, rec in enumerate(full_records(res)):
        legs, kind = rec.legs, rec.contacts["kind"]
        answered = legs["outcome"] == ANSWERED
        l1 = plan.queue_names.index("l1")
        assert k["offered_fresh"][i] == len(draw_arrivals(plan, 5, rec.replication))
        assert k["offered_repeat"][i] == (kind == REPEAT).sum() and k["offered_retrial"][i] == (kind == RETRIAL).sum()
        assert k["offered_transfer"][i] == (answered & (legs["result"] == TRANSFERRED)).sum()
        assert k["offered_escalation"][i] == (legs["outcome"] == ESCALATED).sum() \
            + (answered & (legs["result"] == UNRESOLVED) & (legs["queue"] == l1)).sum()
    np.testing.assert_array_equal(
        k["offered"], k["offered_fresh"] + k["offered_repeat"] + k["offered_retrial"] + k["offered_transfer"]
        + k["offered_escalation"] + _stage_legs(res, "ALL"))


def _inbound(res: ccsim.Results, name: str, outcome: int) -> np.ndarray:
    """Inbound (not callback) legs of queue `name` (or "ALL") with `outcome`, per replication."""
    rows = []
    for rec in full_records(res):
        legs = rec.legs
        mine = np.ones(legs["queue"].size, bool) if name == "ALL" else legs["queue"] == res.plan.queue_names.index(name)
        rows.append((mine & (legs["origin"] != CALLBACK_LEG) & (legs["outcome"] == outcome)).sum())
    return np.array(rows)


def _stage_legs(res: ccsim.Results, name: str) -> np.ndarray:
    """Inbound legs that later process stages put in a queue, per replication."""
    from ccsim.model.states import STAGE
    rows = []
    for rec in full_records(res):
        mine = np.ones(rec.legs["queue"].size, bool) if name == "ALL" else \
            rec.legs["queue"] == res.plan.queue_names.index(name)
        rows.append((mine & (rec.legs["origin"] == STAGE)).sum())
    return np.array(rows)


# -- repeat contacts ------------------------------------------------------------------------------

@pytest.mark.parametrize(("fcr", "max_attempts"), [(0.6, 3), (0.8, 2), (0.5, 5)])
def test_attempts_per_customer_follow_the_geometric_formula(fcr, max_attempts):
    """FCR p, every unresolved customer comes back, at most k contacts: mean (1 - (1-p)^k) / p."""
    volumes = [60] * 8 + [0] * 4                                # nobody new in the last 4 hours
    queues = {"help": {"arrivals": {"per_interval": volumes}, "handle_time": {"dist": EXP, "mean": 120},
                       "fcr": fcr, "unresolved": {"repeat": {"delay": {"dist": EXP, "mean": 300},
                                                             "max_attempts": max_attempts}}}}
    sc = _scenario(queues, {"team": {"skills": ["help"], "staff": 12}}, start="08:00", end="20:00")
    res = ccsim.simulate(sc, replications=30, seed=3)
    expected = (1 - (1 - fcr) ** max_attempts) / fcr
    samples = np.array([_customer(res, rec, "contacts_per_customer") for rec in res.records])
    assert_in_ci(samples, expected)
    resolved = np.array([_customer(res, rec, "resolved") for rec in res.records])
    assert_in_ci(resolved, 1 - (1 - fcr) ** max_attempts)
    assert res.customers.loc["help", "repeat_contacts"] > 0
    assert all(rec.returns_pending == 0 for rec in res.records)


def _customer(res: ccsim.Results, rec, kpi: str) -> float:
    from ccsim.kpis import CUSTOMER_KPIS, customer_kpis
    return customer_kpis(res.plan, rec)[-1, CUSTOMER_KPIS.index(kpi)]


def test_fcr_improvement_reduces_load():
    """The manager's lever: a higher FCR means fewer repeat contacts and less offered volume."""
    def offered(fcr):
        queues = {"help": {"arrivals": {"per_hour": 60}, "handle_time": {"dist": EXP, "mean": 240}, "fcr": fcr,
                           "unresolved": {"repeat": {"delay": {"dist": EXP, "mean": 600}, "max_attempts": 4}}}}
        sc = _scenario(queues, {"team": {"skills": ["help"], "staff": 8}}, start="08:00", end="20:00")
        return ccsim.simulate(sc, replications=5, seed=9).kpis.loc["help"]
    low, high = offered(0.6), offered(0.9)
    assert high["offered_repeat"] < low["offered_repeat"] / 2
    assert high["offered"] < low["offered"]
    assert high["offered_fresh"] == low["offered_fresh"]          # same fresh arrivals (common random numbers)


# -- retrials --------------------------------------------------------------------------------------

def test_retrials_follow_abandonments():
    """Every abandonment retries with probability r: retrials / abandonments of attempts that may
    still retry is r within its confidence interval; retrial volume is reported separately."""
    queues = {"q": {"arrivals": {"per_interval": [150] * 10 + [0] * 2}, "handle_time": {"dist": EXP, "mean": 240},
                    "patience": {"dist": EXP, "mean": 60},
                    "retrial": {"probability": 0.4, "delay": {"dist": EXP, "mean": 300}, "max_attempts": 10}}}
    sc = _scenario(queues, {"team": {"skills": ["q"], "staff": 9}}, start="08:00", end="20:00")
    res = ccsim.simulate(sc, replications=20, seed=4)
    records = full_records(res)
    share = np.array([(rec.contacts["kind"] == RETRIAL).sum() / (rec.legs["outcome"] == ABANDONED).sum()
                      for rec in records])
    assert_in_ci(share, 0.4)
    k = res.kpis.loc["q"]
    retrials = np.mean([(rec.contacts["kind"] == RETRIAL).sum() for rec in records])
    fresh = np.mean([(rec.contacts["kind"] == FRESH).sum() for rec in records])
    assert k["offered_retrial"] == pytest.approx(retrials) and retrials > 0 and k["offered_fresh"] == pytest.approx(fresh)
    # eventually served: more than first-attempt answers, since retrials get through
    served = np.array([_customer(res, rec, "resolved") for rec in records])
    first = np.array([np.mean(rec.contacts["outcome"][rec.contacts["attempt"] == 1] == ANSWERED)
                      for rec in records])
    assert (served > first).all()


# -- escalation on waiting -----------------------------------------------------------------------

def _escalating(after, **rule) -> ccsim.Scenario:
    queues = {"q": {"arrivals": {"per_hour": 200}, "handle_time": {"dist": EXP, "mean": 180},
                    "escalation": {"after": after, **rule}},
              "sup": {"handle_time": {"dist": EXP, "mean": 180}}}
    groups = {"team": {"skills": ["q"], "staff": 10}, "leads": {"skills": ["sup"], "staff": 3}}
    return _scenario(queues, groups, start="08:00", end="16:00")


def test_zero_wait_limit_escalates_every_waiting_contact():
    res = ccsim.simulate(_escalating(0, to="sup"), replications=3, seed=2)
    for rec in full_records(res):
        legs = rec.legs
        first = legs["queue"] == 0
        had_agent_at_once = (legs["outcome"] == ANSWERED) & (legs["wait_s"] == 0)
        assert (first & ~had_agent_at_once == first & (legs["outcome"] == ESCALATED)).all()
        assert (first & (legs["outcome"] == ESCALATED)).sum() > 50
    assert res.kpis.loc["q", "escalated"] > 0
    assert res.kpis.loc["sup", "offered_escalation"] == res.kpis.loc["q", "escalated"]


def test_wait_limit_beyond_every_wait_escalates_nobody():
    res = ccsim.simulate(_escalating("30d", to="sup"), replications=3, seed=2, records=True)
    assert res.kpis.loc["q", "escalated"] == 0 and res.kpis.loc["sup", "offered"] == 0
    assert (res.contacts.escalations == 0).all()
    # the same arrivals and services as without any escalation rule
    queues = {"q": {"arrivals": {"per_hour": 200}, "handle_time": {"dist": EXP, "mean": 180}},
              "sup": {"handle_time": {"dist": EXP, "mean": 180}}}
    plain = _scenario(queues, {"team": {"skills": ["q"], "staff": 10}, "leads": {"skills": ["sup"], "staff": 3}},
                      start="08:00", end="16:00")
    base = ccsim.simulate(plain, replications=3, seed=2, records=True)
    np.testing.assert_array_equal(base.contacts.wait, res.contacts.wait)


def test_priority_raise_in_place_serves_long_waiters_first():
    res = ccsim.simulate(_escalating(0, priority=0), replications=2, seed=2, records=True)
    contacts = res.contacts
    waited = contacts.wait > 0
    assert (contacts.escalations[waited] == 1).all() and (contacts.escalations[~waited] == 0).all()
    assert res.kpis.loc["q", "escalated"] == 0                # raised in place: the contact did not move


# -- callbacks ---------------------------------------------------------------------------------

def _callbacks(offer_over, acceptance) -> ccsim.Scenario:
    queues = {"q": {"arrivals": {"per_interval": [260] * 4 + [60] * 4}, "handle_time": {"dist": EXP, "mean": 180},
                    "patience": {"dist": EXP, "mean": 120},
                    "callback": {"offer_over": offer_over, "acceptance": acceptance, "due": "2h"}}}
    return _scenario(queues, {"team": {"skills": ["q"], "staff": 10}}, start="08:00", end="16:00")


def test_callbacks_replace_waiting_and_are_served_when_the_queue_is_quiet():
    res = ccsim.simulate(_callbacks(30, 1.0), replications=5, seed=8)
    k = res.kpis.loc["q"]
    assert k["callbacks"] > 100
    assert k["callbacks_answered"] == pytest.approx(k["callbacks"], rel=0.02)
    assert k["callback_within_due"] > 0.9
    # nobody was left waiting with an expected wait above the threshold: abandonment falls
    none = ccsim.simulate(_callbacks("30d", 1.0), replications=5, seed=8).kpis.loc["q"]
    assert none["callbacks"] == 0
    assert k["abandon_rate"] < none["abandon_rate"] / 2


def test_callback_acceptance_share():
    res = ccsim.simulate(_callbacks(1, 0.3), replications=10, seed=8)
    offered = np.array([(rec.legs["outcome"] == CALLBACK).sum() for rec in full_records(res)])
    waited = np.array([((rec.legs["origin"] != CALLBACK_LEG) & (rec.legs["wait_s"] > 0)).sum() for rec in full_records(res)])
    share = offered / (offered + waited)
    mean, lo, hi = mean_ci(share, 0.99)
    assert lo <= 0.3 <= hi + 0.02, (mean, lo, hi)   # a few waiters were never offered (no agent staffed)


# -- multi-stage processes -----------------------------------------------------------------------

def _process(stage_limit: str, staff_first: int, *, escalate: bool = False) -> ccsim.Scenario:
    fixed = {"dist": "deterministic", "value": 600}
    queues = {"intake": {"handle_time": fixed}, "visit": {"handle_time": fixed}, "mgmt": {"handle_time": fixed}}
    groups = {"desk": {"skills": ["intake"], "staff": staff_first}, "field": {"skills": ["visit"], "staff": 50},
              "managers": {"skills": ["mgmt"], "staff": 50}}
    first = {"queue": "intake", "time_limit": stage_limit}
    if escalate:
        first["escalate_to"] = "mgmt"
    processes = {"repair": {"arrivals": {"per_hour": 4}, "promise": "3h", "stages": [
        first, {"queue": "visit", "delay": "1h", "time_limit": "15m"}]}}
    return _scenario(queues, groups, start="08:00", end="20:00", processes=processes)


def test_stages_with_ample_agents_finish_within_their_limits_exactly():
    res = ccsim.simulate(_process("15m", 50), replications=2, seed=1, records=True)
    stages = res.stages
    assert stages["within_limit"].tolist() == [1.0, 1.0]
    assert stages["wait"].tolist() == [0.0, 0.0]
    np.testing.assert_allclose(stages["stage_time"], 600.0)
    done = res.contacts[res.contacts.resolved]
    np.testing.assert_allclose(done.resolution_time, 600 + 3600 + 600)   # two services and the delay
    # every ticket whose 3-hour promise fell due in the horizon kept it; late arrivals cannot finish
    assert res.processes.loc["repair", "within_promise"] == 1.0
    assert res.processes.loc["repair", "completed"] < res.processes.loc["repair", "started"]
    late = res.contacts[~res.contacts.resolved]
    assert (late.arrival > 20 * 3600 - 4800).all()
    # the tickets still open at the end are younger than their promise: censored, not missed
    assert len(late) > 0 and res.processes.loc["repair", "censored"] == pytest.approx(len(late) / res.replications)


def test_stage_limit_shorter_than_the_work_is_always_missed():
    res = ccsim.simulate(_process("5m", 50), replications=2, seed=1, records=True)
    assert res.stages["within_limit"].tolist() == [0.0, 1.0]


def test_overdue_stage_escalates_at_its_limit():
    """Nobody staffs the first stage: every ticket waits exactly its 30-minute limit, then
    management (ample) takes it at once."""
    res = ccsim.simulate(_process("30m", 0, escalate=True), replications=2, seed=1, records=True)
    legs = res.legs
    intake = legs[(legs.queue == "intake") & (legs.enqueue_time < 20 * 3600 - 1800)]
    assert (intake.outcome == "escalated").all()
    np.testing.assert_allclose(intake.wait, 1800)
    mgmt = legs[legs.queue == "mgmt"]
    assert len(mgmt) == len(intake) and np.allclose(mgmt.wait, 0) and (mgmt.origin == "escalation").all()
    first = res.stages.iloc[0]
    assert first["wait"] == pytest.approx(1800) and first["within_limit"] == 0.0
    assert (res.contacts.escalations[res.contacts.stages_completed > 0] == 1).all()
