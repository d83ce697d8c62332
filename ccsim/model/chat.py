"""Chat on top of the engine core: an agent holds up to its group's chat capacity at once.

An agent holding chats takes only more chats (never a call) until its last chat ends; agents
with room for another chat sit in `open_chat` (an insertion-ordered dict per group), and the
routing policy prefers them for a new chat so idle agents stay free for calls. A new chat's
handle time stretches by the queue's `slowdown` for each other chat already in hand.
Concurrency 1 never comes here: such a chat is served exactly like a call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

from ccsim.model.states import ANSWERED

if TYPE_CHECKING:
    from ccsim.model.engine import Agent


class ChatMixin:
    """Chat handling of `Engine`; relies on its lists, `after`, `release` and `next_waiting`."""

    def chat_agent(self, group: int) -> "Agent":
        """The agent of `group` to take a new chat: one already chatting with room, else the longest idle."""
        room = self.open_chat[group]
        return next(iter(room)) if room else self.idle[group].popleft()

    def start_chat(self, agent: "Agent", leg: int) -> None:
        group = agent.group
        agent.chats += 1
        if agent.chats == 1:
            self.busy[group] += 1
        if agent.chats < self.plan.chat_capacity[group]:
            self.open_chat[group][agent] = None
        else:
            self.open_chat[group].pop(agent, None)
        factor = self.handle_scale(group, leg) if self.scales_handle else 1.0
        handle = self.leg_handle[leg] * factor * (1.0 + self.plan.slowdown[self.leg_queue[leg]] * (agent.chats - 1))
        self.leg_handle[leg] = handle
        self.leg_state[leg] = ANSWERED
        self.leg_answer[leg] = self.env.now
        self.leg_group[leg] = group
        self.after(handle, self._finish_chat, (agent, leg))

    def _finish_chat(self, event: simpy.Event) -> None:
        agent, leg = event._value
        if self.after_service[self.leg_queue[leg]]:
            self.decide_after_service(leg)
        agent.chats -= 1
        room = self.open_chat[agent.group]
        if agent.chats == 0:
            room.pop(agent, None)
            self.release(agent)
        elif self.leaving[agent.group]:
            room.pop(agent, None)       # winding down: no new chats for an agent about to leave
        else:
            room[agent] = None
            self.fill_chats(agent)

    def fill_chats(self, agent: "Agent") -> None:
        """Take waiting chats while the agent has room (the policy offers it chat lines only)."""
        capacity = self.plan.chat_capacity[agent.group]
        while agent.chats < capacity:
            line = self.policy.select_queue(agent)
            if line is None:
                return
            self.start_chat(agent, self.next_waiting(line))
