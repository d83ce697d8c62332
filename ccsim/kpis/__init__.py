"""KPIs: declared once in `registry` (name, unit, direction, percent-ness, digits, definition, and
each level's KPIs in column order), computed per replication by level as mergeable parts of
chunks of whole customers and a finish step (`legs`: queues, channels; `intervals`: intervals and
days; `agents`: groups and costs; `customers`: customers, stages, processes), merged by
`accumulate.KpiAccumulator`, read per replication through `replication` (computed once, `cache`)
and averaged over replications into tables (`tables`). Rows are numpy group operations over
integer codes (`tally`); percentiles come from `quantiles` (exact up to a cap, then a histogram). Everything
that shows or exports a KPI reads its declaration here: `KPIS["service_level"]`, or
`kpi(name, level)` where a level declares its own."""

from ccsim.kpis.accumulate import KpiAccumulator
from ccsim.kpis.agents import occupancy_warnings
from ccsim.kpis.alerts import satisfaction_warnings
from ccsim.kpis.intervals import backlog
from ccsim.kpis.legs import censored
from ccsim.kpis.replication import (
    channel_kpis, cost_kpis, customer_kpis, group_kpis, interval_kpis, pilot_queue_kpis, process_kpis, queue_kpis,
    stage_kpis,
)
from ccsim.kpis.registry import KPIS, LEVELS, Kpi, columns, index, kpi, names, stack_rows
from ccsim.kpis.tables import (
    channel_table, cost_table, customer_table, day_table, group_interval_table, group_table, interval_table,
    kpi_table, level_table, process_table, replication_table, stage_table,
)

QUEUE_KPIS = names("queue")
INTERVAL_KPIS = names("interval")
GROUP_KPIS = names("group")
CUSTOMER_KPIS = names("customer")
STAGE_KPIS = names("stage")
PROCESS_KPIS = names("process")
COST_KPIS = names("cost")

__all__ = [
    "COST_KPIS", "CUSTOMER_KPIS", "GROUP_KPIS", "INTERVAL_KPIS", "KPIS", "LEVELS", "PROCESS_KPIS", "QUEUE_KPIS",
    "STAGE_KPIS", "Kpi", "KpiAccumulator",
    "backlog", "censored", "channel_kpis", "channel_table", "columns", "cost_kpis", "cost_table",
    "customer_kpis", "customer_table", "day_table", "group_interval_table", "group_kpis", "group_table",
    "index", "interval_kpis", "interval_table", "kpi", "kpi_table", "level_table", "names", "occupancy_warnings",
    "pilot_queue_kpis", "replication_table", "satisfaction_warnings",
    "process_kpis", "process_table", "queue_kpis", "stack_rows", "stage_kpis", "stage_table",
]
