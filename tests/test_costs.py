"""Costs, penalties, cost per contact, pilot versus control and the cost-benefit of a change."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

import ccsim
from ccsim import erlang
from ccsim.cli import main
from ccsim.errors import ScenarioError
from ccsim.kpis import COST_KPIS, GROUP_KPIS, INTERVAL_KPIS, QUEUE_KPIS, cost_kpis, group_kpis, interval_kpis, queue_kpis
from tests.model.helpers import assert_in_ci, single_queue

HOTLINE = "scenarios/hotline.yml"
PENALTIES = {"abandoned": {"general": 6.0, "vip": 50.0}, "late": 0.5, "missed_interval": 40.0}


def per_replication(res: ccsim.Results, fn, row: int = -1) -> np.ndarray:
    return np.stack([fn(res.plan, rec)[row] for rec in res.records])


def test_penalties_price_exactly_what_was_counted():
    res = ccsim.simulate(ccsim.load_scenario(HOTLINE, overrides={"costs": PENALTIES}), replications=3, seed=1)
    for rec in res.records:
        queues, costs = queue_kpis(res.plan, rec), cost_kpis(res.plan, rec)
        col = {k: j for j, k in enumerate(COST_KPIS)}
        abandoned = queues[:4, QUEUE_KPIS.index("abandoned")]
        late = queues[:4, QUEUE_KPIS.index("answered")] - queues[:4, QUEUE_KPIS.index("answered_within_threshold")]
        sl = interval_kpis(res.plan, rec)[:, :4, INTERVAL_KPIS.index("service_level")]
        missed = (sl < res.plan.sl_target).sum(axis=0)
        assert np.allclose(costs[:4, col["abandon_penalty"]], abandoned * [6, 0, 0, 50])
        assert np.allclose(costs[:4, col["late_penalty"]], late * 0.5)
        assert np.array_equal(costs[:4, col["missed_intervals"]], missed)
        assert np.allclose(costs[:4, col["missed_interval_penalty"]], missed * 40)
        # the ALL row adds up the queues, and agent cost is shared out completely
        assert np.allclose(costs[4, :6], costs[:4, :6].sum(axis=0))
        groups = group_kpis(res.plan, rec)
        priced = groups[-1, GROUP_KPIS.index("cost")] + (abandoned * [6, 0, 0, 50] + late * 0.5 + missed * 40).sum()
        assert costs[4, col["total_cost"]] == pytest.approx(priced)
        answered = queues[:, QUEUE_KPIS.index("answered")]
        assert np.allclose(costs[:, col["cost_per_contact"]], costs[:, 0] / answered)


def test_agent_cost_and_abandon_penalty_match_theory():
    # M/M/c+M: 12 agents at 30/h for 24 h cost exactly 8,640; abandonment follows Erlang A
    sc = single_queue(360, 100, 12, patience_s=60, warmup_s=3600)
    sc = ccsim.load_scenario(ccsim.scenario_dict(sc), overrides={
        "agent_groups.agents.cost_per_hour": 30, "costs.abandoned": 4.0})
    res = ccsim.simulate(sc, replications=10, seed=7)
    costs = per_replication(res, cost_kpis)
    assert np.allclose(costs[:, COST_KPIS.index("agent_cost")], 12 * 24 * 30, rtol=1e-3)
    p_abandon = float(erlang.erlang_a(360, 100.0, 12, 60.0)["p_abandon"])
    assert_in_ci(costs[:, COST_KPIS.index("abandon_penalty")] / (4.0 * 360 * 24), p_abandon)


def test_cost_benefit_of_an_identical_variant_never_pays_back():
    c = ccsim.compare([HOTLINE, ccsim.load_scenario(HOTLINE, overrides={
        "name": "same", "investment": {"up_front": 1000, "periods_per_year": 250}})], replications=2, seed=3)
    row = c.cost_benefit.loc["same"]
    assert row.total_cost_delta == 0 and row.simulated_yearly_saving == 0
    assert row.payback_months == np.inf and row.first_year_net == -1000


def test_cost_benefit_uses_the_given_saving_or_the_simulated_one():
    given = ccsim.load_scenario(HOTLINE, overrides={"name": "given", "investment": {
        "up_front": 500_000, "yearly_saving": 800_000, "yearly_cost": 50_000}})
    c = ccsim.compare([HOTLINE, "scenarios/rollout_training.yml", given], replications=6, seed=2)
    rollout, fixed = c.cost_benefit.iloc[0], c.cost_benefit.loc["given"]
    assert fixed.saving_basis == "given" and fixed.net_yearly_saving == 750_000
    assert fixed.payback_months == pytest.approx(8.0) and fixed.first_year_net == 250_000
    assert fixed.periods_per_year == 365                                  # one-day horizon, calendar year
    # the training saves penalties: a significant saving, scaled to 250 working days
    assert rollout.saving_basis == "simulated" and rollout.periods_per_year == 250
    assert rollout.total_cost_delta_ci_high < 0
    assert rollout.yearly_saving == pytest.approx(-250 * rollout.total_cost_delta)
    assert rollout.payback_months == pytest.approx(12 * 24_000 / rollout.yearly_saving)


def test_pilot_versus_control_is_paired_within_one_simulation():
    res = ccsim.simulate("scenarios/pilot_training.yml", replications=8, seed=4)
    effects = res.pilot.set_index(["name", "kpi"])
    billing = effects.loc[("billing_team", "aht")]
    # a group's AHT mixes the contact types it served, so its verdict says lower, not better
    assert billing.verdict == "lower" and billing.pilot == pytest.approx(0.85 * billing.control, rel=0.05)
    assert effects.loc[("billing_team", "fcr"), "delta"] == pytest.approx(0.05, abs=0.02)
    assert effects.loc[("tech_team", "fcr"), "verdict"] == "identical"     # no billing calls, no FCR change
    assert ccsim.simulate(HOTLINE, replications=2).pilot.empty


@pytest.mark.parametrize("costs, message", [
    ({"abandoned": {"nowhere": 5}}, r"costs\.abandoned\.nowhere"),
    ({"late": -1}, r"costs\.late"),
    ({"overtime": 3}, r"costs\.overtime"),
])
def test_bad_costs_are_clear_errors(costs, message):
    with pytest.raises(ScenarioError, match=message) as info:
        ccsim.load_scenario(HOTLINE, overrides={"costs": costs})
    # a number-or-mapping field reports the branch the value took, without pydantic's union tags
    assert len(info.value.problems) == 1 and "constrained" not in str(info.value)


def test_a_bad_entry_of_a_per_queue_mapping_is_named():
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario(HOTLINE, overrides={"costs.abandoned": {"billing": -2}})
    (problem,) = info.value.problems
    assert problem.path == "costs.abandoned.billing" and "greater than or equal to 0" in problem.message


def test_cli_shows_costs_pilot_and_cost_benefit():
    runner = CliRunner()
    result = runner.invoke(main, ["run", "scenarios/pilot_training.yml", "-r", "2"])
    assert result.exit_code == 0, result.output
    assert "pilot versus control" in result.output and "costs" in result.output
    result = runner.invoke(main, ["compare", HOTLINE, "scenarios/rollout_training.yml", "-r", "3"])
    assert result.exit_code == 0, result.output
    assert "cost-benefit" in result.output and "months" in result.output


def test_json_carries_costs_pilot_and_cost_benefit():
    import json

    runner = CliRunner()
    data = json.loads(runner.invoke(main, ["run", "scenarios/pilot_training.yml", "-r", "2", "-f", "json"]).output)
    assert data["costs"]["ALL"]["total_cost"]["mean"] > data["costs"]["ALL"]["agent_cost"]["mean"] > 0
    assert {row["name"] for row in data["pilot"]} == {"front_office", "billing_team", "tech_team"}
    data = json.loads(runner.invoke(main, ["compare", HOTLINE, "scenarios/rollout_training.yml", "-r", "3",
                                           "-f", "json"]).output)
    (row,) = data["cost_benefit"]
    assert row["scenario"] == "Billing training rollout" and row["up_front"] == 24000 and row["payback_months"] > 0
