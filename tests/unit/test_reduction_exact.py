"""The reduction's shortcuts give numpy's own numbers bit for bit: percentiles (np.percentile,
method "linear") and sums over pooled rows (each name's `values[rows].sum()`)."""

import numpy as np
import pytest

from ccsim.kpis.parts import pooled, row_percentiles
from ccsim.kpis.quantiles import Sample, linear_percentiles
from ccsim.kpis.tally import tally


@pytest.mark.parametrize("n", [1, 2, 3, 7, 8, 9, 20, 101, 1000])
@pytest.mark.parametrize("q", [[50, 90, 95], [90], [0, 100], [12.5, 33.3, 99.9, 100, 0.1]])
def test_linear_percentiles_are_numpys(n, q):
    rng = np.random.default_rng(n)
    for values in (rng.exponential(300.0, n), rng.integers(0, 4, n).astype(float), np.zeros(n),
                   np.round(rng.exponential(30.0, n), 2)):
        got = linear_percentiles(values.copy(), q)
        assert got.dtype == np.float64
        np.testing.assert_array_equal(got, np.percentile(values, q))


def test_linear_percentiles_with_nan_are_nan_like_numpy():
    values = np.array([3.0, np.nan, 1.0])
    assert np.isnan(linear_percentiles(values, [50, 90])).all()


def test_row_percentiles_share_rows_of_the_same_samples():
    rng = np.random.default_rng(3)
    samples = [Sample(rng.exponential(60.0, 50)), Sample(), Sample(rng.exponential(60.0, 7))]
    rows = [np.array([0]), np.array([0, 1]), np.array([1]), np.array([0, 1, 2])]
    got = row_percentiles(samples, rows, [50, 90, 95], cap=1000)
    every = np.concatenate([samples[0]._arrays[0], samples[2]._arrays[0]])
    expected = [np.percentile(samples[0]._arrays[0], [50, 90, 95])] * 2 + [[np.nan] * 3] + \
        [np.percentile(every, [50, 90, 95])]
    np.testing.assert_array_equal(got, np.array(expected))


def test_pooled_sums_are_each_names_own_sums():
    rng = np.random.default_rng(4)
    sums = {name: rng.exponential(1e5, 40) * rng.choice([1.0, 1e-7, 1e9], 40) for name in "abcde"}
    rows = [np.arange(k) for k in range(1, 40, 3)] + [rng.choice(40, 17, replace=False), np.array([5])]
    got = pooled(sums, rows)
    for name, values in sums.items():
        np.testing.assert_array_equal(got[name], np.array([values[r].sum() for r in rows]))
    assert pooled(sums, [])["a"].shape == (0,)


@pytest.mark.parametrize("n_rows", [1, 3, 400])
def test_tally_counts_every_row_and_combination_on_both_paths(n_rows):
    """Few rows x combinations count every combination at once, many compact the combinations
    first (n_rows 400 x 80 combinations is past 4 x 200 items): both give the same table."""
    rng = np.random.default_rng(n_rows)
    n = 200
    row = rng.integers(0, n_rows + 1, n)
    kind, flag, rare = rng.integers(0, 5, n), rng.random(n) < 0.4, np.zeros(n, dtype=bool)
    table, grid = tally(row, n_rows, {"kind": kind, "flag": flag, "rare": rare})
    combos = sorted({(k, f, r) for k, f, r in zip(kind.tolist(), flag.tolist(), rare.tolist())})
    assert list(zip(grid["kind"].tolist(), grid["flag"].tolist(), grid["rare"].tolist())) == combos
    assert grid["flag"].dtype == bool and grid["kind"].dtype == kind.dtype
    expected = [[np.sum((row == r) & (kind == k) & (flag == f) & (rare == x)) for k, f, x in combos]
                for r in range(n_rows)]
    np.testing.assert_array_equal(table, np.array(expected, dtype=float))


def test_interval_entered_is_the_binary_search_it_replaces():
    from ccsim.kpis.intervals import _entered

    rng = np.random.default_rng(5)
    for trial in range(300):
        starts = np.unique(rng.integers(0, 50, rng.integers(1, 8))).astype(float)
        enqueue = rng.integers(-5, 60, rng.integers(0, 40)).astype(float)
        if trial % 3 == 0 and enqueue.size:
            enqueue[rng.integers(0, enqueue.size)] = np.nan
        got = _entered(starts, enqueue, np.argsort(enqueue, kind="stable"))
        np.testing.assert_array_equal(got, np.clip(np.searchsorted(starts, enqueue, side="right") - 1, 0,
                                                   starts.size - 1))


@pytest.mark.parametrize("n_times", [5, 300])
def test_reached_counts_as_the_binary_search_does(n_times):
    """Both ways of counting legs done waiting by each time (a binary search each; one pass for
    legs done before the next time, with NaN, inf and out-of-order ends) give the same counts."""
    from ccsim.kpis.intervals import _reached

    rng = np.random.default_rng(n_times)
    for trial in range(40):
        n = 16 * n_times + int(rng.integers(0, 50))
        enqueue = np.sort(rng.integers(0, 400, n)).astype(float)
        until = enqueue + rng.integers(-1, 30, n)
        until[rng.random(n) < 0.02] = np.nan
        until[rng.random(n) < 0.02] = np.inf
        times = rng.integers(-5, 420, n_times).astype(float)
        order = np.argsort(times, kind="stable")
        expected = np.empty(n_times, dtype=np.int64)
        expected[order] = np.cumsum(np.bincount(np.searchsorted(times[order], until, side="left"),
                                                minlength=n_times + 1))[:n_times]
        np.testing.assert_array_equal(_reached(enqueue, until, times), expected)


def test_format_clocks_is_format_clock_of_each():
    from ccsim.units import format_clock, format_clocks

    seconds = np.concatenate([np.arange(0, 3 * 86400, 30.0), np.arange(0, 7200, 0.5) + 0.25,
                              [29.999999, 30.0, 90.0, 150.0, 86400 * 5 + 1830.0]])
    labels = format_clocks(seconds)
    assert labels == [format_clock(s) for s in seconds.tolist()]
    assert labels[:3] == ["00:00", "00:00", "00:01"] and format_clock(90.0) == "00:02"     # half to even
