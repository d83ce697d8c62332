"""Where the replications of a compiled plan run: in this process, on a pool of local processes,
or on a Dask cluster (`dask.distributed.Client`).

This module owns the dispatch only: it runs `replicate(plan, seed, r)` (by default a
replication reduced to its KPIs, `ccsim.kpis.reduce.reduced_replication`) for r in a range, of
one plan or of several (the points of a sweep), and yields each result with its indices as
replications finish, in any order. What a replication returns is opaque here (it only has to
pickle). Replication r draws from the random streams of (seed, r) alone, so the results never
depend on the backend or the number of workers. Workers receive each plan once (inherited by
forked processes, or scattered to every Dask worker), not once per replication. Ctrl-C (or an
error) cancels the replications not yet started.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ccsim import arguments
from ccsim.errors import CcsimError
from ccsim.kpis.reduce import reduced_replication

if TYPE_CHECKING:
    from distributed import Client

    from ccsim.model.plan import Plan

LOCAL = "local"
Executor = Any                      # None, "local" or a dask.distributed.Client
Progress = Callable[[int, int], None]
Replicate = Callable[["Plan", int, int], Any]    # (plan, seed, replication) -> what a replication returns
CONNECT_TIMEOUT_S = 10.0
INSTALL_HINT = "pip install 'ccsim[dask]'"


def check(executor: Executor, workers: int = 1) -> Executor:
    """`executor` (None for "local") if it is one ccsim can run on, with `workers` that fit it;
    raises ArgumentError naming the argument otherwise. With a Dask client the cluster's
    workers run the replications, so `workers` must stay 1."""
    if executor is None or executor == LOCAL:
        return None
    if not is_cluster(executor):
        raise arguments.ArgumentError(
            f"executor must be None, {LOCAL!r} or a dask.distributed.Client, got {type(executor).__name__}")
    if workers != 1:
        raise arguments.ArgumentError(
            f"workers must be 1 with a Dask client (its cluster's workers run the replications), got {workers}")
    return executor


def is_cluster(executor: Executor) -> bool:
    """Is `executor` a Dask client (replications run on its cluster's workers)?"""
    distributed = sys.modules.get("distributed")     # a Client exists only once distributed is imported
    return distributed is not None and isinstance(executor, distributed.Client)


def size_workers(executor: Executor, workers: int) -> int:
    """The replications held in this process at once, for size estimates: `workers` locally; with
    a cluster the replications in progress live on its workers, so one (the one being received)."""
    return 1 if is_cluster(executor) else workers


def collect(plan: Plan, seed: int, replications: int, executor: Executor = None, workers: int = 1,
            progress: Progress | None = None, replicate: Replicate = reduced_replication,
            receive: Callable[[Any], Any] | None = None) -> list[Any]:
    """The results of replications 0 .. `replications` - 1 of `plan`, in replication order, each
    passed through `receive` as it arrives (e.g. to write its records and let them go);
    `progress(done, total)` after each one."""
    results: list[Any] = [None] * replications
    with closing(run([plan], seed, replications, executor, workers, replicate)) as finished:
        for done, (_, r, result) in enumerate(finished, start=1):
            results[r] = result if receive is None else receive(result)
            if progress:
                progress(done, replications)
    return results


def run(plans: Sequence[Plan], seed: int, replications: int, executor: Executor = None, workers: int = 1,
        replicate: Replicate = reduced_replication) -> Iterator[tuple[int, int, Any]]:
    """(p, r, replicate(plans[p], seed, r)) for replications r = 0 .. `replications` - 1 of every
    plan, as they finish, each plan's in turn: serially when `workers` is 1 (or there is one
    replication), on `workers` local processes, or on the Dask cluster of `executor`. All of them
    are queued at once, so the workers stay busy from one plan to the next. `replicate` must
    pickle (a module-level function, or a functools.partial of one)."""
    tasks = [(p, r) for p in range(len(plans)) for r in range(replications)]
    if is_cluster(executor):
        yield from _on_dask(executor, plans, seed, tasks, replicate)
    elif workers == 1 or len(tasks) == 1:
        for p, r in tasks:
            yield p, r, replicate(plans[p], seed, r)
    else:
        yield from _on_processes(plans, seed, tasks, min(workers, len(tasks)), replicate)


_plans: Sequence[Plan] = ()         # a local worker process's plans and replication function, set once
_replicate_plan: Replicate = reduced_replication


def _start_worker(plans: Sequence[Plan], replicate: Replicate) -> None:
    """Keep the plans for every replication this process runs; leave Ctrl-C to the parent, which
    cancels what is left and stops the workers."""
    global _plans, _replicate_plan
    _plans, _replicate_plan = plans, replicate
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _replicate(p: int, seed: int, r: int) -> Any:
    return _replicate_plan(_plans[p], seed, r)


def _on_processes(plans: Sequence[Plan], seed: int, tasks: list[tuple[int, int]], workers: int,
                  replicate: Replicate) -> Iterator[tuple[int, int, Any]]:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(plans, replicate))
    try:
        futures = {pool.submit(_replicate, p, seed, r): (p, r) for p, r in tasks}
        for future in as_completed(futures):
            yield *futures[future], future.result()
    finally:            # on Ctrl-C or an error, queued replications are dropped, not run
        pool.shutdown(cancel_futures=True)


