"""A comparison's recommendation under a declared decision rule, and verdicts that do not mislead:
no verdict without a significant paired difference, "no clear winner" when the data do not
decide, AHT differences of a group flagged when its contact mix changed."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.compare import QUEUE_COMPARED, compare
from ccsim.decision import NO_CLEAR_WINNER, NONE_QUALIFIES, RECOMMEND, recommend
from ccsim.errors import ScenarioError
from ccsim.kpis import kpi, names
from ccsim.kpis.registry import NEUTRAL
from ccsim.report.html import comparison_report
from ccsim.scenario.decision import MUST_MEET, OBJECTIVES
from tests.badinput.cli import assert_clean_error, run_cli
from tests.conftest import BASE_YAML

# 12 agents for about 6 Erlangs: every target is met for sure
EASY_YAML = BASE_YAML.replace("staff: 6", "staff: 12")


def scenario(text: str, **overrides) -> ccsim.Scenario:
    import yaml

    return ccsim.load_scenario({**yaml.safe_load(text), **overrides})


def test_rule_kpis_are_declared_with_a_direction_and_compared():
    for name in MUST_MEET:
        assert name in QUEUE_COMPARED and kpi(name, "queue").direction != NEUTRAL, name
    for name in OBJECTIVES:
        level = "cost" if name in names("cost") else "queue"
        assert kpi(name, level).direction != NEUTRAL, name


def test_identical_variants_give_no_clear_winner_and_no_verdicts():
    c = compare([scenario(EASY_YAML), scenario(EASY_YAML, name="copy")], replications=4, seed=5)
    verdicts = set(c.table["copy verdict"])
    assert verdicts == {"identical"}                          # never better, worse, higher or lower
    decision = recommend(c)
    assert [s["status"] for s in decision["scenarios"]] == ["meets", "meets"]
    assert decision["verdict"] == NO_CLEAR_WINNER and decision["recommended"] is None
    assert decision["paired"][0]["delta"] == 0 and not decision["paired"][0]["significant"]
    assert "does not differ significantly" in decision["reasons"][0]
    page = comparison_report(c, [], decision)
    summary = page[page.index('<section id="summary">'):page.index('<section id="scenarios">')]
    assert "No clear winner" in summary and "Recommended" not in summary
    for word in ("better", "worse", "higher", "lower"):
        assert f'verdict">{word}<' not in page


def test_the_cheapest_scenario_that_meets_its_targets_is_recommended():
    # 12 agents meet every target; 13 meet them at a higher cost; 4 are cheapest but miss
    twelve = scenario(EASY_YAML, name="twelve")
    thirteen = scenario(EASY_YAML.replace("staff: 12", "staff: 13"), name="thirteen")
    four = scenario(BASE_YAML.replace("staff: 6", "staff: 4"), name="four")
    c = compare([thirteen, twelve, four], replications=5, seed=2)
    decision = recommend(c)
    assert decision["rule"] == {"objective": "total_cost", "must_meet": ["service_level"], "source": "default",
                                "text": decision["rule"]["text"]}
    status = {s["scenario"]: s["status"] for s in decision["scenarios"]}
    assert status == {"thirteen": "meets", "twelve": "meets", "four": "misses"}
    assert decision["verdict"] == RECOMMEND and decision["recommended"] == "twelve"
    # one agent less for two hours at 30 an hour: 60 less agent cost (no penalties), for sure
    paired = decision["paired"][0]
    assert paired["against"] == "thirteen" and paired["delta"] == pytest.approx(-60.0) and paired["significant"]
    assert any("four misses" in r for r in decision["reasons"])
    # asked for the best service level instead: 12 and 13 agents both serve nearly everyone at once
    decision = recommend(c, objective="service_level")
    assert decision["verdict"] == NO_CLEAR_WINNER and decision["rule"]["source"] == "command line"
    # with only the missing scenario, nothing qualifies
    assert recommend(compare([four, four.model_copy(update={"name": "again"})], replications=3, seed=2))[
        "verdict"] == NONE_QUALIFIES


def test_a_must_meet_kpi_without_targets_must_not_get_worse_than_the_baseline():
    twelve, seven = scenario(EASY_YAML, name="twelve"), scenario(BASE_YAML.replace("staff: 6", "staff: 7"),
                                                                 name="seven")
    c = compare([twelve, seven], replications=5, seed=2)
    decision = recommend(c, must_meet=("asa",))           # no queue sets max_asa: seven is worse than twelve
    six_checks = decision["scenarios"][1]["checks"]
    assert six_checks[0]["verdict"] == "misses" and "not worse than the baseline" in six_checks[0]["text"]
    assert decision["recommended"] == "twelve"


def test_the_decision_rule_in_the_scenario_and_its_errors(write_scenario):
    path = write_scenario(EASY_YAML + "decision: {objective: agent_cost, must_meet: [service_level, abandon_rate]}\n")
    sc = ccsim.load_scenario(path)
    assert sc.decision.objective == "agent_cost" and sc.decision.must_meet == ("service_level", "abandon_rate")
    c = compare([sc, scenario(EASY_YAML, name="copy")], replications=3, seed=1)
    assert recommend(c)["rule"]["source"] == "scenario"
    with pytest.raises(ScenarioError, match=r"decision\.objective"):
        ccsim.load_scenario(write_scenario(EASY_YAML + "decision: {objective: offered}\n", "bad.yml"))
    bad = run_cli("compare", path, path, "-r", "2", "--objective", "offered")
    assert_clean_error(bad, "--objective", "offered", "total_cost")
    bad = run_cli("compare", path, path, "-r", "2", "--must-meet", "occupancy")
    assert_clean_error(bad, "--must-meet", "occupancy", "service_level")


def test_compare_cli_prints_and_writes_the_recommendation(write_scenario, tmp_path):
    base = write_scenario(EASY_YAML)
    more = write_scenario(EASY_YAML.replace("staff: 12", "staff: 13").replace("name: test", "name: thirteen"),
                          "thirteen.yml")
    runner = CliRunner()
    result = runner.invoke(main, ["compare", str(more), str(base), "-r", "4", "-s", "3", "--must-meet",
                                  "service_level", "--must-meet", "abandon_rate"])
    assert result.exit_code == 0, result.output
    assert result.output.index("Decision: Recommended: test") < result.output.index("comparison — ")
    assert "rule (command line): lowest total cost among the scenarios meeting service level, " \
           "abandon rate" in result.output
    result = runner.invoke(main, ["compare", str(more), str(base), "-r", "4", "-s", "3", "-f", "json",
                                  "--out", str(tmp_path / "out")])
    data = json.loads(result.output)
    assert data["summary"]["recommended"] == "test" and data["summary"]["verdict"] == RECOMMEND
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.index('<section id="summary">') < page.index('<section id="scenarios">')
    assert "Recommended: test" in page


def test_a_group_aht_over_another_contact_mix_is_flagged():
    # fewer front-office agents: the tech team takes more general calls, its AHT mixes other calls
    base = ccsim.load_scenario("scenarios/hotline.yml")
    fewer = ccsim.load_scenario("scenarios/hotline.yml", overrides={
        "name": "fewer", "agent_groups.front_office.staff": [max(int(s) - 4, 1) for s in base.staff("front_office")]})
    c = compare([base, fewer], replications=4, seed=1)
    rows = c.table.set_index(["level", "name", "kpi"])
    tech = rows.loc[("group", "tech_team", "aht")]
    assert rows.loc[("group", "tech_team", "handled"), "fewer verdict"] == "higher"
    assert tech["fewer verdict"] in ("higher", "lower", "no significant difference")   # neutral: never worse
    assert tech["fewer note"].startswith("mix effect? handled +")
    assert rows.loc[("queue", "ALL", "service_level"), "fewer note"] == ""
