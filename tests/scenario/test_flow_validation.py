"""Bad process flows get one clear problem each, with the field path and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

import ccsim
from tests.conftest import BASE_YAML
from tests.scenario.test_validation import one_problem

BILLING_FLOW_AT = "    service_level: {threshold: 20s, target: 0.8}\n  tech:\n"


def with_billing_flow(flow: str) -> str:
    """BASE_YAML with extra keys (indented 4 spaces) on the billing queue."""
    assert BILLING_FLOW_AT in BASE_YAML
    return BASE_YAML.replace(BILLING_FLOW_AT, BILLING_FLOW_AT.replace("  tech:\n", flow + "  tech:\n"))


def test_valid_flows_load(write_scenario):
    sc = ccsim.load_scenario(write_scenario(with_billing_flow(
        "    transfers: [{to: tech, probability: 0.2, priority: 0}]\n"
        "    escalation: {after: 2m, priority: 0}\n"
        "    fcr: 0.8\n"
        "    unresolved: {repeat: {delay: {dist: exponential, mean: 1h}, max_attempts: 2}}\n"
        "    retrial: {probability: 0.5, delay: {dist: exponential, mean: 10m}}\n"
        "    callback: {offer_over: 1m, acceptance: 0.6, due: 2h}\n")))
    billing = sc.queues["billing"]
    assert billing.transfers[0].to == "tech" and billing.escalation.after == 120.0
    assert billing.unresolved.repeat.max_attempts == 2 and billing.retrial.max_attempts == 3
    assert billing.callback.due == 7200.0
    fixed = ccsim.load_scenario(write_scenario(with_billing_flow("    retrial: {delay: 10m}\n")))
    assert fixed.queues["billing"].retrial.delay.mean == 600.0      # a plain duration is a fixed delay


def assert_billing_problem(write_scenario, extra: str, path: str, words: str) -> None:
    """The billing queue with `extra` lines gives exactly one problem, at `path`, saying `words`."""
    p = one_problem(write_scenario, with_billing_flow(extra))
    assert p.path == path, p
    assert words in p.message, p


@pytest.mark.parametrize(("flow", "path", "words"), [
    ("    transfers: [{to: nowhere, probability: 0.2}]\n", "queues.billing.transfers.0.to", "unknown queue 'nowhere'"),
    ("    transfers: [{to: tech, probability: 0.7}, {to: tech, probability: 0.6}]\n", "queues.billing.transfers",
     "at most 1"),
    ("    transfers: [{to: tech, probability: 1.5}]\n", "queues.billing.transfers.0.probability", "less than or equal"),
    ("    escalation: {after: 1m}\n", "queues.billing.escalation", "give 'to'"),
    ("    escalation: {after: 1m, to: ghost}\n", "queues.billing.escalation.to", "unknown queue 'ghost'"),
    ("    fcr: 0.7\n    unresolved: {escalate_to: tech, repeat: {delay: 1h}}\n", "queues.billing.unresolved",
     "not both"),
    ("    retrial: {delay: soon}\n", "queues.billing.retrial.delay", "cannot read duration 'soon'"),
    ("    retrial: {probability: 0.5, delay: {dist: exponential, mean: 10m}, max_attempts: 0}\n",
     "queues.billing.retrial.max_attempts", "greater than or equal to 1"),
    ("    callback: {offer_over: 0, acceptance: 0.5, due: 1h}\n", "queues.billing.callback.offer_over", "> 0"),
    ("    callback: {offer_over: 1m, acceptance: 0.5}\n", "queues.billing.callback.due", "required"),
    ("    transfers: [{to: billing, probability: 1.0}]\n", "queues.billing", "never leave"),
])
def test_bad_flow_is_one_problem_with_its_path(write_scenario, flow, path, words):
    assert_billing_problem(write_scenario, flow, path, words)


def test_escalation_cycle_is_an_error(write_scenario):
    text = with_billing_flow("    escalation: {after: 1m, to: tech}\n").replace(
        "    handle_time: {dist: lognormal, mean: 4m, cv: 0.8}\n",
        "    handle_time: {dist: lognormal, mean: 4m, cv: 0.8}\n    escalation: {after: 1m, to: billing}\n")
    p = one_problem(write_scenario, text)
    assert "cycle" in p.message and p.path.endswith("escalation.to")


PROCESS = """\
processes:
  ticket:
    arrivals: {per_hour: 5}
    promise: 2d
    stages:
      - {queue: billing, name: intake, time_limit: 10m}
      - {queue: tech, delay: 1d%s}
