"""Analytic requirements per queue and interval, and the simulation-based search."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim import erlang
from ccsim.staffing.requirements import requirements
from ccsim.staffing.search import analytic_group_staff, search_staff

EXP = {"dist": "exponential", "mean": 300}


def one_queue(volumes, *, patience=None, hours=("08:00", "16:00"), **sl) -> ccsim.Scenario:
    queue = {"arrivals": {"per_interval": volumes}, "handle_time": EXP,
             "service_level": {"threshold": 20, "target": 0.8, **sl}}
    if patience:
        queue["patience"] = {"dist": "exponential", "mean": patience}
    return ccsim.load_scenario({"horizon": {"start": hours[0], "end": hours[1]}, "interval": "60m", "warmup": 3600,
                                "queues": {"q": queue}, "agent_groups": {"g": {"skills": ["q"], "staff": 1}}})


def brute_force(rate, aht, target, threshold):
    n = 0
    while rate > 0 and erlang.service_level(rate, aht, n, threshold) < target:
        n += 1
    return n


def test_erlang_c_requirement_is_the_smallest_n_meeting_the_target():
    volumes = [0, 20, 55, 90, 120, 200, 140, 60]
    req = requirements(one_queue(volumes))
    assert req.required.tolist() == [brute_force(v, 300, 0.8, 20) for v in volumes]
    assert req.required.tolist()[0] == 0 and req.erlangs.tolist()[3] == 90 * 300 / 3600


def test_reference_required_agents():
    # 1200 calls/h, AHT 300 s, 80/20 -> 108 agents (reference value)
    req = requirements(one_queue([1200] * 8))
    assert (req.required == 108).all()


def test_deflection_and_handle_time_factor_lower_the_analytic_requirement():
    volumes = [0, 20, 55, 90, 120, 200, 140, 60]
    base = one_queue(volumes)
    changed = ccsim.load_scenario(ccsim.scenario_dict(base), overrides={
        "queues.q.deflection": 0.25, "agent_groups.g.handle_time_factor": 0.8})
    req = requirements(changed)
    assert req.required.tolist() == [brute_force(0.75 * v, 240, 0.8, 20) for v in volumes]
    assert req.aht_s.tolist() == [240.0] * 8


def test_other_targets_and_the_occupancy_cap_can_only_add_agents():
    base = requirements(one_queue([120] * 8, patience=180))
    strict = requirements(one_queue([120] * 8, patience=180, max_asa=5, max_abandon=0.01))
    assert (strict.required >= base.required).all() and (strict.required > base.required).any()
    assert (strict.required_abandon == erlang.agents_for_abandon_rate(120, 300, 0.01, 180)).all()
    capped = requirements(one_queue([120] * 8), max_occupancy=0.7)
    assert (capped.required >= np.ceil(120 * 300 / 3600 / 0.7)).all()


def test_fte_adds_shrinkage_and_chat_uses_concurrency():
    sc = ccsim.load_scenario({
        "horizon": {"start": "08:00", "end": "10:00"}, "interval": "60m",
        "queues": {"chat": {"channel": "chat", "concurrency": 3, "arrivals": {"per_hour": 90}, "handle_time": EXP,
                            "service_level": {"threshold": 30, "target": 0.8}},
                   "mail": {"channel": "email", "arrivals": {"per_interval": [60, 0]}, "handle_time": EXP,
                            "service_level": {"threshold": "2h", "target": 0.9}}},
        "agent_groups": {"g": {"skills": ["chat", "mail"], "staff": 5, "shrinkage": 0.25}},
    })
    req = requirements(sc).set_index(["queue", "interval"])
    servers = erlang.agents_for_service_level(90, 300, 0.8, 30)
    assert req.loc[("chat", 0), "required"] == np.ceil(servers / 3)
    assert req.loc[("chat", 0), "fte"] == np.ceil(req.loc[("chat", 0), "required"] / 0.75)
    # 60 emails x 5 min = 5 agent-hours due within 2 hours: the work of the last 2 hours over 2 hours
    assert req.loc[("mail", 0), "required"] == 3 and req.loc[("mail", 1), "required"] == 3


@pytest.mark.slow
def test_simulated_requirement_of_a_single_queue_is_within_one_agent_of_erlang_c():
    sc = one_queue([60, 90, 120, 150, 120, 90, 60, 90])
    found = search_staff(sc, replications=30, seed=4, max_iterations=40)
    assert found.met
    analytic = requirements(sc).required.to_numpy()
    simulated = found.staff.simulated.to_numpy()
    assert np.abs(simulated - analytic).max() <= 1, (analytic, simulated)


def test_pooled_agents_need_fewer_than_separate_teams():
    def center(pooled: bool) -> ccsim.Scenario:
        queues = {q: {"arrivals": {"per_hour": 60}, "handle_time": EXP,
                      "service_level": {"threshold": 20, "target": 0.8}} for q in ("a", "b")}
        groups = ({"pool": {"skills": ["a", "b"], "staff": 1}} if pooled else
                  {"team_a": {"skills": ["a"], "staff": 1}, "team_b": {"skills": ["b"], "staff": 1}})
        return ccsim.load_scenario({"horizon": {"start": "08:00", "end": "12:00"}, "interval": "60m",
                                    "warmup": 3600, "queues": queues, "agent_groups": groups})

    separate = search_staff(center(False), replications=20, seed=2, max_iterations=30)
    pooled = search_staff(center(True), replications=20, seed=2, max_iterations=30)
    assert separate.met and pooled.met
    per_interval = lambda s: s.staff.groupby("interval").simulated.sum().to_numpy()  # noqa: E731
    assert (per_interval(pooled) < per_interval(separate)).all()
    # the analytic start counts both queues separately; the search finds the pooling gain
    assert analytic_group_staff(center(True)).sum() > pooled.staff.simulated.sum()


def test_staff_with_shift_templates_covers_every_interval_and_staffs_the_scenario():
    plan = ccsim.staff("scenarios/hotline.yml", shifts="scenarios/templates/shifts.yml")
    g = plan.groups
    assert (g.scheduled >= g.required - 1e-6).all() and (g.under < 1e-6).all()
    assert set(plan.shift_plans) == set(plan.scenario.agent_groups)
    for name, shift_plan in plan.shift_plans.items():
        assert plan.scenario.agent_groups[name].shifts is not None
        staffed = plan.scenario.staff(name)                       # agents on shift, before breaks
        assert (staffed >= g[g.group == name].scheduled.to_numpy() - 1e-9).all()
        assert shift_plan.cost > 0
    res = ccsim.simulate(plan.scenario, replications=2, seed=1)  # the plan simulates at once
    assert res.groups.loc["ALL", "breaks"] > 0


def test_templates_that_cannot_cover_name_the_intervals(tmp_path):
    (tmp_path / "t.yml").write_text('templates:\n  morning: {start: "08:00", length: 4h, cost_per_hour: 20}\n')
    with pytest.raises(ccsim.CcsimError, match=r"day 1 12:00"):
        ccsim.staff("scenarios/hotline.yml", shifts=tmp_path / "t.yml")
    (tmp_path / "bad.yml").write_text('templates:\n  morning: {start: "08:00", lenght: 4h, cost_per_hour: 20}\n')
    with pytest.raises(ccsim.ScenarioError) as info:
        ccsim.staff("scenarios/hotline.yml", shifts=tmp_path / "bad.yml")
    unknown = [p for p in info.value.problems if p.path == "templates.morning.lenght"]
    assert unknown and unknown[0].line == 2 and "allowed: start, length" in unknown[0].message


def test_templates_can_be_reserved_for_agent_groups(tmp_path):
    (tmp_path / "t.yml").write_text(
        "templates:\n"
        '  long: {start: "08:00", length: 12h, cost_per_hour: 30}\n'
        '  short_am: {start: "08:00", length: 6h, cost_per_hour: 25, groups: [front_office]}\n'
        '  short_pm: {start: "14:00", length: 6h, cost_per_hour: 25, groups: [front_office]}\n')
    plan = ccsim.staff("scenarios/hotline.yml", shifts=tmp_path / "t.yml")
    used = {name: set(p.counts[p.counts.agents > 0].template) for name, p in plan.shift_plans.items()}
    assert used["billing_team"] == used["tech_team"] == {"long"}
    assert used["front_office"] <= {"long", "short_am", "short_pm"} and "short_am" in used["front_office"]
    (tmp_path / "bad.yml").write_text(
        'templates:\n  long: {start: "08:00", length: 12h, cost_per_hour: 30, groups: [nobody]}\n')
    with pytest.raises(ccsim.CcsimError, match=r"templates\.long\.groups: names unknown agent group 'nobody'"):
        ccsim.staff("scenarios/hotline.yml", shifts=tmp_path / "bad.yml")
    (tmp_path / "few.yml").write_text(
        'templates:\n  long: {start: "08:00", length: 12h, cost_per_hour: 30, groups: [tech_team]}\n')
    with pytest.raises(ccsim.CcsimError, match="agent group front_office: no shift template"):
        ccsim.staff("scenarios/hotline.yml", shifts=tmp_path / "few.yml")
