"""Measure what the size estimates of `ccsim.budget` assume: memory per contact, interval and
agent, and contacts simulated per second.

    .venv/bin/python benchmarks/bench_sizes.py

Each case runs in a fresh process (`ccsim.simulate` and the KPI tables `ccsim run` prints) and
reports its peak resident memory and wall time; the costs are differences between cases, so
the interpreter and library baseline cancels out.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

CASE = """
import json, resource, sys, time
import ccsim
spec = json.loads(sys.argv[1])
sc = ccsim.Scenario.model_validate({
    "name": "size benchmark", "horizon": {"start": "00:00", "end": "24:00", "days": spec["days"]},
    "queues": {"q": {"arrivals": {"per_hour": spec["per_hour"]},
                     "handle_time": {"dist": "exponential", "mean": spec["aht_s"]},
                     "patience": {"dist": "exponential", "mean": 120}}},
    "agent_groups": {"g": {"skills": ["q"], "staff": spec["agents"]}}})
start = time.perf_counter()
res = ccsim.simulate(sc, replications=spec["replications"], seed=1)
res.kpis, res.groups, res.intervals
contacts = round(res.kpis.loc["ALL", "offered"] * res.replications)
print(json.dumps({"contacts": contacts, "seconds": time.perf_counter() - start,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

CASES = {
    "baseline": dict(days=1, per_hour=10, aht_s=60, agents=2, replications=1),
    "contacts x1": dict(days=1, per_hour=20000, aht_s=18, agents=120, replications=1),
    "contacts x4": dict(days=1, per_hour=20000, aht_s=18, agents=120, replications=4),
    "intervals": dict(days=2000, per_hour=0.001, aht_s=60, agents=2, replications=2),
    "agents": dict(days=1, per_hour=10, aht_s=60, agents=200000, replications=1),
}


def run(spec: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CASE, json.dumps(spec)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    got = {name: run(spec) for name, spec in CASES.items()}
    for name, r in got.items():
        print(f"{name:<12} {r['contacts']:>9} contacts {r['seconds']:8.2f} s  peak {r['peak_kb'] / 1024:8.1f} MB")
    base, one, four = got["baseline"], got["contacts x1"], got["contacts x4"]
    per_rep = one["contacts"]
    print(f"peak per contact of one replication: {(one['peak_kb'] - base['peak_kb']) * 1024 / per_rep:.0f} B")
    print(f"kept per further replication (its KPIs): {(four['peak_kb'] - one['peak_kb']) * 1024 / 3:.0f} B")
    print(f"contacts per second: {four['contacts'] / four['seconds']:.0f}")
    spec = CASES["intervals"]
    n = 48 * spec["days"] * spec["replications"]
    print(f"per interval (and replication): {(got['intervals']['peak_kb'] - base['peak_kb']) * 1024 / n:.0f} B, "
          f"{got['intervals']['seconds'] / n * 1e6:.1f} us")
    agents = CASES["agents"]["agents"]
    print(f"per agent: {(got['agents']['peak_kb'] - base['peak_kb']) * 1024 / agents:.0f} B, "
          f"{(got['agents']['seconds'] - base['seconds']) / agents * 1e6:.2f} us")


if __name__ == "__main__":
    main()
