"""Shifts: agents scheduled by start, length or end, count and days, turned into staff per interval.

This module owns the shift schema and the pure derivation of a staff table from shifts.
Rules that need the horizon (opening hours, the interval grid, day numbers) live in `checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import BeforeValidator, PlainValidator, model_validator

from ccsim.scenario.types import WEEKDAYS, Clock, PositiveDuration, Strict

if TYPE_CHECKING:
    from ccsim.scenario.models import Horizon

_DAY_HINT = f"a weekday name ({', '.join(WEEKDAYS)}) or a day number of the horizon (1, 2, ...)"


def _count(value: Any) -> int:
    """A whole number of agents >= 1."""
    is_whole = isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not is_whole or value < 1:
        raise ValueError(f"expected a whole number of agents >= 1, got {value!r}")
    return int(value)


def _day(value: Any) -> int | str:
    """A weekday name (lower case) or a 1-based day number; the range is checked against the horizon."""
    if isinstance(value, str):
        name = value.strip().lower()
        if name not in WEEKDAYS:
            raise ValueError(f"unknown weekday {value!r}; allowed: {', '.join(WEEKDAYS)} (any case), "
                             "or a day number of the horizon (1, 2, ...)")
        return name
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
        raise ValueError(f"expected {_DAY_HINT}, got {value!r}")
    return int(value)


def _day_list(value: Any) -> Any:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of days, each {_DAY_HINT}, e.g. [mon, tue] or [1, 3]; got {value!r}")
    if not value:
        raise ValueError("give at least one day, or leave days out for a shift worked every day")
    return value


def _shift_list(value: Any) -> Any:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError("expected a non-empty list of shifts, each {start, length or end, count, days}")
    return value


Day = Annotated[int | str, PlainValidator(_day)]


class Shift(Strict):
    """`count` agents working from `start` for `length` seconds (or until the clock time `end`)
    on `days`: weekday names or 1-based day numbers of the horizon; omitted, every day."""

    start: Clock
    length: PositiveDuration | None = None
    end: Clock | None = None
    count: Annotated[int, PlainValidator(_count)]
    days: Annotated[tuple[Day, ...], BeforeValidator(_day_list)] | None = None

    @model_validator(mode="after")
    def _length_or_end(self) -> "Shift":
        if (self.length is None) == (self.end is None):
            given = "both" if self.length is not None else "neither"
            raise ValueError(f"give exactly one of length (a duration, e.g. 8h30m) or end (a clock time); got {given}")
        return self

    @property
    def end_s(self) -> float:
        """End, seconds after midnight (beyond 86400 when `length` runs past midnight)."""
        return self.end if self.end is not None else self.start + self.length

    def works_on(self, day: int, first_day: str) -> bool:
        """Whether the shift is worked on 1-based horizon `day` when day 1 is weekday `first_day`."""
        if self.days is None:
            return True
        weekday = WEEKDAYS[(WEEKDAYS.index(first_day) + day - 1) % 7]
        return day in self.days or weekday in self.days


def shift_staff(shifts: Sequence[Shift], horizon: "Horizon", interval_s: float) -> np.ndarray:
    """Agents in every interval of the horizon (ints, intervals_per_day x days values): the sum of
    the counts of the shifts covering the interval on its day.

    A shift covers an interval when it starts at or before the interval's start and ends at or
    after its end; validated shifts start and end on the interval grid, so coverage is all or nothing.
    """
    per_day = int(round(horizon.open_s / interval_s))
    starts = horizon.start + np.arange(per_day) * interval_s
    eps = 1e-6 * interval_s
    table = np.zeros((horizon.days, per_day), dtype=int)
    for shift in shifts:
        covered = (starts >= shift.start - eps) & (starts + interval_s <= shift.end_s + eps)
        for day in range(1, horizon.days + 1):
            if shift.works_on(day, horizon.first_day):
                table[day - 1] += shift.count * covered
    return table.ravel()


Shifts = Annotated[tuple[Shift, ...], BeforeValidator(_shift_list)]
