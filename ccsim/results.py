"""What `ccsim.simulate` returns: KPI tables with confidence intervals and per-contact records."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ccsim import kpis
from ccsim.errors import RecordsNotKept
from ccsim.model.plan import Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.records import RecordStore
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
    processes), and, where the run kept them (`simulate(records=...)`), `contacts` (one row per
    contact) and `legs` (one row per queue visit), read from the Parquet files of `record_store`.
    """

    scenario: Scenario
    plan: Plan
    seed: int
    records: list[ReplicationRecords] = field(repr=False)     # each reduced to its KPIs
    warnings: list[str] = field(default_factory=list)
    record_store: RecordStore | None = field(default=None, repr=False)   # per-contact records, when kept

    @property
    def replications(self) -> int:
        return len(self.records)

    @cached_property
    def per_replication(self) -> pd.DataFrame:
        """Every KPI of every level (queue, channel, group, customer, stage, process, cost) in every
        replication, one row each: replication, level, name, kpi, value, unit (percent KPIs as
        shares of 1, unit "share"). The tidy input for your own statistics and plots."""
        return kpis.replication_table(self.plan, self.records)

    @cached_property
    def long(self) -> pd.DataFrame:
        """The KPI tables in long format, one row per level, name and KPI: mean, ci_low, ci_high, unit."""
        from ccsim.report.export import long_table

        return long_table(self)

    @cached_property
    def provenance(self) -> dict:
        """ccsim and library versions, seed, replications, and the resolved scenario's text with
        its SHA-256: `ccsim.simulate(ccsim.load_scenario(yaml.safe_load(p["scenario"])),
        replications=p["replications"], seed=p["seed"])` gives these results again."""
        from ccsim.provenance import provenance

        return provenance(self.scenario, self.seed, self.replications)

    def to_parquet(self, folder: str | Path) -> list[Path]:
        """Write every result table (and `per_replication`, `long`) as Parquet files into `folder`,
        the provenance in each file's metadata (key "ccsim"); returns the paths written."""
        from ccsim.report.export import write_parquet_tables

        return write_parquet_tables(self, folder)

    @property
    def plot(self):
        """The report's charts as matplotlib Figures: `res.plot.service_level()`, `.volumes()`,
        `.waits()`, `.occupancy()` (see `ccsim.report.plotting.ResultPlots`)."""
        from ccsim.report.plotting import ResultPlots

        return ResultPlots(self)

    def _repr_html_(self) -> str:
        """In a notebook: the scenario, replications and seed, then the queue KPI table."""
        title = f"<p><b>{html.escape(self.scenario.name)}</b>: {self.replications} replications, seed {self.seed}</p>"
        return title + self.kpis._repr_html_()

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

    def _records(self, table: str) -> pd.DataFrame:
        if self.record_store is None:
            raise RecordsNotKept(
                f"the per-contact records ({table}) were not kept: run with simulate(..., records=True) "
                "(or records=k for the first k replications), or `ccsim run --records --out DIR`")
        return self.record_store.read(table, self.plan)

    @cached_property
    def contacts(self) -> pd.DataFrame:
        """One row per contact (attempt) of the replications whose records were kept (see
        `simulate(records=...)`); times in seconds after midnight of day 1, durations in seconds."""
        return self._records("contacts")

    @cached_property
    def legs(self) -> pd.DataFrame:
        """One row per queue visit (a transfer or escalation starts a new one), like `contacts`."""
        return self._records("legs")
