"""Load a scenario from YAML with line numbers, turning every mistake into a `ScenarioError`."""

from __future__ import annotations

import os
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ccsim.distributions import ParameterError
from ccsim.errors import Problem, ScenarioError
from ccsim.textfiles import TextFileError, read_text
from ccsim.scenario.models import Scenario
from ccsim.scenario.yamltext import read_yaml
from ccsim.scenario.variants import expand_dotted, layer, resolve_extends, unknown_entries

Path_ = tuple[Any, ...]
M = typing.TypeVar("M", bound=BaseModel)


def parse_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]]:
    """The YAML document and a map from field path to 1-based line number (see `yamltext`)."""
    found = read_yaml(text, file)
    if found is None:
        raise ScenarioError("the file is empty; a scenario needs horizon, queues and agent_groups", file=file)
    return found


def validate_data(data: Any, *, base_dir: Path | str = ".", file: str | None = None,
                  lines: Mapping[Path_, int] | None = None, model: type[M] = Scenario,
                  where: Mapping[Path_, tuple[str, int]] | None = None, chain: list[str] | None = None) -> M:
    """A validated `model` (a Scenario unless told) from plain data; every mistake becomes a
    Problem in one ScenarioError. `where` (path -> file, line) locates keys that came from
    several files (a variant and what it extends, listed in `chain`)."""
    lines = lines or {}
    if where is None:
        where = {path: (file, line) for path, line in lines.items()}
    note = f" [{chain[0]} extends {' <- '.join(chain[1:])}]" if chain and len(chain) > 1 else ""

    def located(path: str, message: str, line: int | None = None, known_file: str | None = None) -> Problem:
        origin_file, origin_line = _origin(where, _split(path), file)
        return Problem(path, message + note, line or origin_line, known_file or origin_file)

    if not isinstance(data, Mapping):
        raise ScenarioError(f"expected a mapping of keys ({', '.join(list(model.model_fields)[:3])}, ...)",
                            file=file, line=1)
    try:
        return model.model_validate(data, context={"base_dir": str(base_dir)})
    except ValidationError as exc:
        found = list(dict.fromkeys(_problem(err, model) for err in _one_branch(exc.errors())))
        found += [(p.path, p.message) for p in _problems_beside(data, exc.errors(), model, base_dir)]
        raise ScenarioError(problems=[located(path, message) for path, message in found]) from None
    except ScenarioError as exc:
        raise ScenarioError(problems=[located(p.path, p.message, p.line, p.file) for p in exc.problems]) from None


def _problems_beside(data: Mapping[str, Any], errors: list[Any], model: type[BaseModel],
                     base_dir: Path | str) -> list[Problem]:
    """Cross-field problems of the parts of `data` that validated, so that one bad field does not
    hide them: entries of named maps (queues.X) and top-level fields with errors are left out
    (fields with a default take it) and the rest is validated again, told the names of every entry."""
    named = [name for name, field in model.model_fields.items() if typing.get_origin(field.annotation) is dict]
    repaired = {key: dict(value) if key in named and isinstance(value, Mapping) else value for key, value in data.items()}
    for err in errors:
        loc = tuple(err["loc"])
        if not loc or loc[0] not in repaired:
            continue
        if loc[0] in named and len(loc) > 1 and isinstance(repaired[loc[0]], dict):
            repaired[loc[0]].pop(loc[1], None)
        else:
            repaired.pop(loc[0])
    names = {key: [str(k) for k in data[key]] if isinstance(data.get(key), Mapping) else [] for key in named}
    try:
        model.model_validate(repaired, context={"base_dir": str(base_dir), "entry_names": names})
    except ValidationError:
        return []          # what is left cannot be judged as a whole
    except ScenarioError as exc:
        return exc.problems
    return []


def _origin(where: Mapping[Path_, tuple[str | None, int]], path: Path_, file: str | None) -> tuple[str | None, int | None]:
    """File and line of the nearest key on `path` that some file set."""
    for end in range(len(path), -1, -1):
        if path[:end] in where:
            origin_file, line = where[path[:end]]
            return origin_file or file, line or None
    return file, None


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _split(dotted: str) -> Path_:
    return tuple(int(p) if p.isdigit() else p for p in dotted.split(".")) if dotted else ()


_UNION_TAG = re.compile(r"^(constrained-)?(float|int|str|bool)$|^[a-z-]+\[.*\]$")


