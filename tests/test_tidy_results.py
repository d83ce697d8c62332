"""Tidy results for researchers: per-replication KPIs, the long frame, Parquet tables with their
provenance, and a provenance that reproduces the run."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.kpis import LEVELS, queue_kpis


@pytest.fixture(scope="module")
def res():
    return ccsim.simulate("scenarios/after_sales.yml", replications=3, seed=5)


def test_per_replication_has_one_row_per_replication_level_name_and_kpi(res):
    frame = res.per_replication
    plan = res.plan
    queues = frame[frame.level == "queue"]
    assert len(queues) == 3 * (plan.n_queues + 1) * len(LEVELS["queue"])
    assert not frame.duplicated(["replication", "level", "name", "kpi"]).any()
    # values are each replication's own, counted independently from its KPI arrays
    row = [*plan.queue_names, "ALL"].index("ALL")
    sl = list(LEVELS["queue"]).index("service_level")
    for r, rec in enumerate(res.records):
        got = queues[(queues.replication == r) & (queues.name == "ALL") & (queues.kpi == "service_level")].value
        assert got.item() == queue_kpis(plan, rec)[row, sl]
    # their means are the wide tables' means
    means = frame.groupby(["level", "name", "kpi"], observed=True).value.mean()
    assert means["queue", "ALL", "asa"] == pytest.approx(res.kpis.loc["ALL", "asa"], rel=1e-12)
    assert means["group", "ALL", "occupancy"] == pytest.approx(res.groups.loc["ALL", "occupancy"], rel=1e-12)
    assert set(frame[frame.kpi == "service_level"].unit) == {"share"}
    assert {"stage", "process", "customer", "cost"} <= set(frame.level)


def test_long_frame_and_interval_times(res):
    long = res.long
    assert list(long.columns) == ["level", "name", "kpi", "mean", "ci_low", "ci_high", "unit"]
    row = long[(long.level == "queue") & (long.name == "ALL") & (long.kpi == "asa")].iloc[0]
    assert (row["mean"], row.ci_low) == (res.kpis.loc["ALL", "asa"], res.kpis.loc["ALL", "asa_ci_low"])
    intervals = res.intervals
    assert intervals.time.dtype.kind == "m"
    first = intervals.iloc[0]
    assert first.time == pd.Timedelta(first.start + ":00") + pd.Timedelta(days=int(first.day) - 1)


def test_provenance_reproduces_the_results(res):
    p = res.provenance
    assert p["seed"] == 5 and p["replications"] == 3 and p["ccsim"] == ccsim.__version__
    assert len(p["scenario_sha256"]) == 64
    again = ccsim.simulate(ccsim.load_scenario(yaml.safe_load(p["scenario"])), replications=p["replications"],
                           seed=p["seed"])
    pd.testing.assert_frame_equal(again.kpis, res.kpis, check_exact=True)
    pd.testing.assert_frame_equal(again.processes, res.processes, check_exact=True)


def test_to_parquet_writes_every_table_with_provenance(res, tmp_path):
    written = res.to_parquet(tmp_path)
    names = sorted(p.stem for p in written)
    assert names == sorted(["kpis", "channels", "groups", "customers", "costs", "intervals", "days",
                            "group_intervals", "stages", "processes", "per_replication", "long"])
    kpis = pd.read_parquet(tmp_path / "kpis.parquet")
    pd.testing.assert_frame_equal(kpis, res.kpis)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "per_replication.parquet"), res.per_replication)
    meta = json.loads(pq.read_schema(tmp_path / "intervals.parquet").metadata[b"ccsim"])
    assert meta["scenario_sha256"] == res.provenance["scenario_sha256"] and meta["seed"] == 5


def test_cli_parquet_format_and_provenance_in_json(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", "scenarios/hotline.yml", "-r", "2", "-s", "3", "-f", "parquet",
                                       "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (out / "kpis.parquet").exists() and not list(out.glob("*.csv"))
    summary = json.loads((out / "summary.json").read_text())
    assert summary["provenance"]["seed"] == 3
    kpis = pd.read_parquet(out / "kpis.parquet")
    np.testing.assert_allclose(kpis.loc["ALL", "service_level"], summary["kpis"]["ALL"]["service_level"]["mean"])
    refused = CliRunner().invoke(main, ["run", "scenarios/hotline.yml", "-r", "1", "-f", "parquet"])
    assert refused.exit_code == 2 and "--format parquet writes Parquet files and needs --out DIR" in refused.output


def test_results_show_as_html_in_notebooks(res):
    html = res._repr_html_()
    assert "after" in html.lower() and "3 replications, seed 5" in html and "<table" in html
