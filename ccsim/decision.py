"""A comparison's recommendation under a declared decision rule (`ccsim.scenario.decision.Decision`):
which scenarios meet what they must, the best of those on the objective, and whether the paired
differences say so for sure — or "no clear winner".

Reads a `ccsim.compare.Comparison`: its table (paired deltas and verdicts), its per-replication
KPI samples and each scenario's KPI table; never simulates.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ccsim.kpis import kpi, names as level_kpis
from ccsim.report.format import delta_text, estimate_text
from ccsim.arguments import ArgumentError
from ccsim.scenario.decision import MUST_MEET, OBJECTIVES, Decision
from ccsim.stats import mean_ci
from ccsim.summary import MEETS, MISSES, UNCERTAIN, target_verdict

RECOMMEND, NO_CLEAR_WINNER, NONE_QUALIFIES = "recommend", "no clear winner", "none qualifies"
# a queue KPI with a target per queue: the key of `service_level` that holds it, and higher is better
TARGETS = {"service_level": ("target", True), "asa": ("max_asa", False), "abandon_rate": ("max_abandon", False)}


def objective_key(name: str) -> tuple[str, str, str]:
    """Where a comparison holds the objective: a cost KPI over all queues, or a queue KPI over all."""
    return ("cost", "ALL", name) if name in level_kpis("cost") else ("queue", "ALL", name)


def rule_of(comparison, objective: str | None = None, must_meet: tuple[str, ...] | None = None) -> tuple[Decision, str]:
    """The rule in force and where it comes from: the command line (`objective`, `must_meet`),
    else the baseline scenario's `decision`, else the default (lowest total cost among the
    scenarios meeting every service-level target)."""
    declared = comparison.results[0].scenario.decision
    source = "scenario" if declared is not None else "default"
    rule = declared or Decision()
    check_rule(objective, must_meet)
    if objective is not None or must_meet:
        update = {k: v for k, v in (("objective", objective), ("must_meet", tuple(must_meet or ()))) if v}
        rule = Decision.model_validate({**rule.model_dump(), **update})
        source = "command line"
    return rule, source


def check_rule(objective: str | None, must_meet: tuple[str, ...] | None) -> None:
    """Refuse (ArgumentError) an objective or must-meet KPI a decision rule cannot use."""
    if objective is not None and objective not in OBJECTIVES:
        raise ArgumentError(f"objective (--objective): unknown KPI {objective!r}; allowed: {', '.join(OBJECTIVES)}")
    unknown = [m for m in must_meet or () if m not in MUST_MEET]
    if unknown:
        raise ArgumentError(f"must_meet (--must-meet): unknown KPI {unknown[0]!r}; allowed: {', '.join(MUST_MEET)}")


def _checks(comparison, i: int, rule: Decision) -> list[dict[str, Any]]:
    """Every must-meet check of scenario `i`: per queue target where the queues declare one,
    else no significant worsening against the baseline over all queues."""
    res = comparison.results[i]
    checks = []
    for name in rule.must_meet:
        k = kpi(name, "queue")
        targeted = False
        if name in TARGETS:
            key, higher = TARGETS[name]
            for queue, q in res.scenario.queues.items():
                target = getattr(q.service_level, key)
                if target is None or queue not in res.kpis.index:
                    continue
                targeted = True
                row = res.kpis.loc[queue]
                mean, low, high = (float(row[c]) for c in (name, f"{name}_ci_low", f"{name}_ci_high"))
                verdict = target_verdict(mean, low, high, target, higher)
                goal = f"{100 * target:.0f}%" if k.percent else f"{target:g} {k.unit}"
                checks.append({"kpi": name, "queue": queue, "verdict": verdict,
                               "text": f"{queue} {k.label} {estimate_text(k, mean, low, high)} "
                                       f"{'≥' if higher else '≤'} {goal}"})
        if targeted:
            continue
        if i == 0:
            checks.append({"kpi": name, "queue": "ALL", "verdict": MEETS, "text": f"{k.label}: the baseline"})
            continue
        row = _row(comparison, ("queue", "ALL", name))
        label = comparison.names[i]
        verdict = row[f"{label} verdict"] if row is not None else "no significant difference"
        delta = delta_text(k, *(float(row[f"{label} delta{end}"]) for end in ("", "_ci_low", "_ci_high"))) \
            if row is not None else "-"
        checks.append({"kpi": name, "queue": "ALL", "verdict": MISSES if verdict == "worse" else MEETS,
                       "text": f"{k.label} not worse than the baseline (Δ {delta}, {verdict})"})
    return checks


def _row(comparison, key: tuple[str, str, str]):
    table = comparison.table
    rows = table[(table.level == key[0]) & (table.name == key[1]) & (table.kpi == key[2])]
    return None if rows.empty else rows.iloc[0]


def _status(checks: list[dict[str, Any]]) -> str:
    verdicts = {c["verdict"] for c in checks}
    return MISSES if MISSES in verdicts else UNCERTAIN if verdicts - {MEETS} else MEETS


def recommend(comparison, objective: str | None = None, must_meet: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The recommendation of `comparison` (a `ccsim.compare.Comparison`) under its rule (see
    `rule_of`), as JSON-ready data: `rule`, per scenario its must-meet `checks`, `status` and
    objective estimate, the `verdict` (recommend / no clear winner / none qualifies), the
    `recommended` scenario (or None), the `reasons` and the paired 95% CIs behind them."""
    rule, source = rule_of(comparison, objective, must_meet)
    key = objective_key(rule.objective)
    k = kpi(key[2], key[0])
    direction = k.direction
    names = comparison.names
    samples = [s.get(key) for s in comparison.samples]
    scenarios = []
    for i, name in enumerate(names):
        checks = _checks(comparison, i, rule)
        values = samples[i]
        mean, low, high = (float(v) for v in mean_ci(values)) if values is not None else (math.nan,) * 3
        scenarios.append({"scenario": name, "status": _status(checks), "checks": checks,
                          "objective": {"mean": _clean(mean), "ci_low": _clean(low), "ci_high": _clean(high),
                                        "text": estimate_text(k, mean, low, high)}})
    rule_text = (f"{'lowest' if direction < 0 else 'highest'} {k.label} among the scenarios "
                 f"meeting {', '.join(kpi(m, 'queue').label for m in rule.must_meet) or 'nothing'}")
    out = {"rule": {"objective": rule.objective, "must_meet": list(rule.must_meet), "source": source,
                    "text": rule_text},
           "scenarios": scenarios, "recommended": None, "verdict": NONE_QUALIFIES, "reasons": [], "paired": []}
    qualified = [i for i, s in enumerate(scenarios) if s["status"] == MEETS and samples[i] is not None]
    uncertain = [names[i] for i, s in enumerate(scenarios) if s["status"] == UNCERTAIN]
    if not qualified:
        out["reasons"].append("no scenario surely meets " + ", ".join(kpi(m, "queue").label for m in rule.must_meet)
                              + (f"; uncertain: {', '.join(uncertain)} (more replications may decide)"
                                 if uncertain else ""))
        out["verdict"] = NO_CLEAR_WINNER if uncertain else NONE_QUALIFIES
        return out
    best = max(qualified, key=lambda i: direction * scenarios[i]["objective"]["mean"])
    ties = []
    for j in qualified:
        if j == best:
            continue
        diff = samples[best] - samples[j]
        mean, low, high = (float(v) for v in mean_ci(diff))
        sure = bool(np.all(np.isfinite([low, high]))) and (low > 0 if direction > 0 else high < 0)
        out["paired"].append({"scenario": names[best], "against": names[j], "delta": _clean(mean),
                              "ci_low": _clean(low), "ci_high": _clean(high), "significant": sure,
                              "text": delta_text(k, mean, low, high)})
        if not sure:
            ties.append(j)
    failing = [names[i] for i, s in enumerate(scenarios) if s["status"] == MISSES]
    if failing:
        out["reasons"].append(f"{', '.join(failing)} miss{'es' if len(failing) == 1 else ''} a must-meet target")
    if uncertain:
        out["reasons"].append(f"{', '.join(uncertain)}: a must-meet target is uncertain (the CI straddles it)")
    if ties:
        out["verdict"] = NO_CLEAR_WINNER
        tied = [names[best], *(names[j] for j in ties)]
        out["reasons"].insert(0, f"{k.label} does not differ significantly between {', '.join(tied)} "
                                 "(paired 95% CI holds 0)")
        return out
    out["verdict"], out["recommended"] = RECOMMEND, names[best]
    reason = f"{names[best]} meets {', '.join(kpi(m, 'queue').label for m in rule.must_meet)}"
    if out["paired"]:
        reason += " and has the best " + k.label + ": " + "; ".join(
            f"Δ {p['text']} against {p['against']}" for p in out["paired"]) + " (paired 95% CI)"
    else:
        reason += ", the only scenario that does"
    out["reasons"].insert(0, reason)
    out["reasons"] += _investment(comparison, names[best])
    return out


