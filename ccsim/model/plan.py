"""A scenario compiled to plain arrays and tuples: everything one replication needs, cheap to pickle."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from ccsim.distributions import Distribution
from ccsim.scenario.models import Scenario

ABANDON_RULES = ("exclude_within_threshold", "count", "ignore")


@dataclass(frozen=True, slots=True)
class Plan:
    """Indices instead of names; times in seconds on the simulation clock (midnight of day 1 = 0)."""

    queue_names: tuple[str, ...]
    group_names: tuple[str, ...]
    priority: tuple[int, ...]                 # per queue; lower is served first
    threshold_s: np.ndarray                   # per queue
    abandon_rule: tuple[str, ...]             # per queue, one of ABANDON_RULES
    stream_key: tuple[int, ...]               # per queue: a stable key for its random streams
    handle_time: tuple[Distribution, ...]     # per queue
    patience: tuple[Distribution | None, ...]  # per queue
    rank: tuple[dict[int, int], ...]          # per group: {queue index: preference rank}
    rates_per_s: np.ndarray                   # (queues, intervals) expected arrivals per second
    staff: np.ndarray                         # (groups, intervals) scheduled agents
    cost_per_hour: np.ndarray                 # per group
    interval_start: np.ndarray                # (intervals,) seconds
    interval_s: float
    warmup_s: float
    policy: str

    @property
    def n_queues(self) -> int:
        return len(self.queue_names)

    @property
    def n_groups(self) -> int:
        return len(self.group_names)

    @property
    def n_intervals(self) -> int:
        return self.interval_start.size

    @property
    def start_s(self) -> float:
        """Start of the measured period (the first interval)."""
        return float(self.interval_start[0])

    @property
    def end_s(self) -> float:
        """End of the measured period (the end of the last interval)."""
        return float(self.interval_start[-1] + self.interval_s)


def compile_plan(sc: Scenario) -> Plan:
    """Flatten a validated scenario into a `Plan`."""
    queues = list(sc.queues)
    groups = list(sc.agent_groups)
    index = {name: i for i, name in enumerate(queues)}
    return Plan(
        queue_names=tuple(queues),
        group_names=tuple(groups),
        priority=tuple(sc.queues[q].priority for q in queues),
        threshold_s=np.array([sc.queues[q].service_level.threshold for q in queues]),
        abandon_rule=tuple(sc.queues[q].service_level.abandons for q in queues),
        stream_key=tuple(zlib.crc32(q.encode()) for q in queues),
        handle_time=tuple(sc.queues[q].handle_time for q in queues),
        patience=tuple(sc.queues[q].patience for q in queues),
        rank=tuple({index[q]: r for q, r in sc.agent_groups[g].skills.items()} for g in groups),
        rates_per_s=np.array([sc.arrival_rates(q) / 3600.0 for q in queues]),
        staff=np.array([sc.staff(g) for g in groups], dtype=int),
        cost_per_hour=np.array([sc.agent_groups[g].cost_per_hour for g in groups]),
        interval_start=sc.interval_starts(),
        interval_s=float(sc.interval),
        warmup_s=float(sc.warmup),
        policy=sc.routing.policy,
    )
