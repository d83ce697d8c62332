"""`ccsim schema` and `ccsim validate --format json`: what editors and tools read."""

from __future__ import annotations

import json

from click.testing import CliRunner

from ccsim.cli import main
from ccsim.scenario.schema import SCHEMA_PATH, TEMPLATES_SCHEMA_PATH
from tests.conftest import BASE_YAML


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_schema_prints_the_stored_schemas():
    assert invoke("schema").output == SCHEMA_PATH.read_text()
    assert invoke("schema", "--templates").output == TEMPLATES_SCHEMA_PATH.read_text()
    assert json.loads(invoke("schema").output)["title"] == "ccsim scenario"


def test_validate_json_for_a_valid_scenario(write_scenario):
    path = write_scenario()
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 0 and result.stderr == ""
    report = json.loads(result.stdout)
    assert report["file"] == str(path) and report["valid"] is True and report["problems"] == []
    assert report["summary"]["queues"] == ["billing", "tech"] and report["summary"]["intervals"] == 4
    assert report["summary"]["interval_s"] == 1800


def test_validate_json_lists_every_problem_with_file_line_and_path(write_scenario):
    text = BASE_YAML.replace("mean: 180}", "mean: -5}", 1).replace("staff: 6", "staff: many")
    path = write_scenario(text)
    result = invoke("validate", path, "--format", "json")
    assert result.exit_code == 2 and result.stderr == ""
    report = json.loads(result.stdout)
    assert report["valid"] is False and report["summary"] is None
    by_path = {p["path"]: p for p in report["problems"]}
    assert set(by_path) == {"queues.billing.handle_time.mean", "agent_groups.generalists.staff"}
    line = text.splitlines().index("    handle_time: {dist: exponential, mean: -5}") + 1
    assert by_path["queues.billing.handle_time.mean"]["line"] == line
    assert all(p["file"] == str(path) and p["message"] for p in report["problems"])


def test_validate_json_reports_unstable_load_as_a_warning(write_scenario):
    path = write_scenario(BASE_YAML.replace("per_interval: [10, 20, 30, 20]", "per_interval: [10, 20, 300, 20]"))
    result = invoke("validate", path, "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and report["valid"] is True
    assert [w["path"] for w in report["warnings"]] == ["queues.tech"] and "unstable" in report["warnings"][0]["message"]


def test_validate_json_reports_a_long_run_as_a_warning_and_nothing_else(write_scenario, monkeypatch):
    monkeypatch.setattr("ccsim.budget.WARN_SECONDS", 0.0)
    result = invoke("validate", write_scenario(), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0 and result.stderr == ""
    assert len(report["warnings"]) == 1 and report["warnings"][0]["path"] == ""


def test_validate_json_for_a_missing_file(tmp_path):
    result = invoke("validate", tmp_path / "nope.yml", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 2 and report["valid"] is False
    assert report["problems"][0]["message"] == "file not found"


def test_validate_text_output_is_unchanged(write_scenario):
    result = invoke("validate", write_scenario())
    assert result.exit_code == 0 and ": ok — 'test': 2 queues, 1 agent groups, 4 intervals of 30 min" in result.output
