"""The served folder: the scenarios it holds, and the only place the web app reads or writes.

Every name that comes from a request is checked here: a scenario is one of the folder's own
`*.yml`/`*.yaml` files (listed, never a path joined from the request), and a saved variant's
file name is a plain name without separators, written inside the folder and never over a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ccsim.atomic import atomic_write
from ccsim.errors import ScenarioError

SUFFIXES = (".yml", ".yaml")
FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")


@dataclass(frozen=True)
class ServedFolder:
    """A folder of scenario files; `root` is resolved (symbolic links followed) once."""

    root: Path

    @classmethod
    def open(cls, folder: Path | str) -> "ServedFolder":
        root = Path(folder).resolve()
        if not root.is_dir():
            raise ScenarioError(f"{folder} is not a folder of scenarios", path="FOLDER", file=str(folder))
        return cls(root)

    def scenarios(self) -> list[str]:
        """The scenario file names directly in the folder, sorted."""
        return sorted(p.name for p in self.root.iterdir() if p.suffix in SUFFIXES and self._inside(p) and p.is_file())

    def scenario(self, name: str, field: str = "baseline") -> Path:
        """The path of scenario `name`; ScenarioError naming `field` unless it is one the folder lists."""
        known = self.scenarios()
        if name not in known:
            raise ScenarioError(f"{name!r} is not a scenario of the served folder; choose one of {', '.join(known)}",
                                path=field)
        return self.root / name

    def file(self, name: str) -> Path | None:
        """A file inside the folder by its relative path, or None if it is missing or would leave the folder."""
        path = (self.root / name)
        return path if self._inside(path) and path.is_file() else None

    def new_file(self, name: str, field: str = "file_name") -> Path:
        """Where a new scenario `name` (".yml" added when missing) goes; ScenarioError naming `field` for a
        name with separators, dots up front or one that exists."""
        name = name.strip()
        if not name.endswith(SUFFIXES):
            name += ".yml"
        if not FILE_NAME.fullmatch(name) or ".." in name:
            raise ScenarioError(f"{name!r} is not a plain file name: use letters, digits, '_', '-' and '.', "
                                "no folders (the file is saved in the served folder)", path=field)
        path = self.root / name
        if path.exists():
            raise ScenarioError(f"{name} exists already; choose another name", path=field)
        return path

    def write(self, path: Path, text: str) -> Path:
        if not self._inside(path):
            raise ScenarioError(f"{path.name} is outside the served folder", path="file_name")
        atomic_write(path, lambda handle: handle.write(text))
        return path

    def _inside(self, path: Path) -> bool:
        return path.resolve().is_relative_to(self.root)
