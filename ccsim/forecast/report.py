"""Forecast results for people and programs: terminal tables, JSON, the plot (history, forecast and
prediction interval per queue), CSVs and the scenario fragment, written as one output folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from rich.table import Table

from ccsim.atomic import atomic_write, output_folder
from ccsim.forecast.run import ForecastRun

PLOT_WEEKS = 3              # history shown before the forecast
FRAGMENT = "forecast.yml"


def tables(run: ForecastRun) -> list[Table]:
    """The backtest (both models side by side, per queue) and the forecast's daily totals."""
    out = []
    if not run.metrics.empty:
        t = Table(title=f"backtest on the last {run.holdout_days} days: ETS against seasonal naive "
                        f"(coverage of the {100 * run.level:g}% interval)")
        for column in ("queue", "ETS WAPE", "naive WAPE", "ETS MAPE", "naive MAPE", "ETS bias", "coverage"):
            t.add_column(column, justify="left" if column == "queue" else "right")
        for queue, part in run.metrics.groupby("queue", sort=False):
            ets, naive = part.set_index("model").loc["ets"], part.set_index("model").loc["seasonal_naive"]
            t.add_row(queue, _pct(ets.wape), _pct(naive.wape), _pct(ets.mape), _pct(naive.mape),
                      f"{100 * ets.bias:+.1f}%", "" if np.isnan(ets.coverage) else _pct(ets.coverage))
        spread = "none (day totals within Poisson noise)" if run.spread is None else f"{run.spread:.3f}"
        t.caption = f"forecast_error.spread from the backtest's day totals: {spread}"
        out.append(t)
    daily = daily_totals(run)
    t = Table(title=f"forecast: contacts per day ({100 * run.level:g}% interval per interval in forecast.csv)")
    for column in daily.columns:
        t.add_column(str(column), justify="left" if column in ("date", "weekday", "special") else "right")
    for _, row in daily.iterrows():
        t.add_row(*(f"{v:,.0f}" if isinstance(v, (float, np.floating)) else str(v) for v in row))
    out.append(t)
    return out


def daily_totals(run: ForecastRun) -> pd.DataFrame:
    """Forecast contacts per day and queue, one column per queue."""
    f = run.forecast
    table = f.pivot_table(index=["date", "weekday", "special"], columns="queue", values="forecast", aggfunc="sum",
                          sort=False)
    table = table[list(dict.fromkeys(f.queue))]
    table.columns = list(table.columns)
    table = table.reset_index()
    table["date"] = table.date.dt.strftime("%Y-%m-%d")
    return table


def to_json(run: ForecastRun) -> str:
    """One JSON object: backtest metrics, spread, factors of special days, daily totals and notes."""
    return json.dumps({
        "history": run.history.file, "level": run.level, "holdout_days": run.holdout_days,
        "metrics": run.metrics.astype(object).where(run.metrics.notna(), None).to_dict(orient="records"), "forecast_error": {"spread": run.spread},
        "special_day_factors": run.factors, "daily": daily_totals(run).to_dict(orient="records"),
        "notes": list(run.notes),
    }, indent=2, default=_plain)


def write_forecast(run: ForecastRun, out_dir: Path | str, extends: Path | str | None = None) -> list[Path]:
    """Replace `out_dir` whole with forecast.csv, backtest.csv, metrics.csv, forecast.png and the
    scenario fragment forecast.yml (extending `extends` when given)."""
    out = Path(out_dir)
    with output_folder(out) as folder:
        written = []
        for name, frame in (("forecast.csv", run.forecast), ("backtest.csv", run.backtest),
                            ("metrics.csv", run.metrics)):
            if not frame.empty:
                atomic_write(folder / name, lambda handle, f=frame: f.to_csv(handle, index=False))
                written.append(folder / name)
        written.append(plot(run, folder / "forecast.png"))
        written.append(write_fragment(run, folder / FRAGMENT, extends, final=out / FRAGMENT))
    return [out / p.relative_to(folder) for p in written]


def write_fragment(run: ForecastRun, path: Path, extends: Path | str | None = None,
                   final: Path | None = None) -> Path:
    """The scenario fragment as YAML at `path` (`final`: where it will live, for the `extends` path)."""
    data = run.fragment(extends, final or path)
    head = ("# Forecast arrivals per interval and the forecast error from the backtest (ccsim forecast).\n"
            + ("" if extends else "# A scenario with handle times and agent groups can `extends:` this file.\n"))
    text = head + yaml.safe_dump(data, sort_keys=False, width=120, default_flow_style=None)
    atomic_write(path, lambda handle: handle.write(text))
    return path


def plot(run: ForecastRun, path: Path) -> Path:
    """One panel per queue: the last weeks of history, the backtest forecast, and the forecast with
    its prediction interval, per interval."""
    from ccsim.report.plots import plt, save_figure

    h = run.history
    queues = h.queues
    fig, axes = plt.subplots(len(queues), 1, figsize=(14, 3.2 * len(queues)), squeeze=False, constrained_layout=True)
    dates = h.dates()
    shown = min(h.days, 7 * PLOT_WEEKS)
    stamps = (np.repeat(dates[-shown:].values, h.per_day)
              + np.tile((np.arange(h.per_day) * h.interval_s).astype("timedelta64[s]"), shown))
    for ax, (q, queue) in zip(axes[:, 0], enumerate(queues)):
        ax.plot(stamps, h.volumes[q, -shown:].ravel(), color="tab:gray", lw=0.6, label="history")
        if not run.backtest.empty:
            bt = run.backtest[run.backtest.queue == queue]
            ax.plot(bt.timestamp, bt.forecast, color="tab:orange", lw=0.8, label="backtest forecast")
        f = run.forecast[run.forecast.queue == queue]
        ax.fill_between(f.timestamp, f.lower, f.upper, color="tab:blue", alpha=0.25, step=None,
                        label=f"{100 * run.level:g}% prediction interval")
        ax.plot(f.timestamp, f.forecast, color="tab:blue", lw=0.9, label="forecast")
        ax.set_title(queue)
        ax.set_ylabel("contacts per interval")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8, frameon=False)
    save_figure(fig, path)
    return path


def _pct(value: float) -> str:
    return "" if value is None or np.isnan(value) else f"{100 * value:.1f}%"


def _plain(value: Any) -> Any:
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return str(value)
