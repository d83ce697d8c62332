"""Time allowed to items under a limit: plain seconds, or a limit on the business calendar
(`ccsim.scenario.calendar.CalendarLimit`) turned into each item's own due time. KPIs compare an
item's time against what this returns; the engine times stage escalations by `due_s`."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ccsim.calendar import WorkCalendar
from ccsim.scenario.calendar import CalendarLimit


def due_s(calendar: WorkCalendar | None, limit: float, start_s: np.ndarray | float) -> np.ndarray | float:
    """Due time (s) of items whose `limit` starts at `start_s` (s, the simulation clock)."""
    if isinstance(limit, CalendarLimit):
        return limit.due_s(calendar, start_s)
    if isinstance(start_s, float):              # one item (the engine's stage escalation): no array
        return start_s + float(limit)
    return np.asarray(start_s, dtype=float) + float(limit)


def allowed_s(calendar: WorkCalendar | None, limit: float, start_s: np.ndarray) -> np.ndarray:
    """Seconds each item starting at `start_s` may take: `limit` itself when it is plain seconds
    (exactly, so that plain limits judge as they always did), else its due time minus the start."""
    start = np.asarray(start_s, dtype=float)
    if isinstance(limit, CalendarLimit):
        return limit.due_s(calendar, start) - start
    return np.full(start.shape, float(limit))


def allowed_by(calendar: WorkCalendar | None, limits: Sequence[float], which: np.ndarray,
               start_s: np.ndarray) -> np.ndarray:
    """Seconds each item may take, item i under `limits[which[i]]` from `start_s[i]` (an index
    of -1: the last of `limits`)."""
    allowed = np.asarray(limits, dtype=float)[which]
    for k, limit in enumerate(limits):
        if isinstance(limit, CalendarLimit):
            mine = (which == k) | (which == k - len(limits))
            allowed[mine] = allowed_s(calendar, limit, np.asarray(start_s, dtype=float)[mine])
    return allowed
