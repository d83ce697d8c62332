"""A replication's KPIs per level are computed once and shared read-only by every table."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.kpis import group_kpis, interval_kpis, queue_kpis


def test_level_kpis_are_computed_once_per_replication_and_read_only():
    res = ccsim.simulate("scenarios/hotline.yml", replications=1, seed=3)
    plan, rec = res.plan, res.records[0]
    res.costs                                            # uses the queue, group and interval KPIs
    for compute in (queue_kpis, group_kpis, interval_kpis):
        first = compute(plan, rec)
        assert compute(plan, rec) is first
        with pytest.raises(ValueError):
            first[0, 0] = 1.0
    days = interval_kpis(plan, rec, by_day=True)
    assert days.shape[0] == 1 and days is not interval_kpis(plan, rec)
    assert np.array_equal(res.kpis["offered"].to_numpy(), queue_kpis(plan, rec)[:, 0])
