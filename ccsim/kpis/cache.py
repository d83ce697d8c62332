"""KPIs of a replication computed once: tables, costs, comparisons and staffing searches that need
the same level's KPIs share one read-only array, kept with the replication's records, and still
there once the per-contact records are let go (`ccsim.kpis.reduce`)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from ccsim.errors import RecordsNotKept


def per_replication(compute: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    """`compute(plan, rec, **options)`, computed once per replication record and options (a record
    belongs to one plan) and returned read-only, so that no caller can change what others see."""

    @functools.wraps(compute)
    def cached(plan, rec, **options) -> np.ndarray:
        key = (compute.__name__, *sorted(options.items()))
        if key not in rec.kpi_cache:
            if rec.legs is None:
                raise RecordsNotKept(f"{compute.__name__}{options or ''} was not computed while the replication's "
                                     "records were in memory; compute it in ccsim.kpis.reduce, or keep the records")
            value = compute(plan, rec, **options)
            value.setflags(write=False)
            rec.kpi_cache[key] = value
        return rec.kpi_cache[key]

    return cached
