"""Fast lanes change nothing: every record of a run with lanes equals the run on the general path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import ccsim
from ccsim.model import lanes
from ccsim.model.engine import Engine, Observer
from ccsim.model.plan import compile_plan
from tests.model.helpers import single_queue

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
EXP = "exponential"


def _one_queue(**queue_extra) -> ccsim.Scenario:
    """A single-skill team whose staff changes every interval (agents join and leave busy)."""
    queue = {"arrivals": {"per_interval": [40, 90, 60, 120, 30, 80]}, "handle_time": {"dist": EXP, "mean": 300},
             "patience": {"dist": EXP, "mean": 200}, **queue_extra}
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "14:00", "days": 2}, "interval": "60m", "warmup": 1800,
        "queues": {"q": queue, "backup": {"handle_time": {"dist": EXP, "mean": 200}}},
        "agent_groups": {"team": {"skills": ["q"], "staff": [3, 9, 5, 10, 2, 7], "shrinkage": 0.2},
                         "backup": {"skills": ["backup"], "staff": 2}},
    })


def _shared(**routing) -> ccsim.Scenario:
    """One group serves q alone, another q and r (calls), a third r and email."""
    exp = {"dist": EXP, "mean": 300}
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "20:00"}, "interval": "60m",
        "queues": {"q": {"arrivals": {"per_hour": 80}, "handle_time": exp, "patience": {"dist": EXP, "mean": 200}},
                   "r": {"arrivals": {"per_hour": 30}, "handle_time": exp, "priority": 2},
                   "mail": {"channel": "email", "arrivals": {"per_hour": 20}, "handle_time": exp}},
        "agent_groups": {"q_only": {"skills": ["q"], "staff": 5}, "both": {"skills": {"q": 2, "r": 1}, "staff": 5},
                         "back": {"skills": ["r", "mail"], "staff": [2, 3, 1, 4] * 3}},
        "routing": routing or {"policy": "priority_then_longest_wait"}})


def _chats(**routing) -> ccsim.Scenario:
    """Voice, chat (three at once) and email; one group's staff changes every interval, with
    shrinkage (agents leave and go off while chatting); chats may be transferred to voice or come
    back unresolved."""
    exp = {"dist": EXP, "mean": 300}
    chat = {"channel": "chat", "concurrency": 3, "slowdown": 0.2, "arrivals": {"per_hour": 90}, "handle_time": exp,
            "patience": {"dist": EXP, "mean": 120}, "transfers": [{"to": "voice", "probability": 0.1}], "fcr": 0.8,
            "unresolved": {"repeat": {"probability": 0.7, "delay": {"dist": EXP, "mean": 900}, "max_attempts": 3}}}
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "14:00", "days": 2}, "interval": "60m",
        "queues": {"voice": {"arrivals": {"per_hour": 50}, "handle_time": exp, "patience": {"dist": EXP, "mean": 200}},
                   "chat": chat, "mail": {"channel": "email", "arrivals": {"per_hour": 20}, "handle_time": exp}},
        "agent_groups": {"voice_only": {"skills": ["voice"], "staff": 3},
                         "chatters": {"skills": {"chat": 1, "mail": 2}, "staff": [3, 6, 2, 5, 1, 4], "shrinkage": 0.2},
                         "blended": {"skills": {"voice": 1, "chat": 2, "mail": 3}, "staff": [2, 3, 1, 3, 2, 1]}},
        "routing": routing or {"policy": "priority_then_longest_wait"}})


CASES = {
    "M/M/c+M": lambda: single_queue(500, 300, 40, patience_s=400, hours=24),
    "retrials (patience events)": lambda: _one_queue(
        retrial={"probability": 0.5, "delay": {"dist": EXP, "mean": 300}, "max_attempts": 3}),
    "repeats after service": lambda: _one_queue(
        fcr=0.7, unresolved={"repeat": {"probability": 0.8, "delay": {"dist": EXP, "mean": 900}, "max_attempts": 3}}),
    "callbacks and escalation": lambda: _one_queue(
        callback={"offer_over": 60, "acceptance": 0.5, "due": "30m"}, escalation={"after": 90, "to": "backup"}),
    "transfers": lambda: _one_queue(transfers=[{"to": "backup", "probability": 0.3}]),
    "a single-skill group sharing its line": lambda: _shared(),
    "fifo across groups, with email": lambda: _shared(policy="fifo"),
    "email held back by a blending rule": lambda: _shared(blending="live_first", reserve=1, live_quiet="2m"),
    "email by priority": lambda: _shared(blending="by_priority"),
    "chats, agents leaving and off, flows after a chat": lambda: _chats(),
    "chats first come first served, email held back": lambda: _chats(policy="fifo", blending="live_first", reserve=1),
    **{name: (lambda name=name: ccsim.load_scenario(SCENARIOS / f"{name}.yml"))
       for name in ("hotline", "omnichannel", "after_sales", "tiered_support")},
}


def _records(plan, replication: int, observer: Observer | None = None):
    records = Engine(plan, 3, replication, observer=observer).run()
    return {**{f"leg {k}": v for k, v in records.legs.items()},
            **{f"contact {k}": v for k, v in records.contacts.items()},
            "stages": records.stages, "off": records.off, "present_s": records.present_s,
            "returns_pending": np.array(records.returns_pending)}


@pytest.mark.parametrize("case", CASES)
def test_lanes_leave_every_record_as_the_general_path(case, monkeypatch):
    plan = compile_plan(CASES[case]())
    for replication in range(2):
        engine = Engine(plan, 3, replication)
        with_lanes = _records(plan, replication)
        monkeypatch.setattr(lanes, "usable", lambda engine: False)
        general = _records(plan, replication)
        monkeypatch.undo()
        assert with_lanes.keys() == general.keys()
        for name, values in general.items():
            assert np.array_equal(with_lanes[name], values, equal_nan=values.dtype.kind == "f"), (case, name)
    # the comparison means something: some line or group takes a lane in every case
    assert any(lane is not None for lane in engine._offer_lane)


def test_an_observer_keeps_the_general_path():
    """An observer sees every service start, so no lane may skip it."""
    plan = compile_plan(CASES["M/M/c+M"]())

    class Counting(Observer):
        started = 0

        def leg_started(self, engine, agent, leg):
            Counting.started += 1

    records = Engine(plan, 3, 0, observer=Counting()).run()
    assert Counting.started == int((records.legs["state"] == 1).sum()) > 0


def test_a_subclass_deciding_otherwise_is_always_asked():
    """A policy derived from a built-in one that overrides its decisions gets no shortcut: the
    engine asks it even where one group serves one line."""
    from ccsim.policies import get_policy, register_policy
    from ccsim.policies.registry import POLICIES

    asked = {"agent": 0, "line": 0}

    class Counting(get_policy("priority_then_longest_wait")):
        def select_agent(self, line):
            asked["agent"] += 1
            return super().select_agent(line)

        def select_line(self, group, chatting):
            asked["line"] += 1
            return super().select_line(group, chatting)

    register_policy("test_counting")(Counting)
    try:
        sc = CASES["M/M/c+M"]()
        sc = sc.model_copy(update={"routing": sc.routing.model_copy(update={"policy": "test_counting"})})
        engine = Engine(compile_plan(sc), 3, 0)
        records = engine.run()
    finally:
        POLICIES.unregister("test_counting")
    assert all(lane is None for lane in engine._offer_lane)
    answered = int((records.legs["state"] == 1).sum())
    assert asked["agent"] > 0.3 * answered and asked["line"] > 0.3 * answered


@pytest.mark.parametrize("case", ["hotline", "transfers", "chats, agents leaving and off, flows after a chat"])
def test_after_service_steps_leave_every_record_as_the_general_decision(case, monkeypatch):
    """A queue's after-service step (a closure over its rules) decides as
    `Flows.decide_after_service` does, draw for draw."""
    from ccsim.model.flows import Flows

    plan = compile_plan(CASES[case]())
    steps = _records(plan, 0)
    monkeypatch.setattr(Flows, "_after_service_step", lambda flows, engine, q: flows.decide_after_service)
    general = _records(plan, 0)
    for name, values in general.items():
        assert np.array_equal(steps[name], values, equal_nan=values.dtype.kind == "f"), name
    # the comparison means something: some services ended in a transfer or unresolved
    assert (general["leg result"] > 0).any()


def test_a_stage_done_and_the_next_entered_in_one_step_leave_every_record(monkeypatch):
    """A stage's `moved_on` (the previous stage logged, the contact entering this one, in one
    call) does what logging the stage, moving the contact on and `enter` did one after another;
    and a queue whose legs are all one stage's runs that stage's step itself after a service, as
    `resolved` finds it from the contact's process and stage."""
    from ccsim.model.flows import Flows

    plan = compile_plan(CASES["after_sales"]())
    fused = _records(plan, 0)
    entry_step = Flows._entry_step

    def unfused(flows, engine, process, stage, index, offer, due):
        enter, _ = entry_step(flows, engine, process, stage, index, offer, due)
        contacts, kernel, leg_contact = engine.contacts, engine.kernel, engine.legs.contact

        def moved_on(leg):
            contact = leg_contact[leg]
            flows.stage_log += (contact, process, index - 1, contacts.stage_entry[contact], kernel.now)
            contacts.stage[contact] = index
            enter(contact)

        return enter, moved_on

    monkeypatch.setattr(Flows, "_entry_step", unfused)
    monkeypatch.setattr(Flows, "_stage_of_queue", lambda flows: [None] * flows.plan.n_queues)
    general = _records(plan, 0)
    for name, values in general.items():
        assert np.array_equal(fused[name], values, equal_nan=values.dtype.kind == "f"), name
    # the comparison means something: contacts went through every stage, delayed ones included
    assert np.bincount(general["stages"][:, 2].astype(int)).min() > 20


def test_a_queue_implies_its_stage_only_where_every_leg_of_it_is_that_stage_s():
    """after_sales: each stage's queue is its alone; management takes escalated legs of several
    stages. tiered_support and hotline have no process."""
    from ccsim.model.engine import Engine

    stages = Engine(compile_plan(CASES["after_sales"]()), 3, 0).flows._stage_of_queue()
    assert stages == [(0, 0), (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), None]
    # legs transferred into tracking, fresh calls of satisfaction's own: neither implies its stage
    scenario = CASES["after_sales"]().model_dump(exclude_unset=True)
    scenario["queues"]["intake"]["transfers"] = [{"to": "tracking", "probability": 0.1}]
    scenario["queues"]["satisfaction"]["arrivals"] = {"per_hour": 1}
    engine = Engine(compile_plan(ccsim.Scenario.model_validate(scenario)), 3, 0)
    assert engine.flows._stage_of_queue() == [(0, 0), (0, 1), (0, 2), None, (0, 4), None, None]
    for case in ("tiered_support", "hotline"):
        assert set(Engine(compile_plan(CASES[case]()), 3, 0).flows._stage_of_queue()) == {None}