def _one_branch(errors: list[Any]) -> list[Any]:
    """The errors with union-branch tags ("constrained-float", "dict[str,...]") taken out of
    their locations, keeping one branch per value: the branch that failed inside the value
    (a bad entry of a mapping) if any, else the first."""
    by_value: dict[Path_, list[tuple[Any, bool]]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        tags = [i for i, step in enumerate(loc) if isinstance(step, str) and _UNION_TAG.match(step)]
        at = loc[:tags[0]] if tags else loc
        clean = tuple(step for i, step in enumerate(loc) if i not in tags)
        by_value.setdefault(at, []).append(({**err, "loc": clean}, bool(tags) and tags[-1] < len(loc) - 1))
    kept = []
    for branches in by_value.values():
        inside = [err for err, deeper in branches if deeper]
        kept += inside or [branches[0][0]]
    return kept


def _problem(err: Mapping[str, Any], root: type[BaseModel]) -> tuple[str, str]:
    """(dotted path, message) of one pydantic error."""
    loc = tuple(err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, ParameterError):
        loc = loc + _split(cause.key)
        message = str(cause)
    elif err["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1], root)
        message = f"unknown key {loc[-1]!r}" + (f"; allowed: {', '.join(allowed)}" if allowed else "")
    elif err["type"] == "missing":
        message = "required field is missing"
    else:
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] not in ("value_error", "assertion_error") and "input" in err:
            message += f" (got {err['input']!r})"
    return _dotted(loc), message


def _allowed_keys(loc: Path_, root: type[BaseModel]) -> list[str]:
    """Field names of the schema model found at `loc` below `root` (skipping mapping keys)."""
    model: Any = root
    for step in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            field = model.model_fields.get(step)
            if field is None:
                return []
            model = field.annotation
        elif typing.get_origin(model) is dict:
            model = typing.get_args(model)[1]
        elif typing.get_origin(model) in (list, tuple) and isinstance(step, int):
            model = typing.get_args(model)[0]
        else:
            return []
        model = _unwrap_optional(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap_optional(tp: Any) -> Any:
    """`X` for `X | None`, and for `Annotated[X, ...]` (validators attached to a type)."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, getattr(__import__("types"), "UnionType")) and len(args) == 1:
        return _unwrap_optional(args[0])
    if typing.get_origin(tp) is typing.Annotated:
        return _unwrap_optional(args[0])
    return tp


def load_scenario(source: str | Path | Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> Scenario:
    """A validated Scenario from a YAML file path or a mapping; raises ScenarioError on any mistake.

    A file may say `extends: base.yml` and override parts of it (dotted keys allowed);
    `overrides` ({"queues.billing.handle_time.mean": 210}) are laid over the result.

    Example:
        >>> sc = ccsim.load_scenario("scenarios/hotline.yml", {"queues.billing.service_level.threshold": "30s"})
        >>> sc.interval, sc.queues["billing"].service_level.threshold     # durations in seconds
        (1800.0, 30.0)
    """
    return load_model(source, Scenario, overrides)


def load_model(source: str | Path | Mapping[str, Any], model: type[M], overrides: Mapping[str, Any] | None = None) -> M:
    """A validated `model` from a YAML file path or a mapping; raises ScenarioError (file, line,
    field path) on any mistake. A file's stem is its default `name`, where the model has one."""
    if isinstance(source, Mapping):
        data, where, chain, base_dir = dict(source), {}, None, "."
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        data, where = _read(path, display=str(source))
        _refuse_other_kind(data, where, model, str(source))
        data, where, chain = resolve_extends(data, where, path, _read)
        if isinstance(data, dict) and "name" in model.model_fields:
            data.setdefault("name", path.stem)
        base_dir = path.parent
    else:
        raise ValueError(f"source must be a path to a YAML file or a mapping, got {type(source).__name__}")
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ValueError(f"overrides must be a mapping of dotted keys to values, got {type(overrides).__name__}")
    if overrides:
        typos = unknown_entries(data, {k: ("--set", None) for k in overrides})
        if typos:
            raise ScenarioError(problems=typos)
        marks = {(k, *inner): ("--set", 0) for k, v in overrides.items() for inner in _inner_paths(v)}
        extra, extra_where = expand_dotted(dict(overrides), marks)
        data, where = layer(data, where, extra, extra_where)
    file = None if isinstance(source, Mapping) else str(source)
    return validate_data(data, base_dir=base_dir, file=file, model=model, where=where, chain=chain)


# Files of other kinds that a command may be given by mistake: key that marks them, what they are,
# and the command that reads them.
OTHER_KINDS = (
    ("templates", "a shift-template file", "ccsim staff SCENARIO --shifts {file}"),
    ("queues", "a scenario file", "ccsim run {file} (or validate, staff, compare)"),
)


def _refuse_other_kind(data: Any, where: Mapping[Path_, tuple[str, int]], model: type[BaseModel], file: str) -> None:
    """A clear error when the file is of another kind than `model` reads (a shift-template file
    given where a scenario is expected, and the other way round)."""
    if not isinstance(data, Mapping):
        return
    for marker, kind, usage in OTHER_KINDS:
        required = {name for name, field in model.model_fields.items() if field.is_required()}
        if marker in data and marker not in model.model_fields and not required & set(data):
            line = where.get((marker,), (file, None))[1]
            raise ScenarioError(f"this is {kind} (it has '{marker}:'), not the file this command reads; "
                                f"use it with: {usage.format(file=file)}", file=file, line=line)


def _inner_paths(value: Any) -> list[Path_]:
    """() and the path of everything nested in `value` (mapping keys, list indices)."""
    items = value.items() if isinstance(value, Mapping) else enumerate(value) if isinstance(value, list) else ()
    return [(), *((key, *inner) for key, child in items for inner in _inner_paths(child))]


def _read(path: Path, display: str | None = None) -> tuple[Any, dict[Path_, tuple[str, int]]]:
    """A YAML file's data and, for every field path, (file, line)."""
    file = display or str(path)
    if not path.is_file():
        raise ScenarioError("file not found" if not path.exists() else "not a file", file=file)
    try:
        text = read_text(path)
    except TextFileError as exc:
        raise ScenarioError(exc.reason, file=file, line=exc.line) from None
    data, lines = parse_yaml(text, file)
    return data, {p: (file, line) for p, line in lines.items()}
