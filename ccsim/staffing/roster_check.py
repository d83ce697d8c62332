"""Check a weekly roster against its rules from the roster's shifts alone, independently of the
integer program that made it: every rule is re-derived from clock times, so a modelling slip in
the solver shows up here as a violation."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ccsim.staffing.roster import WEEK_S, GroupRoster, Week
from ccsim.staffing.roster_model import Rules
from ccsim.staffing.shift_plan import ShiftTemplate, _break_share
from ccsim.units import format_duration

_TOL = 1e-6


def violations(roster: GroupRoster, week: Week, templates: Mapping[str, ShiftTemplate],
               required: np.ndarray | None = None) -> list[str]:
    """Every rule the roster breaks, one line each (empty: all hold): each agent's week against
    its own rules and days unavailable (`roster.weeks`), the templates' days and limits, and
    with `required` (agents needed per interval of the week) the coverage."""
    found = []
    weeks = {w.name: w for w in roster.weeks}
    for agent, part in roster.shifts.groupby("agent", sort=False):
        if agent not in weeks:
            found.append(f"{agent}: not an agent of the group")
            continue
        found += _agent(agent, part, templates, weeks[agent].rules)
        blocked = sorted({int(d) for d in part.day} & {d + 1 for d in weeks[agent].unavailable})
        if blocked:
            found.append(f"{agent}: works on day(s) {blocked}, marked unavailable")
    for (day, name), part in roster.shifts.groupby(["day", "template"]):
        tpl = templates[name]
        if tpl.days is not None and not tpl.shift(1).works_on(int(day), week.weekdays[0]):
            found.append(f"template {name} used on day {day}, not one of its days")
        if tpl.max is not None and len(part) > tpl.max:
            found.append(f"template {name} on day {day}: {len(part)} agents, max {tpl.max}")
    for name, tpl in templates.items():
        for day in range(1, 8):
            worked = tpl.days is None or tpl.shift(1).works_on(day, week.weekdays[0])
            count = int(((roster.shifts.day == day) & (roster.shifts.template == name)).sum())
            if worked and count < tpl.min:
                found.append(f"template {name} on day {day}: {count} agents, min {tpl.min}")
    if required is not None:
        present = coverage(roster, week, templates)
        for k in np.flatnonzero(present < np.asarray(required) - _TOL)[:10]:
            found.append(f"interval {k}: {present[k]:.3f} agents present, {required[k]:g} required")
    return found


def _agent(agent: str, part, templates: Mapping[str, ShiftTemplate], rules: Rules) -> list[str]:
    found = []
    days = sorted(part.day)
    if len(set(days)) < len(days):
        found.append(f"{agent}: more than one shift on a day")
    off = sorted(set(range(1, 8)) - set(days))
    if len(off) < rules.days_off:
        found.append(f"{agent}: {len(off)} days off, at least {rules.days_off} required")
    if rules.consecutive and rules.days_off and not any(
            all(((start + j - 1) % 7) + 1 in off for j in range(rules.days_off)) for start in range(1, 8)):
        found.append(f"{agent}: no {rules.days_off} consecutive days off (days off {off})")
    hours_s = sum(templates[t].length for t in part.template)
    if not rules.weekly_hours.min - _TOL <= hours_s <= rules.weekly_hours.max + _TOL:
        found.append(f"{agent}: {hours_s / 3600:g}h a week, allowed {rules.weekly_hours.min / 3600:g}h"
                     f"..{rules.weekly_hours.max / 3600:g}h")
    if rules.same_start and len({templates[t].start for t in part.template}) > 1:
        found.append(f"{agent}: shifts start at different times")
    spans = sorted(((d - 1) * 86400.0 + templates[t].start, (d - 1) * 86400.0 + templates[t].start
                    + templates[t].length) for d, t in zip(part.day, part.template))
    for (_, end), (start, _) in zip(spans, spans[1:] + [(spans[0][0] + WEEK_S, 0.0)]):
        if len(spans) > 1 and start - end < rules.rest - _TOL:
            found.append(f"{agent}: {format_duration(max(start - end, 0))} between shifts, rest {format_duration(rules.rest)}")
    return found


def coverage(roster: GroupRoster, week: Week, templates: Mapping[str, ShiftTemplate]) -> np.ndarray:
    """Agents present per interval of the week from the shifts' clock times (the week wraps),
    each break deducted by its expected share of the interval."""
    n = 7 * week.per_day
    starts = np.array([(k // week.per_day) * 86400.0 + week.start_s + (k % week.per_day) * week.interval_s
                       for k in range(n)])
    offset_s = week.start_s % week.interval_s               # a grid over the whole week through every interval
    grid = offset_s + np.arange(int(WEEK_S // week.interval_s) + 1) * week.interval_s
    on_grid = np.rint((starts - offset_s) / week.interval_s).astype(int)
    present = np.zeros(n)
    for day, name in zip(roster.shifts.day, roster.shifts.template):
        tpl = templates[name]
        begin = (day - 1) * 86400.0 + tpl.start
        for shift_begin in (begin, begin - WEEK_S):               # the last night's shift covers day 1 too
            lo = np.clip(starts, shift_begin, shift_begin + tpl.length)
            hi = np.clip(starts + week.interval_s, shift_begin, shift_begin + tpl.length)
            share = (hi - lo) / week.interval_s
            for offset, length, spread in tpl.shift(1).off_times():
                share = share - _break_share(shift_begin + offset, length, spread, grid)[on_grid]
            present += np.clip(share, 0.0, 1.0) * (share > _TOL)
    return present
