"""The business calendar of a scenario and limits counted on it.

`calendar:` states the working hours per weekday, the weekend and the holidays. A service-level
threshold, a stage's time limit or a process promise may then be, instead of plain seconds, one of

    {working: 2h}                       2 hours of working time
    {working_days: 2}                   the same time of day 2 working days later
    {by: "17:00"}                       by 17:00 the same working day,
    {by: "17:00", cutoff: "15:00", days: 0}   ... or the next one when it starts at or after the cutoff

(`ccsim.calendar` computes the due times). Such a limit is a `CalendarLimit`: a float holding a
nominal length in seconds, so that Erlang staffing and tables that need one number keep working,
with the rule that judges each item against its own due time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import BaseModel, Field, PlainSerializer, PlainValidator, WithJsonSchema, model_validator

from ccsim.calendar import DAY_S, WorkCalendar
from ccsim.scenario import type_schemas as js
from ccsim.scenario.types import WEEKDAY_SCHEMA, WEEKDAYS, Clock, Strict, Weekday
from ccsim.units import format_clock, format_duration, parse_clock, parse_duration

if TYPE_CHECKING:
    from ccsim.scenario.models import Scenario

KINDS = ("working", "working_days", "by")
_LIMIT_KEYS = (*KINDS, "cutoff", "days")
_LIMIT_HELP = ("seconds or a text such as 2h, or on the calendar: {working: 2h}, {working_days: 2} "
               "or {by: \"17:00\", cutoff: \"15:00\", days: 0}")


class CalendarLimit(float):
    """A limit counted on the business calendar. Its float value is a nominal length (s): the
    working time itself, `working_days` days, or for `by` the clock time (plus `days` days)."""

    kind: str
    amount: float          # working: seconds; working_days: days; by: clock seconds
    cutoff_s: float        # by: items starting at or after this clock time count from the next working day
    days: int              # by: further working days

    def __new__(cls, kind: str, amount: float, cutoff_s: float = np.nan, days: int = 0) -> "CalendarLimit":
        nominal = {"working": amount, "working_days": amount * DAY_S}.get(kind, amount + days * DAY_S)
        self = super().__new__(cls, nominal)
        self.kind, self.amount, self.cutoff_s, self.days = kind, amount, cutoff_s, days
        return self

    def __reduce__(self):
        return CalendarLimit, (self.kind, self.amount, self.cutoff_s, self.days)

    # equal only to the same rule: never to plain seconds, so that {working: 20s} is not taken for the
    # default threshold of 20 s (and left out when a scenario is written back)
    def __eq__(self, other: object) -> bool:
        return isinstance(other, CalendarLimit) and self.spec() == other.spec()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(tuple(self.spec().items()))

    def __repr__(self) -> str:
        return f"CalendarLimit({self.spec()!r})"

    def spec(self) -> dict[str, Any]:
        """The limit as a scenario writes it."""
        if self.kind == "working":
            return {"working": format_duration(self.amount)}
        if self.kind == "working_days":
            return {"working_days": int(self.amount)}
        spec: dict[str, Any] = {"by": format_clock(self.amount)}
        if self.cutoff_s != self.amount:
            spec["cutoff"] = format_clock(self.cutoff_s)
        if self.days:
            spec["days"] = self.days
        return spec

    @property
    def text(self) -> str:
        """Short text for tables: "2h working", "2 working days", "by 17:00"."""
        if self.kind == "working":
            return f"{format_duration(self.amount)} working"
        if self.kind == "working_days":
            return f"{int(self.amount)} working day{'s' if self.amount != 1 else ''}"
        later = f" +{self.days}d" if self.days else ""
        cutoff = f" (cutoff {format_clock(self.cutoff_s)})" if self.cutoff_s != self.amount else ""
        return f"by {format_clock(self.amount)}{later}{cutoff}"

    def due_s(self, calendar: WorkCalendar, start_s: np.ndarray) -> np.ndarray:
        """Due times (s) of items whose limit starts at `start_s` (s, the simulation clock)."""
        if self.kind == "working":
            return calendar.after_working(start_s, self.amount)
        if self.kind == "working_days":
            return calendar.after_working_days(start_s, int(self.amount))
        return calendar.by_clock(start_s, self.amount, self.cutoff_s, self.days)


def _whole(value: Any, key: str, low: int) -> int:
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())) \
            or value < low:
        raise ValueError(f"{key}: expected a whole number >= {low}, got {value!r}")
    return int(value)


def _calendar_limit(value: Mapping[str, Any]) -> CalendarLimit:
    unknown = [str(k) for k in value if k not in _LIMIT_KEYS]
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r} in a calendar limit; allowed: {', '.join(_LIMIT_KEYS)}")
    kinds = [k for k in KINDS if k in value]
    if len(kinds) != 1:
        raise ValueError(f"give exactly one of {', '.join(KINDS)} in a calendar limit; got "
                         f"{' and '.join(kinds) if kinds else 'none'}")
    kind = kinds[0]
    if kind != "by" and ("cutoff" in value or "days" in value):
        raise ValueError("cutoff and days go with by (a clock deadline), not with " + kind)
    if kind == "working":
        return CalendarLimit("working", _keyed("working", _positive_duration, value["working"]))
    if kind == "working_days":
        return CalendarLimit("working_days", _whole(value["working_days"], "working_days", 1))
    clock = _keyed("by", parse_clock, value["by"])
    cutoff = _keyed("cutoff", parse_clock, value["cutoff"]) if "cutoff" in value else clock
    if cutoff > clock:
        raise ValueError(f"cutoff ({format_clock(cutoff)}) must be at or before by ({format_clock(clock)}): "
                         "an item starting after the deadline could not meet it the same day")
    return CalendarLimit("by", clock, cutoff, _whole(value.get("days", 0), "days", 0))


def _keyed(key: str, parse, value: Any) -> float:
    """`parse(value)`, its error message naming `key`."""
    try:
        return parse(value)
    except ValueError as exc:
        raise ValueError(f"{key}: {exc}") from None


def _positive_duration(value: Any) -> float:
    seconds = parse_duration(value)
    if seconds <= 0:
        raise ValueError(f"must be > 0 seconds, got {seconds:g}")
    return seconds


def _limit(value: Any) -> float:
    """Plain seconds (> 0) or a `CalendarLimit` from a mapping."""
    if isinstance(value, CalendarLimit):
        return value
    if isinstance(value, Mapping):
        return _calendar_limit(value)
    try:
        return _positive_duration(value)
    except ValueError as exc:
        raise ValueError(f"{exc}; or a limit on the calendar: {{working: 2h}}, {{working_days: 2}}, "
                         "{by: \"17:00\"}") from None


_LIMIT_SCHEMA = {"anyOf": [
    js.duration_schema(positive=True),
    {"type": "object", "additionalProperties": False, "minProperties": 1,
     "properties": {"working": js.duration_schema(positive=True),
                    "working_days": {"type": "integer", "minimum": 1},
                    "by": js.CLOCK_SCHEMA, "cutoff": js.CLOCK_SCHEMA, "days": {"type": "integer", "minimum": 0}},
     "oneOf": [{"required": [k]} for k in KINDS],
     "dependentRequired": {"cutoff": ["by"], "days": ["by"]}}],
    "description": f"A time limit: {_LIMIT_HELP}."}

Limit = Annotated[float, PlainValidator(_limit),
                  PlainSerializer(lambda v: v.spec() if isinstance(v, CalendarLimit) else v),
                  WithJsonSchema(_LIMIT_SCHEMA)]
"""A time limit: plain seconds (> 0), or a `CalendarLimit` counted on the scenario's calendar."""


