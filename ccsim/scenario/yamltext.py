"""YAML text -> plain data (mappings, lists, strings, numbers, booleans, null) and the line of
every field, safely: no objects are ever constructed, and a document that would expand past
`MAX_VALUES` values through aliases (a "billion laughs" bomb) is refused before it is expanded.

The text is composed once into nodes; the nodes are checked (tags, size, keys, duplicates) and
then constructed once into data. Every mistake is a `ScenarioError` with file and line.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import ConstructorError

from ccsim.errors import Problem, ScenarioError

Path_ = tuple[Any, ...]

MAX_BYTES = 20_000_000          # a scenario of a year of 15-minute intervals for 50 queues is ~5 MB
MAX_VALUES = 2_000_000          # values after alias expansion (an alias counts at every use)
MAX_DEPTH = 60                  # nesting of mappings and lists; scenarios nest about 8 deep

_YAML = "tag:yaml.org,2002:"
ALLOWED_TAGS = {_YAML + t for t in ("str", "int", "float", "bool", "null", "map", "seq")}
_PLAIN = "strings, numbers, booleans, null, lists and mappings"


class _Loader(yaml.SafeLoader):
    """YAML 1.2-like scalars: "20:00" stays a string (YAML 1.1 would read base-60 1200), and
    so does "2024-05-01" (no timestamps). A scalar that does not fit its explicit tag
    (`!!int abc`) is a ConstructorError at its line."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, KeyError, TypeError, OverflowError):
            raise ConstructorError(None, None, f"cannot read {node.value!r} as {_tag_text(node.tag)}",
                                   node.start_mark) from None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_YAML + "int", _YAML + "float", _YAML + "timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _YAML + "int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _YAML + "float",
    re.compile(r"^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]+(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$"
               r"|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$"),
    list("-+0123456789."))


def read_yaml(text: str, file: str) -> tuple[Any, dict[Path_, int]] | None:
    """The data of one YAML document and a map from field path to 1-based line number;
    None for an empty document. Raises ScenarioError (file, line) for anything else than
    plain data of a sensible size."""
    if len(text) > MAX_BYTES:
        raise ScenarioError(f"the file holds {len(text):,} characters; at most {MAX_BYTES:,} are allowed", file=file)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check(node, file)
        lines: dict[Path_, int] = {}
        duplicates: list[Problem] = []
        _index(node, (), lines, duplicates)
        if duplicates:
            raise ScenarioError(problems=[Problem(p.path, p.message, p.line, file) for p in duplicates])
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"not valid YAML: {reason}", line=line, file=file) from None
    except RecursionError:
        raise ScenarioError(f"not valid YAML: nested more than {MAX_DEPTH} levels deep", file=file) from None
    finally:
        loader.dispose()
    return data, lines


def _check(root: yaml.Node, file: str) -> None:
    """Refuse tags other than plain data, keys that are not scalars, nesting deeper than
    MAX_DEPTH, aliases that contain themselves, and documents that expand past MAX_VALUES."""
    sizes: dict[int, int] = {}          # id(node) -> values it expands to, aliases included

    def size(node: yaml.Node, depth: int, open_: set[int]) -> int:
        line = node.start_mark.line + 1
        if id(node) in open_:
            raise ScenarioError("an alias refers to a mapping or list that contains it (a structure without end)",
                                file=file, line=line)
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_DEPTH:
            raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep", file=file, line=line)
        if node.tag not in ALLOWED_TAGS:
            raise ScenarioError(f"YAML tag {_tag_text(node.tag)} is not allowed: a scenario holds only {_PLAIN}",
                                file=file, line=line)
        total = 1
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            open_.add(id(node))
            pairs = node.value if isinstance(node, yaml.MappingNode) else [(None, item) for item in node.value]
            for key, value in pairs:
                if key is not None and not (isinstance(key, yaml.ScalarNode) or key.tag == _YAML + "merge"):
                    raise ScenarioError("a key must be a plain name, not a mapping or list",
                                        file=file, line=key.start_mark.line + 1)
                if key is not None and key.tag != _YAML + "merge":
                    total += size(key, depth + 1, open_)
                total += size(value, depth + 1, open_)
                if total > MAX_VALUES:
                    raise ScenarioError(
                        f"expands to more than {MAX_VALUES:,} values (an alias counts at every use): "
                        "excessive alias expansion; write the values out or use fewer aliases",
                        file=file, line=line)
            open_.discard(id(node))
        sizes[id(node)] = total
        return total

    size(root, 0, set())


def _tag_text(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


def _index(node: yaml.Node, path: Path_, lines: dict[Path_, int], duplicates: list[Problem]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = key_node.value
            if key in seen:
                duplicates.append(Problem(_dotted(path + (key,)), "key given twice", key_node.start_mark.line + 1))
            seen.add(key)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _index(value_node, path + (key,), lines, duplicates)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, path + (i,), lines, duplicates)


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)
