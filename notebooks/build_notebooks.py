"""Write the notebooks in this folder from the cell sources below, executed and stored with their
outputs (tables and charts) so that they read on a repository page: `make notebooks`, i.e.
`python notebooks/build_notebooks.py --execute` (without --execute: sources only, no outputs).

Keeping the sources here gives reviewable diffs; tests/test_notebooks.py re-executes every notebook
and fails when a stored output differs from the fresh one (seeds are fixed, so outputs repeat).
"""

from __future__ import annotations

import os
import sys
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


PILOT_VS_ROLLOUT = [
    ("md", """# A billing training: pilot first, then rollout?

A manager's what-if, walked through with ccsim's Python API. The hotline (`scenarios/hotline.yml`) has a
billing queue where one call in five is not settled at the first contact, and most of those customers call
again hours later. A training programme promises billing calls **15% shorter** and **five points more
first-contact resolution**. Before training everybody, it is piloted on **20% of the agents**.

1. the baseline, the pilot and the rollout simulated with common random numbers;
2. what the pilot measured: pilot agents versus their colleagues in the same simulation;
3. what the rollout does at full scale, as paired differences with 95% confidence intervals;
4. cost-benefit: penalties saved, payback period, first-year net;
5. service level per interval, baseline against rollout.

The numbers are those of the README and of `ccsim compare scenarios/hotline.yml
scenarios/pilot_training.yml scenarios/rollout_training.yml`: the same scenarios, seed and replications."""),
    ("code", """import matplotlib.pyplot as plt
import pandas as pd

import ccsim
from ccsim.kpis import kpi

pd.set_option("display.precision", 3)
baseline = ccsim.load_scenario("../scenarios/hotline.yml")
pilot = ccsim.load_scenario("../scenarios/pilot_training.yml")
rollout = ccsim.load_scenario("../scenarios/rollout_training.yml")
print(pilot.pilot)
print(rollout.agent_groups["billing_team"].handle_time_factor, rollout.agent_groups["billing_team"].fcr_change)"""),
    ("md", """The pilot and the rollout are short files that `extends: hotline.yml`: the pilot names who tries the
change (`share: 0.2`) and the levers; the rollout puts the same levers on every agent group."""),
    ("md", """## 1. Three scenarios, one set of random numbers

`ccsim.compare` simulates every scenario with the same seed (the baseline's `seed: 42`, `replications: 20`,
as the CLI does): replication *r* of each sees the same calls, handle times and patience, so differences
are measured pairwise and their confidence intervals are narrow. `c.table` is tidy: one row per level,
name and KPI, with each KPI's unit."""),
    ("code", """c = ccsim.compare([baseline, pilot, rollout])
pilot_name, rollout_name = c.names[1:]
shown = c.table.query("(level == 'queue' and name in ['ALL', 'billing'] and "
                      "kpi in ['service_level', 'aht', 'offered_repeat', 'abandon_rate', 'asa'])"
                      " or (level == 'group' and name == 'ALL' and kpi == 'occupancy')"
                      " or (level == 'cost' and kpi == 'total_cost')")
shown[["level", "name", "kpi", "unit", c.names[0], pilot_name, f"{pilot_name} delta", f"{pilot_name} verdict",
       rollout_name, f"{rollout_name} delta", f"{rollout_name} verdict"]]"""),
    ("md", """## 2. What the pilot measured

Within the pilot scenario the pilot agents work beside the control agents, on the same calls. `res.pilot`
compares them pairwise: the training effect on the agents themselves is clear (billing AHT and FCR), while
the queue-wide service level barely moves — 20% of the agents cannot lift the whole queue."""),
    ("code", """piloted = c.results[1]
piloted.pilot"""),
    ("code", """piloted.groups[["handled", "aht", "fcr", "occupancy"]]"""),
    ("md", """## 3. The rollout at full scale

Paired differences to the baseline with their 95% confidence intervals. The KPI registry
(`ccsim.kpis.kpi(name, level)`) says which KPIs are shares, whose differences read as percentage points,
and the unit of every other one. Fewer repeat calls (the FCR lever) and shorter calls (the handle-time
lever) both free capacity: service level rises, abandonment falls."""),
    ("code", """queue_rows = shown[shown.level == "queue"].reset_index(drop=True)
declared = [kpi(k, level) for level, k in zip(queue_rows.level, queue_rows.kpi)]
scale = [100 if d.percent else 1 for d in declared]            # shares as percentage points
labels = [f"{d.label} ({name}, {d.delta_unit})" for d, name in zip(declared, queue_rows.name)]
fig, ax = plt.subplots(figsize=(8, 4), constrained_layout=True)
for offset, name, color in ((-0.15, pilot_name, "tab:orange"), (0.15, rollout_name, "tab:green")):
    delta = queue_rows[f"{name} delta"] * scale
    half = (queue_rows[f"{name} delta_ci_high"] - queue_rows[f"{name} delta_ci_low"]) * scale / 2
    ax.errorbar(delta, [i + offset for i in range(len(labels))], xerr=half, fmt="o", color=color, capsize=3,
                label=name)
ax.axvline(0, color="gray", linewidth=1)
ax.set_yticks(range(len(labels)), labels)
ax.set_xlabel("paired difference to the baseline (unit in brackets)")
ax.set_title("Pilot and rollout against the baseline, 95% CIs")
ax.legend()
plt.show()"""),
    ("md", """## 4. Cost-benefit

The hotline prices poor service (`costs` in `hotline.yml`: 6 per abandoned call, 0.5 per late answer);
the rollout's `investment` says training costs 24,000 up front and the simulated day is one of 250
working days. `c.cost_benefit` is `ccsim.economics`' answer, the one the CLI and the HTML report print:
the paired change in total cost scaled to the year, the payback and the first-year net, each with its
confidence interval. The pilot's own row extrapolates what it measured on 20% of the agents."""),
    ("code", """c.cost_benefit[["kind", "total_cost_delta", "total_cost_delta_ci_low", "total_cost_delta_ci_high",
                "up_front", "extrapolated_yearly_saving", "simulated_yearly_saving", "payback_months",
                "first_year_net"]]"""),
    ("code", """row = c.cost_benefit.loc[rollout_name]
print(f"rollout: saves {row.simulated_yearly_saving:,.0f} a year "
      f"({row.simulated_yearly_saving_ci_low:,.0f} to {row.simulated_yearly_saving_ci_high:,.0f}), "
      f"pays back in {row.payback_months:.1f} months, first-year net {row.first_year_net:,.0f}")
assert row.total_cost_delta_ci_high < 0, 'the rollout saves money beyond doubt'"""),
    ("md", """## 5. Where in the day it matters

`res.plot` draws the charts of the HTML report: here the rollout's service level per interval and queue."""),
    ("code", """c.results[2].plot.service_level()"""),
    ("md", """And billing alone, baseline against rollout, from the interval table (`time` is the interval start
as a time of day)."""),
    ("code", """fig, ax = plt.subplots(figsize=(9, 4), constrained_layout=True)
for res, name in ((c.results[0], c.names[0]), (c.results[2], rollout_name)):
    billing = res.intervals[res.intervals.queue == "billing"]
    hours = billing["time"].dt.total_seconds() / 3600
    ax.step(hours, billing["service_level"] * 100, where="post", label=name)
ax.axhline(80, color="gray", linestyle="--", label="target 80%")
ax.set_xlabel("interval start (hour of the day)")
ax.set_ylabel("billing service level (%)")
ax.set_title("Billing: share answered within 20 s per interval")
ax.legend()
plt.show()"""),
    ("md", """**Reading it as a manager:** the pilot proves the agent-level effect (shorter, better-resolved billing
calls) with a small, safe group; only the rollout shows the queue-wide gains, because freed capacity and
fewer repeat calls are shared by everyone. `ccsim compare ../scenarios/hotline.yml
../scenarios/pilot_training.yml ../scenarios/rollout_training.yml --out report` writes the same comparison
as an HTML report."""),
]


