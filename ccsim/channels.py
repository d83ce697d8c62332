"""The contact channels, declared once: what a channel means to the schema, the engine and staffing.

A new channel is one more `Channel(...)` in `CHANNELS`; the scenario schema's allowed names,
its per-channel rules and the compiled per-line description (`ccsim.model.plan.Line`) all
read this table. Imports nothing from the rest of ccsim.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Channel:
    """How contacts of one channel are worked.

    `live`: the customer waits on the line and may abandon (voice, chat); otherwise the work
    is deferred: it waits in a backlog, never abandons, is due within the service-level
    threshold, and is taken under the blending rule (email, outbound).
    `concurrent`: an agent may hold several at once, up to the queue's `concurrency`, each one
    in hand beyond the first stretching a new one's handle time by the queue's `slowdown`.
    """

    name: str
    live: bool
    concurrent: bool = False

    def concurrency(self, asked: int) -> int:
        """Contacts of a queue of this channel an agent holds at once (`asked`: the queue's key)."""
        return asked if self.concurrent else 1


CHANNELS: dict[str, Channel] = {c.name: c for c in (
    Channel("voice", live=True),
    Channel("chat", live=True, concurrent=True),
    Channel("email", live=False),
    Channel("outbound", live=False),                 # calls the center makes: a list, follow-ups
)}
CHANNEL_NAMES = tuple(CHANNELS)
DEFERRED_CHANNELS = tuple(name for name, c in CHANNELS.items() if not c.live)
LIVE_CHANNELS = tuple(name for name, c in CHANNELS.items() if c.live)
CONCURRENT_CHANNELS = tuple(name for name, c in CHANNELS.items() if c.concurrent)
