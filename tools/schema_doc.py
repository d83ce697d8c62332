"""The scenario file's reference page, rendered from its JSON Schema so it cannot drift from it.

    .venv/bin/python tools/schema_doc.py > scenario.md

Prints markdown: the schema's description, then one section per definition (the scenario, a
variant, and every part they name) with a table of its keys: type, default (or required) and
description. The `...Override` definitions (a variant's partial parts: the same keys, all
optional) are left out. `make docs` renders this page through tools/mkdocs_hooks.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "ccsim" / "scenario" / "scenario.schema.json"
_FIRST = ["Scenario", "ScenarioVariant"]
_BOUNDS = {"minimum": "≥ {}", "exclusiveMinimum": "> {}", "maximum": "≤ {}", "exclusiveMaximum": "< {}",
           "minItems": "at least {} items", "minProperties": "at least {} entries"}


def schema_markdown(schema: dict) -> str:
    """The reference page for `schema` (a JSON Schema with `$defs`), as markdown."""
    defs = schema["$defs"]
    names = [*_FIRST, *sorted(n for n in defs if n not in _FIRST and not n.endswith("Override"))]
    parts = [_one_line(schema.get("description", "")),
             "A file with an `extends` key is a [variant](#scenariovariant) of another scenario; any other "
             "file is a [scenario](#scenario). Within a variant every key is optional and merges into the base's."]
    for name in names:
        parts.append(_definition(name, defs[name]))
    return "\n\n".join(parts) + "\n"


def _definition(name: str, d: dict) -> str:
    lines = [f"## {name}"]
    if d.get("description"):
        lines.append(d["description"].strip())
    props = d.get("properties", {})
    if props:
        required = set(d.get("required", []))
        described = any("description" in p for p in props.values())
        rows = [["key", "type", "default", *["description"] * described], ["---"] * (3 + described)]
        rows += [[f"`{key}`", _type(p), _default(p, key in required),
                  *[_one_line(p.get("description", ""))] * described] for key, p in props.items()]
        lines.append("\n".join("| " + " | ".join(row) + " |" for row in rows))
    elif "oneOf" in d or "anyOf" in d:
        lines.append("One of:\n\n" + "\n".join(f"- {_alternative(a)}" for a in d.get("oneOf") or d["anyOf"]))
    else:
        lines.append(f"Type: {_type(d)}.")
    return "\n\n".join(lines)


def _alternative(a: dict) -> str:
    """One branch of a `oneOf`: a type, or an object named by its title with its keys."""
    if "properties" not in a:
        return _type(a)
    keys = ", ".join(f"`{k}` ({_type(p)})" for k, p in a["properties"].items())
    return f"**{a['title']}**: {keys}" if "title" in a else keys


def _type(p: dict) -> str:
    if "$ref" in p:
        name = p["$ref"].rsplit("/", 1)[-1].removesuffix("Override")   # a variant's part: same keys
        text = f"[{name}](#{name.lower()})"
    elif "const" in p:
        text = f"`{json.dumps(p['const'])}`"
    elif "enum" in p:
        text = "one of " + ", ".join(f"`{json.dumps(v)}`" for v in p["enum"])
    elif "anyOf" in p or "oneOf" in p:
        text = " or ".join(_type(a) for a in p.get("anyOf") or p["oneOf"])
    elif p.get("type") == "array":
        text = f"list of {_type(p.get('items', {}))}"
    elif p.get("type") == "object" and isinstance(p.get("additionalProperties"), dict):
        text = f"map of name → {_type(p['additionalProperties'])}"
    elif "type" in p:
        text = {"string": "text", "integer": "integer", "number": "number", "boolean": "true/false",
                "null": "null", "object": "mapping"}.get(p["type"], str(p["type"]))
    else:
        text = "any"
    bounds = [fmt.format(p[k]) for k, fmt in _BOUNDS.items() if k in p and p[k] != 9223372036854775807]
    return ", ".join([text, *bounds])


def _default(p: dict, required: bool) -> str:
    if required:
        return "**required**"
    return f"`{json.dumps(p['default'])}`" if "default" in p else ""


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


if __name__ == "__main__":
    sys.stdout.write(schema_markdown(json.loads(SCHEMA_PATH.read_text())))
