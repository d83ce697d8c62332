"""The waiting lines: lazy abandonment read back exactly, whenever the first exact count comes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from ccsim.model.lines import WaitingLines


class Clock:
    now = 0.0


@pytest.mark.parametrize("first_count_s", [0.0, 50.0, 120.0])
def test_counts_and_abandonments_match_an_eager_count_whenever_first_asked(first_count_s):
    """Legs with random deadlines in two lazy lines; the first exact count comes at `first_count_s`
    (before, among or after the enqueues, some legs popped already): every count equals a direct
    count of the legs whose deadline has not passed, and each abandonment is reported once, at
    its deadline."""
    rng = np.random.default_rng(3)
    clock, expired = Clock(), []
    lines = WaitingLines(clock, (True, True), lambda leg, at_s: expired.append((at_s, leg)))
    deadline = {}
    for leg, enqueue_s in enumerate(np.sort(rng.random(40) * 100).tolist()):
        clock.now = enqueue_s
        if first_count_s <= enqueue_s and not deadline.get("asked"):
            deadline["asked"] = lines.n_waiting(0)
        deadline[leg] = enqueue_s + rng.exponential(30.0)
        lines.enqueue(leg, leg % 2, enqueue_s, deadline[leg])
        if leg % 7 == 6:
            deadline.pop(lines.pop_oldest(0), None)
    popped_legs = set(range(40)) - set(k for k in deadline if k != "asked")
    for clock.now in (60.0, 100.0, 130.0, 200.0):
        for line in (0, 1):
            alive = [leg for leg, d in deadline.items() if leg != "asked" and leg % 2 == line and d > clock.now]
            assert lines.n_waiting(line) == len(alive)
    gone = sorted((d, leg) for leg, d in deadline.items() if leg != "asked")
    assert sorted(expired) == gone
    assert not popped_legs & {leg for _, leg in expired}
    assert lines.oldest(0) == math.inf
