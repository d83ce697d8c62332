"""Statistics over replications: means with Student-t confidence intervals, safe ratios.

Ratio KPIs (service level, abandon rate, ASA, occupancy) are computed within each
replication first; the interval is for the mean of those per-replication ratios.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special

CONFIDENCE = 0.95


def mean_over(samples: np.ndarray) -> np.ndarray:
    """The mean over axis 0 (replications), ignoring NaN replications (NaN where all are)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.asarray(samples, dtype=float), axis=0)


def mean_ci(samples: np.ndarray, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and Student-t interval over axis 0 (replications), ignoring NaN replications."""
    samples = np.asarray(samples, dtype=float)
    mean = mean_over(samples)
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        n = np.sum(~np.isnan(samples), axis=0)
        sd = np.nanstd(samples, axis=0, ddof=1)
        # the Student-t quantile as scipy.stats.t.ppf computes it, without importing scipy.stats (most of a second)
        half = special.stdtrit(np.maximum(n - 1, 1), 0.5 + confidence / 2) * sd / np.sqrt(n)
    half = np.where(n >= 2, half, np.nan)
    return mean, mean - half, mean + half


def ratio(num, den) -> np.ndarray:
    """num / den, NaN where den is 0."""
    num, den = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def wide_table(names: Sequence[str], columns: Sequence[str], samples: np.ndarray, index_name: str) -> pd.DataFrame:
    """Rows `names`, and for each column its mean and `_ci_low`/`_ci_high` over replications.

    `samples` has shape (replications, rows, columns).
    """
    mean, lo, hi = mean_ci(samples)
    # one float block (rows, 3 x columns), each column followed by its bounds: one constructor
    # call without a column-by-column dict (half the time of a KPI table)
    block = np.stack([mean, lo, hi], axis=2).reshape(mean.shape[0], 3 * len(columns))
    labels = [label for column in columns for label in (column, f"{column}_ci_low", f"{column}_ci_high")]
    return pd.DataFrame(block, index=pd.Index(list(names), name=index_name), columns=labels)