def _on_dask(client: Client, plans: Sequence[Plan], seed: int, tasks: list[tuple[int, int]],
             replicate: Replicate) -> Iterator[tuple[int, int, Any]]:
    from distributed import as_completed as finished

    shared = client.scatter(list(plans), broadcast=True, hash=False)
    futures = {client.submit(replicate, shared[p], seed, r, pure=False): (p, r) for p, r in tasks}
    try:
        for future in finished(list(futures), loop=client.loop):
            try:
                result = future.result()
            except ModuleNotFoundError as exc:
                raise CcsimError(f"the Dask workers cannot import {exc.name!r}: install ccsim on every worker "
                                 f"({INSTALL_HINT}), the same version as here") from None
            future.release()
            yield *futures[future], result
    finally:            # on Ctrl-C or an error, replications not yet run are cancelled
        client.cancel([f for f in futures if not f.done()])
        for plan in shared:
            plan.release()


@contextmanager
def connect(address: str, option: str = "--scheduler") -> Iterator[Client]:
    """A Dask client of the scheduler at `address` (e.g. tcp://10.0.0.5:8786), closed on exit.
    Raises CcsimError naming `option` and the address when dask.distributed is not installed or
    the scheduler cannot be reached within CONNECT_TIMEOUT_S."""
    try:
        from distributed import Client
    except ImportError:
        raise CcsimError(f"{option} {address}: running on a Dask cluster needs dask.distributed; "
                         f"install it with: {INSTALL_HINT}") from None
    _reachable(address, option)
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:
        raise CcsimError(f"{option} {address}: cannot connect to the Dask scheduler ({exc}); "
                         "start one with `dask scheduler` and give its address, e.g. tcp://HOST:8786") from None
    try:
        yield client
    finally:
        client.close()


def _reachable(address: str, option: str) -> None:
    """Fail at once, not after the client's timeout, when nothing listens at a tcp:// address."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        host = port = None
    if parts.scheme != "tcp" or not host or port is None:
        if parts.scheme in ("tcp", ""):
            raise CcsimError(f"{option} {address}: expected a scheduler address such as tcp://HOST:8786")
        return                      # tls://, ws://, inproc://: left to the client
    try:
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        raise CcsimError(f"{option} {address}: cannot reach the Dask scheduler ({exc.strerror or exc}); "
                         "start one with `dask scheduler` and give its address, e.g. tcp://HOST:8786") from None
