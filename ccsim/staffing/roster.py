"""Weekly rosters: which agent works which shift template on which day of a week, at least cost,
so that the agents present cover each group's requirement per interval (or pay a penalty for
each agent-hour short), while every agent's week keeps the rules (days off, consecutive days off,
weekly hours, rest between shifts, same start time). An integer program per agent group, solved
by HiGHS (`scipy.optimize.milp`).

The week repeats: a shift crossing midnight on the last day covers the first day's morning, and
rest and consecutive days off wrap from the last day to the first.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from ccsim.errors import StaffingError
from ccsim.scenario import Scenario, load_scenario
from ccsim.scenario.loader import load_model
from ccsim.scenario.shifts import Shift
from ccsim.scenario.types import WEEKDAYS
from ccsim.staffing.roster_model import RosterFile, Rules
from ccsim.staffing.shift_plan import ShiftTemplate, _break_share, _shift_entry
from ccsim.staffing.staff import Staffing
from ccsim.units import format_clock, format_clocks, format_duration

WEEK_S = 7 * 86400.0
OFF = "off"
DIAGNOSE_S = 5.0         # per rule left out when looking for the rules that make a roster infeasible
RULES = ("days_off", "consecutive", "weekly_hours.min", "weekly_hours.max", "rest", "same_start", "template limits")


@dataclass(frozen=True)
class Week:
    """A scenario's week as the roster sees it: `per_day` intervals of `interval_s` from `start_s`
    each day, around the clock or not; `weekdays` of days 1..7."""

    start_s: float
    end_s: float
    interval_s: float
    weekdays: tuple[str, ...]

    @property
    def per_day(self) -> int:
        return int(round((self.end_s - self.start_s) / self.interval_s))

    @property
    def around_the_clock(self) -> bool:
        return self.start_s == 0 and self.end_s == 86400

    def presence(self, name: str, template: ShiftTemplate, day: int) -> np.ndarray:
        """Share of each interval of the week (7 x per_day) one agent of `template` starting on
        `day` (0-based) is present, breaks deducted on average; the week wraps around the clock."""
        begin = day * 86400.0 + template.start
        end = begin + template.length
        per_day, n = self.per_day, 7 * self.per_day
        if self.around_the_clock:
            first, last = (begin - self.start_s) / self.interval_s, (end - self.start_s) / self.interval_s
        else:
            first = (template.start - self.start_s) / self.interval_s + day * per_day
            last = first + template.length / self.interval_s
            if template.start < self.start_s or template.start + template.length > self.end_s:
                raise StaffingError(f"template {name!r} runs {_clock(template.start)}-{_clock(template.start + template.length)}, "
                                    f"outside the opening hours {_clock(self.start_s)}-{_clock(self.end_s)}; shifts "
                                    "may cross midnight only in a horizon open 00:00-24:00")
        if abs(first - round(first)) > 1e-9 or abs(last - round(last)) > 1e-9:
            raise StaffingError(f"template {name!r} starts or ends off the {format_duration(self.interval_s)} "
                                "interval grid")
        if template.length > 86400:
            raise StaffingError(f"template {name!r} lasts {format_duration(template.length)}; at most 24h")
        k = np.arange(round(first), round(last))
        edges = begin + (k - round(first))[:, None] * self.interval_s + np.array([0.0, self.interval_s])
        away = np.zeros(k.size)
        for offset, length, spread in template.shift(1).off_times():
            away += _break_share(begin + offset, length, spread, np.append(edges[:, 0], edges[-1, 1]))
        out = np.zeros(n)
        np.add.at(out, k % n, np.clip(1.0 - away, 0.0, 1.0))
        return out


@dataclass(frozen=True)
class AgentWeek:
    """One agent as the roster sees it: `name`, the `rules` of its week, and `unavailable` days
    (0-based days of the week it cannot work)."""

    name: str
    rules: Rules
    unavailable: frozenset[int] = frozenset()

    def same_as(self, other: AgentWeek) -> bool:
        """Interchangeable in the model: same rules, same days available."""
        return self.rules == other.rules and self.unavailable == other.unavailable


@dataclass(frozen=True)
class GroupRoster:
    """One group's roster. `shifts`: one row per agent and worked day (agent, day 1-7, weekday,
    template, start, end, paid_hours); `agents`: every agent's week (days worked, hours); `coverage`:
    per interval (day, start, required, scheduled, over, under); `cost` (paid hours x cost per hour
    + cost per agent), `under_cost` (penalty), `status` and `gap` from the solver; `weeks`: every
    agent's rules and days unavailable."""

    group: str
    shifts: pd.DataFrame
    agents: pd.DataFrame
    coverage: pd.DataFrame
    cost: float
    under_cost: float
    status: str
    gap: float
    weeks: tuple[AgentWeek, ...]

    @property
    def headcount(self) -> int:
        """Agents with at least one shift in the week."""
        return int((self.agents.days > 0).sum())

    def table(self) -> pd.DataFrame:
        """Agent x weekday: the template worked, or "off"; with the week's paid hours."""
        days = self.agents[["agent"]].copy()
        for d, weekday in enumerate(self.agents.attrs.get("weekdays", WEEKDAYS), start=1):
            worked = self.shifts[self.shifts.day == d].set_index("agent").template
            days[weekday] = days.agent.map(worked).fillna(OFF)
        days["hours"] = self.agents.hours.to_numpy()
        return days


