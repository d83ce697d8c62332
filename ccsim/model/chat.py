"""Chat: an agent holds up to its group's chat capacity at once.

An agent holding chats takes only more chats (never a call) until its last chat ends; agents
with room for another chat sit in their pool's `chat_room`, and routing prefers them for a new
chat so idle agents stay free for calls. A new chat's handle time stretches by the queue's
`slowdown` for each other chat already in hand. Concurrency 1 never comes here: such a chat is
served exactly like a call. Where lanes are used with a tiered policy, `lanes.chat_steps` replaces
`start`, `fill` and `_finish` with closures doing the same steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ccsim.model.pools import Agent

if TYPE_CHECKING:
    from ccsim.model.engine import Engine


class Chat:
    """Starts and ends chats for the engine; agents come from and go back to the engine's pools."""

    def __init__(self, engine: "Engine"):
        self.engine = engine
        plan = engine.plan
        self.capacity = plan.chat_capacity
        self.slowdown = plan.slowdown

    def agent_of(self, group: int) -> Agent:
        """The agent of `group` to take a new chat: one already chatting with room, else the longest idle."""
        pool = self.engine.pools[group]
        return next(iter(pool.chat_room)) if pool.chat_room else pool.take_idle()

    def start(self, agent: Agent, leg: int) -> None:
        """`agent` (counted busy) takes chat `leg`."""
        engine = self.engine
        group, legs = agent.group, engine.legs
        agent.chats += 1
        engine.pools[group].set_room(agent, agent.chats < self.capacity[group])
        factor = engine.handle_scale(group, leg) if engine.scales_handle else 1.0
        handle = legs.handle[leg] * factor * (1.0 + self.slowdown[legs.queue[leg]] * (agent.chats - 1))
        legs.handle[leg] = handle
        engine.start(agent, leg, self._finish, (agent, leg))

    def _finish(self, ended: tuple[Agent, int]) -> None:
        agent, leg = ended
        engine = self.engine
        if engine.after_service[engine.legs.queue[leg]]:
            engine.flows.decide_after_service(leg)
        agent.chats -= 1
        pool = engine.pools[agent.group]
        if agent.chats == 0:
            pool.set_room(agent, False)
            engine.release(agent)
        elif pool.leaving:
            pool.set_room(agent, False)     # winding down: no new chats for an agent about to leave
        else:
            pool.set_room(agent, True)
            self.fill(agent)

    def fill(self, agent: Agent) -> None:
        """Take waiting chats while the agent has room (the policy offers it chat lines only)."""
        engine = self.engine
        capacity = self.capacity[agent.group]
        while agent.chats < capacity:
            line = engine.policy.select_line(agent.group, True)
            if line is None:
                return
            self.start(agent, engine.lines.pop_oldest(line))
