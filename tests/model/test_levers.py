"""Process-change levers and the pilot: each checked against what theory says it must do."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import ccsim
from ccsim import erlang
from ccsim.errors import ScenarioError
from ccsim.model.plan import compile_plan
from ccsim.scenario.levers import apply_pilot
from tests.model.helpers import assert_in_ci, kpi_samples, p_wait_samples, single_queue


def changed(sc: ccsim.Scenario, **overrides) -> ccsim.Scenario:
    """`sc` with dotted-key overrides ("queues.q.fcr") laid over it."""
    return ccsim.load_scenario(ccsim.scenario_dict(sc), overrides={k.replace("__", "."): v for k, v in overrides.items()})


def test_handle_time_factor_is_erlang_c_with_the_shorter_handle_time():
    # 200 calls/h of 180 s on 12 agents; the factor 0.8 makes it 144 s: Erlang C with 8 Erlangs
    sc = changed(single_queue(200, 180, 12), agent_groups__agents__handle_time_factor=0.8)
    res = ccsim.simulate(sc, replications=12, seed=3)
    k = kpi_samples(res)
    assert_in_ci(k["aht"], 144.0)
    assert_in_ci(p_wait_samples(res), float(erlang.erlang_c(200 * 144 / 3600, 12)))


def test_fcr_change_adds_to_the_queues_first_contact_resolution():
    sc = changed(single_queue(120, 120, 6), queues__q__fcr=0.70, agent_groups__agents__fcr_change={"q": 0.15})
    res = ccsim.simulate(sc, replications=8, seed=4)
    assert_in_ci(kpi_samples(res)["fcr"], 0.85)
    assert res.groups.loc["agents", "fcr_ci_low"] <= 0.85 <= res.groups.loc["agents", "fcr_ci_high"]


def test_deflection_thins_the_fresh_arrivals_of_the_same_stream():
    base = single_queue(300, 120, 12)
    deflected = changed(base, queues__q__deflection=0.25)
    a = ccsim.simulate(base, replications=10, seed=8)
    b = ccsim.simulate(deflected, replications=10, seed=8)
    kept = kpi_samples(b)["offered"]
    assert_in_ci(kept, 0.75 * 300 * 24)
    assert np.all(kept < kpi_samples(a)["offered"])          # a thinning of the same arrivals
    # what remains is Poisson again: Erlang C at 75% of the load
    assert_in_ci(p_wait_samples(b), float(erlang.erlang_c(0.75 * 300 * 120 / 3600, 12)))


def test_forecast_error_keeps_the_mean_and_adds_the_spread_of_the_day():
    # one day of 1,000 calls: Poisson alone has variance 1,000; a lognormal busyness factor with
    # cv 0.3 adds (0.3 * 1000)^2 = 90,000
    sc = changed(single_queue(1000 / 24, 60, 3, warmup_s=0), forecast_error={"spread": 0.3})
    res = ccsim.simulate(sc, replications=200, seed=5)
    offered = kpi_samples(res)["offered"]
    assert_in_ci(offered, 1000.0)
    n = offered.size
    var = offered.var(ddof=1)
    low, high = (n - 1) * var / stats.chi2.ppf([0.995, 0.005], n - 1)    # 99% CI of the variance
    assert low <= 1000 + 0.3**2 * 1000**2 <= high


def test_forecast_error_draws_one_factor_per_day():
    sc = changed(single_queue(100, 60, 3, hours=96, warmup_s=0), forecast_error={"spread": 0.5})
    res = ccsim.simulate(sc, replications=1, seed=1)
    per_day = res.days[res.days.queue == "q"]["offered"].to_numpy()
    assert per_day.size == 4
    assert per_day.std(ddof=1) > 5 * np.sqrt(2400)     # days differ far beyond Poisson noise (sd 49)


HOTLINE = "scenarios/hotline.yml"


def test_pilot_share_splits_every_group_and_keeps_the_staff():
    sc = ccsim.load_scenario("scenarios/pilot_training.yml")
    split = apply_pilot(sc)
    assert split.pilot is None
    for name in sc.agent_groups:
        total = split.staff(name) + split.staff(f"{name} (pilot)")
        assert np.array_equal(total, sc.staff(name))
        assert np.allclose(split.staff(f"{name} (pilot)"), np.floor(0.2 * sc.staff(name) + 0.5))
        assert split.agent_groups[f"{name} (pilot)"].factor("billing") == 0.85
        assert split.agent_groups[name].factor("billing") == 1.0


def test_pilot_of_a_shift_staffed_group_splits_its_shifts_and_keeps_the_breaks():
    sc = ccsim.load_scenario("scenarios/omnichannel.yml")
    group = next(g for g, a in sc.agent_groups.items() if a.shifts)
    piloted = changed(sc, pilot={"group": group, "share": 0.5, "handle_time_factor": 0.9})
    split = apply_pilot(piloted)
    assert np.array_equal(split.staff(group) + split.staff(f"{group} (pilot)"), sc.staff(group))
    assert len(split.breaks(group)) + len(split.breaks(f"{group} (pilot)")) == len(sc.breaks(group))


def test_pilot_and_control_are_reported_side_by_side():
    res = ccsim.simulate("scenarios/pilot_training.yml", replications=4, seed=2)
    g = res.groups
    assert {"front_office", "front_office (pilot)", "billing_team", "billing_team (pilot)"} <= set(g.index)
    # the pilot agents take billing calls 15% faster: their average handle time is lower
    assert g.loc["billing_team (pilot)", "aht"] < 0.9 * g.loc["billing_team", "aht"]
    assert g.loc["billing_team (pilot)", "fcr"] > g.loc["billing_team", "fcr"]


def test_pilot_gains_lie_between_the_baseline_and_the_rollout():
    c = ccsim.compare([HOTLINE, "scenarios/pilot_training.yml", "scenarios/rollout_training.yml"],
                      replications=6, seed=3)
    row = c.table.set_index(["level", "name", "kpi"]).loc[("queue", "billing", "aht")]
    pilot, rollout = row.filter(like="pilot").iloc[0], row.filter(like="rollout").iloc[0]
    baseline = row.iloc[0]
    assert rollout < pilot < baseline
    assert rollout == pytest.approx(0.85 * baseline, rel=0.02)   # everyone is 15% faster on billing


@pytest.mark.parametrize("pilot, message", [
    ({"share": 0.2, "agents": 3, "group": "billing_team"}, "share or agents, not both"),
    ({"agents": 3}, "agents needs group"),
    ({"handle_time_factor": 0.9}, "say who pilots"),
    ({"group": "nobody"}, "pilot.group"),
    ({"share": 1.5}, "pilot.share"),
    ({"share": 0.2, "fcr_change": {"nowhere": 0.1}}, "pilot.fcr_change.nowhere"),
])
def test_bad_pilot_is_a_clear_error(pilot, message):
    with pytest.raises(ScenarioError, match=message.replace(".", r"\.")):
        ccsim.load_scenario(HOTLINE, overrides={"pilot": pilot})


@pytest.mark.parametrize("key, value, message", [
    ("agent_groups.billing_team.handle_time_factor", 0, "handle_time_factor"),
    ("agent_groups.billing_team.fcr_change", {"billing": 2}, "fcr_change"),
    ("queues.billing.deflection", 1.5, "deflection"),
    ("forecast_error", {"spread": -1}, "forecast_error.spread"),
])
def test_bad_lever_is_a_clear_error(key, value, message):
    with pytest.raises(ScenarioError, match=message.replace(".", r"\.")):
        ccsim.load_scenario(HOTLINE, overrides={key: value})


def test_plan_carries_the_levers():
    plan = compile_plan(ccsim.load_scenario("scenarios/rollout_training.yml"))
    billing = plan.queue_names.index("billing")
    assert np.all(plan.handle_factor[:, billing][[0, 1]] == 0.85)


def test_pilot_on_contacts_changes_the_work_of_its_customers_only():
    # half the customers work under the change: their handle time halves and FCR gains 20 points
    sc = changed(single_queue(120, 120, 6), queues__q__fcr=0.6, pilot={
        "contacts": 0.5, "handle_time_factor": 0.5, "fcr_change": 0.2})
    res = ccsim.simulate(sc, replications=10, seed=6, records=True)
    fresh = res.contacts[res.contacts.kind == "fresh"]
    n = len(fresh)
    assert abs(fresh.pilot.mean() - 0.5) < 3 * np.sqrt(0.25 / n)          # binomial, 3 sigma
    effects = res.pilot.set_index(["name", "kpi"])
    aht, fcr = effects.loc[("q", "aht")], effects.loc[("q", "fcr")]
    assert aht.delta_ci_low <= -60 <= aht.delta_ci_high and aht.verdict == "better"
    assert fcr.control == pytest.approx(0.6, abs=0.03) and fcr.delta_ci_low <= 0.2 <= fcr.delta_ci_high
    assert set(res.pilot.level) == {"queue"} and set(res.pilot.name) == {"q", "ALL"}


def test_a_pilot_is_on_contacts_or_on_agents_not_both():
    with pytest.raises(ScenarioError, match="either on contacts or on agents"):
        ccsim.load_scenario(HOTLINE, overrides={"pilot": {"contacts": 0.2, "share": 0.2}})
