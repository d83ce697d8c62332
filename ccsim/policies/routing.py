"""The built-in routing policies."""

from __future__ import annotations

from itertools import groupby

from ccsim.policies.registry import RoutingPolicy, register_policy


def _tiers(items: list[tuple[tuple, int]]) -> tuple[tuple[int, ...], ...]:
    """Indices grouped by equal sort key, best key first."""
    items = sorted(items)
    return tuple(tuple(i for _, i in tier) for _, tier in groupby(items, key=lambda item: item[0]))


class _TieredPolicy(RoutingPolicy):
    """Longest-idle agent within the best tier of groups; oldest contact within the best tier of queues.

    Subclasses say what makes a tier by their `group_key` and `queue_key`.
    """

    def __init__(self, engine, **options):
        super().__init__(engine, **options)
        plan = engine.plan
        self.group_tiers = tuple(
            _tiers([(self.group_key(plan, g, q), g) for g in range(plan.n_groups) if q in plan.rank[g]])
            for q in range(plan.n_queues))
        self.queue_tiers = tuple(
            _tiers([(self.queue_key(plan, g, q), q) for q in plan.rank[g]])
            for g in range(plan.n_groups))

    def group_key(self, plan, group: int, queue: int) -> tuple:
        raise NotImplementedError

    def queue_key(self, plan, group: int, queue: int) -> tuple:
        raise NotImplementedError

    def select_agent(self, queue):
        idle = self.engine.idle
        for tier in self.group_tiers[queue]:
            best, best_since = None, 0.0
            for group in tier:
                line = idle[group]
                if line and (best is None or line[0].idle_since < best_since):
                    best, best_since = group, line[0].idle_since
            if best is not None:
                return best
        return None

    def select_queue(self, agent):
        engine = self.engine
        n_waiting = engine.n_waiting
        for tier in self.queue_tiers[agent.group]:
            best, best_arrival = None, 0.0
            for queue in tier:
                if n_waiting[queue]:
                    arrival = engine.oldest_arrival(queue)
                    if best is None or arrival < best_arrival:
                        best, best_arrival = queue, arrival
            if best is not None:
                return best
        return None


@register_policy("priority_then_longest_wait")
class PriorityThenLongestWait(_TieredPolicy):
    """A freed agent serves the highest-priority queue among its skills (then its preferred
    skill rank), taking the contact that has waited longest; an arriving contact goes to the
    longest-idle agent of the groups that rank its queue best."""

    def group_key(self, plan, group, queue):
        return (plan.rank[group][queue],)

    def queue_key(self, plan, group, queue):
        return (plan.priority[queue], plan.rank[group][queue])


@register_policy("fifo")
class Fifo(_TieredPolicy):
    """First come, first served across skills: a freed agent takes the oldest waiting contact of
    any queue it can serve; an arriving contact goes to the longest-idle eligible agent.
    Priorities and skill ranks are ignored."""

    def group_key(self, plan, group, queue):
        return ()

    def queue_key(self, plan, group, queue):
        return ()
