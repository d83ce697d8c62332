"""Sweeps: simulate a grid of what-ifs — the cartesian product of scenario keys each taking a list
of values — under common random numbers, into one tidy table (point x queue x KPI).

Values are read like `--set KEY=VALUE` overrides (`ccsim.scenario.variants`) and every point is
validated as a scenario before anything is simulated; the whole grid's size is checked with
`ccsim.budget`. Every point uses the same seed, so differences between points come from the swept
keys, not from different random draws. The replications of all points are queued at once on the
chosen backend, so its workers stay busy from one point to the next; only each complete point's
KPI summary is kept.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ccsim import executors
from ccsim.budget import WARN_SECONDS, SizeWarning, estimate, long_run_text, size_problems
from ccsim.errors import Problem, ScenarioError
from ccsim.kpis import LEVELS
from ccsim.scenario import Scenario, load_scenario, scenario_dict
from ccsim.model.plan import compile_plan
from ccsim.scenario.variants import parse_assignment
from ccsim.simulate import results_of, run_arguments

SOURCE = "--vary"
MAX_POINTS = 10_000             # points a grid may hold (each is a whole simulation)
COLUMNS = ("point", "queue", "kpi", "mean", "ci_low", "ci_high", "unit")   # after the swept keys
RUN_KEYS = ("seed", "replications")      # shared by every point, never swept
SPEC_HELP = "a range FROM:TO:STEP (inclusive, e.g. 20:40:2) or a comma list (e.g. 200,240,280)"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Sweep:
    """What `sweep` returns. `axes`: swept key -> its values, in grid order (the first key varies
    slowest); `points`: one row per point with the swept values; `table`: one row per point,
    queue (and "ALL") and queue KPI: the swept values, point, queue, kpi, mean, ci_low, ci_high,
    unit ("share" for a percent KPI); `warnings`: the runs' warnings, each naming its point."""

    scenario: str
    axes: dict[str, tuple[Any, ...]]
    points: pd.DataFrame
    table: pd.DataFrame
    replications: int
    seed: int
    warnings: list[str]

    @property
    def keys(self) -> list[str]:
        return list(self.axes)


def parse_vary(text: str) -> tuple[str, tuple[Any, ...]]:
    """`KEY=SPEC` -> (key, values): SPEC is a range FROM:TO:STEP of numbers (TO included when
    the steps reach it) or a comma list of values read as YAML, like `--set KEY=VALUE`
    (brackets may hold commas: `[10,12],[12,14]`). Raises ScenarioError (file --vary, the key)."""
    key, sep, spec = text.partition("=")
    key, spec = key.strip(), spec.strip()
    if not sep or not key or any(not part.strip() for part in key.split(".")):
        raise ScenarioError(f"expects KEY=SPEC (e.g. agent_groups.team.staff=20:40:2) where SPEC is {SPEC_HELP}; "
                            f"got {text!r}", file=SOURCE)
    if not spec:
        raise ScenarioError(f"no values; give {SPEC_HELP}", path=key, file=SOURCE)
    if spec.count(":") == 2 and "," not in spec and not spec.startswith(("[", "{", '"', "'")):
        return key, _range(key, spec)
    items = _split(spec)
    if any(not item.strip() for item in items):
        raise ScenarioError(f"empty value in {spec!r}; give {SPEC_HELP}", path=key, file=SOURCE)
    return key, tuple(_from_vary(lambda: parse_assignment(f"{key}={item}"))[1] for item in items)


