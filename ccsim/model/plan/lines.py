"""Lines, where contacts wait: each compiled once with its channel's description.

Each queue has its base line (line q, at the queue's priority); every other priority that a
transfer, an escalation, a callback or a stage puts the queue's contacts in adds one line,
numbered in the order the compile steps first name it. Routing policies choose among lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

from ccsim.channels import CHANNELS, Channel

if TYPE_CHECKING:
    from ccsim.scenario.models import Scenario


@dataclass(frozen=True, slots=True)
class Line:
    """One waiting line and how its contacts are worked.

    `live`: a customer waits on it (False: deferred work, taken under the blending rule: a
    deferred channel, or callbacks); `concurrency`: contacts of this line one agent holds at
    once (1: one at a time, served exactly like a call); `slowdown`: handle-time stretch per
    other contact in hand (0.2: +20%).
    """

    queue: int
    priority: int
    channel: Channel
    live: bool
    concurrency: int
    slowdown: float

    @property
    def shared(self) -> bool:
        """Does one agent hold several of these at once (a chat line above concurrency 1)?"""
        return self.concurrency > 1

    @property
    def capacity_share(self) -> float:
        """Share of an agent one contact takes when the agent holds this line's full concurrency."""
        return 1.0 / self.concurrency


class LineTable:
    """Numbers the lines while the compile steps name them: (queue, priority) -> line."""

    def __init__(self, sc: Scenario) -> None:
        self.sc = sc
        self.names = list(sc.queues)
        self.index = {name: q for q, name in enumerate(self.names)}
        self.number = {(q, sc.queues[name].priority): q for q, name in enumerate(self.names)}
        self.callback_lines: set[int] = set()           # lines of callbacks, other than base lines
        queues = sc.queues.values()
        named = chain((q.priority for q in queues),
                      (t.priority for q in queues for t in q.transfers),
                      (q.escalation.priority for q in queues if q.escalation is not None))
        self.callback_priority = max(p for p in named if p is not None) + 1   # below every other line

    def __call__(self, queue: str | int, priority: int | None = None) -> int:
        """The line of `queue` (a name or an index) at `priority` (None: the queue's own)."""
        q = self.index[queue] if isinstance(queue, str) else queue
        key = (q, self.sc.queues[self.names[q]].priority if priority is None else priority)
        return self.number.setdefault(key, len(self.number))

    def callback(self, q: int, priority: int | None) -> int:
        """The line callbacks of queue `q` wait in: deferred work, below all others unless `priority`."""
        line = self(q, self.callback_priority if priority is None else priority)
        if line >= len(self.names):
            self.callback_lines.add(line)
        return line

    def compile(self) -> tuple[Line, ...]:
        """Every line named so far, in line-number order."""
        return tuple(self._line(q, priority, line) for (q, priority), line in self.number.items())

    def _line(self, q: int, priority: int, line: int) -> Line:
        queue = self.sc.queues[self.names[q]]
        channel = CHANNELS[queue.channel]
        return Line(queue=q, priority=priority, channel=channel, live=channel.live and line not in self.callback_lines,
                    concurrency=channel.concurrency(queue.concurrency), slowdown=queue.slowdown)