PATIENCE_STUDY = [
    ("md", """# Does Erlang A hold when patience is not exponential?

Erlang A (M/M/n+M) assumes that callers' patience is **exponential**: a caller who has waited a minute
is as likely to hang up in the next second as one who just arrived. Real patience rarely looks like
that. This notebook keeps the mean patience fixed at 2 minutes and changes only its **shape**, then
measures, by simulation, how far the abandonment and service level move from Erlang A's answer —
in standard errors of the simulated mean, from the per-replication table `res.per_replication`.

The system: 200 calls an hour, exponential handle times of 3 minutes (10 Erlangs), 10 to 13 agents,
service level within 20 seconds; 12 simulated hours after a 1-hour warmup, 10 replications each."""),
    ("code", """import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import ccsim
from ccsim import erlang

pd.set_option("display.precision", 3)
rate, aht, threshold, mean_patience = 200, 180, 20, 120          # per hour, seconds, seconds, seconds
PATIENCE = {
    "exponential (Erlang A)": {"dist": "exponential", "mean": mean_patience},
    "lognormal, cv 1.5": {"dist": "lognormal", "mean": mean_patience, "cv": 1.5},
    "gamma, cv 0.5": {"dist": "gamma", "mean": mean_patience, "cv": 0.5},
    "deterministic": {"dist": "deterministic", "value": mean_patience},
}


def scenario(agents, patience):
    return ccsim.load_scenario({
        "name": "patience study", "horizon": {"start": "08:00", "end": "20:00"}, "interval": "60m",
        "warmup": "1h",
        "queues": {"calls": {"arrivals": {"per_hour": rate}, "handle_time": {"dist": "exponential", "mean": aht},
                             "patience": patience, "service_level": {"threshold": threshold, "target": 0.8}}},
        "agent_groups": {"agents": {"skills": ["calls"], "staff": int(agents)}},
    })"""),
    ("md", """## Simulated against Erlang A

For every patience shape and staffing, the mean over replications, its standard error, Erlang A's value
for the same mean patience, and the deviation in standard errors. Both KPIs are shares (the KPI registry's
unit `share`)."""),
    ("code", """rows = []
for shape, patience in PATIENCE.items():
    for agents in (10, 11, 12, 13):
        per_rep = ccsim.simulate(scenario(agents, patience), replications=10, seed=7).per_replication
        calls = per_rep[(per_rep.level == "queue") & (per_rep.name == "calls")]
        for kpi_name in ("abandon_rate", "service_level"):
            values = calls.loc[calls.kpi == kpi_name, "value"]
            rows.append({"patience": shape, "agents": agents, "kpi": kpi_name, "simulated": values.mean(),
                         "se": values.std(ddof=1) / np.sqrt(len(values))})
study = pd.DataFrame(rows)
analytic = erlang.erlang_a(rate, aht, study.agents.to_numpy(), mean_patience, threshold)
study["erlang_a"] = np.where(study.kpi == "abandon_rate", analytic["p_abandon"], analytic["service_level"])
study["deviation_se"] = (study.simulated - study.erlang_a) / study.se
study.pivot_table(index=["patience", "agents"], columns="kpi", values=["simulated", "erlang_a", "deviation_se"],
                  sort=False)"""),
    ("code", """largest = study.loc[study.groupby("patience", sort=False).deviation_se.apply(lambda d: d.abs().idxmax())]
largest[["patience", "agents", "kpi", "simulated", "erlang_a", "deviation_se"]]"""),
    ("code", """fig, axes = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
for ax, kpi_name, label in ((axes[0], "service_level", "service level (share within 20 s)"),
                            (axes[1], "abandon_rate", "abandon rate (share of offered)")):
    exact = study[(study.kpi == kpi_name) & (study.patience == "exponential (Erlang A)")]
    ax.plot(exact.agents, exact.erlang_a, color="black", linewidth=2, label="Erlang A")
    for offset, shape in zip((-0.12, -0.04, 0.04, 0.12), PATIENCE):
        s = study[(study.kpi == kpi_name) & (study.patience == shape)]
        ax.errorbar(s.agents + offset, s.simulated, yerr=1.96 * s.se, fmt="o", capsize=3, label=f"simulated, {shape}")
    ax.set_xlabel("agents")
    ax.set_ylabel(label)
    ax.set_xticks([10, 11, 12, 13])
axes[0].legend(fontsize=8)
fig.suptitle("Mean patience 2 min, four shapes: simulation (95% CI) against Erlang A")
plt.show()"""),
    ("md", """**What it says.** With exponential patience the simulation sits on Erlang A, within about one standard
error, as the test suite checks. Keep the mean and change the shape, and Erlang A is off by many standard
errors when few callers hang up early (gamma with cv 0.5, or everyone waiting exactly 2 minutes): fewer
abandon than Erlang A says, so more wait, and the service level is lower than promised. A lognormal with a
large cv (many impatient callers, a few very patient ones) happens to land within about two standard
errors of Erlang A here. What
matters is how many callers give up in the first seconds of waiting, not the mean alone — so a staffing
plan made with Erlang A should be checked by simulation with the patience the center actually sees."""),
]


