"""The levers a manager changes in the form, read into scenario overrides.

Form fields are named by the scenario field they change wherever one exists
(`queues.billing.deflection`), so a ScenarioError's dotted path names the field to show its
message next to. The overrides are validated by loading the baseline with them
(`load_scenario(baseline, overrides)`), the same schema as every scenario file; a variant saved
from them is the baseline's file name under `extends` and the same overrides, nested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ccsim.errors import Problem, ScenarioError
from ccsim.scenario import Scenario
from ccsim.scenario.variants import parse_assignment
from ccsim.units import format_duration

CALLBACK_DEFAULTS = {"offer_over": "60s", "acceptance": 0.5, "due": "1h"}


@dataclass(frozen=True)
class Lever:
    """One form field: its `name`, label, the baseline's value as the form shows it, and a hint."""

    name: str
    label: str
    value: str
    hint: str = ""
    kind: str = "text"          # text, checkbox or select
    choices: tuple[str, ...] = ()


@dataclass
class Levers:
    """What the form asked: `overrides` (dotted path -> value) and the field errors found."""

    overrides: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def form_levers(sc: Scenario) -> dict[str, list[Lever]]:
    """The form's fields for baseline `sc`, by section, prefilled with the baseline's values."""
    staff = []
    for name, group in sc.agent_groups.items():
        if group.staff is None:
            staff.append(Lever(f"scale.{name}", f"{name}: scale shifts by", "1",
                               "a factor for every shift's agents (1.1: 10% more, rounded; staffed by shifts)"))
            continue
        staff.append(Lever(f"scale.{name}", f"{name}: scale staff by", "1",
                           "a factor for every interval (1.1: 10% more agents, rounded)"))
        staff.append(Lever(f"agent_groups.{name}.staff", f"{name}: or set staff", "",
                           "a count for every interval, or one per interval: [8, 11, 14, ...]"))
    queues = [""] + list(sc.queues)
    change = [Lever("handle_time_factor", "handle-time factor", "1", "0.85: 15% shorter"),
              Lever("fcr_change", "first-contact resolution change", "0", "0.05: five points more"),
              Lever("queue", "for queue", "", "empty: every queue", "select", tuple(queues)),
              Lever("pilot.share", "pilot share of agents", "",
                    "empty: everyone (a rollout); 0.2: 20% of every group's agents pilot the change")]
    per_queue = []
    for name, queue in sc.queues.items():
        callback = queue.callback
        per_queue.append(Lever(f"queues.{name}.deflection", f"{name}: deflection share", _text(queue.deflection),
                               "share of contacts self-served before they queue"))
        per_queue.append(Lever(f"callback.{name}", f"{name}: offer callbacks", "on" if callback else "", "",
                               "checkbox"))
        values = (CALLBACK_DEFAULTS if callback is None else
                  {"offer_over": format_duration(callback.offer_over), "acceptance": callback.acceptance,
                   "due": format_duration(callback.due)})
        for key, label in (("offer_over", "when the expected wait exceeds"), ("acceptance", "accepted by"),
                           ("due", "called back within")):
            per_queue.append(Lever(f"queues.{name}.callback.{key}", f"{name}: {label}", _text(values[key])))
    return {"Staff": staff, "Handle time and resolution": change, "Queues": per_queue}


