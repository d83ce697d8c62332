"""What `ccsim.simulate` returns: KPI tables with confidence intervals and per-contact records."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from ccsim import kpis
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import IN_SERVICE_AT_END, LEG_STATES, ORIGINS
from ccsim.scenario.models import Scenario


@dataclass
class Results:
    """The outcome of simulating a scenario over independent replications.

    Tables are built on first access: `kpis` (per queue plus "ALL"), `channels` (queues pooled
    by channel), `groups` (per agent group
    plus "ALL"), `intervals` (per interval and queue), `days` (per day and queue, with CIs),
    `group_intervals` (per interval and
    group), `costs` (agent cost shared among queues, penalties and cost per contact), `pilot`
    (pilot versus control groups, paired), `customers` (per entry point plus "ALL"), `stages` and `processes` (multi-stage
    processes), `contacts` (one row per contact) and `legs` (one row per queue visit).
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
        return kpis.kpi_table(self.plan, self.records)

    @cached_property
    def channels(self) -> pd.DataFrame:
        return kpis.channel_table(self.plan, self.records)

    @cached_property
    def groups(self) -> pd.DataFrame:
        return kpis.group_table(self.plan, self.records)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        return kpis.interval_table(self.plan, self.records)

    @cached_property
    def days(self) -> pd.DataFrame:
        return kpis.day_table(self.plan, self.records)

    @cached_property
    def group_intervals(self) -> pd.DataFrame:
        return kpis.group_interval_table(self.plan, self.records)

    @cached_property
    def costs(self) -> pd.DataFrame:
        return kpis.cost_table(self.plan, self.records)

    @cached_property
    def pilot(self) -> pd.DataFrame:
        """Pilot versus control groups within this simulation (empty without a pilot)."""
        from ccsim.compare import pilot_effects

        return pilot_effects(self)

    @cached_property
    def customers(self) -> pd.DataFrame:
        return kpis.customer_table(self.plan, self.records)

    @cached_property
    def stages(self) -> pd.DataFrame:
        return kpis.stage_table(self.plan, self.records)

    @cached_property
    def processes(self) -> pd.DataFrame:
        return kpis.process_table(self.plan, self.records)

    def _concat(self, part: str, key: str) -> np.ndarray:
        return np.concatenate([getattr(rec, part)[key] for rec in self.records])

    def _categorical(self, codes: np.ndarray, names) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=list(names))

    @cached_property
    def contacts(self) -> pd.DataFrame:
        """One row per contact (attempt); times in seconds after midnight of day 1, durations in seconds."""
        get = lambda key: self._concat("contacts", key)  # noqa: E731
        sizes = [rec.contacts["kind"].size for rec in self.records]
        outcome = get("outcome")
        plan = self.plan
        return pd.DataFrame({
            "replication": np.repeat([rec.replication for rec in self.records], sizes),
            "contact_id": np.concatenate([np.arange(n) for n in sizes]),
            "queue": self._categorical(get("queue"), plan.queue_names),
            "arrival": get("arrival_s"),
            "wait": get("wait_s"),
            "outcome": self._categorical(outcome, LEG_STATES),
            "answer_time": get("answer_s"),
            "end_time": get("end_s"),
            "agent_group": self._categorical(get("group"), plan.group_names),
            "handle_time": np.where(outcome == 1, get("handle_s"), np.nan),
            "transfers": get("transfers"),
            "escalated": get("escalations") > 0,
            "escalations": get("escalations"),
            "customer_id": get("customer"),
            "attempt": get("attempt"),
            "kind": self._categorical(get("kind"), ORIGINS[:3]),
            "process": self._categorical(get("process"), plan.process_names),
            "stages_completed": get("stages_completed"),
            "resolved": get("resolved"),
            "resolution_time": get("resolution_s"),
            "pilot": get("pilot"),
            "in_service": get("at_end") == IN_SERVICE_AT_END,
        })

    @cached_property
    def legs(self) -> pd.DataFrame:
        """One row per queue visit (a transfer or escalation starts a new one)."""
        get = lambda key: self._concat("legs", key)  # noqa: E731
        sizes = [rec.legs["queue"].size for rec in self.records]
        plan = self.plan
        return pd.DataFrame({
            "replication": np.repeat([rec.replication for rec in self.records], sizes),
            "contact_id": get("contact"),
            "queue": self._categorical(get("queue"), plan.queue_names),
            "origin": self._categorical(get("origin"), ORIGINS),
            "enqueue_time": get("enqueue_s"),
            "wait": get("wait_s"),
            "outcome": self._categorical(get("outcome"), LEG_STATES),
            "answer_time": get("answer_s"),
            "end_time": get("end_s"),
            "agent_group": self._categorical(get("group"), plan.group_names),
            "handle_time": np.where(get("outcome") == 1, get("handle_s"), np.nan),
            "stage": get("stage"),
            "in_service": get("at_end") == IN_SERVICE_AT_END,
        })
