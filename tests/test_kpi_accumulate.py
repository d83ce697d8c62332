"""A replication's KPIs accumulated from chunks of whole customers equal those of the whole
replication on every bundled scenario: counts, shares of counts and percentiles exactly, sums of
seconds, hours and money within rtol 1e-12 (they are added in another order)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import ccsim
from ccsim.kpis import KpiAccumulator, registry
from ccsim.kpis.intervals import backlog, interval_parts
from ccsim.kpis.quantiles import RELATIVE_ERROR, Sample
from ccsim.kpis.reduce import summarize
from ccsim.model.plan import compile_plan
from ccsim.model.replication import run_replication
from tests.chunking import split_into_chunks

SCENARIOS = sorted(Path("scenarios").glob("*.yml"))
PERCENTILES = {"wait_p50", "wait_p90", "wait_p95", "resolution_p90"}
# shares whose numerator and denominator are both counts: as exact as the counts
COUNT_SHARES = {"service_level", "abandon_rate", "transfer_rate", "fcr", "callback_within_due", "resolved",
                "transferred", "escalated", "within_limit", "within_promise", "contacts_per_customer"}
COUNT_UNITS = {"contacts", "items", "customers", "breaks", "intervals"}


def level_of(key: tuple) -> str:
    return {"queue_kpis": "queue", "channel_kpis": "channel", "pilot_queue_kpis": "queue",
            "interval_kpis": "interval", "group_kpis": "group", "cost_kpis": "cost", "customer_kpis": "customer",
            "stage_kpis": "stage", "process_kpis": "process"}[key[0]]


def assert_same_kpis(whole: dict, chunked: dict) -> None:
    """Counts, shares of counts and percentiles bit for bit, the rest within rtol 1e-12."""
    assert chunked.keys() == whole.keys()
    for key, expected in whole.items():
        level = level_of(key)
        for column, name in enumerate(registry.names(level)):
            exact = name in PERCENTILES or name in COUNT_SHARES or registry.kpi(name, level).unit in COUNT_UNITS
            got, want = chunked[key][..., column], expected[..., column]
            if exact:
                np.testing.assert_array_equal(got, want, err_msg=f"{key} {name}")
            else:
                np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9, err_msg=f"{key} {name}")


def accumulated(plan, chunks, cap=None) -> KpiAccumulator:
    acc = KpiAccumulator(plan) if cap is None else KpiAccumulator(plan, cap=cap)
    for chunk in chunks:
        acc.add(chunk)
    return acc


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_chunks_of_whole_customers_give_the_kpis_of_the_whole_replication(path):
    plan = compile_plan(ccsim.load_scenario(path))
    rec = run_replication(plan, 5, 0)
    summarize(plan, rec)
    assert rec.contacts["kind"].size > 100
    for n_chunks, seed, by_arrival in ((3, 1, False), (8, 2, True)):
        chunks = split_into_chunks(rec, n_chunks, seed, by_arrival)
        assert sum(c.legs["queue"].size for c in chunks) == rec.legs["queue"].size
        acc = accumulated(plan, chunks)
        assert_same_kpis(rec.kpi_cache, acc.kpi_cache())
        reduced = acc.reduced(rec.replication)
        assert reduced.legs is None and reduced.returns_pending == rec.returns_pending
        np.testing.assert_array_equal(reduced.breaks, rec.breaks)
        np.testing.assert_allclose(reduced.busy_s, rec.busy_s, rtol=1e-12)


def test_empty_chunks_and_one_chunk_per_few_customers():
    plan = compile_plan(ccsim.load_scenario("scenarios/tiered_support.yml"))
    rec = run_replication(plan, 2, 1)
    summarize(plan, rec)
    chunks = split_into_chunks(rec, 400, seed=3)
    empty = dataclasses.replace(chunks[0], **{table: {k: v[:0] for k, v in getattr(chunks[0], table).items()}
                                              for table in ("legs", "contacts", "stages")},
                                busy_s=0 * rec.busy_s, present_s=0 * rec.present_s, off_s=0 * rec.off_s,
                                break_s=0 * rec.break_s, breaks=0 * rec.breaks, returns_pending=0)
    chunks = [empty, *chunks, empty]
    assert_same_kpis(rec.kpi_cache, accumulated(plan, chunks).kpi_cache())


def test_a_chunk_of_customers_arriving_in_one_day_touches_only_the_intervals_they_waited_in():
    plan = compile_plan(ccsim.load_scenario("scenarios/omnichannel.yml"))
    rec = run_replication(plan, 4, 0)
    chunks = split_into_chunks(rec, 28, seed=5, by_arrival=True)
    windows = [interval_parts(plan, chunk.legs).window for chunk in chunks]
    assert all(rows == plan.n_intervals for _, _, rows in windows)
    assert max(stop - start for start, stop, _ in windows[:-1]) < plan.n_intervals / 3
    assert_same_kpis(accumulated(plan, [rec]).kpi_cache(), accumulated(plan, chunks).kpi_cache())


def test_a_window_holds_every_interval_whose_backlog_a_chunk_touches():
    """A leg entering exactly at an interval's start waits at the previous interval's end too."""
    plan = compile_plan(ccsim.load_scenario("scenarios/hotline.yml"))
    legs = {name: values[:40].copy() for name, values in run_replication(plan, 1, 0).legs.items()}
    shift = plan.interval_start[5] - legs["enqueue_s"][0]                    # the first enters at 10:30
    for times in ("enqueue_s", "answer_s", "end_s"):
        legs[times] = legs[times] + shift
    parts = interval_parts(plan, legs)
    assert parts.window[0] == 4
    ends = plan.interval_start + plan.interval_s
    counts, ages = backlog(plan, legs, np.concatenate([plan.interval_start, ends]), total=False)
    whole = parts.whole()
    np.testing.assert_array_equal(whole.sums["backlog_start"], counts[:plan.n_intervals])
    np.testing.assert_array_equal(whole.sums["backlog_end"], counts[plan.n_intervals:])
    np.testing.assert_array_equal(whole.maxima["oldest_age_end"], ages[plan.n_intervals:])


def test_percentiles_past_the_cap_are_the_same_however_chunked():
    """Past the cap a row's waits go to the histogram, whose counts do not depend on the chunks."""
    plan = compile_plan(ccsim.load_scenario("scenarios/hotline.yml"))
    rec = run_replication(plan, 1, 0)
    whole = accumulated(plan, [rec], cap=200)
    chunked = accumulated(plan, split_into_chunks(rec, 5, seed=4), cap=200)
    assert not whole.parts["queue"].samples["wait"][0].exact
    assert_same_kpis(whole.kpi_cache(), chunked.kpi_cache())
    exact = accumulated(plan, [rec]).kpis("queue_kpis")
    p90 = registry.index("queue", "wait_p90")
    np.testing.assert_allclose(whole.kpis("queue_kpis")[:, p90], exact[:, p90], rtol=RELATIVE_ERROR, atol=1e-6)


