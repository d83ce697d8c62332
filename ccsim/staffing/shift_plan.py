"""Shift planning: the cheapest whole numbers of agents per shift template and day that keep the
required number of agents present in every interval, as an integer program solved by HiGHS.

This module owns the shift-template schema and the covering model. It knows nothing of queues or
of the simulation: the requirement comes in as a plain (days, intervals per day) array, and the
plan goes out as tables and as scenario `shifts` entries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BeforeValidator, Field, ValidationError, model_validator
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ccsim.scenario.shifts import Break, Day, Shift, _day_list
from ccsim.scenario.types import WEEKDAYS, Clock, PositiveDuration, Strict, _clock_text
from ccsim.units import format_clock, format_clocks, format_duration

_LISTED = 10  # short intervals named in an infeasibility message; the rest are counted
_TOL = 1e-6   # agents: HiGHS's feasibility tolerance; coverage this close to the requirement meets it


class ShiftTemplate(Strict):
    """A shift the planner may staff: from `start` (clock time, seconds after midnight) for
    `length` seconds, at `cost_per_hour` per paid agent-hour, with `min`..`max` agents on each
    day it is used (default 0..no limit), on `days` (weekday names or 1-based day numbers;
    omitted: every day); every agent takes the `breaks` (as in a scenario shift). `groups`
    names the agent groups that may work it (omitted: every group)."""

    start: Clock
    length: PositiveDuration
    cost_per_hour: float = Field(ge=0)
    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)
    days: Annotated[tuple[Day, ...], BeforeValidator(_day_list)] | None = None
    breaks: tuple[Break, ...] = ()
    groups: tuple[str, ...] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ShiftTemplate:
        if self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        try:
            self.shift(1)  # breaks must fit in the shift, by the scenario's own rule
        except ValidationError as exc:
            raise ValueError("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())) from None
        return self

    def shift(self, count: int) -> Shift:
        """The scenario shift of `count` agents working this template on its `days`."""
        return Shift(start=format_clock(self.start), length=self.length, count=count, days=self.days,
                     breaks=self.breaks)


class ShiftTemplates(Strict):
    """A shift-template file (e.g. `shifts.yml`): `templates` by name."""

    templates: dict[str, ShiftTemplate] = Field(min_length=1)


@dataclass(frozen=True)
class ShiftPlan:
    """The outcome of `plan_shifts`.

    `counts`: one row per template and day it may be used (template, day 1-based, agents starting
    it). `coverage`: one row per interval (day, start "HH:MM", required, scheduled, over, under), in
    agents present, breaks deducted on average. `paid_hours` (agent-hours, breaks included) and
    `cost` (currency) of all shifts; `status` and `message` from the solver; `templates` planned with.
    """

    counts: pd.DataFrame
    coverage: pd.DataFrame
    paid_hours: float
    cost: float
    status: int
    message: str
    templates: Mapping[str, ShiftTemplate]

    def to_shifts(self) -> list[dict[str, Any]]:
        """Scenario `shifts` entries, one per template and day with agents (days as 1-based day
        numbers), ready for `agent_groups.G.shifts`."""
        return [_shift_entry(self.templates[row.template], row.agents, row.day)
                for row in self.counts.itertuples() if row.agents > 0]


def plan_shifts(required: np.ndarray, templates: ShiftTemplates | Mapping[str, ShiftTemplate], *,
                start_s: float, interval_s: float, first_day: str = "mon") -> ShiftPlan:
    """Agents per template and day at least paid cost, keeping `required` agents present.

    `required`: agents needed present, shape (days, intervals per day); day d's intervals start
    at `start_s` (seconds after midnight) and last `interval_s` seconds; day 1 is weekday
    `first_day`. Templates must start and end on that grid within the day's intervals.

    The integer program: x[d, t] >= 0 agents start template t on day d (0 on days it is not
    worked, else within its min..max); minimize sum x * length_h * cost_per_hour subject to, for
    every interval, sum over templates of x * presence >= required. A template's presence in an
    interval it covers is 1 minus the share of the interval its agents are on a break, on
    average: a break's start is taken as uniform over its `spread` window. (Agent i of n goes
    i/n of the spread later, which depends on n and would make the model non-linear; the uniform
    window is its many-agents limit, a little optimistic early in the window for few agents, and
    agents finishing a contact first shift breaks later anyway.) Coverage meets the requirement
    to within 1e-6 agents, the solver's feasibility tolerance.

    Raises ValueError for bad input, off-grid templates, and intervals that even every template
    at its `max` cannot cover (listed as "day D HH:MM").
    """
    need = np.asarray(required, dtype=float)
    if need.ndim != 2 or need.size == 0 or not np.isfinite(need).all():
        raise ValueError(f"required must be a finite (days, intervals per day) array, got shape {need.shape}")
    if first_day not in WEEKDAYS:
        raise ValueError(f"unknown first_day {first_day!r}; allowed: {', '.join(WEEKDAYS)}")
    catalog = dict(templates.templates if isinstance(templates, ShiftTemplates) else templates)
    if not catalog:
        raise ValueError("give at least one shift template")
    names = list(catalog)
    n_days, per_day = need.shape
    presence = np.column_stack([_presence(n, catalog[n], start_s, interval_s, per_day) for n in names])
    worked = np.column_stack([_worked(n, catalog[n], n_days, first_day) for n in names])  # (days, templates)
    lower = np.where(worked, [t.min for t in catalog.values()], 0)
    upper = np.where(worked, [np.inf if t.max is None else t.max for t in catalog.values()], 0)
    with np.errstate(invalid="ignore"):  # inf agents x 0 presence: counts as nothing
        most = np.where(presence > 0, upper[:, None, :] * presence, 0.0).sum(axis=2)
    short = most < need - _TOL
    if short.any():
        raise ValueError(f"no mix of templates covers {short.sum()} interval(s): "
                         + _listing(short, need, most, start_s, interval_s))

    cost_per_agent = np.array([t.length / 3600.0 * t.cost_per_hour for t in catalog.values()])
    cost = np.tile(cost_per_agent, n_days)  # variable d * templates + t
    rows = sparse.kron(sparse.identity(n_days), sparse.csr_matrix(presence), format="csr")
    res = milp(cost, integrality=np.ones_like(cost), bounds=Bounds(lower.ravel(), upper.ravel()),
               constraints=LinearConstraint(rows, lb=need.ravel(), ub=np.inf))
    if not res.success:
        what = "the shift plan is infeasible" if res.status == 2 else "no optimal shift plan found"
        raise ValueError(f"{what}: {res.message}")

    agents = np.rint(res.x).astype(int).reshape(n_days, len(names))
    scheduled = agents @ presence.T
    day_of, template_of = np.nonzero(worked)
    order = np.lexsort((day_of, template_of))  # template by template, days in order
    counts = pd.DataFrame({"template": np.array(names, dtype=object)[template_of[order]],
                           "day": day_of[order] + 1, "agents": agents[day_of[order], template_of[order]]})
    coverage = pd.DataFrame({
        "day": np.repeat(np.arange(1, n_days + 1), per_day),
        "start": np.tile(format_clocks(start_s + np.arange(per_day) * interval_s), n_days),
        "required": need.ravel(),
        "scheduled": scheduled.ravel(),
        "over": np.maximum(scheduled - need, 0.0).ravel(),
        "under": np.maximum(need - scheduled, 0.0).ravel(),
    })
    paid_hours = float(agents.sum(axis=0) @ [t.length / 3600.0 for t in catalog.values()])
    return ShiftPlan(counts, coverage, paid_hours, float(cost @ agents.ravel()), int(res.status), res.message,
                     catalog)


def _presence(name: str, template: ShiftTemplate, start_s: float, interval_s: float, per_day: int) -> np.ndarray:
    """Average share of each of the day's intervals one agent of the template is present (0..1)."""
    first = (template.start - start_s) / interval_s
    last = (template.start + template.length - start_s) / interval_s
    on_grid = abs(first - round(first)) < 1e-9 and abs(last - round(last)) < 1e-9
    if not (on_grid and first >= -1e-9 and last <= per_day + 1e-9):
        times = [start_s + k * interval_s for k in range(per_day + 1)]
        shown = times if len(times) <= 5 else [*times[:3], None, times[-1]]
        grid = ", ".join("..." if t is None else _clock_text(t) for t in shown)
        size = f"{interval_s / 60:g}-minute" if interval_s % 60 == 0 else format_duration(interval_s)
        raise ValueError(f"template {name!r} runs {_clock_text(template.start)}-"
                         f"{_clock_text(template.start + template.length)}; templates must start and end on the "
                         f"{size} grid within the day's intervals: {grid}")
    k = np.arange(per_day)
    covered = (k >= round(first)) & (k < round(last))
    edges = start_s + np.arange(per_day + 1) * interval_s
    away = sum((_break_share(template.start + offset, length, spread, edges)
                for offset, length, spread in template.shift(1).off_times()), np.zeros(per_day))
    return covered * np.clip(1.0 - away, 0.0, 1.0)


