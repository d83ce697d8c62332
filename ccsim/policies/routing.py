"""The built-in routing policies."""

from __future__ import annotations

import math
from itertools import groupby

from ccsim.policies.registry import RoutingPolicy, register_policy


def _tiers(items: list[tuple[tuple, int]]) -> tuple[tuple[int, ...], ...]:
    """Indices grouped by equal sort key, best key first."""
    items = sorted(items)
    return tuple(tuple(i for _, i in tier) for _, tier in groupby(items, key=lambda item: item[0]))


class _TieredPolicy(RoutingPolicy):
    """Longest-idle agent within the best tier of groups; oldest contact within the best tier of lines.

    Subclasses say what makes a tier by their `group_key` and `line_key`.
    """

    def __init__(self, view, **options):
        super().__init__(view, **options)
        plan = view.plan
        self.group_tiers = tuple(
            _tiers([(self.group_key(plan, g, line), g) for g in range(plan.n_groups) if q in plan.rank[g]])
            for line, q in enumerate(plan.line_queue))
        # with a live-first blending policy, every live tier comes before every deferred one
        split = view.live_first
        self.line_tiers = tuple(
            _tiers([((split and plan.line_deferred[line], *self.line_key(plan, g, line)), line)
                    for line, q in enumerate(plan.line_queue) if q in plan.rank[g]])
            for g in range(plan.n_groups))
        # an agent holding chats takes only more chats
        self.chat_line_tiers = tuple(
            tuple(chats for tier in tiers if (chats := tuple(line for line in tier if view.line_chat[line])))
            for tiers in self.line_tiers)

    @property
    def obvious_when_single(self) -> bool:
        """The obvious answers, unless a subclass decides otherwise."""
        return type(self).select_agent is _TieredPolicy.select_agent and \
            type(self).select_line is _TieredPolicy.select_line

    def tiers(self):
        return (self.group_tiers, self.line_tiers) if self.obvious_when_single else None

    def group_key(self, plan, group: int, line: int) -> tuple:
        raise NotImplementedError

    def line_key(self, plan, group: int, line: int) -> tuple:
        raise NotImplementedError

    def select_agent(self, line):
        view = self.view
        if view.line_chat[line]:     # fill agents already chatting before taking idle ones
            chat_room = view.chat_room
            for tier in self.group_tiers[line]:
                for group in tier:
                    if chat_room[group]:
                        return group
        deferred, idle = view.line_deferred[line], view.idle
        for tier in self.group_tiers[line]:
            best, best_since = None, math.inf
            for group in tier:
                agents = idle[group]
                if agents:
                    since = agents[0].idle_since
                    if since < best_since and not (deferred and not view.may_defer(group, True)):
                        best, best_since = group, since
            if best is not None:
                return best
        return None

    def select_line(self, group, chatting):
        view = self.view
        counted, oldest = view.counted, view.oldest
        for tier in (self.chat_line_tiers if chatting else self.line_tiers)[group]:
            best, best_arrival = None, math.inf
            for line in tier:
                if counted[line]:
                    arrival = oldest(line)
                    if arrival < best_arrival:
                        best, best_arrival = line, arrival
            if best is not None:
                if view.line_deferred[best] and not view.may_defer(group, False):
                    return None         # live first: what is left is deferred work it may not take now
                return best
        return None


@register_policy("priority_then_longest_wait")
class PriorityThenLongestWait(_TieredPolicy):
    """A freed agent serves the highest-priority queue among its skills (then its preferred
    skill rank), taking the contact that has waited longest; an arriving contact goes to the
    longest-idle agent of the groups that rank its queue best."""

    def group_key(self, plan, group, line):
        return (plan.rank[group][plan.line_queue[line]],)

    def line_key(self, plan, group, line):
        return (plan.line_priority[line], plan.rank[group][plan.line_queue[line]])


@register_policy("fifo")
class Fifo(_TieredPolicy):
    """First come, first served across skills: a freed agent takes the oldest waiting contact of
    any queue it can serve; an arriving contact goes to the longest-idle eligible agent.
    Priorities and skill ranks are ignored."""

    def group_key(self, plan, group, line):
        return ()

    def line_key(self, plan, group, line):
        return ()
