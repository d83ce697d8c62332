from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from ccsim.model.replication import _busy_until
from ccsim.stats import mean_ci


def test_mean_ci_is_student_t():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    mean, lo, hi = mean_ci(x)
    half = stats.t.ppf(0.975, 3) * x.std(ddof=1) / 2
    assert mean == pytest.approx(3.5) and lo == pytest.approx(3.5 - half) and hi == pytest.approx(3.5 + half)


def test_mean_ci_ignores_nan_replications_and_needs_two():
    mean, lo, hi = mean_ci(np.array([[1.0, np.nan], [3.0, 5.0]]))
    assert mean[0] == 2.0 and mean[1] == 5.0 and np.isnan(lo[1]) and np.isnan(hi[1])


def test_busy_time_clips_services_to_windows():
    start = np.array([0.0, 5.0, 12.0])
    end = np.array([10.0, 15.0, 13.0])
    t = np.array([0.0, 5.0, 10.0, 20.0])
    # before t: [0,0], [0..5] -> 5, [0..10] 10 + 5 = 15, all: 10 + 10 + 1 = 21
    np.testing.assert_allclose(_busy_until(start, end, np.ones(3), t), [0, 5, 15, 21])
    # a chat held as one of three counts a third of an agent
    np.testing.assert_allclose(_busy_until(start, end, np.array([1.0, 1 / 3, 1.0]), t), [0, 5, 10 + 5 / 3, 10 + 10 / 3 + 1])
