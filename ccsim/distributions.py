"""Named probability distributions of durations (seconds), sampled in vectorized blocks.

A scenario names a distribution with `dist:` and its parameters; `build_distribution`
turns that mapping into a frozen object with `mean` and `sample(rng, size)`. New
distributions plug in with `@register_distribution("name")`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from ccsim.registry import Registry
from ccsim.textfiles import TextFileError, read_text
from ccsim.units import parse_duration


class ParameterError(ValueError):
    """A bad distribution parameter; `key` names it so the error path can point at it."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(message)


DISTRIBUTIONS: Registry[type["Distribution"]] = Registry("distribution")
register_distribution = DISTRIBUTIONS.register   # class decorator: `dist: name` in scenarios
distribution_names = DISTRIBUTIONS.names

# What each parameter of any distribution is, for the scenario format's JSON Schema
# (`ccsim.scenario.type_schemas`): a parameter name means the same in every distribution.
PARAM_KINDS = {"mean": "positive_duration", "cv": "number", "value": "duration", "low": "duration",
               "high": "duration", "csv": "text", "column": "text", "samples": "durations"}


class Distribution:
    """A distribution of non-negative durations in seconds."""

    name: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ()
    exclusive: ClassVar[tuple[str, ...]] = ()      # optional parameters of which exactly one is given

    @property
    def mean(self) -> float:
        """Expected value, seconds."""
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """`size` independent draws, seconds, as a float array."""
        raise NotImplementedError

    @classmethod
    def from_params(cls, params: Mapping[str, Any], base_dir: Path) -> "Distribution":
        """Build from the scenario's parameters (durations already parsed to seconds)."""
        return cls(**params)

    def spec(self) -> dict[str, Any]:
        """The scenario mapping this distribution is built from (durations in seconds)."""
        return {"dist": self.name, **{k: getattr(self, k) for k in self.params}}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={getattr(self, k)!r}" for k in self.params)
        return f"{self.name}({args})"


def _duration(key: str, value: Any, *, positive: bool) -> float:
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise ParameterError(key, f"{exc}; {key} must be > 0 seconds" if positive else str(exc)) from None
    if positive and seconds <= 0:
        raise ParameterError(key, f"must be > 0 seconds, got {value!r}")
    return seconds


