"""JSON Schema fragments of the scenario's field types (durations, clock times, weekdays,
distributions, counts), attached to those types in `types` so that the models' JSON Schema is
generated, not written by hand. Patterns accept the spellings `ccsim.units` reads; rules the
loader checks across fields or against files (a queue a skill names, a CSV's rows) are not here.
"""

from __future__ import annotations

from typing import Any

from ccsim.distributions import DISTRIBUTIONS, PARAM_KINDS

_NUMBER_TEXT = r"\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_PART = r"(?:\d+(?:\.\d+)?\s*[{u}]\s*)?"            # one number+unit part, units largest first
DURATION_PATTERN = (r"^\s*(?:" + _NUMBER_TEXT + r"|(?=\d)"
                    + "".join(_PART.format(u=u + u.upper()) for u in "dhms") + r")\s*$")
_ZERO_TEXT = r"^[\s+0.eEdhmsDHMS]*$"                 # "0", "0s", "0m0s": no time at all
CLOCK_PATTERN = r"^\s*(?:(?:[01]?\d|2[0-3]):[0-5]\d|24:00)\s*$"

_DURATION_HELP = "seconds (a number), or a text such as 20s, 4m30s, 2h, 1.5h, 3d"


def duration_schema(*, positive: bool) -> dict[str, Any]:
    """A duration: seconds as a number, or a text of number+unit parts (d, h, m, s)."""
    text: dict[str, Any] = {"type": "string", "pattern": DURATION_PATTERN}
    if positive:
        text["not"] = {"pattern": _ZERO_TEXT}
    bound = {"exclusiveMinimum": 0} if positive else {"minimum": 0}
    return {"anyOf": [{"type": "number", **bound}, text],
            "description": f"Duration{' > 0' if positive else ''}: {_DURATION_HELP}."}


CLOCK_SCHEMA = {"type": "string", "pattern": CLOCK_PATTERN, "examples": ["08:00", "20:00"],
                "description": 'Clock time "HH:MM", 00:00 to 24:00 (quote it in YAML).'}


def weekday_schema(weekdays: tuple[str, ...]) -> dict[str, Any]:
    """A weekday name; the listed spellings for completion, any case accepted."""
    any_case = "|".join("".join(f"[{c}{c.upper()}]" for c in day) for day in weekdays)
    return {"anyOf": [{"enum": list(weekdays)}, {"type": "string", "pattern": rf"^\s*(?:{any_case})\s*$"}],
            "description": f"A weekday: {', '.join(weekdays)}."}


def given(key: str) -> dict[str, Any]:
    """The rule "`key` is given" (present and not null)."""
    return {"required": [key], "properties": {key: {"not": {"type": "null"}}}}


def key_rules(*rules: dict[str, Any]) -> dict[str, Any]:
    """A model's rules on which keys are given, kept under `allOf` (a variant's parts drop them)."""
    return {"allOf": list(rules)}


def exactly_one(*keys: str) -> dict[str, Any]:
    return {"oneOf": [given(k) for k in keys]}


def at_least_one(*keys: str) -> dict[str, Any]:
    return {"anyOf": [given(k) for k in keys]}


def not_both(a: str, b: str) -> dict[str, Any]:
    return {"not": {"allOf": [given(a), given(b)]}}


def _kinds() -> dict[str, dict[str, Any]]:
    """Schema of each parameter kind of `ccsim.distributions.PARAM_KINDS`."""
    return {"duration": duration_schema(positive=False), "positive_duration": duration_schema(positive=True),
            "number": {"type": "number", "minimum": 0}, "text": {"type": "string"},
            "durations": {"type": "array", "minItems": 1, "items": duration_schema(positive=False)}}


def distribution_schema(*, positive: bool) -> dict[str, Any]:
    """A fixed duration, or one mapping per registered distribution: `dist` names it and its
    parameters follow (one branch each, so editors complete the parameters of the `dist` given)."""
    kinds = _kinds()
    branches = [duration_schema(positive=positive)]
    for name in DISTRIBUTIONS.names():
        cls = DISTRIBUTIONS.get(name)
        keys = (*cls.params, *cls.optional)
        branch: dict[str, Any] = {
            "type": "object", "title": name,
            "properties": {"dist": {"const": name}, **{k: kinds[PARAM_KINDS[k]] for k in keys}},
            "required": ["dist", *cls.params], "additionalProperties": False}
        if cls.exclusive:
            branch.update(key_rules(exactly_one(*cls.exclusive)))
        branches.append(branch)
    more = " > 0 on average" if positive else ""
    return {"oneOf": branches, "description": (
        f"A duration{more}: fixed ({_DURATION_HELP}), or a distribution "
        f"{{dist: {'|'.join(DISTRIBUTIONS.names())}, ...its parameters}}.")}


COUNTS_SCHEMA = {"anyOf": [{"type": "integer", "minimum": 0},
                           {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}}],
                 "description": "Agents: a constant, or one count per interval (of a day, or of the horizon)."}
SKILLS_SCHEMA = {"anyOf": [{"type": "array", "minItems": 1, "uniqueItems": True, "items": {"type": "string"}},
                           {"type": "object", "minProperties": 1, "additionalProperties": {"type": "integer", "minimum": 1}}],
                 "description": "Queues the group serves: a list, or {queue: preference rank}, 1 first."}
