"""Shifts: agents scheduled by start, length or end, count and days, turned into staff per interval.

This module owns the shift schema and the pure derivation of a staff table from shifts.
Rules that need the horizon (opening hours, the interval grid, day numbers) live in `checks`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

from ccsim.scenario.type_schemas import exactly_one, key_rules
from ccsim.scenario.types import WEEKDAY_SCHEMA, WEEKDAYS, Clock, Duration, PositiveDuration, Strict, Whole
from ccsim.units import format_duration

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


Day = Annotated[int | str, PlainValidator(_day), WithJsonSchema(
    {"anyOf": [{"type": "integer", "minimum": 1}, WEEKDAY_SCHEMA], "description": f"A day: {_DAY_HINT}."})]


class Break(Strict):
    """A break of `length` for every agent of the shift, `after` the shift starts and then again
    `every` (optional) while the shift lasts. The shift's agents start theirs spread evenly over
    `spread` (e.g. a lunch {after: 4h, length: 30m, spread: 1h}), each when it finishes the
    contact in hand."""

    after: PositiveDuration
    """Time after the shift starts when the break begins (seconds or a text such as 4h)."""
    length: PositiveDuration
    """Length of the break (seconds or a text such as 30m)."""
    every: PositiveDuration | None = None
    """The break repeats this often while the shift lasts (seconds or a text such as 2h)."""
    spread: Duration = 0.0
    """The shift's agents start their breaks spread evenly over this time (seconds or a text such as 1h)."""


class Rhythm(Strict):
    """Focus and rest: `work` seconds, then `rest`; every `cycles`-th rest is `long_rest` instead.
    `handle_time_factor` is its productivity effect: the handle times of the shift's agents are
    multiplied by it (0.75: 25% faster), so a rhythm with faster handling can be compared with none."""

    work: PositiveDuration
    """Focused work before each rest (seconds or a text such as 50m)."""
    rest: PositiveDuration
    """Length of a rest (seconds or a text such as 10m)."""
    cycles: Whole = Field(4, ge=1)
    """Every cycles-th rest is a long_rest."""
    long_rest: PositiveDuration | None = None
    """Length of every cycles-th rest (seconds or a text such as 30m)."""
    handle_time_factor: float = Field(1.0, gt=0, le=2, allow_inf_nan=False)
    """Handle times of the shift's agents working in this rhythm are multiplied by this (0 to 2]: 0.75 is 25% faster."""


class Shift(Strict):
    """`count` agents working from `start` for `length` seconds (or until the clock time `end`;
    an `end` at or before `start` is on the next day) on `days`: weekday names or 1-based day
    numbers of the horizon, the day the shift starts; omitted, every day. `breaks` and a
    focus/rest `rhythm` take agents off work within the shift."""

    model_config = ConfigDict(json_schema_extra=key_rules(exactly_one("length", "end")))

    start: Clock
    """Clock time the shift starts, "HH:MM"."""
    length: PositiveDuration | None = None
    """Length of the shift (seconds or a text such as 8h); or give end."""
    end: Clock | None = None
    """Clock time the shift ends, "HH:MM" (at or before start: the next day); or give length."""
    count: Annotated[int, PlainValidator(_count), WithJsonSchema({"type": "integer", "minimum": 1})]
    """Agents working the shift."""
    days: Annotated[tuple[Day, ...], BeforeValidator(_day_list), Field(json_schema_extra={"minItems": 1})] | None = None
    """Days the shift starts on: weekday names (mon..sun) or 1-based day numbers; omitted, every day."""
    breaks: tuple[Break, ...] = ()
    """Breaks every agent of the shift takes."""
    rhythm: Rhythm | None = None
    """Focus and rest cycles within the shift."""

    @model_validator(mode="after")
    def _length_or_end(self) -> "Shift":
        if (self.length is None) == (self.end is None):
            given = "both" if self.length is not None else "neither"
            raise ValueError(f"give exactly one of length (a duration, e.g. 8h30m) or end (a clock time); got {given}")
        span = self.end_s - self.start
        if span > 0:
            for b in self.breaks:
                if b.after + b.length > span:
                    raise ValueError(f"a break {format_duration(b.after)} after the start lasting "
                                     f"{format_duration(b.length)} does not fit in the {format_duration(span)} shift")
            off = sum(length for _, length, _ in self.off_times())
            if off >= span:
                raise ValueError(f"breaks and rests add up to {format_duration(off)} per agent, as long as or longer "
                                 f"than the {format_duration(span)} shift")
        return self

    def off_times(self) -> list[tuple[float, float, float]]:
        """(offset from the shift start, length, spread) of each break and rest of one agent, seconds;
        a rest spreads over one work period."""
        span = self.end_s - self.start
        times = []
        for b in self.breaks:
            at = b.after
            while at + b.length <= span:
                times.append((at, b.length, b.spread))
                if b.every is None:
                    break
                at += b.every
        if self.rhythm is not None:
            r, at, k = self.rhythm, 0.0, 1
            while True:
                rest = r.long_rest if r.long_rest is not None and k % r.cycles == 0 else r.rest
                if at + r.work + rest > span:
                    break
                times.append((at + r.work, rest, r.work))
                at, k = at + r.work + rest, k + 1
        return sorted(times)

    @property
    def end_s(self) -> float:
        """End, seconds after midnight of the starting day (beyond 86400 past midnight)."""
        if self.end is None:
            return self.start + self.length
        return self.end if self.end > self.start else self.end + 86400.0

    @property
    def overnight(self) -> bool:
        return self.end_s > 86400.0

    def works_on(self, day: int, first_day: str) -> bool:
        """Whether the shift is worked on 1-based horizon `day` when day 1 is weekday `first_day`."""
        if self.days is None:
            return True
        weekday = WEEKDAYS[(WEEKDAYS.index(first_day) + day - 1) % 7]
        return day in self.days or weekday in self.days