class Hours(Strict):
    """Working hours of a day, clock times."""

    start: Clock
    """Clock time work starts, "HH:MM"."""
    end: Clock
    """Clock time work ends, "HH:MM" after start (up to "24:00")."""

    @model_validator(mode="after")
    def _end_after_start(self) -> "Hours":
        if self.end <= self.start:
            raise ValueError(f"end ({format_clock(self.end)}) must be after start ({format_clock(self.start)})")
        return self


def _holiday(value: Any) -> int | datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    elif not isinstance(value, bool) and isinstance(value, int) and value >= 1:
        return value
    raise ValueError(f"expected a day number of the horizon (1, 2, ...) or a date YYYY-MM-DD, got {value!r}")


Holiday = Annotated[int | datetime.date, PlainValidator(_holiday), WithJsonSchema(
    {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "format": "date"}],
     "description": "A day off: a day number of the horizon (1 = day 1) or a date YYYY-MM-DD (with first_date)."})]


class Calendar(Hours):
    """The business calendar: working hours `start` to `end` on `days`, other hours per weekday in
    `hours`, and `holidays` off. It judges limits stated on it; it does not change opening hours
    or staffing (the horizon and the shifts do). `first_date` is the date of day 1, needed when
    holidays are dates."""

    days: tuple[Weekday, ...] = Field(WEEKDAYS[:5], min_length=1, json_schema_extra={"items": WEEKDAY_SCHEMA})
    """Working weekdays (default mon to fri); the others are the weekend."""
    hours: dict[Weekday, Hours] = Field({}, json_schema_extra={"propertyNames": WEEKDAY_SCHEMA})
    """Working hours of particular weekdays, replacing start and end on them (each must be among days)."""
    holidays: tuple[Holiday, ...] = ()
    """Days off: day numbers of the horizon (1 = day 1) or dates YYYY-MM-DD (with first_date)."""
    first_date: datetime.date | None = None
    """Date of day 1 (YYYY-MM-DD), so that holidays can be dates; its weekday must be the horizon's first_day."""

    @model_validator(mode="after")
    def _consistent(self) -> "Calendar":
        extra = [day for day in self.hours if day not in self.days]
        if extra:
            raise ValueError(f"hours names {', '.join(extra)}, not among the working days ({', '.join(self.days)}); "
                             "add it to days")
        if self.first_date is None and any(isinstance(h, datetime.date) for h in self.holidays):
            raise ValueError("holidays given as dates need first_date (the date of day 1)")
        return self

    def day_number(self, holiday: int | datetime.date) -> int:
        """0-based day of the simulation clock (0 = day 1) of a holiday."""
        if isinstance(holiday, datetime.date):
            return (holiday - self.first_date).days
        return holiday - 1

    def work_calendar(self, first_weekday: str, first_day: int, n_days: int) -> WorkCalendar:
        """The working periods of days `first_day` to `first_day + n_days - 1` (0 = day 1)."""
        hours = {WEEKDAYS.index(day): (self.hours[day].start, self.hours[day].end) if day in self.hours
                 else (self.start, self.end) for day in self.days}
        return WorkCalendar.weekly(hours, WEEKDAYS.index(first_weekday), first_day, n_days,
                                   [self.day_number(h) for h in self.holidays])


