"""Pilot -> rollout economics against a hand computation: a permanent change priced per year with
CIs, a pilot priced over its own period and extrapolated by the share it covered, and a re-staffed
rollout whose labour saving is the agent-hours the staffing search frees."""

from __future__ import annotations

import math

import pytest
import yaml
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.compare import compare
from ccsim.report.grids import cost_benefit_grids
from tests.conftest import BASE_YAML

# Constant staff and no penalties: total cost = agents x 2 h x 30 in every replication, exactly.
BASE = yaml.safe_load(BASE_YAML)


def variant(name: str, staff: int, **extra) -> ccsim.Scenario:
    data = {**BASE, "name": name, **extra}
    data["agent_groups"] = {"generalists": {**BASE["agent_groups"]["generalists"], "staff": staff}}
    return ccsim.load_scenario(data)


def test_change_and_pilot_economics_match_the_hand_computation():
    base = variant("base", 6)
    fewer = variant("fewer", 5, investment={"up_front": 3000, "periods_per_year": 250})
    pilot = variant("pilot", 5, pilot={"share": 0.5, "handle_time_factor": 0.9},
                    investment={"up_front": 1000, "periods_per_year": 250, "pilot_periods": 20})
    c = compare([base, fewer, pilot], replications=4, seed=3)
    change, trial = c.cost_benefit.loc["fewer"], c.cost_benefit.loc["pilot"]
    # one agent less for 2 hours at 30: -60 per horizon, in every replication (a zero-width CI)
    assert change.kind == "change" and change.against == "base"
    assert (change.total_cost_delta, change.total_cost_delta_ci_low, change.total_cost_delta_ci_high) == \
        pytest.approx((-60.0, -60.0, -60.0))
    assert change.agent_cost_delta == pytest.approx(-60.0) and change.penalty_delta == pytest.approx(0.0)
    assert change.agent_hours_delta == pytest.approx(-2.0)
    assert change.simulated_yearly_saving == pytest.approx(60 * 250)                     # 15,000
    assert change.payback_months == pytest.approx(12 * 3000 / 15_000)                    # 2.4 months
    assert change.payback_months_ci_low == pytest.approx(2.4) == change.payback_months_ci_high
    assert change.first_year_net == pytest.approx(15_000 - 3000)
    # the pilot: 3 of the 5 agents (0.5 x 5 rounded half up) pilot, so it covers 60% of the hours
    assert trial.kind == "pilot" and trial.pilot_share == pytest.approx(3 / 5)
    assert trial.pilot_periods == 20
    assert trial.pilot_cost == pytest.approx(1000 - 60 * 20)                             # priced over 20 horizons
    assert trial.extrapolated_delta == pytest.approx(-60 / 0.6)                          # -100 with every agent
    assert trial.extrapolated_yearly_saving == pytest.approx(100 * 250)
    assert math.isnan(trial.payback_months) and math.isnan(trial.first_year_net)      # a pilot is not kept
    # the tables show the same numbers (a zero-width CI prints no ±)
    changes, pilots = cost_benefit_grids(c.cost_benefit)
    assert changes.rows == [["fewer", "base", "-60", "-60", "+0", "-2.0", "15,000", "3,000", "2.4 months",
                             "12,000"]]
    assert pilots.rows == [["pilot", "60.0%", "20", "-60", "1,000", "-200", "-100", "25,000"]]


def test_a_rollout_re_staffed_shows_the_labour_it_frees():
    base = variant("base", 6)
    faster = variant("faster", 6, investment={"up_front": 2000, "periods_per_year": 250})
    faster = faster.model_copy(update={"agent_groups": {"generalists": faster.agent_groups["generalists"].model_copy(
        update={"handle_time_factor": 0.6})}})
    c = compare([base, faster], replications=4, seed=1, restaff=True,
                staff_options={"replications": 3, "max_iterations": 12})
    assert c.names == ["base", "faster", "base, re-staffed", "faster, re-staffed"]
    row = c.cost_benefit.loc["faster, re-staffed"]
    assert row.kind == "re-staffed" and row.against == "base, re-staffed"
    assert list(c.cost_benefit.index) == ["faster", "faster, re-staffed"]
    staffed = {name: res.scenario.staff("generalists").sum() for name, res in zip(c.names, c.results)}
    hours = (staffed["faster, re-staffed"] - staffed["base, re-staffed"]) * 0.5          # 30-minute intervals
    assert hours < 0                                                                    # shorter calls, fewer agents
    assert row.agent_hours_delta == pytest.approx(hours)
    # paid hours are the scheduled ones plus the minutes agents stay to finish a call when staff drops
    # between intervals: within 2% here
    assert row.agent_cost_delta == pytest.approx(30 * hours, rel=0.02)
    assert row.total_cost_delta == pytest.approx(row.agent_cost_delta)                  # no penalties priced
    assert row.payback_months == pytest.approx(12 * 2000 / (-row.total_cost_delta * 250))
    # the same change without re-staffing saves nothing: the agents stay and idle
    assert c.cost_benefit.loc["faster", "total_cost_delta"] == pytest.approx(0.0)


def test_compare_cli_restaff_prints_both_cost_benefit_tables(write_scenario):
    base = write_scenario(BASE_YAML)
    pilot = write_scenario(BASE_YAML.replace("name: test", "name: trial") + (
        "pilot: {share: 0.5, handle_time_factor: 0.8}\ninvestment: {up_front: 500, pilot_periods: 10}\n"), "pilot.yml")
    result = CliRunner().invoke(main, ["compare", str(base), str(pilot), "-r", "3", "--restaff"])
    assert result.exit_code == 0, result.output
    assert "pilots: priced over their own period" in result.output and "trial" in result.output
    # a pilot is not re-staffed; the baseline is (and has nothing to be priced against)
    assert "test, re-staffed" in result.output and "trial, re-staffed" not in result.output
