"""Terminal tables (rich) for simulation results and Erlang answers."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
from rich.table import Table

from ccsim.kpis import kpi
from ccsim.report.format import cell_text, delta_text, value_text
from ccsim.report.grids import Grid, channel_grid, cost_benefit_grids, duration_cell, customer_grid, flow_grid, stage_grid
from ccsim.results import Results
from ccsim.units import format_duration


def overrides_text(overrides: Mapping[str, Any] | None) -> str:
    """The `--set` overrides as "key=value, key=value" (values in YAML/JSON flow style), or ""."""
    return ", ".join(f"{key}={value if isinstance(value, str) else json.dumps(value, default=str)}"
                     for key, value in (overrides or {}).items())


def kpi_table(res: Results, overrides: Mapping[str, Any] | None = None) -> Table:
    """Queues and "ALL": volumes, service level against target, waits, abandonment (± 95% CI half-width);
    the title names the `--set` overrides the scenario was run with."""
    changed = f", with {overrides_text(overrides)}" if overrides else ""
    table = Table(title=f"{res.scenario.name}{changed} — {res.replications} replications, seed {res.seed} (± = 95% CI)")
    for header in ("queue", "channel", "offered", "answered", "abandoned", "in system", "service level",
                   "target", "ASA", "p90 wait", "abandon rate"):
        table.add_column(header, justify="left" if header in ("queue", "channel") else "right")
    queues = res.scenario.queues
    for name, row in res.kpis.iterrows():
        sl = queues[name].service_level if name in queues else None
        target = f"{100 * sl.target:.0f}/{format_duration(sl.threshold)}" if sl else ""
        table.add_row(
            str(name), queues[name].channel if name in queues else "",
            cell_text(row, "offered"), cell_text(row, "answered"), cell_text(row, "abandoned"),
            cell_text(row, "in_system"), cell_text(row, "service_level"), target, duration_cell(row, "asa"),
            duration_cell(row, "wait_p90"), cell_text(row, "abandon_rate"),
            style="bold" if name == "ALL" else None, end_section=name == res.kpis.index[-2])
    return table


def group_table(res: Results) -> Table:
    """Agent groups and "ALL": occupancy, contacts handled, hours and cost; scheduled hours, time
    off work and breaks when the scenario has shrinkage or breaks."""
    table = Table(title="agent groups")
    off = bool((res.groups["off_hours"] > 0).any())
    headers = ["group", "occupancy", "handled", "AHT s", "FCR", "busy h", "staffed h"]
    headers += ["scheduled h", "off h", "shrinkage", "breaks"] if off else []
    for header in [*headers, "cost"]:
        table.add_column(header, justify="left" if header == "group" else "right")
    for name, row in res.groups.iterrows():
        shown = ["occupancy", "handled", "aht", "fcr", "busy_hours", "staffed_hours"]
        shown += ["scheduled_hours", "off_hours", "shrinkage", "breaks"] if off else []
        table.add_row(
            str(name), *(cell_text(row, k, "group") for k in [*shown, "cost"]),
            style="bold" if name == "ALL" else None, end_section=name == res.groups.index[-2])
    return table


VERDICT_COLORS = {"meets": "green", "misses": "red", "uncertain": "yellow"}


def grid_table(grid: Grid) -> Table:
    """A `Grid` as a rich table: first column left, totals bold, judged cells coloured by verdict."""
    table = Table(title=grid.title, caption=grid.note or None)
    for i, header in enumerate(grid.headers):
        table.add_column(header, justify="left" if i == 0 else "right")
    last = len(grid.rows) - 1
    for i, cells in enumerate(grid.rows):
        texts = [f"[{VERDICT_COLORS.get(c[1], 'default')}]{c[0]}[/]" if isinstance(c, tuple) else c for c in cells]
        table.add_row(*texts, style="bold" if i in grid.totals else None,
                      end_section=i + 1 in grid.totals and i + 1 == last)
    return table


def channel_table(res: Results) -> Table:
    """Queues pooled by channel (see `grids.channel_grid`)."""
    return grid_table(channel_grid(res))


def uses_flows(res: Results) -> bool:
    """Does the scenario move contacts between queues, bring customers back, or run processes?"""
    return res.plan.flows.any or bool(res.plan.process_names)


def flow_table(res: Results) -> Table:
    """Queues and "ALL": where the offered volume came from and where it went."""
    return grid_table(flow_grid(res))


def customer_table(res: Results) -> Table:
    """Customers by entry point: attempts, first-contact resolution, resolution and its time."""
    return grid_table(customer_grid(res))


def stage_table(res: Results) -> Table:
    """Process stages (and each process end to end): waits, processing, share within the limits."""
    return grid_table(stage_grid(res))


def comparison_table(comparison) -> Table:
    """KPIs of every scenario side by side; for variants the paired difference to the baseline
    with its 95% CI half-width and a verdict."""
    needed = "" if comparison.precision is None else (
        f" (needed for ±{comparison.precision:g} on service level)" if comparison.precise
        else f" (the most allowed; ±{comparison.precision:g} on service level not reached)")
    table = Table(title=f"comparison — {comparison.replications} replications{needed}, common random numbers "
                        f"(Δ = paired difference to {comparison.names[0]}, ± = 95% CI)")
    table.add_column("KPI")
    table.add_column(comparison.names[0], justify="right")
    for name in comparison.names[1:]:
        table.add_column(name, justify="right")
    colors = {"better": "green", "worse": "red", "identical": "dim", "no significant difference": "dim"}
    for _, row in key_rows(comparison.table, comparison.names).iterrows():
        k = kpi(row.kpi, row.level)
        label = k.label + ("" if row["name"] == "ALL" else f" ({row['name']})")
        cells = [value_text(k, row[comparison.names[0]])]
        for name in comparison.names[1:]:
            verdict = row.get(f"{name} verdict")
            if not isinstance(verdict, str):          # a group only this variant has
                cells.append(value_text(k, row[name]))
                continue
            delta = delta_text(k, *(row[f"{name} delta{end}"] for end in ("", "_ci_low", "_ci_high")))
            mix = " [dim](mix effect?)[/]" if row.get(f"{name} note") else ""
            cells.append(f"{value_text(k, row[name])}  Δ {delta}  [{colors.get(verdict, 'bold')}]{verdict}[/]{mix}")
        table.add_row(label, *cells)
    return table


def pilot_table(res: Results) -> Table:
    """Pilot versus control of the same simulation (groups, or queues for a pilot on contacts):
    paired differences with CIs."""
    table = Table(title=f"pilot versus control — {res.replications} replications (Δ = pilot − control, ± = 95% CI)")
    effects = res.pilot
    for header in (effects.level.iloc[0], "KPI", "control", "pilot", "Δ", "verdict"):
        table.add_column(header, justify="right" if header in ("control", "pilot", "Δ") else "left")
    colors = {"better": "green", "worse": "red"}
    for _, row in effects.iterrows():
        k = kpi(row.kpi, row.level)
        table.add_row(row["name"], k.label, value_text(k, row.control), value_text(k, row.pilot),
                      delta_text(k, row.delta, row.delta_ci_low, row.delta_ci_high),
                      f"[{colors.get(row.verdict, 'dim')}]{row.verdict}[/]")
    return table


def cost_table(res: Results) -> Table:
    """Agent cost shared among queues by handle time, penalties and cost per answered contact."""
    table = Table(title="costs (agent cost shared among queues by handle time)")
    columns = {"agent_cost": "agent cost", "abandon_penalty": "abandoned", "late_penalty": "late",
               "missed_interval_penalty": "missed intervals", "total_cost": "total",
               "cost_per_contact": "agent cost / answered", "total_cost_per_contact": "total / answered"}
    table.add_column("queue")
    for header in columns.values():
        table.add_column(header, justify="right")
    for name, row in res.costs.iterrows():
        table.add_row(str(name), *(cell_text(row, k, "cost") for k in columns),
                      style="bold" if name == "ALL" else None, end_section=name == res.costs.index[-2])
    return table


def cost_benefit_tables(comparison) -> list[Table]:
    """Changes per year (payback, first-year net) and pilots over their own period (see
    `grids.cost_benefit_grids`)."""
    return [grid_table(grid) for grid in cost_benefit_grids(comparison.cost_benefit)]


def key_rows(rows: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """The rows worth a manager's screen: every queue KPI overall and service level per queue;
    occupancy and hours of all agents; AHT and FCR of piloting groups beside their control
    groups; costs, where any scenario has them; CSAT and NPS of all customers, where rated."""
    piloting = {name.removesuffix(" (pilot)") for name in rows.name if name.endswith(" (pilot)")}
    piloting |= {f"{name} (pilot)" for name in piloting}
    queue = (rows.level == "queue") & ((rows.name == "ALL") | (rows.kpi == "service_level"))
    group = (rows.level == "group") & (((rows.name == "ALL") & rows.kpi.isin(["occupancy", "staffed_hours"]))
                                       | (rows.name.isin(piloting) & rows.kpi.isin(["aht", "fcr"])))
    cost = (rows.level == "cost") & (rows[names].fillna(0) != 0).any(axis=1)
    customer = (rows.level == "customer") & rows.kpi.isin(["csat", "nps"])    # with a satisfaction model
    shown = rows[queue | group | cost | customer]
    level = shown.level.map({"queue": 0, "group": 1, "cost": 2, "customer": 3})
    base = shown.name.str.removesuffix(" (pilot)")
    first = {name: i for i, name in enumerate(dict.fromkeys(base))}     # a pilot beside its control
    order = pd.DataFrame({"level": level, "base": base.map(first), "kpi": shown.kpi.map({"aht": 0, "fcr": 1}).fillna(0),
                          "pilot": shown.name.str.endswith(" (pilot)"), "row": range(len(shown))})
    by_group = order.level == 1
    order.loc[~by_group, ["base", "kpi"]] = 0
    return shown.loc[order.sort_values(["level", "base", "kpi", "pilot", "row"]).index]
