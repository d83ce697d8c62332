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
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ccsim.executors import Executor
from ccsim.kpis import interval_kpis
from ccsim.kpis.registry import index
from ccsim.scenario.models import Scenario
from ccsim.simulate import simulate
from ccsim.stats import mean_over
from ccsim.staffing.requirements import primary_groups, requirements
from ccsim.units import format_clock, format_clocks

Progress = Callable[[int, int, str], None]
SL, ASA, ABANDON, OFFERED = (index("interval", k) for k in ("service_level", "asa", "abandon_rate", "offered"))


STOPS = ("done", "max_iterations", "time_budget")    # why a search ended; the last two are early


@dataclass(frozen=True)
class StaffSearch:
    """The outcome of `search_staff`.

    `staff`: per interval and group, the analytic start, the simulated requirement and their
    difference; `targets`: per interval and queue, the simulated KPIs against the targets;
    `history`: one row per simulation; `scenario`: the input with the simulated staff; `met`:
    every target is met with the returned staff. `stop`: why the search ended, one of STOPS
    ("done": nothing left to add or remove); `unmet`: per interval and queue whose targets the
    returned staff still misses, the KPI, its target and the shortfall.
    """

    staff: pd.DataFrame
    targets: pd.DataFrame
    history: pd.DataFrame
    scenario: Scenario
    met: bool
    stop: str = "done"
    unmet: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def simulations(self) -> int:
        """Simulations the search ran (the final check of the result not counted)."""
        return len(self.history)

    @property
    def stopped_early(self) -> bool:
        return self.stop != "done"

    @property
    def note(self) -> str:
        """One line on how the search ended and, when early, what is still unmet."""
        if not self.stopped_early:
            return f"search finished after {self.simulations} simulations" + ("" if self.met else "; targets unmet")
        limit = "--max-iterations" if self.stop == "max_iterations" else "the time budget (--time-budget)"
        text = f"search stopped early at {limit} after {self.simulations} simulations"
        if self.unmet.empty:
            return text + ": every target is met, but agents may still be removable"
        shown = [f"{r.queue} {r.start} {r.kpi} {r.value:.3g} (target {r.target:.3g})"
                 for r in self.unmet.head(5).itertuples()]
        more = f" and {len(self.unmet) - 5} more" if len(self.unmet) > 5 else ""
        return f"{text}; unmet: {', '.join(shown)}{more}"

    def status(self) -> dict:
        """JSON-able: met, stop, stopped_early, simulations, note and the unmet targets."""
        return {"met": self.met, "stop": self.stop, "stopped_early": self.stopped_early,
                "simulations": self.simulations, "note": self.note,
                "unmet": self.unmet.to_dict(orient="records")}


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
                 time_budget_s: float = 300.0, margin: float = 0.05, progress: Progress | None = None,
                 force: bool = False, workers: int = 1, executor: Executor = None) -> StaffSearch:
    """Search the least-cost staff per group and interval meeting every queue's targets in simulation.

    Stops when no agent can be added or removed, after `max_iterations` simulations, or after
    `time_budget_s` seconds. `margin` is the slack (in service level, or relative for ASA and
    abandonment) a queue needs before an agent serving it may be removed. `force` runs
    simulations bigger than this machine's memory (see `ccsim.budget`). `workers` and `executor`
    choose where the replications run, as in `simulate`.
    """
    backend = {"workers": workers, "executor": executor}
    seed = sc.seed if seed is None else seed
    groups = list(sc.agent_groups)
    cost = np.array([sc.agent_groups[g].cost_per_hour for g in groups])
    adds_to = [groups.index(min(primary_groups(sc, q), key=lambda g: sc.agent_groups[g].cost_per_hour))
               for q in sc.queues]
    serves = np.array([[q in sc.agent_groups[g].skills for q in sc.queues] for g in groups])
    analytic = analytic_group_staff(sc)
    staff, frozen = analytic.copy(), np.zeros_like(analytic, dtype=bool)
    history, started = [], time.perf_counter()
    best, stop = None, "max_iterations"
    for iteration in range(1, max_iterations + 1):
        short = _shortfall(sc, with_staff(sc, staff), replications, seed, force, **backend)
        missed, slack = short > 0, short <= -margin
        history.append({"iteration": iteration, "agents": int(staff.sum()), "cost": float(cost @ staff.sum(axis=1)),
                        "intervals_short": int(missed.any(axis=1).sum()), "worst_shortfall": float(short.max())})
        if not missed.any():
            best = staff.copy()
        if progress:
            progress(iteration, max_iterations, f"{staff.sum()} agent-intervals, {missed.any(axis=1).sum()} short")
        if time.perf_counter() - started > time_budget_s:
            stop = "time_budget"
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
            stop = "done"
            break
    final = best if best is not None else staff
    return _result(sc, analytic, final, replications, seed, history, best is not None, stop, force, **backend)


