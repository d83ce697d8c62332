"""Field types shared by the scenario models: durations, clock times, distributions, counts."""

from __future__ import annotations

import numbers
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
)

from ccsim.arguments import SEED_MAX
from ccsim.distributions import Distribution, build_distribution, positive_mean
from ccsim.scenario import type_schemas as js
from ccsim.units import format_clock, parse_clock, parse_duration


def _positive(seconds: float) -> float:
    if seconds <= 0:
        raise ValueError(f"must be > 0 seconds, got {seconds:g}")
    return seconds


def _whole(value: Any) -> int:
    """A whole number: an int, or a float without fraction (2.0); never a bool or a string."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ValueError(f"expected a whole number, got {value!r}")


def _seed(value: int) -> int:
    if not 0 <= value <= SEED_MAX:
        raise ValueError(f"a seed must be a whole number from 0 to 2**63-1 (random streams need seeds >= 0), "
                         f"got {value}")
    return value


def _distribution(value: Any, info: ValidationInfo) -> Distribution:
    base_dir = (info.context or {}).get("base_dir", ".")
    return build_distribution(value, base_dir)


def _positive_distribution(value: Any, info: ValidationInfo) -> Distribution:
    return positive_mean(_distribution(value, info))


def _counts(value: Any) -> tuple[int, ...] | int:
    """A constant count or a list of counts, each a whole number >= 0."""
    items = value if isinstance(value, (list, tuple)) else [value]
    for i, item in enumerate(items):
        is_whole = isinstance(item, int) or (isinstance(item, float) and item.is_integer())
        if isinstance(item, bool) or not is_whole or item < 0:
            where = f" (item {i})" if isinstance(value, (list, tuple)) else ""
            raise ValueError(f"expected a whole number of agents >= 0{where}, got {item!r}")
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError("expected a number of agents or a non-empty list, one per interval")
        return tuple(int(v) for v in value)
    return int(value)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday(value: Any) -> str:
    """A weekday name, mon..sun, any case."""
    name = value.strip().lower() if isinstance(value, str) else None
    if name not in WEEKDAYS:
        raise ValueError(f"unknown weekday {value!r}; allowed: {', '.join(WEEKDAYS)}")
    return name


def _skills(value: Any) -> dict[str, int]:
    """Skills as {queue: preference rank}; a plain list means rank 1 for each."""
    if isinstance(value, (list, tuple)):
        if not value or not all(isinstance(v, str) for v in value):
            raise ValueError("expected a non-empty list of queue names or a mapping {queue: rank}")
        if len(set(value)) != len(value):
            raise ValueError("a queue is listed twice")
        return {name: 1 for name in value}
    if isinstance(value, dict) and value:
        for name, rank in value.items():
            if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
                raise ValueError(f"rank of {name!r} must be a whole number >= 1 (1 = preferred), got {rank!r}")
        return {str(k): int(v) for k, v in value.items()}
    raise ValueError("expected a non-empty list of queue names or a mapping {queue: rank}")


class _DistributionJsonSchema:
    """The JSON Schema of a distribution field, built when asked, from the registered distributions."""

    def __init__(self, *, positive: bool):
        self.positive = positive

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return js.distribution_schema(positive=self.positive)


Whole = Annotated[int, BeforeValidator(_whole)]
Seed = Annotated[int, BeforeValidator(_whole), AfterValidator(_seed),
                 WithJsonSchema({"type": "integer", "minimum": 0, "maximum": SEED_MAX})]
Duration = Annotated[float, BeforeValidator(parse_duration), WithJsonSchema(js.duration_schema(positive=False))]
PositiveDuration = Annotated[float, BeforeValidator(parse_duration), AfterValidator(_positive),
                             WithJsonSchema(js.duration_schema(positive=True))]


def _clock_text(seconds: float) -> str:
    """The clock time as written in a scenario; the end of the day is "24:00"."""
    return "24:00" if seconds == 86400 else format_clock(seconds)


Clock = Annotated[float, BeforeValidator(parse_clock), PlainSerializer(_clock_text), WithJsonSchema(js.CLOCK_SCHEMA)]
DistributionSpec = Annotated[Distribution, PlainValidator(_distribution), PlainSerializer(lambda d: d.spec()),
                             _DistributionJsonSchema(positive=False)]
# Work and patience: a mean of 0 seconds makes no sense (delays may be 0).
PositiveDistributionSpec = Annotated[Distribution, PlainValidator(_positive_distribution),
                                     PlainSerializer(lambda d: d.spec()), _DistributionJsonSchema(positive=True)]
Counts = Annotated[int | tuple[int, ...], PlainValidator(_counts),
                   PlainSerializer(lambda v: list(v) if isinstance(v, (list, tuple)) else v),
                   WithJsonSchema(js.COUNTS_SCHEMA)]
Skills = Annotated[dict[str, int], PlainValidator(_skills), WithJsonSchema(js.SKILLS_SCHEMA)]
Probability = Annotated[float, Field(ge=0, le=1)]
WEEKDAY_SCHEMA = js.weekday_schema(WEEKDAYS)
Weekday = Annotated[str, PlainValidator(_weekday), WithJsonSchema(WEEKDAY_SCHEMA)]


class Strict(BaseModel):
    """Base of every scenario model: unknown keys are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True, use_attribute_docstrings=True)


