"""Blending policies, registered by name: when an agent may take deferred work (email and
back-office items, callbacks) instead of waiting for live contacts (calls, chats).

A scenario picks one with `routing.blending`; `routing.reserve` and `routing.live_quiet`
tune it. The routing policy asks `may_defer` before handing deferred work to an agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccsim.registry import Registry

if TYPE_CHECKING:
    from ccsim.model.engine import Engine

class BlendingPolicy:
    """`live_first`: whether live lines come before deferred ones whatever their priorities;
    `may_defer(group, from_idle)`: may an agent of `group` (an idle one, if `from_idle`) take
    deferred work now?"""

    name: str = ""
    live_first: bool = True

    def __init__(self, engine: "Engine", reserve: int = 0, live_quiet_s: float = 0.0):
        self.engine = engine
        self.reserve = reserve
        self.live_quiet_s = live_quiet_s

    def may_defer(self, group: int, from_idle: bool) -> bool:
        raise NotImplementedError


BLENDING: Registry[type[BlendingPolicy]] = Registry("blending policy")
register_blending = BLENDING.register   # class decorator: `routing.blending: name` in scenarios
blending_names = BLENDING.names
get_blending = BLENDING.get


@register_blending("live_first")
class LiveFirst(BlendingPolicy):
    """Live contacts first: an agent takes deferred work only when no live contact it can serve
    waits, at least `reserve` other agents of its group stay idle for live work, and the live
    lines have been empty for `live_quiet_s` seconds."""

    def may_defer(self, group, from_idle):
        engine = self.engine
        if len(engine.idle[group]) - from_idle < self.reserve:
            return False
        if self.live_quiet_s > 0:
            if engine.live_waiting():
                return False
            opens = engine.last_live_leave + self.live_quiet_s
            if engine.env.now < opens:
                engine.wake_at(opens)       # look again when the quiet period is over
                return False
        return True


@register_blending("by_priority")
class ByPriority(BlendingPolicy):
    """No blending rule: deferred work competes with live contacts by queue priority (then
    waiting time), like any other queue."""

    live_first = False

    def may_defer(self, group, from_idle):
        return True
