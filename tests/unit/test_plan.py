"""The compiled plan: channels declared once, one `Line` per waiting line, named flow rules, and the
per-line and per-queue views the engine reads (expected values worked out by hand)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from pydantic import ValidationError

import ccsim
from ccsim.channels import CHANNEL_NAMES, CHANNELS, DEFERRED_CHANNELS
from ccsim.model.plan import CallbackRule, EscalationRule, Line, TransferRule, compile_plan

EXP = {"dist": "exponential", "mean": 300}


def mixed(**calls) -> ccsim.Scenario:
    """Every channel, and flows that add lines: a transfer at priority 0, a raise in place, callbacks."""
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "12:00"}, "interval": "60m",
        "queues": {
            "calls": {"channel": "voice", "priority": 2, "arrivals": {"per_hour": 60}, "handle_time": EXP,
                      "patience": EXP,
                      "transfers": [{"to": "chats", "probability": 0.25},
                                    {"to": "chats", "probability": 0.25, "priority": 0}],
                      "escalation": {"after": 120, "priority": 1},
                      "callback": {"offer_over": 60, "acceptance": 0.5, "due": "30m"}, **calls},
            "chats": {"channel": "chat", "concurrency": 3, "slowdown": 0.2, "handle_time": EXP},
            "quick": {"channel": "chat", "concurrency": 2, "arrivals": {"per_hour": 20}, "handle_time": EXP},
            "mail": {"channel": "email", "arrivals": {"per_hour": 10}, "handle_time": EXP,
                     "service_level": {"threshold": "2h"}},
            "list": {"channel": "outbound", "priority": 3, "arrivals": {"per_interval": [40, 0, 0, 0]},
                     "handle_time": EXP, "service_level": {"threshold": "4h"}},
        },
        "agent_groups": {"front": {"skills": ["calls", "chats", "quick"], "staff": 10},
                         "digital": {"skills": ["quick"], "staff": 2},
                         "back": {"skills": ["mail", "list"], "staff": 3}},
    })


def test_channels_are_declared_once_and_the_schema_reads_them():
    assert CHANNEL_NAMES == ("voice", "chat", "email", "outbound")
    assert DEFERRED_CHANNELS == ("email", "outbound")
    assert [c.name for c in CHANNELS.values() if c.concurrent] == ["chat"]
    with pytest.raises(ValidationError, match="'voice', 'chat', 'email' or 'outbound'"):
        mixed(channel="fax")


@pytest.mark.parametrize(("channel", "key", "allowed"), [
    ("email", {"patience": EXP}, "never abandons"), ("outbound", {"patience": EXP}, "never abandons"),
    ("voice", {"concurrency": 2}, "apply to chat queues"), ("email", {"slowdown": 0.1}, "apply to chat queues"),
    ("chat", {"concurrency": 2, "slowdown": 0.1}, None)])
def test_queue_rules_follow_the_channel_flags(channel, key, allowed):
    if allowed is None:                      # a live, concurrent channel takes patience and concurrency
        assert compile_plan(mixed(channel=channel, **key)).lines[0].concurrency == 2
        return
    with pytest.raises(ValidationError, match=allowed):
        mixed(channel=channel, **key)


def test_each_line_is_compiled_once_with_its_channel():
    plan = compile_plan(mixed())
    chat, voice = CHANNELS["chat"], CHANNELS["voice"]
    # base lines 0-4 are the queues; then, in the order the flows name them: the transfer at
    # priority 0 (5), the raise in place to priority 1 (6), the callbacks below every other line (7)
    assert plan.lines[5:] == (Line(1, 0, chat, True, 3, 0.2), Line(0, 1, voice, True, 1, 0.0),
                              Line(0, 4, voice, False, 1, 0.0))
    assert plan.line_queue == (0, 1, 2, 3, 4, 1, 0, 0)
    assert plan.line_priority == (2, 1, 1, 1, 3, 0, 1, 4)
    assert plan.line_deferred == (False, False, False, True, True, False, False, True)
    assert [line.shared for line in plan.lines] == [False, True, True, False, False, True, False, False]
    assert plan.lines[1].capacity_share == pytest.approx(1 / 3)


def test_per_queue_views_come_from_the_base_lines():
    plan = compile_plan(mixed())
    assert plan.channel == ("voice", "chat", "chat", "email", "outbound")
    assert plan.channels_used == ("voice", "chat", "email", "outbound")
    assert plan.concurrency == (1, 3, 2, 1, 1)
    assert plan.slowdown == (0.0, 0.2, 0.0, 0.0, 0.0)
    assert plan.is_chat == (False, True, True, False, False)
    assert plan.chat_capacity == (3, 2, 1)              # front holds the larger of its chat queues'
    np.testing.assert_allclose(plan.capacity_share, [[1, 1 / 3, 1 / 3, 1, 1], [1, 1 / 2, 1 / 2, 1, 1], [1] * 5])


def test_flow_rules_are_named_and_still_unpack_by_position():
    flows = compile_plan(mixed()).flows
    assert flows.transfers[0] == (TransferRule(0.25, 1), TransferRule(0.5, 5))
    assert flows.escalation[0] == EscalationRule(after_s=120.0, line=6, queue=0)
    rule = flows.callback[0]
    assert rule == CallbackRule(offer_over_s=60.0, acceptance=0.5, due_s=1800.0, line=7)
    offer_over, acceptance, _, line = rule
    assert (offer_over, acceptance, line) == (rule.offer_over_s, rule.acceptance, rule.line)
    assert flows.callback[1:] == (None,) * 4 and flows.after_service == (True, False, False, False, False)


def test_a_bundled_scenario_compiles_as_before():
    plan = compile_plan(ccsim.load_scenario("scenarios/omnichannel.yml"))
    assert [(ln.queue, ln.priority, ln.channel.name, ln.live, ln.concurrency, ln.slowdown) for ln in plan.lines] == [
        (0, 1, "voice", True, 1, 0.0), (1, 1, "chat", True, 3, 0.15), (2, 1, "email", False, 1, 0.0)]
    assert plan.chat_capacity == (1, 3, 3) and plan.is_chat == (False, True, False)
    tiers = compile_plan(ccsim.load_scenario("scenarios/after_sales.yml"))
    assert tiers.line_priority == (1, 1, 1, 1, 1, 1, 0)
    assert tiers.line_deferred == (False, True, True, True, True, False, True)


def test_the_plan_pickles_with_its_views():
    plan = compile_plan(mixed())
    copy = pickle.loads(pickle.dumps(plan))
    assert copy.lines == plan.lines and copy.line_deferred == plan.line_deferred
    assert copy.chat_capacity == plan.chat_capacity and copy.flows.callback == plan.flows.callback
