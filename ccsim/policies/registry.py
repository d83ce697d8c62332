"""The name -> routing policy registry; imports nothing from the engine."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ccsim.registry import Registry

if TYPE_CHECKING:
    from ccsim.model.view import RoutingView


class RoutingPolicy:
    """Decides who serves whom, from a read-only `RoutingView`. Built once per replication.

    `select_agent(line)` returns the group whose longest-idle agent takes a contact newly
    waiting in `line` (or None: it waits); `select_line(group, chatting)` returns the line whose
    oldest contact a freed agent of `group` takes next (or None: it stays idle). A line is a
    queue at one priority (`view.plan.line_queue`, `view.plan.line_priority`). For a chat line,
    a group counts as available when it has an idle agent or one chatting with room
    (`view.has_chat_room`); an agent already holding chats (`chatting`) may only be given chat
    lines (`view.line_chat`). Deferred lines (`view.line_deferred`) need `view.may_defer`.

    `obvious_when_single = True` promises the obvious answer where a line has one eligible group
    and that group one line (serve it if anyone is idle / waiting): the engine then skips the call.
    A policy whose decisions go by fixed tiers may say so in `tiers()`, and the engine decides
    live lines without chat itself, without calling it.
    """

    name: str = ""
    obvious_when_single: bool = False

    def __init__(self, view: "RoutingView", **options: Any):
        self.view = view

    def select_agent(self, line: int) -> int | None:
        raise NotImplementedError

    def select_line(self, group: int, chatting: bool) -> int | None:
        raise NotImplementedError

    def tiers(self) -> tuple[tuple[tuple[tuple[int, ...], ...], ...], tuple[tuple[tuple[int, ...], ...], ...]] | None:
        """(per line, its eligible groups in tiers; per group, its lines in tiers), best tier first,
        if the policy decides by them alone wherever no chat is involved: `select_agent` gives the
        group, in the first tier with an idle agent, whose agent has been idle longest (for a
        deferred line, among groups that `view.may_defer(group, True)`, asked in that order);
        `select_line` the line, in the first tier with a contact waiting, whose oldest contact has
        waited longest (ties: the earlier in the tier), or None if that line is deferred and not
        `view.may_defer(group, False)`. None (the default): the engine asks the policy every time."""
        return None


POLICIES: Registry[type[RoutingPolicy]] = Registry("routing policy")
register_policy = POLICIES.register   # class decorator: `routing.policy: name` in scenarios
policy_names = POLICIES.names
get_policy = POLICIES.get
