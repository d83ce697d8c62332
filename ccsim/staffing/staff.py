"""`ccsim.staff`: how many agents, when — analytic requirements, optionally corrected by
simulation, optionally turned into shifts — and the scenario staffed accordingly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim import arguments, executors
from ccsim.budget import check_size
from ccsim.errors import StaffingError
from ccsim.executors import Executor
from ccsim.scenario import Scenario, load_scenario
from ccsim.scenario.loader import load_model
from ccsim.scenario.shifts import Shift
from ccsim.staffing.shift_plan import ShiftPlan, ShiftTemplates, plan_shifts
from ccsim.simulate import run_arguments
from ccsim.staffing.requirements import requirements
from ccsim.staffing.search import (
    Progress, StaffSearch, analytic_group_staff, group_interval_frame, search_staff, with_staff,
)

METHODS = ("erlang", "simulate")


@dataclass(frozen=True)
class Staffing:
    """What `staff` returns.

    `requirements`: per interval and queue, the analytic answer (load, agents per target, FTE).
    `groups`: per interval and agent group, `analytic` (FTE of the queues the group serves
    first), `simulated` (with method "simulate"), `required` (the one used), `scheduled` (what
    the shifts cover, or `required`), `over` and `under`.
    `search`: the simulation search (method "simulate"); `shift_plans`: per group, with shifts.
    `scenario`: the input staffed with the result (per-interval staff, or the planned shifts).
    """

    requirements: pd.DataFrame
    groups: pd.DataFrame
    scenario: Scenario
    method: str
    search: StaffSearch | None = None
    shift_plans: dict[str, Any] = field(default_factory=dict)


def staff(scenario: Scenario | str | Path | Mapping[str, Any], method: str = "erlang", *,
          shifts: Any = None, replications: int = 10, seed: int | None = None, max_iterations: int = 60,
          time_budget_s: float = 300.0, max_occupancy: float | None = None,
          progress: Progress | None = None, force: bool = False, workers: int = 1,
          executor: Executor = None) -> Staffing:
    """Required agents per interval for every queue and agent group of `scenario`.

    `method` "erlang" gives the analytic requirement per queue (Erlang C/A, chat concurrency,
    deferred work against its due time) as scheduled FTE per group; "simulate" then searches, in
    simulation, the least-cost staff meeting every target (see `search_staff`). `shifts` (shift
    templates: a file, a mapping or `ShiftTemplates`) turns the requirement into shifts at least cost.
    `workers` and `executor` choose where the simulations' replications run, as in `simulate`.
    The size of one simulation is checked first (`force` as in `simulate`); bad arguments raise
    `ArgumentError` (a ValueError) naming the argument.

    Example:
        >>> plan = ccsim.staff("scenarios/hotline.yml")          # Erlang, per queue and interval
        >>> first = plan.requirements.iloc[0]
        >>> print(first.queue, first.start, f"AHT {first.aht_s:.0f} s:", first.required, "agents")
        general 08:00 AHT 240 s: 7 agents
    """
    if method not in METHODS:
        raise arguments.ArgumentError(f"method: unknown method {method!r}; allowed: {', '.join(METHODS)}")
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    file = None if isinstance(scenario, (Scenario, Mapping)) else str(scenario)
    replications, seed, workers = run_arguments(sc, replications, seed, workers)
    executor = executors.check(executor, workers)
    max_iterations = arguments.whole("max_iterations", max_iterations, 1)
    time_budget_s = arguments.number("time_budget_s", time_budget_s)
    if max_occupancy is not None:
        max_occupancy = arguments.number("max_occupancy", max_occupancy, 0.0, 1.0)
    check_size(sc, replications if method == "simulate" else 0, executors.size_workers(executor, workers),
               force=force, file=file)
    required_queues = requirements(sc, max_occupancy)
    analytic = analytic_group_staff(sc, required_queues)
    search = None
    required = analytic
    if method == "simulate":
        search = search_staff(sc, replications=replications, seed=seed, max_iterations=max_iterations,
                              time_budget_s=time_budget_s, progress=progress, force=force, workers=workers,
                              executor=executor)
        required = search.staff.simulated.to_numpy().reshape(analytic.shape)
    scheduled, plans, staffed = required, {}, with_staff(sc, required)
    if shifts is not None:
        scheduled, plans, staffed = _plan_shifts(sc, required, shifts)
    return Staffing(required_queues, _group_frame(sc, analytic, search, required, scheduled), staffed, method,
                    search, plans)


def _plan_shifts(sc: Scenario, required: np.ndarray, shifts: Any) -> tuple[np.ndarray, dict[str, ShiftPlan], Scenario]:
    """Plan each group's shifts from the templates open to it (`groups`, or all) to cover its
    required agents; returns the agents the shifts schedule per group and interval (breaks
    deducted), the plans, and the scenario staffed by the shifts."""
    templates = (shifts if isinstance(shifts, ShiftTemplates) else load_model(shifts, ShiftTemplates)).templates
    for key, template in templates.items():
        for name in set(template.groups or ()) - set(sc.agent_groups):
            raise StaffingError(f"templates.{key}.groups: names unknown agent group {name!r}; "
                                f"groups: {', '.join(sc.agent_groups)}")
    scheduled = np.zeros(required.shape)
    plans, groups = {}, {}
    for g, (name, group) in enumerate(sc.agent_groups.items()):
        open_to = {key: t for key, t in templates.items() if t.groups is None or name in t.groups}
        if not open_to:
            raise StaffingError(f"agent group {name}: no shift template lists it in its groups")
        try:
            plan = plan_shifts(required[g].reshape(sc.horizon.days, sc.intervals_per_day), open_to,
                               start_s=sc.horizon.start, interval_s=sc.interval, first_day=sc.horizon.first_day)
        except ValueError as exc:
            raise StaffingError(f"agent group {name}: {exc}") from None
        plans[name] = plan
        scheduled[g] = plan.coverage.scheduled.to_numpy()
        planned = tuple(Shift.model_validate(s) for s in plan.to_shifts())
        groups[name] = group.model_copy(update={"shifts": planned or None, "staff": None if planned else 0})
    return scheduled, plans, sc.model_copy(update={"agent_groups": groups})


def _group_frame(sc: Scenario, analytic: np.ndarray, search: StaffSearch | None, required: np.ndarray,
                 scheduled: np.ndarray) -> pd.DataFrame:
    frame = group_interval_frame(sc, analytic=analytic)
    if search is not None:
        frame["simulated"] = search.staff.simulated.to_numpy()
    frame["required"] = required.ravel()
    frame["scheduled"] = np.asarray(scheduled).ravel()
    frame["over"] = np.maximum(frame.scheduled - frame.required, 0)
    frame["under"] = np.maximum(frame.required - frame.scheduled, 0)
    return frame