def _break_share(start_s: float, length_s: float, spread_s: float, edges: np.ndarray) -> np.ndarray:
    """Expected share of each interval [edges[k], edges[k+1]) an agent spends on a `length_s` break
    starting uniformly within [start_s, start_s + spread_s] (at start_s when spread_s is 0).

    P(on break at t) = F(t) - F(t - length) with F the start time's distribution function; its
    integral over an interval is a difference of G, the integral of F.
    """
    def integrated_cdf(t: np.ndarray) -> np.ndarray:
        u = np.maximum(t - start_s, 0.0)
        return u if spread_s == 0 else np.where(u <= spread_s, u * u / (2.0 * spread_s), u - spread_s / 2.0)

    a, b = edges[:-1], edges[1:]
    inside = integrated_cdf(b) - integrated_cdf(a) - integrated_cdf(b - length_s) + integrated_cdf(a - length_s)
    return inside / (b - a)


def _worked(name: str, template: ShiftTemplate, n_days: int, first_day: str) -> np.ndarray:
    """Whether the template may be used on each day 1..n_days."""
    outside = [d for d in template.days or () if isinstance(d, int) and not 1 <= d <= n_days]
    if outside:
        raise ValueError(f"template {name!r} names day {outside[0]}; the plan has days 1..{n_days}")
    shift = template.shift(1)
    return np.array([shift.works_on(day, first_day) for day in range(1, n_days + 1)])


def _listing(short: np.ndarray, need: np.ndarray, most: np.ndarray, start_s: float, interval_s: float) -> str:
    """"day 1 15:00 (needs 3, at most 0), ..., and 4 more" for the (day, interval) cells in `short`."""
    cells = np.argwhere(short)
    named = [f"day {d + 1} {format_clock(start_s + k * interval_s)} (needs {need[d, k]:g}, at most {most[d, k]:g})"
             for d, k in cells[:_LISTED]]
    more = f", and {len(cells) - _LISTED} more" if len(cells) > _LISTED else ""
    return ", ".join(named) + more


def _shift_entry(template: ShiftTemplate, count: int, day: int) -> dict[str, Any]:
    """One scenario `shifts` entry: `count` agents working `template` on horizon day `day`."""
    return {"start": format_clock(template.start), "length": _duration_text(template.length), "count": int(count),
            "days": [int(day)],
            "breaks": [{key: _duration_text(value) for key, value in b.model_dump(exclude_defaults=True).items()}
                       for b in template.breaks]}


def _duration_text(seconds: float) -> str | float:
    """"8h", "30m" for whole seconds; fractional seconds stay a number, so nothing is rounded."""
    return format_duration(seconds) if float(seconds).is_integer() else seconds
