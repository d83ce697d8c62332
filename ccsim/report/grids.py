"""Result tables as grids of text, shared by the terminal (rich) and the HTML report so both show
the same cells in the same units: channels, process flows, customers, process stages and days.
A cell is its text, or (text, verdict) where a target judges it: "meets", "misses" or "uncertain"."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ccsim.kpis import kpi
from ccsim.report.format import cell_text
from ccsim.results import Results
from ccsim.summary import target_verdict
from ccsim.units import format_duration

Cell = str | tuple[str, str]
_UNITS = ((120, 1, "s"), (7200, 60, "min"), (172800, 3600, "h"), (math.inf, 86400, "d"))


@dataclass(frozen=True)
class Grid:
    """A titled table: headers, then rows of cells; `totals` are the row positions of totals ("ALL")."""

    title: str
    headers: tuple[str, ...]
    rows: list[list[Cell]]
    totals: set[int] = field(default_factory=set)
    note: str = ""


def duration_unit(seconds: float) -> tuple[float, str]:
    """(seconds per unit, unit) to show a duration readably: s below 2 min, min below 2 h, h below 2 d, else d."""
    return next((size, unit) for limit, size, unit in _UNITS if seconds < limit)


def duration_cell(row, kpi: str) -> str:
    """A mean duration in one readable unit (s, min, h or d) with its CI half-width in the same unit."""
    mean, lo, hi = row[kpi], row[f"{kpi}_ci_low"], row[f"{kpi}_ci_high"]
    if not math.isfinite(mean):
        return "-"
    size, unit = duration_unit(mean)
    text = f"{mean / size:,.1f} {unit}"
    return text + (f" ±{(hi - lo) / 2 / size:,.1f}" if math.isfinite(hi - lo) else "")


def _within(row, kpi: str, limit_s: float) -> Cell:
    """A duration judged against a limit (lower is better); plain text without a limit."""
    text = duration_cell(row, kpi)
    if not math.isfinite(limit_s):
        return text
    return text, target_verdict(row[kpi], row[f"{kpi}_ci_low"], row[f"{kpi}_ci_high"], limit_s, False)


def _plain(limit: float | None) -> float:
    """A limit in plain seconds to judge a mean time against; inf (no verdict) when there is none
    or it counts on the business calendar (each item has its own due time)."""
    return math.inf if limit is None or hasattr(limit, "due_s") else float(limit)


def _totals(names) -> set[int]:
    return {i for i, name in enumerate(names) if name == "ALL"}


def channel_grid(res: Results) -> Grid:
    """Queues pooled by channel: volumes, service level (first response for chat, due time for
    email and outbound), waits, abandonment, and the backlog left at the end."""
    rows = []
    for name, row in res.channels.iterrows():
        counts = [cell_text(row, k, "channel", digits=0) for k in ("offered", "answered", "abandoned")]
        rows.append([str(name), *counts, cell_text(row, "service_level", "channel"), duration_cell(row, "asa"),
                     duration_cell(row, "wait_p90"), cell_text(row, "abandon_rate", "channel"),
                     cell_text(row, "in_system", "channel", digits=0)])
    return Grid("channels", ("channel", "offered", "answered", "abandoned", "service level", "ASA", "p90 wait",
                             "abandon rate", "waiting at end"), rows)


def flow_grid(res: Results) -> Grid:
    """Queues and "ALL": where the offered volume came from and where it went."""
    rows = [[str(name), *(cell_text(row, k, digits=0) for k in (
                "offered", "offered_fresh", "offered_repeat", "offered_retrial", "offered_transfer",
                "offered_escalation")),
             cell_text(row, "transfer_rate"), cell_text(row, "fcr"), cell_text(row, "escalated", digits=0),
             cell_text(row, "callbacks", digits=0), cell_text(row, "callback_within_due")]
            for name, row in res.kpis.iterrows()]
    return Grid("process flows per queue", (
        "queue", "offered", "fresh", "repeat", "retrial", "transfer in", "escalation in", "transfer rate", "FCR",
        "escalated", "callbacks", "callback due met"), rows, _totals(res.kpis.index))


def customer_grid(res: Results) -> Grid:
    """Customers by entry point: attempts, first-contact resolution, resolution and its time."""
    shown = [(name, row) for name, row in res.customers.iterrows() if row["customers"] > 0 or name == "ALL"]
    rated = [k for k in ("csat", "nps") if res.customers[k].notna().any()]   # with a satisfaction model
    rows = [[str(name), *(cell_text(row, k, "customer") for k in (
                "customers", "contacts_per_customer", "fcr", "resolved", "transferred", "escalated", "repeat_contacts",
                "retrials")),
             duration_cell(row, "resolution_time"), duration_cell(row, "resolution_p90"),
             *(cell_text(row, k, "customer") for k in rated)]
            for name, row in shown]
    return Grid("customers (by where they first entered)", (
        "entry", "customers", "contacts each", "FCR", "resolved", "transferred", "escalated", "repeats", "retrials",
        "resolution time", "p90", *(kpi(k, "customer").label for k in rated)), rows, _totals(name for name, _ in shown))


def stage_grid(res: Results) -> Grid:
    """Process stages (and each process end to end): waits, processing, stage time judged against
    the stage's time limit (the end-to-end time against the promise), share within the limits."""
    from ccsim.scenario.severity import apply_severity      # the processes as simulated: one per severity class

    processes = apply_severity(res.scenario).processes
    stages = [(f"{p} / {i + 1}. {stage.label}", stage.time_limit) for p, process in processes.items()
              for i, stage in enumerate(process.stages)]
    rows = []
    for (label, limit), (_, row) in zip(stages, res.stages.iterrows()):
        rows.append([label, cell_text(row, "completed", "stage", digits=0), duration_cell(row, "wait"),
                     duration_cell(row, "processing"), _within(row, "stage_time", _plain(limit)),
                     format_duration(limit) if limit is not None else "", cell_text(row, "within_limit", "stage")])
    totals = set()
    for name, row in res.processes.iterrows():
        promise = processes[name].promise
        totals.add(len(rows))
        rows.append([f"{name} end to end", cell_text(row, "completed", "process", digits=0), "", "",
                     _within(row, "resolution_time", _plain(promise)),
                     format_duration(promise) if promise is not None else "",
                     cell_text(row, "within_promise", "process")])
    return Grid("process stages", ("process / stage", "completed", "wait", "processing", "stage time", "limit",
                                   "within limit"), rows, totals,
                "Stage time is judged against the stage's time limit, end to end against the promise (95% CI).")


