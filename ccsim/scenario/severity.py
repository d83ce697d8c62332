"""Severity grading of process tickets: each ticket belongs to one class (e.g. high, medium, low)
with its own share of the arrivals, priority, stage limits, escalation target and promise.

A process with classes runs as one process per class, "<process>/<class>" (`apply_severity`,
called when the plan is compiled), so every process, stage and customer KPI comes per class.
The class is drawn when the ticket arrives: it is what the grading stage will find, and its
rules hold from the first stage on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import Field

from ccsim.scenario.calendar import Limit
from ccsim.scenario.types import Strict, Whole

if TYPE_CHECKING:
    from ccsim.scenario.flows import Process
    from ccsim.scenario.models import Scenario

Share = Annotated[float, Field(gt=0, le=1)]


class SeverityClass(Strict):
    """One class: `share` of the process's tickets; `priority` of its work in every stage queue
    (lower is served first; default the stage's own); `time_limits` per stage name (or queue
    name for an unnamed stage) replacing the stage's limit; `escalate_to` the queue its tickets
    go to when a limited stage overruns (default the stage's own); `promise` end to end
    (default the process's)."""

    share: Share
    """Share (above 0, up to 1) of the process's cases in this class; the classes' shares add up to 1."""
    priority: Whole | None = None
    """Priority its work waits with in every stage queue (lower is served first; default the stage's own)."""
    time_limits: dict[str, Limit] = {}
    """Per stage name: the time limit replacing the stage's own (seconds or a text such as 30m; or on the calendar)."""
    escalate_to: str | None = None
    """Queue its cases go to when a stage with a time limit overruns (default the stage's own escalation)."""
    promise: Limit | None = None
    """End-to-end target of this class (seconds or a text such as 2d, or on the calendar; default the process's)."""


def severity_problems(process: "Process") -> list[tuple[str, str]]:
    """(field path below the process, message) for classes that cannot be used: shares that do
    not add up to 1, time limits naming no stage."""
    found = []
    if process.severity:
        total = sum(c.share for c in process.severity.values())
        if abs(total - 1.0) > 1e-9:
            found.append(("severity", f"the class shares add up to {total:g}; they must add up to 1"))
    labels = [stage.label for stage in process.stages]
    for name, cls in process.severity.items():
        for stage in cls.time_limits:
            if stage not in labels:
                found.append((f"severity.{name}.time_limits.{stage}",
                               f"names no stage of the process; stages: {', '.join(labels)}"))
    return found


def class_process(process: "Process", cls: SeverityClass) -> "Process":
    """The process as the tickets of class `cls` go through it."""
    stages = []
    for stage in process.stages:
        limit = cls.time_limits.get(stage.label, stage.time_limit)
        update = {"time_limit": limit}
        if cls.priority is not None:
            update["priority"] = cls.priority
        if cls.escalate_to is not None and limit is not None:
            update["escalate_to"] = cls.escalate_to
        stages.append(stage.model_copy(update=update))
    return process.model_copy(update={
        "arrivals": process.arrivals.scaled(cls.share), "stages": stages, "severity": {},
        "promise": cls.promise if cls.promise is not None else process.promise})


def apply_severity(sc: "Scenario") -> "Scenario":
    """`sc` with each process that has severity classes replaced by one process per class,
    "<process>/<class>", in the order the classes are declared."""
    if not any(p.severity for p in sc.processes.values()):
        return sc
    processes = {}
    for name, process in sc.processes.items():
        if not process.severity:
            processes[name] = process
        for cls_name, cls in process.severity.items():
            processes[f"{name}/{cls_name}"] = class_process(process, cls)
    return sc.model_copy(update={"processes": processes})
