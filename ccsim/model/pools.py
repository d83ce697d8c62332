"""Agent pools: per group, who is idle (longest idle first), how many are busy, leaving or off
work, which agents have room for another chat, and the agent-seconds present per interval.

A pool only counts and orders its agents; what an agent does next is the engine's decision.
`lanes.py` repeats `take_idle` and `make_idle` inline: change those together.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(slots=True, eq=False)
class Agent:
    """One agent of group `group`: `leg` is the voice or email leg in hand (-1 if none), `chats`
    the number of chats in hand. Compared and hashed by identity."""

    group: int
    idle_since: float
    leg: int = -1
    chats: int = 0


class AgentPool:
    """The agents of one group. `busy` counts agents with work in hand (or just freed and not yet
    placed), `leaving` busy agents who leave when they finish, `off` agents off work."""

    __slots__ = ("group", "idle", "busy", "leaving", "off", "chat_room", "present_s", "_slot", "_since")

    def __init__(self, group: int, n_intervals: int, now: float):
        self.group = group
        self.idle: deque[Agent] = deque()            # read-only outside: use the verbs below
        self.busy = 0
        self.leaving = 0
        self.off = 0
        self.chat_room: dict[Agent, None] = {}        # chatting agents with room, insertion-ordered
        # the last slot: time outside the intervals (a list: adding a float to a numpy element
        # costs several times more)
        self.present_s = [0.0] * (n_intervals + 1)
        self._slot = n_intervals
        self._since = now

    def staffed(self) -> int:
        """Agents present and not about to leave."""
        return len(self.idle) + self.busy - self.leaving

    def scheduled(self) -> int:
        """Agents scheduled now: present (idle or busy) or off work, minus those leaving."""
        return len(self.idle) + self.busy + self.off - self.leaving

    # -- verbs ---------------------------------------------------------------------------
    def take_idle(self) -> Agent:
        """The longest-idle agent, now busy."""
        self.busy += 1
        return self.idle.popleft()

    def shrink(self, agents: int, now: float) -> None:
        """`agents` fewer: the most recently idle leave now, busy ones when they finish."""
        self.account(now)
        leave_now = min(len(self.idle), agents)
        for _ in range(leave_now):
            self.idle.pop()
        self.leaving += agents - leave_now

    def grow(self, agents: int) -> int:
        """`agents` more: cancel pending departures first; return how many must join."""
        kept = min(self.leaving, agents)
        self.leaving -= kept
        return agents - kept

    def make_idle(self, agent: Agent, now: float) -> None:
        """A busy agent with nothing to do waits for work."""
        self.busy -= 1
        agent.idle_since = now
        self.idle.append(agent)

    def join(self, group: int, now: float) -> Agent:
        """A new agent arrives, counted busy until the engine places it."""
        self.account(now)
        self.busy += 1
        return Agent(group, now)

    def leave_busy(self, now: float) -> None:
        """A freed agent who was due to leave goes."""
        self.account(now)
        self.busy -= 1
        self.leaving -= 1

    def go_off(self, now: float, from_idle: bool) -> Agent | None:
        """An agent goes off work: the latest idle one (returned), or a freed one (None)."""
        self.account(now)
        self.off += 1
        if from_idle:
            return self.idle.pop()
        self.busy -= 1
        return None

    def come_back(self, now: float) -> None:
        """An agent back from off work, counted busy until the engine places it."""
        self.account(now)
        self.off -= 1
        self.busy += 1

    def set_room(self, agent: Agent, room: bool) -> None:
        """Record whether a chatting agent has room for another chat."""
        if room:
            self.chat_room[agent] = None
        else:
            self.chat_room.pop(agent, None)

    def unidle(self, agent: Agent) -> None:
        """An idle agent (not necessarily the longest idle) takes work."""
        self.idle.remove(agent)
        self.busy += 1

    def account(self, now: float) -> None:
        """Add the time present since the last call to the current interval."""
        self.present_s[self._slot] += (len(self.idle) + self.busy) * (now - self._since)
        self._since = now

    def start_slot(self, slot: int, now: float) -> None:
        """From `now` on, presence counts in interval `slot` (n_intervals: outside them)."""
        self.account(now)
        self._slot = slot
