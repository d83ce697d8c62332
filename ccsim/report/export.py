"""Output folders: a JSON summary, long-format CSV, the charts and the HTML report. A folder is
written whole: into a fresh temporary folder swapped in at the end (`ccsim.atomic.output_folder`),
so it always holds exactly one run's files."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ccsim.atomic import atomic_write, output_folder
from ccsim.results import Results
from ccsim.kpis import LEVELS, names
from ccsim.stats import CONFIDENCE
from ccsim.summary import run_summary


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _estimates(table: pd.DataFrame, level: str) -> dict[str, dict[str, dict[str, float | None]]]:
    return {
        str(name): {
            k: {"mean": _clean(float(row[k])), "ci_low": _clean(float(row[f"{k}_ci_low"])),
                "ci_high": _clean(float(row[f"{k}_ci_high"]))}
            for k in names(level)
        }
        for name, row in table.iterrows()
    }


def kpi_metadata(levels: Iterable[str]) -> dict[str, dict[str, dict[str, Any]]]:
    """Per level and KPI: unit, whether it is a percent (a share, its differences in points),
    direction (1 higher is better, -1 lower is better, 0 neither) and definition."""
    return {level: {name: {"unit": k.unit, "percent": k.percent, "direction": k.direction,
                           "definition": k.definition}
                    for name, k in LEVELS[level].items()}
            for level in levels}


# JSON key -> (Results attribute, KPI level), in output order
LEVEL_TABLES = {"kpis": ("kpis", "queue"), "channels": ("channels", "channel"), "groups": ("groups", "group"),
                "customers": ("customers", "customer"), "stages": ("stages", "stage"),
                "processes": ("processes", "process"), "costs": ("costs", "cost")}


def summary_dict(res: Results, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything the KPI table shows, as plain JSON-ready data (NaN/inf become None);
    `overrides` are the `--set` assignments the scenario was loaded with."""
    sc = res.scenario
    return {
        "scenario": sc.name,
        "overrides": dict(overrides or {}),
        "replications": res.replications,
        "seed": res.seed,
        "confidence": CONFIDENCE,
        "summary": run_summary(res),
        "targets": {q: {"threshold_s": queue.service_level.threshold, "target": queue.service_level.target}
                    for q, queue in sc.queues.items()},
        **{key: _estimates(getattr(res, attribute), level) for key, (attribute, level) in LEVEL_TABLES.items()},
        "pilot": _records(res.pilot),
        "warnings": list(res.warnings),
        "kpi_definitions": kpi_metadata(level for _, level in LEVEL_TABLES.values()),
        "provenance": res.provenance,
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def to_json(res: Results, overrides: Mapping[str, Any] | None = None) -> str:
    return json.dumps(summary_dict(res, overrides), indent=2, default=str)


def long_table(res: Results) -> pd.DataFrame:
    """KPIs of queues, channels, groups, customers (by entry point), process stages, processes and
    costs in long format: level, name, kpi, mean, ci_low, ci_high, unit ("share" for a percent KPI,
    whose values are shares of 1)."""
    rows = []
    for attribute, level in LEVEL_TABLES.values():
        for name, row in getattr(res, attribute).iterrows():
            for k, declared in LEVELS[level].items():
                rows.append((level, name, k, row[k], row[f"{k}_ci_low"], row[f"{k}_ci_high"], declared.unit))
    return pd.DataFrame(rows, columns=["level", "name", "kpi", "mean", "ci_low", "ci_high", "unit"])


def write_outputs(res: Results, out_dir: Path | str, report: bool = True,
                  overrides: Mapping[str, Any] | None = None, parquet: bool = False) -> list[Path]:
    """Replace `out_dir` whole with the KPI tables (CSV, or with `parquet` Parquet files with
    `per_replication` and `long` too) and summary.json, the per-contact and per-leg records where
    the run kept them (Parquet, in records/, see `ccsim.records`), and with `report` the charts
    (PNG) and report.html with the charts embedded.
    Refuses (OutputError) a folder that holds files ccsim did not write."""
    out = Path(out_dir)
    with output_folder(out) as folder:
        written = _write_run(res, folder, report, overrides, parquet)
    return [out / path.relative_to(folder) for path in written]


def result_tables(res: Results) -> dict[str, pd.DataFrame]:
    """The result tables a run writes, by file stem (stages and processes with processes, pilot
    with a pilot)."""
    tables = {"kpis": res.kpis, "channels": res.channels, "groups": res.groups, "customers": res.customers,
              "costs": res.costs, "intervals": res.intervals, "days": res.days, "group_intervals": res.group_intervals}
    if res.plan.process_names:
        tables.update({"stages": res.stages, "processes": res.processes})
    if not res.pilot.empty:
        tables["pilot"] = res.pilot
    return tables


def write_parquet_tables(res: Results, folder: Path | str) -> list[Path]:
    """Every result table, `per_replication` and `long` as `<name>.parquet` in `folder` (each
    written atomically), with the run's provenance as JSON under the metadata key "ccsim"."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    meta = json.dumps(res.provenance).encode("utf-8")
    written = []
    for name, frame in {**result_tables(res), "per_replication": res.per_replication, "long": res.long}.items():
        keep_index = frame.index.name is not None
        table = pa.Table.from_pandas(frame, preserve_index=keep_index)
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"ccsim": meta})
        atomic_write(folder / f"{name}.parquet", lambda h, t=table: pq.write_table(t, h), binary=True)
        written.append(folder / f"{name}.parquet")
    return written


def _write_run(res: Results, out: Path, report: bool, overrides: Mapping[str, Any] | None,
               parquet: bool = False) -> list[Path]:
    """The files of one run, written into the folder `out` (tables as CSV, or with `parquet` as
    Parquet files)."""
    written = []
    if res.record_store is not None:
        res.record_store.save_to(out / "records")
        written += sorted(path for path in (out / "records").rglob("*.parquet"))
    if parquet:
        written += write_parquet_tables(res, out)
    for name, frame in ({} if parquet else result_tables(res)).items():
        keep_index = frame.index.name is not None
        atomic_write(out / f"{name}.csv", lambda h, f=frame, i=keep_index: f.to_csv(h, index=i))
        written.append(out / f"{name}.csv")
    atomic_write(out / "summary.json", lambda h: h.write(to_json(res, overrides) + "\n"))
    written.append(out / "summary.json")
    if report:
        from ccsim.report.charts import run_charts          # matplotlib only when a report is written
        from ccsim.report.html import run_report

        charts = run_charts(res, out)
        written += [chart.path for chart in charts] + [_write_report(out, run_report(res, charts, overrides))]
    return written


def _write_report(out: Path, text: str) -> Path:
    atomic_write(out / "report.html", lambda h: h.write(text))
    return out / "report.html"


def comparison_json(comparison, decision: Mapping[str, Any] | None = None) -> str:
    """One JSON object: scenario names, replications, the recommendation (`summary`, see
    `ccsim.decision.recommend`; the default rule when `decision` is None), the comparison rows and
    the KPI definitions."""
    from ccsim.decision import recommend

    return json.dumps({"summary": dict(decision or recommend(comparison)),
                       "scenarios": comparison.names, "baseline": comparison.names[0],
                       "replications": comparison.replications, "precision": comparison.precision,
                       "precision_reached": comparison.precise, "confidence": CONFIDENCE,
                       "rows": _records(comparison.table),
                       "cost_benefit": _records(comparison.cost_benefit.reset_index()),
                       "warnings": comparison.warnings,
                       "kpi_definitions": kpi_metadata(dict.fromkeys(comparison.table.level))}, indent=2)


def write_comparison(comparison, out_dir: Path | str, decision: Mapping[str, Any] | None = None) -> list[Path]:
    """Replace `out_dir` whole with comparison.csv, comparison.json, the comparison charts (PNG) and
    report.html with the charts embedded, and every scenario's KPI CSVs in a folder of its own (no report per scenario: the
    comparison report summarizes each one, and `ccsim run` gives the full report)."""
    out = Path(out_dir)
    with output_folder(out) as folder:
        written = _write_comparison(comparison, folder, decision)
    return [out / path.relative_to(folder) for path in written]


def _write_comparison(comparison, out: Path, decision: Mapping[str, Any] | None) -> list[Path]:
    from ccsim.decision import recommend

    decision = decision or recommend(comparison)
    atomic_write(out / "comparison.csv", lambda h: comparison.table.to_csv(h, index=False))
    atomic_write(out / "comparison.json", lambda h: h.write(comparison_json(comparison, decision) + "\n"))
    atomic_write(out / "cost_benefit.csv", lambda h: comparison.cost_benefit.to_csv(h))
    written = [out / "comparison.csv", out / "comparison.json", out / "cost_benefit.csv"]
    from ccsim.report.charts import comparison_charts   # matplotlib only when a report is written
    from ccsim.report.html import comparison_report

    charts = comparison_charts(comparison, out)
    written += [chart.path for chart in charts] + [_write_report(out, comparison_report(comparison, charts, decision))]
    for i, (name, res) in enumerate(zip(comparison.names, comparison.results)):
        folder = out / f"{i + 1}_{''.join(c if c.isalnum() else '_' for c in name).strip('_').lower()}"
        written += _write_run(res, folder, report=False, overrides=None)
    return written
