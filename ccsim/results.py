"""What `ccsim.simulate` returns: KPI tables with confidence intervals and per-contact records."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ccsim.model.plan import Plan
from ccsim.model.replication import OUTCOMES, ReplicationRecords
from ccsim.scenario.models import Scenario
from ccsim.stats import group_interval_table, group_table, interval_table, kpi_table


@dataclass
class Results:
    """The outcome of simulating a scenario over independent replications.

    `kpis` (per queue plus "ALL"), `groups` (per agent group plus "ALL"), `intervals`
    (per interval and queue), `group_intervals` (per interval and group) are built once;
    `contacts` (one row per contact of every replication) is built on first access.
    """

    scenario: Scenario
    plan: Plan
    seed: int
    records: list[ReplicationRecords] = field(repr=False)
    warnings: list[str] = field(default_factory=list)

    @property
    def replications(self) -> int:
        return len(self.records)

    @cached_property
    def kpis(self) -> pd.DataFrame:
        return kpi_table(self.plan, self.records)

    @cached_property
    def groups(self) -> pd.DataFrame:
        return group_table(self.plan, self.records)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        return interval_table(self.plan, self.records)

    @cached_property
    def group_intervals(self) -> pd.DataFrame:
        return group_interval_table(self.plan, self.records)

    @cached_property
    def contacts(self) -> pd.DataFrame:
        """One row per contact: times in seconds after midnight of day 1, waits in seconds."""
        recs = self.records
        sizes = [rec.arrival_s.size for rec in recs]
        cat = lambda codes, names: pd.Categorical.from_codes(codes, categories=list(names))  # noqa: E731
        outcome = np.concatenate([rec.outcome for rec in recs]).astype(np.int64)
        group = np.concatenate([rec.group for rec in recs])
        answered = outcome == 1
        return pd.DataFrame({
            "replication": np.repeat([rec.replication for rec in recs], sizes),
            "contact_id": np.concatenate([np.arange(n) for n in sizes]),
            "queue": cat(np.concatenate([rec.queue for rec in recs]), self.plan.queue_names),
            "arrival": np.concatenate([rec.arrival_s for rec in recs]),
            "wait": np.concatenate([rec.wait_s for rec in recs]),
            "outcome": cat(outcome, OUTCOMES),
            "answer_time": np.concatenate([rec.answer_s for rec in recs]),
            "end_time": np.concatenate([rec.end_s for rec in recs]),
            "agent_group": cat(group, self.plan.group_names),
            "handle_time": np.where(answered, np.concatenate([rec.handle_s for rec in recs]), np.nan),
            "transfers": np.zeros(outcome.size, dtype=np.int64),
            "escalated": np.zeros(outcome.size, dtype=bool),
        })
