"""Scenario variants: extends with deep merge, dotted keys, --set overrides, errors naming both files."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.errors import ScenarioError
from tests.conftest import BASE_YAML


@pytest.fixture
def base(write_scenario):
    return write_scenario(BASE_YAML, "base.yml")


def test_variant_overrides_only_what_changes(base, write_scenario):
    variant = write_scenario("""\
        extends: base.yml
        name: faster billing
        queues.billing.handle_time.mean: 120
        queues:
          tech:
            priority: 3
        agent_groups:
          generalists:
            staff: [6, 7, 8, 9]
        """, "variant.yml")
    sc = ccsim.load_scenario(variant)
    original = ccsim.load_scenario(base)
    assert sc.name == "faster billing"
    assert sc.queues["billing"].handle_time.mean == 120 and sc.queues["billing"].handle_time.name == "exponential"
    assert sc.queues["billing"].patience == original.queues["billing"].patience        # merged, not replaced
    assert sc.queues["tech"].priority == 3 and sc.queues["tech"].handle_time == original.queues["tech"].handle_time
    assert sc.staff("generalists").tolist() == [6, 7, 8, 9]                           # lists replace


def test_variant_of_a_variant_and_set_overrides(base, write_scenario):
    write_scenario("extends: base.yml\nqueues.billing.priority: 2\n", "v1.yml")
    v2 = write_scenario("extends: v1.yml\nqueues.tech.priority: 4\n", "v2.yml")
    sc = ccsim.load_scenario(v2, overrides={"queues.billing.handle_time.mean": 90, "replications": 3})
    assert (sc.queues["billing"].priority, sc.queues["tech"].priority) == (2, 4)
    assert sc.queues["billing"].handle_time.mean == 90 and sc.replications == 3


def test_identical_variant_simulates_identically(base, write_scenario):
    variant = write_scenario("extends: base.yml\n", "same.yml")
    a = ccsim.simulate(ccsim.load_scenario(base), replications=2, seed=1).kpis
    b = ccsim.simulate(ccsim.load_scenario(variant), replications=2, seed=1).kpis
    assert a.equals(b)


def test_errors_name_the_variant_and_its_base(base, write_scenario):
    variant = write_scenario("extends: base.yml\nqueues.billing.handle_time.cv: -1\n", "variant.yml")
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario(variant)
    problem = info.value.problems[0]
    assert problem.file == str(variant) and problem.line == 2
    assert "variant.yml extends" in problem.message and "base.yml" in problem.message


def test_errors_in_the_base_point_at_the_base(write_scenario):
    broken = write_scenario(BASE_YAML.replace("staff: 6", "staff: -1"), "base.yml")
    variant = write_scenario("extends: base.yml\nname: v\n", "variant.yml")
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario(variant)
    problem = info.value.problems[0]
    assert problem.file.endswith("base.yml") and problem.path == "agent_groups.generalists.staff"
    assert problem.line == BASE_YAML.splitlines().index("    staff: 6") + 1
    assert str(variant) in problem.message or "variant.yml" in problem.message
    del broken


@pytest.mark.parametrize(("text", "words"), [
    ("extends: nowhere.yml\n", "file not found"),
    ("extends: loop.yml\n", "cycle"),
    ("extends: 3\n", "expected the path"),
])
def test_bad_extends(write_scenario, text, words):
    path = write_scenario(text, "loop.yml")
    with pytest.raises(ScenarioError, match=words):
        ccsim.load_scenario(path)


def test_run_set_overrides_from_the_cli(base):
    from click.testing import CliRunner

    from ccsim.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["run", str(base), "-r", "2", "-f", "json", "--set", "queues.billing.arrivals.per_hour=0",
                                  "--set", "queues.tech.priority=2"])
    assert result.exit_code == 0, result.output
    import json
    assert json.loads(result.output)["kpis"]["billing"]["offered"]["mean"] == 0
    bad = runner.invoke(main, ["run", str(base), "--set", "queues.billing.handle_time.cv=-2"])
    assert bad.exit_code == 2 and "queues.billing.handle_time.cv" in bad.output and "--set" in bad.output
    assert runner.invoke(main, ["run", str(base), "--set", "no_equals_sign"]).exit_code == 2


def test_an_error_inside_a_set_mapping_is_blamed_on_the_set(base):
    with pytest.raises(ScenarioError) as info:
        ccsim.load_scenario(base, overrides={"queues.billing.handle_time": {"dist": "gamma", "mean": -1, "cv": 1}})
    (problem,) = info.value.problems
    assert problem.path == "queues.billing.handle_time.mean" and problem.file == "--set"
