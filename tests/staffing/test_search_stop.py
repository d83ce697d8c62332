"""The simulation search says when it stopped early (at max_iterations or the time budget), after
how many simulations, and which targets the staff it returns still misses."""

from __future__ import annotations

import json

import ccsim
from ccsim.report.staffing import staffing_json, staffing_tables
from tests.badinput.cli import run_cli

# Erlang sees only fresh calls; half of them come back within minutes, so the analytic start is short
REPEATS_YAML = """\
name: repeats
horizon: {start: "08:00", end: "10:00"}
interval: 30m
queues:
  billing:
    arrivals: {per_hour: 120}
    handle_time: {dist: exponential, mean: 240}
    service_level: {threshold: 20s, target: 0.8}
    fcr: 0.5
    unresolved:
      repeat: {probability: 1.0, delay: {dist: exponential, mean: 60}, max_attempts: 4}
agent_groups:
  team: {skills: [billing], staff: 1, cost_per_hour: 30}
"""


def test_stopping_at_max_iterations_is_reported_with_what_is_unmet(write_scenario):
    path = write_scenario(REPEATS_YAML)
    result = ccsim.staff(path, method="simulate", replications=2, seed=1, max_iterations=1)
    search = result.search
    assert search.stop == "max_iterations" and search.stopped_early and not search.met
    assert search.simulations == 1
    assert not search.unmet.empty
    assert set(search.unmet.queue) == {"billing"} and set(search.unmet.kpi) == {"service_level"}
    assert (search.unmet.value < search.unmet.target).all() and (search.unmet.shortfall > 0).all()
    assert "stopped early at --max-iterations after 1 simulations; unmet: billing 08:00 service_level" in search.note
    assert staffing_tables(result)[0].caption == search.note
    data = json.loads(staffing_json(result))["search"]
    assert data["stopped_early"] is True and data["stop"] == "max_iterations" and data["simulations"] == 1
    assert data["unmet"][0]["queue"] == "billing"


def test_stopping_at_the_time_budget_is_reported(write_scenario):
    result = ccsim.staff(write_scenario(REPEATS_YAML), method="simulate", replications=2, seed=1,
                         time_budget_s=1e-9)
    assert result.search.stop == "time_budget" and result.search.simulations == 1
    assert "stopped early at the time budget (--time-budget) after 1 simulations" in result.search.note


def test_a_search_that_finishes_is_not_early(write_scenario):
    result = ccsim.staff(write_scenario(REPEATS_YAML), method="simulate", replications=2, seed=1, max_iterations=60)
    search = result.search
    assert search.stop == "done" and not search.stopped_early and search.met and search.unmet.empty
    assert staffing_tables(result)[0].caption is None


def test_staff_json_on_the_command_line_says_it_stopped_early(write_scenario):
    out = run_cli("staff", write_scenario(REPEATS_YAML), "-m", "simulate", "-r", "2", "--max-iterations", "1",
                  "-f", "json")
    assert out.returncode == 0, out.stderr
    search = json.loads(out.stdout)["search"]
    assert search["stopped_early"] and search["simulations"] == 1 and search["unmet"]
