"""Engine speed on M/M/c+M against a naive SimPy model and a lean event loop, at several sizes.

    .venv/bin/python benchmarks/bench_speed.py [--agents 10 50 200 1000] [--rounds 3]
        [--contacts 110000] [--tree old=../ccsim-old ...] [--scenarios hotline omnichannel after_sales]
        [--clock cpu|wall] [--cold]

Load 0.95 (handle 300 s, patience 600 s), about `--contacts` contacts per run, one core. Each
measurement runs in a fresh subprocess and times only the simulation (imports excluded); the
competitors are interleaved round by round so a busy machine slows them alike; with `--clock cpu`
(the default) a run's time is the CPU time of its process, which other jobs on a shared machine
disturb far less than the wall-clock time (`--clock wall`). Before the timed run each process
makes an untimed warm-up run of the same model at a small size (M/M/c+M: about 2,000 contacts; a
scenario: one replication), so one-time set-up (pandas building its first string column sets up
pyarrow: about 20 ms; first-use caches) is not counted as simulation; `--cold` times the first
run instead. ccsim's time
includes building its KPI tables (`res.kpis`, `res.groups`, `res.intervals`). `--tree NAME=PATH`
adds ccsim from another checkout (e.g. a git worktree of an older commit) as a competitor.
Prints min and median contacts/s per competitor and the ratios of medians. With `--tree`, a
second table times the bundled multi-skill and flow scenarios (`--scenarios`, 4 replications
each, KPI tables included) in offered legs (queue visits in the measured period) per second,
ccsim against each tree.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
AHT_S, PATIENCE_S, LOAD, SEED = 300.0, 600.0, 0.95, 1
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def model_size(agents: int, contacts: int) -> tuple[float, int]:
    """Arrivals per hour and a horizon in hours (whole days beyond a day) giving about `contacts`
    contacts at load LOAD."""
    rate = LOAD * agents * 3600.0 / AHT_S
    hours = max(1, round(contacts / rate))
    return rate, hours if hours <= 24 else 24 * round(hours / 24)


def ccsim_scenario(rate: float, agents: int, hours: int) -> dict:
    horizon = {"start": "00:00", "end": f"{min(hours, 24):02d}:00", "days": max(1, hours // 24)}
    return {
        "name": "M/M/c+M benchmark", "horizon": horizon, "interval": "60m", "warmup": 0,
        "queues": {"q": {"arrivals": {"per_hour": rate},
                         "handle_time": {"dist": "exponential", "mean": AHT_S},
                         "patience": {"dist": "exponential", "mean": PATIENCE_S}}},
        "agent_groups": {"agents": {"skills": ["q"], "staff": agents}},
    }


WARMUP_CONTACTS = 2_000


def measure(model: str, agents: int, contacts: int, clock=time.process_time, warm: bool = True) -> dict:
    """Run one model once in this process: seconds spent (by `clock`) and contacts simulated;
    `warm`: after an untimed run of about WARMUP_CONTACTS contacts."""
    if warm:
        measure(model, agents, min(contacts, WARMUP_CONTACTS), clock, warm=False)
    rate, hours = model_size(agents, contacts)
    if model == "ccsim":
        import ccsim
        import ccsim.simulate  # noqa: F401  (imports pandas and scipy, outside the timing like every import)

        sc = ccsim.Scenario.model_validate(ccsim_scenario(rate, agents, hours))
        start = clock()
        res = ccsim.simulate(sc, replications=1, seed=SEED)
        res.kpis, res.groups, res.intervals
        seconds = clock() - start
        return {"seconds": seconds, "contacts": int(res.kpis.loc["q", "offered"])}
    sys.path.insert(0, str(HERE))
    if model == "naive":
        from naive_simpy import simulate_naive as run
    else:
        from lean_loop import simulate_lean as run
    start = clock()
    out = run(rate, AHT_S, agents, PATIENCE_S, hours, SEED)
    return {"seconds": clock() - start, "contacts": out["contacts"]}


def measure_scenario(name: str, clock=time.process_time, warm: bool = True) -> dict:
    """Run a bundled scenario (4 replications, KPI tables) once: seconds (by `clock`) and legs
    simulated; `warm`: after an untimed run of one replication."""
    import warnings

    import ccsim
    import ccsim.simulate  # noqa: F401

    warnings.simplefilter("ignore")
    sc = ccsim.load_scenario(HERE.parent / "scenarios" / f"{name}.yml")
    if warm:
        res = ccsim.simulate(sc, replications=1, seed=SEED)
        res.kpis, res.groups, res.intervals
    start = clock()
    res = ccsim.simulate(sc, replications=4, seed=SEED)
    res.kpis, res.groups, res.intervals
    seconds = clock() - start
    return {"seconds": seconds, "contacts": round(res.kpis.loc["ALL", "offered"] * res.replications)}


def in_subprocess(model: str, tree: str | None, agents: int | str, contacts: int, clock: str, cold: bool) -> dict:
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [tree, env.get("PYTHONPATH")]))
    out = subprocess.run([sys.executable, __file__, "--clock", clock, *(["--cold"] if cold else []),
                          "--one", model, str(agents), str(contacts)],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, nargs="*", default=[10, 50, 200, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--contacts", type=int, default=110_000)
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=PATH",
                        help="also time ccsim from the checkout at PATH, shown as NAME")
    parser.add_argument("--scenarios", nargs="*", default=["hotline", "omnichannel", "after_sales"])
    parser.add_argument("--clock", choices=CLOCKS, default="cpu",
                        help="time runs by their process's CPU time (default) or by the wall clock")
    parser.add_argument("--cold", action="store_true",
                        help="time each process's first run (one-time set-up included), with no warm-up run")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        model, agents, contacts = args.one
        clock = CLOCKS[args.clock]
        warm = not args.cold
        print(json.dumps(measure_scenario(agents, clock, warm) if model == "scenario"
                         else measure(model, int(agents), int(contacts), clock, warm)))
        return
    here = str(HERE.parent)
    competitors = [("ccsim", "ccsim", here)] + [("ccsim", *t.split("=", 1)) for t in args.tree] + \
        [("naive", "naive SimPy", None), ("lean", "lean loop", None)]
    timed = "first run of each process" if args.cold else "after a warm-up run"
    if args.agents:
        print(f"M/M/c+M, load {LOAD}, handle {AHT_S:g} s, patience {PATIENCE_S:g} s, ~{args.contacts:,} contacts, "
              f"{args.rounds} interleaved rounds, one core, {args.clock} time, {timed}; contacts/s min / median")
        header = f"{'agents':>7}" + "".join(f"{name:>24}" for _, name, _ in competitors)
        print(header + "".join(f"{'ccsim/' + name:>20}" for _, name, _ in competitors[1:]))
    for agents in args.agents:
        speed: dict[str, list[float]] = {name: [] for _, name, _ in competitors}
        for _ in range(args.rounds):
            for model, name, tree in competitors:
                out = in_subprocess(model, tree, agents, args.contacts, args.clock, args.cold)
                speed[name].append(out["contacts"] / out["seconds"])
        medians = {name: statistics.median(v) for name, v in speed.items()}
        cells = "".join(f"{f'{min(v):,.0f} / {medians[name]:,.0f}':>24}" for name, v in speed.items())
        base = medians["ccsim"]
        print(f"{agents:>7}" + cells + "".join(f"{base / medians[name]:>19.2f}x" for _, name, _ in competitors[1:]))
    trees = competitors[:1 + len(args.tree)]
    if len(trees) > 1 and args.scenarios:
        if args.agents:
            print()
        print(f"bundled scenarios, 4 replications incl. KPI tables, {args.rounds} interleaved rounds, {args.clock} time, "
              f"{timed}; legs/s min / median")
        print(f"{'scenario':>12}" + "".join(f"{name:>24}" for _, name, _ in trees)
              + "".join(f"{'ccsim/' + name:>20}" for _, name, _ in trees[1:]))
        for scenario in args.scenarios:
            speed = {name: [] for _, name, _ in trees}
            for _ in range(args.rounds):
                for _, name, tree in trees:
                    out = in_subprocess("scenario", tree, scenario, 0, args.clock, args.cold)
                    speed[name].append(out["contacts"] / out["seconds"])
            medians = {name: statistics.median(v) for name, v in speed.items()}
            cells = "".join(f"{f'{min(v):,.0f} / {medians[name]:,.0f}':>24}" for name, v in speed.items())
            print(f"{scenario:>12}" + cells + "".join(f"{medians['ccsim'] / medians[name]:>19.2f}x"
                                                      for _, name, _ in trees[1:]))


if __name__ == "__main__":
    main()
