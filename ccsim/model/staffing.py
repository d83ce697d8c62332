"""Staffing over time: each group's scheduled agents at every interval start, none between days."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from ccsim.model.engine import Engine


class Staffing:
    """Sets the agent pools to the plan's staff at interval boundaries; the engine places new agents."""

    def __init__(self, engine: "Engine"):
        self.engine = engine
        self._next = iter(())

    def start(self) -> None:
        """Apply the staff due now; each change schedules the next one when applied (so events
        due at the same time as a change run in the order they were scheduled)."""
        self._next = iter(self.timeline())
        self._schedule()

    def _schedule(self) -> None:
        kernel = self.engine.kernel
        for time_s, slot, staff in self._next:
            if time_s > kernel.now:
                kernel.at(time_s - kernel.now, self._apply, (slot, staff))
                return
            self._apply((slot, staff), then=False)

    def timeline(self) -> list[tuple[float, int, np.ndarray]]:
        """(time s, interval slot, staff per group); slot n_intervals: outside the intervals."""
        plan = self.engine.plan
        outside = plan.n_intervals
        timeline = [(plan.start_s - plan.warmup_s, outside, plan.staff[:, 0])] if plan.warmup_s > 0 else []
        closed = np.zeros(plan.n_groups, dtype=int)
        for k, start in enumerate(plan.interval_start):
            timeline.append((float(start), k, plan.staff[:, k]))
            end = start + plan.interval_s
            if k + 1 < plan.n_intervals and plan.interval_start[k + 1] > end + 1e-9:
                timeline.append((float(end), outside, closed))
        return timeline

    def _apply(self, change: tuple[int, np.ndarray], then: bool = True) -> None:
        slot, staff = change
        engine = self.engine
        now = engine.kernel.now
        for pool in engine.pools:
            pool.start_slot(slot, now)
        staff = staff.tolist()
        for pool, target in zip(engine.pools, staff):
            missing = target - pool.scheduled()
            if missing > 0:
                for _ in range(pool.grow(missing)):
                    engine.release(pool.join(pool.group, now), joining=True)
            elif missing < 0:
                pool.shrink(-missing, now)
        engine.availability.shrink(staff)
        if then:
            self._schedule()
