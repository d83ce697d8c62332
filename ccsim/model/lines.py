"""The waiting lines: which leg waits in which line, since when, and until when it stays.

A line is a queue at one priority. Each line is a FIFO of (enqueue s, deadline s, leg); a leg that
leaves otherwise (dropped, moved to another line) stays in the FIFO and is skipped when reached.
Abandonment is lazy on *lazy* lines: no patience event; a leg whose deadline (enqueue + patience)
has passed is found abandoned when it reaches the front, or when someone asks for exact counts
(a heap of deadlines, built at the first such question, is purged up to now), and reported to `on_expired(leg, deadline_s)` with its
true abandonment time. Every read returns what an eager simulation would see at that moment.

`lanes.py` repeats `enqueue` and `pop_oldest` inline on its lines (the FIFO, `_where`, `_count`):
change those together.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import Protocol
from heapq import heapify, heappop, heappush

INF = math.inf


class Clock(Protocol):
    now: float      # s


class WaitingLines:
    """Owns the waiting legs of every line and when a live contact last stopped waiting."""

    __slots__ = ("_clock", "_fifo", "_count", "_where", "_deadlines", "_live", "_on_expired", "last_live_leave",
                 "counted")

    def __init__(self, clock: Clock, line_live: tuple[bool, ...], on_expired: Callable[[int, float], None]):
        self._clock = clock
        n = len(line_live)
        self._fifo: list[deque[tuple[float, float, int]]] = [deque() for _ in range(n)]
        self._count = [0] * n
        self._where: dict[int, int] = {}           # leg -> line, for legs waiting now
        self._deadlines: list[tuple[float, int]] | None = None  # heap of (deadline s, leg); None: not needed yet
        self._live = line_live
        self._on_expired = on_expired
        self.last_live_leave = -INF                # s: when a live contact last stopped waiting
        # read-only outside: per line the legs counted in it, those whose lazy deadline passed
        # unnoticed included (0: nobody waits there; cheaper than `n_waiting`, which is exact)
        self.counted = self._count

    # -- reads ---------------------------------------------------------------------------
    def n_waiting(self, line: int) -> int:
        """Legs waiting in `line` now."""
        self._purge(self._clock.now)
        return self._count[line]

    def oldest(self, line: int) -> float:
        """Enqueue time (s) of the longest-waiting leg of `line` now, inf if none."""
        if not self._count[line]:
            return INF
        fifo, where, now = self._fifo[line], self._where, self._clock.now
        while fifo:
            enqueue_s, deadline_s, leg = fifo[0]
            if where.get(leg) != line:
                fifo.popleft()
            elif deadline_s <= now:
                fifo.popleft()
                self._expire(leg, line, deadline_s)
            else:
                return enqueue_s
        return INF

    def live_waiting(self) -> bool:
        """Does any live (not deferred) leg wait now?"""
        self._purge(self._clock.now)
        return any(n for n, live in zip(self._count, self._live) if live)

    def waiting_legs(self) -> list[int]:
        """Legs waiting now (after `expire_until`), in no particular order."""
        return list(self._where)

    # -- verbs ---------------------------------------------------------------------------
    def enqueue(self, leg: int, line: int, enqueue_s: float, deadline_s: float = INF) -> None:
        """`leg` waits in `line`; with a finite `deadline_s` it abandons lazily then."""
        self._fifo[line].append((enqueue_s, deadline_s, leg))
        self._where[leg] = line
        self._count[line] += 1
        if deadline_s != INF and self._deadlines is not None:
            heappush(self._deadlines, (deadline_s, leg))

    def pop_oldest(self, line: int) -> int:
        """Remove and return the longest-waiting leg of `line`, or -1 if none waits."""
        if not self._count[line]:
            return -1
        fifo, where, now = self._fifo[line], self._where, self._clock.now
        while fifo:
            _, deadline_s, leg = fifo.popleft()
            if where.get(leg) != line:
                continue
            if deadline_s <= now:
                self._expire(leg, line, deadline_s)
                continue
            del where[leg]
            self._count[line] -= 1
            if self._live[line] and now > self.last_live_leave:
                self.last_live_leave = now
            return leg
        return -1

    def drop(self, leg: int) -> int:
        """Take a waiting leg out of its line (escalated elsewhere); return the line."""
        line = self._where.pop(leg)
        self._count[line] -= 1
        return line

    def leave(self, leg: int) -> None:
        """A waiting leg gives up now (its own patience event ran out)."""
        self._report_leave(self.drop(leg), self._clock.now)

    def move(self, leg: int, line: int, enqueue_s: float, deadline_s: float) -> None:
        """A waiting leg goes on waiting in `line` (its deadline, if lazy, unchanged)."""
        self._count[self._where[leg]] -= 1
        self._fifo[line].append((enqueue_s, deadline_s, leg))
        self._where[leg] = line
        self._count[line] += 1

    def is_waiting(self, leg: int) -> bool:
        """Is `leg` still waiting now?"""
        self._purge(self._clock.now)
        return leg in self._where

    def expire_until(self, end_s: float) -> None:
        """Settle every lazy abandonment due before `end_s` (at the end of a run: the lines are
        walked once instead of popping every stale deadline)."""
        where = self._where
        for line, fifo in enumerate(self._fifo):
            for _, deadline_s, leg in list(fifo):
                if deadline_s < end_s and where.get(leg) == line:
                    self._expire(leg, line, deadline_s)
        self._deadlines = None

    # -- housekeeping --------------------------------------------------------------------
    def forget_stale(self) -> None:
        """Drop the entries of legs no longer waiting where they were (before their rows are
        taken by new legs, which must not inherit them). In place: lanes hold the FIFOs."""
        where = self._where
        for line, fifo in enumerate(self._fifo):
            kept = [entry for entry in fifo if where.get(entry[2]) == line]
            fifo.clear()
            fifo.extend(kept)
        if self._deadlines is not None:
            self._deadlines[:] = [entry for entry in self._deadlines if entry[1] in where]
            heapify(self._deadlines)

    def _purge(self, now: float) -> None:
        deadlines, where = self._deadlines, self._where
        if deadlines is None:       # first exact count: every lazy deadline of a leg still waiting
            deadlines = self._deadlines = [(deadline_s, leg) for line, fifo in enumerate(self._fifo)
                                           for _, deadline_s, leg in fifo
                                           if deadline_s != INF and where.get(leg) == line]
            heapify(deadlines)
        while deadlines and deadlines[0][0] <= now:
            deadline_s, leg = heappop(deadlines)
            line = where.get(leg)
            if line is not None:
                self._expire(leg, line, deadline_s)

    def _expire(self, leg: int, line: int, deadline_s: float) -> None:
        del self._where[leg]
        self._count[line] -= 1
        self._report_leave(line, deadline_s)
        self._on_expired(leg, deadline_s)

    def _report_leave(self, line: int, time_s: float) -> None:
        if self._live[line] and time_s > self.last_live_leave:
            self.last_live_leave = time_s
