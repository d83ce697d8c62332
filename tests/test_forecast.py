"""Forecasting from history: accuracy against the noise floor and the seasonal-naive yardstick,
prediction-interval coverage, special days, the scenario fragment through the loader, bad files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ccsim
from ccsim.forecast import HistoryError, run_forecast
from ccsim.forecast.report import write_forecast
from ccsim.forecast.synthetic import history
from tests.badinput.cli import assert_clean_error, run_cli


@pytest.fixture(scope="module")
def known():
    """12 weeks of a known daily x weekly pattern (30 contacts in an average interval, day cv 5%),
    Poisson counts; the last week is the backtest."""
    frame, mean = history("2026-01-05", 84, {"calls": 30.0}, day_cv=0.05, seed=11)
    return frame, mean, run_forecast(frame, holdout_days=7, level=0.8)


def test_wape_is_near_the_noise_floor_and_beats_seasonal_naive(known):
    frame, mean, run = known
    actual = run.backtest.actual.to_numpy()
    floor = np.abs(actual - mean[0, -7:].ravel()).sum() / actual.sum()   # the true mean's own WAPE
    m = run.metrics.set_index(["queue", "model"])
    ets, naive = m.loc[("calls", "ets"), "wape"], m.loc[("calls", "seasonal_naive"), "wape"]
    assert ets <= floor + 0.02, (ets, floor)
    assert ets < naive - 0.02, (ets, naive)


def test_prediction_intervals_cover_about_their_nominal_share(known):
    _, _, run = known
    # 672 backtest intervals: a binomial share of 0.8 has sd 0.015; intervals are correlated within
    # a day, so allow about three times that either side.
    assert abs(run.metrics.set_index(["queue", "model"]).loc[("calls", "ets"), "coverage"] - 0.8) < 0.05
    bt = run.backtest
    assert (bt.lower <= bt.forecast).all() and (bt.forecast <= bt.upper).all()


def test_special_days_factor_is_learnt_and_applied():
    special = {"2026-02-09": 0.4, "2026-02-23": 0.4}
    frame, _ = history("2026-01-05", 56, {"calls": 30.0}, special=special, seed=3)
    days = pd.DataFrame({"date": [*special, "2026-03-04"], "kind": "holiday"})
    run = run_forecast(frame, holdout_days=0, special_days=days)
    assert run.factors["holiday"] == pytest.approx(0.4, abs=0.04)
    daily = run.forecast.groupby("date").forecast.sum()
    wednesday_holiday, thursday = daily[pd.Timestamp("2026-03-04")], daily[pd.Timestamp("2026-03-05")]
    assert wednesday_holiday / thursday == pytest.approx(0.4, abs=0.06)   # weekday factors 1.0 and 1.0
    assert set(run.forecast.special) == {"", "holiday"}


def test_api_returns_a_dataframe_with_the_backtest_in_attrs():
    frame, _ = history("2026-01-05", 21, {"a": 10.0, "b": 5.0}, seed=2)
    out = ccsim.forecast(frame, days=2, holdout_days=7)
    assert list(out.queue.unique()) == ["a", "b"] and len(out) == 2 * 2 * 96
    assert {"forecast", "lower", "upper", "timestamp", "start"} <= set(out.columns)
    assert {r["model"] for r in out.attrs["metrics"]} == {"ets", "seasonal_naive"}


def test_fragment_extends_a_center_and_loads(tmp_path):
    frame, _ = history("2026-01-05", 21, {"general": 20.0}, seed=5, aht_s={"general": 240.0})
    run = run_forecast(frame, days=7, holdout_days=7)
    base = tmp_path / "center.yml"
    base.write_text("horizon: {start: '08:00', end: '20:00'}\nqueues:\n  general:\n"
                    "    handle_time: {dist: lognormal, mean: 5m, cv: 0.7}\n"
                    "agent_groups:\n  team: {skills: [general], staff: 20}\n")
    paths = write_forecast(run, tmp_path / "out", extends=base)
    sc = ccsim.load_scenario(tmp_path / "out" / "forecast.yml")
    assert {p.name for p in paths} == {"forecast.csv", "backtest.csv", "metrics.csv", "forecast.png", "forecast.yml"}
    assert sc.horizon.days == 7 and sc.horizon.start == 0 and sc.horizon.end == 86400 and sc.interval == 900
    assert sc.horizon.first_day == "mon"                       # 2026-01-26, the day after the history
    assert np.allclose(sc.queues["general"].arrivals.volumes, run.forecast.forecast.round(2))
    assert sc.queues["general"].handle_time.mean == pytest.approx(240.0, rel=0.05)
    assert sc.queues["general"].handle_time.cv == 0.7         # the center's distribution, the forecast's mean
    assert run.spread is None or sc.forecast_error.spread == pytest.approx(run.spread, abs=1e-4)


def test_fragment_can_be_extended(tmp_path):
    frame, _ = history("2026-01-05", 14, {"general": 20.0}, seed=5)
    write_forecast(run_forecast(frame, days=1, holdout_days=0), tmp_path / "fc")
    center = tmp_path / "center.yml"
    center.write_text("extends: fc/forecast.yml\nqueues:\n  general:\n    handle_time: 5m\n"
                      "agent_groups:\n  team: {skills: [general], staff: 20}\n")
    sc = ccsim.load_scenario(center)
    assert sc.n_intervals == 96 and sc.forecast_error is None


@pytest.mark.parametrize(("text", "fragments"), [
    ("when,volume\n2026-01-05 00:00,3\n", ["history.csv:1", "timestamp", "found volume, when"]),
    ("timestamp,volume\n2026-01-05 00:00,3\n2026-01-05 00:15,x\n", ["history.csv:3: volume", "contacts >= 0"]),
    ("timestamp,volume\n2026-01-05 00:00,3\n2026-01-05 00:15,-1\n", ["history.csv:3: volume"]),
    ("timestamp,volume\n2026-01-05 00:00,3\nyesterday,2\n", ["history.csv:3: timestamp", "2026-01-05 08:15"]),
    ("timestamp,queue,volume\n2026-01-05 00:00,a,3\n2026-01-05 00:15,a,3\n2026-01-05 00:15,a,4\n",
     ["history.csv:4", "second row for queue 'a'"]),
    ("timestamp,volume\n2026-01-05 00:00,3\n2026-01-05 00:15,3\n2026-01-05 00:30,3\n2026-01-05 00:50,3\n"
     "2026-01-05 01:00,3\n2026-01-05 01:15,3\n", ["history.csv:5", "not on the 15m grid"]),
    ("timestamp,volume\n", ["history.csv:1", "no rows"]),
    ("timestamp,volume\n2026-01-05 00:00,3\n2026-01-05 00:15,3\n", ["history", "1 days", "needs 14 days", "21 in all"]),
])
def test_bad_history_files_are_clean_errors(tmp_path, text, fragments):
    path = tmp_path / "history.csv"
    path.write_text(text)
    assert_clean_error(run_cli("forecast", path), *fragments)


def test_bad_special_days_name_line_and_column(tmp_path):
    frame, _ = history("2026-01-05", 21, {"a": 5.0}, seed=1)
    frame.to_csv(tmp_path / "history.csv", index=False)
    (tmp_path / "days.csv").write_text("date,kind\n2026-01-12,holiday\n12/13/2026x,holiday\n")
    assert_clean_error(run_cli("forecast", tmp_path / "history.csv", "--special", tmp_path / "days.csv"),
                       "days.csv:3: date", "2026-12-25")


def test_history_error_is_a_value_error():
    with pytest.raises(HistoryError, match="needs columns"):
        run_forecast(pd.DataFrame({"timestamp": ["2026-01-05 00:00"]}))
    assert issubclass(HistoryError, ValueError)


def test_date_and_interval_columns_and_json_output(tmp_path):
    frame, _ = history("2026-01-05", 21, {"a": 10.0}, interval_min=60, seed=4)
    split = frame.timestamp.str.split(" ", expand=True)
    export = pd.DataFrame({"Date": split[0], "Interval_Start": split[1], "Volume": frame.volume})
    export.to_csv(tmp_path / "acd.csv", index=False)
    result = run_cli("forecast", tmp_path / "acd.csv", "--days", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = __import__("json").loads(result.stdout)
    assert [d["date"] for d in data["daily"]] == ["2026-01-26", "2026-01-27"]
    assert {m["model"] for m in data["metrics"]} == {"ets", "seasonal_naive"} and data["level"] == 0.8
    assert data["forecast_error"]["spread"] is None or data["forecast_error"]["spread"] > 0


def test_trend_carries_weekly_growth_into_the_forecast():
    """Volumes growing 50% over 12 weeks: without a trend the forecast stays at the recent level
    and falls short by about a fifth; the log-linear trend of the weekly totals removes the bias."""
    frame, mean = history("2026-01-05", 84, {"calls": 30.0}, seed=5)
    growth = np.repeat(np.linspace(1.0, 1.5, 84), 96)
    frame["volume"] = np.random.default_rng(1).poisson(mean[0].ravel() * growth)
    flat = run_forecast(frame).metrics.set_index(["queue", "model"]).loc[("calls", "ets")]
    trend = run_forecast(frame, trend=True).metrics.set_index(["queue", "model"]).loc[("calls", "ets")]
    assert flat.bias < -0.1 and abs(trend.bias) < 0.03
    assert trend.wape < flat.wape - 0.05


def test_opening_hours_come_from_the_history():
    frame, _ = history("2026-01-05", 21, {"a": 10.0}, seed=6)
    open_hours = frame[frame.timestamp.str[11:13].astype(int).between(8, 19)]
    run = run_forecast(open_hours, days=2, holdout_days=7)
    assert run.forecast.start.iloc[0] == "08:00" and run.forecast.start.iloc[-1] == "19:45"
    assert len(run.forecast) == 2 * 48 and len(run.backtest) == 7 * 48
    assert run.fragment()["horizon"] == {"start": "08:00", "end": "20:00", "days": 2, "first_day": "mon"}
