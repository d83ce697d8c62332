"""Benchmark ccsim's engine against a textbook SimPy model on M/M/c+M.

    .venv/bin/python benchmarks/bench_engine.py [--hours H] [--repeat R] [--naive-repeat R]

c = 50 agents at load 0.9 (540 contacts/h, exponential handle time of mean 300 s) with
exponential patience of mean 300 s, one replication over a continuous 24-hour horizon.
Both timings include full per-contact records (ccsim: building `Results.contacts`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))  # fallback when ccsim is not installed

import ccsim  # noqa: E402
from ccsim.erlang import erlang_a  # noqa: E402
from naive_simpy import simulate_naive  # noqa: E402

RATE_PER_HOUR = 540.0
AHT_S = 300.0
AGENTS = 50
PATIENCE_S = 300.0
SEED = 1


def scenario(hours: int) -> ccsim.Scenario:
    """M/M/c+M as a ccsim scenario over `hours` hours (a whole number of 24-hour days)."""
    return ccsim.Scenario.model_validate({
        "name": "M/M/c+M benchmark",
        "horizon": {"start": "00:00", "end": "24:00", "days": hours // 24},
        "warmup": 0,
        "queues": {"q": {
            "arrivals": {"per_hour": RATE_PER_HOUR},
            "handle_time": {"dist": "exponential", "mean": AHT_S},
            "patience": {"dist": "exponential", "mean": PATIENCE_S},
        }},
        "agent_groups": {"agents": {"skills": ["q"], "staff": AGENTS}},
    })


def run_ccsim(sc: ccsim.Scenario) -> dict:
    """KPIs of one ccsim replication; builds the per-contact DataFrame so the work is comparable."""
    res = ccsim.simulate(sc, replications=1, seed=SEED, workers=1, records=True)
    row = res.kpis.loc["q"]
    return {"contacts": len(res.contacts), "offered": int(row["offered"]),
            "service_level": row["service_level"], "abandon_rate": row["abandon_rate"]}


def best_of(repeat: int, fn, *args) -> tuple[float, dict]:
    """Shortest wall time (s) over `repeat` calls and the result of the last one."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(*args)
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=384, help="horizon in hours, a multiple of 24 (default 384)")
    parser.add_argument("--repeat", type=int, default=3, help="ccsim runs, best time kept (default 3)")
    parser.add_argument("--naive-repeat", type=int, default=1, help="naive SimPy runs (default 1: slow)")
    args = parser.parse_args()
    if args.hours < 24 or args.hours % 24:
        parser.error("--hours must be a positive multiple of 24")

    sc = scenario(args.hours)
    t_cc, cc = best_of(args.repeat, run_ccsim, sc)
    assert cc["contacts"] == cc["offered"], cc
    t_nv, nv = best_of(args.naive_repeat, simulate_naive,
                       RATE_PER_HOUR, AHT_S, AGENTS, PATIENCE_S, args.hours, SEED)

    print(f"M/M/c+M: c={AGENTS}, {RATE_PER_HOUR:g}/h, AHT {AHT_S:g} s, patience {PATIENCE_S:g} s, "
          f"{args.hours} h, seed {SEED}")
    print(f"{'model':<26}{'contacts':>10}{'seconds':>10}{'contacts/s':>12}{'abandon':>9}{'SL(20s)':>9}")
    rows = [(f"ccsim (best of {args.repeat})", cc, t_cc), (f"naive SimPy (best of {args.naive_repeat})", nv, t_nv)]
    for name, out, seconds in rows:
        print(f"{name:<26}{out['contacts']:>10}{seconds:>10.2f}{out['contacts'] / seconds:>12,.0f}"
              f"{out['abandon_rate']:>9.2%}{out['service_level']:>9.2%}")
    theory = erlang_a(RATE_PER_HOUR, AHT_S, AGENTS, PATIENCE_S, 20.0)
    print(f"{'Erlang A (analytic)':<58}{theory['p_abandon']:>9.2%}{theory['service_level']:>9.2%}")
    ratio = (cc["contacts"] / t_cc) / (nv["contacts"] / t_nv)
    print(f"throughput ccsim / naive: {ratio:.1f}x")
    gap_pp = abs(cc["abandon_rate"] - nv["abandon_rate"]) * 100
    verdict = "OK" if gap_pp <= 2.0 else "MISMATCH"
    print(f"sanity: abandon rates differ by {gap_pp:.2f} pp (limit 2 pp): {verdict}")


if __name__ == "__main__":
    main()
