"""The read-only view routing and blending policies decide from.

Policies see waiting counts and the oldest enqueue time per line, idle agents and chat room per
group, the clock, and the blending verdict; they return decisions as values and never change
the engine. The view is the engine's: it reads the waiting lines and agent pools it is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence

from ccsim.model.kernel import Kernel
from ccsim.model.lines import WaitingLines
from ccsim.model.plan import Plan
from ccsim.model.pools import Agent, AgentPool


class RoutingView:
    """`plan` is the compiled scenario (static); `line_chat` / `line_deferred` per line say
    whether a line holds chats / deferred work; `live_first` whether every live line comes
    before every deferred one."""

    __slots__ = ("plan", "line_chat", "line_deferred", "live_first", "n_waiting", "oldest", "live_waiting",
                 "may_defer", "counted", "idle", "chat_room", "_lines", "_pools", "_kernel")

    def __init__(self, plan: Plan, lines: WaitingLines, pools: list[AgentPool], kernel: Kernel,
                 may_defer: Callable[[int, bool], bool], live_first: bool):
        self.plan = plan
        self.line_chat = tuple(plan.is_chat[q] for q in plan.line_queue)
        self.line_deferred = plan.line_deferred
        self.live_first = live_first
        self._lines, self._pools, self._kernel = lines, pools, kernel
        # reads answered by the waiting lines themselves (no extra call on the hot path):
        self.n_waiting: Callable[[int], int] = lines.n_waiting    # legs waiting in a line
        self.oldest: Callable[[int], float] = lines.oldest        # enqueue s of its longest wait; inf: none
        self.live_waiting: Callable[[], bool] = lines.live_waiting  # does any live contact wait?
        # per line, legs counted waiting, lazily abandoned ones not yet noticed included: 0 means
        # nobody waits (a cheap test before `oldest` or `n_waiting`)
        self.counted: Sequence[int] = lines.counted
        # per group, its idle agents, longest idle first (each with `idle_since`, s)
        self.idle: tuple[Sequence[Agent], ...] = tuple(pool.idle for pool in pools)
        # per group, its chatting agents with room for another chat (empty: none)
        self.chat_room: tuple[Collection[Agent], ...] = tuple(pool.chat_room for pool in pools)
        # may an agent of a group (an idle one, if `from_idle`) take deferred work now? (the
        # blending policy's verdict; the engine looks again when the policy names a later time)
        self.may_defer: Callable[[int, bool], bool] = may_defer

    @property
    def now(self) -> float:
        """The simulation clock, s."""
        return self._kernel.now

    @property
    def last_live_leave(self) -> float:
        """When a live contact last stopped waiting (s; -inf: never)."""
        return self._lines.last_live_leave

    def n_idle(self, group: int) -> int:
        return len(self._pools[group].idle)

    def longest_idle_since(self, group: int) -> float:
        """When the longest-idle agent of `group` became idle (s); inf when none is idle."""
        idle = self._pools[group].idle
        return idle[0].idle_since if idle else math.inf

    def has_chat_room(self, group: int) -> bool:
        """Is an agent of `group` chatting with room for another chat?"""
        return bool(self._pools[group].chat_room)
