"""The charts of the HTML reports, saved as PNGs: for a run, service level, volumes, occupancy and
staffing per interval and the wait distribution; for a comparison, the paired differences and
the service level of every scenario. Figures are drawn from result tables; nothing is simulated."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ccsim import kpis
from ccsim.kpis import kpi
from ccsim.report.plots import (
    coverage_figure, interval_axis, interval_figure, interval_labels, legend_outside, plt, render, step,
)
from ccsim.report.grids import duration_unit
from ccsim.report.staffing import interval_totals
from ccsim.results import Results
from ccsim.staffing import staff
from ccsim.units import format_duration

VERDICT_COLORS = {"better": "tab:green", "worse": "tab:red", "higher": "tab:blue", "lower": "tab:blue",
                  "no significant difference": "tab:gray", "identical": "tab:gray"}
# (level, name, kpi): the paired differences a comparison chart shows
KEY_DELTAS = (("queue", "ALL", "service_level"), ("queue", "ALL", "asa"), ("queue", "ALL", "abandon_rate"),
              ("group", "ALL", "occupancy"), ("group", "ALL", "cost"), ("cost", "ALL", "total_cost"))
UNIT_WORDS = {"pts": "percentage points", "currency": "currency units over the horizon"}


@dataclass(frozen=True)
class Chart:
    """A chart saved as a PNG: the report section it illustrates, its title and caption, its file
    and bytes, and the same chart as inline SVG markup (text as text) for the HTML report."""

    section: str
    title: str
    caption: str
    path: Path
    png: bytes
    svg: str = ""


# (section, file name, title, caption, figure builder taking the title)
Spec = tuple[str, str, str, str, Callable[[str], Figure]]


def _save(out_dir: Path | str, specs: Sequence[Spec], name: str) -> list[Chart]:
    """Draw each spec, titled "`name`: title", and save it as a PNG in `out_dir`."""
    out = Path(out_dir)
    return [Chart(section, title, caption, out / file, *render(draw(f"{name}: {title}"), out / file))
            for section, file, title, caption, draw in specs]


def run_charts(res: Results, out_dir: Path | str) -> list[Chart]:
    """The charts of a run report, written as PNGs into `out_dir`."""
    return _save(out_dir, [
        ("service-level", "service_level.png", "service level per interval",
         ("Share of contacts answered within each queue's threshold, per interval (mean over replications); "
          "dashed lines are the targets."), lambda title: service_level_figure(res, title)),
        ("volumes", "volumes.png", "contacts per interval",
         ("Contacts per interval over all queues (mean over replications): answered and abandoned stacked, "
          "offered as a line."), lambda title: volume_figure(res, title)),
        ("waits", "waits.png", "wait before answer",
         ("Waits of answered contacts per queue and over all queues: ASA and the p50/p90/p95 percentiles (means "
          "over replications with 95% CI bars, as in the table below); dashed marks are the service-level "
          "thresholds."),
         lambda title: wait_figure(res, title)),
        ("occupancy", "occupancy.png", "occupancy per agent group",
         "Busy time as a share of the time agents were present, per agent group and interval.",
         lambda title: occupancy_figure(res, title)),
        ("staffing", "staffing.png", "scheduled agents vs Erlang requirement",
         ("Agents scheduled in the scenario (all groups) against the analytic Erlang requirement per queue and "
          "interval in scheduled FTE (shrinkage included), as ccsim staff computes it. Erlang treats each "
          "queue alone; agents shared between queues usually need fewer."),
         lambda title: staffing_figure(res, title)),
    ], res.scenario.name)


def comparison_charts(comparison, out_dir: Path | str) -> list[Chart]:
    """The charts of a comparison report (a `ccsim.compare.Comparison`), written as PNGs into `out_dir`."""
    variants = len(comparison.names) - 1
    return _save(out_dir, [
        ("deltas", "deltas.png", "paired differences to the baseline (95% CI)",
         ("Paired difference of each variant to the baseline with its 95% confidence interval, coloured by "
          "verdict; an interval across the dashed zero line is no significant difference."),
         lambda title: delta_figure(comparison, title)),
        ("service-level", "service_level.png", "service level per interval, all queues",
         "Service level over all queues per interval (mean over replications), every scenario overlaid.",
         lambda title: overlay_figure(comparison, title)),
    ], f"{comparison.names[0]} and {variants} variant{'s' if variants > 1 else ''}")


def _colors(n: int) -> list:
    cmap = plt.get_cmap("tab10" if n <= 10 else "tab20")
    return [cmap(i % cmap.N) for i in range(n)]


def _percent_range(ax, values: Sequence[Sequence[float]]) -> None:
    """A percent axis from 10 points below the lowest value (rounded down to 10, at least 0) to 100."""
    finite = np.concatenate([np.asarray(v, dtype=float).ravel() for v in values])
    finite = finite[np.isfinite(finite)]
    low = max(0.0, 10 * np.floor(finite.min() / 10) - 10) if finite.size else 0.0
    ax.set_ylim(low, 101)


def _all_queues(res: Results) -> pd.DataFrame:
    iv = res.intervals
    return iv[iv.queue == "ALL"]


def service_level_figure(res: Results, title: str) -> Figure:
    """Service level (%) per interval of every queue and all queues, each queue's target dashed."""
    total = _all_queues(res)
    fig, ax = interval_figure(len(total))
    queues = res.scenario.queues
    colors = dict(zip(queues, _colors(len(queues))))
    iv = res.intervals
    for q, queue in queues.items():
        step(ax, 100 * iv.loc[iv.queue == q, "service_level"].to_numpy(), color=colors[q],
             label=f"{q} (within {format_duration(queue.service_level.threshold)})")
    step(ax, 100 * total["service_level"].to_numpy(), color="black", linewidth=2, label="all queues")
    by_target: dict[float, list[str]] = {}
    for q, queue in queues.items():
        by_target.setdefault(queue.service_level.target, []).append(q)
    for target, members in by_target.items():
        ax.axhline(100 * target, color=colors[members[0]] if len(members) == 1 else "dimgray", linestyle="--",
                   linewidth=1.2, label=f"target {100 * target:.0f}%: {', '.join(members)}")
    interval_axis(ax, interval_labels(total))
    _percent_range(ax, [100 * iv["service_level"].to_numpy(), [100 * t for t in by_target]])
    ax.set_ylabel("service level (% within threshold)")
    ax.set_title(title)
    legend_outside(ax)
    return fig


