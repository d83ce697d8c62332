"""The scenario format's JSON Schema: stored copy current, accepts what the loader accepts
(bundled scenarios, variants with dotted keys, every section of the format), rejects what it
rejects where JSON Schema can say so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ccsim.errors import ScenarioError
from ccsim.scenario import load_scenario
from ccsim.scenario.loader import load_model
from ccsim.scenario.schema import (
    REFRESH, SCHEMA_PATH, TEMPLATES_SCHEMA_PATH, scenario_schema, schema_text, templates_schema,
)
from ccsim.scenario.yamltext import read_yaml
from ccsim.staffing.shift_plan import ShiftTemplates
from ccsim.units import parse_clock, parse_duration
from tests.conftest import BASE_YAML

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yml"))
TEMPLATES = sorted((ROOT / "scenarios" / "templates").glob("*.yml"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def _data(path: Path):
    return read_yaml(path.read_text(), str(path))[0]


def _errors(validator: Draft202012Validator, data) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]


# -- the stored files --------------------------------------------------------------------------

@pytest.mark.parametrize("path, build", [(SCHEMA_PATH, scenario_schema), (TEMPLATES_SCHEMA_PATH, templates_schema)],
                         ids=["scenario", "shift_templates"])
def test_stored_schema_is_current(path, build):
    assert path.read_text() == schema_text(build()), f"{path.name} is stale; refresh it with: {REFRESH}"


@pytest.mark.parametrize("path", [SCHEMA_PATH, TEMPLATES_SCHEMA_PATH], ids=lambda p: p.name)
def test_stored_schema_is_a_valid_draft_2020_12_schema(path):
    schema = json.loads(path.read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", SCENARIOS + TEMPLATES, ids=lambda p: p.name)
def test_bundled_files_name_the_stored_schema_in_their_first_line(path):
    first = path.read_text().splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    stored = TEMPLATES_SCHEMA_PATH if path in TEMPLATES else SCHEMA_PATH
    assert (path.parent / first.removeprefix(prefix)).resolve() == stored


# -- what the loader accepts, the schema accepts ----------------------------------------------

@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_bundled_scenario_is_valid(validator, path):
    load_scenario(path)
    assert _errors(validator, _data(path)) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_bundled_shift_templates_are_valid(path):
    load_model(path, ShiftTemplates)
    assert _errors(Draft202012Validator(json.loads(TEMPLATES_SCHEMA_PATH.read_text())), _data(path)) == []


EVERY_SECTION = """\
name: every section
description: a scenario that uses every part of the format
horizon: {start: "08:00", end: "24:00", days: 2, first_day: Fri}
interval: 1h
warmup: 0
seed: 7
replications: 3
queues:
  billing:
    arrivals: {per_hour: 30, day_factors: {sat: 0.5, Sun: 0}}
    handle_time: {dist: gamma, mean: 4m30s, cv: 0.5}
    patience: 3m
    service_level: {threshold: 20s, target: 0.8, abandons: count, max_asa: 30, max_abandon: 0.1}
    priority: 2
    deflection: 0.1
    transfers: [{to: tech, probability: 0.1, priority: 1}]
    escalation: {after: 5m, priority: 0}
    fcr: 0.9
    unresolved: {repeat: {probability: 0.5, delay: {dist: uniform, low: 1h, high: 2h}, max_attempts: 2}}
    retrial: {probability: 0.5, delay: {dist: exponential, mean: 5m}}
    callback: {offer_over: 2m, acceptance: 0.5, due: 2h}
  tech:
    arrivals: {per_interval: [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]}
    handle_time: {dist: empirical, samples: [100, 2m, 300]}
    unresolved: {escalate_to: billing}
  chat:
    channel: chat
    arrivals: {per_hour: 10}
    handle_time: {dist: deterministic, value: 600}
    concurrency: 2
    slowdown: 0.2
  email:
    channel: email
    arrivals: {per_hour: 5}
    handle_time: {dist: lognormal, mean: 300, cv: 1}
    service_level: {threshold: {working: 8h}, target: 0.9}
processes:
  claim:
    description: a two-stage claim
    arrivals: {per_hour: 2}
    promise: {working_days: 2}
    stages:
      - {queue: billing, name: intake, time_limit: {by: "17:00", cutoff: "15:00", days: 1}}
      - {queue: tech, delay: 1h, time_limit: 4h, escalate_to: billing, escalate_priority: 0}