def _number(key: str, value: Any, *, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ParameterError(key, f"must be a finite number, got {value!r}")
    if value < low:
        raise ParameterError(key, f"must be >= {low:g}, got {value!r}")
    return float(value)


@register_distribution("exponential")
@dataclass(frozen=True, slots=True, repr=False)
class Exponential(Distribution):
    mean_s: float
    params: ClassVar[tuple[str, ...]] = ("mean",)

    @classmethod
    def from_params(cls, params, base_dir):
        return cls(_duration("mean", params["mean"], positive=True))

    @property
    def mean(self) -> float:
        return self.mean_s

    def sample(self, rng, size):
        return rng.exponential(self.mean_s, size)

    def __repr__(self):
        return f"exponential(mean={self.mean_s:g})"


@register_distribution("lognormal")
@dataclass(frozen=True, slots=True, repr=False)
class Lognormal(Distribution):
    mean_s: float
    cv: float
    params: ClassVar[tuple[str, ...]] = ("mean", "cv")

    @classmethod
    def from_params(cls, params, base_dir):
        return cls(_duration("mean", params["mean"], positive=True), _number("cv", params["cv"]))

    @property
    def mean(self) -> float:
        return self.mean_s

    def sample(self, rng, size):
        if self.cv == 0:
            return np.full(size, self.mean_s)
        sigma2 = math.log1p(self.cv**2)
        return rng.lognormal(math.log(self.mean_s) - sigma2 / 2, math.sqrt(sigma2), size)

    def __repr__(self):
        return f"lognormal(mean={self.mean_s:g}, cv={self.cv:g})"


@register_distribution("gamma")
@dataclass(frozen=True, slots=True, repr=False)
class Gamma(Distribution):
    mean_s: float
    cv: float
    params: ClassVar[tuple[str, ...]] = ("mean", "cv")

    @classmethod
    def from_params(cls, params, base_dir):
        return cls(_duration("mean", params["mean"], positive=True), _number("cv", params["cv"]))

    @property
    def mean(self) -> float:
        return self.mean_s

    def sample(self, rng, size):
        if self.cv == 0:
            return np.full(size, self.mean_s)
        shape = 1.0 / self.cv**2
        return rng.gamma(shape, self.mean_s / shape, size)

    def __repr__(self):
        return f"gamma(mean={self.mean_s:g}, cv={self.cv:g})"


@register_distribution("deterministic")
@dataclass(frozen=True, slots=True, repr=False)
class Deterministic(Distribution):
    value: float
    params: ClassVar[tuple[str, ...]] = ("value",)

    @classmethod
    def from_params(cls, params, base_dir):
        return cls(_duration("value", params["value"], positive=False))

    @property
    def mean(self) -> float:
        return self.value

    def sample(self, rng, size):
        return np.full(size, self.value)


@register_distribution("uniform")
@dataclass(frozen=True, slots=True, repr=False)
class Uniform(Distribution):
    low: float
    high: float
    params: ClassVar[tuple[str, ...]] = ("low", "high")

    @classmethod
    def from_params(cls, params, base_dir):
        low = _duration("low", params["low"], positive=False)
        high = _duration("high", params["high"], positive=False)
        if high < low:
            raise ParameterError("high", f"must be >= low ({low:g}), got {high:g}")
        return cls(low, high)

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2

    def sample(self, rng, size):
        return rng.uniform(self.low, self.high, size)


@register_distribution("empirical")
@dataclass(frozen=True, slots=True, repr=False)
class Empirical(Distribution):
    """Resamples observed durations: `csv:` (a file, first or `column:` column) or `samples:`."""

    samples: np.ndarray = field(compare=False)
    source: str = ""
    params: ClassVar[tuple[str, ...]] = ()
    optional: ClassVar[tuple[str, ...]] = ("csv", "column", "samples")
    exclusive: ClassVar[tuple[str, ...]] = ("csv", "samples")

    @classmethod
    def from_params(cls, params, base_dir):
        if ("csv" in params) == ("samples" in params):
            raise ParameterError("csv", "give exactly one of 'csv' (a file of samples) or 'samples' (a list)")
        if "samples" in params:
            raw = params["samples"]
            if not isinstance(raw, list) or not raw:
                raise ParameterError("samples", "must be a non-empty list of durations")
            values = [_duration(f"samples.{i}", v, positive=False) for i, v in enumerate(raw)]
            return cls(np.asarray(values, dtype=float), "inline")
        path = Path(base_dir) / str(params["csv"])
        values = _read_samples(path, params.get("column"))
        return cls(values, str(params["csv"]))

    @property
    def mean(self) -> float:
        return float(self.samples.mean())

    def sample(self, rng, size):
        return rng.choice(self.samples, size=size, replace=True)

    def spec(self):
        return {"dist": "empirical", "samples": self.samples.tolist()}

    def __repr__(self):
        return f"empirical({self.source}, n={self.samples.size})"


def _read_samples(path: Path, column: str | None) -> np.ndarray:
    if not path.is_file():
        raise ParameterError("csv", f"file not found: {path}")
    try:
        text = read_text(path)
    except TextFileError as exc:
        raise ParameterError("csv", str(exc)) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ParameterError("csv", f"{path}:{reader.line_num + 1}: not a readable CSV row: {exc}") from None
    if not rows:
        raise ParameterError("csv", f"{path} is empty")
    header = [h.strip() for h in rows[0]]
    has_header = any(not _is_number(h) for h in header)
    index = 0
    if column is not None:
        if column not in header:
            raise ParameterError("column", f"{path} has no column {column!r}; columns: {header}")
        index = header.index(column)
    values = []
    for lineno, row in enumerate(rows[1:] if has_header else rows, start=2 if has_header else 1):
        if not "".join(row).strip():
            continue
        if len(row) <= index or not row[index].strip():
            raise ParameterError("csv", f"{path}:{lineno}: no value in column {index + 1}")
        cell = row[index].strip()
        if not _is_number(cell) or float(cell) < 0:
            raise ParameterError("csv", f"{path}:{lineno}: {cell!r} is not a duration >= 0 seconds")
        values.append(float(cell))
    if not values:
        raise ParameterError("csv", f"{path} holds no samples")
    return np.asarray(values, dtype=float)


def _is_number(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def positive_mean(dist: Distribution) -> Distribution:
    """`dist` if its mean is > 0 seconds; work and patience that take no time on average make no sense."""
    if not dist.mean > 0:
        raise ParameterError("", (f"{dist!r} has a mean of {dist.mean:g} seconds; this duration must be "
                                  "> 0 seconds on average (a fixed time such as 90s, or a distribution with mean > 0)"))
    return dist


def build_distribution(spec: Any, base_dir: Path | str = ".") -> Distribution:
    """A `Distribution` from a scenario mapping such as {dist: lognormal, mean: 240, cv: 0.8},
    or from a plain duration (`1h`, `90`), which is a fixed (deterministic) time.

    Raises ParameterError (with the offending key) for unknown names, missing or
    unexpected parameters and out-of-range values.
    """
    if isinstance(spec, Distribution):
        return spec
    if isinstance(spec, str) and spec.strip() in DISTRIBUTIONS:
        cls = DISTRIBUTIONS.get(spec.strip())
        raise ParameterError("", (f"{spec.strip()} needs its parameters: write "
                                  f"{{dist: {cls.name}, {', '.join(f'{k}: ...' for k in cls.params or cls.optional)}}}"))
    if isinstance(spec, (int, float, str)) and not isinstance(spec, bool):
        try:  # a plain duration is a fixed time: 1h == {dist: deterministic, value: 1h}
            return Deterministic(parse_duration(spec))
        except ValueError as exc:
            raise ParameterError("", f"{exc}; or give a distribution such as {{dist: exponential, mean: 3m}}") from None
    if not isinstance(spec, Mapping):
        raise ParameterError("", (
            f"expected a fixed duration such as 90s or 1h, or a mapping with 'dist' and its parameters, got {spec!r}"))
    allowed_names = ", ".join(distribution_names())
    if "dist" not in spec or spec["dist"] is None:
        raise ParameterError("dist", f"dist is missing; allowed: {allowed_names}")
    name = spec["dist"]
    if not isinstance(name, str) or name not in DISTRIBUTIONS:
        raise ParameterError("dist", f"unknown distribution {name!r}; allowed: {allowed_names}")
    cls = DISTRIBUTIONS.get(name)
    params = {k: v for k, v in spec.items() if k != "dist"}
    allowed = set(cls.params) | set(cls.optional)
    for key in params:
        if key not in allowed:
            raise ParameterError(key, f"unknown parameter for {name}; allowed: {', '.join(sorted(allowed))}")
    for key in cls.params:
        if key not in params:
            raise ParameterError(key, f"missing; {name} needs: {', '.join(cls.params)}")
    return cls.from_params(params, Path(base_dir))
