"""ccsim.erlang refuses bad arguments with a ValueError naming them, and every search terminates."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsim import erlang

# Each public function with valid keyword arguments; one argument at a time is made bad below.
CALLS = {
    "traffic": (erlang.traffic, dict(rate_per_hour=100.0, aht=240.0)),
    "erlang_b": (erlang.erlang_b, dict(traffic=10.0, agents=12)),
    "erlang_c": (erlang.erlang_c, dict(traffic=10.0, agents=12)),
    "service_level": (erlang.service_level, dict(rate_per_hour=100.0, aht=240.0, agents=12, threshold=20.0)),
    "asa": (erlang.asa, dict(rate_per_hour=100.0, aht=240.0, agents=12)),
    "occupancy": (erlang.occupancy, dict(rate_per_hour=100.0, aht=240.0, agents=12)),
    "erlang_a": (erlang.erlang_a, dict(rate_per_hour=100.0, aht=240.0, agents=12, patience=60.0, threshold=20.0)),
    "agents_for_service_level": (erlang.agents_for_service_level,
                                 dict(rate_per_hour=100.0, aht=240.0, target=0.8, threshold=20.0, patience=60.0,
                                      max_occupancy=0.9)),
    "agents_for_asa": (erlang.agents_for_asa,
                       dict(rate_per_hour=100.0, aht=240.0, target_asa=15.0, patience=60.0, max_occupancy=0.9)),
    "agents_for_abandon_rate": (erlang.agents_for_abandon_rate,
                                dict(rate_per_hour=100.0, aht=240.0, max_abandon=0.05, patience=60.0,
                                     max_occupancy=0.9)),
}

NAN, INF = float("nan"), float("inf")
BAD = {   # argument -> values it must refuse
    "rate_per_hour": [NAN, INF, -INF, -1.0, "many", None],
    "traffic": [NAN, INF, -10.0, 2e6],
    "aht": [NAN, INF, 0.0, -5.0],
    "agents": [NAN, INF, -3, 2.5, 2e9],
    "threshold": [NAN, INF, -1.0],
    "patience": [NAN, 0.0, -60.0, -INF],
    "target": [NAN, 0.0, -0.2, 1.5, INF],
    "target_asa": [NAN, 0.0, -1.0, INF],
    "max_abandon": [NAN, 0.0, 1.5],
    "max_occupancy": [NAN, 0.0, -1.0, 1.5],
}
CASES = [(f, arg, bad) for f, (_, kwargs) in CALLS.items() for arg in kwargs for bad in BAD[arg]]


def test_every_public_function_is_covered():
    assert set(CALLS) == {name for name in erlang.__all__ if callable(getattr(erlang, name))
                          and not isinstance(getattr(erlang, name), type)}


@pytest.mark.parametrize(("function", "argument", "bad"), CASES, ids=[f"{f}-{a}={b!r}" for f, a, b in CASES])
def test_bad_argument_raises_value_error_naming_it(function, argument, bad):
    call, kwargs = CALLS[function]
    with pytest.raises(ValueError, match=argument):
        call(**{**kwargs, argument: bad})


def test_reported_examples():
    with pytest.raises(ValueError, match=r"rate_per_hour must be finite and >= 0, got nan"):
        erlang.agents_for_service_level(np.nan, 240, 0.8, 20)
    with pytest.raises(ValueError, match=r"target must be in \(0, 1\], got 1.5"):
        erlang.agents_for_service_level(100, 240, 1.5, 20)
    with pytest.raises(ValueError, match=r"traffic must be from 0 to 1e\+06 Erlangs.*got -10"):
        erlang.erlang_c(-10, 5)
    with pytest.raises(ValueError, match=r"agents must be whole numbers from 0 to 1e\+09, got -3"):
        erlang.service_level(100, 240, -3, 20)
    with pytest.raises(ValueError, match=r"patience must be > 0 seconds.*got 0"):
        erlang.erlang_a(100, 240, 5, 0, 20)


def test_arrays_are_checked_elementwise_with_the_index():
    with pytest.raises(ValueError, match=r"rate_per_hour must be finite and >= 0, got nan at index 2"):
        erlang.service_level([100.0, 50.0, np.nan], 240, 12, 20)
    with pytest.raises(ValueError, match=r"target must be in \(0, 1\], got 1.5 at index 1"):
        erlang.agents_for_service_level([100.0, 50.0], 240, [0.8, 1.5], 20)
    with pytest.raises(ValueError, match=r"agents must be whole numbers.*got 2.5 at index \(1, 0\)"):
        erlang.erlang_c(5.0, np.array([[6.0], [2.5]]))
    with pytest.raises(ValueError, match=r"rate_per_hour, aht and agents must broadcast together"):
        erlang.asa([1.0, 2.0], [240.0, 240.0, 240.0], 3)


def test_empty_arrays_give_empty_answers():
    assert erlang.service_level(np.array([]), 240, 12, 20).shape == (0,)
    assert erlang.agents_for_service_level(np.array([]), 240, 0.8, 20).shape == (0,)


def test_load_limits_are_refused_with_the_numbers():
    with pytest.raises(ValueError, match=r"rate_per_hour and aht must give traffic .* <= 1e\+06 Erlangs.*got 1e\+16"):
        erlang.agents_for_service_level(1e16, 3600, 0.8, 20)
    with pytest.raises(ValueError, match=r"rate_per_hour and aht .*got inf Erlangs"):
        erlang.service_level(100, 1e308, 5, 20)
    with pytest.raises(ValueError, match=r"rate_per_hour and patience .* <= 1e\+08 .*got 2.77778e\+298"):
        erlang.erlang_a(100, 240, 5, 1e300, 20)
    with pytest.raises(ValueError, match=r"max_occupancy must keep traffic / max_occupancy <= 1e\+09 agents"):
        erlang.agents_for_service_level(3600, 3600, 0.8, 20, max_occupancy=1e-12)


def test_infinite_patience_is_erlang_c():
    assert erlang.erlang_a(360, 240, 28, np.inf, 20)["service_level"] == erlang.service_level(360, 240, 28, 20)
    assert erlang.agents_for_service_level(360, 240, 0.8, 20, patience=np.inf) == \
        erlang.agents_for_service_level(360, 240, 0.8, 20)


def test_unreachable_targets_end_with_a_clear_error():
    with pytest.raises(ValueError, match=r"target_asa 1e-300 is not met with 133 agents.*traffic 6.66667 Erlangs"):
        erlang.agents_for_asa(100, 240, 1e-300)
    with pytest.raises(ValueError, match=r"max_abandon 1e-300 is not met with \d+ agents"):
        erlang.agents_for_abandon_rate(100, 240, 1e-300, patience=60)


def test_a_service_level_of_one_is_met_within_the_bound():
    """Above traffic + 10 sqrt(traffic) + 100 agents P(wait) < 1e-19, so target 1 is reached in floating point."""
    for traffic in (0.01, 7.0, 5000.0, 1e6):
        rate = traffic * 3600 / 300
        n = erlang.agents_for_service_level(rate, 300, 1.0, 0.0)
        assert traffic < n <= traffic + 10 * traffic**0.5 + 100
        assert erlang.service_level(rate, 300, n, 0.0) == 1.0 > erlang.service_level(rate, 300, n - 1, 0.0)


def test_overloaded_erlang_a_mean_wait_skips_only_negligible_terms():
    """The series behind Erlang A's ASA, summed from its peak region, equals the full sum (brute force)."""
    x, y = np.array([10.0, 200.0]), np.array([5000.0, 20000.0])     # y - x far beyond sqrt(y): terms skipped
    log_a = erlang._log_kummer(x, y)
    got = erlang._harmonic_kummer(x, y, log_a)
    for k in range(2):
        j = np.arange(1, 60000, dtype=float)
        log_u = np.cumsum(np.log(y[k] / (x[k] + j))) - log_a[k]
        expected = np.sum(np.exp(log_u) * np.cumsum(1.0 / (x[k] + j)))
        assert got[k] == pytest.approx(expected, rel=1e-9)


