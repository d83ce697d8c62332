"""The answer of a run before its tables: per queue and target, meets / misses / uncertain (the 95%
CI straddles the target), the intervals that missed, the peak Erlang requirement against the
agents scheduled, total cost and cost per contact, and the most important warnings.

Reads the result tables only (`res.kpis`, `res.intervals`, `res.group_intervals`, `res.costs`,
`res.warnings`); returns plain JSON-ready data that the terminal, JSON and HTML reports show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

MEETS, MISSES, UNCERTAIN, UNJUDGED = "meets", "misses", "uncertain", "no data"
TOP_WARNINGS = 3


def target_verdict(mean: float, low: float, high: float, target: float, higher_is_better: bool) -> str:
    """"meets" when the whole 95% CI [low, high] is on the good side of `target`, "misses" when it
    is wholly on the bad side, "uncertain" when it straddles the target; "no data" for a NaN mean.
    A CI that cannot be computed (one replication) is judged by the mean alone."""
    if not math.isfinite(mean):
        return UNJUDGED
    low, high = (mean, mean) if not (math.isfinite(low) and math.isfinite(high)) else (low, high)
    good_low, good_high = (low >= target, high >= target) if higher_is_better else (high <= target, low <= target)
    if good_low and good_high:
        return MEETS
    if not good_low and not good_high:
        return MISSES
    return UNCERTAIN


def time_ranges(labels: Sequence[tuple[int, str]], missed: Sequence[int], interval_s: float,
                multi_day: bool) -> list[str]:
    """Consecutive missed intervals as "16:00–18:00" ranges (with "d2 " before each over several
    days); `labels` are (day, "HH:MM" start) per interval, `missed` the interval positions."""
    ranges: list[list[int]] = []
    for i in missed:
        if ranges and ranges[-1][1] == i - 1 and labels[i][0] == labels[i - 1][0]:
            ranges[-1][1] = i
        else:
            ranges.append([i, i])
    out = []
    for first, last in ranges:
        day, start = labels[first]
        hours, minutes = map(int, labels[last][1].split(":"))
        end_s = hours * 3600 + minutes * 60 + interval_s
        end = f"{int(end_s // 3600):02d}:{int(end_s % 3600 // 60):02d}"
        out.append(f"{'d' + str(day) + ' ' if multi_day else ''}{start}–{end}")
    return out


def _queue_targets(queue, row: pd.Series) -> list[dict[str, Any]]:
    """Each declared target of one queue with the KPI's estimate and verdict."""
    sl = queue.service_level
    targets = [("service_level", sl.target, True, f"{100 * sl.target:.0f}% in {_seconds(sl.threshold)}")]
    if sl.max_asa is not None:
        targets.append(("asa", sl.max_asa, False, f"ASA ≤ {_seconds(sl.max_asa)}"))
    if sl.max_abandon is not None:
        targets.append(("abandon_rate", sl.max_abandon, False, f"abandon rate ≤ {100 * sl.max_abandon:.1f}%"))
    out = []
    for name, target, higher, text in targets:
        mean, low, high = (float(row[c]) for c in (name, f"{name}_ci_low", f"{name}_ci_high"))
        out.append({"kpi": name, "target": target, "target_text": text, "mean": _clean(mean),
                    "ci_low": _clean(low), "ci_high": _clean(high),
                    "verdict": target_verdict(mean, low, high, target, higher)})
    return out


def _missed_intervals(res, queue: str, target: float, interval_s: float, multi_day: bool) -> dict[str, Any]:
    """Intervals whose mean service level over replications is below `target` (intervals
    without contacts to judge are not counted)."""
    iv = res.intervals[res.intervals.queue == queue].reset_index(drop=True)
    sl = iv.service_level.to_numpy(dtype=float)
    judged = np.isfinite(sl)
    missed = np.flatnonzero(judged & (sl < target))
    labels = list(zip(iv.day.astype(int), iv.start.astype(str)))
    return {"count": int(missed.size), "of": int(judged.sum()),
            "times": time_ranges(labels, missed.tolist(), interval_s, multi_day)}


def _staffing(res) -> dict[str, Any]:
    """The peak analytic (Erlang) requirement in scheduled FTE against the agents scheduled."""
    from ccsim.staffing import staff

    gi = res.group_intervals
    scheduled = gi.groupby("interval", sort=True)["staff"].sum().to_numpy(dtype=float)
    labels = gi[gi.group == gi.group.iloc[0]]
    multi_day = labels.day.nunique() > 1
    at = [f"{'d' + str(d) + ' ' if multi_day else ''}{s}" for d, s in zip(labels.day, labels.start)]
    needed = staff(res.scenario, method="erlang").groups.groupby("interval", sort=True)["analytic"].sum()
    needed = needed.to_numpy(dtype=float)
    if not needed.any():                # queues fed only by flows or processes: Erlang sees no fresh load
        top = int(np.argmax(scheduled))
        return {"peak_needed": None, "peak_needed_at": None, "scheduled_at_peak": None,
                "peak_scheduled": float(scheduled[top]), "peak_scheduled_at": at[top], "intervals_short": None,
                "most_short": None, "most_short_at": None,
                "basis": "no Erlang requirement: no queue has fresh arrivals of its own"}
    peak = int(np.argmax(needed))
    short = needed - scheduled
    worst = int(np.argmax(short))
    return {"peak_needed": float(needed[peak]), "peak_needed_at": at[peak], "scheduled_at_peak": float(scheduled[peak]),
            "peak_scheduled": float(scheduled.max()), "peak_scheduled_at": at[int(np.argmax(scheduled))],
            "intervals_short": int((short > 0.5).sum()), "most_short": float(max(short[worst], 0.0)),
            "most_short_at": at[worst] if short[worst] > 0.5 else None,
            "basis": "Erlang requirement per queue in scheduled FTE (ccsim staff), all groups"}


