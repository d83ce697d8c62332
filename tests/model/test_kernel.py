"""The kernel's use of SimPy internals: fails loudly if a SimPy release changes them."""

from __future__ import annotations

import simpy
from simpy.events import NORMAL

from ccsim.model.kernel import Kernel


def test_simpy_internals_the_kernel_relies_on():
    env = simpy.Environment(initial_time=5.0)
    assert isinstance(env._queue, list) and env._now == 5.0
    event = env.timeout(2.0, value="x")
    time_s, priority, eid, scheduled = env._queue[0]     # (time, priority, id, event)
    assert (time_s, priority, scheduled) == (7.0, NORMAL, event) and isinstance(eid, int)
    assert next(env._eid) == eid + 1                      # ids come from an iterator
    env._now = 6.5
    assert env.now == 6.5                                 # `now` reads `_now`
    env.step()
    assert env.now == 7.0 and event.processed


def test_kernel_runs_its_events_arrivals_and_simpy_processes_in_time_order():
    kernel = Kernel(0.0)
    seen = []

    def note(what):
        seen.append((kernel.now, what))

    def process(env):
        yield env.timeout(1.5)
        note("process")
        kernel.at(1.0, note, "from process")

    kernel.env.process(process(kernel.env))
    kernel.at(2.0, note, "event")
    kernel.at(2.0, note, "event, scheduled later")
    kernel.at(9.0, note, "after the end")
    kernel.run(5.0, [0.5, 2.0, 4.0], lambda i: note(f"arrival {i}"), [0, 1, 2])
    assert seen == [(0.5, "arrival 0"), (1.5, "process"), (2.0, "arrival 1"), (2.0, "event"),
                    (2.0, "event, scheduled later"), (2.5, "from process"), (4.0, "arrival 2")]
    assert kernel.now == 5.0 and [v for _, v in kernel.pending()] == ["after the end"]


def test_simpy_goes_on_after_a_kernel_run():
    """The kernel leaves SimPy's queue as SimPy knows it: its own run continues after ours."""
    kernel = Kernel(0.0)
    kernel.at(1.0, lambda v: None, None)
    timeout = kernel.env.timeout(7.0)
    kernel.run(5.0, [2.0, 6.0], lambda i: None, [0, 1])
    assert kernel.env.peek() == 7.0
    kernel.env.run()
    assert kernel.env.now == 7.0 and timeout.processed


def test_a_timer_chain_runs_what_matters_in_heap_order_and_reports_the_rest():
    """Only chained timers that still matter run, each at its place among the other events (ties
    by the order they were set); a timer set before the chain's last one is refused; until their
    time, chained timers count as scheduled."""
    kernel = Kernel(0.0)
    seen, dropped = [], {"b"}
    chain = kernel.chain(lambda value: value not in dropped)

    def chained(value):
        chain.advance()
        seen.append((kernel.now, value))

    assert chain.at(1.0, chained, "a") and chain.at(2.0, chained, "b") and chain.at(2.0, chained, "c")
    kernel.at(2.0, lambda v: seen.append((kernel.now, v)), "set after c")
    assert chain.at(3.0, chained, "d") and not chain.at(2.5, chained, "too early")
    kernel.run(1.5, [], lambda i: None, [])
    # b was found not to matter when a ran, but counts as scheduled until 2.0, as it would in the heap
    assert sorted(v for _, v in kernel.pending()) == ["b", "c", "d", "set after c"]
    kernel.run(2.5, [], lambda i: None, [])
    assert seen == [(1.0, "a"), (2.0, "c"), (2.0, "set after c")]
    assert [v for _, v in kernel.pending()] == ["d"]        # b ran (as nothing) at 2.0: not pending
    kernel.run(9.0, [], lambda i: None, [])
    assert seen[-1] == (3.0, "d") and kernel.pending() == []
