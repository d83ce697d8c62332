"""Compare scenarios with paired statistics: the same seed gives every scenario the same random
streams (per queue name and purpose), so replication r of each scenario sees the same arrivals,
handle times and patience where the structure allows, and differences are measured pairwise."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim import arguments, economics, executors
from ccsim.budget import SizeWarning, check_sizes, fits
from ccsim.errors import Problem, ScenarioError
from ccsim.kpis import Kpi, cost_kpis, customer_kpis, group_kpis, kpi, names, pilot_queue_kpis, queue_kpis
from ccsim.kpis.registry import NEUTRAL, index
from ccsim.results import Results
from ccsim.scenario import Scenario, load_scenario
from ccsim.simulate import run_arguments, simulate
from ccsim.units import format_clock, format_duration
from ccsim.stats import mean_ci

# The KPIs a comparison shows per level, in this order (directions and units: `ccsim.kpis.KPIS`).
QUEUE_COMPARED = ("offered", "offered_fresh", "offered_repeat", "answered", "abandoned", "service_level", "asa",
                  "wait_p90", "abandon_rate", "aht", "fcr", "transfer_rate", "escalated")
GROUP_COMPARED = ("occupancy", "handled", "aht", "fcr", "staffed_hours", "scheduled_hours", "cost")
COST_COMPARED = names("cost")
CUSTOMER_COMPARED = ("fcr", "resolved", "csat", "nps")     # of all customers; CSAT and NPS with a satisfaction model
NOISE = 1e-9        # differences within this share of the values' size are rounding, not a change
MAX_REPLICATIONS = 640


@dataclass(frozen=True)
class Comparison:
    """Scenarios side by side. `table`: one row per (level, name, kpi) with each scenario's mean
    and, for every scenario after the first (the baseline), the paired difference to the baseline
    with its confidence interval and a verdict: better, worse, no significant difference, or
    identical. `cost_benefit`: one row per variant (see `cost_benefit`)."""

    names: list[str]
    results: list[Results]
    table: pd.DataFrame
    cost_benefit: pd.DataFrame
    precision: float | None = None        # the half-width asked for with `precision`
    precise: bool = True                  # reached (False: stopped at MAX_REPLICATIONS or the memory limit)
    # per scenario: the compared KPIs per replication, keyed by (level, name, kpi) (see `samples`)
    samples: tuple[dict[tuple[str, str, str], np.ndarray], ...] = ()

    @property
    def replications(self) -> int:
        return self.results[0].replications

    @property
    def warnings(self) -> list[str]:
        """Alert lines the variants cross (see `nps_drop_warnings`)."""
        return nps_drop_warnings(self)


def nps_drop_warnings(comparison: Comparison) -> list[str]:
    """Variants whose NPS of all customers is lower than the baseline's by more than the baseline's
    alert line (`satisfaction.alerts.nps_drop`, points), judged on the mean paired difference and
    shown with its 95% CI."""
    rating = comparison.results[0].scenario.satisfaction
    line = rating.alerts.nps_drop if rating is not None else None
    table = comparison.table
    rows = table[(table.level == "customer") & (table.name == "ALL") & (table.kpi == "nps")]
    if line is None or rows.empty:
        return []
    row, base = rows.iloc[0], comparison.names[0]
    found = []
    for name in comparison.names[1:]:
        drop = -row.get(f"{name} delta", np.nan)
        if drop > line:
            found.append(f"{name}: NPS {row[name]:.1f} is {drop:.1f} points below the baseline's {row[base]:.1f} "
                         f"(paired difference {-drop:+.1f}, 95% CI {row[f'{name} delta_ci_low']:+.1f} to "
                         f"{row[f'{name} delta_ci_high']:+.1f}), past the alert line of a {line:g}-point drop")
    return found


def compare(scenarios: Sequence[Scenario | str | Path | Mapping[str, Any]], replications: int | None = None,
            seed: int | None = None, workers: int = 1, precision: float | None = None,
            progress: Callable[[str, int, int], None] | None = None, force: bool = False,
            executor: executors.Executor = None, restaff: bool = False,
            staff_options: Mapping[str, Any] | None = None) -> Comparison:
    """Simulate every scenario with the same seed and replications and compare each with the first.

    `precision` (a service-level share, e.g. 0.01) doubles the replications until the paired
    difference in overall service level of every variant has a CI half-width below it (at most
    MAX_REPLICATIONS). `progress(scenario name, done, total)` follows each scenario's replications.
    Scenarios must share the horizon, interval and warmup (otherwise replication r of two scenarios
    is not a pair): a ScenarioError names both files and what differs. Every scenario's size is
    checked before any is simulated (`force` as in `simulate`). `workers` and `executor` choose
    where the replications run, as in `simulate`.

    `restaff` adds "<name>, re-staffed" scenarios for the baseline and every variant without a
    pilot, staffed by the simulation search (`ccsim.staff(method="simulate")`, with
    `staff_options`, default 5 replications) to the same targets; each re-staffed variant's
    cost-benefit is priced against the re-staffed baseline (`ccsim.economics`).

    Example:
        >>> c = ccsim.compare(["scenarios/hotline.yml", "scenarios/rollout_training.yml"], replications=3)
        >>> c.names
        ['Hotline baseline', 'Billing training rollout']
        >>> c.cost_benefit.loc["Billing training rollout", "kind"]   # payback_months in months, deltas per simulated day
        'change'
    """
    loaded = [s if isinstance(s, Scenario) else load_scenario(s) for s in scenarios]
    if len(loaded) < 2:
        raise ValueError("compare needs a baseline and at least one variant")
    files = [str(s) if isinstance(s, (str, Path)) else None for s in scenarios]
    replications = loaded[0].replications if replications is None else replications
    replications, seed, workers = run_arguments(loaded[0], replications, seed, workers)
    executor = executors.check(executor, workers)
    held = executors.size_workers(executor, workers)        # replications in this process at once
    if replications < 2:
        raise arguments.ArgumentError(f"replications must be >= 2 for paired confidence intervals, got {replications}")
    if precision is not None:
        precision = arguments.number("precision", precision, 0.0, 1.0, high_open=True)
    _check_pairable(loaded, files)
    check_sizes(loaded, replications, held, force, files)
    names = _names(loaded)
    against: dict[str, str] = {}
    if restaff:
        options = {"replications": 5, **(staff_options or {})}
        extra = [economics.restaffed(sc, name, seed=seed, force=force, workers=workers, executor=executor, **options)
                 for i, (sc, name) in enumerate(zip(loaded, names)) if i == 0 or sc.pilot is None]
        against = {sc.name: extra[0].name for sc in extra[1:]}
        loaded, files = [*loaded, *extra], [*files, *(None for _ in extra)]
        names = _names(loaded)
    while True:
        with warnings.catch_warnings():     # the sizes were checked and warned about above, all together
            warnings.simplefilter("ignore", SizeWarning)
            results = [simulate(sc, replications, seed, workers, force=True, executor=executor,
                                progress=None if progress is None else partial(progress, name))
                       for sc, name in zip(loaded, names)]
        samples = tuple(kpi_samples(res) for res in results)
        table = _table(samples, names)
        precise = precision is None or _precise(table, precision)
        more = min(2 * replications, MAX_REPLICATIONS)
        if precise or replications >= MAX_REPLICATIONS or not (force or fits(loaded, more, held)):
            break
        replications = more
    return Comparison(names, results, table, economics.cost_benefit(loaded, names, samples, against), precision,
                      precise, samples)


PAIRED_ON = {   # what replication r of two scenarios must share to be a pair: key -> (value, text)
    "horizon.start": (lambda sc: sc.horizon.start, format_clock),
    "horizon.end": (lambda sc: sc.horizon.end, format_clock),
    "horizon.days": (lambda sc: sc.horizon.days, str),
    "interval": (lambda sc: sc.interval, format_duration),
    "warmup": (lambda sc: sc.warmup, format_duration),
}


def _check_pairable(scenarios: list[Scenario], files: list[str | None]) -> None:
    """Refuse variants whose horizon, interval or warmup differ from the baseline's: their
    replications draw different streams over different intervals, so paired differences mean nothing."""
    base, base_file = scenarios[0], files[0] or scenarios[0].name
    problems = []
    for sc, file in zip(scenarios[1:], files[1:]):
        differ = [f"{key} {text(get(base))} vs {text(get(sc))}" for key, (get, text) in PAIRED_ON.items()
                  if get(base) != get(sc)]
        if differ:
            problems.append(Problem(differ[0].split()[0], (
                f"cannot be compared with the baseline {base_file} ({file or sc.name}): they differ in "
                f"{', '.join(differ)}; paired differences need the same horizon, interval and warmup "
                "(compare the same period, e.g. make the variant `extends` the baseline)"), file=file))
    if problems:
        raise ScenarioError(problems=problems)


PILOT_KPIS = ("aht", "fcr", "occupancy")
PILOT_CONTACT_KPIS = ("service_level", "asa", "abandon_rate", "aht", "fcr")


def pilot_effects(res: Results) -> pd.DataFrame:
    """What a pilot measured within one simulation: the control's and the pilot's mean of each KPI
    and the paired difference pilot − control over replications with its 95% CI and a verdict.
    A pilot on agents compares each piloting group with its control group (PILOT_KPIS); a pilot
    on contacts compares the pilot customers' contacts with the others' per queue and overall
    (PILOT_CONTACT_KPIS). Empty without a pilot."""
    plan = res.plan
    if plan.pilot_contacts > 0:
        level, pairs, kpis = "queue", _contact_pairs(res), PILOT_CONTACT_KPIS
    else:
        level, pairs, kpis = "group", _group_pairs(res), PILOT_KPIS
    rows = []
    for subject, (control, trial) in pairs.items():
        for name in kpis:
            k, j = kpi(name, level), index(level, name)
            diff = trial[:, j] - control[:, j]
            mean, low, high = mean_ci(diff)
            rows.append({"level": level, "name": subject, "kpi": name, "control": mean_ci(control[:, j])[0],
                         "pilot": mean_ci(trial[:, j])[0], "delta": mean, "delta_ci_low": low, "delta_ci_high": high,
                         "verdict": verdict(diff, low, high, k, _size(control[:, j], trial[:, j])), "unit": k.unit})
    return pd.DataFrame(rows, columns=["level", "name", "kpi", "control", "pilot", "delta", "delta_ci_low",
                                       "delta_ci_high", "verdict", "unit"])


def _group_pairs(res: Results) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Control group -> (control, pilot) group KPIs per replication, for every piloting group."""
    names = res.plan.group_names
    groups = np.stack([group_kpis(res.plan, rec) for rec in res.records])
    return {name.removesuffix(" (pilot)"): (groups[:, names.index(name.removesuffix(" (pilot)"))], groups[:, i])
            for i, name in enumerate(names)
            if name.endswith(" (pilot)") and name.removesuffix(" (pilot)") in names}


