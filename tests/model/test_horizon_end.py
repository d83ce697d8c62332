"""The end of the horizon: services still running decide nothing, backlog not yet late is
censored, and what is left in the system is counted directly, not as a remainder."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.kpis import CUSTOMER_KPIS, customer_kpis
from ccsim.model.states import ANSWERED, IN_SERVICE_AT_END, OPEN, WAITING
from ccsim.stats import mean_ci
from tests.model.helpers import assert_in_ci, full_records, kpi_samples

EXP = "exponential"


def _transfers_in_one_hour() -> ccsim.Scenario:
    """One hour of 300 calls/h with 10-minute services: about a sixth of the services are still
    running at 09:00. After a service of `a`: transfer to `b` with probability 0.3, else resolved
    with probability 0.5."""
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "09:00"}, "interval": "60m",
        "queues": {"a": {"arrivals": {"per_hour": 300}, "handle_time": {"dist": EXP, "mean": 600}, "fcr": 0.5,
                         "transfers": [{"to": "b", "probability": 0.3}]},
                   "b": {"handle_time": {"dist": EXP, "mean": 300}}},
        "agent_groups": {"front": {"skills": ["a"], "staff": 60}, "back": {"skills": ["b"], "staff": 30}},
    })


def test_services_running_at_the_end_count_in_no_fcr_or_transfer_denominator():
    """Hand-computed truth among decided services of `a`: transfer rate 0.3, FCR (0.7 x 0.5) 0.35.
    The decision is drawn independently of the handle time, so which services ended by 09:00
    tells nothing about their decisions: the estimate among decided services is unbiased, and a
    99% Student-t interval over 20 replications must cover the truth (seed fixed, so the test is
    deterministic; the interval is its tolerance)."""
    res = ccsim.simulate(_transfers_in_one_hour(), replications=20, seed=1)
    plan = res.plan
    k = kpi_samples(res, "a")
    assert_in_ci(k["transfer_rate"], 0.30)
    assert_in_ci(k["fcr"], 0.35)
    front = np.stack([ccsim.kpis.group_kpis(plan, rec)[0] for rec in res.records])
    assert_in_ci(front[:, ccsim.kpis.GROUP_KPIS.index("fcr")], 0.35)
    # customers entering at `a`: FCR and transferred shares hang on the first service only
    customers = np.stack([customer_kpis(plan, rec)[0] for rec in res.records])
    assert_in_ci(customers[:, CUSTOMER_KPIS.index("fcr")], 0.35)
    assert_in_ci(customers[:, CUSTOMER_KPIS.index("transferred")], 0.30)
    # in service: counted from the services ending at or after 09:00, independently of the engine's walk
    end_s = plan.end_s
    a = plan.queue_names.index("a")
    running = [((rec.legs["queue"] == a) & (rec.legs["outcome"] == ANSWERED) & (rec.legs["end_s"] >= end_s)).sum()
               for rec in full_records(res)]
    np.testing.assert_array_equal(k["in_service"], running)
    assert min(running) > 20
    for rec in full_records(res):
        legs = rec.legs
        in_service = legs["at_end"] == IN_SERVICE_AT_END
        assert (legs["result"][in_service] == OPEN).all()
        assert ((legs["end_s"] >= end_s) == in_service)[legs["outcome"] == ANSWERED].all()
    # counting running services as resolved (the old estimator) misses the truth by far
    old = [((legs["queue"] == a) & (legs["outcome"] == ANSWERED) & (legs["result"] != 1)).sum()
           / ((legs["queue"] == a) & (legs["outcome"] == ANSWERED)).sum() for legs in (r.legs for r in full_records(res))]
    assert mean_ci(np.array(old), 0.99)[1] > 0.40


def _email_day(staff: int, threshold: str) -> ccsim.Scenario:
    """12 hours of email at 60/h with 10-minute handling (10 Erlangs)."""
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "20:00"}, "interval": "60m",
        "queues": {"mail": {"channel": "email", "arrivals": {"per_hour": 60},
                            "handle_time": {"dist": EXP, "mean": 600},
                            "service_level": {"threshold": threshold, "target": 0.9}}},
        "agent_groups": {"desk": {"skills": ["mail"], "staff": staff}},
    })


@pytest.mark.parametrize("staff", [8, 12])
def test_backlog_due_in_24h_is_censored_not_late(staff):
    """Nothing can be late after 12 hours when the due time is 24 hours: every answer is on
    time, so the service level is exactly 1, and every email still waiting is censored."""
    res = ccsim.simulate(_email_day(staff, "24h"), replications=4, seed=2, records=True)
    k = kpi_samples(res, "mail")
    assert (k["service_level"] == 1.0).all()
    contacts = res.contacts
    waiting = contacts[contacts.outcome == "in_system"].groupby("replication").size()
    waiting = waiting.reindex(range(res.replications), fill_value=0).to_numpy()
    np.testing.assert_array_equal(k["censored"], waiting)
    np.testing.assert_array_equal(k["in_system"], waiting)
    if staff == 8:
        assert waiting.min() > 50            # under-staffed: a real backlog at 20:00
    iv = res.intervals[res.intervals.queue == "mail"]
    assert ((iv.service_level == 1.0) | iv.service_level.isna()).all()
    assert iv.censored.sum() == pytest.approx(waiting.mean())


def test_backlog_older_than_the_threshold_is_a_miss():
    """Due in 1 hour with 8 agents for 10 Erlangs: emails waiting longer than an hour at the end
    are misses already; younger ones are censored. Hand count from the legs of each replication."""
    res = ccsim.simulate(_email_day(8, "1h"), replications=4, seed=2)
    k = kpi_samples(res, "mail")
    sl, censored = [], []
    for rec in full_records(res):
        legs = rec.legs
        answered, waiting = legs["outcome"] == ANSWERED, legs["outcome"] == WAITING
        late_waiting = waiting & (legs["wait_s"] > 3600)
        assert late_waiting.sum() > 0
        sl.append((answered & (legs["wait_s"] <= 3600)).sum() / (answered.sum() + late_waiting.sum()))
        censored.append((waiting & (legs["wait_s"] <= 3600)).sum())
    np.testing.assert_allclose(k["service_level"], sl)
    np.testing.assert_array_equal(k["censored"], censored)