def read_levers(sc: Scenario, form: Mapping[str, str]) -> Levers:
    """The overrides of baseline `sc` that `form` asks for (only what differs from the baseline),
    with an error per field whose text is not a value."""
    out = Levers()
    for name, group in sc.agent_groups.items():
        key = f"agent_groups.{name}.staff"
        staff = _value(form, key, out) if group.staff is not None else None
        factor = _value(form, f"scale.{name}", out)
        if staff is not None:
            out.overrides[key] = staff
        elif factor is not None and factor != 1:
            if not isinstance(factor, (int, float)) or isinstance(factor, bool) or not factor >= 0:
                out.errors[f"scale.{name}"] = f"expects a number >= 0 (1: unchanged), got {factor!r}"
            elif group.staff is None:
                _scale_shifts(sc, name, factor, out)
            elif isinstance(group.staff, tuple):
                out.overrides[key] = [int(round(v * factor)) for v in group.staff]
            else:
                out.overrides[key] = int(round(group.staff * factor))
    _change(sc, form, out)
    for name, queue in sc.queues.items():
        key = f"queues.{name}.deflection"
        deflection = _value(form, key, out)
        if deflection is not None and deflection != queue.deflection:
            out.overrides[key] = deflection
        on = form.get(f"callback.{name}", "") not in ("", "off")
        if on:
            before = None if queue.callback is None else {
                "offer_over": queue.callback.offer_over, "acceptance": queue.callback.acceptance,
                "due": queue.callback.due}
            asked = {k: _value(form, f"queues.{name}.callback.{k}", out) for k in CALLBACK_DEFAULTS}
            asked = {k: (before or CALLBACK_DEFAULTS)[k] if v is None else v for k, v in asked.items()}
            if before is None or any(asked[k] is not None and _text(asked[k]) != _text(before[k]) for k in asked):
                out.overrides[f"queues.{name}.callback"] = {k: v for k, v in asked.items() if v is not None}
        elif queue.callback is not None:
            out.overrides[f"queues.{name}.callback"] = None
    return out


def _scale_shifts(sc: Scenario, name: str, factor: float, out: Levers) -> None:
    """Every shift of group `name` with its count times `factor` (rounded); shifts left with no
    agent are dropped."""
    from ccsim.scenario.dump import scenario_dict

    shifts = [dict(shift, count=int(round(shift["count"] * factor)))
              for shift in scenario_dict(sc)["agent_groups"][name]["shifts"]]
    kept = [shift for shift in shifts if shift["count"] > 0]
    if not kept:
        out.errors[f"scale.{name}"] = f"leaves no agent in any shift of {name}; use a larger factor"
    else:
        out.overrides[f"agent_groups.{name}.shifts"] = kept


def _change(sc: Scenario, form: Mapping[str, str], out: Levers) -> None:
    """The handle-time factor and FCR change: for every group (a rollout) or for a pilot share."""
    factor = _value(form, "handle_time_factor", out)
    change = _value(form, "fcr_change", out)
    share = _value(form, "pilot.share", out)
    queue = form.get("queue", "").strip()
    if queue and queue not in sc.queues:
        out.errors["queue"] = f"{queue!r} is not a queue of the baseline; choose one of {', '.join(sc.queues)}"
        return
    levers = {k: ({queue: v} if queue else v) for k, v, same in (("handle_time_factor", factor, 1),
                                                                  ("fcr_change", change, 0))
              if v is not None and v != same}
    if share is not None:
        out.overrides["pilot"] = {"share": share, **levers}
    elif levers:
        for group, spec in sc.agent_groups.items():
            if queue and queue not in spec.skills:
                continue                        # a group that never serves the queue is not changed
            for key, value in levers.items():
                out.overrides[f"agent_groups.{group}.{key}"] = value


def _value(form: Mapping[str, str], key: str, out: Levers) -> Any:
    """The field's text read as YAML (numbers, durations as text, lists), None when empty; an
    error on the field when it is not YAML."""
    raw = str(form.get(key, "")).strip()
    if not raw:
        return None
    try:
        return parse_assignment(f"{key}={raw}")[1]
    except ScenarioError as exc:
        out.errors[key] = exc.problems[0].message
        return None


def field_of(problem: Problem, fields: set[str]) -> str | None:
    """The form field a scenario problem belongs to: the longest field name its path starts with,
    or the lever that wrote it (a rollout writes every group's handle_time_factor)."""
    path = problem.path
    for lever in ("handle_time_factor", "fcr_change"):
        if path.startswith("agent_groups.") and f".{lever}" in path or path.startswith(f"pilot.{lever}"):
            return lever
    if path.startswith("queues.") and ".callback" in path and path.count(".") == 2:
        return f"callback.{path.split('.')[1]}"
    found = [f for f in fields if path == f or path.startswith(f + ".")]
    return max(found, key=len) if found else None


def nested(overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted overrides as the nested mapping a scenario file holds."""
    out: dict[str, Any] = {}
    for key, value in overrides.items():
        *parents, last = key.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def _text(value: Any) -> str:
    return "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
