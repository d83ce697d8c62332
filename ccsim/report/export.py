"""Machine-readable outputs: a JSON summary, long-format CSV, and atomically written files."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from ccsim.atomic import atomic_write
from ccsim.results import Results
from ccsim.kpis import CUSTOMER_KPIS, GROUP_KPIS, PROCESS_KPIS, QUEUE_KPIS, STAGE_KPIS
from ccsim.stats import CONFIDENCE


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _estimates(table: pd.DataFrame, kpis: tuple[str, ...]) -> dict[str, dict[str, dict[str, float | None]]]:
    return {
        str(name): {
            k: {"mean": _clean(float(row[k])), "ci_low": _clean(float(row[f"{k}_ci_low"])),
                "ci_high": _clean(float(row[f"{k}_ci_high"]))}
            for k in kpis
        }
        for name, row in table.iterrows()
    }


def summary_dict(res: Results) -> dict[str, Any]:
    """Everything the KPI table shows, as plain JSON-ready data (NaN/inf become None)."""
    sc = res.scenario
    return {
        "scenario": sc.name,
        "replications": res.replications,
        "seed": res.seed,
        "confidence": CONFIDENCE,
        "targets": {q: {"threshold_s": queue.service_level.threshold, "target": queue.service_level.target}
                    for q, queue in sc.queues.items()},
        "kpis": _estimates(res.kpis, QUEUE_KPIS),
        "channels": _estimates(res.channels, QUEUE_KPIS),
        "groups": _estimates(res.groups, GROUP_KPIS),
        "customers": _estimates(res.customers, CUSTOMER_KPIS),
        "stages": _estimates(res.stages, STAGE_KPIS),
        "processes": _estimates(res.processes, PROCESS_KPIS),
        "warnings": list(res.warnings),
    }


def to_json(res: Results) -> str:
    return json.dumps(summary_dict(res), indent=2)


def long_table(res: Results) -> pd.DataFrame:
    """KPIs of queues, groups, customers (by entry point), process stages and processes in long
    format: level, name, kpi, mean, ci_low, ci_high."""
    rows = []
    levels = (("queue", res.kpis, QUEUE_KPIS), ("channel", res.channels, QUEUE_KPIS), ("group", res.groups, GROUP_KPIS),
              ("customer", res.customers, CUSTOMER_KPIS), ("stage", res.stages, STAGE_KPIS),
              ("process", res.processes, PROCESS_KPIS))
    for level, table, kpis in levels:
        for name, row in table.iterrows():
            for k in kpis:
                rows.append((level, name, k, row[k], row[f"{k}_ci_low"], row[f"{k}_ci_high"]))
    return pd.DataFrame(rows, columns=["level", "name", "kpi", "mean", "ci_low", "ci_high"])


def write_outputs(res: Results, out_dir: Path | str) -> list[Path]:
    """Write the KPI tables, per-contact and per-leg records (CSV) and summary.json into `out_dir`."""
    out = Path(out_dir)
    tables = {
        "kpis.csv": res.kpis,
        "channels.csv": res.channels,
        "groups.csv": res.groups,
        "customers.csv": res.customers,
        "intervals.csv": res.intervals,
        "days.csv": res.days,
        "group_intervals.csv": res.group_intervals,
        "contacts.csv": res.contacts,
        "legs.csv": res.legs,
    }
    if res.plan.process_names:
        tables.update({"stages.csv": res.stages, "processes.csv": res.processes})
    written = []
    for name, frame in tables.items():
        keep_index = frame.index.name is not None
        atomic_write(out / name, lambda h, f=frame, i=keep_index: f.to_csv(h, index=i))
        written.append(out / name)
    atomic_write(out / "summary.json", lambda h: h.write(to_json(res) + "\n"))
    written.append(out / "summary.json")
    return written


def comparison_json(comparison) -> str:
    """One JSON object: scenario names, replications and the comparison rows."""
    rows = [{k: _clean(v) for k, v in row.items()} for row in comparison.table.to_dict(orient="records")]
    return json.dumps({"scenarios": comparison.names, "baseline": comparison.names[0],
                       "replications": comparison.replications, "confidence": CONFIDENCE, "rows": rows}, indent=2)


def write_comparison(comparison, out_dir: Path | str) -> list[Path]:
    """comparison.csv and comparison.json, and every scenario's KPI CSVs in a folder of its own."""
    out = Path(out_dir)
    atomic_write(out / "comparison.csv", lambda h: comparison.table.to_csv(h, index=False))
    atomic_write(out / "comparison.json", lambda h: h.write(comparison_json(comparison) + "\n"))
    written = [out / "comparison.csv", out / "comparison.json"]
    for i, (name, res) in enumerate(zip(comparison.names, comparison.results)):
        folder = out / f"{i + 1}_{''.join(c if c.isalnum() else '_' for c in name).strip('_').lower()}"
        written += write_outputs(res, folder)
    return written