def volume_figure(res: Results, title: str) -> Figure:
    """Contacts offered, answered and abandoned per interval, all queues, means over replications."""
    total = _all_queues(res)
    fig, ax = interval_figure(len(total))
    x = np.arange(len(total))
    answered, abandoned = total["answered"].to_numpy(), total["abandoned"].to_numpy()
    ax.bar(x, answered, width=1.0, align="edge", color="tab:blue", alpha=0.8, edgecolor="white", linewidth=0.5,
           label="answered")
    ax.bar(x, abandoned, bottom=answered, width=1.0, align="edge", color="tab:red", alpha=0.8, edgecolor="white",
           linewidth=0.5, label="abandoned")
    step(ax, total["offered"].to_numpy(), color="black", linewidth=1.5, label="offered")
    interval_axis(ax, interval_labels(total))
    ax.set_ylabel("contacts per interval (mean over replications)")
    ax.set_title(title)
    legend_outside(ax)
    return fig


WAIT_MARKS = (("asa", "ASA (mean)", "tab:blue"), ("wait_p50", "p50", "tab:green"), ("wait_p90", "p90", "tab:orange"),
              ("wait_p95", "p95", "tab:red"))


def wait_figure(res: Results, title: str) -> Figure:
    """Waits of answered contacts per queue and over all queues, from the KPI table: ASA and the
    p50/p90/p95 percentiles (means over replications, 95% CI bars), each queue's service-level
    threshold as a dashed target mark; in the unit (s, min, h or d) the tables give the longest wait."""
    kpis = res.kpis
    names = list(kpis.index)
    values = kpis[[key for key, _, _ in WAIT_MARKS]].to_numpy(dtype=float)
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
    size, unit = duration_unit(top)                    # the unit the tables use for the longest wait
    fig, ax = plt.subplots(figsize=(10.0, 1.2 + 0.55 * len(names)), constrained_layout=True)
    width = 0.8 / len(WAIT_MARKS)
    for j, (key, label, color) in enumerate(WAIT_MARKS):
        mean = kpis[key].to_numpy(dtype=float)
        low = np.maximum(kpis[f"{key}_ci_low"].to_numpy(dtype=float), 0.0)      # a wait is never negative
        err = np.nan_to_num(np.abs(np.stack([mean - low, kpis[f"{key}_ci_high"].to_numpy(dtype=float) - mean])))
        y = np.arange(len(names)) - 0.4 + width * (j + 0.5)
        ax.barh(y, np.nan_to_num(mean) / size, height=width, xerr=err / size, color=color, alpha=0.85, label=label,
                error_kw={"elinewidth": 0.8, "capsize": 2})
    queues = res.scenario.queues
    for i, name in enumerate(names):
        if name in queues:
            threshold = queues[name].service_level.threshold / size
            ax.plot([threshold, threshold], [i - 0.45, i + 0.45], color="black", linestyle="--", linewidth=1.2,
                    label="service-level threshold" if i == 0 else None)
    ax.set_xlim(left=0)
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_xlabel(f"wait before answer ({unit})")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title)
    legend_outside(ax)
    return fig