@dataclass(frozen=True)
class Roster:
    """What `plan_roster` returns: per group its `GroupRoster`, and `scenario` staffed by the
    rostered shifts (one scenario shift per template and day, its count the agents on it)."""

    groups: dict[str, GroupRoster]
    scenario: Scenario
    spec: RosterFile = field(repr=False)

    @property
    def headcount(self) -> dict[str, int]:
        return {g: r.headcount for g, r in self.groups.items()}

    @property
    def cost(self) -> float:
        return float(sum(r.cost for r in self.groups.values()))


def week_of(sc: Scenario) -> Week:
    """The scenario's week; a horizon of other than 7 days is an error."""
    if sc.horizon.days != 7:
        raise StaffingError(f"horizon.days: a weekly roster needs a horizon of 7 days, got {sc.horizon.days}")
    return Week(sc.horizon.start, sc.horizon.end, sc.interval, tuple(sc.weekdays()))


def plan_roster(sc: Scenario | str | Path, spec: RosterFile | str | Path | Mapping[str, Any],
                required: Mapping[str, np.ndarray]) -> Roster:
    """Roster every group of `spec` against `required` (group -> agents needed per interval of
    the week, 7 x intervals per day values). Raises StaffingError naming the group and the
    rules that cannot hold together."""
    sc = sc if isinstance(sc, Scenario) else load_scenario(sc)
    spec = spec if isinstance(spec, RosterFile) else load_model(spec, RosterFile)
    week = week_of(sc)
    for key, template in spec.templates.items():
        for name in set(template.groups or ()) - set(sc.agent_groups):
            raise StaffingError(f"templates.{key}.groups: names unknown agent group {name!r}; "
                                f"groups: {', '.join(sc.agent_groups)}")
    for name in set(spec.groups) - set(sc.agent_groups):
        raise StaffingError(f"groups.{name}: unknown agent group; the scenario's groups: {', '.join(sc.agent_groups)}")
    groups, rostered = {}, {}
    for name, group in spec.groups.items():
        need = np.asarray(required[name], dtype=float)
        templates = {k: t for k, t in spec.templates.items() if t.groups is None or name in t.groups}
        if not templates:
            raise StaffingError(f"groups.{name}: no template lists it in its groups")
        result = roster_group(name, week, need, templates, agent_weeks(spec, name, week), group.cost_per_agent, spec.coverage.under_penalty, spec.solver.time_limit,
                              spec.solver.gap)
        _recheck(result, week, templates, need if spec.coverage.under_penalty is None else None)
        groups[name] = result
        rostered[name] = sc.agent_groups[name].model_copy(update=_staffing(result, spec.templates))
    return Roster(groups, sc.model_copy(update={"agent_groups": {**sc.agent_groups, **rostered}}), spec)


def agent_weeks(spec: RosterFile, group: str, week: Week) -> list[AgentWeek]:
    """Every agent of `group` with its rules and the days it cannot work."""
    settings = spec.groups[group]
    return [AgentWeek(name, spec.rules_of(group, name),
                      frozenset(d for d, w in enumerate(week.weekdays) if w in settings.settings(name).unavailable))
            for name in settings.agent_names(group)]


