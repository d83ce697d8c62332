"""Time vectorized Erlang staffing: required agents for 1,000 queues x 96 intervals.

    python benchmarks/bench_erlang.py
"""

from __future__ import annotations

import time

import numpy as np

from ccsim import erlang


def main(queues: int = 1000, intervals: int = 96) -> None:
    rng = np.random.default_rng(7)
    rate_per_hour = rng.uniform(5, 3000, (queues, intervals))
    aht = rng.uniform(120, 600, (queues, intervals))
    cases = {
        "Erlang C service level 80/20": lambda: erlang.agents_for_service_level(rate_per_hour, aht, 0.8, 20),
        "Erlang C 80/20, occupancy <= 85%": lambda: erlang.agents_for_service_level(
            rate_per_hour, aht, 0.8, 20, max_occupancy=0.85),
        "Erlang C ASA <= 15 s": lambda: erlang.agents_for_asa(rate_per_hour, aht, 15),
        "Erlang C evaluation (P(wait), SL, ASA)": lambda: (
            erlang.erlang_c(rate_per_hour * aht / 3600, 400), erlang.service_level(rate_per_hour, aht, 400, 20),
            erlang.asa(rate_per_hour, aht, 400)),
        "Erlang A abandon <= 5% (patience 120 s)": lambda: erlang.agents_for_abandon_rate(
            rate_per_hour, aht, 0.05, 120),
        "Erlang A service level 80/20 (patience 120 s)": lambda: erlang.agents_for_service_level(
            rate_per_hour, aht, 0.8, 20, patience=120),
    }
    print(f"{queues} queues x {intervals} intervals = {queues * intervals:,} values")
    for name, run in cases.items():
        start = time.perf_counter()
        run()
        print(f"  {name:<48} {time.perf_counter() - start:7.3f} s")


if __name__ == "__main__":
    main()
