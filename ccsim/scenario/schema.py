"""The JSON Schema (draft 2020-12) of the scenario format, generated from the pydantic models.

The models carry their field types' schemas (`type_schemas`); this module assembles the
document and post-processes it in two documented steps:

1. Shared field types (durations, clock times, distributions, ...) that pydantic writes inline
   at every use are named once under `$defs` and referenced (`$ref`), so editors show their names.
2. A file with `extends:` is a variant: it may give any part of a scenario, so `ScenarioVariant`
   is the scenario with every model's `required` keys and key rules (`allOf`) dropped (lists are
   replaced whole, so their items stay complete), plus `extends` and dotted keys at the top level
   (`queues.billing.handle_time.mean: 210`). The root picks it with `if: {required: [extends]}`.

The stored copy (`scenario.schema.json`, shipped with the package) is what the bundled
scenarios' `# yaml-language-server: $schema=...` modelines point to; a test fails when it is
stale. Refresh it with `make schema` (`ccsim schema > ccsim/scenario/scenario.schema.json`, and
`ccsim schema --templates` for `shift_templates.schema.json`, the shift-template files' schema).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ccsim.scenario import type_schemas as js
from ccsim.scenario.models import Scenario
from ccsim.scenario.types import WEEKDAY_SCHEMA

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")
TEMPLATES_SCHEMA_PATH = Path(__file__).with_name("shift_templates.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
REFRESH = "make schema"     # ccsim schema > ccsim/scenario/scenario.schema.json, and --templates
_REF = "#/$defs/"
_VARIANT_PART = "{}Override"
_WHOLE = ("PositiveDuration", "Duration", "Clock", "Weekday", "Counts", "Skills")   # replaced whole in a variant


def scenario_schema() -> dict[str, Any]:
    """The scenario format's JSON Schema: a scenario, or a variant of one (a file with `extends`)."""
    defs = model_defs(Scenario)
    variant = {**_override(defs["Scenario"]), "title": "ScenarioVariant", "description": (
        "A variant of the scenario file named by `extends`: any part of a scenario, laid over the base "
        "(mappings merge key by key, anything else replaces); dotted keys reach deep inside.")}
    variant["properties"] = {"extends": {"type": "string", "description": (
        "Path of the scenario file this one varies, relative to this file.")}, **variant["properties"]}
    variant["required"] = ["extends"]
    top = "|".join(key for key in defs["Scenario"]["properties"])
    variant["patternProperties"] = {rf"^(?:{top})(?:\.[^.\s]+)+$": {"description": (
        "A dotted key sets one value deep inside, e.g. queues.billing.handle_time.mean: 210.")}}
    parts = {_VARIANT_PART.format(name): _override(schema) for name, schema in defs.items()
             if name not in (*_WHOLE, "Scenario")}
    return {"$schema": DIALECT, "title": "ccsim scenario", "description": (
                "A ccsim scenario file (YAML). Durations are seconds or texts such as 20s, 4m30s, 2h; "
                'clock times "HH:MM"; rates per hour.'),
            "if": {"required": ["extends"]},
            "then": {"$ref": _REF + "ScenarioVariant"},
            "else": {"$ref": _REF + "Scenario"},
            "$defs": dict(sorted({**defs, **parts, "ScenarioVariant": variant}.items()))}


def templates_schema() -> dict[str, Any]:
    """The JSON Schema of a shift-template file (`ccsim staff SCENARIO --shifts FILE`)."""
    from ccsim.staffing.shift_plan import ShiftTemplates     # staffing builds on the scenario, not the reverse

    return {"$schema": DIALECT, "title": "ccsim shift templates",
            "description": "Shift templates for ccsim staff --shifts (YAML).",
            "$ref": _REF + "ShiftTemplates", "$defs": model_defs(ShiftTemplates)}


def model_defs(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON Schema as `$defs`, the model itself included, shared field types named (step 1)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})
    defs[model.__name__] = schema
    shared = _shared()
    named = {name: _hoist(schema, shared) for name, schema in defs.items()}
    for name, schema in shared.items():
        if _uses(named, name):
            named[name] = {key: _hoist(value, shared) for key, value in schema.items()}
    return dict(sorted(named.items()))


def schema_text(schema: dict[str, Any]) -> str:
    """The schema as stored: indented JSON, one trailing newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def _shared() -> dict[str, dict[str, Any]]:
    """Field-type fragments named in `$defs`, largest first (a distribution holds durations)."""
    return {"PositiveDistribution": js.distribution_schema(positive=True),
            "Distribution": js.distribution_schema(positive=False),
            "PositiveDuration": js.duration_schema(positive=True), "Duration": js.duration_schema(positive=False),
            "Clock": js.CLOCK_SCHEMA, "Weekday": WEEKDAY_SCHEMA, "Counts": js.COUNTS_SCHEMA,
            "Skills": js.SKILLS_SCHEMA}


def _hoist(node: Any, shared: dict[str, dict[str, Any]]) -> Any:
    """`node` with every shared fragment (a mapping holding all its items) replaced by a `$ref`,
    keeping the keys pydantic adds beside it (title, default, and the field's own description,
    which replaces the type's)."""
    if isinstance(node, list):
        return [_hoist(item, shared) for item in node]
    if not isinstance(node, dict):
        return node
    for name, fragment in shared.items():
        if all(key in node and node[key] == value for key, value in fragment.items() if key != "description"):
            return {"$ref": _REF + name,
                    **{k: v for k, v in node.items() if k not in fragment or (k == "description" and v != fragment[k])}}
    return {key: _hoist(value, shared) for key, value in node.items()}


def _uses(node: Any, name: str) -> bool:
    if isinstance(node, dict):
        return node.get("$ref") == _REF + name or any(_uses(v, name) for v in node.values())
    return isinstance(node, list) and any(_uses(v, name) for v in node)


def _override(node: Any) -> Any:
    """What a variant may give where `node` is expected (step 2): no required keys, key rules or
    least sizes of mappings, alternatives that may overlap (`oneOf` -> `anyOf`), references to the
    parts' own overrides. List items stay as they are: a variant's list replaces the base's whole."""
    if isinstance(node, list):
        return [_override(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("required", "allOf", "minProperties"):      # an empty mapping merges to the base's
            continue
        if key == "$ref" and value.removeprefix(_REF) not in _WHOLE:
            out[key] = _REF + _VARIANT_PART.format(value.removeprefix(_REF))
        elif key in ("items", "not", "default"):
            out[key] = copy.deepcopy(value)
        else:
            out["anyOf" if key == "oneOf" else key] = _override(value)
    return out
