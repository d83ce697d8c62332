"""A synthetic contact history from a documented pattern, for examples, tests and the bundled
`data/history.csv`: expected contacts = base x daily shape x weekday factor x special-day factor,
each day scaled by a lognormal busyness factor (mean 1), counts drawn Poisson.

The daily shape (24 hours, any interval) is a low night level plus a morning peak at 10:30 and
an afternoon peak at 15:00, normalized to mean 1 over the day; `WEEK` gives the weekday levels.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WEEK = (1.15, 1.05, 1.0, 1.0, 0.95, 0.6, 0.45)          # mon .. sun


def daily_shape(per_day: int) -> np.ndarray:
    """Relative volume of each interval of a day (mean 1): night floor, peaks at 10:30 and 15:00."""
    hours = (np.arange(per_day) + 0.5) * 24.0 / per_day
    shape = 0.04 + np.exp(-0.5 * ((hours - 10.5) / 2.0) ** 2) + 0.8 * np.exp(-0.5 * ((hours - 15.0) / 2.2) ** 2)
    return shape / shape.mean()


def expected(first_date: str, days: int, per_day: int, base: float, week=WEEK,
             special: dict[str, float] | None = None) -> np.ndarray:
    """(days, per_day) expected contacts per interval: `base` on an average interval of a factor-1
    weekday, times the daily shape, the weekday factor and any special day's factor (by ISO date)."""
    dates = pd.date_range(first_date, periods=days, freq="D")
    level = np.array([week[d.weekday()] * (special or {}).get(str(d.date()), 1.0) for d in dates])
    return base * level[:, None] * daily_shape(per_day)[None, :]


def history(first_date: str, days: int, queues: dict[str, float], *, interval_min: int = 15, day_cv: float = 0.05,
            special: dict[str, float] | None = None, aht_s: dict[str, float] | None = None,
            seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """A history table (timestamp, queue, volume[, handle_time]) and the expected counts
    (queues, days, per_day) it was drawn from. `queues` maps each queue to its base (contacts
    per average interval); `day_cv` is the cv of the daily busyness factor; `aht_s` adds a
    handle_time column around each queue's mean (gamma, cv 0.1 per interval)."""
    rng = np.random.default_rng(seed)
    per_day = 24 * 60 // interval_min
    stamps = (pd.date_range(first_date, periods=days * per_day, freq=f"{interval_min}min"))
    frames, means = [], []
    for name, base in queues.items():
        mean = expected(first_date, days, per_day, base, special=special)
        busy = rng.lognormal(-0.5 * np.log1p(day_cv ** 2), np.sqrt(np.log1p(day_cv ** 2)), days)
        volume = rng.poisson(mean * busy[:, None]).ravel()
        frame = pd.DataFrame({"timestamp": stamps.strftime("%Y-%m-%d %H:%M"), "queue": name, "volume": volume})
        if aht_s and name in aht_s:
            frame["handle_time"] = np.round(rng.gamma(100.0, aht_s[name] / 100.0, volume.size), 1)
        frames.append(frame)
        means.append(mean)
    return pd.concat(frames, ignore_index=True), np.stack(means)
