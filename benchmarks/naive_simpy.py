"""A textbook SimPy model of M/M/c+M, the baseline ccsim's engine is benchmarked against.

One process per contact, a `simpy.Resource` for the agents, patience as a race between the
agent request and a timeout (`env.any_of`), random numbers drawn one at a time, and one
record per contact appended to plain lists. Deliberately conventional: not to be optimized.
"""

from __future__ import annotations

import numpy as np
import simpy

THRESHOLD_S = 20.0  # service-level threshold, seconds


def simulate_naive(rate_per_hour: float, aht_s: float, agents: int, patience_s: float,
                   hours: float, seed: int) -> dict:
    """KPIs of M/M/c+M over `hours` hours: Poisson arrivals, exponential handle time and patience (s).

    Arrivals stop and the run ends at the horizon, as in ccsim: contacts still waiting are
    `in_system`, contacts in service count as answered. Service level follows ccsim's default
    definition: answered within 20 s / (contacts - abandoned within 20 s).
    """
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    agents_pool = simpy.Resource(env, capacity=agents)
    arrival_s: list[float] = []
    wait_s: list[float] = []
    outcome: list[str] = []
    handle_s: list[float] = []
    offered = 0

    def contact(patience: float):
        arrived = env.now
        request = agents_pool.request()
        fired = yield env.any_of([request, env.timeout(patience)])
        arrival_s.append(arrived)
        wait_s.append(env.now - arrived)
        if request in fired:
            handle = rng.exponential(aht_s)
            outcome.append("answered")
            handle_s.append(handle)
            yield env.timeout(handle)
            agents_pool.release(request)
        else:
            request.cancel()
            outcome.append("abandoned")
            handle_s.append(np.nan)

    def source():
        nonlocal offered
        while True:
            yield env.timeout(rng.exponential(3600.0 / rate_per_hour))
            offered += 1
            env.process(contact(rng.exponential(patience_s)))

    env.process(source())
    env.run(until=hours * 3600.0)

    waits = np.asarray(wait_s)
    answered = np.asarray(outcome) == "answered"
    within = waits <= THRESHOLD_S
    n_answered = int(answered.sum())
    n_abandoned = len(outcome) - n_answered
    return {
        "contacts": offered,
        "answered": n_answered,
        "abandoned": n_abandoned,
        "in_system": offered - len(outcome),
        "service_level": float((answered & within).sum() / (offered - (~answered & within).sum())),
        "abandon_rate": n_abandoned / offered,
        "asa_s": float(waits[answered].mean()),
    }


if __name__ == "__main__":
    print(simulate_naive(rate_per_hour=540, aht_s=300, agents=50, patience_s=300, hours=24, seed=1))
