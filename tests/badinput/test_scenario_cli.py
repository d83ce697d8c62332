"""Bad scenario input through the CLI: exit 2, file:line and field in the message, no traceback,
no files left behind."""

from __future__ import annotations

import pytest

from tests.badinput.cli import assert_clean_error, run_cli
from tests.conftest import BASE_YAML

PATIENCE = "patience: {dist: exponential, mean: 120}"


def _laughs() -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, 9)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, fragments", [
    (BASE_YAML.replace("name: test", "name: !!python/object/apply:os.system ['touch owned']"),
     ["scenario.yml:1", "!!python/object/apply:os.system", "not allowed"]),
    (BASE_YAML.replace("name: test", "name: !!python/name:os.system"), ["scenario.yml:1", "not allowed"]),
    (BASE_YAML.replace("name: test", "name: !mytag x"), ["scenario.yml:1", "!mytag"]),
    (BASE_YAML.replace("name: test", "name: !!binary aGk="), ["scenario.yml:1", "!!binary"]),
    (_laughs() + BASE_YAML, ["scenario.yml:", "alias", "2,000,000"]),
    (BASE_YAML + "seed: -1\n", ["scenario.yml:19", "seed", "got -1"]),
    (BASE_YAML + "replications: 2.5\n", ["scenario.yml:19", "replications", "whole number"]),
    (BASE_YAML.replace("handle_time: {dist: exponential, mean: 180}", "handle_time: 0"),
     ["scenario.yml:7", "queues.billing.handle_time", "> 0 seconds"]),
    (BASE_YAML.replace(PATIENCE, "patience: -3m"), ["scenario.yml:8", "queues.billing.patience", "negative"]),
    (BASE_YAML.replace(PATIENCE, "patience: {mean: 3m}"), ["scenario.yml:8", "dist is missing", "exponential"]),
    (BASE_YAML.replace(PATIENCE, "patience: -3m").replace("[billing, tech]", "[billing, tech, sales]"),
     ["queues.billing.patience", "agent_groups.generalists.skills", "'sales'"]),
])
def test_validate_refuses_bad_scenarios_cleanly(tmp_path, text, fragments):
    path = tmp_path / "scenario.yml"
    path.write_text(text)
    result = run_cli("validate", path, cwd=tmp_path)
    assert_clean_error(result, *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.yml"]


def test_non_utf8_arrivals_csv_names_the_csv_and_line(tmp_path):
    (tmp_path / "volumes.csv").write_bytes(b"interval_start,volume\n08:00,10\n08:30,1\xe90\n")
    (tmp_path / "scenario.yml").write_text(BASE_YAML.replace("per_hour: 60", "csv: volumes.csv"))
    assert_clean_error(run_cli("validate", "scenario.yml", cwd=tmp_path),
                       "scenario.yml:6", "queues.billing.arrivals.csv", "volumes.csv:3", "UTF-8")


def test_validate_on_a_shift_template_file(tmp_path):
    (tmp_path / "shifts.yml").write_text("templates:\n  early: {start: '08:00', length: 8h, cost_per_hour: 20}\n")
    assert_clean_error(run_cli("validate", "shifts.yml", cwd=tmp_path),
                       "shifts.yml:1", "shift-template file", "ccsim staff SCENARIO --shifts")


@pytest.mark.parametrize("assignment, fragments", [
    ("queues.billing.patience=", ["empty value for queues.billing.patience", "queues.billing.patience=null"]),
    ("queues.bilign.handle_time.mean=3", ["--set", "unknown queue 'bilign'", "queues: billing, tech"]),
    ("agent_groups.gen.staff=3", ["unknown agent group 'gen'", "generalists"]),
    ("seed=-1", ["--set", "seed", "got -1"]),
    ("queues.billing.handle_time=!!python/name:os.system", ["--set", "not allowed"]),
])
def test_run_refuses_bad_set_values_before_simulating(tmp_path, assignment, fragments):
    (tmp_path / "scenario.yml").write_text(BASE_YAML)
    result = run_cli("run", "scenario.yml", "--replications", "1", "--out", "out", "--set", assignment, cwd=tmp_path)
    assert_clean_error(result, *fragments)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenario.yml"]
