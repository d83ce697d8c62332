"""Write the bundled contact history data/history.csv and data/special_days.csv.

    python tools/make_history.py

The pattern (`ccsim.forecast.synthetic`): 12 weeks from Monday 2026-01-05 in 15-minute
intervals around the clock; three queues with 30 (general), 18 (billing) and 10 (technical)
contacts in an average interval of a factor-1 weekday; a daily shape with a low night, a
morning peak at 10:30 and an afternoon peak at 15:00; weekday factors 1.15, 1.05, 1.0, 1.0,
0.95, 0.6, 0.45 (Monday to Sunday); two holidays at 0.4 of a normal day (2026-02-16 and
2026-03-23, the latter in the backtest week); each day scaled by a lognormal busyness factor
(mean 1, cv 0.05); counts drawn Poisson; handle times (mean seconds per interval) around 300,
360 and 540 s. Seed 2026. The special-days file lists both holidays and a public holiday in the
forecast week (2026-04-03) for which the factor is learnt from the history's holidays.
"""

from __future__ import annotations

from pathlib import Path

from ccsim.forecast.synthetic import history

ROOT = Path(__file__).resolve().parents[1]
HOLIDAYS = {"2026-02-16": 0.4, "2026-03-23": 0.4}

if __name__ == "__main__":
    frame, _ = history("2026-01-05", 84, {"general": 30, "billing": 18, "technical": 10}, interval_min=15,
                       day_cv=0.05, special=HOLIDAYS, aht_s={"general": 300, "billing": 360, "technical": 540},
                       seed=2026)
    frame.to_csv(ROOT / "data" / "history.csv", index=False)
    (ROOT / "data" / "special_days.csv").write_text(
        "date,kind\n" + "".join(f"{d},holiday\n" for d in [*HOLIDAYS, "2026-04-03"]))
    print(f"wrote {len(frame)} rows to data/history.csv and data/special_days.csv")
