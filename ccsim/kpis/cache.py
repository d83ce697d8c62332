"""KPIs of a replication computed once: tables, costs, comparisons and staffing searches that need
the same level's KPIs share one read-only array, kept with the replication's records, and still
there once the per-contact records are let go (`ccsim.kpis.reduce`)."""

from __future__ import annotations

import numpy as np

from ccsim.errors import RecordsNotKept
from ccsim.kpis.accumulate import KpiAccumulator, cache_key
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords


def replication_kpis(plan: Plan, rec: ReplicationRecords, name: str, **options) -> np.ndarray:
    """The KPIs of level function `name` (with `options`) for replication `rec` of `plan`,
    read-only: from its `kpi_cache`, else computed from its records as one chunk (every level
    summarized at once, see `ccsim.kpis.accumulate`)."""
    key = cache_key(name, options)
    if key not in rec.kpi_cache:
        if rec.legs is None:
            raise RecordsNotKept(f"{name}{options or ''} was not computed while the replication's records were in "
                                 "memory; compute it in ccsim.kpis.reduce, or keep the records")
        whole = KpiAccumulator(plan)
        whole.add(rec)
        for computed, value in whole.kpi_cache().items():
            rec.kpi_cache.setdefault(computed, value)
        if key not in rec.kpi_cache:
            rec.kpi_cache[key] = whole.kpis(name, **options)
    return rec.kpi_cache[key]
