"""Scenario variants: `extends: base.yml` with deep-merged overrides, dotted keys
(`queues.billing.handle_time.mean: 210`) and one-off `--set key=value` overrides.

Mappings merge key by key; anything else (numbers, strings, lists) replaces what the base had.
Every key remembers the file and line that set it, so a mistake is reported where it was made.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ccsim.errors import Problem, ScenarioError

Path_ = tuple[Any, ...]
Where = dict[Path_, tuple[str, int]]      # field path -> (file, line) that set it


def expand_dotted(data: Any, where: Where, old: Path_ = (), new: Path_ = ()) -> tuple[Any, Where]:
    """`data` with dotted keys turned into nested mappings, and `where` re-keyed to match."""
    moved: Where = {}
    if not isinstance(data, Mapping):
        for path, origin in where.items():
            if path[:len(old)] == old:
                moved[new + path[len(old):]] = origin
        return data, moved
    if old in where:
        moved[new] = where[old]
    out: dict[Any, Any] = {}
    for key, value in data.items():
        parts = tuple(key.split(".")) if isinstance(key, str) else (key,)
        child, child_where = expand_dotted(value, where, old + (key,), new + parts)
        for i in range(1, len(parts)):                      # intermediate mappings a dotted key creates
            moved.setdefault(new + parts[:i], where.get(old + (key,), ("", 0)))
        moved.update(child_where)
        target = out
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = merge(target[parts[-1]], child) if parts[-1] in target else child
    return out, moved


def merge(base: Any, override: Any) -> Any:
    """`override` laid over `base`: mappings merge key by key, anything else replaces."""
    if isinstance(base, Mapping) and isinstance(override, Mapping):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    return override


def layer(base: Any, base_where: Where, override: Any, override_where: Where) -> tuple[Any, Where]:
    """Merge `override` over `base`, keeping for every path the origin of whatever won."""
    merged = merge(base, override)
    where = dict(base_where)
    for path in override_where:
        if not isinstance(_get(override, path), Mapping):   # replaced: the base's insides are gone
            where = {p: o for p, o in where.items() if p[:len(path)] != path or p == path}
    where.update(override_where)
    return merged, where


def parse_assignment(text: str) -> tuple[str, Any]:
    """`key.path=value` with the value read as YAML (numbers, strings, lists, mappings);
    `key.path=null` removes the key. An empty value is an error, never a silent removal."""
    from ccsim.scenario.yamltext import read_yaml

    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key or any(not part.strip() for part in key.split(".")):
        raise ScenarioError(f"expects key.path=value (e.g. queues.billing.handle_time.mean=210), got {text!r}",
                            file="--set")
    try:
        found = read_yaml(raw, "--set")
    except ScenarioError as exc:
        raise ScenarioError(problems=[Problem(key, p.message, None, "--set") for p in exc.problems]) from None
    if found is None:
        raise ScenarioError(f"empty value for {key}; to remove a key write {key}=null", path=key, file="--set")
    return key, found[0]


NAMED_ENTRIES = {"queues": "queue", "agent_groups": "agent group", "processes": "process",
                 "templates": "shift template"}


def unknown_entries(base: Any, keys: Mapping[str, tuple[str | None, int | None]]) -> list[Problem]:
    """Dotted keys that reach inside a named entry `base` does not have (`queues.bilign.priority`
    when there is no queue bilign): a typo, not a new entry. `keys` maps each key to (file, line)."""
    found = []
    for key, (file, line) in keys.items():
        parts = key.split(".") if isinstance(key, str) else []
        if len(parts) < 3 or parts[0] not in NAMED_ENTRIES or not isinstance(base, Mapping):
            continue
        known = base.get(parts[0])
        known = list(known) if isinstance(known, Mapping) else []
        if parts[1] not in known:
            noun = NAMED_ENTRIES[parts[0]]
            found.append(Problem(key, f"unknown {noun} {parts[1]!r}; {parts[0].replace('_', ' ')}: "
                                      f"{', '.join(map(str, known)) or 'none'}", line or None, file))
    return found


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        if isinstance(data, Mapping) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and step < len(data):
            data = data[step]
        else:
            return None
    return data


def resolve_extends(data: Any, where: Where, path: Path, read, seen: tuple[Path, ...] = ()) -> tuple[Any, Where, list[str]]:
    """Follow `extends:` from the file at `path` (already read into `data`, `where`); returns the
    merged data, origins and the chain of files, this one first. `read(path)` reads a file."""
    chain = [str(path)]
    if not isinstance(data, Mapping) or "extends" not in data:
        return data, where, chain
    data = dict(data)
    target = data.pop("extends")
    line = where.get(("extends",), (str(path), 0))[1]
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError("extends: expected the path of the scenario file this one varies", file=str(path), line=line)
    base_path = (path.parent / target).resolve()
    if base_path in seen or base_path == path.resolve():
        names = " -> ".join(str(p) for p in (*seen, path.resolve(), base_path))
        raise ScenarioError(f"extends: the files extend each other in a cycle ({names})", file=str(path), line=line)
    if not base_path.is_file():
        raise ScenarioError(f"extends: file not found: {base_path}", file=str(path), line=line)
    base, base_where = read(base_path)
    base, base_where, base_chain = resolve_extends(base, base_where, base_path, read, (*seen, path.resolve()))
    typos = unknown_entries(base, {k: where.get((k,), (str(path), 0)) for k in data})
    if typos:
        raise ScenarioError(problems=typos)
    own_where = {p: o for p, o in where.items() if p != ("extends",)}
    overrides, own_where = expand_dotted(data, own_where)
    merged, merged_where = layer(base, base_where, overrides, own_where)
    return merged, merged_where, chain + base_chain