calendar:
  start: "09:00"
  end: "18:00"
  days: [mon, tue, wed, thu, fri, sat]
  hours: {sat: {start: "10:00", end: "14:00"}}
  holidays: [2, 2026-10-05]
  first_date: 2026-10-02
agent_groups:
  front:
    skills: {billing: 1, tech: 2, chat: 1, email: 3}
    shifts:
      - start: "08:00"
        length: 8h
        count: 6
        days: [fri, 2]
        breaks: [{after: 4h, length: 30m, spread: 1h}, {after: 2h, length: 5m, every: 2h}]
      - {start: "16:00", end: "24:00", count: 5, rhythm: {work: 50m, rest: 10m, cycles: 3, long_rest: 15m}}
    cost_per_hour: 30
    shrinkage: 0.1
    max_occupancy: 0.9
    handle_time_factor: {billing: 0.9}
    fcr_change: 0.02
  back:
    skills: [tech]
    staff: [3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3]
routing: {policy: fifo, blending: by_priority, reserve: 1, live_quiet: 30s}
pilot: {share: 0.2, group: front, handle_time_factor: 0.85}
forecast_error: {spread: 0.1}
costs: {abandoned: 5, late: {billing: 1}, missed_interval: 10}
investment: {up_front: 1000, yearly_saving: 5000, yearly_cost: 100, periods_per_year: 100}
"""

VARIANT = """\
extends: base.yml
name: a variant
queues.billing.handle_time.mean: 210
agent_groups.generalists.staff: 8
queues:
  tech:
    handle_time: {mean: 3m}
    patience: {dist: exponential, mean: 2m}