def _recheck(result: GroupRoster, week: Week, templates: Mapping[str, ShiftTemplate], need: np.ndarray | None) -> None:
    """Every rule re-derived from the roster's shifts (`roster_check`); a slip is a warning, not silence."""
    from ccsim.staffing.roster_check import violations

    for problem in violations(result, week, templates, need)[:5]:
        warnings.warn(f"group {result.group}: the roster breaks a rule: {problem}", UserWarning, stacklevel=3)


@dataclass
class _Model:
    """Columns of the integer program: x (agent, slot) first, then u (agent used), o (agent,
    first day off), c (agent, start time), under (interval)."""

    n_agents: int
    slots: list[tuple[int, str]]                  # (day 0-6, template)
    starts: list[float]
    n_intervals: int
    consecutive: bool
    same_start: bool
    soft: bool

    def __post_init__(self) -> None:
        self.x0, self.nx = 0, self.n_agents * len(self.slots)
        self.u0 = self.nx
        self.o0 = self.u0 + self.n_agents
        self.c0 = self.o0 + (7 * self.n_agents if self.consecutive else 0)
        self.under0 = self.c0 + (len(self.starts) * self.n_agents if self.same_start else 0)
        self.size = self.under0 + (self.n_intervals if self.soft else 0)

    def x(self, a: int, s: int) -> int:
        return self.x0 + a * len(self.slots) + s


def roster_group(group: str, week: Week, need: np.ndarray, templates: Mapping[str, ShiftTemplate],
                 agents: Sequence[AgentWeek], cost_per_agent: float = 0.0, under_penalty: float | None = None,
                 time_limit_s: float = 60.0, gap: float = 0.005, drop: frozenset[str] = frozenset()) -> GroupRoster:
    """One group's roster at least cost (see the module docstring); `drop` leaves rules out (to
    find which ones make a plan infeasible). Raises StaffingError when no roster exists."""
    per_day, n = week.per_day, 7 * week.per_day
    if need.shape != (n,):
        raise StaffingError(f"group {group}: the requirement has {need.size} values; the week has {n} intervals")
    slots = [(d, t) for d in range(7) for t, tpl in templates.items()
             if tpl.days is None or tpl.shift(1).works_on(d + 1, week.weekdays[0])]
    presence = np.stack([week.presence(t, templates[t], d) for d, t in slots])          # (slots, intervals)
    _check_reachable(group, week, need, presence, len(agents), under_penalty)
    if under_penalty is None:
        _check_hours(group, week, need, templates, agents, drop)
    starts = sorted({templates[t].start for _, t in slots})
    m = _Model(len(agents), slots, starts, n, any(_consecutive(a.rules, drop) for a in agents),
               any(a.rules.same_start for a in agents) and "same_start" not in drop, under_penalty is not None)
    hours = np.array([templates[t].length / 3600.0 for _, t in slots])
    cost = np.zeros(m.size)
    for a in range(m.n_agents):
        cost[m.x(a, 0):m.x(a, 0) + len(slots)] = hours * [templates[t].cost_per_hour for _, t in slots]
    cost[m.u0:m.u0 + m.n_agents] = cost_per_agent
    if m.soft:
        cost[m.under0:] = under_penalty * week.interval_s / 3600.0
    rows = _Rows(m.size)
    _agent_rules(rows, m, slots, templates, agents, hours, drop)
    _coverage(rows, m, presence, need)
    _template_limits(rows, m, slots, templates, drop)
    upper = np.ones(m.size)
    for a, agent in enumerate(agents):                                     # days the agent cannot work
        for s, (d, _) in enumerate(slots):
            if d in agent.unavailable:
                upper[m.x(a, s)] = 0.0
    if m.soft:
        upper[m.under0:] = np.inf
    integrality = np.ones(m.size)
    if m.soft:
        integrality[m.under0:] = 0
    res = milp(cost, integrality=integrality, bounds=Bounds(np.zeros(m.size), upper), constraints=rows.constraint(),
               options={"time_limit": float(time_limit_s), "mip_rel_gap": float(gap)})
    if res.x is None:
        if res.status == 2 or "infeasible" in res.message.lower():
            if drop:                          # looking for the culprit: one answer is enough
                raise StaffingError(f"group {group}: infeasible without {', '.join(sorted(drop))}")
            raise StaffingError(_infeasible(group, week, need, templates, agents, cost_per_agent))
        raise StaffingError(f"group {group}: no roster found within the time limit ({format_duration(time_limit_s)}); "
                            "raise solver.time_limit or solver.gap")
    return _result(group, week, res, m, slots, templates, agents, presence, need, cost_per_agent, under_penalty)


