"""Staffing results for people and programs: terminal tables, JSON, CSVs, the coverage plot and
the staffed scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from rich.table import Table

from ccsim.atomic import atomic_write, output_folder
from ccsim.report.plots import coverage_figure, interval_labels, render
from ccsim.scenario import write_scenario
from ccsim.staffing import Staffing
from ccsim.summary import staffing_summary


def interval_totals(result: Staffing) -> pd.DataFrame:
    """Per interval: the analytic requirement per queue (present agents), and agents summed over
    groups: analytic FTE, simulated, required, scheduled."""
    req = result.requirements.pivot_table(index=["interval", "day", "start"], columns="queue", values="required",
                                          sort=False)
    req.columns = [f"{q} (Erlang)" for q in req.columns]
    columns = [c for c in ("analytic", "simulated", "required", "scheduled") if c in result.groups]
    totals = result.groups.groupby(["interval", "day", "start"], sort=False)[columns].sum()
    return req.join(totals).reset_index()


def staffing_tables(result: Staffing) -> list[Table]:
    """The requirement per interval, per group totals, and the planned shifts."""
    totals = interval_totals(result)
    multi_day = totals.day.nunique() > 1
    table = Table(title=f"{result.scenario.name} — required agents per interval ({result.method})")
    shown = [c for c in totals.columns if c not in ("interval", "day", "start")]
    for column in ["day", "start"][0 if multi_day else 1:] + shown:
        table.add_column(column.replace("analytic", "Erlang FTE"), justify="right")
    for _, row in totals.iterrows():
        cells = [str(row.day), row.start] if multi_day else [row.start]
        table.add_row(*cells, *(f"{row[c]:.0f}" for c in shown))
    if result.search is not None and result.search.stopped_early:
        table.caption = result.search.note
    tables = [table]

    hours = result.scenario.interval / 3600.0
    summary = {g["group"]: g for g in staffing_summary(result)["groups"]}
    groups = Table(title="agent groups: agent-hours")
    columns = [c for c in ("analytic", "simulated", "required", "scheduled", "over", "under") if c in result.groups]
    paid = ["paid"] if result.shift_plans else []
    for column in ["group", *columns, *paid, "cost"]:
        groups.add_column(column.replace("analytic", "Erlang FTE"), justify="left" if column == "group" else "right")
    for name, part in result.groups.groupby("group", sort=False):
        extra = [f"{summary[name]['paid_hours']:,.1f}"] if paid else []
        groups.add_row(name, *(f"{part[c].sum() * hours:,.1f}" for c in columns), *extra,
                       f"{summary[name]['cost']:,.0f}")
    if paid:
        groups.caption = ("cost = paid hours (breaks included) x the shift templates' cost per hour; scheduled "
                          "hours count agents present, breaks deducted")
    tables.append(groups)
    for name, plan in result.shift_plans.items():
        shifts = Table(title=f"shifts for {name}: {plan.paid_hours:,.1f} paid hours, cost {plan.cost:,.0f}")
        for column in plan.counts.columns:
            shifts.add_column(str(column), justify="right")
        for _, row in plan.counts.iterrows():
            shifts.add_row(*(str(v) for v in row))
        tables.append(shifts)
    return tables


def staffing_json(result: Staffing) -> str:
    """One JSON object: the method, per-interval totals, per-group rows and any shift plans."""
    data = {
        "scenario": result.scenario.name,
        "method": result.method,
        "summary": staffing_summary(result),
        "intervals": interval_totals(result).to_dict(orient="records"),
        "groups": result.groups.to_dict(orient="records"),
        "requirements": result.requirements.fillna(-1).to_dict(orient="records"),
        "shift_plans": {g: {"paid_hours": p.paid_hours, "cost": p.cost, "counts": p.counts.to_dict(orient="records")}
                        for g, p in result.shift_plans.items()},
        "search": None if result.search is None else {
            **result.search.status(), "history": result.search.history.to_dict(orient="records")},
    }
    return json.dumps(data, indent=2, default=float)


def write_staffing(result: Staffing, out_dir: Path | str, stem: str) -> list[Path]:
    """Replace `out_dir` whole with requirements.csv, staffing.csv, coverage.png, the staffed
    scenario and, when present, the search history and shift plans."""
    out = Path(out_dir)
    with output_folder(out) as folder:
        written = _write_staffing(result, folder, stem)
    return [out / path.relative_to(folder) for path in written]


def _write_staffing(result: Staffing, out: Path, stem: str) -> list[Path]:
    frames = {"requirements.csv": result.requirements, "staffing.csv": result.groups,
              "intervals.csv": interval_totals(result)}
    if result.search is not None:
        frames["search_history.csv"] = result.search.history
    for group, plan in result.shift_plans.items():
        frames[f"shifts_{group}.csv"] = plan.counts
        frames[f"coverage_{group}.csv"] = plan.coverage
    written = []
    for name, frame in frames.items():
        atomic_write(out / name, lambda handle, f=frame: f.to_csv(handle, index=False))
        written.append(out / name)
    totals = interval_totals(result)
    coverage = pd.DataFrame({"label": interval_labels(totals), "required": totals.required,
                             "scheduled": totals.scheduled, "analytic": totals.analytic})
    title = f"{result.scenario.name}: required vs scheduled agents per interval"
    png, svg = render(coverage_figure(coverage, title), out / "coverage.png")
    written.append(out / "coverage.png")
    written.append(write_scenario(result.scenario, out / f"{stem}_staffed.yml"))
    from ccsim.report.charts import Chart
    from ccsim.report.staffing_html import staffing_report

    chart = Chart("coverage", title, "Agents required and scheduled per interval (all groups), with the Erlang "
                  "requirement.", out / "coverage.png", png, svg)
    atomic_write(out / "report.html", lambda h: h.write(staffing_report(result, [chart])))
    written.append(out / "report.html")
    return written
