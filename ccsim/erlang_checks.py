"""Argument checks and computable limits of `ccsim.erlang`: every public formula validates here first.

A bad argument raises `ErlangArgumentError` (a `ValueError`) naming the argument, what is
allowed, the bad value and, for arrays, its index. The limits keep every answer exact and
every search finite; they lie far beyond any contact center. Pure numpy, no simulation imports.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

MAX_TRAFFIC_ERLANGS = 1e6         # offered load computed exactly (about 9 significant digits at the limit)
MAX_AGENTS = 10**9                # agents evaluated or searched
MAX_ARRIVALS_PER_PATIENCE = 1e8   # rate_per_hour * patience / 3600: Erlang A series cost O(sqrt of it)


class ErlangArgumentError(ValueError):
    """An argument outside what `ccsim.erlang` accepts; `arguments` names it (or the pair at fault)."""

    def __init__(self, arguments: tuple[str, ...], detail: str):
        self.arguments, self.detail = arguments, detail
        names = " and ".join(arguments) if len(arguments) < 3 else f"{', '.join(arguments[:-1])} and {arguments[-1]}"
        super().__init__(f"{names} {detail}")


# name -> (positive test on a float array, what is allowed); NaN fails every test.
_RULES: dict[str, tuple[Callable[[np.ndarray], np.ndarray], str]] = {
    "rate_per_hour": (lambda x: np.isfinite(x) & (x >= 0), "must be finite and >= 0"),
    "traffic": (lambda x: (x >= 0) & (x <= MAX_TRAFFIC_ERLANGS),
                f"must be from 0 to {MAX_TRAFFIC_ERLANGS:g} Erlangs (the most computed exactly)"),
    "aht": (lambda x: np.isfinite(x) & (x > 0), "must be finite and > 0 (seconds)"),
    "threshold": (lambda x: np.isfinite(x) & (x >= 0), "must be finite and >= 0 (seconds)"),
    "patience": (lambda x: x > 0, "must be > 0 seconds (infinite: nobody abandons)"),
    "agents": (lambda x: (x >= 0) & (x <= MAX_AGENTS) & (x == np.floor(x)),
               f"must be whole numbers from 0 to {MAX_AGENTS:g}"),
    "target": (lambda x: (x > 0) & (x <= 1), "must be in (0, 1]"),
    "target_asa": (lambda x: np.isfinite(x) & (x > 0), "must be finite and > 0 (seconds)"),
    "max_abandon": (lambda x: (x > 0) & (x <= 1), "must be in (0, 1]"),
    "max_occupancy": (lambda x: (x > 0) & (x <= 1), "must be in (0, 1]"),
}


def checked(name: str, value) -> np.ndarray:
    """`value` as a float array, or ErlangArgumentError if any element breaks the rule for `name`."""
    raw = np.asarray(value)
    if raw.dtype.kind not in "iuf":
        raise ErlangArgumentError((name,), f"must be a number or an array of numbers, got {value!r}")
    x = raw.astype(float)
    test, allowed = _RULES[name]
    with np.errstate(invalid="ignore"):
        good = test(x)
    if not np.all(good):
        _fail((name,), allowed, x, good)
    return x


def check_load(rate_per_hour: np.ndarray, aht: np.ndarray, patience: np.ndarray | None = None) -> None:
    """Refuse traffic beyond MAX_TRAFFIC_ERLANGS and, with patience, arrivals per patience beyond the limit."""
    with np.errstate(over="ignore", invalid="ignore"):
        traffic = rate_per_hour * aht / 3600.0
        good = traffic <= MAX_TRAFFIC_ERLANGS
    if not np.all(good):
        _fail(("rate_per_hour", "aht"), f"must give traffic rate_per_hour * aht / 3600 <= {MAX_TRAFFIC_ERLANGS:g} "
              "Erlangs, the most computed exactly", traffic, good, unit=" Erlangs")
    if patience is not None:
        with np.errstate(over="ignore", invalid="ignore"):
            per_patience = rate_per_hour * patience / 3600.0
            good = ~np.isfinite(patience) | (per_patience <= MAX_ARRIVALS_PER_PATIENCE)
        if not np.all(good):
            _fail(("rate_per_hour", "patience"), "must give arrivals per mean patience rate_per_hour * patience / 3600 <= "
                  f"{MAX_ARRIVALS_PER_PATIENCE:g} (Erlang A stays exact up to there; infinite patience is Erlang C)",
                  per_patience, good)


def check_search_size(traffic: np.ndarray, max_occupancy: float) -> None:
    """Refuse an occupancy cap that would need more than MAX_AGENTS agents."""
    good = traffic / max_occupancy <= MAX_AGENTS
    if not np.all(good):
        _fail(("max_occupancy",), f"must keep traffic / max_occupancy <= {MAX_AGENTS:g} agents",
              traffic / max_occupancy, good, unit=" agents")


def search_bound(traffic: np.ndarray, max_occupancy: float) -> np.ndarray:
    """Most agents a search tries: max(traffic / max_occupancy, traffic + 10 sqrt(traffic) + 100), rounded up.

    With that many agents P(wait) < 1e-19 (a Poisson tail bound), so every service-level
    target up to 1 is met; only an ASA or abandon target below about 1e-19 can fail there.
    """
    return np.ceil(np.maximum(traffic / max_occupancy, traffic + 10.0 * np.sqrt(traffic) + 100.0))


def _fail(arguments: tuple[str, ...], allowed: str, x: np.ndarray, good: np.ndarray, unit: str = "") -> None:
    first = int(np.flatnonzero(~np.broadcast_to(good, x.shape))[0])
    index = np.unravel_index(first, x.shape)
    where = "" if x.ndim == 0 else f" at index {int(index[0]) if x.ndim == 1 else tuple(int(i) for i in index)}"
    raise ErlangArgumentError(arguments, f"{allowed}, got {x.flat[first]:g}{unit}{where}")
