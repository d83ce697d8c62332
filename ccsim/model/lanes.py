"""Fast lanes: the whole step of offering a leg to a line, or of placing a freed agent, as one
closure over the state it touches.

The general path (`Engine.offer`, `Engine.release`, `Engine.start`) goes through the policy and
the collaborators' verbs: about seven Python calls per contact. Where nothing watches or rescales
a service (no observer, no handle-time factors, no pilot), a lane does the same steps in one call:
a leg offered to a line goes to the longest-idle agent of the best tier of its groups, or waits;
a freed agent takes the oldest leg of the best tier of its lines, or goes idle. The tiers are the
policy's own (`RoutingPolicy.tiers`); where one group alone serves a line, or a group serves one
line alone (`Engine._shortcuts`), there is nothing to rank. With tiers, chats take lanes too: a
chat goes to an agent already chatting with room, else as a call would, and `chat_steps` replaces
`Chat.start`, `fill` and `_finish`. Anything else (a flow decision, a group shrinking or owing a
break, a callback offer, escalation timers, patience events) goes back to the engine's own
methods (or to `Flows`' closures); deferred work asks the blending verdict
(`Engine._may_defer`) exactly where the policy would. Same steps in the same order, the same heap
entries, the same draws: results are identical
(tests/model/test_lanes.py compares every record of runs with and without lanes).

The lanes repeat, inline and on purpose, the steps they replace (`Engine.start`, the pools'
`take_idle` / `make_idle`, the lines' `pop_oldest` / `enqueue`): a call per step is what they save.
Like `kernel.py` with SimPy, this module reads and writes its collaborators' state directly: the
waiting lines' FIFO, index and counts, a pool's idle agents and busy count, the kernel's heap.
Those modules name it where they declare that state. Measured gain (engine run only, 2026-11-26,
a shared machine): 0.72–0.75x the time of the general path on M/M/c+M (~110k contacts, c = 10,
200 and 1000; `benchmarks/bench_kernel.py`), 0.80x on the bundled hotline scenario, 0.76x on omnichannel (chat lanes included) and 0.82x
on after_sales (4 replications, same process, alternated 10 times, minima).
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


def _held_back(engine: "Engine") -> tuple[bool, ...]:
    """Per line: is it deferred work that the blending verdict may hold back? (A blending rule that
    never defers always answers yes, without a side effect: no need to ask it.)"""
    return engine.plan.line_deferred if engine._defers else (False,) * engine.plan.n_lines


def release_lane(engine: "Engine", group: int, line: int) -> Callable[["Agent"], None]:
    """`Engine.release(agent)` for an agent of `group`, which serves `line` alone."""
    kernel, lines, legs, pool = engine.kernel, engine.lines, engine.legs, engine.pools[group]
    heap, ids, idle = kernel._heap, kernel._ids, pool.idle
    fifo, where, count, expire = lines._fifo[line], lines._where, lines._count, lines._expire
    popleft, find, make_idle = fifo.popleft, where.get, idle.append
    state, answer, served_by, handle, queue = legs.state, legs.answer, legs.group, legs.handle, legs.queue
    decides, after_of = engine._decides, engine.flows.after_of
    owed, general = engine._owed[group], engine.release

    def release(agent: "Agent") -> None:
        leg = agent.leg
        if leg >= 0:
            agent.leg = -1
            if decides:
                after = after_of[queue[leg]]
                if after is not None:
                    after(leg)
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
    wait, general = fifo.append, _waiter(engine, line)

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
            general(leg)            # it waits, with its timers

    return offer


def tiered_release_lane(engine: "Engine", group: int, tiers: tuple[tuple[int, ...], ...],
                        chat: tuple[Callable, Callable] | None = None) -> Callable[["Agent"], None]:
    """`Engine.release(agent)` for an agent of `group`, whose lines the policy ranks in `tiers`
    (see `RoutingPolicy.tiers`); where some are chat lines, `chat` is (`start`, `fill`) of
    `chat_steps` (`Engine.serve` for a chat)."""
    line_chat = engine.line_chat if chat is not None else (False,) * engine.plan.n_lines
    chat_start, chat_fill = chat if chat is not None else (None, None)
    kernel, lines, legs, pool = engine.kernel, engine.lines, engine.legs, engine.pools[group]
    heap, ids, idle = kernel._heap, kernel._ids, pool.idle
    fifos, where, count, expire, live = lines._fifo, lines._where, lines._count, lines._expire, lines._live
    find, make_idle = where.get, idle.append
    state, answer, served_by, handle, queue = legs.state, legs.answer, legs.group, legs.handle, legs.queue
    decides, after_of = engine._decides, engine.flows.after_of
    owed, general = engine._owed[group], engine.release
    deferred, may_defer = _held_back(engine), engine._may_defer
    # per tier: its lines, and its line if it is alone and never held back (else -1)
    ranked = tuple((tier, tier[0] if len(tier) == 1 and not deferred[tier[0]] else -1) for tier in tiers)

    def release(agent: "Agent") -> None:
        leg = agent.leg
        if leg >= 0:
            agent.leg = -1
            if decides:
                after = after_of[queue[leg]]
                if after is not None:
                    after(leg)
        if pool.leaving or owed:
            general(agent)
            return
        now = kernel.now
        for tier, best in ranked:   # the policy's select_line
            if best >= 0:           # one line, nothing to weigh: its oldest leg, if any
                if not count[best]:
                    continue
                fifo, leg = fifos[best], -1
                while fifo:         # WaitingLines.pop_oldest
                    _, deadline_s, waiting = fifo.popleft()
                    if find(waiting) != best:
                        continue
                    if deadline_s <= now:
                        expire(waiting, best, deadline_s)
                        continue
                    leg = waiting
                    break
                if leg < 0:
                    continue
            else:
                best_arrival = INF
                for line in tier:
                    if count[line]:
                        fifo = fifos[line]
                        while fifo:     # WaitingLines.oldest
                            enqueue_s, deadline_s, waiting = fifo[0]
                            if find(waiting) != line:
                                fifo.popleft()
                            elif deadline_s <= now:
                                fifo.popleft()
                                expire(waiting, line, deadline_s)
                            else:
                                if enqueue_s < best_arrival:
                                    best, best_arrival = line, enqueue_s
                                break
                if best < 0:
                    continue
                if deferred[best] and not may_defer(group, False):
                    break           # live first: deferred work it may not take now
                # WaitingLines.pop_oldest: its first entry is the oldest leg found just above (a
                # blending verdict only settles lazy deadlines already passed)
                leg = fifos[best].popleft()[2]
            del where[leg]          # WaitingLines.pop_oldest, the leg found
            count[best] -= 1
            if live[best] and now > lines.last_live_leave:
                lines.last_live_leave = now
            if line_chat[best]:     # Engine.serve: a chat, and more while the agent has room
                chat_start(agent, leg)
                chat_fill(agent)
                return
            agent.leg = leg         # Engine.start
            state[leg] = ANSWERED
            answer[leg] = now
            served_by[leg] = group
            heappush(heap, (now + handle[leg], NORMAL, next(ids), release, agent))
            return
        pool.busy -= 1              # AgentPool.make_idle
        agent.idle_since = now
        make_idle(agent)

    return release


def tiered_offer_lane(engine: "Engine", line: int, tiers: tuple[tuple[int, ...], ...],
                      release_of: list[Callable[["Agent"], None]],
                      chat_start: Callable[["Agent", int], None] | None = None) -> Callable[[int], None]:
    """`Engine.offer(leg)` for a leg of `line`, whose groups the policy ranks in `tiers` (see
    `RoutingPolicy.tiers`); `release_of[group]` runs when an agent of the group finishes. For a
    chat line, `chat_start` is `Chat.start` (of `chat_steps`): an agent already chatting with room
    comes first (`Chat.agent_of`), and the chosen agent starts the chat through it."""
    kernel, legs, pools = engine.kernel, engine.legs, engine.pools
    heap, ids = kernel._heap, kernel._ids
    state, answer, served_by, handle = legs.state, legs.answer, legs.group, legs.handle
    wait, deferred, may_defer = _waiter(engine, line), _held_back(engine)[line], engine._may_defer
    # per tier, per group: (group, its pool, its idle agents, what runs when its agent finishes)
    ranked = tuple(tuple((g, pools[g], pools[g].idle, release_of[g]) for g in tier) for tier in tiers)
    # chatting agents with room, per group in the policy's order (none for a line without chats)
    rooms = () if chat_start is None else tuple(pools[g].chat_room for tier in tiers for g in tier)

    def offer(leg: int) -> None:
        for room in rooms:          # the policy's select_agent: fill agents already chatting
            if room:
                chat_start(next(iter(room)), leg)
                return
        for tier in ranked:
            best, best_since = None, INF
            for entry in tier:
                agents = entry[2]
                if agents:
                    since = agents[0].idle_since
                    if since < best_since and not (deferred and not may_defer(entry[0], True)):
                        best, best_since = entry, since
            if best is not None:
                group, pool, agents, release = best
                pool.busy += 1      # AgentPool.take_idle
                agent = agents.popleft()
                if chat_start is not None:
                    chat_start(agent, leg)
                    return
                now = kernel.now
                agent.leg = leg     # Engine.start
                state[leg] = ANSWERED
                answer[leg] = now
                served_by[leg] = group
                heappush(heap, (now + handle[leg], NORMAL, next(ids), release, agent))
                return
        wait(leg)

    return offer


def chat_steps(engine: "Engine", line_tiers: tuple[tuple[tuple[int, ...], ...], ...],
               release_of: list[Callable[["Agent"], None]]) -> tuple[Callable, Callable, Callable]:
    """(`Chat.start`, `Chat.fill`, `Chat._finish`) as closures, for a policy ranking each group's
    lines in `line_tiers` (see `RoutingPolicy.tiers`); `release_of[group]` places an agent of the
    group whose last chat ended (`Engine.release`)."""
    kernel, lines, legs, pools, flows = engine.kernel, engine.lines, engine.legs, engine.pools, engine.flows
    heap, ids = kernel._heap, kernel._ids
    state, answer, served_by, handle, queue = legs.state, legs.answer, legs.group, legs.handle, legs.queue
    capacity, slowdown, room_of = engine.chat.capacity, engine.chat.slowdown, [pool.chat_room for pool in pools]
    counted, oldest, pop_oldest = lines.counted, lines.oldest, lines.pop_oldest
    after_service, deferred, may_defer = engine.after_service, engine.plan.line_deferred, engine._may_defer
    line_chat = engine.line_chat
    # per group: its chat lines in the policy's tiers (`select_line(group, chatting=True)`)
    chat_tiers = tuple(tuple(chats for tier in tiers if (chats := tuple(ln for ln in tier if line_chat[ln])))
                       for tiers in line_tiers)

    def start(agent: "Agent", leg: int) -> None:
        group = agent.group
        chats = agent.chats = agent.chats + 1
        if chats < capacity[group]:     # AgentPool.set_room
            room_of[group][agent] = None
        else:
            room_of[group].pop(agent, None)
        now = kernel.now               # Chat.start (no handle-time factor), then Engine.start
        handle_s = handle[leg] = handle[leg] * (1.0 + slowdown[queue[leg]] * (chats - 1))
        state[leg] = ANSWERED
        answer[leg] = now
        served_by[leg] = group
        heappush(heap, (now + handle_s, NORMAL, next(ids), finish, (agent, leg)))

    def fill(agent: "Agent") -> None:
        group = agent.group
        full, tiers = capacity[group], chat_tiers[group]
        while agent.chats < full:
            best = -1
            for tier in tiers:          # the policy's select_line(group, chatting=True)
                best_arrival = INF
                for line in tier:
                    if counted[line]:
                        arrival = oldest(line)
                        if arrival < best_arrival:
                            best, best_arrival = line, arrival
                if best >= 0:
                    break
            if best < 0 or (deferred[best] and not may_defer(group, False)):
                return
            start(agent, pop_oldest(best))

    def finish(ended: tuple["Agent", int]) -> None:
        agent, leg = ended
        if after_service[queue[leg]]:
            flows.decide_after_service(leg)
        chats = agent.chats = agent.chats - 1
        group = agent.group
        room = room_of[group]
        if chats == 0:
            room.pop(agent, None)
            release_of[group](agent)
        elif pools[group].leaving:
            room.pop(agent, None)       # winding down: no new chats for an agent about to leave
        else:
            room[agent] = None
            fill(agent)

    return start, fill, finish


def _waiter(engine: "Engine", line: int) -> Callable[[int], None]:
    """`Engine.wait(leg, line)` for a leg of `line` that no agent took. Where the line abandons
    lazily and offers no callbacks: its enqueue inline (`WaitingLines.enqueue`), then the leg's
    escalation timer, if a rule may apply (`Flows.arm_escalation`)."""
    general, lines, legs, flows = engine.wait, engine.lines, engine.legs, engine.flows
    if not engine._lazy[line] or flows.offers_callbacks:
        return lambda leg: general(leg, line)
    append, where, count = lines._fifo[line].append, lines._where, lines._count
    enqueue_col, patience_col = legs.enqueue, legs.patience
    arm = flows.arm_escalation if flows.escalates else None

    def wait(leg: int) -> None:
        enqueue_s = enqueue_col[leg]
        deadline_s = enqueue_s + patience_col[leg]
        append((enqueue_s, deadline_s, leg))
        where[leg] = line
        count[line] += 1
        if deadline_s != INF and lines._deadlines is not None:
            heappush(lines._deadlines, (deadline_s, leg))
        if arm is not None:
            arm(leg)

    return wait