def _range(key: str, spec: str) -> tuple[float | int, ...]:
    """FROM:TO:STEP as numbers: ints when all three are whole, else floats rounded to 12 digits."""
    parts = spec.split(":")
    numbers = []
    for name, part in zip(("FROM", "TO", "STEP"), parts):
        try:
            value = float(part)
        except ValueError:
            raise ScenarioError(f"range {spec!r}: {name} must be a number, got {part.strip()!r}; "
                                f"give {SPEC_HELP}", path=key, file=SOURCE) from None
        if not math.isfinite(value):
            raise ScenarioError(f"range {spec!r}: {name} must be finite, got {part.strip()!r}", path=key, file=SOURCE)
        numbers.append(value)
    low, high, step = numbers
    if step <= 0:
        raise ScenarioError(f"range {spec!r}: STEP must be > 0, got {parts[2].strip()!r}", path=key, file=SOURCE)
    if high < low:
        raise ScenarioError(f"range {spec!r} is empty: FROM must be <= TO", path=key, file=SOURCE)
    count = math.floor((high - low) / step + 1e-9) + 1
    if count > MAX_POINTS:
        raise ScenarioError(f"range {spec!r} holds {count:,} values, more than a sweep may have ({MAX_POINTS:,})",
                            path=key, file=SOURCE)
    whole = all(float(v).is_integer() for v in numbers) and all(p.strip().lstrip("+-").isdigit() for p in parts)
    if whole:
        return tuple(int(low) + i * int(step) for i in range(count))
    return tuple(round(low + i * step, 12) for i in range(count))


def _split(spec: str) -> list[str]:
    """`spec` split at commas outside brackets and braces."""
    items, depth, start = [], 0, 0
    for i, char in enumerate(spec):
        depth += char in "[{"
        depth -= char in "]}"
        if char == "," and depth == 0:
            items.append(spec[start:i])
            start = i + 1
    return [*items, spec[start:]]


def _from_vary(load: Callable[[], Any]) -> Any:
    """`load()`, its errors from --set overrides reported as coming from --vary."""
    try:
        return load()
    except ScenarioError as exc:
        raise ScenarioError(problems=[Problem(p.path, p.message, p.line, SOURCE if p.file == "--set" else p.file)
                                      for p in exc.problems]) from None


def axes_of(vary: Mapping[str, Any] | Sequence[str]) -> dict[str, tuple[Any, ...]]:
    """Swept key -> values from `vary`: "KEY=SPEC" strings, or a mapping of keys to a list of
    values or a SPEC string. A key given twice, an empty list or a grid past MAX_POINTS is a
    ScenarioError."""
    if isinstance(vary, str):
        vary = [vary]
    pairs = [parse_vary(item) for item in vary] if not isinstance(vary, Mapping) else [
        parse_vary(f"{key}={values}") if isinstance(values, str) else (key, tuple(values))
        for key, values in vary.items()]
    if not pairs:
        raise ScenarioError(f"nothing to sweep: give at least one KEY=SPEC, where SPEC is {SPEC_HELP}", file=SOURCE)
    axes: dict[str, tuple[Any, ...]] = {}
    for key, values in pairs:
        if key in RUN_KEYS:
            raise ScenarioError(f"cannot be swept: every point runs with the same {key} (common random numbers); "
                                f"set it with --{key} ({key}=)", path=key, file=SOURCE)
        if key in axes:
            raise ScenarioError("given twice; give each key once, with all its values", path=key, file=SOURCE)
        if not values:
            raise ScenarioError(f"empty list of values; give {SPEC_HELP}", path=key, file=SOURCE)
        axes[key] = values
    points = math.prod(len(v) for v in axes.values())
    if points > MAX_POINTS:
        raise ScenarioError(f"the grid holds {points:,} points, more than a sweep may have ({MAX_POINTS:,}); "
                            "sweep fewer values", path=max(axes, key=lambda k: len(axes[k])), file=SOURCE)
    return axes


