"""Agents who are scheduled but unavailable: shrinkage (meetings, training, absence) and breaks.

A request takes one agent of a group off work for a fixed time. An idle agent goes at once;
otherwise the next agent of the group to finish the contact in hand goes, so nobody ever
leaves a contact for a break. While off, an agent is scheduled but not present: it counts in
neither occupancy's denominator nor the agents able to take work. Shrinkage takes share x staff
agents off for every interval (whole agents, the fraction carried to the next interval), in
rotation; shift breaks and rests come
at the times the shifts schedule them.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import simpy

if TYPE_CHECKING:
    from ccsim.model.engine import Agent

BREAK, SHRINKAGE = 0, 1     # kinds of spells off work


class AvailabilityMixin:
    """Unavailability of `Engine`'s agents; relies on its pools, `_account`, `after` and `release`."""

    def init_availability(self) -> None:
        n = self.plan.n_groups
        self.off = [0] * n                                   # agents of the group off work now
        self.pending_off: list[deque[tuple[float, int]]] = [deque() for _ in range(n)]   # (seconds, kind)
        self.off_log: list[tuple[int, float, float, int]] = []  # (group, start s, end s, kind) of ended spells
        self._off_since: dict[Agent, tuple[float, int]] = {}
        self._shrink_owed = [0.5] * n                        # agent-intervals of shrinkage not yet taken
        for group, requests in enumerate(self.plan.breaks):
            for time_s, length_s in requests.tolist():
                if time_s >= self.env.now:
                    self.after(time_s - self.env.now, self._break_due, (group, length_s))

    def _break_due(self, event: simpy.Event) -> None:
        group, length_s = event._value
        self.request_off(group, length_s, BREAK)

    def request_off(self, group: int, duration_s: float, kind: int) -> None:
        """Take one agent of `group` off work (a BREAK or SHRINKAGE spell) for `duration_s`
        seconds, as soon as one is free."""
        idle = self.idle[group]
        if idle:
            self._account(group)
            self.go_off(idle.pop(), (duration_s, kind))
        else:
            self.pending_off[group].append((duration_s, kind))

    def go_off(self, agent: "Agent", request: tuple[float, int]) -> None:
        """`agent`, already out of the idle and busy counts (accounted), starts a spell off work."""
        duration_s, kind = request
        self.off[agent.group] += 1
        self._off_since[agent] = (self.env.now, kind)
        self.after(duration_s, self._back, agent)

    def _back(self, event: simpy.Event) -> None:
        agent = event._value
        group = agent.group
        since, kind = self._off_since.pop(agent)
        self.off_log.append((group, since, self.env.now, kind))
        self._account(group)
        self.off[group] -= 1
        self.busy[group] += 1      # counted as just finishing, so it leaves, goes off again or works
        self.release(agent)

    def shrink(self, staff: "list[int] | tuple[int, ...]") -> None:
        """At an interval start: take each group's shrinkage share of its staff off for the interval."""
        for group, share in enumerate(self.plan.shrinkage):
            if share > 0:
                # last interval's unserved shrinkage is stale; pending breaks stay
                self.pending_off[group] = deque(r for r in self.pending_off[group] if r[1] == BREAK)
                # whole agents, carrying the fraction over so the share holds on average (5 x 0.3: 2, 1, 2, 1, ...)
                self._shrink_owed[group] += share * staff[group]
                agents = int(self._shrink_owed[group])
                self._shrink_owed[group] -= agents
                for _ in range(agents):
                    self.request_off(group, self.plan.interval_s, SHRINKAGE)

    def off_spells(self) -> list[tuple[int, float, float, int]]:
        """Every spell off work (group, start, end, kind), those still running cut at the current time."""
        now = self.env.now
        return self.off_log + [(agent.group, since, now, kind) for agent, (since, kind) in self._off_since.items()]
