"""Rules that span several fields of a scenario, and warnings about unstable load."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

import numpy as np

from ccsim.scenario.calendar import calendar_problems
from ccsim.scenario.severity import severity_problems
from ccsim.errors import Problem, ScenarioError
from ccsim.scenario.types import WEEKDAYS
from ccsim.units import format_clock, format_duration

if TYPE_CHECKING:
    from ccsim.scenario.models import Scenario
    from ccsim.scenario.shifts import Shift

RESERVED_QUEUE_NAMES = ("ALL",)


def problems(sc: "Scenario", names: Mapping[str, Collection[str]] | None = None) -> list[Problem]:
    """Every cross-field mistake in `sc`, one `Problem` each.

    `names` ({"queues": [...], "agent_groups": [...]}) are the entries the file has when `sc` holds
    only those that validated (the others have problems of their own): references are checked
    against them, and rules that need every entry are left until the entries are all valid.
    """
    complete = names is None
    names = {key: list(getattr(sc, key)) for key in ("queues", "agent_groups")} if names is None else names
    queue_names, group_names = set(names["queues"]), set(names["agent_groups"])
    found: list[Problem] = []
    slots = sc.horizon.open_s / sc.interval
    if abs(slots - round(slots)) > 1e-9 or round(slots) < 1:
        found.append(Problem("interval", (
            f"{format_duration(sc.interval)} does not divide the opening hours "
            f"({format_clock(sc.horizon.start)}-{format_clock(sc.horizon.end)}) into whole intervals; "
            "use e.g. 15m, 30m or 60m")))
        return found  # lengths below cannot be judged without a whole number of intervals
    lengths = _allowed_lengths(sc)
    for name, queue in sc.queues.items():
        if name in RESERVED_QUEUE_NAMES:
            found.append(Problem(f"queues.{name}", f"'{name}' is reserved for the overall row; rename the queue"))
        volumes = queue.arrivals.volumes if queue.arrivals is not None else None
        if volumes is not None and len(volumes) not in lengths:
            key = "per_interval" if queue.arrivals.per_interval is not None else "csv"
            found.append(Problem(f"queues.{name}.arrivals.{key}", (
                f"has {len(volumes)} values; the horizon has {_lengths_text(sc)} intervals")))
        if complete and not any(name in group.skills for group in sc.agent_groups.values()):
            found.append(Problem(f"queues.{name}", "no agent group has this queue among its skills"))
    found += _flow_problems(sc, names["queues"], complete)
    found += [Problem(path, message) for path, message in calendar_problems(sc, complete)]
    found += _lever_problems(sc, names)
    for name, process in sc.processes.items():
        if name in queue_names or name in RESERVED_QUEUE_NAMES:
            found.append(Problem(f"processes.{name}", "a process needs a name of its own, not a queue's or 'ALL'"))
        volumes = process.arrivals.volumes
        if volumes is not None and len(volumes) not in lengths:
            key = "per_interval" if process.arrivals.per_interval is not None else "csv"
            found.append(Problem(f"processes.{name}.arrivals.{key}", (
                f"has {len(volumes)} values; the horizon has {_lengths_text(sc)} intervals")))
    for name, group in sc.agent_groups.items():
        for skill in group.skills:
            if skill not in queue_names:
                found.append(Problem(f"agent_groups.{name}.skills", (
                    f"names unknown queue {skill!r}; queues: {', '.join(names['queues'])}")))
        if isinstance(group.staff, tuple) and len(group.staff) not in lengths:
            found.append(Problem(f"agent_groups.{name}.staff", (
                f"has {len(group.staff)} values; the horizon has {_lengths_text(sc)} intervals")))
        for i, shift in enumerate(group.shifts or ()):
            found += _shift_problems(sc, f"agent_groups.{name}.shifts.{i}", shift)
    return found


def _shift_problems(sc: "Scenario", path: str, shift: "Shift") -> list[Problem]:
    """A shift lies within one day's opening hours (or, around the clock, lasts at most a day),
    starts and ends on the interval grid (staff changes only at interval starts) and names days
    of the horizon."""
    found: list[Problem] = []
    opening, closing, step = sc.horizon.start, sc.horizon.end, sc.interval
    around_the_clock = opening == 0 and closing == 86400
    hours = (f"a shift must lie within one day's opening hours {format_clock(opening)}-{_clock(closing)} "
             "(overnight shifts need a horizon open 00:00-24:00)")
    grid = _grid_text(sc)
    if shift.start < opening:
        found.append(Problem(f"{path}.start", f"{_clock(shift.start)} is before opening; {hours}"))
    elif not _on_grid(shift.start - opening, step):
        found.append(Problem(f"{path}.start", f"{_clock(shift.start)} must be on the {grid}"))
    end_key = "end" if shift.end is not None else "length"
    if around_the_clock:
        closing = shift.start + 86400.0
        hours = "a shift lasts at most 24 hours"
    if shift.end is not None and shift.end <= shift.start and not around_the_clock:
        found.append(Problem(f"{path}.end", f"{_clock(shift.end)} is not after start {_clock(shift.start)}; {hours}"))
    elif shift.end_s > closing:
        found.append(Problem(f"{path}.{end_key}", f"the shift ends at {_clock(shift.end_s)}, after closing; {hours}"))
    elif shift.end is not None and not _on_grid(shift.end - opening, step):
        found.append(Problem(f"{path}.end", f"{_clock(shift.end)} must be on the {grid}"))
    elif shift.end is None and not _on_grid(shift.length, step):
        found.append(Problem(f"{path}.length", (
            f"{format_duration(shift.length)} is not a whole number of {format_duration(step)} intervals: "
            f"the shift would end at {_clock(shift.end_s)}; ends must be on the {grid}")))
    days = sc.horizon.days
    for j, day in enumerate(shift.days or ()):
        if isinstance(day, int) and not 1 <= day <= days:
            allowed = "1" if days == 1 else f"1..{days}"
            found.append(Problem(f"{path}.days.{j}", (
                f"day {day} is outside the horizon: day numbers {allowed}, or weekday names "
                f"{', '.join(WEEKDAYS)}")))
    return found


def _on_grid(offset_s: float, step_s: float) -> bool:
    slots = offset_s / step_s
    return abs(slots - round(slots)) < 1e-9


def _grid_text(sc: "Scenario") -> str:
    """"30-minute grid from 07:00: 07:00, 07:30, 08:00, ..., 22:00"."""
    step = sc.interval
    size = f"{step / 60:g}-minute" if step % 60 == 0 else format_duration(step)
    times = [sc.horizon.start + k * step for k in range(sc.intervals_per_day + 1)]
    shown = [_clock(t) for t in times] if len(times) <= 5 else [_clock(t) for t in times[:3]] + ["...", _clock(times[-1])]
    return f"{size} grid from {format_clock(sc.horizon.start)}: {', '.join(shown)}"


def _clock(seconds: float) -> str:
    """A clock time that shows 24:00 and times past midnight as such."""
    if seconds == 86400:
        return "24:00"
    return format_clock(seconds) + (" the next day" if seconds > 86400 else "")


def _lever_problems(sc: "Scenario", names: Mapping[str, Collection[str]]) -> list[Problem]:
    """Levers and penalties must name known queues, and a pilot a known group."""
    found = []
    owners = [(f"agent_groups.{g}", group) for g, group in sc.agent_groups.items()] + [("costs", sc.costs)]
    if sc.pilot is not None:
        owners.append(("pilot", sc.pilot))
        if sc.pilot.group is not None and sc.pilot.group not in names["agent_groups"]:
            found.append(Problem("pilot.group", (
                f"names unknown agent group {sc.pilot.group!r}; groups: {', '.join(names['agent_groups'])}")))
    for prefix, owner in owners:
        for field, queue in owner.queues_named():
            if queue not in names["queues"]:
                found.append(Problem(f"{prefix}.{field}.{queue}", (
                    f"names unknown queue {queue!r}; queues: {', '.join(names['queues'])}")))
    return found


def _flow_problems(sc: "Scenario", queue_names: Collection[str], complete: bool) -> list[Problem]:
    """Flows must name known queues, split at most all contacts, and be able to end (judged
    only when every queue is `complete`ly valid)."""
    found: list[Problem] = []
    known = ", ".join(queue_names)

    def check_queue(path: str, name: str | None) -> None:
        if name is not None and name not in queue_names:
            found.append(Problem(path, f"names unknown queue {name!r}; queues: {known}"))

    for name, queue in sc.queues.items():
        for i, transfer in enumerate(queue.transfers):
            check_queue(f"queues.{name}.transfers.{i}.to", transfer.to)
        total = sum(t.probability for t in queue.transfers)
        if total > 1 + 1e-12:
            found.append(Problem(f"queues.{name}.transfers", f"probabilities add up to {total:g}; at most 1 is allowed"))
        if queue.escalation is not None:
            check_queue(f"queues.{name}.escalation.to", queue.escalation.to)
        if queue.unresolved is not None:
            check_queue(f"queues.{name}.unresolved.escalate_to", queue.unresolved.escalate_to)
    for pname, process in sc.processes.items():
        for i, stage in enumerate(process.stages):
            check_queue(f"processes.{pname}.stages.{i}.queue", stage.queue)
            check_queue(f"processes.{pname}.stages.{i}.escalate_to", stage.escalate_to)
        for cname, cls in process.severity.items():
            check_queue(f"processes.{pname}.severity.{cname}.escalate_to", cls.escalate_to)
        found += [Problem(f"processes.{pname}.{path}", message) for path, message in severity_problems(process)]
    if found or not complete:
        return found
    for name in _endless(sc):
        found.append(Problem(f"queues.{name}", (
            "contacts entering this queue can never leave: its transfers and unresolved escalations "
            "loop back with probability 1; lower a transfer probability or raise fcr")))
    for cycle in _escalation_cycles(sc):
        found.append(Problem(f"queues.{cycle[0]}.escalation.to", (
            f"escalations on waiting form a cycle ({' -> '.join(cycle + [cycle[0]])}); "
            "a waiting contact would be moved around forever")))
    return found


def _moves(sc: "Scenario") -> dict[str, dict[str, float]]:
    """Probability of moving from each queue to each other queue after a service."""
    moves: dict[str, dict[str, float]] = {}
    for name, queue in sc.queues.items():
        out: dict[str, float] = {}
        for t in queue.transfers:
            out[t.to] = out.get(t.to, 0.0) + t.probability
        stay = 1.0 - sum(t.probability for t in queue.transfers)
        if queue.unresolved is not None and queue.unresolved.escalate_to is not None:
            target = queue.unresolved.escalate_to
            out[target] = out.get(target, 0.0) + stay * (1.0 - queue.fcr)
        moves[name] = out
    return moves


def _endless(sc: "Scenario") -> list[str]:
    """Queues from which no path leads out of the flow graph (every route loops forever)."""
    moves = _moves(sc)
    exits = {q for q, out in moves.items() if sum(out.values()) < 1 - 1e-12}
    can_end = set(exits)
    changed = True
    while changed:
        changed = False
        for q, out in moves.items():
            if q not in can_end and any(p > 0 and t in can_end for t, p in out.items()):
                can_end.add(q)
                changed = True
    return [q for q in sc.queues if q not in can_end]


def _escalation_cycles(sc: "Scenario") -> list[list[str]]:
    nxt = {q: queue.escalation.to for q, queue in sc.queues.items()
           if queue.escalation is not None and queue.escalation.to not in (None, q)}
    cycles, seen = [], set()
    for start in nxt:
        path, q = [], start
        while q in nxt and q not in path and q not in seen:
            path.append(q)
            q = nxt[q]
        if q in path:
            cycle = path[path.index(q):]
            if not seen.intersection(cycle):
                cycles.append(cycle)
        seen.update(path)
    return cycles


def _allowed_lengths(sc: "Scenario") -> set[int]:
    return {sc.intervals_per_day, sc.n_intervals}


def _lengths_text(sc: "Scenario") -> str:
    if sc.horizon.days == 1:
        return str(sc.n_intervals)
    return f"{sc.intervals_per_day} per day (or {sc.n_intervals} for all {sc.horizon.days} days)"


def raise_problems(sc: "Scenario", names: Mapping[str, Collection[str]] | None = None) -> None:
    """Raise ScenarioError listing every cross-field problem, if any (see `problems`)."""
    found = problems(sc, names)
    if found:
        raise ScenarioError(problems=found)


def load_warnings(sc: "Scenario") -> list[Problem]:
    """Queues whose offered load meets or exceeds the agents able to serve them while nobody
    abandons: such a queue grows without bound. One warning per queue, at its worst interval.

    Example:
        >>> ccsim.load_warnings(ccsim.load_scenario("scenarios/hotline.yml"))
        []
    """
    warnings: list[Problem] = []
    starts = sc.interval_starts()
    staff = {g: sc.staff(g) for g in sc.agent_groups}
    for name, queue in sc.queues.items():
        if queue.patience is not None:
            continue
        load = sc.arrival_rates(name) * queue.handle_time.mean / 3600.0
        able = sum(staff[g] for g, group in sc.agent_groups.items() if name in group.skills)
        over = np.flatnonzero((load >= able) & (load > 0))
        if over.size:
            k = over[np.argmax(load[over] - able[over])]
            warnings.append(Problem(f"queues.{name}", (
                f"offered load {load[k]:.1f} Erlangs at {format_clock(starts[k])} meets or exceeds the "
                f"{int(able[k])} agents able to serve it and nobody abandons: the queue is unstable "
                f"in {over.size} interval(s)")))
    return warnings
