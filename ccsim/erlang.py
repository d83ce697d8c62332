"""Analytic queueing formulas: Erlang B, Erlang C (M/M/n) and Erlang A (M/M/n+M), and staffing for targets.

Rates are per hour, times (aht, threshold, patience, ASA) in seconds, traffic in Erlangs.
Every function accepts scalars or numpy arrays (broadcast together, e.g. one value per
interval) and returns the broadcast shape. The formulas are exact and computed in log
space, so they stay finite for thousands of agents; an overloaded system without
abandonment gets a defined answer (P(wait) = 1, service level 0, ASA infinite).

Erlang A follows Mandelbaum & Zeltyn ("The M/M/n+G queue: summary of performance
measures"), written with the Kummer series A(x, y) = sum_j y^j / ((x+1)...(x+j)),
x = n*mu/theta, y = lambda/theta. This module never imports the simulation.

Arguments are checked first (`ccsim.erlang_checks`): a bad one raises `ErlangArgumentError`, a
`ValueError` naming it. Traffic is limited to MAX_TRAFFIC_ERLANGS, agents to MAX_AGENTS, and every
staffing search stops at `search_bound` (traffic + 10 sqrt(traffic) + 100, or traffic / max_occupancy).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import special

from ccsim.erlang_checks import (MAX_AGENTS, MAX_ARRIVALS_PER_PATIENCE, MAX_TRAFFIC_ERLANGS, ErlangArgumentError,
                                 check_load, check_search_size, checked, search_bound)

__all__ = [
    "agents_for_abandon_rate", "agents_for_asa", "agents_for_service_level",
    "asa", "erlang_a", "erlang_b", "erlang_c", "occupancy", "service_level", "traffic",
    "ErlangArgumentError", "MAX_AGENTS", "MAX_ARRIVALS_PER_PATIENCE", "MAX_TRAFFIC_ERLANGS",
]

_BLOCK = 1024         # most series terms evaluated per vectorized step
_TAIL = -40.0         # stop a series once its terms are below e^-40 of the sum


def traffic(rate_per_hour, aht):
    """Offered load in Erlangs: arrivals per hour times handle time (s) / 3600.

    Example:
        >>> print(erlang.traffic(200, 180))          # 200 calls an hour, 180 s each
        10.0
    """
    lam, s = _valid(rate_per_hour=rate_per_hour, aht=aht)
    return _out(lam * s / 3600.0)


def erlang_b(traffic, agents):
    """Blocking probability of M/M/n/n (Erlang B) for traffic in Erlangs and n agents.

    Example:
        >>> print(f"{erlang.erlang_b(10, 12):.3f}")   # 10 Erlangs on 12 lines
        0.120
    """
    a, n = _valid(traffic=traffic, agents=agents)
    return _out(np.exp(-_log_inv_erlang_b(a, n)))


def erlang_c(traffic, agents):
    """P(wait > 0) in M/M/n (Erlang C) for traffic in Erlangs and n agents; 1 when traffic >= agents.

    Example:
        >>> print(f"{erlang.erlang_c(10, 12):.3f}")   # 10 Erlangs, 12 agents
        0.449
    """
    a, n = _valid(traffic=traffic, agents=agents)
    return _out(_erlang_c(a, n))


def service_level(rate_per_hour, aht, agents, threshold):
    """P(wait <= threshold) in M/M/n; aht and threshold in seconds. 0 when overloaded.

    Example:
        >>> print(f"{erlang.service_level(200, 180, 12, 20):.3f}")   # 200/h, AHT 180 s, 12 agents, within 20 s
        0.640
    """
    lam, s, n, t = _valid(rate_per_hour=rate_per_hour, aht=aht, agents=agents, threshold=threshold)
    a = lam * s / 3600.0
    return _out(_service_level(a, s, n, t, _erlang_c(a, n)))


def asa(rate_per_hour, aht, agents):
    """Mean wait (s) in M/M/n over all contacts; infinite when overloaded.

    Example:
        >>> print(f"{erlang.asa(200, 180, 12):.1f} s")
        40.4 s
    """
    lam, s, n = _valid(rate_per_hour=rate_per_hour, aht=aht, agents=agents)
    a = lam * s / 3600.0
    return _out(_asa(a, s, n, _erlang_c(a, n)))


def occupancy(rate_per_hour, aht, agents):
    """Share of agent time busy in M/M/n: traffic / agents, capped at 1.

    Example:
        >>> print(f"{erlang.occupancy(200, 180, 12):.3f}")
        0.833
    """
    lam, s, n = _valid(rate_per_hour=rate_per_hour, aht=aht, agents=agents)
    return _out(_occupancy(lam * s / 3600.0, n))


def erlang_a(rate_per_hour, aht, agents, patience, threshold=20.0) -> dict[str, np.ndarray | float]:
    """M/M/n+M (Erlang A) with exponential patience of mean `patience` seconds.

    Returns a dict of: p_wait, p_abandon, p_answered_within, p_abandon_within (the
    threshold in seconds), service_level = p_answered_within / (1 - p_abandon_within),
    asa (mean wait of answered contacts, s), occupancy. An infinite patience gives Erlang C.

    Example:
        >>> m = erlang.erlang_a(200, 180, 12, patience=120, threshold=20)   # mean patience 120 s
        >>> print(f"SL {m['service_level']:.3f}, abandon {m['p_abandon']:.3f}, ASA {m['asa']:.1f} s")
        SL 0.855, abandon 0.062, ASA 6.3 s
    """
    args = _valid(rate_per_hour=rate_per_hour, aht=aht, agents=agents, patience=patience, threshold=threshold)
    return _erlang_a(*args, with_asa=True)


def agents_for_service_level(rate_per_hour, aht, target, threshold, patience=None, max_occupancy=None):
    """Smallest number of agents with service level >= target (threshold in seconds).

    Erlang C without patience, Erlang A with it (the service level of `erlang_a`).
    `max_occupancy` (0-1] adds the condition occupancy <= cap.

    Example:
        >>> erlang.agents_for_service_level(200, 180, 0.8, 20)                 # 80% within 20 s, Erlang C
        14
        >>> erlang.agents_for_service_level(200, 180, 0.8, 20, patience=120)   # Erlang A, mean patience 120 s
        12
    """
    shape, (lam, s, tgt, t, pat) = _flat(rate_per_hour=rate_per_hour, aht=aht, target=target, threshold=threshold,
                                         patience=np.inf if patience is None else patience)
    if patience is None:
        meets = lambda n, i: _service_level(_a(lam, s, i), s[i], n, t[i], _erlang_c(_a(lam, s, i), n)) >= tgt[i]  # noqa: E731
    else:
        meets = lambda n, i: _erlang_a(lam[i], s[i], n, pat[i], t[i], with_asa=False)["service_level"] >= tgt[i]  # noqa: E731
    return _smallest_agents(meets, lam, s, pat, max_occupancy, shape, ("target", tgt))


def agents_for_asa(rate_per_hour, aht, target_asa, patience=None, max_occupancy=None):
    """Smallest number of agents with ASA <= target_asa seconds (Erlang A: answered contacts).

    Example:
        >>> erlang.agents_for_asa(200, 180, 30)       # ASA at most 30 s
        13
    """
    shape, (lam, s, tgt, pat) = _flat(rate_per_hour=rate_per_hour, aht=aht, target_asa=target_asa,
                                      patience=np.inf if patience is None else patience)
    if patience is None:
        meets = lambda n, i: _asa(_a(lam, s, i), s[i], n, _erlang_c(_a(lam, s, i), n)) <= tgt[i]  # noqa: E731
    else:
        meets = lambda n, i: np.nan_to_num(  # noqa: E731
            _erlang_a(lam[i], s[i], n, pat[i], np.zeros_like(n), with_asa=True)["asa"], nan=np.inf) <= tgt[i]
    return _smallest_agents(meets, lam, s, pat, max_occupancy, shape, ("target_asa", tgt))


def agents_for_abandon_rate(rate_per_hour, aht, max_abandon, patience, max_occupancy=None):
    """Smallest number of agents with Erlang A P(abandon) <= max_abandon (patience mean in seconds).

    Example:
        >>> erlang.agents_for_abandon_rate(200, 180, 0.05, 120)   # at most 5% abandon, mean patience 120 s
        13
    """
    shape, (lam, s, tgt, pat) = _flat(rate_per_hour=rate_per_hour, aht=aht, max_abandon=max_abandon,
                                      patience=patience)
    meets = lambda n, i: _erlang_a(lam[i], s[i], n, pat[i], np.zeros_like(n), with_asa=False)["p_abandon"] <= tgt[i]  # noqa: E731
    return _smallest_agents(meets, lam, s, pat, max_occupancy, shape, ("max_abandon", tgt))


# --- internals -------------------------------------------------------------------------------


def _arrays(*values) -> list[np.ndarray]:
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in values))
    return [np.array(x, dtype=float) for x in arrays]


def _valid(**named) -> list[np.ndarray]:
    """The named arguments checked (`erlang_checks`) and broadcast together, in order."""
    arrays = dict(zip(named, (checked(name, value) for name, value in named.items())))
    try:
        out = _arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{name} {x.shape}" for name, x in arrays.items())
        raise ErlangArgumentError(tuple(named), f"must broadcast together, got shapes {shapes}") from None
    if "rate_per_hour" in arrays:                # load limits, indexed by the arrays that set the load
        check_load(*_arrays(*(arrays[k] for k in ("rate_per_hour", "aht", "patience") if k in arrays)))
    return out


def _flat(**named) -> tuple[tuple[int, ...], list[np.ndarray]]:
    """The broadcast shape of the checked arguments, and each of them broadcast and flattened."""
    arrays = _valid(**named)
    return arrays[0].shape, [x.ravel() for x in arrays]


def _out(x):
    x = np.asarray(x)
    return x[()] if x.ndim == 0 else x


def _log_inv_erlang_b(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    """ln(1/B(n, a)); 1/B = e^a a^-n n! Q(n+1, a), the Poisson CDF over its last term."""
    out = np.zeros_like(a)                      # B = 1 for n = 0
    pos = (a > 0) & (n > 0)
    out[(a == 0) & (n > 0)] = np.inf            # nothing offered, nothing blocked
    ap, npos = a[pos], n[pos]
    with np.errstate(divide="ignore"):
        log_q = np.log(special.gammaincc(npos + 1.0, ap))
    value = ap - npos * np.log(ap) + special.gammaln(npos + 1.0) + log_q
    # Far overload underflows Q: sum 1/B = sum_j n(n-1)...(n-j+1) / a^j directly, terms shrink fast.
    bad = ~np.isfinite(value)
    if np.any(bad):
        nb, ab = npos[bad], ap[bad]
        value[bad] = _log_series(lambda r, j: np.log(np.maximum(nb[r, None] - j + 1.0, 1e-300) / ab[r, None]),
                                 nb.size, limit=nb)
    out[pos] = value
    return out


def _service_level(a, s, n, t, c) -> np.ndarray:
    """M/M/n P(wait <= t) from traffic a, aht s, agents n and Erlang C c."""
    with np.errstate(invalid="ignore", over="ignore"):
        sl = 1.0 - c * np.exp(-(n - a) * t / s)
    return np.where(a < n, sl, np.where(a == 0, 1.0, 0.0))


def _asa(a, s, n, c) -> np.ndarray:
    """M/M/n mean wait (s) from traffic a, aht s, agents n and Erlang C c."""
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_wait = c * s / (n - a)
    return np.where(a < n, mean_wait, np.where(a == 0, 0.0, np.inf))


def _occupancy(a, n) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, np.minimum(a / n, 1.0), np.where(a > 0, 1.0, 0.0))


def _erlang_c(a: np.ndarray, n: np.ndarray) -> np.ndarray:
    rho = np.divide(a, n, out=np.full_like(a, np.inf), where=n > 0)
    b = np.exp(-_log_inv_erlang_b(a, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        c = b / (1.0 - rho * (1.0 - b))
    return np.where(a == 0, 0.0, np.where(rho < 1.0, np.minimum(c, 1.0), 1.0))


def _erlang_a(lam, s, n, pat, t, with_asa: bool) -> dict[str, np.ndarray | float]:
    """erlang_a on broadcast arrays; the mean wait (a slower series) only when asked."""
    lam_s = lam / 3600.0
    a = lam_s * s
    theta = np.where(np.isfinite(pat), 1.0 / pat, 0.0)
    live = (a > 0) & (n > 0) & (theta > 0)
    out = {key: np.zeros_like(a) for key in ("p_wait", "p_abandon", "p_answered_within", "p_abandon_within",
                                              "asa", "occupancy")}
    if not np.all(live):                          # the answer for every element without abandonment
        rest = ~live
        for key, value in _erlang_c_measures(a[rest], s[rest], n[rest], t[rest], with_asa).items():
            out[key][rest] = value
    if np.any(live):
        parts = _erlang_a_measures(lam_s[live], s[live], n[live], theta[live], t[live], with_asa)
        for key, value in parts.items():
            out[key][live] = value
    no_agents = (n == 0) & (a > 0) & (theta > 0)  # everybody waits until patience runs out
    for key, value in {"p_wait": 1.0, "p_abandon": 1.0, "p_answered_within": 0.0, "p_abandon_within": None,
                       "asa": np.nan, "occupancy": 0.0}.items():
        out[key][no_agents] = value if value is not None else -np.expm1(-theta[no_agents] * t[no_agents])
    with np.errstate(divide="ignore", invalid="ignore"):
        sl = out["p_answered_within"] / (1.0 - out["p_abandon_within"])
    out["service_level"] = np.where(out["p_abandon_within"] < 1.0, np.minimum(sl, 1.0), 0.0)
    if not with_asa:
        del out["asa"]
    return {key: _out(value) for key, value in out.items()}


def _erlang_c_measures(a, s, n, t, with_asa: bool) -> dict[str, np.ndarray]:
    """The Erlang A measures where nobody abandons (traffic a in Erlangs)."""
    c = _erlang_c(a, n)
    out = {"p_wait": c, "p_answered_within": _service_level(a, s, n, t, c), "occupancy": _occupancy(a, n)}
    return out | {"asa": _asa(a, s, n, c)} if with_asa else out


def _erlang_a_measures(lam_s, s, n, theta, t, with_asa: bool) -> dict[str, np.ndarray]:
    """Erlang A for elements with traffic, agents and abandonment all positive."""
    x = n / (s * theta)                     # n*mu/theta
    y = lam_s / theta                       # lambda/theta
    rho = y / x
    log_a_y = _log_kummer(x, y)
    # P(wait) = A B / (1 + (A - 1) B) = 1 / (1 + (1/B - 1) / A)
    log_inv_b = _log_inv_erlang_b(lam_s * s, n)
    with np.errstate(over="ignore"):
        p_wait = 1.0 / (1.0 + np.exp(_log_expm1(log_inv_b) - log_a_y))
    inv_a_y = np.exp(-log_a_y)
    p_abandon_given_wait = 1.0 - (1.0 - inv_a_y) / rho
    # Offered wait V of a waiting contact: P(V > t) = P(x, z) / P(x, y), z = y e^(-theta t);
    # both in terms of A: P(x, z) = z^x e^-z A(x, z) / Gamma(x + 1).
    z = y * np.exp(-theta * t)
    log_a_z = _log_kummer(x, z)
    log_scale = -x * theta * t + y - z - log_a_y              # ln of z^x e^-z / (y^x e^-y A(x, y))
    scale, scale_a_z = np.exp(log_scale), np.exp(log_scale + log_a_z)   # the product, not A(x, z): no overflow
    answered_within_given_wait = ((1.0 - inv_a_y) - (scale_a_z - scale)) / rho
    abandon_within_given_wait = ((y - x * (1.0 - inv_a_y)) - (z * scale_a_z - x * (scale_a_z - scale))) / y
    p_abandon = p_wait * p_abandon_given_wait
    out = {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "p_answered_within": (1.0 - p_wait) + p_wait * np.clip(answered_within_given_wait, 0.0, 1.0),
        "p_abandon_within": p_wait * np.clip(abandon_within_given_wait, 0.0, 1.0),
        "occupancy": np.minimum(lam_s * s * (1.0 - p_abandon) / n, 1.0),
    }
    if with_asa:
        # Found j waiting with prob u_j / A; E[V; answered] = x / (theta y) * sum_{j>=1} (u_j / A) H_j.
        served_wait_given_wait = x / (theta * y) * _harmonic_kummer(x, y, log_a_y)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["asa"] = p_wait * served_wait_given_wait / (1.0 - p_abandon)
    return out


def _log_expm1(log_x: np.ndarray) -> np.ndarray:
    """ln(e^v - 1) for v = log_x >= 0, stable for large v."""
    with np.errstate(divide="ignore"):
        return np.where(log_x > 30.0, log_x, np.log(np.expm1(log_x)))


def _log_kummer(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """ln A(x, y), A = 1F1(1; x+1; y) = x e^y y^-x gamma(x, y) (lower incomplete gamma)."""
    out = np.zeros_like(x)                      # A(x, 0) = 1
    pos = y > 0
    xp, yp = x[pos], y[pos]
    with np.errstate(divide="ignore"):
        log_p = np.log(special.gammainc(xp, yp))
    value = np.log(xp) + yp - xp * np.log(yp) + special.gammaln(xp) + log_p
    # Where the regularized gamma underflows or the load is light, the series converges fast.
    series = ~np.isfinite(value) | (yp < 0.5 * xp)
    if np.any(series):
        xs, ys = xp[series], yp[series]
        value[series] = _log_series(lambda r, j: np.log(ys[r, None] / (xs[r, None] + j)), xs.size, limit=None)
    out[pos] = value
    return out


def _log_series(log_ratio: Callable[[np.ndarray, np.ndarray], np.ndarray], size: int,
                limit: np.ndarray | None) -> np.ndarray:
    """ln sum_{j>=0} prod_{i<=j} r_i for each of `size` rows; ln r_j = log_ratio(rows, j) (rows x len(j)).

    Terms must eventually decrease; `limit` caps the number of terms per row (finite sums).
    """
    log_total = np.zeros(size)                  # the j = 0 term is 1
    for rows, j, carry in _blocks(size):
        steps = log_ratio(rows, j)
        if limit is not None:
            steps = np.where(j[None, :] <= limit[rows, None], steps, -np.inf)
        logs = carry.get("log_term", 0.0) + np.cumsum(steps, axis=1)
        log_total[rows] = np.logaddexp(log_total[rows], special.logsumexp(logs, axis=1))
        carry["log_term"] = logs[:, -1:]
        carry["done"] = (steps[:, -1] < 0) & (logs[:, -1] - log_total[rows] < _TAIL)
    return log_total


def _harmonic_kummer(x: np.ndarray, y: np.ndarray, log_a_y: np.ndarray) -> np.ndarray:
    """sum_{j>=1} (u_j / A(x, y)) H_j with u_j = y^j / ((x+1)...(x+j)), H_j = sum_{i=1..j} 1/(x+i).

    When overloaded (y > x) the terms peak near j = y - x; those more than
    d = sqrt(2 y (50 + ln(1 + y) / 2)) before the peak add up to less than e^-50 of it and
    are skipped, so the sum costs O(sqrt(y)) terms, not O(y - x).
    """
    skip = np.floor(np.maximum(y - x - np.sqrt(2.0 * y * (50.0 + 0.5 * np.log1p(y))), 0.0))
    far = skip > 0
    log_u, harmonic = -log_a_y.copy(), np.zeros_like(x)       # u_0 = 1, H_0 = 0
    xf, sf = x[far], skip[far]
    log_u[far] += sf * np.log(y[far]) - (special.gammaln(xf + sf + 1.0) - special.gammaln(xf + 1.0))
    harmonic[far] = special.digamma(xf + sf + 1.0) - special.digamma(xf + 1.0)
    total = np.zeros_like(x)
    for rows, j, carry in _blocks(x.size):
        x_j = x[rows, None] + skip[rows, None] + j
        steps = np.log(y[rows, None] / x_j)
        logs = carry.get("log_u", log_u[rows, None]) + np.cumsum(steps, axis=1)
        h = carry.get("harmonic", harmonic[rows, None]) + np.cumsum(1.0 / x_j, axis=1)
        total[rows] += np.sum(np.exp(logs) * h, axis=1)
        carry["log_u"], carry["harmonic"] = logs[:, -1:], h[:, -1:]
        carry["done"] = (steps[:, -1] < 0) & (np.exp(logs[:, -1]) * h[:, -1] <= 1e-17 * total[rows])
    return total


def _blocks(size: int):
    """Yield (rows, j, carry) for a series summed in growing blocks of terms j = 1, 2, ...

    The caller stores per-row state in `carry` (arrays over `rows`) and sets carry["done"];
    finished rows drop out, so a few slow rows do not cost the others.
    """
    rows = np.arange(size)
    carry: dict[str, np.ndarray] = {}
    start, width = 1, 32
    while rows.size:
        j = np.arange(start, start + width, dtype=float)
        yield rows, j, carry
        keep = ~carry.pop("done")
        rows = rows[keep]
        for key, value in carry.items():
            carry[key] = value[keep]
        start, width = start + width, min(2 * width, _BLOCK)


def _a(lam: np.ndarray, s: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Traffic in Erlangs of the flat elements `rows`."""
    return lam[rows] * s[rows] / 3600.0