def _contact_pairs(res: Results) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Queue (and "ALL") -> (control, pilot) queue KPIs per replication, by the legs' customers."""
    sides = np.stack([pilot_queue_kpis(res.plan, rec) for rec in res.records])
    return {name: (sides[:, 0, i], sides[:, 1, i]) for i, name in enumerate([*res.plan.queue_names, "ALL"])}


def _names(scenarios: list[Scenario]) -> list[str]:
    names = [sc.name for sc in scenarios]
    return [name if names.count(name) == 1 else f"{name} ({i + 1})" for i, name in enumerate(names)]


def _precise(table: pd.DataFrame, precision: float) -> bool:
    row = table[(table.level == "queue") & (table.name == "ALL") & (table.kpi == "service_level")]
    half = (row.filter(like=" delta_ci_high").to_numpy() - row.filter(like=" delta_ci_low").to_numpy()) / 2
    return bool(np.all(np.nan_to_num(half, nan=np.inf) < precision))


def kpi_samples(res: Results) -> dict[tuple[str, str, str], np.ndarray]:
    """Per-replication values of the compared KPIs, keyed by (level, name, kpi)."""
    plan = res.plan
    out = {}
    queues = np.stack([queue_kpis(plan, rec) for rec in res.records])
    for i, name in enumerate([*plan.queue_names, "ALL"]):
        for k in QUEUE_COMPARED:
            out["queue", name, k] = queues[:, i, index("queue", k)]
    groups = np.stack([group_kpis(plan, rec) for rec in res.records])
    for i, name in enumerate([*plan.group_names, "ALL"]):
        for k in GROUP_COMPARED:
            out["group", name, k] = groups[:, i, index("group", k)]
    costs = np.stack([cost_kpis(plan, rec)[-1] for rec in res.records])
    for k in COST_COMPARED:
        out["cost", "ALL", k] = costs[:, index("cost", k)]
    customers = np.stack([customer_kpis(plan, rec)[-1] for rec in res.records])
    for k in CUSTOMER_COMPARED:
        values = customers[:, index("customer", k)]
        if np.isfinite(values).any():
            out["customer", "ALL", k] = values
    return out


