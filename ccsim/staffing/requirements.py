"""Analytic staffing requirements per queue and interval, from `ccsim.erlang`, vectorized.

Each queue is treated on its own, with its fresh arrivals only (transfers, repeat contacts and
agents shared between queues are what the simulation-based search adds):
- voice: the fewest agents meeting the service level (Erlang A with the mean patience as
  exponential patience, Erlang C without patience), then `max_asa` and `max_abandon` if set,
  then the occupancy cap;
- chat: the same for servers = agents x concurrency, handle time stretched by the slowdown
  at full concurrency, agents = ceil(servers / concurrency);
- email and outbound: the work (volume x handle time) arriving over the last due time must be
  done within it: agents = ceil(mean load over that window), at least one while work arrives.
Scheduled FTE = required / (1 - shrinkage), the shrinkage of the groups whose first skill is
the queue.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccsim import erlang
from ccsim.channels import CHANNELS
from ccsim.scenario.models import Queue, Scenario
from ccsim.units import format_clocks


def requirements(sc: Scenario, max_occupancy: float | None = None) -> pd.DataFrame:
    """One row per interval and queue: load, agents required for each target, the requirement
    (the largest), scheduled FTE and the staff the scenario schedules for the queue's skill.
    Deflection thins the arrivals; the queue's main groups' mean `handle_time_factor` scales
    its handle time (repeat contacts and other flows are left to the simulation).

    `max_occupancy` caps occupancy for every queue (default: the groups' `max_occupancy`).
    """
    starts = sc.interval_starts()
    frames = []
    for name, queue in sc.queues.items():
        rate = sc.arrival_rates(name) * (1.0 - queue.deflection)
        aht = queue.handle_time.mean * float(np.mean([sc.agent_groups[g].factor(name)
                                                       for g in primary_groups(sc, name)]))
        cap = max_occupancy if max_occupancy is not None else _group_cap(sc, name)
        needed = _required(queue, rate, aht, sc.interval, cap)
        required = np.max(np.stack(list(needed.values())), axis=0).astype(int)
        shrinkage = _shrinkage(sc, name)
        skilled = sum(sc.staff(g) for g, group in sc.agent_groups.items() if name in group.skills)
        frames.append(pd.DataFrame({
            "interval": np.arange(starts.size),
            "day": (starts // 86400).astype(int) + 1,
            "start": format_clocks(starts),
            "queue": name,
            "channel": queue.channel,
            "rate_per_hour": rate,
            "aht_s": aht,
            "erlangs": rate * aht / 3600.0,
            **{f"required_{target}": agents for target, agents in needed.items()},
            "required": required,
            "fte": np.ceil(required / (1.0 - shrinkage) - 1e-9).astype(int),
            "scheduled_skilled": skilled,
        }))
    return pd.concat(frames, ignore_index=True)


def _required(queue: Queue, rate: np.ndarray, aht: float, interval_s: float,
              cap: float | None) -> dict[str, np.ndarray]:
    """Agents needed for each of the queue's targets, one value per interval (`aht` in seconds)."""
    sl = queue.service_level
    channel = CHANNELS[queue.channel]
    if not channel.live:
        return {"due_time": _deferred(rate, aht, sl.threshold, interval_s, cap)}
    per_agent = channel.concurrency(queue.concurrency)
    aht = aht * (1.0 + queue.slowdown * (per_agent - 1))
    patience = queue.patience.mean if queue.patience is not None else None
    servers = {"service_level": erlang.agents_for_service_level(rate, aht, sl.target, sl.threshold, patience, cap)}
    if sl.max_asa is not None:
        servers["asa"] = erlang.agents_for_asa(rate, aht, sl.max_asa, patience, cap)
    if sl.max_abandon is not None and patience is not None:
        servers["abandon"] = erlang.agents_for_abandon_rate(rate, aht, sl.max_abandon, patience, cap)
    return {k: np.ceil(np.asarray(v) / per_agent).astype(int) for k, v in servers.items()}


def _deferred(rate: np.ndarray, aht: float, due_s: float, interval_s: float, cap: float | None) -> np.ndarray:
    """Agents that finish, within the due time, the work arriving over the last due time."""
    load = rate * aht / 3600.0 / (cap or 1.0)
    window = max(1, int(np.ceil(due_s / interval_s)))
    kernel = np.ones(window) / window
    mean_load = np.convolve(load, kernel)[: load.size]        # trailing mean over the due window
    return np.where(load > 0, np.maximum(np.ceil(mean_load - 1e-9), 1), np.ceil(mean_load - 1e-9)).astype(int)


def primary_groups(sc: Scenario, queue: str) -> list[str]:
    """Groups that rank the queue first, or else all groups skilled for it."""
    skilled = [g for g, group in sc.agent_groups.items() if queue in group.skills]
    first = [g for g in skilled if sc.agent_groups[g].skills[queue] == min(sc.agent_groups[g].skills.values())]
    return first or skilled


def _shrinkage(sc: Scenario, queue: str) -> float:
    return float(np.mean([sc.agent_groups[g].shrinkage for g in primary_groups(sc, queue)]))


def _group_cap(sc: Scenario, queue: str) -> float | None:
    caps = [sc.agent_groups[g].max_occupancy for g in primary_groups(sc, queue)]
    caps = [c for c in caps if c is not None]
    return min(caps) if caps else None