class _Rows:
    """Sparse constraint rows lb <= A x <= ub, appended one by one."""

    def __init__(self, n_cols: int):
        self.n_cols, self.data, self.cols, self.rows, self.lb, self.ub = n_cols, [], [], [], [], []

    def add(self, cols: list[int], coefs: list[float] | np.ndarray, lb: float = -np.inf, ub: float = np.inf) -> None:
        r = len(self.lb)
        self.rows += [r] * len(cols)
        self.cols += list(cols)
        self.data += list(np.broadcast_to(np.asarray(coefs, dtype=float), (len(cols),)))
        self.lb.append(lb)
        self.ub.append(ub)

    def constraint(self) -> LinearConstraint:
        a = sparse.csr_matrix((self.data, (self.rows, self.cols)), shape=(len(self.lb), self.n_cols))
        return LinearConstraint(a, self.lb, self.ub)


def _consecutive(rules: Rules, drop: frozenset[str]) -> bool:
    return rules.consecutive and rules.days_off > 0 and not {"consecutive", "days_off"} & drop


def _agent_rules(rows: _Rows, m: _Model, slots, templates, agents: Sequence[AgentWeek], hours: np.ndarray,
                 drop: frozenset[str]) -> None:
    by_day = [[s for s, (d, _) in enumerate(slots) if d == day] for day in range(7)]
    conflicts_by_rest: dict[float, dict[int, list[int]]] = {}
    for a, agent in enumerate(agents):
        rules, u = agent.rules, m.u0 + a
        rest = rules.rest if "rest" not in drop else 0.0
        conflicts = conflicts_by_rest.setdefault(rest, _rest_conflicts(slots, templates, rest))
        lo_h = rules.weekly_hours.min / 3600.0 if "weekly_hours.min" not in drop else 0.0
        hi_h = rules.weekly_hours.max / 3600.0 if "weekly_hours.max" not in drop else 7 * 24.0
        max_days = 7 - (rules.days_off if "days_off" not in drop else 0)
        every = [m.x(a, s) for s in range(len(slots))]
        for day_slots in by_day:                                           # one shift a day, only if used
            rows.add([m.x(a, s) for s in day_slots] + [u], [1.0] * len(day_slots) + [-1.0], ub=0.0)
        rows.add(every + [u], list(hours) + [-lo_h], lb=0.0)               # weekly hours
        rows.add(every + [u], list(hours) + [-hi_h], ub=0.0)
        rows.add(every, 1.0, ub=max_days)                                  # days off
        for s, later in conflicts.items():                                 # rest between shifts
            if later:
                rows.add([m.x(a, s)] + [m.x(a, t) for t in later], 1.0, ub=1.0)
        if _consecutive(rules, drop):                                      # one block of days off
            block = [m.o0 + 7 * a + b for b in range(7)]
            rows.add(block, 1.0, lb=1.0, ub=1.0)
            for day in range(7):
                first_days = [(day - j) % 7 for j in range(rules.days_off)]
                rows.add([m.x(a, s) for s in by_day[day]] + [m.o0 + 7 * a + b for b in first_days], 1.0, ub=1.0)
        if rules.same_start and "same_start" not in drop:                  # one start time for the week
            chosen = [m.c0 + len(m.starts) * a + k for k in range(len(m.starts))]
            rows.add(chosen, 1.0, ub=1.0)
            for day in range(7):
                for k, start in enumerate(m.starts):
                    same = [m.x(a, s) for s in by_day[day] if templates[slots[s][1]].start == start]
                    if same:
                        rows.add(same + [chosen[k]], [1.0] * len(same) + [-1.0], ub=0.0)
        if a and agent.same_as(agents[a - 1]):                             # interchangeable: fill in order
            rows.add([m.u0 + a - 1, u], [1.0, -1.0], lb=0.0)


def _rest_conflicts(slots, templates, rest_s: float) -> dict[int, list[int]]:
    """For each slot, the slots of the next two days (the week wraps) starting less than `rest_s`
    after it ends, or before it ends."""
    out = {}
    for s, (d, t) in enumerate(slots):
        end = d * 86400.0 + templates[t].start + templates[t].length
        later = []
        for s2, (d2, t2) in enumerate(slots):
            ahead = (d2 - d) % 7
            if ahead in (1, 2):
                start = (d + ahead) * 86400.0 + templates[t2].start
                if start - end < rest_s:
                    later.append(s2)
        out[s] = later
    return out


