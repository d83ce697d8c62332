"""Per-contact and per-leg records of a run, streamed to Parquet chunk by chunk (the customers a
replication finished by the end of a day, `ccsim.model.chunks`), so that no run holds more than a
chunk of records in memory, whatever its horizon.

A store is a folder with one file per table and replication: `contacts/part-00003.parquet`,
`legs/part-00003.parquet` (replication 3), one row group per chunk. `pd.read_parquet(folder /
"contacts")` reads a table whole; `RecordStore.read` does the same with the categories of the
plan restored. Within a replication, contacts are numbered in the order they are written: by the
chunk their customer finished in, in arrival order within it (a run short enough for one chunk:
in arrival order).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import IN_SERVICE_AT_END, LEG_STATES, ORIGINS

TABLES = ("contacts", "legs")


def _categorical(codes: np.ndarray, names) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(names))


def contact_frame(plan: Plan, rec: ReplicationRecords) -> pd.DataFrame:
    """One row per contact (attempt) of one replication; times in seconds after midnight of
    day 1, durations in seconds."""
    c = rec.contacts
    n = c["kind"].size
    outcome = c["outcome"]
    return pd.DataFrame({
        "replication": np.full(n, rec.replication),
        "contact_id": np.arange(n),
        "queue": _categorical(c["queue"], plan.queue_names),
        "arrival": c["arrival_s"],
        "wait": c["wait_s"],
        "outcome": _categorical(outcome, LEG_STATES),
        "answer_time": c["answer_s"],
        "end_time": c["end_s"],
        "agent_group": _categorical(c["group"], plan.group_names),
        "handle_time": np.where(outcome == 1, c["handle_s"], np.nan),
        "transfers": c["transfers"],
        "escalated": c["escalations"] > 0,
        "escalations": c["escalations"],
        "customer_id": c["customer"],
        "attempt": c["attempt"],
        "kind": _categorical(c["kind"], ORIGINS[:3]),
        "process": _categorical(c["process"], plan.process_names),
        "stages_completed": c["stages_completed"],
        "resolved": c["resolved"],
        "resolution_time": c["resolution_s"],
        "pilot": c["pilot"],
        "in_service": c["at_end"] == IN_SERVICE_AT_END,
    })


def leg_frame(plan: Plan, rec: ReplicationRecords) -> pd.DataFrame:
    """One row per queue visit of one replication (a transfer or escalation starts a new one)."""
    legs = rec.legs
    return pd.DataFrame({
        "replication": np.full(legs["queue"].size, rec.replication),
        "contact_id": legs["contact"],
        "queue": _categorical(legs["queue"], plan.queue_names),
        "origin": _categorical(legs["origin"], ORIGINS),
        "enqueue_time": legs["enqueue_s"],
        "wait": legs["wait_s"],
        "outcome": _categorical(legs["outcome"], LEG_STATES),
        "answer_time": legs["answer_s"],
        "end_time": legs["end_s"],
        "agent_group": _categorical(legs["group"], plan.group_names),
        "handle_time": np.where(legs["outcome"] == 1, legs["handle_s"], np.nan),
        "stage": legs["stage"],
        "in_service": legs["at_end"] == IN_SERVICE_AT_END,
    })


FRAMES = {"contacts": contact_frame, "legs": leg_frame}


def _categories(plan: Plan) -> dict[str, dict[str, list[str]]]:
    """Per table, the categories of each categorical column (a file holds only those it uses)."""
    shared = {"queue": list(plan.queue_names), "outcome": list(LEG_STATES), "agent_group": list(plan.group_names)}
    return {"contacts": {**shared, "kind": list(ORIGINS[:3]), "process": list(plan.process_names)},
            "legs": {**shared, "origin": list(ORIGINS)}}


class ReplicationWriter:
    """Writes the records of one replication into a store's folder chunk by chunk (`append`), each
    table's file appearing whole when the writer closes without an error (a reader never sees a
    part). Contacts are numbered on from the chunks before."""

    def __init__(self, folder: Path | str, plan: Plan, replication: int):
        self.plan, self.replication = plan, replication
        self._paths = {table: Path(folder) / table / f"part-{replication:05d}.parquet" for table in TABLES}
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._contacts = 0

    def append(self, chunk: ReplicationRecords) -> None:
        """Write the records of `chunk` (whole customers, numbered from 0 within it)."""
        frames = {table: frame(self.plan, chunk) for table, frame in FRAMES.items()}
        offset = self._contacts
        for frame, columns in ((frames["contacts"], ("contact_id", "customer_id")), (frames["legs"], ("contact_id",))):
            for column in columns:
                frame[column] = np.where(frame[column] >= 0, frame[column] + offset, frame[column])
        self._contacts += len(frames["contacts"])
        for table, frame in frames.items():
            data = pa.Table.from_pandas(frame, preserve_index=False)
            if table not in self._writers:
                self._writers[table] = pq.ParquetWriter(self._tmp(table), data.schema)
            self._writers[table].write_table(data)

    def _tmp(self, table: str) -> Path:
        path = self._paths[table]
        return path.with_name(f".{path.name}.tmp")

    def __enter__(self) -> "ReplicationWriter":
        return self

    def __exit__(self, kind, error, trace) -> None:
        for writer in self._writers.values():
            writer.close()
        for table in self._writers:
            if kind is None:
                os.replace(self._tmp(table), self._paths[table])
            else:
                self._tmp(table).unlink(missing_ok=True)


class RecordStore:
    """A folder of Parquet records, one file per table and replication.

    `folder=None` makes a temporary folder (in `near`, default the system's temporary folder),
    removed when the store is garbage collected or the interpreter exits; `save_to` gives the
    records a permanent place."""

    def __init__(self, folder: Path | str | None = None, near: Path | str | None = None):
        self._temporary = None
        if folder is None:
            self._temporary = tempfile.TemporaryDirectory(prefix=".ccsim-records-", dir=near,
                                                          ignore_cleanup_errors=True)
            folder = self._temporary.name
        self.folder = Path(folder)
        for table in TABLES:
            (self.folder / table).mkdir(parents=True, exist_ok=True)

    def write(self, plan: Plan, rec: ReplicationRecords) -> None:
        """Write one replication's records whole."""
        with ReplicationWriter(self.folder, plan, rec.replication) as writer:
            writer.append(rec)

    def read(self, table: str, plan: Plan) -> pd.DataFrame:
        """The whole `table` ("contacts" or "legs"), replications in order, with the plan's categories."""
        parts = sorted((self.folder / table).glob("part-*.parquet"))
        frame = pd.concat([pd.read_parquet(p, engine="pyarrow") for p in parts], ignore_index=True)
        for column, categories in _categories(plan)[table].items():
            frame[column] = pd.Categorical(frame[column], categories=categories)
        return frame

    def save_to(self, folder: Path | str) -> None:
        """Keep the records in `folder` (which must not exist): a temporary store moves there
        (and reads from there from now on), a permanent one is copied."""
        folder = Path(folder)
        if self._temporary is None:
            shutil.copytree(self.folder, folder)
            return
        try:
            os.replace(self.folder, folder)
        except OSError:             # another file system
            shutil.copytree(self.folder, folder)
        self.folder = folder
        self._temporary.cleanup()
        self._temporary = None
