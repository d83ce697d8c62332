"""Cost-benefit of a comparison's variants, honest about pilots and labour.

- A **change** (a variant without a pilot) is priced per year: the paired change in total cost
  per horizon (with its 95% CI) times `investment.periods_per_year`, then payback and first-year
  net, each with the CI that the saving's CI gives.
- A **pilot** is temporary: it is priced over its own period only (`investment.pilot_periods`
  horizons, else one), and its measured effect is extrapolated to the whole team by dividing by
  the share it covered (agent-hours of its pilot groups, or `pilot.contacts`), CI included.
- A **re-staffed** variant (`compare(..., restaff=True)`) is staffed by the staffing search to the
  same targets as the re-staffed baseline and priced against it, so that labour the change frees
  shows as fewer agent-hours and lower agent cost beside the penalties it avoids.

Reads paired per-replication KPI samples (`ccsim.compare.kpi_samples`); never simulates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ccsim.scenario import Scenario
from ccsim.scenario.economics import Investment
from ccsim.stats import mean_ci

TOTAL, AGENT, HOURS = ("cost", "ALL", "total_cost"), ("cost", "ALL", "agent_cost"), ("group", "ALL", "scheduled_hours")
RESTAFFED = ", re-staffed"
Samples = Mapping[tuple[str, str, str], np.ndarray]


def _ci(values: np.ndarray) -> tuple[float, float, float]:
    mean, low, high = (float(v) for v in mean_ci(values))
    return mean, low, high


def _payback(up_front: float, net: float) -> float:
    """Months until `up_front` is paid back by `net` a year (inf when never)."""
    if up_front == 0 and net >= 0:
        return 0.0
    return 12 * up_front / net if net > 0 else math.inf


def pilot_share(sc: Scenario, samples: Samples) -> float:
    """The share of the work a pilot covered: `pilot.contacts`, else the pilot groups' share of
    all scheduled agent-hours (means over replications)."""
    if sc.pilot is not None and sc.pilot.contacts is not None:
        return float(sc.pilot.contacts)
    total = float(np.mean(samples[HOURS]))
    piloted = sum(float(np.mean(v)) for (level, name, k), v in samples.items()
                  if level == "group" and k == "scheduled_hours" and name.endswith(" (pilot)"))
    return piloted / total if total > 0 else math.nan


def cost_benefit(scenarios: Sequence[Scenario], names: Sequence[str], samples: Sequence[Samples],
                 against: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per variant, indexed by scenario: `kind` (change, pilot or re-staffed), `against`
    (the scenario it is priced against: the baseline, or the re-staffed baseline), the paired
    change per horizon in total cost, agent cost, penalties and paid agent-hours (each with
    `_ci_low`/`_ci_high`), and then
    - a change: `periods_per_year`, `simulated_yearly_saving` (CI), `saving_basis` and the
      `yearly_saving` used (`investment.yearly_saving` if given), `yearly_cost`, `up_front`,
      `net_yearly_saving`, `payback_months` and `first_year_net` (CIs when the saving is simulated);
    - a pilot: `pilot_share`, `pilot_periods`, `pilot_cost` (up front plus the change in total
      cost over the pilot's periods, CI) and the effect extrapolated to the whole team:
      `extrapolated_delta` per horizon and `extrapolated_yearly_saving` (CIs); no payback, since a
      pilot is not kept.
    `against` maps a variant's name to the name of its reference (default: the baseline)."""
    index = {name: i for i, name in enumerate(names)}
    rows = []
    for i, (sc, name) in enumerate(zip(scenarios, names)):
        if i == 0 or (against and name in against.values()):
            continue
        ref = index[(against or {}).get(name, names[0])]
        diff = {key: samples[i][key] - samples[ref][key] for key in (TOTAL, AGENT, HOURS)}
        total, agent, hours = _ci(diff[TOTAL]), _ci(diff[AGENT]), _ci(diff[HOURS])
        penalty = _ci(diff[TOTAL] - diff[AGENT])
        invest = sc.investment or Investment()
        periods = invest.periods_per_year or 365.0 / sc.horizon.days
        kind = "pilot" if sc.pilot is not None else "re-staffed" if ref != 0 else "change"
        row = {"scenario": name, "kind": kind, "against": names[ref],
               **_triple("total_cost_delta", total), **_triple("agent_cost_delta", agent),
               **_triple("penalty_delta", penalty), **_triple("agent_hours_delta", hours),
               "periods_per_year": periods, "up_front": invest.up_front, "yearly_cost": invest.yearly_cost}
        if kind == "pilot":
            row |= _pilot(sc, samples[i], invest, total, periods)
        else:
            row |= _change(invest, total, periods)
        rows.append(row)
    return pd.DataFrame(rows).set_index("scenario") if rows else pd.DataFrame()


def _triple(key: str, values: tuple[float, float, float]) -> dict[str, float]:
    return {key: values[0], f"{key}_ci_low": values[1], f"{key}_ci_high": values[2]}


def _change(invest: Investment, total: tuple[float, float, float], periods: float) -> dict[str, object]:
    """A permanent change: the yearly saving, net of running cost, its payback and first-year net."""
    delta, low, high = total
    simulated = (-delta * periods, -high * periods, -low * periods)
    given = invest.yearly_saving is not None
    saving = (invest.yearly_saving,) * 3 if given else simulated
    net = tuple(s - invest.yearly_cost for s in saving)
    payback = (_payback(invest.up_front, net[0]), _payback(invest.up_front, net[2]), _payback(invest.up_front, net[1]))
    return {**_triple("simulated_yearly_saving", simulated), "saving_basis": "given" if given else "simulated",
            "yearly_saving": saving[0], "net_yearly_saving": net[0], **_triple("payback_months", payback),
            **_triple("first_year_net", tuple(n - invest.up_front for n in net))}


def _pilot(sc: Scenario, samples: Samples, invest: Investment, total: tuple[float, float, float],
           periods: float) -> dict[str, object]:
    """A pilot: priced over its own periods; its effect extrapolated to the whole team by its share."""
    share = pilot_share(sc, samples)
    runs = invest.pilot_periods or 1.0
    extrapolated = tuple(v / share for v in total) if share > 0 else (math.nan,) * 3
    return {"pilot_share": share, "pilot_periods": runs,
            **_triple("pilot_cost", tuple(invest.up_front + v * runs for v in total)),
            **_triple("extrapolated_delta", extrapolated),
            **_triple("extrapolated_yearly_saving", (-extrapolated[0] * periods, -extrapolated[2] * periods,
                                                     -extrapolated[1] * periods)),
            "saving_basis": "pilot", "simulated_yearly_saving": math.nan, "yearly_saving": math.nan,
            "net_yearly_saving": math.nan, "payback_months": math.nan, "first_year_net": math.nan}


def restaffed(sc: Scenario, name: str, replications: int, seed: int, **search) -> Scenario:
    """`sc` staffed by the simulation search (`ccsim.staff(method="simulate")`) to its own
    targets, named "`name`, re-staffed"."""
    from ccsim.staffing import staff

    result = staff(sc, method="simulate", replications=replications, seed=seed, **search)
    return result.scenario.model_copy(update={"name": f"{name}{RESTAFFED}"})
