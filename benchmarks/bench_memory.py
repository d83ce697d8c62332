"""Peak memory of `ccsim run`-like work against the horizon and the replications.

    .venv/bin/python benchmarks/bench_memory.py [--days 1 7 30 365] [--replications 1] [--workers 1]
        [--per-hour 1000] [--records]

A 1,000-calls/h center (`--per-hour`; handle 300 s, patience 600 s, agents for a load of 0.93)
over `--days` days: each case
runs in a fresh process (`ccsim.simulate` with records off, then the KPI tables `ccsim run`
prints) and reports contacts, wall time and peak resident memory (the process's, plus its
worker processes' with `--workers` > 1).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

CASE = """
import json, resource, sys, time
import ccsim
days, replications, workers, per_hour, records = json.loads(sys.argv[1])
sc = ccsim.Scenario.model_validate({
    "name": "memory benchmark", "horizon": {"start": "00:00", "end": "24:00", "days": days}, "interval": "30m",
    "queues": {"q": {"arrivals": {"per_hour": per_hour},
                     "handle_time": {"dist": "exponential", "mean": 300},
                     "patience": {"dist": "exponential", "mean": 600}}},
    "agent_groups": {"g": {"skills": ["q"], "staff": round(per_hour * 300 / 3600 / 0.926)}}})
start = time.perf_counter()
res = ccsim.simulate(sc, replications=replications, seed=1, workers=workers, force=True, records=records)
res.kpis, res.groups, res.intervals, res.days
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
parquet = sum(f.stat().st_size for f in res.record_store.folder.rglob("*.parquet")) if records else 0
print(json.dumps({"contacts": round(res.kpis.loc["ALL", "offered"] * replications),
                  "seconds": time.perf_counter() - start, "peak_mb": peak / 1024, "parquet_mb": parquet / 1e6}))
"""


def run(days: int, replications: int, workers: int, per_hour: float, records: bool = False) -> dict:
    out = subprocess.run([sys.executable, "-c", CASE, json.dumps([days, replications, workers, per_hour, records])],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, nargs="+", default=[1, 7, 30, 365])
    parser.add_argument("--replications", type=int, nargs="+", default=[1])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--per-hour", type=float, default=1000.0, help="calls per hour")
    parser.add_argument("--records", action="store_true", help="keep every replication's records (Parquet)")
    args = parser.parse_args()
    extra = f" {'Parquet MB':>10}" if args.records else ""
    print(f"{'days':>5} {'replications':>12} {'contacts':>12} {'seconds':>8} {'peak MB':>8}{extra}")
    for replications in args.replications:
        for days in args.days:
            r = run(days, replications, args.workers, args.per_hour, args.records)
            extra = f" {r['parquet_mb']:>10.0f}" if args.records else ""
            print(f"{days:>5} {replications:>12} {r['contacts']:>12,} {r['seconds']:>8.1f} {r['peak_mb']:>8.0f}{extra}")


if __name__ == "__main__":
    main()
