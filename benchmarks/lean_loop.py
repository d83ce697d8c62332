"""A lean pure-Python event loop of M/M/c+M: the ceiling ccsim's engine is measured against.

Arrival, handle and patience times are drawn up front with numpy and merged in time order with
a heap of service completions; waiting contacts sit in one FCFS deque and abandonment is lazy (a
contact whose patience ran out is skipped when an agent looks, and counted as abandoned then).
One record per contact (wait, answered) in plain lists. No features beyond the model: it is the
speed a single-queue engine in Python can reach, not a simulator.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush

import numpy as np

THRESHOLD_S = 20.0  # service-level threshold, seconds


def simulate_lean(rate_per_hour: float, aht_s: float, agents: int, patience_s: float,
                  hours: float, seed: int) -> dict:
    """KPIs of M/M/c+M over `hours` hours (Poisson arrivals, exponential handle and patience in s),
    with the same end-of-horizon rules and service-level definition as `naive_simpy`."""
    rng = np.random.default_rng(seed)
    end_s = hours * 3600.0
    n = rng.poisson(rate_per_hour * hours)
    arrival = np.sort(rng.random(n) * end_s).tolist()
    handle = rng.exponential(aht_s, n).tolist()
    deadline = (np.asarray(arrival) + rng.exponential(patience_s, n)).tolist()
    wait = [0.0] * n
    answered = [False] * n
    done = [False] * n            # left the line: answered or abandoned
    free = agents
    departures: list[float] = []
    line: deque[int] = deque()
    i = 0
    while True:
        next_arrival = arrival[i] if i < n else end_s
        if departures and departures[0] <= next_arrival:
            now = heappop(departures)
            while line:
                k = line.popleft()
                if deadline[k] > now:
                    wait[k] = now - arrival[k]
                    answered[k] = done[k] = True
                    heappush(departures, now + handle[k])
                    break
                wait[k] = deadline[k] - arrival[k]
                done[k] = True
            else:
                free += 1
            continue
        if i == n:
            break
        if free:
            free -= 1
            answered[i] = done[i] = True
            heappush(departures, next_arrival + handle[i])
        else:
            line.append(i)
        i += 1
    for k in line:                # still in line at the end: abandoned if patience ran out, else waiting
        if deadline[k] <= end_s:
            wait[k] = deadline[k] - arrival[k]
            done[k] = True
        else:
            wait[k] = end_s - arrival[k]
    waits = np.asarray(wait)
    answered_ = np.asarray(answered)
    abandoned = np.asarray(done) & ~answered_
    within = waits <= THRESHOLD_S
    return {
        "contacts": n,
        "answered": int(answered_.sum()),
        "abandoned": int(abandoned.sum()),
        "in_system": int(n - answered_.sum() - abandoned.sum()),
        "service_level": float((answered_ & within).sum() / (n - (abandoned & within).sum())),
        "abandon_rate": float(abandoned.sum() / n),
        "asa_s": float(waits[answered_].mean()),
    }


if __name__ == "__main__":
    print(simulate_lean(rate_per_hour=540, aht_s=300, agents=50, patience_s=300, hours=24, seed=1))
