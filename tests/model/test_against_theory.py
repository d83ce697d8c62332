"""The engine against queueing theory: M/M/c against Erlang C, M/M/c+M against Erlang A.

Each analytic value must lie inside the simulation's 99% Student-t confidence interval
over independent replications (fixed seeds, so the outcome is deterministic). A 99%
interval fails a correct model 1 time in 100 per check; the replication counts make
the intervals narrow enough (about ±1 point of service level) that a modelling error of
a few points — a wrong queue discipline, a lost contact, a patience clock that keeps
running after the answer — falls outside.
"""

from __future__ import annotations

import pytest

import ccsim
from tests.model.helpers import assert_in_ci, kpi_samples, p_wait_samples, single_queue

# (rate per hour, AHT s, agents): offered load per agent 0.71 and 0.95
ERLANG_C_CASES = [(200, 180, 14), (570, 300, 50)]


@pytest.mark.parametrize("rate, aht, agents", ERLANG_C_CASES)
def test_mmc_matches_erlang_c(rate, aht, agents):
    sc = single_queue(rate, aht, agents, hours=48, warmup_s=4 * 3600)
    res = ccsim.simulate(sc, replications=30, seed=11)
    k = kpi_samples(res)
    assert_in_ci(k["service_level"], ccsim.erlang.service_level(rate, aht, agents, 20))
    assert_in_ci(k["asa"], ccsim.erlang.asa(rate, aht, agents))
    assert_in_ci(p_wait_samples(res), ccsim.erlang.erlang_c(rate * aht / 3600, agents))
    assert (k["abandoned"] == 0).all()


# (rate per hour, AHT s, agents, mean patience s): load 0.7 and 0.95 per agent, then overload
ERLANG_A_CASES = [(280, 180, 20, 120), (190, 180, 10, 120), (200, 180, 10, 120)]


@pytest.mark.parametrize("rate, aht, agents, patience", ERLANG_A_CASES)
def test_mmc_plus_m_matches_erlang_a(rate, aht, agents, patience):
    sc = single_queue(rate, aht, agents, patience_s=patience, hours=48, warmup_s=4 * 3600)
    res = ccsim.simulate(sc, replications=30, seed=12)
    k = kpi_samples(res)
    expected = ccsim.erlang.erlang_a(rate, aht, agents, patience, 20)
    assert_in_ci(k["abandon_rate"], expected["p_abandon"])
    assert_in_ci(k["service_level"], expected["service_level"])
    assert_in_ci(k["asa"], expected["asa"])
    assert_in_ci(p_wait_samples(res), expected["p_wait"])