"""


@pytest.mark.parametrize(("stage", "path", "words"), [
    (", escalate_to: billing", "processes.ticket.stages.1", "escalation needs a time_limit"),
    (", time_limit: 1h, escalate_to: boss", "processes.ticket.stages.1.escalate_to", "unknown queue 'boss'"),
    (", time_limit: 0", "processes.ticket.stages.1.time_limit", "> 0"),
])
def test_bad_process_stage(write_scenario, stage, path, words):
    p = one_problem(write_scenario, BASE_YAML + PROCESS % stage)
    assert p.path == path, p
    assert words in p.message, p


def test_process_loads_and_bad_name(write_scenario):
    sc = ccsim.load_scenario(write_scenario(BASE_YAML + PROCESS % ", time_limit: 4h"))
    assert [s.label for s in sc.processes["ticket"].stages] == ["intake", "tech"]
    assert sc.processes["ticket"].stages[1].delay == 86400.0
    p = one_problem(write_scenario, BASE_YAML + (PROCESS % "").replace("  ticket:", "  billing:"))
    assert p.path == "processes.billing" and "name of its own" in p.message


@pytest.mark.parametrize("path", sorted(Path("scenarios").glob("*.yml")), ids=lambda p: p.name)
def test_bundled_scenarios_run(path):
    sc = ccsim.load_scenario(path)
    res = ccsim.simulate(sc, replications=2, seed=1)
    k = res.kpis.loc["ALL"]
    assert k["offered"] > 0 and k["answered"] > 0
    assert k["offered"] == k["answered"] + k["abandoned"] + k["in_system"] + k["escalated"] + k["callbacks"]


@pytest.mark.parametrize(("queue_extra", "path", "words"), [
    ("    channel: chat\n    concurrency: 0\n", "queues.billing.concurrency", "greater than or equal to 1"),
    ("    concurrency: 3\n", "queues.billing", "apply to chat queues"),
    ("    channel: chat\n    concurrency: 2\n    slowdown: -0.1\n", "queues.billing.slowdown", "greater than or equal to 0"),
    ("    channel: email\n", "queues.billing", "never abandons"),
    ("    channel: fax\n", "queues.billing.channel", "'voice', 'chat', 'email' or 'outbound'"),
])
def test_bad_channel_settings(write_scenario, queue_extra, path, words):
    assert_billing_problem(write_scenario, queue_extra, path, words)


def test_due_time_must_be_positive(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("service_level: {threshold: 20s, target: 0.8}",
                                                      "service_level: {threshold: 0, target: 0.8}"))
    assert p.path == "queues.billing.service_level.threshold" and "> 0" in p.message


def test_unknown_weekday_factor(write_scenario):
    p = one_problem(write_scenario, BASE_YAML.replace("arrivals: {per_hour: 60}",
                                                      "arrivals: {per_hour: 60, day_factors: {someday: 1}}"))
    assert p.path.startswith("queues.billing.arrivals.day_factors") and "mon, tue" in p.message


@pytest.mark.parametrize("path", sorted(Path("scenarios").glob("*.yml")), ids=lambda p: p.name)
def test_scenarios_round_trip_through_yaml(path, tmp_path):
    """A written scenario loads back to the same scenario and simulates identically."""
    sc = ccsim.load_scenario(path)
    written = ccsim.write_scenario(sc, tmp_path / "copy.yml")
    again = ccsim.load_scenario(written)
    assert ccsim.scenario_dict(again) == ccsim.scenario_dict(sc)
    assert ccsim.simulate(again, replications=1, seed=3).kpis.equals(ccsim.simulate(sc, replications=1, seed=3).kpis)


def test_csv_volumes_are_written_inline(write_scenario, tmp_path):
    (tmp_path / "volumes.csv").write_text("interval_start,volume\n08:00,10\n08:30,20\n09:00,30\n09:30,20\n")
    sc = ccsim.load_scenario(write_scenario(BASE_YAML.replace("arrivals: {per_hour: 60}", "arrivals: {csv: volumes.csv}")))
    data = ccsim.scenario_dict(sc)
    assert data["queues"]["billing"]["arrivals"] == {"per_interval": [10.0, 20.0, 30.0, 20.0]}
