"""Fast lanes: the whole step for a line that one group alone serves and a group that serves one
line alone, as closures over the state they touch.

The general path (`Engine.offer`, `Engine.release`, `Engine.start`) goes through the policy and
the collaborators' verbs: about seven Python calls per contact. Where the answer is obvious (see
`Engine._shortcuts`: no chat, no deferred work, a policy that promises it) and nothing watches or
rescales a service (no observer, no handle-time factors, no pilot), a lane does the same steps in
one call: a freed agent of a single-line group takes the oldest waiting leg or goes idle, and a
leg offered to a single-group line goes to the longest-idle agent or waits. Anything else (a
flow decision, a group shrinking or owing a break, a callback offer, escalation timers, patience
events) it hands back to the engine's own methods. Same steps in the same order, the same heap
entries, the same draws: results are identical (tests/model/test_lanes.py compares every record
of runs with and without lanes).

Like `kernel.py` with SimPy, this module reads and writes its collaborators' state directly: the
waiting lines' FIFO, index and counts, a pool's idle agents and busy count, the kernel's heap.
Those modules name it where they declare that state. Measured gain: the engine's run on
M/M/c+M (~110k contacts, c = 10 and 200) takes 0.70x the time of the general path (2026-11-26,
a shared machine, `benchmarks/bench_speed.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from heapq import heappush
from typing import TYPE_CHECKING

from simpy.events import NORMAL

from ccsim.model.states import ANSWERED

if TYPE_CHECKING:
    from ccsim.model.engine import Engine
    from ccsim.model.pools import Agent

INF = math.inf


def usable(engine: "Engine") -> bool:
    """May lanes replace the general path at all? Not when a service is watched or rescaled."""
    return engine.observer is None and not engine.scales_handle


def release_lane(engine: "Engine", group: int, line: int) -> Callable[["Agent"], None]:
    """`Engine.release(agent)` for an agent of `group`, which serves `line` alone."""
    kernel, lines, legs, pool = engine.kernel, engine.lines, engine.legs, engine.pools[group]
    heap, ids, idle = kernel._heap, kernel._ids, pool.idle
    fifo, where, count, expire = lines._fifo[line], lines._where, lines._count, lines._expire
    popleft, find, make_idle = fifo.popleft, where.get, idle.append
    state, answer, served_by, handle, queue = legs.state, legs.answer, legs.group, legs.handle, legs.queue
    decides, after_service, decide = engine._decides, engine.after_service, engine.flows.decide_after_service
    owed, general = engine._owed[group], engine.release

    def release(agent: "Agent") -> None:
        leg = agent.leg
        if leg >= 0:
            agent.leg = -1
            if decides and after_service[queue[leg]]:
                decide(leg)
        if pool.leaving or owed:
            general(agent)          # its leg is settled: the general path only places the agent
            return
        if count[line]:
            now = kernel.now
            while fifo:             # WaitingLines.pop_oldest
                _, deadline_s, leg = popleft()
                if find(leg) != line:
                    continue
                if deadline_s <= now:
                    expire(leg, line, deadline_s)
                    continue
                del where[leg]
                count[line] -= 1
                if now > lines.last_live_leave:     # a single-line group's line is live
                    lines.last_live_leave = now
                agent.leg = leg     # Engine.start
                state[leg] = ANSWERED
                answer[leg] = now
                served_by[leg] = group
                heappush(heap, (now + handle[leg], NORMAL, next(ids), release, agent))
                return
        pool.busy -= 1              # AgentPool.make_idle
        agent.idle_since = kernel.now
        make_idle(agent)

    return release


def offer_lane(engine: "Engine", line: int, group: int, release: Callable[["Agent"], None]) -> Callable[[int], None]:
    """`Engine.offer(leg)` for a leg of `line`, which `group` alone serves; `release` is the
    group's (its lane or `Engine.release`)."""
    kernel, lines, legs, pool = engine.kernel, engine.lines, engine.legs, engine.pools[group]
    heap, ids, idle = kernel._heap, kernel._ids, pool.idle
    take = idle.popleft
    state, answer, served_by, handle = legs.state, legs.answer, legs.group, legs.handle
    enqueue_col, patience_col = legs.enqueue, legs.patience
    flows = engine.flows
    # waiting by a lazy deadline alone: no callback offer, no escalation timer, no patience event
    plain_wait = engine._lazy[line] and not flows.offers_callbacks and not flows.escalates
    fifo, where, count = lines._fifo[line], lines._where, lines._count
    wait, general = fifo.append, engine.wait

    def offer(leg: int) -> None:
        if idle:
            pool.busy += 1          # AgentPool.take_idle
            agent = take()
            now = kernel.now
            agent.leg = leg         # Engine.start
            state[leg] = ANSWERED
            answer[leg] = now
            served_by[leg] = group
            heappush(heap, (now + handle[leg], NORMAL, next(ids), release, agent))
        elif plain_wait:            # WaitingLines.enqueue
            enqueue_s = enqueue_col[leg]
            deadline_s = enqueue_s + patience_col[leg]
            wait((enqueue_s, deadline_s, leg))
            where[leg] = line
            count[line] += 1
            if deadline_s != INF and lines._deadlines is not None:
                heappush(lines._deadlines, (deadline_s, leg))
        else:
            general(leg, line)      # the general path lets it wait

    return offer
