"""Per-contact and per-leg records of a run, streamed to Parquet one replication at a time, so
that no run holds more than one replication's records in memory.

A store is a folder with one file per table and replication: `contacts/part-00003.parquet`,
`legs/part-00003.parquet` (replication 3). `pd.read_parquet(folder / "contacts")` reads a table
whole; `RecordStore.read` does the same with the categories of the plan restored.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

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
        """Write one replication's records (each file atomically: a reader never sees a part)."""
        for table, frame in FRAMES.items():
            path = self.folder / table / f"part-{rec.replication:05d}.parquet"
            tmp = path.with_name(f".{path.name}.tmp")
            frame(plan, rec).to_parquet(tmp, engine="pyarrow", index=False)
            os.replace(tmp, path)

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
