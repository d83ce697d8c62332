"""Timer chains change nothing: escalation timers and stage delays kept in `TimerChain`s (one at a
time in the heap) leave every record as the same timers each on the heap."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.model.flows import Flows
from ccsim.model.kernel import Kernel
from ccsim.model.plan import compile_plan
from ccsim.model.states import ESCALATED
from tests.model.test_lanes import CASES, SCENARIOS, _records

EXP = {"dist": "exponential", "mean": 300}


def _tickets() -> ccsim.Scenario:
    """Two-stage tickets with wait limits and a delay between the stages; a share of the first
    stage's work is transferred within the stage (its timer, counted from the stage's entry, comes
    out of order), and the second stage's team is short (its tickets overrun their limit)."""
    return ccsim.Scenario.model_validate({
        "horizon": {"start": "08:00", "end": "16:00", "days": 2}, "interval": "60m",
        "queues": {"a": {"channel": "email", "handle_time": EXP, "transfers": [{"to": "a2", "probability": 0.3}]},
                   "a2": {"channel": "email", "handle_time": EXP},
                   "b": {"channel": "email", "handle_time": EXP},
                   "boss": {"channel": "email", "handle_time": EXP, "priority": 0}},
        "processes": {"ticket": {"arrivals": {"per_hour": 24}, "stages": [
            {"name": "first", "queue": "a", "time_limit": "20m", "escalate_to": "boss"},
            {"name": "second", "queue": "b", "delay": "10m", "time_limit": "30m", "escalate_to": "boss"}]}},
        "agent_groups": {"team_a": {"skills": ["a", "a2"], "staff": 3}, "team_b": {"skills": ["b"], "staff": 1},
                         "bosses": {"skills": ["boss"], "staff": 2}}})


CHAINED = {"tickets with transfers within a stage": _tickets,
           "service_center": lambda: ccsim.load_scenario(SCENARIOS / "service_center.yml"),
           **{name: CASES[name] for name in ("after_sales", "callbacks and escalation")}}


@pytest.mark.parametrize("case", CHAINED)
def test_chained_timers_leave_every_record_as_timers_on_the_heap(case, monkeypatch):
    plan = compile_plan(CHAINED[case]())
    made = []
    original = Kernel.chain

    def counting(kernel, matters):
        made.append(original(kernel, matters))
        return made[-1]

    monkeypatch.setattr(Kernel, "chain", counting)
    chained = _records(plan, 0)
    monkeypatch.setattr(Flows, "chains_timers", False)
    on_heap = _records(plan, 0)
    for name, values in on_heap.items():
        assert np.array_equal(chained[name], values, equal_nan=values.dtype.kind == "f"), name
    # the comparison means something: chains were used, and some leg overran its limit
    assert made and (on_heap["leg state"] == ESCALATED).any()
