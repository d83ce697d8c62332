"""Engine run time on ccsim's Kernel against the same engine on SimPy's public API only.

    .venv/bin/python benchmarks/bench_kernel.py

The public-API kernel schedules one `env.timeout` per event with a callback, and each fresh
arrival as an event; ccsim's Kernel pushes plain heap entries and merges arrivals from their
sorted times. M/M/c+M as in bench_speed.py, engine only (no KPI tables), best of three each.
"""
import sys, time
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent))
import simpy, ccsim
import ccsim.model.engine as E
from bench_speed import ccsim_scenario, model_size
from ccsim.model.plan import compile_plan
from ccsim.model.kernel import Kernel

class PublicKernel:
    def __init__(self, start_s):
        self.env = simpy.Environment(initial_time=start_s)
    @property
    def now(self):
        return self.env.now
    def at(self, delay_s, callback, value):
        event = self.env.timeout(delay_s, value)
        event.callbacks.append(lambda e: callback(e.value))
    def run(self, until_s, arrival_s, arrive):
        n = len(arrival_s)
        def next_arrival(i):
            arrive(i)
            if i + 1 < n:
                self.at(arrival_s[i + 1] - self.env.now, next_arrival, i + 1)
        if n:
            self.at(arrival_s[0] - self.env.now, next_arrival, 0)
        self.env.run(until=until_s)

for c in (10, 200, 1000):
    rate, hours = model_size(c, 110000)
    plan = compile_plan(ccsim.Scenario.model_validate(ccsim_scenario(rate, c, hours)))
    out = {}
    for name, kernel in [("kernel", Kernel), ("public", PublicKernel)] * 3:
        E.Kernel = kernel
        t = time.perf_counter(); r = E.Engine(plan, 1, 0).run(); dt = time.perf_counter() - t
        out[name] = min(out.get(name, 9e9), dt)
        assert (r.legs["state"] >= 0).all()
    print(f"c={c}: engine with Kernel {out['kernel']:.3f} s, public API {out['public']:.3f} s: {out['public']/out['kernel']:.2f}x")
