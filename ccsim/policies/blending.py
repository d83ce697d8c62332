"""Blending policies, registered by name: when an agent may take deferred work (email and
back-office items, callbacks) instead of waiting for live contacts (calls, chats).

A scenario picks one with `routing.blending`; `routing.reserve` and `routing.live_quiet`
tune it. A blending policy reads the routing view and returns a time; the engine decides and
schedules from it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ccsim.registry import Registry

if TYPE_CHECKING:
    from ccsim.model.view import RoutingView


class BlendingPolicy:
    """`live_first`: whether live lines come before deferred ones whatever their priorities;
    `defer_from(group, from_idle)`: the earliest time (s) an agent of `group` (an idle one, if
    `from_idle`) may take deferred work: `view.now` (now), a later time (the engine lets idle
    agents look again then), or inf (not until something changes)."""

    name: str = ""
    live_first: bool = True

    def __init__(self, view: "RoutingView", reserve: int = 0, live_quiet_s: float = 0.0):
        self.view = view
        self.reserve = reserve
        self.live_quiet_s = live_quiet_s

    def defer_from(self, group: int, from_idle: bool) -> float:
        raise NotImplementedError

    def defers(self) -> bool:
        """May `defer_from` ever answer later than now? (False lets the engine skip asking.)"""
        return True


BLENDING: Registry[type[BlendingPolicy]] = Registry("blending policy")
register_blending = BLENDING.register   # class decorator: `routing.blending: name` in scenarios
blending_names = BLENDING.names
get_blending = BLENDING.get


@register_blending("live_first")
class LiveFirst(BlendingPolicy):
    """Live contacts first: an agent takes deferred work only when no live contact it can serve
    waits, at least `reserve` other agents of its group stay idle for live work, and the live
    lines have been empty for `live_quiet_s` seconds."""

    def defer_from(self, group, from_idle):
        view = self.view
        if view.n_idle(group) - from_idle < self.reserve:
            return math.inf
        if self.live_quiet_s > 0:
            if view.live_waiting():
                return math.inf
            return max(view.now, view.last_live_leave + self.live_quiet_s)
        return view.now

    def defers(self):
        return self.reserve > 0 or self.live_quiet_s > 0


@register_blending("by_priority")
class ByPriority(BlendingPolicy):
    """No blending rule: deferred work competes with live contacts by queue priority (then
    waiting time), like any other queue."""

    live_first = False

    def defer_from(self, group, from_idle):
        return self.view.now

    def defers(self):
        return False
