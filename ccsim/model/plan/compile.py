"""`compile_plan`: a validated scenario flattened into a `Plan`, one short step per concept."""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from ccsim.model.plan.compiled import PENALTIES, Plan
from ccsim.model.plan.flows import compile_flows, compile_stages
from ccsim.model.plan.lines import LineTable
from ccsim.scenario.levers import apply_pilot
from ccsim.scenario.models import Scenario
from ccsim.scenario.satisfaction import EXPERIENCES
from ccsim.scenario.severity import apply_severity


def compile_plan(sc: Scenario) -> Plan:
    """Flatten a validated scenario into a `Plan` (a pilot becomes groups of its own)."""
    sc = apply_severity(apply_pilot(sc))
    lines = LineTable(sc)
    flows = compile_flows(sc, lines)            # flows, then stages, name their lines: keep this order
    stages = compile_stages(sc, lines)
    return Plan(
        queue_names=tuple(sc.queues), group_names=tuple(sc.agent_groups), process_names=tuple(sc.processes),
        lines=lines.compile(), flows=flows, stages=stages,
        **_queues(sc), **_routing(sc), **_sources(sc), **_workforce(sc), **_levers(sc), **_economics(sc),
        **_clock(sc),
    )


def _key(name: str) -> int:
    return zlib.crc32(name.encode())


def _queues(sc: Scenario) -> dict[str, Any]:
    queues = sc.queues.values()
    return dict(
        threshold_s=np.array([q.service_level.threshold for q in queues]),
        threshold_limit=tuple(q.service_level.threshold for q in queues),
        abandon_rule=tuple(q.service_level.abandons for q in queues),
        stream_key=tuple(_key(name) for name in sc.queues),
        handle_time=tuple(q.handle_time for q in queues),
        patience=tuple(q.patience for q in queues),
    )


def _routing(sc: Scenario) -> dict[str, Any]:
    index = {name: q for q, name in enumerate(sc.queues)}
    return dict(
        rank=tuple({index[q]: r for q, r in group.skills.items()} for group in sc.agent_groups.values()),
        promise_s=tuple(p.promise if p.promise is not None else np.inf for p in sc.processes.values()),
        policy=sc.routing.policy, blending=sc.routing.blending, reserve=sc.routing.reserve,
        live_quiet_s=float(sc.routing.live_quiet),
    )


def _sources(sc: Scenario) -> dict[str, Any]:
    """Fresh arrivals: the queues, then the processes."""
    sources = [*sc.queues, *sc.processes]
    return dict(
        source_key=tuple(_key(s) for s in sources),
        rates_per_s=np.array([sc.arrival_rates(s) / 3600.0 for s in sources]),
        deflection=np.array([q.deflection for q in sc.queues.values()] + [0.0] * len(sc.processes)),
        forecast_cv=sc.forecast_error.spread if sc.forecast_error else 0.0,
    )


def _workforce(sc: Scenario) -> dict[str, Any]:
    groups = sc.agent_groups
    return dict(
        staff=np.array([sc.staff(g) for g in groups], dtype=int),
        cost_per_hour=np.array([group.cost_per_hour for group in groups.values()]),
        shrinkage=tuple(group.shrinkage for group in groups.values()),
        breaks=tuple(sc.breaks(g) for g in groups),
        rhythm_factor=_rhythm_factor(sc),
        max_occupancy=tuple(np.nan if group.max_occupancy is None else group.max_occupancy for group in groups.values()),
    )


def _rhythm_factor(sc: Scenario) -> np.ndarray | None:
    """(groups, intervals) handle-time factor of the focus/rest rhythms; None when all 1."""
    factors = np.array([sc.rhythm_factors(g) for g in sc.agent_groups])
    return factors if np.any(factors != 1.0) else None


def _levers(sc: Scenario) -> dict[str, Any]:
    """How each group's work differs, and a pilot on contacts (what apply_pilot leaves of a pilot)."""
    groups, pilot = sc.agent_groups.values(), sc.pilot
    factors = np.array([[group.factor(q) for q in sc.queues] for group in groups])
    return dict(
        handle_factor=factors if np.any(factors != 1.0) else None,
        fcr_change=np.array([[group.change(q) for q in sc.queues] for group in groups]),
        pilot_contacts=pilot.contacts if pilot else 0.0,
        pilot_handle_factor=np.array([pilot.factor(q) if pilot else 1.0 for q in sc.queues]),
        pilot_fcr_change=np.array([pilot.change(q) if pilot else 0.0 for q in sc.queues]),
        ramp=tuple(group.ramp_plan() for group in groups),
        pilot_ramp=pilot.ramp_plan() if pilot else None,
    )


def _economics(sc: Scenario) -> dict[str, Any]:
    rating = sc.satisfaction
    drivers = (rating.satisfied, rating.promoter, rating.detractor) if rating else (None,) * 3
    alerts = rating.alerts if rating else None
    return dict(
        sl_target=np.array([q.service_level.target for q in sc.queues.values()]),
        penalties=np.array([[sc.costs.for_queue(name, q) for q in sc.queues] for name in PENALTIES]),
        satisfaction=np.array([[d.base, *d.effects()] if d else [np.nan] * (1 + len(EXPERIENCES)) for d in drivers]),
        alert_lines=(np.nan, np.nan) if alerts is None else
        tuple(np.nan if v is None else v for v in (alerts.csat, alerts.fcr)),
    )


def _clock(sc: Scenario) -> dict[str, Any]:
    return dict(interval_start=sc.interval_starts(), interval_s=float(sc.interval), warmup_s=float(sc.warmup),
                calendar=_calendar(sc))


CALENDAR_DAYS_AFTER = 400       # days the calendar runs past the horizon, for due times beyond it


def _calendar(sc: Scenario):
    """The working periods from the start of the warmup to `CALENDAR_DAYS_AFTER` days past the horizon."""
    if sc.calendar is None:
        return None
    first = int(np.floor((sc.horizon.start - sc.warmup) / 86400.0)) - 1
    return sc.calendar.work_calendar(sc.horizon.first_day, first, sc.horizon.days + CALENDAR_DAYS_AFTER - first)
