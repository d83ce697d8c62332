"""Builders for single-queue test scenarios and per-replication KPI samples."""

from __future__ import annotations

import numpy as np

import ccsim
from ccsim.kpis import QUEUE_KPIS, queue_kpis
from ccsim.model.replication import ReplicationRecords, run_replication
from ccsim.stats import mean_ci


def single_queue(rate_per_hour: float, aht_s: float, agents: int, *, patience_s: float | None = None,
                 threshold_s: float = 20.0, hours: int = 24, warmup_s: float = 7200.0,
                 abandons: str = "exclude_within_threshold") -> ccsim.Scenario:
    """M/M/c (or M/M/c+M with `patience_s`) over a continuous `hours`-hour horizon."""
    days, rem = divmod(hours, 24)
    assert rem == 0, "hours must be whole days so the horizon is continuous"
    queue = {
        "arrivals": {"per_hour": rate_per_hour},
        "handle_time": {"dist": "exponential", "mean": aht_s},
        "service_level": {"threshold": threshold_s, "target": 0.8, "abandons": abandons},
    }
    if patience_s is not None:
        queue["patience"] = {"dist": "exponential", "mean": patience_s}
    return ccsim.Scenario.model_validate({
        "name": "single queue",
        "horizon": {"start": "00:00", "end": "24:00", "days": days},
        "interval": "60m",
        "warmup": warmup_s,
        "queues": {"q": queue},
        "agent_groups": {"agents": {"skills": ["q"], "staff": agents}},
    })


def kpi_samples(res: ccsim.Results, queue: str = "q") -> dict[str, np.ndarray]:
    """Per-replication values of every queue KPI for `queue`."""
    row = (*res.plan.queue_names, "ALL").index(queue)
    samples = np.stack([queue_kpis(res.plan, rec)[row] for rec in res.records])
    return {k: samples[:, j] for j, k in enumerate(QUEUE_KPIS)}


def p_wait_samples(res: ccsim.Results) -> np.ndarray:
    """Per replication: share of contacts that had to wait at all (answered or not)."""
    return np.array([np.mean(rec.legs["wait_s"] > 0) for rec in full_records(res)])


def assert_in_ci(samples: np.ndarray, expected: float, confidence: float = 0.99) -> None:
    mean, lo, hi = mean_ci(samples, confidence)
    assert lo <= expected <= hi, f"analytic {expected:.5g} outside {confidence:.0%} CI [{lo:.5g}, {hi:.5g}] (mean {mean:.5g})"


def full_records(res: ccsim.Results) -> list[ReplicationRecords]:
    """The replications of `res` run again with their per-contact record arrays (replication r
    always uses the random streams of (seed, r), so these are the same replications)."""
    return [run_replication(res.plan, res.seed, r) for r in range(res.replications)]
