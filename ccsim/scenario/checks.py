"""Rules that span several fields of a scenario, and warnings about unstable load."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ccsim.errors import Problem, ScenarioError
from ccsim.units import format_clock, format_duration

if TYPE_CHECKING:
    from ccsim.scenario.models import Scenario

RESERVED_QUEUE_NAMES = ("ALL",)


def problems(sc: "Scenario") -> list[Problem]:
    """Every cross-field mistake in `sc`, one `Problem` each."""
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
        volumes = queue.arrivals.volumes
        if volumes is not None and len(volumes) not in lengths:
            key = "per_interval" if queue.arrivals.per_interval is not None else "csv"
            found.append(Problem(f"queues.{name}.arrivals.{key}", (
                f"has {len(volumes)} values; the horizon has {_lengths_text(sc)} intervals")))
        if not any(name in group.skills for group in sc.agent_groups.values()):
            found.append(Problem(f"queues.{name}", "no agent group has this queue among its skills"))
    for name, group in sc.agent_groups.items():
        for skill in group.skills:
            if skill not in sc.queues:
                found.append(Problem(f"agent_groups.{name}.skills", (
                    f"names unknown queue {skill!r}; queues: {', '.join(sc.queues)}")))
        if isinstance(group.staff, tuple) and len(group.staff) not in lengths:
            found.append(Problem(f"agent_groups.{name}.staff", (
                f"has {len(group.staff)} values; the horizon has {_lengths_text(sc)} intervals")))
    return found


def _allowed_lengths(sc: "Scenario") -> set[int]:
    return {sc.intervals_per_day, sc.n_intervals}


def _lengths_text(sc: "Scenario") -> str:
    if sc.horizon.days == 1:
        return str(sc.n_intervals)
    return f"{sc.intervals_per_day} per day (or {sc.n_intervals} for all {sc.horizon.days} days)"


def raise_problems(sc: "Scenario") -> None:
    """Raise ScenarioError listing every cross-field problem, if any."""
    found = problems(sc)
    if found:
        raise ScenarioError(problems=found)


def load_warnings(sc: "Scenario") -> list[Problem]:
    """Queues whose offered load meets or exceeds the agents able to serve them while nobody
    abandons: such a queue grows without bound. One warning per queue, at its worst interval."""
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
