"""Backends: the same seed gives bit-identical results (simulate, compare, staff, sweep) whether
replications run here, on two local processes or on a Dask cluster (a LocalCluster of two worker
processes on 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pandas as pd
import pytest
import yaml

import ccsim
from ccsim.arguments import ArgumentError
from ccsim.errors import CcsimError
from ccsim.executors import connect
from tests.badinput.cli import TIMEOUT_S, assert_clean_error, run_cli
from tests.badinput.test_outputs_cli import LONG_YAML
from tests.conftest import BASE_YAML

distributed = pytest.importorskip("distributed")

SMALL = ccsim.load_scenario({**yaml.safe_load(BASE_YAML), "replications": 4, "seed": 11})
MORE_STAFF = SMALL.model_copy(update={"name": "more staff", "agent_groups": {
    "generalists": SMALL.agent_groups["generalists"].model_copy(update={"staff": 8})}})


def _runs(**backend) -> dict:
    """What simulate, compare and staff return on one backend, as tables."""
    res = ccsim.simulate(SMALL, **backend)
    comparison = ccsim.compare([SMALL, MORE_STAFF], **backend)
    staffing = ccsim.staff(SMALL, method="simulate", replications=2, max_iterations=3, **backend)
    grid = ccsim.sweep(SMALL, ["agent_groups.generalists.staff=5,7"], replications=3, **backend)
    return {"kpis": res.kpis, "groups": res.groups, "intervals": res.intervals, "compare": comparison.table,
            "staff": staffing.groups, "history": staffing.search.history, "sweep": grid.table}


@pytest.fixture(scope="module")
def local() -> dict:
    """The runs on this process and on two local processes, done before the cluster's threads start
    (the local pool forks this process)."""
    return {"workers=1": _runs(), "workers=2": _runs(workers=2)}


@pytest.fixture(scope="module")
def cluster(local):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster, set_as_default=False) as client:
        yield client


def test_results_are_bit_identical_on_every_backend(local, client):
    runs = {**local, "dask": _runs(executor=client)}
    base = runs["workers=1"]
    assert (base["kpis"].loc["ALL", "offered"] > 0) and len(base["history"]) >= 1
    for name, tables in runs.items():
        for table, frame in tables.items():
            pd.testing.assert_frame_equal(frame, base[table], check_exact=True, obj=f"{name} {table}")


def test_records_from_the_cluster_equal_the_local_records(client):
    here = ccsim.simulate(SMALL, replications=3, records=2)
    there = ccsim.simulate(SMALL, replications=3, records=2, executor=client)
    for table in ("contacts", "legs"):
        assert set(getattr(there, table).replication) == {0, 1}
        pd.testing.assert_frame_equal(getattr(there, table), getattr(here, table), check_exact=True)


def test_progress_is_reported_once_per_replication_on_dask(client):
    seen = []
    ccsim.simulate(SMALL, replications=3, executor=client, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_cli_on_a_scheduler_prints_what_the_local_run_prints(cluster, write_scenario):
    args = ("run", write_scenario(), "-r", "3", "-s", "4", "-f", "csv")
    here = run_cli(*args)
    there = run_cli(*args, env={"CCSIM_SCHEDULER": cluster.scheduler_address})
    assert here.returncode == 0 and there.returncode == 0, there.stderr
    assert there.stdout == here.stdout and "service_level" in here.stdout


def _scheduler_tasks(client) -> int:
    return client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))


def _wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + TIMEOUT_S          # a guard against hangs, not a timing assertion
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_ctrl_c_exits_130_and_leaves_no_replication_on_the_cluster(cluster, client, write_scenario):
    assert _scheduler_tasks(client) == 0
    process = subprocess.Popen([sys.executable, "-m", "ccsim", "run", str(write_scenario(LONG_YAML)), "-r", "20",
                                "--scheduler", cluster.scheduler_address], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        _wait_for(lambda: _scheduler_tasks(client) > 0 or process.poll() is not None, "no replication reached the cluster")
        os.killpg(process.pid, signal.SIGINT)         # as a terminal's Ctrl-C: the whole process group
        stdout, stderr = process.communicate(timeout=TIMEOUT_S)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130 and stderr.strip() == "interrupted", stderr
    _wait_for(lambda: _scheduler_tasks(client) == 0, "replications left on the cluster after Ctrl-C")


def test_bad_executor_and_workers_with_a_client_are_argument_errors(client):
    with pytest.raises(ArgumentError, match="executor must be None, 'local' or a dask.distributed.Client, got str"):
        ccsim.simulate(SMALL, executor="tcp://127.0.0.1:8786")
    with pytest.raises(ArgumentError, match="workers must be 1 with a Dask client"):
        ccsim.compare([SMALL, MORE_STAFF], workers=2, executor=client)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_scheduler_is_a_clean_error_naming_it(write_scenario):
    path, address = write_scenario(), f"tcp://127.0.0.1:{_closed_port()}"
    assert_clean_error(run_cli("run", path, "--scheduler", address), f"--scheduler {address}: cannot reach",
                       "dask scheduler")
    assert_clean_error(run_cli("staff", path, "-m", "simulate", env={"DASK_SCHEDULER_ADDRESS": address}), address)
    assert_clean_error(run_cli("compare", path, path, "--scheduler", "nohost:port"), "expected a scheduler address")


def test_without_distributed_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)       # import distributed now fails
    with pytest.raises(CcsimError, match=r"pip install 'ccsim\[dask\]'"):
        with connect("tcp://127.0.0.1:8786"):
            pass
