"""Replications reduced to their KPIs: the tables equal those computed from the full records,
what a replication keeps does not grow with its contacts, and records come only on request."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ccsim
from ccsim import kpis
from ccsim.errors import RecordsNotKept
from tests.model.helpers import full_records, single_queue

SCENARIOS = sorted(Path("scenarios").glob("*.yml"))
TABLES = ("kpi_table", "channel_table", "group_table", "interval_table", "day_table", "group_interval_table",
          "cost_table", "customer_table", "stage_table", "process_table")


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_tables_from_reduced_replications_equal_tables_from_full_records(path):
    res = ccsim.simulate(path, replications=2, seed=3)
    assert all(rec.legs is None and rec.contacts is None for rec in res.records)
    full = full_records(res)
    assert all(rec.legs is not None for rec in full)
    # one day: one chunk, equal bit for bit; more days: chunks of a day's done customers, whose sums
    # add in another order (equal to about 1e-12, see tests/model/test_chunks.py)
    exact = res.scenario.horizon.days == 1
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(kpis, table)(res.plan, res.records),
                                      getattr(kpis, table)(res.plan, full), check_exact=exact, rtol=1e-10,
                                      obj=table)
    if res.plan.pilot_contacts > 0:
        np.testing.assert_allclose(np.stack([kpis.pilot_queue_kpis(res.plan, r) for r in res.records]),
                                   np.stack([kpis.pilot_queue_kpis(res.plan, r) for r in full]),
                                   rtol=0 if exact else 1e-10, equal_nan=True)


def test_a_reduced_replication_does_not_grow_with_its_contacts():
    sizes, contacts = [], []
    for rate, agents in ((200, 12), (2000, 105)):
        res = ccsim.simulate(single_queue(rate, 180, agents, patience_s=300, warmup_s=0), replications=1, seed=1)
        sizes.append(len(pickle.dumps(res.records[0])))
        contacts.append(res.kpis.loc["ALL", "offered"])
    assert contacts[1] > 9 * contacts[0] and contacts[1] > 40_000
    assert abs(sizes[1] - sizes[0]) <= 2_000 and sizes[1] < 100_000     # ten times the contacts, same size


def test_records_only_on_request_with_a_clear_error():
    res = ccsim.simulate("scenarios/hotline.yml", replications=2, seed=1)
    with pytest.raises(RecordsNotKept, match=r"records=True"):
        res.contacts
    with pytest.raises(RecordsNotKept, match=r"not computed while the replication's records were in memory"):
        kpis.interval_kpis(res.plan, res.records[0], by_day="week")     # an option no table asks for


def test_records_for_the_first_k_replications_in_parquet(tmp_path):
    res = ccsim.simulate("scenarios/hotline.yml", replications=3, seed=2, records=2, records_dir=tmp_path / "rec")
    assert sorted(p.name for p in (tmp_path / "rec" / "legs").iterdir()) == ["part-00000.parquet",
                                                                             "part-00001.parquet"]
    assert set(res.contacts.replication) == {0, 1} and set(res.legs.replication) == {0, 1}
    # the same contacts as the replications' own records, counted from the engine's arrays
    full = full_records(res)
    assert len(res.contacts) == sum(rec.contacts["kind"].size for rec in full[:2])
    assert len(res.legs) == sum(rec.legs["queue"].size for rec in full[:2])
    assert res.contacts.queue.dtype.categories.tolist() == list(res.plan.queue_names)


@pytest.mark.parametrize("bad", [-1, 1.5, "all"])
def test_records_argument_is_checked(bad):
    with pytest.raises(ValueError, match="records"):
        ccsim.simulate("scenarios/hotline.yml", replications=1, records=bad)


def test_one_channel_pools_every_leg():
    """With one channel the channel row is every leg pooled, computed here the general way."""
    from ccsim.kpis.legs import channel_rows, finish_queues, queue_parts
    from ccsim.kpis.quantiles import CAP

    res = ccsim.simulate("scenarios/hotline.yml", replications=2, seed=6)
    assert list(res.channels.index) == ["voice"]
    for reduced, full in zip(res.records, full_records(res)):
        pooled = finish_queues(res.plan, queue_parts(res.plan, full.legs, CAP), channel_rows(res.plan), CAP)
        np.testing.assert_array_equal(kpis.channel_kpis(res.plan, reduced), pooled)
