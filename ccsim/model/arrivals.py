"""Draw a replication's contacts up front: nonhomogeneous Poisson arrival times per queue with
their handle times and patience, merged into one time-ordered set of arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ccsim.model.plan import Plan
from ccsim.model.streams import stream


@dataclass(frozen=True, slots=True)
class Arrivals:
    """One row per contact in arrival order; times in seconds."""

    time: np.ndarray       # float
    queue: np.ndarray      # int
    handle_s: np.ndarray   # float
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
    """All contacts of one replication, the warmup (at the first interval's rate) included."""
    starts = plan.interval_start
    lengths = np.full(starts.size, plan.interval_s)
    if plan.warmup_s > 0:
        starts = np.concatenate([[plan.start_s - plan.warmup_s], starts])
        lengths = np.concatenate([[plan.warmup_s], lengths])
    times, queues, handles, patiences = [], [], [], []
    for q in range(plan.n_queues):
        key = plan.stream_key[q]
        rates = plan.rates_per_s[q]
        if plan.warmup_s > 0:
            rates = np.concatenate([[rates[0]], rates])
        t = poisson_times(stream(seed, replication, "arrivals", key), starts, lengths, rates)
        times.append(t)
        queues.append(np.full(t.size, q, dtype=np.int64))
        handles.append(plan.handle_time[q].sample(stream(seed, replication, "handle_time", key), t.size))
        patience = plan.patience[q]
        patiences.append(np.full(t.size, np.inf) if patience is None
                         else patience.sample(stream(seed, replication, "patience", key), t.size))
    time = np.concatenate(times)
    order = np.argsort(time, kind="stable")
    return Arrivals(time[order], np.concatenate(queues)[order],
                    np.concatenate(handles)[order], np.concatenate(patiences)[order])