def occupancy_figure(res: Results, title: str) -> Figure:
    """Occupancy (% of present time busy) per agent group and interval, and of all agents."""
    gi = res.group_intervals
    groups = list(dict.fromkeys(gi.group))
    first = gi[gi.group == groups[0]]
    fig, ax = interval_figure(len(first))
    for g, color in zip(groups, _colors(len(groups))):
        step(ax, 100 * gi.loc[gi.group == g, "occupancy"].to_numpy(), color=color, label=g)
        group = res.scenario.agent_groups.get(g)
        if group is not None and group.max_occupancy is not None:        # the group's cap, as a target line
            ax.axhline(100 * group.max_occupancy, color=color, linestyle="--", linewidth=1.2,
                       label=f"{g} cap {100 * group.max_occupancy:.0f}%")
    sums = gi.groupby("interval", sort=True)[["busy_hours", "present_hours"]].sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        overall = 100 * sums.busy_hours.to_numpy() / sums.present_hours.to_numpy()
    step(ax, np.where(np.isfinite(overall), overall, np.nan), color="black", linewidth=2, label="all agents")
    interval_axis(ax, interval_labels(first))
    ax.set_ylim(0, 105)
    ax.set_ylabel("occupancy (% of present time busy)")
    ax.set_title(title)
    legend_outside(ax)
    return fig


def staffing_figure(res: Results, title: str) -> Figure:
    """Scheduled agents per interval (all groups) against the analytic Erlang requirement in
    scheduled FTE (`ccsim.staff(..., method="erlang")`, no simulation)."""
    totals = interval_totals(staff(res.scenario, method="erlang"))
    scheduled = res.group_intervals.groupby("interval", sort=True)["staff"].sum().to_numpy()
    coverage = pd.DataFrame({"label": interval_labels(totals), "required": totals["analytic"].to_numpy(),
                             "scheduled": scheduled})
    return coverage_figure(coverage, title, labels={"required": "Erlang requirement (FTE, per queue)",
                                                    "scheduled": "scheduled (all groups)"})


def delta_figure(comparison, title: str) -> Figure:
    """Forest plot: per key KPI, every variant's paired difference to the baseline with its 95% CI,
    coloured by verdict, against a zero line."""
    rows = comparison.table.set_index(["level", "name", "kpi"])
    variants = comparison.names[1:]
    keys = [k for k in KEY_DELTAS if k in rows.index]
    fig, axes = plt.subplots(len(keys), 1, squeeze=False, constrained_layout=True,
                             figsize=(10.0, 1.0 + len(keys) * (0.75 + 0.35 * len(variants))))
    seen = set()
    for ax, (level, name, kpi_name) in zip(axes[:, 0], keys):
        row = rows.loc[(level, name, kpi_name)]
        k = kpi(kpi_name, level)
        scale = 100.0 if k.percent else 1.0
        for y, variant in enumerate(variants):
            delta, low, high = (scale * float(row[f"{variant} delta{s}"]) for s in ("", "_ci_low", "_ci_high"))
            verdict = row[f"{variant} verdict"]
            seen.add(verdict)
            if not np.isfinite(delta):
                continue
            err = np.nan_to_num([[delta - low], [high - delta]], nan=0.0, posinf=0.0, neginf=0.0).clip(min=0)
            ax.errorbar(delta, y, xerr=err, fmt="o", color=VERDICT_COLORS.get(verdict, "black"), capsize=4)
        ax.axvline(0, color="black", linestyle="--", linewidth=1)
        ax.set_yticks(range(len(variants)), variants, fontsize=8)
        ax.set_ylim(len(variants) - 0.5, -0.5)
        ax.set_xlabel(f"Δ {k.label} ({UNIT_WORDS.get(k.delta_unit, k.delta_unit)})", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    handles = [Line2D([], [], marker="o", linestyle="", color=color, label=verdict)
               for verdict, color in VERDICT_COLORS.items() if verdict in seen]
    handles.append(Line2D([], [], color="black", linestyle="--", label="no difference"))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8, frameon=False)
    fig.suptitle(title)
    return fig


def overlay_figure(comparison, title: str) -> Figure:
    """Service level (%) per interval over all queues, every scenario of a comparison overlaid."""
    totals = [_all_queues(res) for res in comparison.results]
    fig, ax = interval_figure(max(len(t) for t in totals))
    for i, (name, total, color) in enumerate(zip(comparison.names, totals, _colors(len(totals)))):
        step(ax, 100 * total["service_level"].to_numpy(), color=color, linewidth=2.2 if i == 0 else 1.5,
             label=f"{name} (baseline)" if i == 0 else name)
    interval_axis(ax, interval_labels(max(totals, key=len)))
    _percent_range(ax, [100 * t["service_level"].to_numpy() for t in totals])
    ax.set_ylabel("service level, all queues (% within threshold)")
    ax.set_title(title)
    legend_outside(ax)
    return fig
