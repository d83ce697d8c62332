"""Bad input gets one clear problem per mistake: file, line, dotted field path, what is allowed."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.errors import ScenarioError
from tests.conftest import BASE_YAML


def problems_of(write_scenario, text: str):
    path = write_scenario(text)
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario(path)
    for problem in info.value.problems:
        assert problem.file == str(path)
    return info.value.problems


def one_problem(write_scenario, text: str):
    found = problems_of(write_scenario, text)
    assert len(found) == 1, found
    return found[0]


def test_base_scenario_is_valid(write_scenario):
    sc = ccsim.load_scenario(write_scenario())
    assert sc.n_intervals == 4
    assert sc.queues["tech"].handle_time.mean == 240.0
    assert sc.agent_groups["generalists"].skills == {"billing": 1, "tech": 1}
    assert list(sc.arrival_rates("tech")) == [20.0, 40.0, 60.0, 40.0]


def test_unknown_key_names_path_line_and_allowed_keys(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("    priority_x: 1\n", "").replace(
        "    patience: {dist: exponential, mean: 120}\n",
        "    patience: {dist: exponential, mean: 120}\n    priorty: 2\n"))
    assert p.path == "queues.billing.priorty"
    assert p.line == 9
    assert "unknown key" in p.message and "priority" in p.message and "handle_time" in p.message


def test_unknown_top_level_key(write_scenario):
    p = one_problem(write_scenario, BASE_YAML + "shifts_typo: 3\n")
    assert p.path == "shifts_typo" and p.line == 19


def test_skill_naming_unknown_queue(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("skills: [billing, tech]", "skills: [billing, tech, sales]"))
    assert p.path == "agent_groups.generalists.skills"
    assert "'sales'" in p.message and "billing" in p.message
    assert p.line == 16


def test_queue_nobody_can_serve(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("skills: [billing, tech]", "skills: [billing]"))
    assert p.path == "queues.tech" and "no agent group" in p.message and p.line == 10


def test_per_interval_length_must_match_horizon(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("[10, 20, 30, 20]", "[10, 20, 30]"))
    assert p.path == "queues.tech.arrivals.per_interval"
    assert "3 values" in p.message and "4 intervals" in p.message


def test_staff_list_length_must_match_horizon(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("staff: 6", "staff: [6, 6]"))
    assert p.path == "agent_groups.generalists.staff" and "2 values" in p.message


def test_missing_csv(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("per_hour: 60", "csv: nowhere.csv"))
    assert p.path == "queues.billing.arrivals.csv" and "not found" in p.message and "nowhere.csv" in p.message


def test_csv_volumes_are_read_relative_to_the_scenario(write_scenario, tmp_path):
    (tmp_path / "billing.csv").write_text("interval_start,volume\n08:00,10\n08:30,12\n09:00,14\n09:30,8\n")
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace("per_hour: 60", "csv: billing.csv")))
    assert list(sc.arrival_rates("billing")) == [20.0, 24.0, 28.0, 16.0]


@pytest.mark.parametrize("mean", ["0", "-5"])
def test_non_positive_mean(write_scenario, mean):
    p = one_problem(write_scenario, BASE_YAML.replace("mean: 180", f"mean: {mean}"))
    assert p.path == "queues.billing.handle_time.mean" and "> 0" in p.message


def test_negative_cv(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("cv: 0.8", "cv: -0.1"))
    assert p.path == "queues.tech.handle_time.cv" and ">= 0" in p.message and p.line == 13


@pytest.mark.parametrize("target", ["0", "1.2", "-0.5"])
def test_target_outside_unit_interval(write_scenario, target):
    p = one_problem(write_scenario, BASE_YAML.replace("target: 0.8", f"target: {target}"))
    assert p.path == "queues.billing.service_level.target"


def test_unknown_distribution_lists_allowed(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("dist: lognormal", "dist: weibul"))
    assert p.path == "queues.tech.handle_time.dist"
    assert "weibul" in p.message and "lognormal" in p.message and "gamma" in p.message


def test_missing_distribution_parameter(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("mean: 4m, cv: 0.8", "mean: 4m"))
    assert p.path == "queues.tech.handle_time.cv" and "missing" in p.message


def test_bad_duration_string(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("threshold: 20s", "threshold: 20 sec"))
    assert p.path == "queues.billing.service_level.threshold" and "20s" in p.message


def test_unknown_routing_policy(write_scenario):
    p = one_problem(write_scenario, BASE_YAML + "routing: {policy: random_walk}\n")
    assert p.path == "routing" and "priority_then_longest_wait" in p.message and "fifo" in p.message


def test_two_arrival_kinds(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("per_hour: 60", "per_hour: 60, csv: x.csv"))
    assert p.path == "queues.billing.arrivals" and "exactly one" in p.message


def test_interval_must_divide_opening_hours(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("interval: 30m", "interval: 45m"))
    assert p.path == "interval" and "whole intervals" in p.message


def test_end_before_start(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace('end: "10:00"', 'end: "07:00"'))
    assert p.path == "horizon" and "after start" in p.message


def test_missing_required_section(write_scenario):
    text = BASE_YAML.split("agent_groups:")[0]
    p = one_problem(write_scenario, text)
    assert p.path == "agent_groups" and "missing" in p.message


def test_several_problems_reported_together(write_scenario):
    text = BASE_YAML.replace("cv: 0.8", "cv: -1").replace("target: 0.8", "target: 2")
    assert {p.path for p in problems_of(write_scenario, text)} == {
        "queues.tech.handle_time.cv", "queues.billing.service_level.target"}


def test_yaml_syntax_error_has_line(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("interval: 30m", "interval: [30m"))
    assert "not valid YAML" in p.message and p.line is not None


def test_duplicate_key(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("interval: 30m", "interval: 30m\ninterval: 15m"))
    assert p.path == "interval" and "twice" in p.message and p.line == 4


def test_unquoted_clock_times_are_not_base_60(write_scenario):
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace('{start: "08:00", end: "10:00"}', "{start: 8:00, end: 10:00}")))
    assert sc.horizon.start == 8 * 3600 and sc.horizon.end == 10 * 3600


def test_empty_file(write_scenario):
    p = one_problem(write_scenario, "")
    assert "empty" in p.message


def test_missing_file():
    with pytest.raises(ScenarioError, match="file not found"):
        ccsim.load_scenario("does/not/exist.yml")


def test_unstable_queue_is_a_warning_not_an_error(write_scenario):
    # tech peaks at 60/h x 240 s = 4 Erlangs and has no patience: 5 agents keep it stable,
    # 3 do not (billing abandons, so it never warns).
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace("staff: 6", "staff: 5")))
    assert ccsim.load_warnings(sc) == []
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace("staff: 6", "staff: 3")))
    (warning,) = ccsim.load_warnings(sc)
    assert warning.path == "queues.tech" and "4.0 Erlangs" in warning.message and "3 agents" in warning.message


def test_scenario_is_immutable(write_scenario):
    sc = ccsim.load_scenario(write_scenario())
    with pytest.raises(Exception):
        sc.seed = 3


def test_load_from_mapping_reports_paths():
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario({"horizon": {"start": "08:00", "end": "09:00"}, "queues": {}, "agent_groups": {}})
    paths = {p.path for p in info.value.problems}
    assert paths == {"queues", "agent_groups"}
