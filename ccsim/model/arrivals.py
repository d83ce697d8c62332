"""Draw a replication's fresh contacts one block (a day of intervals) at a time: nonhomogeneous
Poisson arrival times per source (a queue, or a process entering its first stage) with handle
times and patience, merged into one time-ordered set of arrays.

The counts per interval are drawn for the whole horizon up front (a few numbers per interval);
times, handle times, patience and deflection are drawn block by block from generators that carry
on across blocks, so the blocks together are exactly the contacts a single draw over the horizon
gives, while a year-long replication holds one day of them at a time.
"""

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


def blocks(plan: Plan) -> list[tuple[slice, float]]:
    """The replication's arrival blocks, one per day with intervals: the slice of its intervals
    and when the block ends (s; the next block's first interval start, the horizon's end for the last)."""
    day = (plan.interval_start // 86400).astype(np.int64)
    first = np.flatnonzero(np.r_[True, day[1:] != day[:-1]])
    ends = [*plan.interval_start[first[1:]].tolist(), plan.end_s]
    bounds = [*first.tolist(), plan.n_intervals]
    return [(slice(a, b), end_s) for a, b, end_s in zip(bounds[:-1], bounds[1:], ends)]


class ArrivalDraws:
    """The fresh contacts of one replication, handed out block by block (`next_block`), the
    warmup (at the first interval's rate) in the first block."""

    def __init__(self, plan: Plan, seed: int, replication: int):
        self.plan = plan
        self._starts, self._lengths = plan.interval_start, np.full(plan.n_intervals, plan.interval_s)
        warmup = plan.warmup_s > 0
        if warmup:
            self._starts = np.concatenate([[plan.start_s - plan.warmup_s], self._starts])
            self._lengths = np.concatenate([[plan.warmup_s], self._lengths])
        busyness = _busyness(plan, seed, replication)
        self._sources = []
        for source, key in enumerate(plan.source_key):
            rates = plan.rates_per_s[source] * busyness
            if not rates.any():
                continue
            if warmup:
                rates = np.concatenate([[rates[0]], rates])
            queue, _ = plan.source_entry(source)
            times = stream(seed, replication, "arrivals", key)
            counts = times.poisson(rates * self._lengths)
            patience = None if plan.patience[queue] is None else stream(seed, replication, "patience", key)
            deflection = stream(seed, replication, "deflection", key) if plan.deflection[source] > 0 else None
            self._sources.append((source, queue, counts, times, stream(seed, replication, "handle_time", key),
                                  patience, deflection))
        # each block's windows: its intervals, the warmup window too in the first
        self._windows = [slice(s.start + warmup * (b > 0), s.stop + warmup) for b, (s, _) in enumerate(blocks(plan))]
        self._next = 0

    def most(self, blocks: int | None = None) -> int:
        """The most fresh contacts (before deflection) in any `blocks` consecutive blocks (all of
        them by default)."""
        per_block = np.array([sum(int(counts[w].sum()) for _, _, counts, *_ in self._sources) for w in self._windows])
        if blocks is None or blocks >= per_block.size:
            return int(per_block.sum())
        sums = np.convolve(per_block, np.ones(blocks, dtype=np.int64), mode="valid")
        return int(sums.max())

    def next_block(self) -> Arrivals:
        """The fresh contacts of the next block, in arrival order."""
        plan, windows = self.plan, self._windows[self._next]
        self._next += 1
        starts, lengths = self._starts[windows], self._lengths[windows]
        times, sources, handles, patiences = [], [], [], []
        for source, queue, counts, time_rng, handle_rng, patience_rng, deflection_rng in self._sources:
            n = counts[windows]
            t = np.repeat(starts, n) + time_rng.random(n.sum()) * np.repeat(lengths, n)
            t.sort()
            handle = plan.handle_time[queue].sample(handle_rng, t.size)
            patience = np.full(t.size, np.inf) if patience_rng is None \
                else plan.patience[queue].sample(patience_rng, t.size)
            if deflection_rng is not None:      # self-service takes these before they reach an agent
                kept = deflection_rng.random(t.size) >= plan.deflection[source]
                t, handle, patience = t[kept], handle[kept], patience[kept]
            times.append(t)
            sources.append(np.full(t.size, source, dtype=np.int64))
            handles.append(handle)
            patiences.append(patience)
        if not times:
            empty = np.zeros(0)
            return Arrivals(empty, np.zeros(0, dtype=np.int64), empty, empty)
        time = np.concatenate(times)
        order = np.argsort(time, kind="stable")
        return Arrivals(time[order], np.concatenate(sources)[order],
                        np.concatenate(handles)[order], np.concatenate(patiences)[order])


def draw_arrivals(plan: Plan, seed: int, replication: int) -> Arrivals:
    """All fresh contacts of one replication (every block's together), the warmup included."""
    draws = ArrivalDraws(plan, seed, replication)
    drawn = [draws.next_block() for _ in blocks(plan)]
    return Arrivals(*(np.concatenate([getattr(a, f) for a in drawn]) for f in Arrivals.__slots__))


def _busyness(plan: Plan, seed: int, replication: int) -> np.ndarray:
    """Per interval: the day's random busyness factor (lognormal, mean 1, cv `forecast_cv`), or 1."""
    if plan.forecast_cv <= 0:
        return np.ones(plan.n_intervals)
    day = (plan.interval_start // 86400).astype(int)
    sigma2 = np.log1p(plan.forecast_cv**2)
    factors = stream(seed, replication, "forecast").lognormal(-sigma2 / 2, np.sqrt(sigma2), day.max() + 1)
    return factors[day]