def sweep(scenario: Scenario | str | Path | Mapping[str, Any], vary: Mapping[str, Any] | Sequence[str],
          replications: int | None = None, seed: int | None = None, workers: int = 1,
          executor: executors.Executor = None, progress: Progress | None = None, force: bool = False) -> Sweep:
    """Simulate every point of the grid `vary` spans (see `axes_of`) with the same `seed` and
    `replications` (default: the scenario's) and tabulate the queue KPIs of each point.

    `workers` and `executor` choose where the replications run, as in `simulate`; `progress(done,
    total)` counts replications over the whole grid. Every point is validated first (a
    ScenarioError names --vary and the key); the grid's size is checked as `simulate` checks a
    run: a point this machine cannot hold is refused unless `force`, a long grid warns (SizeWarning).

    Example:
        >>> s = ccsim.sweep("scenarios/hotline.yml", {"agent_groups.billing_team.staff": [6, 8]}, replications=2, seed=1)
        >>> s.table.columns[:3].tolist()
        ['agent_groups.billing_team.staff', 'point', 'queue']
    """
    axes = axes_of(vary)
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    source = scenario_dict(scenario) if isinstance(scenario, Scenario) else scenario
    file = str(scenario) if isinstance(scenario, (str, Path)) else None
    replications, seed, workers = run_arguments(base, replications, seed, workers)
    executor = executors.check(executor, workers)
    grid = [dict(zip(axes, values)) for values in itertools.product(*axes.values())]
    scenarios = [_from_vary(lambda: load_scenario(source, point)) for point in grid]
    _check_grid(scenarios, replications, executors.size_workers(executor, workers), force, file)
    rows, notes = _simulate_grid(scenarios, grid, seed, replications, executor, workers, progress)
    table = pd.DataFrame(rows, columns=[*axes, *COLUMNS])
    points = pd.DataFrame(grid, columns=list(axes)).rename_axis("point")
    return Sweep(base.name, axes, points, table, replications, seed, list(dict.fromkeys(notes)))


def _simulate_grid(scenarios: list[Scenario], grid: list[dict[str, Any]], seed: int, replications: int,
                   executor: executors.Executor, workers: int, progress: Progress | None) -> tuple[list[tuple], list[str]]:
    """The table rows and the warnings (naming their point) of every point, in grid order."""
    plans = [compile_plan(sc) for sc in scenarios]
    rows: dict[int, list[tuple]] = {}
    notes: dict[int, list[str]] = {}
    pending: dict[int, dict[int, Any]] = {}     # point -> replication -> result, until all are in
    total = len(grid) * replications
    with closing(executors.run(plans, seed, replications, executor, workers)) as finished:
        for done, (p, r, result) in enumerate(finished, start=1):
            pending.setdefault(p, {})[r] = result
            if len(pending[p]) == replications:      # the point is complete: keep its KPIs only
                records = pending.pop(p)
                res = results_of(scenarios[p], plans[p], seed, [records[i] for i in range(replications)])
                rows[p] = _rows(p, grid[p], res.kpis)
                label = ", ".join(f"{k}={v}" for k, v in grid[p].items())
                notes[p] = [f"{label}: {w}" for w in res.warnings]
            if progress:
                progress(done, total)
    return [row for p in sorted(rows) for row in rows[p]], [note for p in sorted(notes) for note in notes[p]]


def _rows(point: int, values: Mapping[str, Any], kpis: pd.DataFrame) -> list[tuple]:
    """One row per queue of `kpis` (a `Results.kpis` table) and queue KPI."""
    swept = tuple(values.values())
    return [(*swept, point, queue, name, row[name], row[f"{name}_ci_low"], row[f"{name}_ci_high"], k.unit)
            for queue, row in kpis.iterrows() for name, k in LEVELS["queue"].items()]


def _check_grid(scenarios: list[Scenario], replications: int, workers: int, force: bool, file: str | None) -> None:
    """Refuse a point this machine cannot simulate (a point's replications are held until it is
    complete, then only its KPIs), warn when the whole grid will take long."""
    ests = [estimate(sc, replications, workers) for sc in scenarios]
    problems = [Problem(p.path, p.message, p.line, p.file or file)
                for est in ests for p in size_problems(est, force)]
    if problems:
        raise ScenarioError(problems=list(dict.fromkeys(problems)))
    seconds = sum(est.seconds for est in ests)
    if seconds > WARN_SECONDS:
        warnings.warn(long_run_text(max(ests, key=lambda e: e.seconds), seconds, len(ests)).replace(
            "scenarios x", "points x"), SizeWarning, stacklevel=3)
