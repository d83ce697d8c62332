"""Errors that carry their context: which file, which line, which field, what is allowed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario: dotted field `path`, `message`, and where it is."""

    path: str
    message: str
    line: int | None = None
    file: str | None = None

    def __str__(self) -> str:
        where = self.file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class CcsimError(Exception):
    """Base class of every error ccsim raises for a user mistake (never a bug)."""


class ScenarioError(CcsimError):
    """A scenario that cannot be used; holds one `Problem` per mistake found."""

    def __init__(
        self,
        message: str | None = None,
        *,
        path: str = "",
        line: int | None = None,
        file: str | None = None,
        problems: list[Problem] | None = None,
    ):
        self.problems: list[Problem] = list(problems or [])
        if message is not None:
            self.problems.append(Problem(path=path, message=message, line=line, file=file))
        super().__init__("\n".join(str(p) for p in self.problems))

    def with_file(self, file: str) -> "ScenarioError":
        """The same problems, attributed to `file` where they name no file yet."""
        return ScenarioError(
            problems=[
                p if p.file else Problem(p.path, p.message, p.line, file) for p in self.problems
            ]
        )


class StaffingError(CcsimError):
    """Staffing cannot be planned as asked (e.g. shift templates that cannot cover an interval)."""


class RecordsNotKept(CcsimError):
    """Per-contact records (or a KPI computed from them) asked of a run that did not keep them."""