def _investment(comparison, name: str) -> list[str]:
    """What the recommended variant's investment says (nothing for the baseline or no investment)."""
    if name not in comparison.cost_benefit.index:
        return []
    cb = comparison.cost_benefit.loc[name]
    if cb.kind == "pilot":
        return [f"a pilot: it costs {cb.pilot_cost:,.0f} over its {cb.pilot_periods:g} horizons; "
                "the cost-benefit extrapolates it to the whole team"]
    if not (cb.up_front or cb.yearly_cost):
        return []
    payback = f"{cb.payback_months:.1f} months" if math.isfinite(cb.payback_months) else "never"
    return [f"its investment: {cb.up_front:,.0f} up front, {cb.yearly_cost:,.0f} a year; "
            f"payback {payback}, first-year net {cb.first_year_net:,.0f} (see cost-benefit)"]


def headline(decision: dict[str, Any]) -> str:
    """One line: "Recommended: X", "No clear winner" or "None qualifies", with the first reason."""
    first = decision["reasons"][0] if decision["reasons"] else ""
    if decision["verdict"] == RECOMMEND:
        return f"Recommended: {decision['recommended']} — {first}"
    return f"{'No clear winner' if decision['verdict'] == NO_CLEAR_WINNER else 'None qualifies'} — {first}"


def _clean(value: float) -> float | None:
    return value if math.isfinite(value) else None
