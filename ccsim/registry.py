"""Registries of pluggable classes chosen by name in a scenario: distributions, routing and
blending policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T", bound=type)


class Registry(Generic[T]):
    """Classes by name. `register(name)` is a class decorator that also sets `cls.name`."""

    def __init__(self, kind: str):
        self.kind = kind
        self._classes: dict[str, T] = {}

    def register(self, name: str) -> Callable[[T], T]:
        def add(cls: T) -> T:
            cls.name = name
            self._classes[name] = cls
            return cls

        return add

    def unregister(self, name: str) -> None:
        """Forget the class registered as `name` (e.g. one a test or notebook registered for a while)."""
        self._classes.pop(name, None)

    def names(self) -> list[str]:
        """The registered names, sorted."""
        return sorted(self._classes)

    def get(self, name: str) -> T:
        """The class registered as `name`; KeyError lists the allowed names."""
        try:
            return self._classes[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} {name!r}; allowed: {', '.join(self.names())}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._classes
