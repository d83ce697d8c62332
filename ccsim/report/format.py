"""KPI values as text, by their declaration (`ccsim.kpis.registry`): a percent KPI as "94.3%" and
its differences in percentage points ("+2.1 pts"), any other with its declared digits; shared by
the terminal tables and the HTML report. Also the width of a text in terminal columns, for
names in Chinese, Japanese or Korean."""

from __future__ import annotations

import math
import unicodedata

from ccsim.kpis import Kpi, kpi

MAX_DIGITS = 6          # decimals a difference may grow to so that it never reads as zero


def display_width(text: str) -> int:
    """Terminal columns `text` takes: two for an East-Asian wide or fullwidth character (电, Ｆ),
    none for a combining mark, one for any other."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """`text` followed by spaces up to `width` terminal columns (see `display_width`)."""
    return text + " " * max(width - display_width(text), 0)


def num_estimate(mean: float, lo: float, hi: float, digits: int = 1) -> str:
    """"1,234.5 ±6.7": a mean with its CI half-width ("-" for NaN)."""
    if not math.isfinite(mean):
        return "-" if math.isnan(mean) else "inf"
    text = f"{mean:,.{digits}f}"
    return text + (f" ±{(hi - lo) / 2:,.{digits}f}" if math.isfinite(hi - lo) else "")


def pct_estimate(mean: float, lo: float, hi: float, digits: int = 1) -> str:
    """"94.3% ±0.4": a share in % with its CI half-width in points."""
    if not math.isfinite(mean):
        return "-"
    text = f"{100 * mean:.{digits}f}%"
    return text + (f" ±{100 * (hi - lo) / 2:.{digits}f}" if math.isfinite(hi - lo) else "")


def estimate_text(k: Kpi, mean: float, lo: float, hi: float, digits: int | None = None) -> str:
    """A mean ± CI half-width of KPI `k` (`digits` overrides the declared ones)."""
    fmt = pct_estimate if k.percent else num_estimate
    return fmt(mean, lo, hi, digits=k.digits if digits is None else digits)


def cell_text(row, name: str, level: str = "queue", digits: int | None = None) -> str:
    """The estimate of KPI `name` in a table row with `name`, `name_ci_low` and `name_ci_high`."""
    return estimate_text(kpi(name, level), row[name], row[f"{name}_ci_low"], row[f"{name}_ci_high"], digits)


def value_text(k: Kpi, value: float) -> str:
    """One value of KPI `k`: "94.3%" or "1,234.5"."""
    if not math.isfinite(value):
        return "-"
    return f"{100 * value:.{k.digits}f}%" if k.percent else f"{value:,.{k.digits}f}"


def delta_text(k: Kpi, delta: float, low: float, high: float, spaced: bool = False) -> str:
    """A difference of KPI `k` with its CI half-width: "+2.1 pts ±0.4" for a percent KPI (points),
    "+12.3 ±1.0" otherwise. When the CI excludes zero, decimals grow past the declared ones until
    the difference shows as nonzero: a significant difference never reads "+0.0"."""
    if not math.isfinite(delta):
        return "-"
    scale = 100.0 if k.percent else 1.0
    digits = k.digits
    significant = low > 0 or high < 0
    while significant and round(abs(scale * delta), digits) == 0 and digits < MAX_DIGITS:
        digits += 1
    half = scale * (high - low) / 2
    unit = " pts" if k.percent else ""
    pm = "± " if spaced else "±"
    return f"{scale * delta:+,.{digits}f}{unit}" + (f" {pm}{half:,.{digits}f}" if math.isfinite(half) else "")
