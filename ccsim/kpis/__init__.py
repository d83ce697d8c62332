"""KPIs: declared once in `registry` (name, unit, direction, percent-ness, digits, definition, and
each level's KPIs in column order), computed per replication by level (`legs`: queues, channels,
intervals; `agents`: groups and costs; `customers`: customers, stages, processes) and averaged
over replications into tables (`tables`). Rows are numpy group operations over integer codes
(`tally`); a replication's queue, group and interval KPIs are computed once (`cache`). Everything
that shows or exports a KPI reads its declaration here: `KPIS["service_level"]`, or
`kpi(name, level)` where a level declares its own."""

from ccsim.kpis.agents import cost_kpis, group_kpis, occupancy_warnings
from ccsim.kpis.customers import customer_kpis, process_kpis, satisfaction_warnings, stage_kpis
from ccsim.kpis.legs import (
    backlog, censored, channel_kpis, interval_kpis, pilot_queue_kpis, queue_kpis,
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
    "STAGE_KPIS", "Kpi", "backlog", "censored", "channel_kpis", "channel_table", "columns", "cost_kpis", "cost_table",
    "customer_kpis", "customer_table", "day_table", "group_interval_table", "group_kpis", "group_table",
    "index", "interval_kpis", "interval_table", "kpi", "kpi_table", "level_table", "names", "occupancy_warnings",
    "pilot_queue_kpis", "replication_table", "satisfaction_warnings",
    "process_kpis", "process_table", "queue_kpis", "stack_rows", "stage_kpis", "stage_table",
]
