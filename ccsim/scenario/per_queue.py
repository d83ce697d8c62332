"""Settings given for every queue at once (a number) or queue by queue ({billing: 0.85})."""

from __future__ import annotations

from typing import ClassVar

from ccsim.scenario.types import Strict


class PerQueue(Strict):
    """A model whose fields in `PER_QUEUE` take a number or a mapping from queue to number."""

    PER_QUEUE: ClassVar[dict[str, float]] = {}      # field -> value for a queue the mapping omits

    def for_queue(self, field: str, queue: str) -> float:
        value = getattr(self, field)
        return value.get(queue, self.PER_QUEUE[field]) if isinstance(value, dict) else value

    def queues_named(self) -> list[tuple[str, str]]:
        """(field, queue) for every queue the per-queue mappings name."""
        return [(field, q) for field in self.PER_QUEUE
                if isinstance(getattr(self, field), dict) for q in getattr(self, field)]
