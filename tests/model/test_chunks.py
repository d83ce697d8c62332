"""A replication taken out in chunks of whole customers (`stream_replication`) holds exactly the
records of the same replication taken at once (`run_replication`): every contact, leg and stage,
with the same values, whatever day its customer was done."""

from __future__ import annotations

import numpy as np
import pytest

import ccsim
from ccsim.kpis.replication import customer_kpis, group_kpis, interval_kpis, process_kpis, queue_kpis, stage_kpis
from ccsim.model.plan import compile_plan
from ccsim.model.replication import ReplicationRecords, run_replication, stream_replication
from tests.model.test_lanes import SCENARIOS

MULTI_DAY = ["after_sales", "omnichannel", "service_center", "service_center_pilot", "tiered_support"]


def joined(chunks: list[ReplicationRecords]) -> ReplicationRecords:
    """The chunks' records as one replication's: rows one after the other, row references shifted."""
    shift = {"contacts": 0}
    tables: dict[str, list[dict]] = {"legs": [], "contacts": [], "stages": []}
    for chunk in chunks:
        offset = shift["contacts"]
        moved = lambda v: np.where(v >= 0, v + offset, v)    # noqa: E731
        tables["contacts"].append({**chunk.contacts, "customer": moved(chunk.contacts["customer"])})
        tables["legs"].append({**chunk.legs, "contact": moved(chunk.legs["contact"])})
        tables["stages"].append({**chunk.stages, "contact": moved(chunk.stages["contact"])})
        shift["contacts"] += chunk.contacts["kind"].size
    together = {name: {k: np.concatenate([t[k] for t in parts]) for k in parts[0]} for name, parts in tables.items()}
    arrays = {f: sum(getattr(c, f) for c in chunks) for f in ("busy_s", "present_s", "off_s", "break_s", "breaks",
                                                                "returns_pending")}
    return ReplicationRecords(chunks[0].replication, together["legs"], together["contacts"], together["stages"],
                              **arrays)


def _canonical(table: dict[str, np.ndarray], keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    order = np.lexsort(tuple(np.nan_to_num(table[k], nan=-1.0) for k in reversed(keys)))
    return {k: v[order] for k, v in table.items() if k not in ("customer", "contact")}


@pytest.mark.parametrize("name", MULTI_DAY)
def test_a_replication_in_chunks_holds_the_same_records_and_kpis(name):
    sc = ccsim.load_scenario(SCENARIOS / f"{name}.yml")
    plan = compile_plan(sc)
    whole = run_replication(plan, 4, 1)
    chunks: list[ReplicationRecords] = []
    stream_replication(plan, 4, 1, chunks.append, chunk_legs=0)
    assert len(chunks) == sc.horizon.days         # one per day: the days' done customers, then the rest
    assert sum(c.contacts["kind"].size for c in chunks[:-1]) > chunks[-1].contacts["kind"].size   # most went early
    parts = joined(chunks)
    for table, keys in (("contacts", ("arrival_s", "attempt", "queue")), ("legs", ("enqueue_s", "queue", "origin")),
                        ("stages", ("entry_s", "process", "stage"))):
        ours, theirs = (_canonical(getattr(r, table), keys) for r in (parts, whole))
        for column in theirs:
            # sums over a contact's legs may add in another order: equal to the last bits
            np.testing.assert_allclose(ours[column], theirs[column], rtol=1e-13, atol=0, equal_nan=True,
                                       err_msg=f"{table}.{column}")
    # busy seconds come from differences of cumulative sums over a day's or a run's services: equal
    # to about 1e-12 of their size
    for kpis in (queue_kpis, interval_kpis, group_kpis, customer_kpis, stage_kpis, process_kpis):
        np.testing.assert_allclose(kpis(plan, parts), kpis(plan, whole), rtol=1e-10, equal_nan=True,
                                   err_msg=kpis.__name__)


def test_the_engine_holds_the_customers_in_progress_not_the_horizon():
    """30 days of a 500-calls/h center: the tables never grow past a few days of rows, while a
    run taken whole holds every row."""
    from ccsim.model.arrivals import draw_arrivals
    from ccsim.model.engine import Engine
    from tests.model.helpers import single_queue

    plan = compile_plan(single_queue(500, 300, 45, patience_s=600, hours=24 * 30, warmup_s=0))
    chunks: list = []
    engine = Engine(plan, 1, 0, on_chunk=chunks.append, chunk_legs=20_000)
    rest = engine.run()
    per_day = 500 * 24
    total = sum(c.legs["queue"].size for c in chunks) + rest.legs["queue"].size
    assert total == len(draw_arrivals(plan, 1, 0))          # every arrival in exactly one chunk (one leg each)
    assert len(engine.legs) < 20_000 + 3 * per_day and len(engine.contacts) < 20_000 + 3 * per_day
    assert 30 * per_day / 3 > len(engine.legs)
    whole = Engine(plan, 1, 0)
    whole.run()
    assert len(whole.legs) >= total
