"""Terminal tables (rich) for simulation results and Erlang answers."""

from __future__ import annotations

import math

from rich.table import Table

from ccsim.results import Results
from ccsim.units import format_duration


def _pct(mean: float, lo: float, hi: float) -> str:
    if not math.isfinite(mean):
        return "-"
    text = f"{100 * mean:.1f}%"
    return text + (f" ±{100 * (hi - lo) / 2:.1f}" if math.isfinite(hi - lo) else "")


def _num(mean: float, lo: float, hi: float, digits: int = 1) -> str:
    if not math.isfinite(mean):
        return "-" if math.isnan(mean) else "inf"
    text = f"{mean:,.{digits}f}"
    return text + (f" ±{(hi - lo) / 2:,.{digits}f}" if math.isfinite(hi - lo) else "")


def _cell(row, kpi: str, fmt=_num, **kw) -> str:
    return fmt(row[kpi], row[f"{kpi}_ci_low"], row[f"{kpi}_ci_high"], **kw)


def kpi_table(res: Results) -> Table:
    """Queues and "ALL": volumes, service level against target, waits, abandonment (± 95% CI half-width)."""
    table = Table(title=f"{res.scenario.name} — {res.replications} replications, seed {res.seed} (± = 95% CI)")
    for header in ("queue", "offered", "answered", "abandoned", "in system", "service level",
                   "target", "ASA s", "p90 wait s", "abandon rate"):
        table.add_column(header, justify="left" if header == "queue" else "right")
    queues = res.scenario.queues
    for name, row in res.kpis.iterrows():
        sl = queues[name].service_level if name in queues else None
        target = f"{100 * sl.target:.0f}/{format_duration(sl.threshold)}" if sl else ""
        table.add_row(
            str(name), _cell(row, "offered"), _cell(row, "answered"), _cell(row, "abandoned"),
            _cell(row, "in_system"), _cell(row, "service_level", _pct), target, _cell(row, "asa"),
            _cell(row, "wait_p90"), _cell(row, "abandon_rate", _pct),
            style="bold" if name == "ALL" else None, end_section=name == res.kpis.index[-2])
    return table


def group_table(res: Results) -> Table:
    """Agent groups and "ALL": occupancy, contacts handled, hours and cost."""
    table = Table(title="agent groups")
    for header in ("group", "occupancy", "handled", "busy h", "staffed h", "cost"):
        table.add_column(header, justify="left" if header == "group" else "right")
    for name, row in res.groups.iterrows():
        table.add_row(
            str(name), _cell(row, "occupancy", _pct), _cell(row, "handled"), _cell(row, "busy_hours"),
            _cell(row, "staffed_hours"), _cell(row, "cost", digits=0),
            style="bold" if name == "ALL" else None, end_section=name == res.groups.index[-2])
    return table
