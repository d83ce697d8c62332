"""Independent random streams per replication, purpose and queue.

Streams are keyed by (seed, replication, purpose, queue key) rather than spawned in order,
so a replication's numbers never depend on how many workers ran it, and two scenarios
that share a queue name see the same arrivals and samples (common random numbers).
"""

from __future__ import annotations

import numpy as np

PURPOSES = {"arrivals": 0, "handle_time": 1, "patience": 2, "routing": 3}


def stream(seed: int, replication: int, purpose: str, key: int = 0) -> np.random.Generator:
    """The generator for one purpose of one queue (`key`) in one replication."""
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(replication, PURPOSES[purpose], key))
    return np.random.default_rng(sequence)
