"""The name -> routing policy registry; imports nothing from the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ccsim.model.engine import Agent, Engine

_POLICIES: dict[str, type["RoutingPolicy"]] = {}


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


def register_policy(name: str) -> Callable[[type[RoutingPolicy]], type[RoutingPolicy]]:
    """Class decorator: make a `RoutingPolicy` available as `routing.policy: name`."""

    def add(cls: type[RoutingPolicy]) -> type[RoutingPolicy]:
        cls.name = name
        _POLICIES[name] = cls
        return cls

    return add


def policy_names() -> list[str]:
    """Registered routing policy names, sorted."""
    return sorted(_POLICIES)


def get_policy(name: str) -> type[RoutingPolicy]:
    """The policy class registered as `name`; KeyError lists the allowed names."""
    try:
        return _POLICIES[name]
    except KeyError:
        raise KeyError(f"unknown routing policy {name!r}; allowed: {', '.join(policy_names())}") from None
