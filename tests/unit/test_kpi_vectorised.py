"""The vectorised KPI computations against their definitions, computed the slow, obvious way on
random legs: backlogs and the oldest waiting leg at given times, counts and members per row."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as hs

from ccsim.kpis import backlog
from ccsim.kpis.tally import members, tally
from ccsim.model.states import ABANDONED, ANSWERED, WAITING


def random_legs(seed: int, n: int, n_queues: int) -> dict[str, np.ndarray]:
    """Legs on a coarse clock (many equal times), in roughly enqueue order, some with no end yet."""
    rng = np.random.default_rng(seed)
    enqueue = np.sort(rng.integers(0, 20, n)).astype(float)
    enqueue[rng.random(n) < 0.1] -= 3                       # a few out of order
    left = enqueue + rng.integers(0, 8, n)
    outcome = rng.choice([WAITING, ANSWERED, ABANDONED], n)
    end = np.where(rng.random(n) < 0.05, np.nan, left)
    return {"queue": rng.integers(0, n_queues, n), "outcome": outcome, "enqueue_s": enqueue,
            "answer_s": np.where(outcome == ANSWERED, left, np.nan), "end_s": end}


@settings(max_examples=60, deadline=None)
@given(seed=hs.integers(0, 10**6), n=hs.integers(0, 60), n_queues=hs.integers(1, 4))
def test_backlog_and_oldest_age_follow_their_definition(seed, n, n_queues):
    legs = random_legs(seed, n, n_queues)
    times = np.random.default_rng(seed + 1).integers(-2, 30, 9).astype(float)   # unsorted, with repeats
    counts, ages = backlog(SimpleNamespace(n_queues=n_queues), legs, times)
    answered = legs["outcome"] == ANSWERED
    open_end = (legs["outcome"] == WAITING) | np.isnan(legs["end_s"])
    until = np.where(answered, legs["answer_s"], np.where(open_end, np.inf, legs["end_s"]))
    for k, t in enumerate(times):
        for column in range(n_queues + 1):
            mine = (legs["queue"] == column) | (column == n_queues)
            waiting = mine & (legs["enqueue_s"] <= t) & (until > t)
            assert counts[k, column] == waiting.sum()
            assert ages[k, column] == (t - legs["enqueue_s"][waiting].min() if waiting.any() else 0.0)


@settings(max_examples=60, deadline=None)
@given(seed=hs.integers(0, 10**6), n=hs.integers(0, 80), n_rows=hs.integers(1, 5))
def test_tally_and_members_agree_with_boolean_selections(seed, n, n_rows):
    rng = np.random.default_rng(seed)
    row = rng.integers(0, n_rows + 1, n)                 # n_rows: in no row
    colour, flag = rng.integers(0, 4, n), rng.random(n) < 0.3
    table, grid = tally(row, n_rows, {"colour": colour, "flag": flag}, total=True)
    counts = table @ ((grid["colour"] == 2) & ~grid["flag"])
    selections = [row == r for r in range(n_rows)] + [row < n_rows]
    assert counts.tolist() == [(mine & (colour == 2) & ~flag).sum() for mine in selections]
    assert [m.tolist() for m in members(row, n_rows, total=True)] == [np.flatnonzero(s).tolist() for s in selections]
