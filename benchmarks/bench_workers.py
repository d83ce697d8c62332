"""How replications scale over workers: one worker against two local processes (and, with --dask,
a Dask LocalCluster of two worker processes) for 8 replications of a 7-day center.

    .venv/bin/python benchmarks/bench_workers.py [--rounds 3] [--dask]

The center: one queue of 1,000 calls/h around the clock (exponential handle time 300 s, patience
600 s) and 90 agents, 7 days, about 168,000 calls per replication. Each case runs in a fresh
process and times `ccsim.simulate` (the replications, each reduced to its KPIs where it ran, and
the KPI table) after a one-day warm-up run on the same backend (imports), interleaved round by
round; the speed-up is the ratio of medians. Two workers can only reach 2x on two idle cores: the
machine's load average (`uptime`) is printed before and after, since other jobs on the machine
take cores away.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CASE = """
import json, resource, sys, time
import ccsim
spec = json.loads(sys.argv[1])
def center(days):
    return ccsim.Scenario.model_validate({
        "name": "7-day center", "horizon": {"start": "00:00", "end": "24:00", "days": days},
        "queues": {"calls": {"arrivals": {"per_hour": spec["per_hour"]},
                             "handle_time": {"dist": "exponential", "mean": 300},
                             "patience": {"dist": "exponential", "mean": 600}}},
        "agent_groups": {"team": {"skills": ["calls"], "staff": spec["agents"]}}})

def cpu_s():
    return sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))

def simulate(sc, replications, **backend):     # the offered contacts of all queues, averaged over replications
    return float(ccsim.simulate(sc, replications=replications, seed=1, force=True, **backend).kpis.loc["ALL", "offered"])

def timed(**backend):
    simulate(center(1), 2, **backend)     # imports done before the clock starts
    start, cpu = time.perf_counter(), cpu_s()
    offered = simulate(center(spec["days"]), spec["replications"], **backend)
    return time.perf_counter() - start, cpu_s() - cpu, offered

if spec["backend"] == "dask":
    from distributed import Client, LocalCluster
    with LocalCluster(n_workers=spec["workers"], threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        seconds, cpu, offered = timed(executor=client)
        cpu = None                      # the cluster's worker processes are not children that ended yet
else:
    seconds, cpu, offered = timed(workers=spec["workers"])
print(json.dumps({"seconds": seconds, "cpu_s": cpu, "offered": offered}))
"""


def run(spec: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CASE, json.dumps(spec)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def load() -> str:
    return "load average {:.2f}, {:.2f}, {:.2f}".format(*os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--replications", type=int, default=8)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--per-hour", type=float, default=1000.0)
    parser.add_argument("--agents", type=int, default=90)
    parser.add_argument("--dask", action="store_true", help="also a Dask LocalCluster of two worker processes")
    args = parser.parse_args()
    base = dict(days=args.days, per_hour=args.per_hour, agents=args.agents, replications=args.replications)
    cases = {"1 worker": dict(backend="local", workers=1), "2 workers": dict(backend="local", workers=2)}
    if args.dask:
        cases["dask, 2 workers"] = dict(backend="dask", workers=2)
    print(f"{os.cpu_count()} cores; before: {load()}")
    times: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    offered: dict[str, float] = {}
    for _ in range(args.rounds):
        for name, case in cases.items():
            got = run({**base, **case})
            times[name].append(got["seconds"])
            cpu[name] += [got["cpu_s"]] if got["cpu_s"] is not None else []
            offered[name] = got["offered"]
    print(f"after: {load()}")
    if len(set(offered.values())) != 1:
        raise SystemExit(f"results differ between backends: {offered}")
    one, one_cpu = statistics.median(times["1 worker"]), statistics.median(cpu["1 worker"])
    returned = "their KPIs, then the KPI table"
    print(f"{args.replications} replications of {args.days} days, {args.per_hour:g} calls/h, {args.agents} agents "
          f"(~{offered['1 worker']:,.0f} calls each) returning {returned}; {args.rounds} interleaved rounds; "
          "wall seconds min / median, CPU seconds of the process and its workers (median)")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        work = f"CPU {statistics.median(cpu[name]):6.2f} s" if cpu[name] else "CPU      - "
        print(f"  {name:<16} {min(seconds):7.2f} / {median:7.2f} s   speed-up {one / median:4.2f}x   {work}".rstrip())
    if cpu["2 workers"]:
        work = statistics.median(cpu["2 workers"])
        print(f"on two idle cores 2 workers could reach at most {2 * one_cpu / work:4.2f}x "
              f"(the same work split in two: 2 x {one_cpu:.2f} / {work:.2f} CPU seconds)")


if __name__ == "__main__":
    main()
