"""What the engine's low-level paths gain: its Kernel and lanes against SimPy's public API alone.

    .venv/bin/python benchmarks/bench_kernel.py [--agents 10 200 1000] [--rounds 3] [--contacts 110000]

M/M/c+M as in bench_speed.py (load 0.95, handle 300 s, patience 600 s), the engine alone (one
replication's `Engine.run`, no KPI tables), best of `--rounds` interleaved runs of three variants:

- `kernel+lanes`: the engine as shipped (`ccsim/model/kernel.py`, `ccsim/model/lanes.py`);
- `kernel`: the same kernel, lanes off (every step through the engine's general path);
- `public API`: lanes off, and a kernel on SimPy's public API only (`PublicKernel`): one
  `env.timeout` with a callback per event, each fresh arrival an event, `Environment.run`.

Each variant must answer the same number of contacts (the runs differ only in how events are
scheduled, so they serve the same contacts in the same order). Prints seconds per variant and
the gains: public API / kernel (the kernel's), kernel / kernel+lanes (the lanes').
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ccsim  # noqa: E402
import ccsim.model.engine as engine_module  # noqa: E402
from bench_speed import SEED, ccsim_scenario, model_size  # noqa: E402
from ccsim.model import lanes  # noqa: E402
from ccsim.model.kernel import Kernel  # noqa: E402
from ccsim.model.plan import compile_plan  # noqa: E402
from ccsim.model.states import ANSWERED  # noqa: E402


class PublicChain:
    """`TimerChain` on the public API: every timer is its own SimPy event."""

    def __init__(self, kernel: "PublicKernel"):
        self._kernel = kernel

    def at(self, time_s: float, callback, value) -> bool:
        self._kernel.at(time_s - self._kernel.now, callback, value)
        return True

    def advance(self) -> None:
        pass

    def waiting(self) -> list:
        return []


class PublicKernel:
    """`Kernel`'s interface on SimPy's public API. `_heap` and `_ids` exist only because the
    engine's collaborators bind them when built; nothing may be pushed there (checked after `run`)."""

    def __init__(self, start_s: float):
        self.env = simpy.Environment(initial_time=start_s)
        self._heap: list = []
        self._ids = itertools.count()

    @property
    def now(self) -> float:
        return self.env.now

    def chain(self, matters) -> PublicChain:
        return PublicChain(self)

    def at(self, delay_s: float, callback, value) -> None:
        event = self.env.timeout(delay_s, value)
        event.callbacks.append(lambda e: callback(e.value))

    def at_each(self, callback, delays):
        for delay_s, value in delays:
            self.at(delay_s, callback, value)
        return lambda: None

    def run(self, until_s: float, arrival_s: list[float], arrive, values: list) -> None:
        n = sum(1 for t in arrival_s if t < until_s)
        arrives = itertools.repeat(arrive) if callable(arrive) else arrive
        calls = list(itertools.islice(zip(arrives, values), n))

        def next_arrival(i: int) -> None:
            if i + 1 < n:
                self.at(arrival_s[i + 1] - self.env.now, next_arrival, i + 1)
            call, value = calls[i]
            call(value)

        if n:
            self.at(arrival_s[0] - self.env.now, next_arrival, 0)
        self.env.run(until=until_s)
        if self._heap:
            raise RuntimeError("an engine step pushed onto the kernel's heap directly: this scenario "
                               "needs a code path PublicKernel cannot stand in for")

    def pending(self) -> list:
        return []


def run_engine(plan, variant: str) -> tuple[float, int]:
    """Seconds of one replication's `Engine.run` in `variant`, and the contacts answered."""
    shipped_usable = lanes.usable
    engine_module.Kernel = PublicKernel if variant == "public API" else Kernel
    if variant != "kernel+lanes":
        lanes.usable = lambda engine: False
    try:
        start = time.process_time()
        records = engine_module.Engine(plan, SEED, 0).run()
        seconds = time.process_time() - start
    finally:
        engine_module.Kernel, lanes.usable = Kernel, shipped_usable
    return seconds, int((records.legs["state"] == ANSWERED).sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agents", type=int, nargs="+", default=[10, 200, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--contacts", type=int, default=110_000)
    args = parser.parse_args()
    variants = ("kernel+lanes", "kernel", "public API")
    print(f"M/M/c+M engine only, ~{args.contacts:,} contacts, best of {args.rounds} interleaved rounds, CPU s")
    print(f"{'agents':>7}" + "".join(f"{v:>14}" for v in variants) + f"{'kernel gain':>13}{'lanes gain':>12}")
    for agents in args.agents:
        rate, hours = model_size(agents, args.contacts)
        plan = compile_plan(ccsim.Scenario.model_validate(ccsim_scenario(rate, agents, hours)))
        best: dict[str, float] = {}
        answered: set[int] = set()
        for _ in range(args.rounds):
            for variant in variants:
                seconds, served = run_engine(plan, variant)
                best[variant] = min(best.get(variant, float("inf")), seconds)
                answered.add(served)
        if len(answered) != 1:
            raise RuntimeError(f"the variants answered different numbers of contacts: {sorted(answered)}")
        print(f"{agents:>7}" + "".join(f"{best[v]:>14.3f}" for v in variants)
              + f"{best['public API'] / best['kernel']:>12.2f}x{best['kernel'] / best['kernel+lanes']:>11.2f}x")


if __name__ == "__main__":
    main()
