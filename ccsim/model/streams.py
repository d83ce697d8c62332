"""Independent random streams per replication, purpose and queue, and block samplers over them.

Streams are keyed by (seed, replication, purpose, queue key) rather than spawned in order,
so a replication's numbers never depend on how many workers ran it, and two scenarios
that share a queue name see the same arrivals and samples (common random numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain

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


def draws(make: Callable[[], Callable[[int], np.ndarray]], block: int = 512) -> Callable[[], float]:
    """The event loop's random source: numbers drawn in blocks and handed out one per call.

    `make()` returns the block sampler (`sampler(n) -> n numbers`); it is called at the first
    draw, so a stream nobody draws from is never built (most flows never run in most scenarios,
    and building a generator costs about as much as drawing a block from it). Each call is `next`
    on a chain of blocks: no Python frame per number."""
    def blocks() -> Iterator[list[float]]:
        sample = make()
        while True:
            yield sample(block).tolist()

    return partial(next, chain.from_iterable(blocks()))