pilot: {contacts: 0.3, fcr_change: {billing: 0.05}}
agent_groups: {}
"""


@pytest.mark.parametrize("text", [BASE_YAML, EVERY_SECTION], ids=["conftest", "every_section"])
def test_scenarios_the_loader_accepts_are_valid(validator, write_scenario, text):
    path = write_scenario(text)
    load_scenario(path)
    assert _errors(validator, _data(path)) == []


def test_a_variant_with_extends_and_dotted_keys_is_valid(validator, write_scenario):
    write_scenario(BASE_YAML, "base.yml")
    path = write_scenario(VARIANT, "variant.yml")
    sc = load_scenario(path)
    assert sc.queues["billing"].handle_time.mean == 210 and sc.queues["tech"].handle_time.mean == 180
    assert _errors(validator, _data(path)) == []


@pytest.mark.parametrize("text", [
    "extends: base.yml\nqueues:\n  billing:\n    colour: red\n",          # unknown key inside a part
    "extends: base.yml\ncolour.red: 1\n",                                  # dotted key under no known key
    "extends: base.yml\ninterval: soon\n",                                 # a value that replaces keeps its type
    "extends: base.yml\nagent_groups:\n  generalists:\n    shifts: [{start: '08:00'}]\n",   # list items are whole
    "queues.billing.priority: 2\n" + BASE_YAML,                            # dotted keys only in a variant
], ids=["unknown_key", "unknown_dotted", "bad_value", "incomplete_list_item", "dotted_without_extends"])
def test_broken_variants_are_rejected_by_both(validator, write_scenario, text):
    write_scenario(BASE_YAML, "base.yml")
    path = write_scenario(text, "variant.yml")
    with pytest.raises(ScenarioError):
        load_scenario(path)
    assert _errors(validator, _data(path))


# -- what the loader rejects, the schema rejects ----------------------------------------------

BROKEN = [
    ("wrong_duration", "threshold: 20s", "threshold: twenty"),
    ("negative_duration", "mean: 180}", "mean: -5}"),
    ("zero_positive_duration", "mean: 180}", "mean: 0s}"),
    ("bad_clock", 'start: "08:00"', 'start: "25:00"'),
    ("clock_as_number", 'start: "08:00"', "start: 8"),
    ("unknown_key", "cost_per_hour: 30", "cost_per_hour: 30\n    colour: red"),
    ("unknown_top_key", "interval: 30m", "interval: 30m\ncolour: red"),
    ("bad_dist", "dist: exponential, mean: 180", "dist: expo, mean: 180"),
    ("dist_param_of_another", "dist: exponential, mean: 180", "dist: exponential, mean: 180, cv: 1"),
    ("missing_dist_param", "{dist: lognormal, mean: 4m, cv: 0.8}", "{dist: lognormal, mean: 4m}"),
    ("missing_required", "    handle_time: {dist: exponential, mean: 180}\n", ""),
    ("missing_horizon", 'horizon: {start: "08:00", end: "10:00"}\n', ""),
    ("staff_and_shifts", "staff: 6", "staff: 6\n    shifts: [{start: '08:00', length: 2h, count: 1}]"),
    ("no_arrivals_given", "arrivals: {per_hour: 60}", "arrivals: {}"),
    ("two_arrivals_given", "arrivals: {per_hour: 60}", "arrivals: {per_hour: 60, csv: x.csv}"),
    ("empty_skills", "skills: [billing, tech]", "skills: []"),
    ("fractional_staff", "staff: 6", "staff: 6.5"),
    ("negative_seed", "interval: 30m", "interval: 30m\nseed: -1"),
    ("bad_weekday", 'end: "10:00"}', 'end: "10:00", first_day: funday}'),
    ("bad_channel", "    arrivals: {per_hour: 60}", "    channel: fax\n    arrivals: {per_hour: 60}"),
    ("bad_policy", "interval: 30m", "interval: 30m\nrouting: {policy: random}"),
    ("probability_above_1", "target: 0.8}", "target: 1.5}"),
    ("zero_working_time", "threshold: 20s", "threshold: {working: 0}"),
    ("unknown_calendar_limit", "threshold: 20s", "threshold: {within: 2h}"),
    ("two_calendar_limits", "threshold: 20s", 'threshold: {working: 2h, by: "17:00"}'),
    ("cutoff_without_by", "threshold: 20s", "threshold: {working: 2h, cutoff: '15:00'}"),
    ("zero_working_days", "threshold: 20s", "threshold: {working_days: 0}"),
    ("bad_calendar_weekday", "interval: 30m", 'interval: 30m\ncalendar: {start: "09:00", end: "17:00", days: [funday]}'),
    ("bad_holiday", "interval: 30m", 'interval: 30m\ncalendar: {start: "09:00", end: "17:00", holidays: [0]}'),
]


@pytest.mark.parametrize("old, new", [(old, new) for _, old, new in BROKEN], ids=[name for name, *_ in BROKEN])
def test_broken_scenarios_are_rejected_by_both(validator, write_scenario, old, new):
    assert old in BASE_YAML
    path = write_scenario(BASE_YAML.replace(old, new, 1))
    with pytest.raises(ScenarioError):
        load_scenario(path)
    assert _errors(validator, _data(path))


# -- the notations, value by value -------------------------------------------------------------

def _accepts(validator: Draft202012Validator, definition: str, value) -> bool:
    probe = {"$ref": f"#/$defs/{definition}", "$defs": validator.schema["$defs"]}
    return Draft202012Validator(probe).is_valid(value)


def _reads(parse, value) -> bool:
    try:
        parse(value)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("value", [20, 0, 2.5, "20s", "4m30s", "2h", "1.5h", "3d", "1h30m", "1d2h3m4s", "90", "0.5",
                                   " 20s ", "20 s", "1D", "2H30M", "1e3", "-3m", "4s3m", "1h1h", "20x", "s", "", "h2",
                                   "inf", "nan", -1, True, None, [20]])
def test_duration_schema_agrees_with_the_parser(validator, value):
    assert _accepts(validator, "Duration", value) == _reads(parse_duration, value)


@pytest.mark.parametrize("value", ["00:00", "08:00", "8:30", "23:59", "24:00", " 09:15 ", "24:01", "25:00",
                                   "08:60", "8", "0800", "08:0", 480, None])
def test_clock_schema_agrees_with_the_parser(validator, value):
    assert _accepts(validator, "Clock", value) == _reads(parse_clock, value)


def test_editors_can_complete_distributions_by_name(validator):
    """One branch per distribution, each fixing `dist` and listing its own parameters."""
    branches = validator.schema["$defs"]["Distribution"]["oneOf"]
    named = {b["properties"]["dist"]["const"]: set(b["properties"]) - {"dist"} for b in branches if "properties" in b}
    assert named == {"exponential": {"mean"}, "lognormal": {"mean", "cv"}, "gamma": {"mean", "cv"},
                     "deterministic": {"value"}, "uniform": {"low", "high"}, "empirical": {"csv", "column", "samples"}}
