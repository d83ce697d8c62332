"""Bad scenario input through the API: YAML tags, alias bombs, out-of-range numbers, zero-mean
durations, messages that name the file, line, field and what is allowed, and bad arguments."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.errors import ScenarioError
from ccsim.scenario.variants import parse_assignment
from ccsim.scenario.yamltext import MAX_VALUES
from tests.conftest import BASE_YAML

HANDLE = "handle_time: {dist: exponential, mean: 180}"
PATIENCE = "patience: {dist: exponential, mean: 120}"


def problems(path, overrides=None):
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario(path, overrides)
    return info.value.problems


@pytest.mark.parametrize("value, tag", [
    ("!!python/object/apply:os.system ['echo owned']", "!!python/object/apply:os.system"),
    ("!!python/name:os.system", "!!python/name:os.system"),
    ("!!python/object:collections.OrderedDict {}", "!!python/object:collections.OrderedDict"),
    ("!custom 5", "!custom"),
    ("!!binary aGVsbG8=", "!!binary"),
    ("!!set {a, b}", "!!set"),
    ("!!timestamp 2024-05-01", "!!timestamp"),
    ("!!omap [a: 1]", "!!omap"),
])
def test_yaml_tags_other_than_plain_data_are_refused_at_their_line(write_scenario, value, tag):
    found = problems(write_scenario(BASE_YAML.replace("name: test", f"name: {value}")))
    assert len(found) == 1 and found[0].line == 1 and found[0].file.endswith("scenario.yml")
    assert tag in found[0].message and "not allowed" in found[0].message


@pytest.mark.parametrize("text, fragment", [
    ("seed: !!int abc\n", "cannot read 'abc' as !!int"),
    ("seed: !!bool maybe\n", "cannot read 'maybe' as !!bool"),
    ("? [a, b]\n: 1\n", "a key must be a plain name"),
])
def test_scalars_that_do_not_fit_their_tag_and_list_keys(write_scenario, text, fragment):
    found = problems(write_scenario(BASE_YAML + text))
    assert found[0].line == 19 and fragment in found[0].message


def test_dates_stay_text(write_scenario):
    assert ccsim.load_scenario(write_scenario(BASE_YAML.replace("name: test", "name: 2024-05-01"))).name == "2024-05-01"


def _laughs(levels: int, width: int, nested: bool) -> str:
    lines = ['a0: &a0 ["lol", "lol"]']
    for k in range(1, levels):
        items = ", ".join([f"*a{k - 1}"] * width)
        lines.append(f"a{k}: &a{k} {{{', '.join(f'k{i}: *a{k - 1}' for i in range(width))}}}" if nested
                     else f"a{k}: &a{k} [{items}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels, width, nested", [(9, 9, False), (12, 5, False), (8, 10, True), (30, 2, False)])
def test_alias_bombs_are_refused_before_expanding(write_scenario, levels, width, nested):
    found = problems(write_scenario(_laughs(levels, width, nested) + BASE_YAML))
    assert len(found) == 1 and f"{MAX_VALUES:,}" in found[0].message and "alias" in found[0].message
    assert found[0].line is not None


def test_recursive_alias_and_deep_nesting(write_scenario):
    assert "contains it" in problems(write_scenario("a: &x [1, *x]\n" + BASE_YAML))[0].message
    deep = "x: " + "[" * 400 + "1" + "]" * 400 + "\n"
    assert "nested more than" in problems(write_scenario(deep + BASE_YAML))[0].message


def test_a_few_aliases_still_work(write_scenario):
    text = BASE_YAML.replace(HANDLE, "handle_time: &ht {dist: exponential, mean: 180}").replace(
        "{dist: lognormal, mean: 4m, cv: 0.8}", "*ht")
    assert ccsim.load_scenario(write_scenario(text)).queues["tech"].handle_time.mean == 180


@pytest.mark.parametrize("text, path, fragment", [
    ("seed: -1\n", "seed", "got -1"),
    ("seed: 9223372036854775808\n", "seed", "2**63-1"),
    ("seed: 1.5\n", "seed", "whole number"),
    ("replications: 2.5\n", "replications", "whole number"),
    ("replications: true\n", "replications", "whole number"),
    ("replications: 0\n", "replications", "greater than or equal to 1"),
])
def test_integer_keys_out_of_range(write_scenario, text, path, fragment):
    found = problems(write_scenario(BASE_YAML + text))
    assert [(p.path, p.line) for p in found] == [(path, 19)] and fragment in found[0].message


@pytest.mark.parametrize("old, new, path", [
    (HANDLE, "handle_time: 0", "queues.billing.handle_time"),
    (HANDLE, "handle_time: 0s", "queues.billing.handle_time"),
    (HANDLE, "handle_time: {dist: uniform, low: 0, high: 0}", "queues.billing.handle_time"),
    (HANDLE, "handle_time: {dist: deterministic, value: 0}", "queues.billing.handle_time"),
    (HANDLE, "handle_time: {dist: empirical, samples: [0, 0, 0]}", "queues.billing.handle_time"),
    (PATIENCE, "patience: 0", "queues.billing.patience"),
    (PATIENCE, "patience: {dist: uniform, low: 0s, high: 0m}", "queues.billing.patience"),
])
def test_work_and_patience_need_a_positive_mean(write_scenario, old, new, path):
    found = problems(write_scenario(BASE_YAML.replace(old, new)))
    assert [p.path for p in found] == [path]
    assert "mean of 0 seconds" in found[0].message and "> 0 seconds" in found[0].message


def test_a_zero_retrial_delay_is_allowed(write_scenario):
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace(PATIENCE, PATIENCE + "\n    retrial: {delay: 0}")))
    assert sc.queues["billing"].retrial.delay.mean == 0


@pytest.mark.parametrize("new, path", [
    ("patience: -3m", "queues.billing.patience"),
    ("patience: -90", "queues.billing.patience"),
    ("patience: {dist: exponential, mean: -3m}", "queues.billing.patience.mean"),
    ("patience: {dist: uniform, low: -1, high: 5}", "queues.billing.patience.low"),
])
def test_negative_durations_say_negative_at_their_path(write_scenario, new, path):
    found = problems(write_scenario(BASE_YAML.replace(PATIENCE, new)))
    assert [(p.path, p.line) for p in found] == [(path, 8)]
    assert "negative" in found[0].message and ">= 0" in found[0].message


@pytest.mark.parametrize("new, fragment", [
    ("patience: {mean: 3m}", "dist is missing; allowed: deterministic, empirical, exponential"),
    ("patience: {dist: null, mean: 3m}", "dist is missing"),
    ("patience: {dist: [a], mean: 3m}", "unknown distribution ['a']; allowed:"),
])
def test_missing_or_bad_dist(write_scenario, new, fragment):
    found = problems(write_scenario(BASE_YAML.replace(PATIENCE, new)))
    assert [p.path for p in found] == ["queues.billing.patience.dist"] and fragment in found[0].message


def test_a_bare_distribution_name_asks_for_its_parameters(write_scenario):
    found = problems(write_scenario(BASE_YAML.replace(PATIENCE, "patience: exponential")))
    assert found[0].path == "queues.billing.patience" and "{dist: exponential, mean: ...}" in found[0].message


@pytest.mark.parametrize("assignment", ["queues.billing.patience=", "queues.billing.patience=  ",
                                        "queues.billing.patience=# nothing"])
def test_set_with_an_empty_value_is_an_error(assignment):
    with pytest.raises(ScenarioError) as info:
        parse_assignment(assignment)
    assert "empty value for queues.billing.patience" in str(info.value)
    assert "queues.billing.patience=null" in str(info.value)


def test_set_null_removes_a_key(write_scenario):
    sc = ccsim.load_scenario(write_scenario(), dict([parse_assignment("queues.billing.patience=null")]))
    assert sc.queues["billing"].patience is None


@pytest.mark.parametrize("assignment", ["=3", "queues..patience=3", "queues.billing.patience"])
def test_set_needs_a_key_path(assignment):
    with pytest.raises(ScenarioError, match="expects key.path=value"):
        parse_assignment(assignment)


@pytest.mark.parametrize("key, fragment", [
    ("queues.bilign.handle_time.mean", "unknown queue 'bilign'; queues: billing, tech"),
    ("agent_groups.generalist.staff", "unknown agent group 'generalist'; agent groups: generalists"),
    ("processes.claims.promise", "unknown process 'claims'; processes: none"),
])
def test_set_into_an_unknown_entry_lists_the_known_ones(write_scenario, key, fragment):
    found = problems(write_scenario(), {key: 3})
    assert [(p.path, p.file) for p in found] == [(key, "--set")] and fragment in found[0].message


def test_variant_dotted_key_into_an_unknown_queue(write_scenario, tmp_path):
    write_scenario()
    variant = tmp_path / "variant.yml"
    variant.write_text("extends: scenario.yml\nqueues.tehc.priority: 2\n")
    found = problems(variant)
    assert [(p.path, p.line) for p in found] == [("queues.tehc.priority", 2)] and "unknown queue 'tehc'" in found[0].message


@pytest.mark.parametrize("where", ["arrivals", "samples", "scenario"])
def test_non_utf8_files_name_the_file_and_line(write_scenario, tmp_path, where):
    if where == "arrivals":
        (tmp_path / "volumes.csv").write_bytes(b"interval_start,volume\n08:00,10\n08:30,caf\xe9\n")
        path = write_scenario(BASE_YAML.replace("per_hour: 60", "csv: volumes.csv"))
    elif where == "samples":
        (tmp_path / "samples.csv").write_bytes(b"seconds\n120\n\xff\xfe\n")
        path = write_scenario(BASE_YAML.replace(HANDLE, "handle_time: {dist: empirical, csv: samples.csv}"))
    else:
        path = tmp_path / "scenario.yml"
        path.write_bytes(BASE_YAML.replace("name: test", "name: caf\xe9").encode("latin-1"))
    found = problems(path)
    assert len(found) == 1 and "not UTF-8" in found[0].message
    if where == "scenario":
        assert found[0].line == 1
    else:
        assert ("volumes.csv:3" if where == "arrivals" else "samples.csv:3") in found[0].message


def test_a_csv_with_a_utf8_byte_order_mark_is_read(write_scenario, tmp_path):
    (tmp_path / "volumes.csv").write_bytes(b"\xef\xbb\xbfinterval_start,volume\n08:00,10\n08:30,12\n09:00,14\n09:30,8\n")
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace("per_hour: 60", "csv: volumes.csv")))
    assert list(sc.arrival_rates("billing")) == [20.0, 24.0, 28.0, 16.0]


def test_a_shift_template_file_says_which_command_takes_it(tmp_path):
    path = tmp_path / "shifts.yml"
    path.write_text("# shift templates\ntemplates:\n  early: {start: '08:00', length: 8h, cost_per_hour: 20}\n")
    found = problems(path)
    assert found[0].line == 2 and "shift-template file" in found[0].message
    assert "ccsim staff SCENARIO --shifts" in found[0].message


@pytest.mark.parametrize("old, new, field_path", [
    (PATIENCE, "patience: -3m", "queues.billing.patience"),
    ("staff: 6", "staff: -6", "agent_groups.generalists.staff"),
    ("name: test", "name: test\nseed: -4", "seed"),
])
def test_a_field_error_does_not_hide_an_unknown_skill(write_scenario, old, new, field_path):
    text = BASE_YAML.replace(old, new).replace("skills: [billing, tech]", "skills: [billing, tech, sales]")
    found = problems(write_scenario(text))
    paths = [p.path for p in found]
    assert field_path in paths
    if field_path.startswith("agent_groups"):
        return  # the group itself is invalid: its skills are judged once it validates
    assert "agent_groups.generalists.skills" in paths
    assert "'sales'" in found[paths.index("agent_groups.generalists.skills")].message


def test_an_invalid_queue_is_not_reported_as_unknown(write_scenario):
    found = problems(write_scenario(BASE_YAML.replace(PATIENCE, "patience: -3m")))
    assert [p.path for p in found] == ["queues.billing.patience"]


@pytest.mark.parametrize("source", [123, 4.5, None, b"scenario.yml", ["scenario.yml"]])
def test_a_source_that_is_neither_path_nor_mapping(source):
    with pytest.raises(ValueError, match="source must be a path to a YAML file or a mapping, got"):
        ccsim.load_scenario(source)


def test_overrides_must_be_a_mapping(write_scenario):
    with pytest.raises(ValueError, match="overrides must be a mapping"):
        ccsim.load_scenario(write_scenario(), ["queues.billing.priority=2"])
