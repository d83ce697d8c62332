"""Checks of the Python API's plain arguments (replications, seed, workers, shares, budgets):
each returns the value as the type the code uses, or raises `ArgumentError` naming the argument.
No silent rounding: `replications=2.5` is an error, not 2 replications."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any

from ccsim.errors import CcsimError


class ArgumentError(CcsimError, ValueError):
    """An argument of a ccsim function that is out of range or of the wrong type (a ValueError;
    the command line shows it as one line and exits 2)."""


def whole(name: str, value: Any, minimum: int = 0) -> int:
    """`value` as an int >= `minimum`; bools, floats and strings are refused."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise ArgumentError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    if value < minimum:
        raise ArgumentError(f"{name} must be >= {minimum}, got {value!r}")
    return int(value)


SEED_MAX = 2**63 - 1     # numpy takes any seed >= 0; int64 keeps tables simple


def seed(value: Any, name: str = "seed") -> int:
    """A base random seed: a whole number from 0 to SEED_MAX (numpy's SeedSequence takes no
    negative seed)."""
    value = whole(name, value, 0)
    if value > SEED_MAX:
        raise ArgumentError(f"{name} must be <= 2**63-1, got {value!r}")
    return value


def number(name: str, value: Any, low: float = 0.0, high: float = math.inf, *, low_open: bool = True,
           high_open: bool = False) -> float:
    """`value` as a finite float in the range from `low` to `high` (open or closed ends)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ArgumentError(f"{name} must be a finite number, got {value!r}")
    below = value <= low if low_open else value < low
    above = value >= high if high_open else value > high
    if below or above:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        raise ArgumentError(f"{name} must be in {left}{low:g}, {high:g}{right}, got {value!r}")
    return float(value)