def _cost(res) -> dict[str, Any] | None:
    costs = res.costs
    if "ALL" not in costs.index:
        return None
    row = costs.loc["ALL"]
    est = {k: {"mean": _clean(float(row[k])), "ci_low": _clean(float(row[f"{k}_ci_low"])),
               "ci_high": _clean(float(row[f"{k}_ci_high"]))}
           for k in ("agent_cost", "total_cost", "cost_per_contact", "total_cost_per_contact")}
    return est if any(abs(v["mean"] or 0.0) > 0 for v in est.values()) else None


def run_summary(res) -> dict[str, Any]:
    """The answer of one simulated scenario, as JSON-ready data: `queues` (per queue: its targets
    with estimate and verdict, and the intervals that missed the service-level target), `verdict`
    counts, `staffing` (peak requirement against scheduled agents), `cost` (agent and total cost
    and per answered contact, or None when nothing is priced) and the `warnings` shown first
    (`warnings_total` in all)."""
    sc = res.scenario
    multi_day = sc.horizon.days > 1
    queues = []
    for name, queue in sc.queues.items():
        if name not in res.kpis.index:
            continue
        row = res.kpis.loc[name]
        targets = _queue_targets(queue, row)
        queues.append({"queue": name, "channel": queue.channel, "targets": targets,
                       "missed_intervals": _missed_intervals(res, name, queue.service_level.target, sc.interval,
                                                             multi_day)})
    verdicts = [t["verdict"] for q in queues for t in q["targets"]]
    return {
        "queues": queues,
        "verdicts": {v: verdicts.count(v) for v in (MEETS, MISSES, UNCERTAIN, UNJUDGED) if v in verdicts},
        "staffing": _staffing(res),
        "cost": _cost(res),
        "warnings": list(res.warnings[:TOP_WARNINGS]),
        "warnings_total": len(res.warnings),
    }


def headline(summary: dict[str, Any]) -> str:
    """One sentence: how many targets are met, missed or uncertain."""
    counts = summary["verdicts"]
    total = sum(counts.values())
    parts = [f"{counts[v]} {v}" for v in (MEETS, MISSES, UNCERTAIN, UNJUDGED) if counts.get(v)]
    return f"{total} target{'s' if total != 1 else ''}: {', '.join(parts)}"


def _seconds(value: float) -> str:
    from ccsim.units import format_duration

    return format_duration(value)


def _clean(value: float) -> float | None:
    return value if math.isfinite(value) else None


FTE_HOURS_PER_DAY = 8.0     # one full-time equivalent: 8 paid hours a day


def staffing_summary(result) -> dict[str, Any]:
    """The answer of `ccsim staff` (a `ccsim.staffing.Staffing`), JSON-ready: per group and in all,
    the most agents scheduled at once (`peak_agents`), agent-hours, FTE (agent-hours / (8 h x
    days)), cost, and the Erlang (analytic) and simulated agent-hours with their difference. With
    shifts, hours and cost are the plans' paid hours (breaks included) at the templates' hourly
    costs; without, scheduled agent-hours at the group's `cost_per_hour`."""
    sc = result.scenario
    hours_per_interval = sc.interval / 3600.0
    groups = []
    for name, part in result.groups.groupby("group", sort=False):
        plan = result.shift_plans.get(name)
        scheduled_h = float(part.scheduled.sum()) * hours_per_interval
        paid_h = plan.paid_hours if plan is not None else scheduled_h
        cost = plan.cost if plan is not None else scheduled_h * sc.agent_groups[name].cost_per_hour
        analytic_h = float(part.analytic.sum()) * hours_per_interval
        simulated_h = float(part.simulated.sum()) * hours_per_interval if "simulated" in part else None
        groups.append({"group": name, "peak_agents": float(part.scheduled.max()), "agent_hours": scheduled_h,
                       "paid_hours": paid_h, "fte": paid_h / (FTE_HOURS_PER_DAY * sc.horizon.days), "cost": cost,
                       "erlang_hours": analytic_h, "simulated_hours": simulated_h})
    totals = result.groups.groupby("interval", sort=True)[["analytic", "scheduled"]].sum()
    total = {key: sum(g[key] for g in groups) for key in ("agent_hours", "paid_hours", "fte", "cost", "erlang_hours")}
    total["simulated_hours"] = (sum(g["simulated_hours"] for g in groups) if result.method == "simulate" else None)
    total["peak_agents"] = float(totals.scheduled.max())
    erlang, simulated = total["erlang_hours"], total["simulated_hours"]
    return {
        "method": result.method, "groups": groups, "total": total,
        "simulated_vs_erlang_hours": None if simulated is None else simulated - erlang,
        "simulated_vs_erlang_share": None if simulated is None or not erlang else simulated / erlang - 1.0,
        "cost_basis": ("shift plans: paid hours (breaks included) x the templates' cost per hour"
                       if result.shift_plans else "scheduled agent-hours x each group's cost_per_hour"),
        "stopped_early": bool(result.search is not None and result.search.stopped_early),
        "unmet": None if result.search is None or result.search.met else result.search.note,
    }
