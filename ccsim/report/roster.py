"""Weekly rosters for people and programs: terminal tables, JSON, CSVs and coverage plots, written
with the staffing outputs into one output folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from rich.table import Table

from ccsim.atomic import atomic_write, output_folder
from ccsim.report.plots import coverage_figure, interval_labels, save_figure
from ccsim.report.staffing import _write_staffing
from ccsim.staffing import Staffing
from ccsim.staffing.roster import Roster


def roster_tables(roster: Roster) -> list[Table]:
    """A summary per group (headcount, hours, cost, under-coverage, solver status), then each
    group's roster: agent x weekday, the template worked or off."""
    summary = Table(title="weekly roster: per group")
    for column in ("group", "headcount", "agents listed", "paid hours", "cost", "under agent-h", "penalty", "solver"):
        summary.add_column(column, justify="left" if column in ("group", "solver") else "right")
    hours = roster.scenario.interval / 3600.0
    for name, g in roster.groups.items():
        summary.add_row(name, str(g.headcount), str(len(g.agents)), f"{g.agents.hours.sum():,.1f}", f"{g.cost:,.0f}",
                        f"{g.coverage.under.sum() * hours:,.1f}", f"{g.under_cost:,.0f}",
                        g.status + (f" (gap {100 * g.gap:.2f}%)" if g.gap > 0 else ""))
    out = [summary]
    for name, g in roster.groups.items():
        table = g.table()
        table = table[table.hours > 0]
        t = Table(title=f"roster of {name}: {g.headcount} agents")
        for column in table.columns:
            t.add_column(str(column), justify="right" if column == "hours" else "left")
        for _, row in table.iterrows():
            t.add_row(*(f"{v:g}" if isinstance(v, float) else str(v) for v in row))
        out.append(t)
    return out


def roster_json(roster: Roster) -> dict[str, Any]:
    """Per group: headcount, cost, penalty, status, gap and every agent's shifts."""
    return {name: {"headcount": g.headcount, "agents_listed": len(g.agents), "paid_hours": float(g.agents.hours.sum()),
                   "cost": g.cost, "under_cost": g.under_cost, "status": g.status, "gap": g.gap,
                   "under_agent_hours": float(g.coverage.under.sum() * roster.scenario.interval / 3600.0),
                   "shifts": g.shifts.to_dict(orient="records")}
            for name, g in roster.groups.items()}


def write_roster(result: Staffing, roster: Roster, out_dir: Path | str, stem: str) -> list[Path]:
    """Replace `out_dir` whole with the staffing outputs (the staffed scenario is the rostered one)
    and, per group, roster_G.csv (agent x day), roster_shifts_G.csv, roster_coverage_G.csv and
    roster_coverage_G.png."""
    out = Path(out_dir)
    with output_folder(out) as folder:
        written = _write_staffing(result, folder, stem)
        for name, g in roster.groups.items():
            for file, frame in ((f"roster_{name}.csv", g.table()), (f"roster_shifts_{name}.csv", g.shifts),
                                (f"roster_coverage_{name}.csv", g.coverage)):
                atomic_write(folder / file, lambda handle, f=frame: f.to_csv(handle, index=False))
                written.append(folder / file)
            plot = pd.DataFrame({"label": interval_labels(g.coverage), "required": g.coverage.required,
                                 "scheduled": g.coverage.scheduled})
            path = folder / f"roster_coverage_{name}.png"
            save_figure(coverage_figure(plot, f"{name}: required vs rostered agents per interval"), path)
            written.append(path)
    return [out / p.relative_to(folder) for p in written]
