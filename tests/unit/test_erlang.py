"""ccsim.erlang against exact reference values, brute force and limiting cases."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ccsim import erlang

REFERENCE = json.loads((Path(__file__).parents[1] / "data" / "erlang_reference.json").read_text())
C_CASES = [c for c in REFERENCE["cases"] if c["model"] == "erlang_c"]
A_CASES = [c for c in REFERENCE["cases"] if c["model"] == "erlang_a"]


def _ids(cases):
    return [f"{c['rate_per_hour']}/h-{c['aht']}s-{c['agents']}ag" for c in cases]


@pytest.mark.parametrize("case", C_CASES, ids=_ids(C_CASES))
def test_erlang_c_matches_reference(case):
    rate, aht, n, t = case["rate_per_hour"], case["aht"], case["agents"], case["threshold"]
    assert erlang.erlang_c(rate * aht / 3600, n) == pytest.approx(case["p_wait"], rel=1e-10)
    assert erlang.service_level(rate, aht, n, t) == pytest.approx(case["service_level"], rel=1e-10)
    assert erlang.asa(rate, aht, n) == pytest.approx(case["asa"], rel=1e-10)
    assert erlang.occupancy(rate, aht, n) == pytest.approx(case["occupancy"], rel=1e-12)


@pytest.mark.parametrize("case", A_CASES, ids=_ids(A_CASES))
def test_erlang_a_matches_reference(case):
    got = erlang.erlang_a(case["rate_per_hour"], case["aht"], case["agents"], case["patience"], case["threshold"])
    for key in ("p_wait", "p_abandon", "p_answered_within", "p_abandon_within", "service_level", "asa"):
        assert got[key] == pytest.approx(case[key], rel=1e-10), key


@pytest.mark.parametrize("case", REFERENCE["required_agents_80_20"], ids=lambda c: f"{c['rate_per_hour']}/h")
def test_required_agents_match_reference(case):
    n = erlang.agents_for_service_level(case["rate_per_hour"], case["aht"], case["target"], case["threshold"])
    assert n == case["agents"]


def test_vectorized_calls_equal_scalar_calls():
    rate = np.array([c["rate_per_hour"] for c in C_CASES], dtype=float)
    aht = np.array([c["aht"] for c in C_CASES], dtype=float)
    n = np.array([c["agents"] for c in C_CASES], dtype=float)
    t = np.array([c["threshold"] for c in C_CASES], dtype=float)
    sl = erlang.service_level(rate, aht, n, t)
    assert sl.shape == rate.shape
    assert sl.tolist() == [erlang.service_level(*args) for args in zip(rate, aht, n, t)]
    both = erlang.erlang_a(rate[:, None], aht[:, None], n[:, None], np.array([60.0, 600.0]), 20)
    assert both["p_abandon"].shape == (len(rate), 2)
    assert both["asa"][3, 1] == erlang.erlang_a(rate[3], aht[3], n[3], 600.0, 20)["asa"]
    required = erlang.agents_for_service_level(rate, aht, 0.8, t)
    assert required.tolist() == [erlang.agents_for_service_level(*args) for args in zip(rate, aht, [0.8] * len(t), t)]


def test_thousands_of_agents_stay_finite():
    agents = np.arange(1, 5001, dtype=float)
    for load in (0.5, 0.9, 0.99, 0.999):
        rate = load * agents * 3600 / 300
        for values in (erlang.erlang_c(load * agents, agents), erlang.service_level(rate, 300, agents, 20),
                       erlang.asa(rate, 300, agents), erlang.erlang_b(load * agents, agents)):
            assert np.all(np.isfinite(values)) and np.all(values >= 0)
        sample = agents[::250]
        a = erlang.erlang_a(load * sample * 3600 / 300, 300, sample, 180, 20)
        for key, values in a.items():
            assert np.all(np.isfinite(values)), key
            assert np.all((values >= 0) & ((values <= 1) | (key == "asa"))), key


def test_unstable_load_has_defined_answer():
    assert erlang.erlang_c(12.0, 10) == 1.0
    assert erlang.erlang_c(10.0, 10) == 1.0
    assert erlang.service_level(300, 180, 10, 20) == 0.0
    assert erlang.asa(300, 180, 10) == np.inf
    assert erlang.occupancy(300, 180, 10) == 1.0
    assert erlang.erlang_b(1000.0, 10) == pytest.approx(1 - 10 / 1000, abs=1e-4)


def test_no_traffic_needs_no_agents():
    assert erlang.erlang_c(0.0, 5) == 0.0
    assert erlang.service_level(0, 180, 5, 20) == 1.0
    assert erlang.asa(0, 180, 5) == 0.0
    assert erlang.agents_for_service_level(np.array([0.0, 100.0]), 300, 0.8, 20).tolist() == [0, 12]


@settings(max_examples=60, deadline=None)
@given(traffic=st.floats(0.01, 300), agents=st.integers(1, 400))
def test_erlang_b_equals_the_recursion(traffic, agents):
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    assert erlang.erlang_b(traffic, agents) == pytest.approx(b, rel=1e-9)


def _birth_death(rate_per_hour, aht, agents, patience):
    """P(wait) and P(abandon) of M/M/n+M from its truncated birth-death chain."""
    lam, mu, theta = rate_per_hour / 3600, 1 / aht, 1 / patience
    states = agents + 4000
    log_p = np.zeros(states)
    for k in range(1, states):
        death = min(k, agents) * mu + max(k - agents, 0) * theta
        log_p[k] = log_p[k - 1] + np.log(lam / death)
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    queue = np.maximum(np.arange(states) - agents, 0)
    return p[agents:].sum(), theta * (p * queue).sum() / lam


@settings(max_examples=40, deadline=None)
@given(agents=st.integers(1, 80), load=st.floats(0.3, 1.4), aht=st.floats(60, 900), patience=st.floats(20, 1200))
def test_erlang_a_equals_birth_death_chain(agents, load, aht, patience):
    rate = load * agents * 3600 / aht
    p_wait, p_abandon = _birth_death(rate, aht, agents, patience)
    got = erlang.erlang_a(rate, aht, agents, patience, 20)
    assert got["p_wait"] == pytest.approx(p_wait, rel=1e-8, abs=1e-12)
    assert got["p_abandon"] == pytest.approx(p_abandon, rel=1e-8, abs=1e-12)
    assert got["occupancy"] == pytest.approx(load * (1 - p_abandon), rel=1e-8)


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    a = erlang.erlang_a(360, 240, 28, 1e9, 20)
    assert a["p_wait"] == pytest.approx(erlang.erlang_c(24.0, 28), rel=1e-5)
    assert a["service_level"] == pytest.approx(erlang.service_level(360, 240, 28, 20), rel=1e-5)
    assert a["asa"] == pytest.approx(erlang.asa(360, 240, 28) / (1 - a["p_abandon"]), rel=1e-4)
    assert erlang.erlang_a(360, 240, 28, np.inf, 20)["p_abandon"] == 0.0


def test_staffing_is_the_smallest_number_meeting_the_target():
    rate, aht = 600.0, 240.0
    n = erlang.agents_for_service_level(rate, aht, 0.9, 15)
    assert erlang.service_level(rate, aht, n, 15) >= 0.9 > erlang.service_level(rate, aht, n - 1, 15)
    n = erlang.agents_for_asa(rate, aht, 10)
    assert erlang.asa(rate, aht, n) <= 10 < erlang.asa(rate, aht, n - 1)
    n = erlang.agents_for_service_level(rate, aht, 0.8, 20, patience=120)
    sl = [erlang.erlang_a(rate, aht, k, 120, 20)["service_level"] for k in (n - 1, n)]
    assert sl[1] >= 0.8 > sl[0]
    n = erlang.agents_for_asa(rate, aht, 10, patience=120)
    assert erlang.erlang_a(rate, aht, n, 120)["asa"] <= 10 < erlang.erlang_a(rate, aht, n - 1, 120)["asa"]
    n = erlang.agents_for_abandon_rate(rate, aht, 0.03, patience=120)
    assert erlang.erlang_a(rate, aht, n, 120)["p_abandon"] <= 0.03 < erlang.erlang_a(rate, aht, n - 1, 120)["p_abandon"]


def test_occupancy_cap_adds_agents():
    rate, aht = 1200.0, 300.0                   # 100 Erlangs: 80/20 needs 108 agents at 92.6% occupancy
    assert erlang.agents_for_service_level(rate, aht, 0.8, 20) == 108
    capped = erlang.agents_for_service_level(rate, aht, 0.8, 20, max_occupancy=0.85)
    assert capped == 118 and erlang.occupancy(rate, aht, capped) <= 0.85 < erlang.occupancy(rate, aht, capped - 1)
