"""The name -> routing policy registry; imports nothing from the engine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ccsim.registry import Registry

if TYPE_CHECKING:
    from ccsim.model.engine import Agent, Engine

class RoutingPolicy:
    """Decides who serves whom. Built once per replication with the engine it serves.

    `select_agent(line)` returns the group whose longest-idle agent takes a contact newly
    waiting in `line` (or None); `select_queue(agent)` returns the line whose oldest contact
    the freed `agent` takes next (or None). A line is a queue at one priority
    (`plan.line_queue`, `plan.line_priority`). For a chat line, a group counts as available
    when it has an idle agent or one in `engine.open_chat` (chatting, with room); an agent
    holding chats (`agent.chats > 0`) may only be given chat lines (`engine.line_chat`). Both
    see the engine's waiting lines and pools but must not change them: the engine does the moving.
    """

    name: str = ""

    def __init__(self, engine: "Engine", **options: Any):
        self.engine = engine

    def select_agent(self, line: int) -> int | None:
        raise NotImplementedError

    def select_queue(self, agent: "Agent") -> int | None:
        raise NotImplementedError


POLICIES: Registry[type[RoutingPolicy]] = Registry("routing policy")
register_policy = POLICIES.register   # class decorator: `routing.policy: name` in scenarios
policy_names = POLICIES.names
get_policy = POLICIES.get
