"""Replications -> KPIs: per-replication values, then means with Student-t confidence intervals.

Ratio KPIs (service level, abandon rate, ASA, occupancy) are computed within each
replication first; the interval is for the mean of those per-replication ratios.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats as st

from ccsim.model.plan import ABANDON_RULES, Plan
from ccsim.model.replication import ReplicationRecords
from ccsim.units import format_clock

QUEUE_KPIS = ("offered", "answered", "abandoned", "in_system", "service_level", "asa",
              "wait_p50", "wait_p90", "wait_p95", "abandon_rate", "aht", "answered_within_threshold")
GROUP_KPIS = ("occupancy", "handled", "busy_hours", "staffed_hours", "cost")
CONFIDENCE = 0.95


def mean_ci(samples: np.ndarray, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and Student-t interval over axis 0 (replications), ignoring NaN replications."""
    samples = np.asarray(samples, dtype=float)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        n = np.sum(~np.isnan(samples), axis=0)
        mean = np.nanmean(samples, axis=0)
        sd = np.nanstd(samples, axis=0, ddof=1)
        half = st.t.ppf(0.5 + confidence / 2, np.maximum(n - 1, 1)) * sd / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return mean, mean - half, mean + half


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _sl_parts(plan: Plan, rec: ReplicationRecords) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per contact: answered?, abandoned?, answered within threshold?, weight in the SL denominator."""
    threshold = plan.threshold_s[rec.queue]
    answered = rec.outcome == 1
    abandoned = rec.outcome == 2
    within = answered & (rec.wait_s <= threshold)
    rule = np.array([ABANDON_RULES.index(r) for r in plan.abandon_rule])[rec.queue]
    denominator = np.select(
        [rule == 0, rule == 1, rule == 2],
        [~(abandoned & (rec.wait_s <= threshold)), np.ones_like(answered), answered])
    return answered, abandoned, within, denominator.astype(float)


def queue_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(queues + 1, len(QUEUE_KPIS)) for one replication; the last row is all queues together."""
    nq = plan.n_queues
    answered, abandoned, within, den = _sl_parts(plan, rec)
    labels = rec.queue
    rows = []
    for q in list(range(nq)) + [None]:
        mine = np.ones(labels.size, bool) if q is None else labels == q
        ans_waits = rec.wait_s[mine & answered]
        offered = mine.sum()
        n_answered = ans_waits.size
        n_abandoned = (mine & abandoned).sum()
        n_within = (mine & within).sum()
        pct = np.percentile(ans_waits, [50, 90, 95]) if n_answered else [np.nan] * 3
        rows.append([
            offered, n_answered, n_abandoned, offered - n_answered - n_abandoned,
            _ratio(n_within, den[mine].sum()), ans_waits.mean() if n_answered else np.nan,
            *pct, _ratio(n_abandoned, offered),
            rec.handle_s[mine & answered].mean() if n_answered else np.nan, n_within,
        ])
    return np.array(rows, dtype=float)


def interval_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(intervals, queues + 1, 6): offered, answered, abandoned, service level, asa, abandon rate."""
    nq, nk = plan.n_queues, plan.n_intervals
    answered, abandoned, within, den = _sl_parts(plan, rec)
    k = np.clip(np.searchsorted(plan.interval_start, rec.arrival_s, side="right") - 1, 0, nk - 1)
    cell = k * nq + rec.queue

    def per_cell(weights):
        table = np.bincount(cell, weights=weights, minlength=nk * nq).reshape(nk, nq)
        return np.concatenate([table, table.sum(axis=1, keepdims=True)], axis=1)

    offered = per_cell(None)
    n_answered = per_cell(answered.astype(float))
    n_abandoned = per_cell(abandoned.astype(float))
    sl = _ratio(per_cell(within.astype(float)), per_cell(den))
    asa = _ratio(per_cell(np.where(answered, rec.wait_s, 0.0)), n_answered)
    return np.stack([offered, n_answered, n_abandoned, sl, asa, _ratio(n_abandoned, offered)], axis=-1)


def group_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(groups + 1, len(GROUP_KPIS)) for one replication; the last row is all groups."""
    handled = np.bincount(rec.group[rec.outcome == 1], minlength=plan.n_groups).astype(float)
    busy = rec.busy_s.sum(axis=1)
    present = rec.present_s.sum(axis=1)
    cost = present / 3600.0 * plan.cost_per_hour
    table = np.stack([_ratio(busy, present), handled, busy / 3600.0, present / 3600.0, cost], axis=1)
    total = [_ratio(busy.sum(), present.sum()), handled.sum(), busy.sum() / 3600, present.sum() / 3600, cost.sum()]
    return np.vstack([table, total])


