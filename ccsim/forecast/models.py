"""Forecast models on one queue's series of counts per interval (whole days, oldest first).

- `ets`: exponential smoothing (statsmodels `ETSModel`, additive error and seasonality) on the
  square root of the counts. One seasonal cycle is a week of intervals, so
  it holds both the daily shape and each weekday's level (a Saturday may have its own shape). The
  square root makes count noise about equally wide at night and at the peak (Poisson counts have
  variance = mean; their square root has variance about 1/4), so the prediction intervals are
  right at every level. Means are back-transformed with the variance: E[y] = m^2 + var.
- `seasonal_naive`: the same interval one week earlier: the yardstick any model must beat.

Special days enter as volume factors on whole days: learnt as the day's volume over the mean of
the same weekday in the surrounding weeks, divided out of the history before fitting, and
multiplied into the forecast.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

NEIGHBOUR_WEEKS = 2          # a special day is compared with its weekday this many weeks before and after


@dataclass(frozen=True)
class Prediction:
    """Per-interval `mean`, and `lower`/`upper` bounds of the central prediction interval (contacts)."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray


def ets(counts: np.ndarray, steps: int, period: int, level: float) -> Prediction:
    """`steps` intervals ahead of `counts` (contacts per interval, at least two `period`s) by
    exponential smoothing of sqrt(counts) with a seasonal cycle of `period` intervals; central
    prediction intervals of coverage `level` (0..1)."""
    series = pd.Series(np.sqrt(np.maximum(counts, 0.0)))
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    model = ETSModel(series, error="add", seasonal="add", seasonal_periods=period, initialization_method="heuristic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")       # convergence chatter of the optimizer; the fit is checked below
        fit = model.fit(disp=False, maxiter=200)
        pred = fit.get_prediction(start=len(series), end=len(series) + steps - 1)
    mean = np.asarray(pred.predicted_mean, dtype=float)
    var = np.asarray(pred.forecast_variance, dtype=float) + fit.mse * _state_variance(fit, len(series), period)
    if not (np.isfinite(mean).all() and np.isfinite(var).all()):
        raise ValueError("the exponential-smoothing fit diverged; give a longer or steadier history")
    z = stats.norm.ppf(0.5 + level / 2.0)
    half = z * np.sqrt(var)
    return Prediction(np.maximum(mean, 0.0) ** 2 + var, np.maximum(mean - half, 0.0) ** 2,
                      np.maximum(mean + half, 0.0) ** 2)


def _state_variance(fit, n_obs: int, period: int) -> float:
    """Variance of the final level and seasonal estimates, in units of the one-step error
    variance, which the model's own forecast variance leaves out: a seasonal state starts as the
    mean of the first cycles' detrended values (statsmodels' heuristic: up to 5 cycles, one lost
    to the centred moving average) and is then updated by gamma x error once a cycle, so its
    final value weighs the initial mean by (1 - gamma)^n and the cycle j back by gamma (1 - gamma)^j;
    the level is an exponentially weighted mean with weight alpha."""
    params = dict(zip(fit.model.param_names, np.asarray(fit.params, dtype=float)))
    alpha, gamma = params.get("smoothing_level", 0.0), params.get("smoothing_seasonal", 0.0)
    cycles = n_obs // period
    start = max(min(5, cycles) - 1, 1)
    keep = (1.0 - gamma) ** (2 * cycles)
    updates = gamma ** 2 * (1.0 - keep) / (1.0 - (1.0 - gamma) ** 2) if gamma > 0 else 0.0
    return keep / start + updates + alpha / (2.0 - alpha)


def daily_growth(daily: np.ndarray) -> float:
    """Growth rate per day of a log-linear trend through the weekly totals of `daily` (volumes per
    day, whole weeks counted back from the last day): the least-squares slope of log(week total)
    on the week's index, divided by 7. 0 with fewer than two weeks or an empty week."""
    weeks = len(daily) // 7
    if weeks < 2:
        return 0.0
    totals = np.asarray(daily[len(daily) - 7 * weeks:], dtype=float).reshape(weeks, 7).sum(axis=1)
    if (totals <= 0).any():
        return 0.0
    return float(np.polyfit(np.arange(weeks), np.log(totals), 1)[0] / 7.0)


def seasonal_naive(counts: np.ndarray, steps: int, period: int) -> np.ndarray:
    """Each interval as the same interval one `period` earlier (the last cycle repeated)."""
    last = np.asarray(counts, dtype=float)[-period:]
    return np.resize(last, steps)


def day_factors(daily: np.ndarray, dates: pd.DatetimeIndex, special: dict[pd.Timestamp, str],
                given: dict[str, float]) -> dict[str, float]:
    """Volume factor per kind of special day: `given` ones as they are; the others as the median,
    over the kind's days in `dates`, of the day's volume (`daily`, per date) over the mean of the
    same weekday up to NEIGHBOUR_WEEKS weeks before and after (other special days left out).
    Kinds with no day in `dates` and no given factor are left out."""
    by_date = dict(zip(dates, daily))
    ratios: dict[str, list[float]] = {}
    for date, kind in special.items():
        if kind in given or date not in by_date:
            continue
        around = [date + pd.Timedelta(weeks=w) for w in range(-NEIGHBOUR_WEEKS, NEIGHBOUR_WEEKS + 1) if w]
        normal = [by_date[d] for d in around if d in by_date and d not in special]
        if normal and np.mean(normal) > 0:
            ratios.setdefault(kind, []).append(by_date[date] / np.mean(normal))
    learnt = {kind: float(np.median(r)) for kind, r in ratios.items() if np.median(r) > 0}
    return {**learnt, **given}

