"""Forecasting: contacts per queue and interval from history, with prediction intervals, a
backtest against the seasonal-naive yardstick, and a scenario fragment to simulate the forecast."""

from ccsim.forecast.history import History, HistoryError, SpecialDay, read_history, read_special_days
from ccsim.forecast.run import ForecastRun, forecast, run_forecast

__all__ = ["ForecastRun", "History", "HistoryError", "SpecialDay", "forecast", "read_history", "read_special_days",
           "run_forecast"]
