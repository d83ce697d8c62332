"""Agents who are scheduled but unavailable: shrinkage (meetings, training, absence) and breaks.

A request takes one agent of a group off work for a fixed time. An idle agent goes at once;
otherwise the next agent of the group to finish the contact in hand goes, so nobody ever
leaves a contact for a break. While off, an agent is scheduled but not present: it counts in
neither occupancy's denominator nor the agents able to take work. Shrinkage takes
round(share x staff) agents off for every interval, in rotation.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import simpy

if TYPE_CHECKING:
    from ccsim.model.engine import Agent


class AvailabilityMixin:
    """Unavailability of `Engine`'s agents; relies on its pools, `_account`, `after` and `release`."""

    def init_availability(self) -> None:
        n = self.plan.n_groups
        self.off = [0] * n                                   # agents of the group off work now
        self.pending_off: list[deque[float]] = [deque() for _ in range(n)]   # durations, seconds
        self.off_log: list[tuple[int, float, float]] = []    # (group, start s, end s) of finished spells
        self._off_since: dict[Agent, float] = {}

    def request_off(self, group: int, duration_s: float) -> None:
        """Take one agent of `group` off work for `duration_s` seconds, as soon as one is free."""
        idle = self.idle[group]
        if idle:
            self._account(group)
            self.go_off(idle.pop(), duration_s)
        else:
            self.pending_off[group].append(duration_s)

    def go_off(self, agent: "Agent", duration_s: float) -> None:
        """`agent`, already out of the idle and busy counts (accounted), starts a spell off work."""
        self.off[agent.group] += 1
        self._off_since[agent] = self.env.now
        self.after(duration_s, self._back, agent)

    def _back(self, event: simpy.Event) -> None:
        agent = event._value
        group = agent.group
        self.off_log.append((group, self._off_since.pop(agent), self.env.now))
        self._account(group)
        self.off[group] -= 1
        self.busy[group] += 1      # counted as just finishing, so it leaves, goes off again or works
        self.release(agent)

    def shrink(self, staff: "list[int] | tuple[int, ...]") -> None:
        """At an interval start: take each group's shrinkage share of its staff off for the interval."""
        for group, share in enumerate(self.plan.shrinkage):
            if share > 0:
                self.pending_off[group].clear()      # last interval's unserved requests are stale
                for _ in range(int(share * staff[group] + 0.5)):
                    self.request_off(group, self.plan.interval_s)

    def off_spells(self) -> list[tuple[int, float, float]]:
        """Every spell off work, those still running cut at the current time."""
        now = self.env.now
        return self.off_log + [(agent.group, since, now) for agent, since in self._off_since.items()]