STAFFING_CURVES = [
    ("md", """# Staffing curves for a multi-skill center, from a sweep

Two queues — *billing* (priority 1) and *tech* — served by billing specialists, tech specialists and
generalists who take both (billing first). How many generalists and tech specialists does the center need
for 80% of each queue's calls answered within 20 seconds, and what is the cheapest such plan? No Erlang
formula answers this: the generalists' time is shared, by priority.

`ccsim.sweep` simulates every point of a grid under the same random numbers (common seed and
replications), so neighbouring points differ by the staffing alone; its `table` is tidy: one row per
point, queue and KPI, with the mean, its 95% confidence interval and the KPI's unit."""),
    ("code", """import matplotlib.pyplot as plt
import pandas as pd

import ccsim

pd.set_option("display.precision", 3)
center = {
    "name": "two queues, shared generalists",
    "horizon": {"start": "08:00", "end": "18:00"}, "interval": "60m",
    "queues": {
        "billing": {"arrivals": {"per_hour": 120}, "priority": 1,
                    "handle_time": {"dist": "lognormal", "mean": 240, "cv": 0.8},    # seconds
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
}
GEN, TECH = "agent_groups.generalists.staff", "agent_groups.tech_team.staff"
s = ccsim.sweep(center, {GEN: range(7), TECH: [7, 8, 9]}, replications=10, seed=5)
print(f"{len(s.points)} staffing plans, {s.replications} replications each, seed {s.seed}")
s.table.head()"""),
    ("md", """## Service level against generalists

One curve per tech-team size, shaded by its 95% confidence interval; the dashed line is the 80% target."""),
    ("code", """sl = s.table[s.table.kpi == "service_level"]
fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True, constrained_layout=True)
for ax, queue in zip(axes, ("billing", "tech")):
    for tech, curve in sl[sl.queue == queue].groupby(TECH):
        line, = ax.plot(curve[GEN], 100 * curve["mean"], marker="o", label=f"{tech} tech specialists")
        ax.fill_between(curve[GEN], 100 * curve.ci_low, 100 * curve.ci_high, color=line.get_color(), alpha=0.2)
    ax.axhline(80, color="gray", linestyle="--")
    ax.set_title(queue)
    ax.set_xlabel("generalists")
axes[0].set_ylabel("service level (% within 20 s)")
axes[1].legend()
plt.show()"""),
    ("md", """Billing (8 Erlangs of work for 7 billing specialists) needs the generalists too: it reaches 80% with
4 to 5 of them, sooner when more tech specialists leave the generalists free for billing. Tech gets the
generalists' time only after billing, so its curve depends on both groups."""),
    ("md", """## The cheapest plan meeting both targets

Agent cost over the 10 open hours (the billing team stays at 7). A plan qualifies when both queues' mean
service level reaches 80%; the confidence interval's lower end says whether it does so beyond doubt."""),
    ("code", """wide = sl.pivot_table(index=[TECH, GEN], columns="queue", values=["mean", "ci_low"])
plans = pd.DataFrame({
    "billing_sl": wide[("mean", "billing")], "tech_sl": wide[("mean", "tech")],
    "tech_sl_ci_low": wide[("ci_low", "tech")],
}).reset_index().rename(columns={TECH: "tech_team", GEN: "generalists"})
plans["agent_cost"] = 10 * (7 * 30 + plans.tech_team * 36 + plans.generalists * 40)
meeting = plans[(plans.billing_sl >= 0.8) & (plans.tech_sl >= 0.8)].sort_values("agent_cost")
meeting.head(5)"""),
    ("code", """best = meeting.iloc[0]
print(f"cheapest plan at target: {best.tech_team:.0f} tech specialists and {best.generalists:.0f} generalists, "
      f"agent cost {best.agent_cost:,.0f} a day; tech service level {best.tech_sl:.1%} "
      f"(95% CI from {best.tech_sl_ci_low:.1%})")"""),
    ("md", """The same sweep from the command line: `ccsim sweep SCENARIO --vary agent_groups.generalists.staff=0:6:1
--vary agent_groups.tech_team.staff=7:9:1 -r 10 --seed 5` (with the center saved as a scenario file)."""),
]