def _smallest_agents(meets, lam, s, patience, max_occupancy, shape: tuple[int, ...],
                     goal: tuple[str, np.ndarray]) -> np.ndarray | int:
    """Smallest integer n >= 0 with meets(n) and occupancy <= max_occupancy, by stepping up then bisection.

    `lam`, `s` and `patience` are flat; `meets(n, rows)` judges agents `n` for the elements
    `rows` only, so elements that are settled cost nothing more. The answer has `shape`. No
    arrivals need no agents; the criteria are monotone in n. No search goes past
    `search_bound`: a goal (name, flat values) still unmet there raises ErlangArgumentError.
    """
    a = lam * s / 3600.0
    cap = 1.0 if max_occupancy is None else float(_valid(max_occupancy=max_occupancy)[0])
    check_search_size(a.reshape(shape), cap)
    bound = search_bound(a, cap)

    def ok(n: np.ndarray, rows: np.ndarray) -> np.ndarray:
        passed = (a[rows] == 0) | meets(n, rows)
        if cap < 1.0 and np.any(np.isfinite(patience[rows])):
            busy = _erlang_a(lam[rows], s[rows], n, patience[rows], np.zeros_like(n), with_asa=False)["occupancy"] * n
            return (a[rows] == 0) | (passed & (busy <= cap * n))
        if cap < 1.0:
            return (a[rows] == 0) | (passed & (a[rows] <= cap * n))
        return np.asarray(passed, dtype=bool)

    everyone = np.arange(a.size)
    step = np.ceil(2.0 * np.sqrt(a)) + 1.0               # square-root staffing: the answer is usually close
    # Without abandonment (or with a cap) fewer than traffic / cap agents never suffice;
    # with abandonment the answer may lie below the traffic, so the first guess is below it.
    low = np.where((a > 0) & ~np.isfinite(patience), np.floor(a / cap), np.maximum(np.floor(a) - step, 0.0))
    high = np.minimum(low + step, bound)
    passed = np.asarray(ok(low, everyone), dtype=bool)
    high[passed] = low[passed]
    rows, down = everyone[passed], step.copy()
    while rows.size:                                     # step down until low fails (or is -1)
        low[rows] = np.maximum(low[rows] - down[rows], -1.0)
        rows = rows[low[rows] >= 0]
        still = rows[np.asarray(ok(low[rows], rows), dtype=bool)]
        high[still], down[still] = low[still], 2.0 * down[still]
        rows = still
    rows = everyone[~passed]
    while rows.size:                                     # step up until high passes, at most to the bound
        failed = rows[~np.asarray(ok(high[rows], rows), dtype=bool)]
        _refuse_unmet(goal, failed[high[failed] >= bound[failed]], a, bound, shape)
        low[failed] = high[failed]
        high[failed] = np.minimum(high[failed] + step[failed], bound[failed])
        step[failed] *= 2.0
        rows = failed
    rows = everyone[high - low > 1.0]                    # now low fails (or is -1) and high passes
    while rows.size:                                     # bisection on the elements still open
        mid = np.floor((low[rows] + high[rows]) / 2.0)
        passed = np.asarray(ok(mid, rows), dtype=bool)
        high[rows[passed]] = mid[passed]
        low[rows[~passed]] = mid[~passed]
        rows = rows[high[rows] - low[rows] > 1.0]
    return int(high[0]) if shape == () else high.reshape(shape).astype(np.int64)


def _refuse_unmet(goal: tuple[str, np.ndarray], unmet: np.ndarray, a: np.ndarray, bound: np.ndarray,
                  shape: tuple[int, ...]) -> None:
    """Raise for the first element whose goal is still unmet at the search bound."""
    if not unmet.size:
        return
    name, values = goal
    i = int(unmet[0])
    where = "" if shape == () else f" at index {np.unravel_index(i, shape)[0] if len(shape) == 1 else np.unravel_index(i, shape)}"
    raise ErlangArgumentError((name,), f"{values[i]:g} is not met with {bound[i]:.0f} agents, the most searched for "
                              f"traffic {a[i]:g} Erlangs (traffic + 10 sqrt(traffic) + 100, or traffic / "
                              f"max_occupancy){where}; ask for a less extreme target")
