"""Simulation-based staffing: starting from the analytic requirement, find the staff per agent
group and interval that meets every queue's targets in simulation, at least cost.

Erlang sees one queue at a time; the simulation sees shared agents, transfers, repeat contacts
and spill-over between intervals. The search simulates, adds an agent where a target is missed
(to the cheapest group that serves the queue first, in every interval that falls short), and once
everything is met removes agents where every queue beats its targets by `margin`, keeping a
removal only if the targets still hold. Every simulation uses the same seed: common random
numbers, so a decision reflects the staffing change, not noise.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccsim.kpis import INTERVAL_KPIS, interval_kpis
from ccsim.scenario.models import Scenario
from ccsim.simulate import simulate
from ccsim.staffing.requirements import primary_groups, requirements
from ccsim.units import format_clock

Progress = Callable[[int, int, str], None]
SL, ASA, ABANDON, OFFERED = (INTERVAL_KPIS.index(k) for k in ("service_level", "asa", "abandon_rate", "offered"))


@dataclass(frozen=True)
class StaffSearch:
    """The outcome of `search_staff`.

    `staff`: per interval and group, the analytic start, the simulated requirement and their
    difference; `targets`: per interval and queue, the simulated KPIs against the targets;
    `history`: one row per simulation; `scenario`: the input with the simulated staff.
    """

    staff: pd.DataFrame
    targets: pd.DataFrame
    history: pd.DataFrame
    scenario: Scenario
    met: bool


def analytic_group_staff(sc: Scenario, required: pd.DataFrame | None = None) -> np.ndarray:
    """(groups, intervals) scheduled agents from the per-queue FTE requirement: each queue's
    FTE split evenly over the groups that serve it first."""
    required = requirements(sc) if required is None else required
    groups = list(sc.agent_groups)
    staff = np.zeros((len(groups), sc.n_intervals))
    for queue in sc.queues:
        first = primary_groups(sc, queue)
        fte = required.loc[required.queue == queue, "fte"].to_numpy()
        for g in first:
            staff[groups.index(g)] += fte / len(first)
    return np.ceil(staff - 1e-9).astype(int)


def with_staff(sc: Scenario, staff: np.ndarray) -> Scenario:
    """`sc` with every group staffed by the per-interval counts `staff` (groups, intervals)."""
    groups = {name: group.model_copy(update={"staff": tuple(int(v) for v in staff[g]), "shifts": None})
              for g, (name, group) in enumerate(sc.agent_groups.items())}
    return sc.model_copy(update={"agent_groups": groups})


def search_staff(sc: Scenario, *, replications: int = 10, seed: int | None = None, max_iterations: int = 60,
                 time_budget_s: float = 300.0, margin: float = 0.05, progress: Progress | None = None) -> StaffSearch:
    """Search the least-cost staff per group and interval meeting every queue's targets in simulation.

    Stops when no agent can be added or removed, after `max_iterations` simulations, or after
    `time_budget_s` seconds. `margin` is the slack (in service level, or relative for ASA and
    abandonment) a queue needs before an agent serving it may be removed.
    """
    seed = sc.seed if seed is None else seed
    groups = list(sc.agent_groups)
    cost = np.array([sc.agent_groups[g].cost_per_hour for g in groups])
    adds_to = [groups.index(min(primary_groups(sc, q), key=lambda g: sc.agent_groups[g].cost_per_hour))
               for q in sc.queues]
    serves = np.array([[q in sc.agent_groups[g].skills for q in sc.queues] for g in groups])
    analytic = analytic_group_staff(sc)
    staff, frozen = analytic.copy(), np.zeros_like(analytic, dtype=bool)
    history, started = [], time.perf_counter()
    best = None
    for iteration in range(1, max_iterations + 1):
        short = _shortfall(sc, with_staff(sc, staff), replications, seed, margin)
        missed, slack = short > 0, short <= -margin
        history.append({"iteration": iteration, "agents": int(staff.sum()), "cost": float(cost @ staff.sum(axis=1)),
                        "intervals_short": int(missed.any(axis=1).sum()), "worst_shortfall": float(short.max())})
        if not missed.any():
            best = staff.copy()
        if progress:
            progress(iteration, max_iterations, f"{staff.sum()} agent-intervals, {missed.any(axis=1).sum()} short")
        if time.perf_counter() - started > time_budget_s:
            break
        if missed.any():
            if best is not None:            # a removal broke a target: undo it there and keep it
                undo = missed.any(axis=1) & (staff < best).any(axis=0)
                frozen[:, undo] |= staff[:, undo] < best[:, undo]
                staff[:, undo] = best[:, undo]
                if undo.any():
                    continue
            for k in np.flatnonzero(missed.any(axis=1)):
                staff[adds_to[int(np.argmax(short[k]))], k] += 1
            continue
        # everything met: in each interval, drop one agent of the dearest group whose queues all have slack
        removed = False
        for k in range(sc.n_intervals):
            candidates = [g for g in np.argsort(-cost) if staff[g, k] > 0 and not frozen[g, k]
                          and slack[k][serves[g]].all()]
            if candidates:
                staff[candidates[0], k] -= 1
                removed = True
        if not removed:
            break
    final = best if best is not None else staff
    return _result(sc, analytic, final, groups, replications, seed, margin, history, best is not None)


def _shortfall(sc: Scenario, staffed: Scenario, replications: int, seed: int, margin: float) -> np.ndarray:
    """(intervals, queues): how far each queue misses its targets in each interval (> 0: missed;
    <= -margin: met with room to spare). Service level in share points, ASA and abandonment relative."""
    kpis = _interval_means(staffed, replications, seed)
    rows = []
    for q, queue in enumerate(sc.queues.values()):
        sl = queue.service_level
        parts = [sl.target - np.nan_to_num(kpis[:, q, SL], nan=1.0)]
        if sl.max_asa is not None:
            parts.append(np.nan_to_num(kpis[:, q, ASA], nan=0.0) / sl.max_asa - 1.0)
        if sl.max_abandon is not None:
            parts.append(np.nan_to_num(kpis[:, q, ABANDON], nan=0.0) / sl.max_abandon - 1.0)
        worst = np.max(parts, axis=0)
        rows.append(np.where(kpis[:, q, OFFERED] > 0, worst, -np.inf))   # nothing offered: nothing to meet
    return np.stack(rows, axis=1)


def _interval_means(sc: Scenario, replications: int, seed: int) -> np.ndarray:
    """(intervals, queues + 1, len(INTERVAL_KPIS)) means over replications (intervals without
    contacts in some replications average over the others)."""
    res = simulate(sc, replications=replications, seed=seed)
    stacked = np.stack([interval_kpis(res.plan, rec) for rec in res.records])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(stacked, axis=0)


def group_interval_frame(sc: Scenario, **columns: np.ndarray) -> pd.DataFrame:
    """One row per agent group and interval (interval, day, start, group), then `columns`,
    each a (groups, intervals) array."""
    starts, groups = sc.interval_starts(), list(sc.agent_groups)
    return pd.DataFrame({
        "interval": np.tile(np.arange(starts.size), len(groups)),
        "day": np.tile((starts // 86400).astype(int) + 1, len(groups)),
        "start": np.tile([format_clock(s) for s in starts], len(groups)),
        "group": np.repeat(groups, starts.size),
        **{name: np.asarray(values).ravel() for name, values in columns.items()},
    })


def _result(sc, analytic, final, groups, replications, seed, margin, history, met) -> StaffSearch:
    starts = sc.interval_starts()
    frame = group_interval_frame(sc, analytic=analytic, simulated=final)
    frame["difference"] = frame["simulated"] - frame["analytic"]
    staffed = with_staff(sc, final)
    kpis = _interval_means(staffed, replications, seed)
    targets = []
    for q, (name, queue) in enumerate(sc.queues.items()):
        targets.append(pd.DataFrame({
            "interval": np.arange(starts.size), "start": [format_clock(s) for s in starts], "queue": name,
            "offered": kpis[:, q, OFFERED], "service_level": kpis[:, q, SL], "target": queue.service_level.target,
            "asa": kpis[:, q, ASA], "abandon_rate": kpis[:, q, ABANDON],
        }))
    return StaffSearch(frame, pd.concat(targets, ignore_index=True), pd.DataFrame(history), staffed, met)