def shift_staff(shifts: Sequence[Shift], horizon: "Horizon", interval_s: float) -> np.ndarray:
    """Agents in every interval of the horizon (ints, intervals_per_day x days values): the sum of
    the counts of the shifts covering the interval.

    A shift covers an interval when it starts at or before the interval's start and ends at or
    after its end; validated shifts start and end on the interval grid, so coverage is all or
    nothing. An overnight shift covers the next morning too; on day 1 the night shift of the
    day before (as the week repeats: the weekday before day 1) is at work.
    """
    per_day = int(round(horizon.open_s / interval_s))
    starts = (np.arange(horizon.days)[:, None] * 86400.0 + horizon.start + np.arange(per_day) * interval_s).ravel()
    eps = 1e-6 * interval_s
    staff = np.zeros(starts.size, dtype=int)
    for shift in shifts:
        for day in range(0 if shift.overnight else 1, horizon.days + 1):
            if shift.works_on(day, horizon.first_day):
                begin = (day - 1) * 86400.0 + shift.start
                end = (day - 1) * 86400.0 + shift.end_s
                staff += shift.count * ((starts >= begin - eps) & (starts + interval_s <= end + eps))
    return staff


def rhythm_handle_factor(shifts: Sequence[Shift], horizon: "Horizon", interval_s: float) -> np.ndarray:
    """Per interval of the horizon: the handle-time factor of the agents at work, the mean of
    their shifts' rhythm factors weighted by the shifts' counts (1 without a rhythm; 1 where
    nobody is scheduled). Agents of a group are not told apart at work, so the factor applies
    to every service the group starts in the interval."""
    weighted = np.zeros(horizon.days * int(round(horizon.open_s / interval_s)))
    staff = np.zeros_like(weighted)
    for shift in shifts:
        count = shift_staff([shift], horizon, interval_s)
        weighted += count * (shift.rhythm.handle_time_factor if shift.rhythm is not None else 1.0)
        staff += count
    return np.divide(weighted, staff, out=np.ones_like(weighted), where=staff > 0)


def break_requests(shifts: Sequence[Shift], horizon: "Horizon") -> np.ndarray:
    """(n, 2) sorted rows (time s, length s): one per break or rest of every agent of every shift
    on every day worked. Agent i of n starts each break i/n of its spread later (a rest: i/n of a
    work period), so a shift's agents do not all go at once."""
    rows = []
    for shift in shifts:
        for day in range(0 if shift.overnight else 1, horizon.days + 1):
            if shift.works_on(day, horizon.first_day):
                base = (day - 1) * 86400.0 + shift.start
                rows += [(base + offset + spread * i / shift.count, length)
                         for offset, length, spread in shift.off_times() for i in range(shift.count)]
    return np.array(sorted(rows), dtype=float).reshape(-1, 2)


Shifts = Annotated[tuple[Shift, ...], BeforeValidator(_shift_list), Field(json_schema_extra={"minItems": 1})]
