"""Draw a replication's fresh contacts up front: nonhomogeneous Poisson arrival times per source
(a queue, or a process entering its first stage) with handle times and patience, merged into one
time-ordered set of arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccsim.model.plan import Plan
from ccsim.model.streams import stream


@dataclass(frozen=True, slots=True)
class Arrivals:
    """One row per fresh contact in arrival order; times in seconds."""

    time: np.ndarray        # float
    source: np.ndarray      # int: queue index, or n_queues + process index
    handle_s: np.ndarray    # float, at the entry queue
    patience_s: np.ndarray  # float, inf where nobody abandons

    def __len__(self) -> int:
        return self.time.size


def poisson_times(rng: np.random.Generator, starts: np.ndarray, length_s: np.ndarray,
                  rate_per_s: np.ndarray) -> np.ndarray:
    """Sorted arrival times of a Poisson process with a rate constant on each window."""
    counts = rng.poisson(rate_per_s * length_s)
    offsets = rng.random(counts.sum()) * np.repeat(length_s, counts)
    times = np.repeat(starts, counts) + offsets
    times.sort()
    return times


def draw_arrivals(plan: Plan, seed: int, replication: int) -> Arrivals:
    """All fresh contacts of one replication, the warmup (at the first interval's rate) included."""
    starts = plan.interval_start
    lengths = np.full(starts.size, plan.interval_s)
    if plan.warmup_s > 0:
        starts = np.concatenate([[plan.start_s - plan.warmup_s], starts])
        lengths = np.concatenate([[plan.warmup_s], lengths])
    times, sources, handles, patiences = [], [], [], []
    busyness = _busyness(plan, seed, replication)
    for source, key in enumerate(plan.source_key):
        rates = plan.rates_per_s[source] * busyness
        if not rates.any():
            continue
        if plan.warmup_s > 0:
            rates = np.concatenate([[rates[0]], rates])
        queue, _ = plan.source_entry(source)
        t = poisson_times(stream(seed, replication, "arrivals", key), starts, lengths, rates)
        times.append(t)
        sources.append(np.full(t.size, source, dtype=np.int64))
        handles.append(plan.handle_time[queue].sample(stream(seed, replication, "handle_time", key), t.size))
        patience = plan.patience[queue]
        patiences.append(np.full(t.size, np.inf) if patience is None
                         else patience.sample(stream(seed, replication, "patience", key), t.size))
        if plan.deflection[source] > 0:      # self-service takes these before they reach an agent
            kept = stream(seed, replication, "deflection", key).random(t.size) >= plan.deflection[source]
            for drawn in (times, handles, patiences):
                drawn[-1] = drawn[-1][kept]
            sources[-1] = sources[-1][kept]
    if not times:
        empty = np.zeros(0)
        return Arrivals(empty, np.zeros(0, dtype=np.int64), empty, empty)
    time = np.concatenate(times)
    order = np.argsort(time, kind="stable")
    return Arrivals(time[order], np.concatenate(sources)[order],
                    np.concatenate(handles)[order], np.concatenate(patiences)[order])


def _busyness(plan: Plan, seed: int, replication: int) -> np.ndarray:
    """Per interval: the day's random busyness factor (lognormal, mean 1, cv `forecast_cv`), or 1."""
    if plan.forecast_cv <= 0:
        return np.ones(plan.n_intervals)
    day = (plan.interval_start // 86400).astype(int)
    sigma2 = np.log1p(plan.forecast_cv**2)
    factors = stream(seed, replication, "forecast").lognormal(-sigma2 / 2, np.sqrt(sigma2), day.max() + 1)
    return factors[day]