def calendar_problems(sc: "Scenario", complete: bool = True) -> list[tuple[str, str]]:
    """(field path, message) for limits on the calendar in a scenario without one (only when
    `complete`: a calendar with problems of its own is left out of a partial scenario), and a
    first_date whose weekday is not the horizon's first_day."""
    found = []
    if sc.calendar is None and complete:
        found += [(path, f"{limit.text} counts on the business calendar: add calendar: {{start, end, days, "
                         "holidays} to the scenario, or give plain seconds")
                  for path, limit in calendar_limits(sc)]
    elif sc.calendar is not None and sc.calendar.first_date is not None:
        weekday = WEEKDAYS[sc.calendar.first_date.weekday()]
        if weekday != sc.horizon.first_day:
            found.append(("calendar.first_date", f"{sc.calendar.first_date} is a {weekday} but horizon.first_day "
                                                 f"is {sc.horizon.first_day}; make them agree"))
    return found


def calendar_limits(model: BaseModel, path: str = "") -> Iterator[tuple[str, CalendarLimit]]:
    """(dotted field path, limit) of every `CalendarLimit` in a scenario model, depth first."""
    for name in type(model).model_fields:
        yield from _limits_in(getattr(model, name), f"{path}{name}")


def _limits_in(value: Any, path: str) -> Iterator[tuple[str, CalendarLimit]]:
    if isinstance(value, CalendarLimit):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from calendar_limits(value, path + ".")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _limits_in(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _limits_in(item, f"{path}.{i}")
