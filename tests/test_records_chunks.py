"""Records written chunk by chunk (as a long replication hands out its finished customers) hold
the same rows as the records of the replication written whole, and their row references
(customer_id, a leg's contact_id) point at the same contacts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import ccsim
from ccsim.model.plan import compile_plan
from ccsim.model.replication import run_replication, stream_replication
from ccsim.records import RecordStore, ReplicationWriter
from tests.model.test_lanes import SCENARIOS


def _by_value(folder) -> dict[str, pd.DataFrame]:
    """Both tables with row references replaced by what they refer to, in a canonical order."""
    contacts, legs = (pd.read_parquet(folder / t) for t in ("contacts", "legs"))
    first = contacts.customer_id.to_numpy()
    contacts["customer_arrival"] = np.where(first >= 0, contacts.arrival.to_numpy()[np.maximum(first, 0)], np.nan)
    ref = legs.contact_id.to_numpy()
    legs["contact_arrival"] = np.where(ref >= 0, contacts.arrival.to_numpy()[np.maximum(ref, 0)], np.nan)
    contacts = contacts.drop(columns=["contact_id", "customer_id"])
    legs = legs.drop(columns=["contact_id"])
    return {"contacts": contacts.sort_values(["arrival", "attempt", "queue"]).reset_index(drop=True),
            "legs": legs.sort_values(["enqueue_time", "queue", "origin", "contact_arrival"]).reset_index(drop=True)}


def test_records_written_chunk_by_chunk_equal_the_whole_replication(tmp_path):
    plan = compile_plan(ccsim.load_scenario(SCENARIOS / "tiered_support.yml"))    # 5 days, transfers, repeats
    RecordStore(tmp_path / "whole").write(plan, run_replication(plan, 3, 0))
    RecordStore(tmp_path / "chunked")
    chunks = []
    with ReplicationWriter(tmp_path / "chunked", plan, 0) as writer:
        stream_replication(plan, 3, 0, lambda chunk: (chunks.append(chunk), writer.append(chunk)), chunk_legs=0)
    assert len(chunks) == 5
    assert pq.ParquetFile(tmp_path / "chunked" / "contacts" / "part-00000.parquet").num_row_groups == 5
    whole, chunked = _by_value(tmp_path / "whole"), _by_value(tmp_path / "chunked")
    for table in ("contacts", "legs"):
        # a contact's wait adds its legs' waits, perhaps in another order: equal to the last bits
        pd.testing.assert_frame_equal(chunked[table], whole[table], check_exact=False, rtol=1e-13, obj=table)


def test_a_failed_replication_leaves_no_part_file(tmp_path):
    plan = compile_plan(ccsim.load_scenario(SCENARIOS / "tiered_support.yml"))
    RecordStore(tmp_path)
    try:
        with ReplicationWriter(tmp_path, plan, 2) as writer:
            writer.append(run_replication(plan, 3, 0))
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert not list(tmp_path.rglob("*.parquet")) and not list(tmp_path.rglob(".*.tmp"))
