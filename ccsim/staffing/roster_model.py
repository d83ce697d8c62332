"""The roster file (`ccsim staff --roster roster.yml`): shift templates as in a shift-template file,
the agents of each group (a number, or names), and the weekly rules every agent's week must keep.

This module owns the schema only; `roster` builds and solves the plan, `roster_check` checks one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from ccsim.scenario.types import Duration, PositiveDuration, Strict, Weekday
from ccsim.staffing.shift_plan import ShiftTemplate
from ccsim.units import format_duration


def _agents(value: Any) -> Any:
    """A whole number of numbered agents, a list of distinct names, or names with their own settings."""
    if isinstance(value, dict):
        if not value:
            raise ValueError("expected at least one agent name")
        return {str(k): ({} if v is None else v) for k, v in value.items()}
    if isinstance(value, bool):
        raise ValueError(f"expected a number of agents or a list of names, got {value!r}")
    if isinstance(value, int):
        if value < 1:
            raise ValueError(f"expected at least 1 agent, got {value}")
        return value
    if isinstance(value, (list, tuple)):
        names = [str(v) for v in value]
        if not names:
            raise ValueError("expected at least one agent name")
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"agent names must differ; listed more than once: {', '.join(twice)}")
        return tuple(names)
    raise ValueError("expected a number of agents (e.g. 12), a list of names (e.g. [Ann, Bob]) or names with "
                     f"their own settings (e.g. {{Ann: {{unavailable: [sun]}}}}), got {value!r}")


class WeeklyHours(Strict):
    """Paid hours of an agent's week, when the agent works at all: at least `min`, at most `max`."""

    min: Duration = 0.0
    max: PositiveDuration = 7 * 86400.0

    @model_validator(mode="after")
    def _ordered(self) -> WeeklyHours:
        if self.min > self.max:
            raise ValueError(f"min ({format_duration(self.min)}) is above max ({format_duration(self.max)})")
        return self


class Rules(Strict):
    """What every agent's week keeps. `days_off`: days without a shift, at least; `consecutive`:
    those days off in one block (the week wraps: Sunday and Monday are consecutive);
    `weekly_hours`; `rest`: from the end of a shift to the start of the next, at least;
    `same_start`: every shift of an agent's week starts at the same clock time."""

    days_off: int = Field(2, ge=0, le=7)
    consecutive: bool = True
    weekly_hours: WeeklyHours = WeeklyHours()
    rest: Duration = 11 * 3600.0
    same_start: bool = False


class Agent(Strict):
    """One named agent's own settings: weekdays the agent cannot work (`unavailable`), and rules
    that differ from the group's (e.g. `weekly_hours: {max: 20h}` for a part-timer)."""

    unavailable: tuple[Weekday, ...] = ()
    days_off: int | None = Field(None, ge=0, le=7)
    consecutive: bool | None = None
    weekly_hours: dict[str, Any] | None = None
    rest: Duration | None = None
    same_start: bool | None = None

    def overrides(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, exclude={"unavailable"})


class RosterGroup(Strict):
    """The agents of one group: `agents` (a number: numbered agents G-01, G-02, ...; a list of
    names; or names with their own `Agent` settings), `rules` that differ from the file's (merged
    key by key), `cost_per_agent` for each agent with at least one shift in the week (overheads;
    0: only paid hours cost)."""

    agents: Annotated[int | tuple[str, ...] | dict[str, Agent], BeforeValidator(_agents)]
    rules: dict[str, Any] = {}
    cost_per_agent: float = Field(0.0, ge=0, allow_inf_nan=False)

    def agent_names(self, group: str) -> list[str]:
        if isinstance(self.agents, int):
            width = len(str(self.agents))
            return [f"{group}-{k:0{width}d}" for k in range(1, self.agents + 1)]
        return list(self.agents)

    def settings(self, name: str) -> Agent:
        return self.agents.get(name, Agent()) if isinstance(self.agents, dict) else Agent()


class Coverage(Strict):
    """Coverage of the requirement: a hard constraint, or, with `under_penalty` (currency per
    agent-hour short), a price paid for each agent-hour below it."""

    under_penalty: float | None = Field(None, gt=0, allow_inf_nan=False)


class Solver(Strict):
    """Stop each group's search after `time_limit` or within `gap` of the optimum (relative)."""

    time_limit: PositiveDuration = 60.0
    gap: float = Field(0.005, ge=0, lt=1)


class RosterFile(Strict):
    """A roster file: `templates` (as in a shift-template file; a template may cross midnight in
    a horizon open around the clock), `groups` (the agents per agent group), `rules` for every
    agent, `coverage` and `solver` settings."""

    templates: dict[str, ShiftTemplate] = Field(min_length=1)
    groups: dict[str, RosterGroup] = Field(min_length=1)
    rules: Rules = Rules()
    coverage: Coverage = Coverage()
    solver: Solver = Solver()

    @model_validator(mode="after")
    def _group_rules(self) -> RosterFile:
        for name, group in self.groups.items():
            try:
                self.rules_of(name)
            except ValueError as exc:
                raise ValueError(f"groups.{name}.rules: {_first(exc)}") from None
            for agent in group.agent_names(name):
                try:
                    self.rules_of(name, agent)
                except ValueError as exc:
                    raise ValueError(f"groups.{name}.agents.{agent}: {_first(exc)}") from None
        return self

    def rules_of(self, group: str, agent: str | None = None) -> Rules:
        """The file's rules with the group's own laid over them, and the agent's over those."""
        layers = [self.groups[group].rules]
        if agent is not None:
            layers.append(self.groups[group].settings(agent).overrides())
        merged = self.rules.model_dump()
        for layer in layers:
            hours = {**merged["weekly_hours"], **(layer.get("weekly_hours") or {})}
            merged = {**merged, **layer, "weekly_hours": hours}
        return Rules.model_validate(merged)


def _first(exc: ValueError) -> str:
    """The first message of a validation error, without pydantic's decoration."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        e = errors()[0]
        where = ".".join(str(p) for p in e["loc"])
        return (f"{where}: " if where else "") + e["msg"].removeprefix("Value error, ")
    return str(exc)
