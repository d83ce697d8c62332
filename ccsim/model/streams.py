"""Independent random streams per replication, purpose and queue, and block samplers over them.

Streams are keyed by (seed, replication, purpose, queue key) rather than spawned in order,
so a replication's numbers never depend on how many workers ran it, and two scenarios
that share a queue name see the same arrivals and samples (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

PURPOSES = {
    "arrivals": 0, "handle_time": 1, "patience": 2, "routing": 3,
    "handle_time_later": 4, "patience_later": 5, "transfer": 6, "resolution": 7,
    "repeat": 8, "retrial": 9, "callback": 10, "delay": 11, "deflection": 12, "forecast": 13, "pilot": 14,
}


def stream(seed: int, replication: int, purpose: str, key: int = 0) -> np.random.Generator:
    """The generator for one purpose of one queue (`key`) in one replication."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(replication, PURPOSES[purpose], key))
    return np.random.default_rng(sequence)


class Draws:
    """Numbers drawn in blocks and handed out one at a time (the event loop's random source).

    `make()` returns the block sampler (`sampler(n) -> n numbers`); it is called at the first
    draw, so a stream nobody draws from is never built (most flows never run in most scenarios,
    and building a generator costs about as much as drawing a block from it)."""

    __slots__ = ("_make", "_sample", "_block", "_buffer", "_next")

    def __init__(self, make: Callable[[], Callable[[int], np.ndarray]], block: int = 512):
        self._make = make
        self._sample: Callable[[int], np.ndarray] | None = None
        self._block = block
        self._buffer: list[float] = []
        self._next = 0

    def __call__(self) -> float:
        if self._next == len(self._buffer):
            if self._sample is None:
                self._sample = self._make()
            self._buffer = self._sample(self._block).tolist()
            self._next = 0
        value = self._buffer[self._next]
        self._next += 1
        return value