def _shortfall(sc: Scenario, staffed: Scenario, replications: int, seed: int, force: bool, **backend) -> np.ndarray:
    """(intervals, queues): how far each queue misses its targets in each interval (> 0: missed;
    <= -margin: met with room to spare). Service level in share points, ASA and abandonment relative."""
    kpis = _interval_means(staffed, replications, seed, force, **backend)
    return np.stack([np.max([gap for _, _, _, gap in _gaps(queue, kpis[:, q])], axis=0)
                     for q, queue in enumerate(sc.queues.values())], axis=1)


def _gaps(queue, kpis: np.ndarray) -> list[tuple[str, np.ndarray, float, np.ndarray]]:
    """Per target of `queue`: (KPI, its value per interval, the target, the shortfall per interval:
    > 0 missed; -inf where nothing was offered, so nothing is to meet)."""
    sl = queue.service_level
    offered = kpis[:, OFFERED] > 0
    gaps = [("service_level", kpis[:, SL], sl.target, sl.target - np.nan_to_num(kpis[:, SL], nan=1.0))]
    if sl.max_asa is not None:
        gaps.append(("asa", kpis[:, ASA], sl.max_asa, np.nan_to_num(kpis[:, ASA], nan=0.0) / sl.max_asa - 1.0))
    if sl.max_abandon is not None:
        gaps.append(("abandon_rate", kpis[:, ABANDON], sl.max_abandon,
                     np.nan_to_num(kpis[:, ABANDON], nan=0.0) / sl.max_abandon - 1.0))
    return [(kpi, value, target, np.where(offered, gap, -np.inf)) for kpi, value, target, gap in gaps]


def _unmet(sc: Scenario, kpis: np.ndarray) -> pd.DataFrame:
    """One row per queue, interval and target missed: queue, interval, start, kpi, value, target, shortfall."""
    starts = sc.interval_starts()
    rows = [{"queue": name, "interval": int(k), "start": format_clock(starts[k]), "kpi": kpi,
             "value": float(value[k]), "target": float(target), "shortfall": float(gap[k])}
            for q, (name, queue) in enumerate(sc.queues.items())
            for kpi, value, target, gap in _gaps(queue, kpis[:, q]) for k in np.flatnonzero(gap > 0)]
    return pd.DataFrame(rows, columns=["queue", "interval", "start", "kpi", "value", "target", "shortfall"])


def _interval_means(sc: Scenario, replications: int, seed: int, force: bool = False, **backend) -> np.ndarray:
    """(intervals, queues + 1, interval KPIs) means over replications (intervals without
    contacts in some replications average over the others)."""
    res = simulate(sc, replications=replications, seed=seed, force=force, **backend)
    return mean_over(np.stack([interval_kpis(res.plan, rec) for rec in res.records]))


def group_interval_frame(sc: Scenario, **columns: np.ndarray) -> pd.DataFrame:
    """One row per agent group and interval (interval, day, start, group), then `columns`,
    each a (groups, intervals) array."""
    starts, groups = sc.interval_starts(), list(sc.agent_groups)
    return pd.DataFrame({
        "interval": np.tile(np.arange(starts.size), len(groups)),
        "day": np.tile((starts // 86400).astype(int) + 1, len(groups)),
        "start": np.tile(format_clocks(starts), len(groups)),
        "group": np.repeat(groups, starts.size),
        **{name: np.asarray(values).ravel() for name, values in columns.items()},
    })


def _result(sc, analytic, final, replications, seed, history, met, stop, force, **backend) -> StaffSearch:
    starts = sc.interval_starts()
    frame = group_interval_frame(sc, analytic=analytic, simulated=final)
    frame["difference"] = frame["simulated"] - frame["analytic"]
    staffed = with_staff(sc, final)
    kpis = _interval_means(staffed, replications, seed, force, **backend)
    targets = []
    for q, (name, queue) in enumerate(sc.queues.items()):
        targets.append(pd.DataFrame({
            "interval": np.arange(starts.size), "start": format_clocks(starts), "queue": name,
            "offered": kpis[:, q, OFFERED], "service_level": kpis[:, q, SL], "target": queue.service_level.target,
            "asa": kpis[:, q, ASA], "abandon_rate": kpis[:, q, ABANDON],
        }))
    return StaffSearch(frame, pd.concat(targets, ignore_index=True), pd.DataFrame(history), staffed, met, stop,
                       _unmet(sc, kpis))