def _table(samples: Sequence[dict[tuple[str, str, str], np.ndarray]], names: list[str]) -> pd.DataFrame:
    """Columns: level, name, kpi, then per scenario its mean and, after the baseline,
    "<scenario> delta", "... delta_ci_low", "... delta_ci_high", "... verdict", "... note" (a
    group's AHT whose contact mix changed); last the KPI's unit. `samples`: per scenario, its
    `kpi_samples`."""
    keys = list(dict.fromkeys(key for values in samples for key in values))   # pilot groups too
    rows = []
    for key in keys:
        row = {"level": key[0], "name": key[1], "kpi": key[2]}
        base = samples[0].get(key)
        for j, (label, values) in enumerate(zip(names, samples)):
            if key not in values:
                row[label] = np.nan
                continue
            row[label] = mean_ci(values[key])[0]
            if j and base is not None:
                diff = values[key] - base
                mean, low, high = mean_ci(diff)
                row |= {f"{label} delta": mean, f"{label} delta_ci_low": low, f"{label} delta_ci_high": high,
                        f"{label} verdict": verdict(diff, low, high, kpi(key[2], key[0]), _size(base, values[key]))}
        rows.append(row | {"unit": kpi(key[2], key[0]).unit})
    _flag_mix(rows, names)
    return pd.DataFrame(rows)


