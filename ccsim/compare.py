"""Compare scenarios with paired statistics: the same seed gives every scenario the same random
streams (per queue name and purpose), so replication r of each scenario sees the same arrivals,
handle times and patience where the structure allows, and differences are measured pairwise."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim.kpis import GROUP_KPIS, QUEUE_KPIS, group_kpis, queue_kpis
from ccsim.results import Results
from ccsim.scenario import Scenario, load_scenario
from ccsim.simulate import simulate
from ccsim.stats import mean_ci

# +1: higher is better, -1: lower is better, 0: neither (a volume or a rate of use)
DIRECTION = {
    "offered": 0, "answered": 0, "abandoned": -1, "in_system": -1, "service_level": 1, "asa": -1, "wait_p90": -1,
    "abandon_rate": -1, "aht": -1, "transfer_rate": -1, "fcr": 1, "escalated": -1, "occupancy": 0,
    "staffed_hours": 0, "cost": -1, "offered_fresh": 0, "offered_repeat": 0,
}
QUEUE_COMPARED = ("offered", "offered_fresh", "offered_repeat", "answered", "abandoned", "service_level", "asa", "wait_p90", "abandon_rate", "aht",
                  "fcr", "transfer_rate", "escalated")
GROUP_COMPARED = ("occupancy", "staffed_hours", "cost")
MAX_REPLICATIONS = 640


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side. `table`: one row per (level, name, kpi) with each scenario's mean
    and, for every scenario after the first (the baseline), the paired difference to the baseline
    with its confidence interval and a verdict: better, worse, no significant difference, or
    identical."""

    names: list[str]
    results: list[Results]
    table: pd.DataFrame

    @property
    def replications(self) -> int:
        return self.results[0].replications


def compare(scenarios: Sequence[Scenario | str | Path | Mapping[str, Any]], replications: int | None = None,
            seed: int | None = None, workers: int = 1, precision: float | None = None) -> Comparison:
    """Simulate every scenario with the same seed and replications and compare each with the first.

    `precision` (a service-level share, e.g. 0.01) doubles the replications until the paired
    difference in overall service level of every variant has a CI half-width below it (at most
    MAX_REPLICATIONS).
    """
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    if len(loaded) < 2:
        raise ValueError("compare needs a baseline and at least one variant")
    replications = replications or loaded[0].replications
    seed = loaded[0].seed if seed is None else seed
    names = _names(loaded)
    while True:
        results = [simulate(sc, replications, seed, workers) for sc in loaded]
        table = _table(results, names)
        if precision is None or replications >= MAX_REPLICATIONS or _precise(table, precision):
            break
        replications = min(2 * replications, MAX_REPLICATIONS)
    return Comparison(names, results, table)


def _names(scenarios: list[Scenario]) -> list[str]:
    names = [sc.name for sc in scenarios]
    return [name if names.count(name) == 1 else f"{name} ({i + 1})" for i, name in enumerate(names)]


def _precise(table: pd.DataFrame, precision: float) -> bool:
    row = table[(table.level == "queue") & (table.name == "ALL") & (table.kpi == "service_level")]
    half = (row.filter(like=" delta_ci_high").to_numpy() - row.filter(like=" delta_ci_low").to_numpy()) / 2
    return bool(np.all(np.nan_to_num(half, nan=np.inf) < precision))


def _samples(res: Results) -> dict[tuple[str, str, str], np.ndarray]:
    """Per-replication values of the compared KPIs, keyed by (level, name, kpi)."""
    plan = res.plan
    out = {}
    queues = np.stack([queue_kpis(plan, rec) for rec in res.records])
    for i, name in enumerate([*plan.queue_names, "ALL"]):
        for kpi in QUEUE_COMPARED:
            out["queue", name, kpi] = queues[:, i, QUEUE_KPIS.index(kpi)]
    groups = np.stack([group_kpis(plan, rec) for rec in res.records])
    for i, name in enumerate([*plan.group_names, "ALL"]):
        for kpi in GROUP_COMPARED:
            out["group", name, kpi] = groups[:, i, GROUP_KPIS.index(kpi)]
    return out


def _table(results: list[Results], names: list[str]) -> pd.DataFrame:
    """Columns: level, name, kpi, then per scenario its mean and, after the baseline,
    "<scenario> delta", "... delta_ci_low", "... delta_ci_high", "... verdict"."""
    samples = [_samples(res) for res in results]
    rows = []
    for key in samples[0]:
        row = {"level": key[0], "name": key[1], "kpi": key[2]}
        base = samples[0][key]
        for j, (label, values) in enumerate(zip(names, samples)):
            if key not in values:
                row[label] = np.nan
                continue
            row[label] = mean_ci(values[key])[0]
            if j:
                diff = values[key] - base
                mean, low, high = mean_ci(diff)
                row |= {f"{label} delta": mean, f"{label} delta_ci_low": low, f"{label} delta_ci_high": high,
                        f"{label} verdict": _verdict(diff, low, high, DIRECTION.get(key[2], 0))}
        rows.append(row)
    return pd.DataFrame(rows)


def _verdict(diff: np.ndarray, low: float, high: float, direction: int) -> str:
    finite = diff[np.isfinite(diff)]
    if finite.size and np.all(finite == 0):
        return "identical"
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0 <= high:
        return "no significant difference"
    up = low > 0
    if direction == 0:
        return "higher" if up else "lower"
    return "better" if up == (direction > 0) else "worse"