def day_grid(res: Results) -> Grid:
    """Per day and queue: volumes, service level judged against the queue's target, ASA, abandonment."""
    queues = res.scenario.queues
    rows = []
    for _, row in res.days.iterrows():
        sl = cell_text(row, "service_level")
        target = queues[row.queue].service_level.target if row.queue in queues else None
        if target is not None and math.isfinite(row.service_level):
            sl = (sl, target_verdict(row.service_level, row.service_level_ci_low, row.service_level_ci_high,
                                     target, True))
        rows.append([str(row.day), str(row.queue), *(cell_text(row, k, digits=0) for k in
                                                      ("offered", "answered", "abandoned")),
                     sl, duration_cell(row, "asa"), cell_text(row, "abandon_rate")])
    return Grid("days", ("day", "queue", "offered", "answered", "abandoned", "service level", "ASA", "abandon rate"),
                rows, note="Service level per day against the queue's target (95% CI).")


def _money(row, key: str, sign: bool = True) -> str:
    mean, low, high = row[key], row.get(f"{key}_ci_low", math.nan), row.get(f"{key}_ci_high", math.nan)
    if not math.isfinite(mean):
        return "-"
    text = f"{mean:+,.0f}" if sign else f"{mean:,.0f}"
    return text + (f" ±{(high - low) / 2:,.0f}" if math.isfinite(high - low) and high > low else "")


def _months(row) -> str:
    mean, low, high = row.payback_months, row.get("payback_months_ci_low"), row.get("payback_months_ci_high")
    if not math.isfinite(mean):
        return "never"
    text = f"{mean:.1f} months"
    if low is not None and high is not None and high > low:
        text += f" ({low:.1f}–{high:.1f})" if math.isfinite(high) else f" ({low:.1f}–never)"
    return text


def cost_benefit_grids(cost_benefit) -> list[Grid]:
    """The cost-benefit of a comparison (`Comparison.cost_benefit`): permanent and re-staffed
    changes per year with payback and first-year net; pilots over their own period and
    extrapolated to the whole team. Every ± is a 95% CI half-width; payback shows its CI range."""
    grids = []
    changes = cost_benefit[cost_benefit.kind != "pilot"] if len(cost_benefit) else cost_benefit
    if len(changes):
        rows = [[str(name), str(row.against), _money(row, "total_cost_delta"), _money(row, "agent_cost_delta"),
                 _money(row, "penalty_delta"), f"{row.agent_hours_delta:+,.1f}",
                 _money(row, "simulated_yearly_saving", sign=False) + ("" if row.saving_basis == "simulated"
                                                                        else f" (used: {row.yearly_saving:,.0f})"),
                 f"{row.up_front:,.0f}", f"{row.yearly_cost:,.0f}", _months(row), _money(row, "first_year_net", False)]
                for name, row in changes.iterrows()]
        headers = ("variant", "against", "Δ total cost", "Δ agents", "Δ penalties", "Δ agent-hours", "saving / year",
                   "up front", "yearly cost", "payback", "first-year net")
        if not changes.yearly_cost.any():                    # no running costs: one column less to read
            headers, rows = headers[:8] + headers[9:], [row[:8] + row[9:] for row in rows]
        grids.append(Grid("cost-benefit per year (Δ per horizon, paired; saving = lower total cost)", headers, rows,
                          note="Saving / year = -Δ total cost x horizons per year; payback in months with its 95% "
                               "CI range."))
    pilots = cost_benefit[cost_benefit.kind == "pilot"] if len(cost_benefit) else cost_benefit
    if len(pilots):
        rows = [[str(name), f"{100 * row.pilot_share:.1f}%", f"{row.pilot_periods:g}", _money(row, "total_cost_delta"),
                 f"{row.up_front:,.0f}", _money(row, "pilot_cost", sign=False), _money(row, "extrapolated_delta"),
                 _money(row, "extrapolated_yearly_saving", sign=False)]
                for name, row in pilots.iterrows()]
        grids.append(Grid("pilots: priced over their own period, effect extrapolated to the whole team", (
            "pilot", "share of work", "horizons run", "Δ total cost / horizon", "up front", "pilot cost",
            "extrapolated Δ / horizon", "extrapolated saving / year"), rows,
            note="Pilot cost = up front + Δ total cost x horizons run. Extrapolated = Δ / share of work (95% CI / "
                 "share): a pilot is not kept, so it has no payback of its own."))
    return grids