def _flag_mix(rows: list[dict[str, Any]], names: Sequence[str]) -> None:
    """Add "<variant> note" to every row: for a group's AHT whose contacts handled changed
    significantly, the AHT mixes another blend of contact types, so its difference may be a mix
    effect rather than faster or slower work; "" elsewhere."""
    handled = {row["name"]: row for row in rows if row["level"] == "group" and row["kpi"] == "handled"}
    for row in rows:
        for label in names[1:]:
            if f"{label} verdict" not in row:
                continue
            other = handled.get(row["name"]) if row["level"] == "group" and row["kpi"] == "aht" else None
            moved = other is not None and other.get(f"{label} verdict") in ("higher", "lower")
            row[f"{label} note"] = (f"mix effect? handled {other[f'{label} delta']:+,.0f} contacts: AHT averages "
                                    "another blend of contact types") if moved else ""


def _size(*samples: np.ndarray) -> float:
    """The largest finite magnitude among the samples (0 when none)."""
    values = np.abs(np.concatenate(samples))
    values = values[np.isfinite(values)]
    return float(values.max()) if values.size else 0.0


def verdict(diff: np.ndarray, low: float, high: float, k: Kpi, size: float = 0.0) -> str:
    """The verdict on paired differences `diff` of KPI `k` with CI [low, high]: "identical" (every
    replication equal, up to NOISE × `size`, the values' magnitude), "no significant difference"
    (the CI holds 0), else "better"/"worse" by the KPI's direction, or "higher"/"lower" for a
    neutral one."""
    finite = diff[np.isfinite(diff)]
    if finite.size and np.all(np.abs(finite) <= NOISE * size):
        return "identical"
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0 <= high:
        return "no significant difference"
    up = low > 0
    if k.direction == NEUTRAL:
        return "higher" if up else "lower"
    return "better" if up == (k.direction > 0) else "worse"