def _coverage(rows: _Rows, m: _Model, presence: np.ndarray, need: np.ndarray) -> None:
    for k in np.flatnonzero(need > 0):
        present = np.flatnonzero(presence[:, k] > 0)
        cols = [m.x(a, s) for a in range(m.n_agents) for s in present]
        coefs = list(np.tile(presence[present, k], m.n_agents))
        if m.soft:
            cols, coefs = cols + [m.under0 + int(k)], coefs + [1.0]
        rows.add(cols, coefs, lb=float(need[k]))


def _template_limits(rows: _Rows, m: _Model, slots, templates, drop: frozenset[str]) -> None:
    if "template limits" in drop:
        return
    for s, (_, t) in enumerate(slots):
        tpl = templates[t]
        if tpl.min or tpl.max is not None:
            rows.add([m.x(a, s) for a in range(m.n_agents)], 1.0, lb=tpl.min,
                     ub=np.inf if tpl.max is None else tpl.max)


def _check_reachable(group: str, week: Week, need: np.ndarray, presence: np.ndarray, n_agents: int,
                     under_penalty: float | None) -> None:
    """Hard coverage: every interval needs some template covering it and no more agents than the group has."""
    if under_penalty is not None:
        return
    most = np.minimum(presence.max(axis=0, initial=0.0) * n_agents, np.where(presence.max(axis=0) > 0, n_agents, 0))
    short = np.flatnonzero(most < need - 1e-6)
    if short.size:
        shown = ", ".join(f"{_where(week, k)} (needs {need[k]:g}, at most {most[k]:g})" for k in short[:8])
        more = f" and {short.size - 8} more" if short.size > 8 else ""
        raise StaffingError(f"group {group}: {short.size} interval(s) cannot be covered with {n_agents} agents and "
                            f"these templates: {shown}{more}; add agents or templates, or set coverage.under_penalty")


def _check_hours(group: str, week: Week, need: np.ndarray, templates: Mapping[str, ShiftTemplate],
                 agents: Sequence[AgentWeek], drop: frozenset[str]) -> None:
    """Hard coverage: the agent-hours required cannot exceed what the agents may work (an agent is
    present at most the paid hours of its shifts)."""
    needed_h = float(need.sum()) * week.interval_s / 3600.0
    longest_h = max(t.length for t in templates.values()) / 3600.0
    total_h, limits = 0.0, set()
    for agent in agents:
        rules = agent.rules
        days = 7 - max(rules.days_off if "days_off" not in drop else 0, len(agent.unavailable))
        cap_h = rules.weekly_hours.max / 3600.0 if "weekly_hours.max" not in drop else np.inf
        total_h += min(cap_h, days * longest_h)
        limits.add(f"weekly_hours.max {cap_h:g}h" if cap_h <= days * longest_h
                   else f"days_off {rules.days_off} (at most {days} shifts of {longest_h:g}h)")
    if needed_h > total_h + 1e-6:
        raise StaffingError(f"group {group}: the requirement is {needed_h:,.1f} agent-hours; {len(agents)} agents "
                            f"under rule {' / '.join(sorted(limits))} give at most {total_h:,.1f}; add agents, relax "
                            "the rule or set coverage.under_penalty")


def _infeasible(group, week, need, templates, agents, cost_per_agent) -> str:
    """Name the rules whose removal alone lets the requirement be covered."""
    culprits = []
    for rule in RULES:
        try:
            roster_group(group, week, need, templates, agents, cost_per_agent, None, DIAGNOSE_S, 0.5,
                         frozenset({rule}))
        except StaffingError:
            continue
        culprits.append(rule)
    text = f"group {group}: no roster of its {len(agents)} agents covers the requirement under the rules"
    if culprits:
        return text + f"; it would without rule {' or '.join(culprits)} (rules.{culprits[0]})"
    return text + " (no single rule is to blame); add agents or set coverage.under_penalty"


