"""Time of reducing one replication to its KPIs (`ccsim.kpis.reduce.summarize`), against other checkouts.

    .venv/bin/python benchmarks/bench_summarize.py [--contacts 110000] [--rounds 5] [--repeats 5]
        [--tree old=../ccsim-old ...] [--scenario scenarios/after_sales.yml]

One replication of M/M/c+M (200 agents, load 0.95, handle 300 s, patience 600 s, about
`--contacts` contacts), or of `--scenario`, is simulated once per round in a fresh process of each
tree; `summarize` then runs `--repeats` times on it (each with an empty KPI cache) and the round
keeps its fastest. Trees are interleaved round by round so a busy machine slows them alike.
Prints per tree the min and median over rounds (CPU seconds of the process) and the ratio of
medians to the first tree (this checkout).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def measure(contacts: int, repeats: int, scenario: str | None) -> dict:
    """In this process: simulate one replication, then the fastest of `repeats` summaries (CPU s)."""
    import dataclasses

    import ccsim
    from ccsim.kpis.reduce import summarize
    from ccsim.model.replication import run_replication
    from ccsim.model.plan import compile_plan

    if scenario is None:
        agents, aht_s = 200, 300.0
        rate = 0.95 * agents * 3600.0 / aht_s
        hours = max(1, round(contacts / rate))
        sc = ccsim.load_scenario({
            "name": "M/M/c+M", "horizon": {"start": "00:00", "end": f"{min(hours, 24):02d}:00",
                                            "days": max(1, hours // 24)},
            "interval": "60m", "warmup": 0,
            "queues": {"q": {"arrivals": {"per_hour": rate}, "handle_time": {"dist": "exponential", "mean": aht_s},
                             "patience": {"dist": "exponential", "mean": 600.0}}},
            "agent_groups": {"agents": {"skills": ["q"], "staff": agents}}})
    else:
        sc = ccsim.load_scenario(scenario)
    plan = compile_plan(sc)
    rec = run_replication(plan, 1, 0)
    times = []
    for _ in range(repeats):
        fresh = dataclasses.replace(rec, kpi_cache={})
        start = time.process_time()
        summarize(plan, fresh)
        times.append(time.process_time() - start)
    return {"seconds": min(times), "legs": int(rec.legs["queue"].size)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=110_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scenario", default=None, help="a scenario file instead of M/M/c+M")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.contacts, args.repeats, args.scenario)))
        return
    trees = {"ccsim": HERE.parent, **{name: Path(path).resolve() for name, path in
                                      (spec.split("=", 1) for spec in args.tree)}}
    seconds: dict[str, list[float]] = {name: [] for name in trees}
    legs = 0
    for _ in range(args.rounds):
        for name, tree in trees.items():
            command = [sys.executable, str(Path(__file__).resolve()), "--child", "--contacts", str(args.contacts),
                       "--repeats", str(args.repeats)] + (["--scenario", args.scenario] if args.scenario else [])
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run(command, env=env, cwd=tree, check=True, capture_output=True, text=True).stdout
            result = json.loads(out.splitlines()[-1])
            seconds[name].append(result["seconds"])
            legs = result["legs"]
    print(f"summarize of one replication ({legs:,} legs), {args.rounds} interleaved rounds, best of "
          f"{args.repeats} per round; CPU seconds min / median")
    base = statistics.median(seconds["ccsim"])
    for name, values in seconds.items():
        median = statistics.median(values)
        print(f"  {name:10s} {min(values):7.4f} / {median:7.4f} s   {median / base:5.2f}x this checkout")


if __name__ == "__main__":
    main()