def test_histogram_percentiles_within_the_stated_error():
    rng = np.random.default_rng(7)
    waits = np.concatenate([np.zeros(60_000), rng.lognormal(3.0, 1.5, 240_000), rng.exponential(0.01, 1000)])
    rng.shuffle(waits)
    q = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100]
    sample = Sample(cap=1000)
    for block in np.array_split(waits, 37):
        sample.add(Sample(block, cap=1000))
    assert not sample.exact and sample.size == waits.size
    expected = np.percentile(waits, q)
    got = sample.percentile(q)
    np.testing.assert_allclose(got, expected, rtol=RELATIVE_ERROR, atol=1e-6)
    assert np.abs(got - expected).max() > 0          # a histogram, not the values
    assert Sample.union([Sample(waits[:500]), Sample(waits[500:900])]).percentile(q).tolist() == \
        np.percentile(waits[:900], q).tolist()        # within the cap: exact


def test_bad_percentile_values_and_empty_samples():
    with pytest.raises(ValueError, match="seconds from 0"):
        Sample(np.array([1.0, -2.0]), cap=1)
    assert np.isnan(Sample().percentile([50, 90])).all()
    with pytest.raises(ValueError, match="no chunk"):
        KpiAccumulator(compile_plan(ccsim.load_scenario("scenarios/hotline.yml"))).kpi_cache()
