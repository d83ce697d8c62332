"""Agents who are scheduled but unavailable: shrinkage (meetings, training, absence) and breaks.

A request takes one agent of a group off work for a fixed time. An idle agent goes at once;
otherwise the next agent of the group to finish the contact in hand goes, so nobody ever
leaves a contact for a break. While off, an agent is scheduled but not present: it counts in
neither occupancy's denominator nor the agents able to take work. Shrinkage takes share x staff
agents off for every interval (whole agents, the fraction carried to the next interval), in
rotation; shift breaks and rests come at the times the shifts schedule them.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from ccsim.model.pools import Agent

if TYPE_CHECKING:
    from ccsim.model.engine import Engine

BREAK, SHRINKAGE = 0, 1     # kinds of spells off work


class Availability:
    """Owns the requests for time off and the spells off work of the engine's agents."""

    def __init__(self, engine: "Engine"):
        self.engine = engine
        n = engine.plan.n_groups
        # per group, (seconds, kind) of spells waiting for a free agent; read-only outside
        self.owed: list[deque[tuple[float, int]]] = [deque() for _ in range(n)]
        self._log: list[tuple[int, float, float, int]] = []   # (group, start s, end s, kind) of ended spells
        self._off_since: dict[Agent, tuple[float, int]] = {}
        self._shrink_owed = [0.5] * n                          # agent-intervals of shrinkage not yet taken
        self._shrinking = [(group, share) for group, share in enumerate(engine.plan.shrinkage) if share > 0]
        now = engine.kernel.now
        self._next_break = engine.kernel.at_each(self._break_due, [
            (time_s - now, (group, length_s))
            for group, requests in enumerate(engine.plan.breaks) for time_s, length_s in requests.tolist() if time_s >= now])

    def _break_due(self, request: tuple[int, float]) -> None:
        self._next_break()
        group, length_s = request
        self.request_off(group, length_s, BREAK)

    def request_off(self, group: int, duration_s: float, kind: int) -> None:
        """Take one agent of `group` off work (a BREAK or SHRINKAGE spell) for `duration_s`
        seconds, as soon as one is free."""
        pool = self.engine.pools[group]
        if pool.idle:
            self._go_off(pool.go_off(self.engine.kernel.now, from_idle=True), (duration_s, kind))
        else:
            self.owed[group].append((duration_s, kind))

    def take_freed(self, agent: Agent) -> bool:
        """A freed agent goes off work if its group owes a spell; True if it went."""
        pending = self.owed[agent.group]
        if not pending:
            return False
        self.engine.pools[agent.group].go_off(self.engine.kernel.now, from_idle=False)
        self._go_off(agent, pending.popleft())
        return True

    def _go_off(self, agent: Agent, request: tuple[float, int]) -> None:
        engine = self.engine
        if engine.observer is not None:
            engine.observer.went_off(engine, agent)
        duration_s, kind = request
        self._off_since[agent] = (engine.kernel.now, kind)
        engine.kernel.at(duration_s, self._back, agent)

    def _back(self, agent: Agent) -> None:
        engine = self.engine
        now = engine.kernel.now
        since, kind = self._off_since.pop(agent)
        self._log.append((agent.group, since, now, kind))
        engine.pools[agent.group].come_back(now)   # counted as just finishing: leaves, goes off again or works
        engine.release_of(agent.group)(agent)

    def shrink(self, staff: list[int]) -> None:
        """At an interval start: take each group's shrinkage share of its staff off for the interval."""
        plan = self.engine.plan
        for group, share in self._shrinking:
            # last interval's unserved shrinkage is stale; pending breaks stay
            owed = self.owed[group]
            for _ in range(len(owed)):
                request = owed.popleft()
                if request[1] == BREAK:
                    owed.append(request)
            # whole agents, carrying the fraction over so the share holds on average (5 x 0.3: 2, 1, 2, 1, ...)
            self._shrink_owed[group] += share * staff[group]
            agents = int(self._shrink_owed[group])
            self._shrink_owed[group] -= agents
            for _ in range(agents):
                self.request_off(group, plan.interval_s, SHRINKAGE)

    def off_spells(self) -> list[tuple[int, float, float, int]]:
        """Every spell off work (group, start, end, kind), those still running cut at the current time."""
        now = self.engine.kernel.now
        return self._log + [(agent.group, since, now, kind) for agent, (since, kind) in self._off_since.items()]