def _wide(names: Sequence[str], columns: Sequence[str], samples: np.ndarray) -> pd.DataFrame:
    mean, lo, hi = mean_ci(samples)
    data = {}
    for j, column in enumerate(columns):
        data[column] = mean[:, j]
        data[f"{column}_ci_low"] = lo[:, j]
        data[f"{column}_ci_high"] = hi[:, j]
    return pd.DataFrame(data, index=pd.Index(list(names), name=None))


def kpi_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per queue plus "ALL": KPI means and 95% CI bounds, with the queue's SL threshold."""
    samples = np.stack([queue_kpis(plan, rec) for rec in records])
    table = _wide([*plan.queue_names, "ALL"], QUEUE_KPIS, samples)
    table.index.name = "queue"
    table.insert(0, "threshold_s", [*plan.threshold_s, np.nan])
    return table


def group_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per agent group plus "ALL": occupancy, handled contacts, hours and cost with CIs."""
    samples = np.stack([group_kpis(plan, rec) for rec in records])
    table = _wide([*plan.group_names, "ALL"], GROUP_KPIS, samples)
    table.index.name = "group"
    return table


def interval_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per interval and queue (plus "ALL"): means over replications, and staff able to serve."""
    samples = np.stack([interval_kpis(plan, rec) for rec in records])
    mean = mean_ci(samples)[0]
    nk, nq = plan.n_intervals, plan.n_queues
    skilled = np.array([[q in plan.rank[g] for g in range(plan.n_groups)] for q in range(nq)], dtype=float)
    staff = np.concatenate([(skilled @ plan.staff).T, plan.staff.sum(axis=0)[:, None]], axis=1)
    queues = [*plan.queue_names, "ALL"]
    starts = plan.interval_start
    frame = pd.DataFrame({
        "interval": np.repeat(np.arange(nk), nq + 1),
        "day": np.repeat((starts // 86400).astype(int) + 1, nq + 1),
        "start": np.repeat([format_clock(s) for s in starts], nq + 1),
        "queue": queues * nk,
    })
    for j, column in enumerate(("offered", "answered", "abandoned", "service_level", "asa", "abandon_rate")):
        frame[column] = mean[:, :, j].ravel()
    frame["staff"] = staff.ravel()
    return frame


def group_interval_table(plan: Plan, records: Sequence[ReplicationRecords]) -> pd.DataFrame:
    """One row per interval and agent group: scheduled staff, present and busy hours, occupancy."""
    busy = np.mean([rec.busy_s for rec in records], axis=0)
    present = np.mean([rec.present_s for rec in records], axis=0)
    nk, ng = plan.n_intervals, plan.n_groups
    starts = plan.interval_start
    return pd.DataFrame({
        "interval": np.tile(np.arange(nk), ng),
        "day": np.tile((starts // 86400).astype(int) + 1, ng),
        "start": np.tile([format_clock(s) for s in starts], ng),
        "group": np.repeat(plan.group_names, nk),
        "staff": plan.staff.ravel(),
        "present_hours": present.ravel() / 3600.0,
        "busy_hours": busy.ravel() / 3600.0,
        "occupancy": _ratio(busy, present).ravel(),
    })