# notebook file stem -> its cells
NOTEBOOKS = {"erlang_vs_simulation": ERLANG_VS_SIMULATION, "pilot_vs_rollout": PILOT_VS_ROLLOUT,
             "patience_shapes": PATIENCE_STUDY, "staffing_curves": STAFFING_CURVES}
# charts inline as PNG in the stored notebook, whatever backend the caller's environment names
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def notebook(cells) -> nbformat.NotebookNode:
    """A notebook of `cells` ((kind, source) pairs, kind "md" or "code"), without outputs."""
    nb = new_notebook(cells=[new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells])
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"                            # stable ids: re-building changes nothing
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def execute(nb: nbformat.NotebookNode, timeout_s: int = 600) -> nbformat.NotebookNode:
    """Run `nb` top to bottom on a fresh kernel in this folder (charts inline), outputs in place.

    No timings are recorded, so a notebook re-executed with the same seeds stores the same outputs."""
    from nbclient import NotebookClient

    previous = os.environ.get("MPLBACKEND")
    os.environ["MPLBACKEND"] = INLINE_BACKEND                 # the kernel inherits it
    try:
        NotebookClient(nb, timeout=timeout_s, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(HERE)}}).execute()
    finally:
        if previous is None:
            del os.environ["MPLBACKEND"]
        else:
            os.environ["MPLBACKEND"] = previous
    nb.metadata.pop("widgets", None)
    return nb


def main(argv: list[str]) -> None:
    """Write every notebook from its source; with --execute, run each and store its outputs."""
    for name, cells in NOTEBOOKS.items():
        nb = notebook(cells)
        if "--execute" in argv:
            execute(nb)
        nbformat.write(nb, HERE / f"{name}.ipynb")
        print(f"wrote notebooks/{name}.ipynb" + (" with outputs" if "--execute" in argv else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
