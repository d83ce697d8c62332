"""Write the notebooks in this folder from the cell sources below (run: python notebooks/build_notebooks.py).

Keeping the sources here gives reviewable diffs; the tests execute the .ipynb files.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

ERLANG_VS_SIMULATION = [
    ("md", """# Erlang versus simulation

This notebook uses ccsim's Python API end to end:

1. Erlang C and Erlang A curves (service level, waiting, abandonment) against the number of agents;
2. the same single-queue systems **simulated**, with 95% confidence intervals, on top of the curves;
3. a multi-skill center that no Erlang formula describes — and what the simulation says about it.

Everything runs in well under a minute."""),
    ("code", """import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

import ccsim
from ccsim import erlang

pd.set_option("display.precision", 3)"""),
    ("md", """## 1. The analytic curves

200 calls per hour, 3 minutes average handle time: an offered load of 10 Erlangs. The service level is
the share answered within 20 seconds. Erlang C assumes nobody hangs up; Erlang A lets callers abandon
after an exponential patience (mean 2 minutes here)."""),
    ("code", """rate, aht, threshold, patience = 200, 180, 20, 120
agents = np.arange(9, 19)
curves = pd.DataFrame({
    "agents": agents,
    "erlang_c_sl": erlang.service_level(rate, aht, agents, threshold),
    "erlang_c_asa": erlang.asa(rate, aht, agents),
    "erlang_a_sl": erlang.erlang_a(rate, aht, agents, patience, threshold)["service_level"],
    "erlang_a_abandon": erlang.erlang_a(rate, aht, agents, patience, threshold)["p_abandon"],
})
print("agents needed for 80/20, Erlang C:", erlang.agents_for_service_level(rate, aht, 0.8, threshold))
print("agents needed for 80/20, Erlang A:", erlang.agents_for_service_level(rate, aht, 0.8, threshold, patience=patience))
curves"""),
    ("md", """Note the Erlang C row for 9 and 10 agents: the load (10 Erlangs) meets the agents, the queue
grows without bound, and the formulas give the defined answer (service level 0, infinite ASA) instead of
an error. With abandonment, the system is always stable."""),
    ("md", """## 2. The same systems, simulated

A continuous 24-hour day with a 2-hour warmup, 10 replications per staffing level. `res.kpis` holds
the mean of each KPI over replications and its 95% confidence interval."""),
    ("code", """def single_queue(n_agents, patience_s=None):
    queue = {"arrivals": {"per_hour": rate},
             "handle_time": {"dist": "exponential", "mean": aht},
             "service_level": {"threshold": threshold, "target": 0.8}}
    if patience_s:
        queue["patience"] = {"dist": "exponential", "mean": patience_s}
    return ccsim.load_scenario({
        "name": f"M/M/{n_agents}" + ("+M" if patience_s else ""),
        "horizon": {"start": "00:00", "end": "24:00"}, "interval": "60m", "warmup": "2h",
        "queues": {"calls": queue},
        "agent_groups": {"agents": {"skills": ["calls"], "staff": int(n_agents)}},
    })

rows = []
for n in [11, 12, 13, 14, 16]:
    for model, p in (("erlang_c", None), ("erlang_a", patience)):
        k = ccsim.simulate(single_queue(n, p), replications=10, seed=1).kpis.loc["calls"]
        rows.append({"agents": n, "model": model, "sl": k.service_level,
                     "sl_lo": k.service_level_ci_low, "sl_hi": k.service_level_ci_high,
                     "abandon": k.abandon_rate})
sim = pd.DataFrame(rows)
sim"""),
    ("code", """fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(curves.agents, curves.erlang_c_sl, label="Erlang C (no abandonment)")
ax.plot(curves.agents, curves.erlang_a_sl, label="Erlang A (mean patience 2 min)")
for model, marker in (("erlang_c", "o"), ("erlang_a", "s")):
    s = sim[sim.model == model]
    ax.errorbar(s.agents, s.sl, yerr=[s.sl - s.sl_lo, s.sl_hi - s.sl], fmt=marker, capsize=3,
                label=f"simulated, {model.replace('_', ' ').title()} system (95% CI)")
ax.axhline(0.8, color="grey", linestyle=":", label="target 80%")
ax.set_xlabel("agents")
ax.set_ylabel("service level (share answered within 20 s)")
ax.set_title("200 calls/h, AHT 3 min: analytic curves and simulation")
ax.legend(fontsize=8)
plt.show()"""),
    ("md", """The simulated points sit on the analytic curves within their confidence intervals — the test suite
checks exactly this with 99% intervals at loads 0.7 and 0.95."""),
    ("md", """## 3. What Erlang cannot answer: a multi-skill center

Two queues — *billing* (priority 1) and *tech* — and three groups: billing specialists, tech specialists,
and a small pool of generalists who serve both, preferring billing. Erlang treats each queue alone; it
has no formula for shared agents, priorities across queues or skill ranks."""),
    ("code", """multi = ccsim.load_scenario({
    "name": "two queues, shared generalists",
    "horizon": {"start": "08:00", "end": "18:00"}, "interval": "60m",
    "queues": {
        "billing": {"arrivals": {"per_hour": 120}, "priority": 1,
                    "handle_time": {"dist": "lognormal", "mean": 240, "cv": 0.8},
                    "patience": {"dist": "exponential", "mean": 180}},
        "tech": {"arrivals": {"per_hour": 80}, "priority": 2,
                 "handle_time": {"dist": "gamma", "mean": 420, "cv": 1.0},
                 "patience": {"dist": "exponential", "mean": 240}},
    },
    "agent_groups": {
        "billing_team": {"skills": ["billing"], "staff": 7, "cost_per_hour": 30},
        "tech_team": {"skills": ["tech"], "staff": 8, "cost_per_hour": 36},
        "generalists": {"skills": {"billing": 1, "tech": 2}, "staff": 3, "cost_per_hour": 40},
    },
})
res = ccsim.simulate(multi, replications=10, seed=3)
res.kpis[["offered", "service_level", "service_level_ci_low", "service_level_ci_high", "asa", "abandon_rate"]]"""),
    ("code", """res.groups[["occupancy", "handled", "staffed_hours", "cost"]]"""),
    ("md", """Erlang's per-queue view, for comparison: each queue alone with only its specialists, or with all
generalists added to it (which double-counts them)."""),
    ("code", """for q, own, load in (("billing", 7, (120, 240, 180)), ("tech", 8, (80, 420, 240))):
    r, a, p = load
    alone = erlang.erlang_a(r, a, own, p, 20)["service_level"]
    with_all = erlang.erlang_a(r, a, own + 3, p, 20)["service_level"]
    print(f"{q:8s} Erlang A alone: {alone:.1%}   with all 3 generalists: {with_all:.1%}   "
          f"simulated: {res.kpis.loc[q, 'service_level']:.1%}")"""),
    ("md", """The simulated service levels fall between the two Erlang bounds and depend on the routing policy
and priorities — the kind of answer the simulation exists for."""),
]


def build(cells, path: Path) -> None:
    nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


if __name__ == "__main__":
    build(ERLANG_VS_SIMULATION, HERE / "erlang_vs_simulation.ipynb")