def _result(group, week, res, m: _Model, slots, templates, weeks, presence, need, cost_per_agent,
            under_penalty) -> GroupRoster:
    agents = [w.name for w in weeks]
    x = np.rint(res.x[:m.nx]).astype(int).reshape(m.n_agents, len(slots))
    rows = []
    for a, s in zip(*np.nonzero(x)):
        d, t = slots[s]
        tpl = templates[t]
        rows.append({"agent": agents[a], "day": d + 1, "weekday": week.weekdays[d], "template": t,
                     "start": format_clock(tpl.start), "end": format_clock(tpl.start + tpl.length),
                     "paid_hours": tpl.length / 3600.0})
    shifts = pd.DataFrame(rows, columns=["agent", "day", "weekday", "template", "start", "end", "paid_hours"])
    hours = shifts.groupby("agent").paid_hours.sum()
    days = shifts.groupby("agent").size()
    frame = pd.DataFrame({"agent": agents, "days": [int(days.get(a, 0)) for a in agents],
                          "hours": [float(hours.get(a, 0.0)) for a in agents]})
    frame.attrs["weekdays"] = week.weekdays
    scheduled = x.sum(axis=0) @ presence
    coverage = pd.DataFrame({
        "day": np.repeat(np.arange(1, 8), week.per_day),
        "start": np.tile(format_clocks(week.start_s + np.arange(week.per_day) * week.interval_s), 7),
        "required": need, "scheduled": scheduled,
        "over": np.maximum(scheduled - need, 0.0), "under": np.maximum(need - scheduled, 0.0)})
    paid = float(sum(templates[slots[s][1]].length / 3600.0 * templates[slots[s][1]].cost_per_hour * x[:, s].sum()
                     for s in range(len(slots))))
    cost = paid + cost_per_agent * int((frame.days > 0).sum())
    under_cost = (under_penalty or 0.0) * float(coverage.under.sum()) * week.interval_s / 3600.0
    status = "optimal" if res.status == 0 else "time limit"
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    return GroupRoster(group, shifts, frame, coverage, cost, under_cost, status, gap, tuple(weeks))


def _staffing(result: GroupRoster, templates: Mapping[str, ShiftTemplate]) -> dict[str, Any]:
    """The group's scenario staffing: one shift per template and weekday with the agents on it."""
    counts = result.shifts.groupby(["template", "weekday"], sort=False).size()
    shifts = []
    for (t, weekday), count in counts.items():
        entry = _shift_entry(templates[t], int(count), 1)
        entry["days"] = [weekday]               # a weekday, so a night shift of the last day covers day 1's morning
        shifts.append(Shift.model_validate(entry))
    return {"shifts": tuple(shifts) or None, "staff": None if shifts else 0}


def _where(week: Week, k: int) -> str:
    day, slot = divmod(int(k), week.per_day)
    return f"day {day + 1} ({week.weekdays[day]}) {format_clock(week.start_s + slot * week.interval_s)}"


def _clock(seconds: float) -> str:
    return "24:00" if seconds == 86400 else format_clock(seconds)


def apply_roster(result: Staffing, spec: RosterFile | str | Path | Mapping[str, Any]) -> tuple[Staffing, Roster]:
    """Roster the requirement of a `staff` result (its `required` agents per group and interval):
    the Staffing returned has the roster's coverage as `scheduled` (with over and under) and the
    rostered scenario; the Roster holds the agents' weeks."""
    required = {g: part.required.to_numpy() for g, part in result.groups.groupby("group", sort=False)}
    spec = spec if isinstance(spec, RosterFile) else load_model(spec, RosterFile)
    missing = [g for g in result.scenario.agent_groups if g not in spec.groups]
    if missing:
        raise StaffingError(f"groups: the roster file has no agents for group(s) {', '.join(missing)}; "
                            f"give groups.{missing[0]}.agents")
    roster = plan_roster(result.scenario, spec, required)
    groups = result.groups.copy()
    groups["scheduled"] = groups.scheduled.astype(float)
    for name, part in groups.groupby("group", sort=False):
        groups.loc[part.index, "scheduled"] = roster.groups[name].coverage.scheduled.to_numpy()
    groups["over"] = np.maximum(groups.scheduled - groups.required, 0)
    groups["under"] = np.maximum(groups.required - groups.scheduled, 0)
    return replace(result, groups=groups, scenario=roster.scenario), roster


def staff_roster(scenario: Scenario | str | Path | Mapping[str, Any], roster: RosterFile | str | Path | Mapping[str, Any],
                 **staff_options: Any) -> tuple[Staffing, Roster]:
    """`ccsim.staff(scenario, **staff_options)`, then a weekly roster of its requirement (see
    `apply_roster`)."""
    from ccsim.staffing.staff import staff

    return apply_roster(staff(scenario, **staff_options), roster)
