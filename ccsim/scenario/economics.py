"""What service costs beyond wages, and what a change costs and saves: the inputs of cost-benefit."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ccsim.scenario.per_queue import PerQueue
from ccsim.scenario.types import Strict

Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Costs(PerQueue):
    """Penalties in currency units, for all queues (a number) or per queue ({vip: 20}):
    `abandoned` per abandoned contact, `late` per contact answered after its service-level
    threshold, `missed_interval` per queue and interval whose service level misses its target."""

    PER_QUEUE = {"abandoned": 0.0, "late": 0.0, "missed_interval": 0.0}

    abandoned: Money | dict[str, Money] = 0.0
    """Penalty in currency units per abandoned contact: a number for all queues or a mapping queue -> number."""
    late: Money | dict[str, Money] = 0.0
    """Penalty in currency units per contact answered after its service-level threshold: a number or queue -> number."""
    missed_interval: Money | dict[str, Money] = 0.0
    """Penalty in currency units per queue and interval whose service level misses its target: a number or queue -> number."""


class Investment(Strict):
    """What a change costs and saves per year. `yearly_saving` omitted: the simulated saving in
    total cost per horizon times `periods_per_year` (default: 365 / the horizon's days). For a
    scenario with a `pilot`, `pilot_periods` is how many horizons the pilot runs: it is priced
    over them only (default one)."""

    up_front: Money = 0.0
    """One-off cost of the change, in currency units (training, a tool)."""
    yearly_saving: float | None = Field(None, allow_inf_nan=False)
    """Saving per year in currency units; omitted, the simulated saving in total cost per horizon times periods_per_year."""
    yearly_cost: Money = 0.0
    """Running cost of the change per year, in currency units."""
    periods_per_year: float | None = Field(None, gt=0, allow_inf_nan=False)
    """Horizons per year that a simulated saving is scaled by (e.g. 250 working days); default 365 / the horizon's days."""
    pilot_periods: float | None = Field(None, gt=0, allow_inf_nan=False)
    """How many horizons a pilot runs; the pilot is priced over them only (default 1)."""
