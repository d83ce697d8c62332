"""Sizes this machine cannot run, through the command line: `run` and `validate` exit 2 at once
with the estimate and the key to change, before anything is allocated."""

from __future__ import annotations

import pytest

from tests.badinput.cli import assert_clean_error, run_cli

SCENARIO = """\
name: sizes
horizon: {{start: "08:00", end: "20:00", days: {days}}}
interval: 30m
warmup: {warmup}
replications: {replications}
queues:
  billing:
    arrivals: {{per_hour: {per_hour}}}
    handle_time: {{dist: exponential, mean: 180}}
    patience: {{dist: exponential, mean: 120}}
agent_groups:
  team:
    skills: [billing]
    staff: {staff}
"""
NORMAL = dict(days=1, warmup=0, replications=10, per_hour=60, staff=5)

# every case needs well over a terabyte (so the refusal holds on any machine that runs the tests)
OVERSIZED = {
    "arrivals": ({"per_hour": "1e12"}, ["queues.billing.arrivals", "contacts", "PB of memory"]),
    "agents": ({"staff": 10**11}, ["agent_groups.team.staff", "1e+11 agents"]),
    "warmup": ({"warmup": "100000d", "per_hour": 6000}, ["warmup", "contacts", "warmup of 1e+05 days"]),
    "days": ({"days": 100000, "per_hour": 6000}, ["horizon.days", "2,400,000 intervals"]),
    "replications": ({"replications": 10**8}, ["replications", "100000000 replications"]),
}


@pytest.mark.parametrize("command", ["run", "validate"])
@pytest.mark.parametrize("case", OVERSIZED)
def test_oversized_scenarios_exit_2_with_the_estimate_and_the_key(write_scenario, command, case):
    changes, fragments = OVERSIZED[case]
    path = write_scenario(SCENARIO.format(**{**NORMAL, **changes}))
    result = run_cli(command, path)
    assert_clean_error(result, *fragments, "needs ~", "of memory, this machine has", "--force")
    if command == "validate":
        assert str(path) in result.stderr


def test_force_does_not_override_an_impossible_size(write_scenario):
    path = write_scenario(SCENARIO.format(**{**NORMAL, "per_hour": "1e21"}))
    assert_clean_error(run_cli("run", path, "--force"), "queues.billing.arrivals", "more than can be drawn")


def test_a_normal_scenario_still_validates(write_scenario):
    result = run_cli("validate", write_scenario(SCENARIO.format(**NORMAL)))
    assert result.returncode == 0, result.stderr