EXTREME_VALID = [
    "erlang.agents_for_service_level(3.6e8, 10, 0.8, 20)",                     # 1e6 Erlangs, the limit
    "erlang.agents_for_service_level(3.6e8, 10, 0.999999, 0, patience=0.36)",
    "erlang.agents_for_asa(3.6e7, 100, 1e-3, patience=1e4)",
    "erlang.agents_for_abandon_rate(3.6e5, 1000, 1e-12, patience=1000)",
    "erlang.erlang_a(3.6e5, 1, 10, 1e3, 20)['asa']",                            # y = 1e8, overloaded
    "erlang.agents_for_service_level(3.6e6, 1, 0.5, 20, max_occupancy=1e-3)",
]
EXTREME_BAD = [
    "erlang.agents_for_service_level(float('inf'), 240, 0.8, 20)",
    "erlang.agents_for_service_level(1e16, 3600, 0.8, 20)",
    "erlang.agents_for_asa(100, 240, 0.0)",
    "erlang.agents_for_service_level(100, 240, 0.8, 20, patience=1e300)",
]


def test_searches_on_extreme_inputs_finish():
    """All in one fresh interpreter with a timeout: a hang fails the test instead of blocking the suite."""
    lines = [f"print(float({code}))" for code in EXTREME_VALID]
    lines += [f"try:\n    {code}\nexcept ValueError:\n    print('refused')" for code in EXTREME_BAD]
    try:
        done = subprocess.run([sys.executable, "-c", "\n".join(["from ccsim import erlang", *lines])],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        raise AssertionError("an Erlang search did not finish within 120 s") from None
    assert done.returncode == 0, done.stderr
    out = done.stdout.split()
    assert len(out) == len(EXTREME_VALID) + len(EXTREME_BAD)
    assert all(np.isfinite(float(v)) and float(v) >= 0 for v in out[:len(EXTREME_VALID)])
    assert out[len(EXTREME_VALID):] == ["refused"] * len(EXTREME_BAD)


@settings(max_examples=60, deadline=None)
@given(rate=st.floats(0.01, 1e5), aht=st.floats(1.0, 3600.0), target=st.floats(0.01, 0.999),
       threshold=st.floats(0.0, 600.0), patience=st.one_of(st.none(), st.floats(1.0, 3600.0)))
def test_search_returns_the_smallest_agent_count_meeting_the_target(rate, aht, target, threshold, patience):
    n = erlang.agents_for_service_level(rate, aht, target, threshold, patience)
    assert isinstance(n, int) and 0 <= n <= erlang.traffic(rate, aht) + 10 * erlang.traffic(rate, aht)**0.5 + 100

    def sl(k):
        if patience is None:
            return erlang.service_level(rate, aht, k, threshold)
        return erlang.erlang_a(rate, aht, k, patience, threshold)["service_level"]

    assert sl(n) >= target
    assert n == 0 or sl(n - 1) < target


def test_erlang_a_stays_finite_when_the_kummer_function_overflows():
    """200 contacts/s on 1 agent: A(x, y) overflows a double; the threshold terms are formed in log space."""
    got = erlang.erlang_a(28800, 1, 1, 144, 0)
    assert all(np.isfinite(v) for v in got.values())
    assert got["p_abandon_within"] == 0.0 and got["p_abandon"] == pytest.approx(0.875)
