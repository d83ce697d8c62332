"""`run_forecast`: backtest on a held-out period, then forecast ahead from the whole history, per
queue; error measures beside the seasonal-naive yardstick's; the scenario fragment.

This module owns the forecasting procedure and its tables; the models are in `models`, the file
formats in `history`, the outputs (tables, plot, files) in `report`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccsim import arguments
from ccsim.forecast import models
from ccsim.forecast.history import History, SpecialDay, read_history, read_special_days
from ccsim.scenario.types import WEEKDAYS
from ccsim.units import format_clock

MIN_FIT_WEEKS = 2            # the seasonal model starts from two whole weeks
AHT_WEEKS = 4                # handle times: the volume-weighted mean of the last weeks, per interval of the week
MAX_SPREAD = 2.0             # the scenario's forecast_error.spread is at most this


@dataclass(frozen=True)
class ForecastRun:
    """What `run_forecast` returns.

    `forecast`: one row per queue and interval ahead (queue, timestamp, date, weekday, day, start,
    forecast, lower, upper, special, and aht_s when the history has handle times), contacts per
    interval. `backtest`: the same for the held-out period with `actual` and `naive` (the
    seasonal-naive yardstick). `metrics`: per queue and "ALL", per model (ets, seasonal_naive):
    wape, mape, bias and the prediction interval's coverage. `spread`: the day-level forecast
    error for `forecast_error.spread` (None without a backtest, or when the backtest's day totals
    are no further off than Poisson noise). `factors`: the volume factor per kind of special day.
    """

    forecast: pd.DataFrame
    backtest: pd.DataFrame
    metrics: pd.DataFrame
    spread: float | None
    factors: dict[str, float]
    history: History
    level: float
    holdout_days: int
    notes: tuple[str, ...] = field(default=())

    def fragment(self, extends: Path | str | None = None, out_file: Path | str | None = None) -> dict[str, Any]:
        """The scenario fragment: horizon, interval, per-interval arrivals per queue (and the mean
        handle time where the history gives one) and `forecast_error`. With `extends`, the
        fragment extends that scenario (its path written relative to `out_file`'s folder), so it
        runs as it is; without, a scenario can `extends:` the fragment."""
        h = self.history
        first = self.forecast.date.iloc[0]
        days = int(self.forecast.day.max())
        data: dict[str, Any] = {}
        if extends is not None:
            base = Path(os.path.relpath(Path(extends).resolve(), Path(out_file or ".").resolve().parent))
            data["extends"] = base.as_posix()
        data["name"] = f"Forecast from {Path(h.file).name}, {days} days from {first.date()}"
        data["horizon"] = {"start": format_clock(h.open_s[0]), "end": _clock_end(h.open_s[1]), "days": days,
                           "first_day": WEEKDAYS[first.weekday()]}
        data["interval"] = _minutes(h.interval_s)
        queues: dict[str, Any] = {}
        for name, part in self.forecast.groupby("queue", sort=False):
            queues[name] = {"arrivals": {"per_interval": [round(float(v), 2) for v in part.forecast]}}
            if "aht_s" in part and part.forecast.sum() > 0 and part.aht_s.notna().any():
                aht = np.average(part.aht_s.fillna(part.aht_s.mean()), weights=part.forecast)
                queues[name]["handle_time"] = {"mean": round(float(aht), 1)}
        data["queues"] = queues
        if self.spread is not None:
            data["forecast_error"] = {"spread": round(self.spread, 4)}
        return data


def run_forecast(history: Path | str | pd.DataFrame | History, *, days: int = 7, holdout_days: int = 7,
                 level: float = 0.8, special_days: Path | str | pd.DataFrame | None = None, trend: bool = False,
                 interval_s: float | None = None) -> ForecastRun:
    """Forecast `days` whole days after the history, per queue and interval, with central prediction
    intervals of coverage `level`; first a backtest: fit on all but the last `holdout_days` days
    (0: no backtest), forecast those, and measure both models against what happened.

    `history`: a CSV (see `read_history`) or a DataFrame; `special_days`: a CSV with date, kind
    and optionally factor, for days of the history and of the forecast. `trend`: a log-linear
    trend through the weekly totals is divided out before fitting and carried on in the forecast.
    Raises HistoryError for bad files and ArgumentError for bad arguments.
    """
    days = arguments.whole("days", days, 1)
    holdout_days = arguments.whole("holdout_days", holdout_days, 0)
    level = arguments.number("level", level, 0.0, 1.0, high_open=True)
    h = history if isinstance(history, History) else read_history(history, interval_s)
    special = read_special_days(special_days)
    need = 7 * MIN_FIT_WEEKS + holdout_days
    if h.days < need:
        raise arguments.ArgumentError(
            f"history: {h.days} days in {h.file}; the model needs {7 * MIN_FIT_WEEKS} days to fit"
            + (f" plus holdout_days={holdout_days} to backtest" if holdout_days else "") + f", {need} in all")
    kinds = {s.date: s.kind for s in special}
    given = {s.date: s.factor for s in special if s.factor is not None}
    notes: list[str] = []
    backtest = pd.DataFrame()
    if holdout_days:
        backtest = _predict(h, h.days - holdout_days, holdout_days, level, trend, kinds, given, notes)
    ahead = _predict(h, h.days, days, level, trend, kinds, given, notes)
    factors = _learnt(h, h.days, kinds, given)
    if h.handle_s is not None:
        ahead["aht_s"] = _aht(h, days)
    metrics = _metrics(backtest) if holdout_days else pd.DataFrame()
    spread = _spread(backtest) if holdout_days else None
    return ForecastRun(ahead, backtest, metrics, spread, factors, h, level, holdout_days,
                       tuple(dict.fromkeys(notes)))


def forecast(history: Path | str | pd.DataFrame, **options: Any) -> pd.DataFrame:
    """Forecast contacts per queue and interval with prediction intervals (see `run_forecast` for
    the options): one row per queue and interval ahead. `attrs["metrics"]` holds the backtest's
    error measures (records), `attrs["spread"]` the forecast_error spread.

    Example:
        >>> f = ccsim.forecast("data/history.csv", days=7)   # a week ahead, per queue and interval
        >>> f.columns[:3].tolist()
        ['queue', 'timestamp', 'date']
    """
    run = run_forecast(history, **options)
    frame = run.forecast.copy()
    frame.attrs["metrics"] = run.metrics.to_dict(orient="records")
    frame.attrs["spread"] = run.spread
    return frame


def _learnt(h: History, fit_days: int, kinds: dict, given: dict) -> dict[str, float]:
    daily = h.volumes[:, :fit_days].sum(axis=(0, 2))
    return models.day_factors(daily, h.dates()[:fit_days], {d: k for d, k in kinds.items() if d not in given}, {})


def _predict(h: History, fit_days: int, steps_days: int, level: float, trend: bool, kinds: dict,
             given: dict, notes: list[str]) -> pd.DataFrame:
    """Fit on the first `fit_days` days and predict the next `steps_days` days (beyond the history
    as far as needed), trimmed to the opening hours seen."""
    per_day, period = h.per_day, 7 * h.per_day
    all_dates = pd.date_range(h.first_date, periods=fit_days + steps_days, freq="D")
    fit_dates, ahead_dates = all_dates[:fit_days], all_dates[fit_days:]
    learnt = _learnt(h, fit_days, kinds, given)
    for date in ahead_dates:
        kind = kinds.get(date)
        if kind is not None and date not in given and kind not in learnt:
            notes.append(f"special day {date.date()} ({kind}): no {kind} day in the history it is fit on "
                         "and no factor given; forecast as a normal day")

    def factor(dates: pd.DatetimeIndex) -> np.ndarray:
        return np.array([given.get(d, learnt.get(kinds.get(d, ""), 1.0)) for d in dates])

    fit_factor, ahead_factor = factor(fit_dates), np.repeat(factor(ahead_dates), per_day)
    lo, hi = _open_slots(h)
    frames = []
    for q, queue in enumerate(h.queues):
        adjusted = h.volumes[q, :fit_days] / fit_factor[:, None]
        growth = models.daily_growth(adjusted.sum(axis=1)) if trend else 0.0
        past = np.exp(growth * (np.arange(fit_days) - (fit_days - 1)))            # 1 on the last day fitted
        ahead = np.repeat(np.exp(growth * np.arange(1, steps_days + 1)), per_day)
        pred = models.ets((adjusted / past[:, None]).ravel(), steps_days * per_day, period, level)
        pred = models.Prediction(pred.mean * ahead, pred.lower * ahead, pred.upper * ahead)
        naive = models.seasonal_naive(h.volumes[q, :fit_days].ravel(), steps_days * per_day, period)
        frame = _frame(h, queue, ahead_dates)
        frame["forecast"] = pred.mean * ahead_factor
        frame["lower"] = pred.lower * ahead_factor
        frame["upper"] = pred.upper * ahead_factor
        frame["naive"] = naive
        if fit_days + steps_days <= h.days:
            frame["actual"] = h.volumes[q, fit_days:fit_days + steps_days].ravel()
        else:
            frame = frame.drop(columns="naive")
        frame["special"] = np.repeat([kinds.get(d, "") for d in ahead_dates], per_day)
        frames.append(frame[frame.slot.between(lo, hi - 1)].drop(columns="slot"))
    return pd.concat(frames, ignore_index=True)


def _frame(h: History, queue: str, dates: pd.DatetimeIndex) -> pd.DataFrame:
    per_day = h.per_day
    slot = np.tile(np.arange(per_day), len(dates))
    stamps = np.repeat(dates.values, per_day) + (slot * h.interval_s).astype("timedelta64[s]")
    return pd.DataFrame({
        "queue": queue,
        "timestamp": stamps,
        "date": np.repeat(dates.values, per_day),
        "weekday": np.repeat([WEEKDAYS[d.weekday()] for d in dates], per_day),
        "day": np.repeat(np.arange(1, len(dates) + 1), per_day),
        "start": [format_clock(s * h.interval_s) for s in slot],
        "slot": slot,
    })


def _open_slots(h: History) -> tuple[int, int]:
    return int(round(h.open_s[0] / h.interval_s)), int(round(h.open_s[1] / h.interval_s))


def _aht(h: History, days: int) -> np.ndarray:
    """Mean handle time per interval ahead: the volume-weighted mean of the same interval of the
    week over the last AHT_WEEKS weeks (the queue's overall mean where none was handled)."""
    lo, hi = _open_slots(h)
    out = []
    for q in range(len(h.queues)):
        weeks = min(AHT_WEEKS, h.days // 7)
        vol = h.volumes[q, -7 * weeks:].reshape(weeks, 7, h.per_day)
        aht = np.nan_to_num(h.handle_s[q, -7 * weeks:].reshape(weeks, 7, h.per_day))
        weight = np.where(np.isnan(h.handle_s[q, -7 * weeks:].reshape(weeks, 7, h.per_day)), 0.0, vol)
        total = (weight * aht).sum(axis=0)
        count = weight.sum(axis=0)
        overall = total.sum() / count.sum() if count.sum() > 0 else math.nan
        per_slot = np.where(count > 0, total / np.where(count > 0, count, 1.0), overall)
        first_weekday = (h.first_date + pd.Timedelta(days=h.days)).weekday()
        history_first = (h.first_date + pd.Timedelta(days=h.days - 7 * weeks)).weekday()
        order = [(first_weekday - history_first + d) % 7 for d in range(days)]
        out.append(per_slot[order][:, lo:hi].ravel())
    return np.concatenate(out)


def _metrics(backtest: pd.DataFrame) -> pd.DataFrame:
    """WAPE, MAPE (intervals with contacts), bias and coverage per queue and overall, per model."""
    rows = []
    for queue, part in [*backtest.groupby("queue", sort=False), ("ALL", backtest)]:
        if queue == "ALL":
            part = part.groupby(["timestamp"], sort=False)[["actual", "forecast", "naive", "lower", "upper"]].sum()
            inside = np.nan
        else:
            inside = float(((part.actual >= part.lower) & (part.actual <= part.upper)).mean())
        for model, column in (("ets", "forecast"), ("seasonal_naive", "naive")):
            rows.append({"queue": queue, "model": model, **_errors(part.actual.to_numpy(), part[column].to_numpy()),
                         "coverage": inside if model == "ets" else np.nan})
    return pd.DataFrame(rows)


def _errors(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    total = actual.sum()
    busy = actual > 0
    return {
        "wape": float(np.abs(actual - predicted).sum() / total) if total > 0 else math.nan,
        "mape": float(np.mean(np.abs(actual[busy] - predicted[busy]) / actual[busy])) if busy.any() else math.nan,
        "bias": float(predicted.sum() / total - 1.0) if total > 0 else math.nan,
    }


def _spread(backtest: pd.DataFrame) -> float | None:
    """The cv of a lognormal day factor matching the backtest's day totals (all queues): the root
    mean square of actual/forecast - 1 per day, less the Poisson noise the simulation draws itself
    (variance 1/forecast). None when nothing is left."""
    daily = backtest.groupby("date")[["actual", "forecast"]].sum()
    daily = daily[daily.forecast > 0]
    if daily.empty:
        return None
    excess = float(np.mean((daily.actual / daily.forecast - 1.0) ** 2) - np.mean(1.0 / daily.forecast))
    return min(math.sqrt(excess), MAX_SPREAD) if excess > 0 else None


def _clock_end(seconds: float) -> str:
    return "24:00" if seconds >= 86400 else format_clock(seconds)


def _minutes(seconds: float) -> str:
    return f"{seconds / 3600:g}h" if seconds % 3600 == 0 else f"{seconds / 60:g}m"


__all__ = ["ForecastRun", "SpecialDay", "forecast", "run_forecast"]
