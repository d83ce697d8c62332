"""Business calendars and due times on the simulation clock: pure numpy, no scenario or model imports.

A `WorkCalendar` is the working periods of a span of days (seconds after midnight of day 1 = 0;
day k runs from k * 86400 to (k + 1) * 86400, negative days before day 1). Three kinds of limits
turn an arrival time into a due time, vectorised over arrays of times:

- `after_working(t, s)`: `s` seconds of working time after `t` (time outside the working periods
  does not count); a due time falls inside a working period, at the earliest its close.
- `after_working_days(t, n)`: the same time of day `n` working days later, counted from the first
  working moment at or after `t`; from an opening (or from outside the working hours) the close of
  the `n`-th working day. A time of day past a shorter day's close is cut to that close.
- `by_clock(t, clock_s, cutoff_s, days)`: clock time `clock_s` of the day of `t` when that day is a
  working day and `t` is before `cutoff_s` on it, else of the next working day; `days` working days
  later still with `days` > 0.

A due time beyond the calendar's last day is inf.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

DAY_S = 86400.0


class WorkCalendar:
    """Working periods, one per working day, of the days `first_day` to `first_day + n - 1`."""

    __slots__ = ("first_day", "day_open_s", "day_close_s", "opens_s", "closes_s", "worked_before_s", "working_days")

    def __init__(self, first_day: int, day_open_s: np.ndarray, day_close_s: np.ndarray):
        """`day_open_s`, `day_close_s`: per day, opening and closing clock seconds after that day's
        midnight; NaN where the day is not worked."""
        self.first_day = int(first_day)
        self.day_open_s = np.asarray(day_open_s, dtype=float)
        self.day_close_s = np.asarray(day_close_s, dtype=float)
        if self.day_open_s.shape != self.day_close_s.shape or self.day_open_s.ndim != 1:
            raise ValueError("day_open_s and day_close_s must be 1-d arrays of one length, one value per day")
        worked = np.isfinite(self.day_open_s)
        if np.any(self.day_close_s[worked] <= self.day_open_s[worked]):
            raise ValueError("each working day must close after it opens")
        self.working_days = np.flatnonzero(worked) + self.first_day             # absolute day numbers
        midnight = self.working_days * DAY_S
        self.opens_s = midnight + self.day_open_s[worked]
        self.closes_s = midnight + self.day_close_s[worked]
        self.worked_before_s = np.concatenate([[0.0], np.cumsum(self.closes_s - self.opens_s)])
        if not self.working_days.size:
            raise ValueError("a calendar needs at least one working day")

    @classmethod
    def weekly(cls, hours: Mapping[int, tuple[float, float]], first_weekday: int, first_day: int, n_days: int,
               holidays: Collection[int] = ()) -> "WorkCalendar":
        """A calendar repeating each week: `hours` maps a weekday (0 = Monday) to its (open, close)
        clock seconds; day 0 is weekday `first_weekday`; `holidays` are day numbers (0 = day 1) not worked."""
        days = np.arange(first_day, first_day + n_days)
        weekday = (days + first_weekday) % 7
        opens = np.array([hours[w][0] if w in hours else np.nan for w in weekday], dtype=float)
        closes = np.array([hours[w][1] if w in hours else np.nan for w in weekday], dtype=float)
        off = np.isin(days, np.fromiter(holidays, dtype=int, count=len(holidays)))
        opens[off] = closes[off] = np.nan
        return cls(first_day, opens, closes)

    def working_s(self, t_s: np.ndarray) -> np.ndarray:
        """Working seconds from the calendar's start up to each of `t_s`."""
        t = np.asarray(t_s, dtype=float)
        i = np.searchsorted(self.opens_s, t, side="right") - 1                 # the last period opened by t
        j = np.maximum(i, 0)
        inside = np.clip(t - self.opens_s[j], 0.0, self.closes_s[j] - self.opens_s[j])
        return np.where(i >= 0, self.worked_before_s[j] + inside, 0.0)

    def after_working(self, t_s: np.ndarray, working_s: float) -> np.ndarray:
        """Due times (s): `working_s` seconds of working time after each of `t_s`."""
        target = self.working_s(t_s) + working_s
        j = np.searchsorted(self.worked_before_s[1:], target, side="left")      # the first period reaching it
        k = self._clip(j)
        return np.where(j < self.opens_s.size, self.opens_s[k] + (target - self.worked_before_s[k]), np.inf)

    def next_working_s(self, t_s: np.ndarray) -> np.ndarray:
        """The first working moment at or after each of `t_s` (inf when none)."""
        t = np.asarray(t_s, dtype=float)
        j = np.searchsorted(self.closes_s, t, side="right")                     # the first period closing after t
        return np.where(j < self.opens_s.size, np.maximum(t, self.opens_s[self._clip(j)]), np.inf)

    def after_working_days(self, t_s: np.ndarray, n: int) -> np.ndarray:
        """Due times (s): the same time of day `n` >= 1 working days later (see the module docstring)."""
        if n < 1:
            raise ValueError(f"n must be a whole number of working days >= 1, got {n!r}")
        start = self.next_working_s(t_s)
        p = np.searchsorted(self.closes_s, start, side="left")                 # the working day of start
        ok = p + n < self.opens_s.size
        p, q = self._clip(p), self._clip(p + n)
        offset = start - self.opens_s[p]
        length = self.closes_s[q] - self.opens_s[q]
        due = np.where(offset > 0, self.opens_s[q] + np.minimum(offset, length), self.closes_s[q - 1])
        return np.where(ok, due, np.inf)

    def by_clock(self, t_s: np.ndarray, clock_s: float, cutoff_s: float, days: int = 0) -> np.ndarray:
        """Due times (s): clock time `clock_s` of the working day the limit starts on, `days` >= 0
        working days later (see the module docstring)."""
        t = np.asarray(t_s, dtype=float)
        day = np.floor(t / DAY_S)
        w = np.searchsorted(self.working_days, day, side="left")               # the first working day >= day
        worked_today = self.working_days[self._clip(w)] == day
        late = worked_today & (t - day * DAY_S >= cutoff_s)                     # at or after the cutoff: next one
        q = w + late + days
        ok = (day >= self.first_day) & (q < self.working_days.size)
        return np.where(ok, self.working_days[self._clip(q)] * DAY_S + clock_s, np.inf)

    def _clip(self, index: np.ndarray) -> np.ndarray:
        """Indices into the working periods, those past the end pointing at the last (masked by callers)."""
        return np.minimum(index, self.opens_s.size - 1)
