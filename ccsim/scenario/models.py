"""The scenario schema: strict, immutable pydantic models with units parsed at load time.

Field-level rules live on the fields; rules that span fields (a skill naming an unknown
queue, list lengths against the horizon) live in `ccsim.scenario.checks` and run from
`Scenario`'s model validator, raising `ScenarioError` with one problem per mistake.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationInfo,
    model_validator,
)

from ccsim.distributions import Distribution, build_distribution
from ccsim.units import format_clock, parse_clock, parse_duration


def _positive(seconds: float) -> float:
    if seconds <= 0:
        raise ValueError(f"must be > 0 seconds, got {seconds:g}")
    return seconds


def _distribution(value: Any, info: ValidationInfo) -> Distribution:
    base_dir = (info.context or {}).get("base_dir", ".")
    return build_distribution(value, base_dir)


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


Duration = Annotated[float, BeforeValidator(parse_duration)]
PositiveDuration = Annotated[float, BeforeValidator(parse_duration), AfterValidator(_positive)]
Clock = Annotated[float, BeforeValidator(parse_clock), PlainSerializer(format_clock)]
DistributionSpec = Annotated[Distribution, PlainValidator(_distribution), PlainSerializer(repr)]
Counts = Annotated[int | tuple[int, ...], PlainValidator(_counts)]
Skills = Annotated[dict[str, int], PlainValidator(_skills)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Horizon(Strict):
    """Opening hours: `days` consecutive days, each open from `start` to `end` (clock times)."""

    start: Clock
    end: Clock
    days: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _end_after_start(self) -> "Horizon":
        if self.end <= self.start:
            raise ValueError(f"end ({format_clock(self.end)}) must be after start ({format_clock(self.start)})")
        return self

    @property
    def open_s(self) -> float:
        """Open seconds per day."""
        return self.end - self.start


class Arrivals(Strict):
    """Expected volume: exactly one of `per_hour`, `per_interval` or `csv`."""

    per_hour: float | None = Field(None, ge=0, allow_inf_nan=False)
    per_interval: tuple[Annotated[float, Field(ge=0, allow_inf_nan=False)], ...] | None = None
    csv: str | None = None
    _volumes: tuple[float, ...] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _exactly_one(self, info: ValidationInfo) -> "Arrivals":
        given = [k for k in ("per_hour", "per_interval", "csv") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of per_hour, per_interval, csv (got {', '.join(given) or 'none'})")
        if self.csv is not None:
            from ccsim.scenario.volumes import read_volume_csv

            base_dir = Path((info.context or {}).get("base_dir", "."))
            self._volumes = read_volume_csv(base_dir / self.csv)
        elif self.per_interval is not None:
            self._volumes = self.per_interval
        return self

    @property
    def volumes(self) -> tuple[float, ...] | None:
        """Contacts per interval from `per_interval` or `csv`; None for a constant rate."""
        return self._volumes


class ServiceLevel(Strict):
    """The promise: `target` share answered within `threshold` seconds.

    `abandons` says how abandoned contacts enter the ratio: `exclude_within_threshold`
    (the default: abandons before the threshold leave the denominator), `count`
    (every abandon is a miss) or `ignore` (answered contacts only).
    """

    threshold: PositiveDuration = 20.0
    target: float = Field(0.8, gt=0, le=1)
    abandons: Literal["exclude_within_threshold", "count", "ignore"] = "exclude_within_threshold"


class Queue(Strict):
    """One contact type and its waiting line."""

    channel: Literal["voice", "chat", "email"] = "voice"
    arrivals: Arrivals
    handle_time: DistributionSpec
    patience: DistributionSpec | None = None
    service_level: ServiceLevel = ServiceLevel()
    priority: int = 1


class AgentGroup(Strict):
    """Agents with the same skills, staffing and cost."""

    skills: Skills
    staff: Counts
    cost_per_hour: float = Field(0.0, ge=0, allow_inf_nan=False)


class Routing(Strict):
    policy: str = "priority_then_longest_wait"

    @model_validator(mode="after")
    def _known_policy(self) -> "Routing":
        from ccsim.policies import policy_names

        if self.policy not in policy_names():
            raise ValueError(f"unknown routing policy {self.policy!r}; allowed: {', '.join(policy_names())}")
        return self


class Scenario(Strict):
    """A contact center and its workload over a horizon: the input of every ccsim run."""

    name: str = "scenario"
    description: str = ""
    horizon: Horizon
    interval: PositiveDuration = 1800.0
    warmup: Duration = 0.0
    seed: int = 1
    replications: int = Field(10, ge=1)
    queues: dict[str, Queue] = Field(min_length=1)
    agent_groups: dict[str, AgentGroup] = Field(min_length=1)
    routing: Routing = Routing()

    @model_validator(mode="after")
    def _cross_field(self) -> "Scenario":
        from ccsim.scenario.checks import raise_problems

        raise_problems(self)
        return self

    # -- derived, read-only views the engine and reports use -------------------------
    @property
    def intervals_per_day(self) -> int:
        return int(round(self.horizon.open_s / self.interval))

    @property
    def n_intervals(self) -> int:
        return self.intervals_per_day * self.horizon.days

    def interval_starts(self) -> np.ndarray:
        """Start of every interval, seconds after midnight of day 1 (days continue the clock)."""
        k = np.arange(self.n_intervals)
        day, slot = np.divmod(k, self.intervals_per_day)
        return day * 86400.0 + self.horizon.start + slot * self.interval

    def arrival_rates(self, queue: str) -> np.ndarray:
        """Expected arrivals per hour in every interval for `queue`."""
        arrivals = self.queues[queue].arrivals
        if arrivals.per_hour is not None:
            return np.full(self.n_intervals, float(arrivals.per_hour))
        return _per_interval(arrivals.volumes, self.n_intervals) * (3600.0 / self.interval)

    def staff(self, group: str) -> np.ndarray:
        """Agents scheduled in every interval for `group` (ints)."""
        return _per_interval(self.agent_groups[group].staff, self.n_intervals).astype(int)


def _per_interval(values: Any, n_intervals: int) -> np.ndarray:
    """Expand a constant, a per-day list or a whole-horizon list to one value per interval."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return np.full(n_intervals, float(array))
    if array.size == n_intervals:
        return array
    return np.tile(array, n_intervals // array.size)
