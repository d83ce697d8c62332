"""The event kernel: SimPy's Environment with a lean path for the engine's own events.

The only module that touches SimPy's internals (`Environment._queue`, `_eid`, `_now`); everything
else in the model calls `Kernel.at` and `Kernel.run`. The engine's events are plain heap entries
`(time s, NORMAL, id, callback, value)`: no event object per event, and the callback receives the
value. SimPy's own events (processes, timeouts added by callers, e.g. tests watching a run) share
the heap as SimPy's usual 4-tuples and are processed by the public `Environment.step`. Fresh
arrivals never enter the heap: `run` merges them in from their pre-drawn, sorted times.

Measured gain over a kernel on the public API alone (`env.timeout` with a callback per event,
one event per arrival, `Environment.run`), both with the engine's general path (no lanes): the
engine runs 2.5x faster at c = 10 and 2.7x at c = 200 and c = 1000 (M/M/c+M, load 0.95, ~110k
contacts, engine only; 2026-11-26, a shared machine, `benchmarks/bench_kernel.py`).
If SimPy changes these internals, tests/model/test_kernel.py fails loudly. `lanes.py` and the
hot steps of `flows.py` push the same entries straight onto the heap (`_heap`, `_ids`).

`at_each` feeds a batch of timers (the shifts' breaks) into the heap one at a time, and a
`TimerChain` holds timers set in the order of their times, most of which turn out to do nothing
(escalation timers of legs answered before their limit): only the first that may still matter is
in the heap, the others wait in the chain with the very entries (ids included) they would have had
in the heap, so events run in exactly the same order, without an event for each timer that does
nothing. `pending` reports them as scheduled until their time.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from bisect import bisect_left
from collections import deque
from heapq import heapify, heappop, heappush
from itertools import repeat

import simpy
from simpy.events import NORMAL

_LAST = (math.inf, NORMAL, -1)    # stays last in the heap while `run` runs


class Kernel:
    """Time and the event heap of one replication; times in seconds on the simulation clock."""

    __slots__ = ("env", "now", "_heap", "_ids", "_chains")

    def __init__(self, start_s: float):
        self.env = simpy.Environment(initial_time=start_s)
        self.now = start_s          # s: read-only outside; kept equal to `env.now`
        self._heap = self.env._queue
        self._ids = self.env._eid
        self._chains: list[TimerChain] = []

    def chain(self, matters: Callable[[object], bool]) -> "TimerChain":
        """A new `TimerChain` whose timers with value v may still do something while `matters(v)`."""
        chain = TimerChain(self, matters)
        self._chains.append(chain)
        return chain

    def at(self, delay_s: float, callback: Callable, value) -> None:
        """Call `callback(value)` in `delay_s` seconds (after events already due then)."""
        heappush(self._heap, (self.now + delay_s, NORMAL, next(self._ids), callback, value))

    def at_each(self, callback: Callable, delays: list[tuple[float, object]]) -> Callable[[], None]:
        """`at(delay_s, callback, value)` for each (delay s, value) in turn, as a feed: only the
        earliest is in the heap (a smaller heap is faster for every other event); `callback` must
        call the returned `next_due()` when it runs, which puts the next one in, with the id it was
        given now, so events run in exactly the order they would with all of them in the heap."""
        now, ids, heap = self.now, self._ids, self._heap
        feed = iter(sorted([(now + delay_s, NORMAL, next(ids), callback, value) for delay_s, value in delays]))

        def next_due() -> None:
            entry = next(feed, None)
            if entry is not None:
                heappush(heap, entry)

        next_due()
        return next_due

    def run(self, until_s: float, arrival_s: list[float], arrive: Callable[[int], None] | list[Callable[[int], None]],
            values: list) -> None:
        """Process events, and `arrive(values[i])` at each `arrival_s[i]` (sorted), up to `until_s`
        (exclusive, as `Environment.run(until)`); `arrive` may be a list, `arrive[i](values[i])`.
        An arrival at the same time as a heap event comes first."""
        env, heap, step = self.env, self._heap, self.env.step
        arrives = repeat(arrive) if callable(arrive) else [*arrive, None]
        heappush(heap, _LAST)           # the heap is never empty: no check per event
        try:
            for arrival, next_s, arrive in zip([*values, None], arrival_s[:bisect_left(arrival_s, until_s)] + [until_s],
                                               arrives):
                while True:             # the events due before the next arrival (or the end)
                    entry = heap[0]
                    if entry[0] >= next_s:
                        break
                    try:
                        head_s, _, _, callback, value = entry
                    except ValueError:  # a SimPy event (4 items): SimPy processes it
                        self.now = entry[0]
                        step()
                        continue
                    heappop(heap)
                    env._now = self.now = head_s
                    callback(value)
                env._now = self.now = next_s
                if next_s < until_s:
                    arrive(arrival)
        finally:
            heap.remove(_LAST)
            heapify(heap)

    def pending(self) -> list[tuple[Callable, object]]:
        """(callback, value) of the engine's events still scheduled (those waiting in a chain
        included, until their time)."""
        now = self.now
        return [(entry[3], entry[4]) for entry in self._heap if len(entry) == 5] + \
            [(entry[3], entry[4]) for chain in self._chains for entry in chain.waiting() if entry[0] >= now]


class TimerChain:
    """Timers of one kernel whose times never decrease in the order they are set, and of which
    most do nothing by the time they come: only the first that may still matter is in the heap.
    A timer whose `matters(value)` is False once is never looked at again (it must stay False:
    e.g. a leg no longer waiting never waits again); the callback of each timer calls `advance()`
    when it runs, which puts the chain's next timer that matters into the heap."""

    __slots__ = ("_kernel", "_matters", "_ahead", "_passed", "_armed", "_last_s")

    def __init__(self, kernel: Kernel, matters: Callable[[object], bool]):
        self._kernel, self._matters = kernel, matters
        self._ahead: deque[tuple] = deque()     # heap entries after the one in the heap
        self._passed: deque[tuple] = deque()    # heap entries found to do nothing, before their time
        self._armed = False                     # is one of its timers in the heap?
        self._last_s = -math.inf                # s: time of the last timer set

    def at(self, time_s: float, callback: Callable, value) -> bool:
        """`callback(value)` at `time_s` (s, not before now), as `Kernel.at` would; False (nothing
        set) if that is before the chain's last timer: set it with `Kernel.at` instead."""
        kernel = self._kernel
        if not self._armed:
            heappush(kernel._heap, (time_s, NORMAL, next(kernel._ids), callback, value))
            self._armed = True
        elif time_s >= self._last_s:
            self._ahead.append((time_s, NORMAL, next(kernel._ids), callback, value))
        else:
            return False
        self._last_s = time_s
        return True

    def advance(self) -> None:
        """The chain's timer in the heap ran: the next one that matters goes into the heap."""
        now, passed, ahead, matters = self._kernel.now, self._passed, self._ahead, self._matters
        while passed and passed[0][0] < now:
            passed.popleft()
        while ahead:
            entry = ahead.popleft()
            if matters(entry[4]):
                heappush(self._kernel._heap, entry)
                return
            passed.append(entry)
        self._armed = False

    def waiting(self) -> list[tuple]:
        """The heap entries of its timers not in the heap, not yet run or dropped as past."""
        return [*self._passed, *self._ahead]
