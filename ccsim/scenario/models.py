"""The scenario schema: strict, immutable pydantic models with units parsed at load time.

Field-level rules live on the fields; rules that span fields (a skill naming an unknown
queue, list lengths against the horizon) live in `ccsim.scenario.checks` and run from
`Scenario`'s model validator, raising `ScenarioError` with one problem per mistake.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from ccsim.channels import CHANNEL_NAMES, CHANNELS, CONCURRENT_CHANNELS, LIVE_CHANNELS
from ccsim.scenario.arrivals import Arrivals
from ccsim.scenario.calendar import Calendar, Limit
from ccsim.scenario.decision import Decision
from ccsim.scenario.economics import Costs, Investment
from ccsim.scenario.levers import Pilot, Proficiency
from ccsim.scenario.satisfaction import Satisfaction
from ccsim.scenario.flows import Attempts, Callback, Escalation, Process, Transfer, Unresolved
from ccsim.scenario.shifts import Shifts, break_requests, rhythm_handle_factor, shift_staff
from ccsim.scenario.type_schemas import exactly_one, key_rules
from ccsim.scenario.types import (
    Clock, Counts, Duration, PositiveDistributionSpec, PositiveDuration, Probability, Seed, Skills, Strict, WEEKDAYS, Weekday, Whole,
)
from ccsim.units import format_clock


class Horizon(Strict):
    """Opening hours: `days` consecutive days, each open from `start` to `end` (clock times).

    `first_day` is the weekday of day 1, so shifts can name weekdays.
    """

    start: Clock
    """Opening time each day, a clock time "HH:MM"."""
    end: Clock
    """Closing time each day, a clock time "HH:MM" after start (up to "24:00")."""
    days: Whole = Field(1, ge=1)
    """Number of consecutive days simulated."""
    first_day: Weekday = "mon"
    """Weekday of day 1 (mon..sun), so that shifts and day_factors can name weekdays."""

    @model_validator(mode="after")
    def _end_after_start(self) -> "Horizon":
        if self.end <= self.start:
            raise ValueError(f"end ({format_clock(self.end)}) must be after start ({format_clock(self.start)})")
        return self

    @property
    def open_s(self) -> float:
        """Open seconds per day."""
        return self.end - self.start


class ServiceLevel(Strict):
    """The promise: `target` share answered within `threshold` seconds.

    `abandons` says how abandoned contacts enter the ratio: `exclude_within_threshold`
    (the default: abandons before the threshold leave the denominator), `count`
    (every abandon is a miss) or `ignore` (answered contacts only). `max_asa` (seconds) and
    `max_abandon` (a share) are further targets that staffing meets too.
    """

    threshold: Limit = 20.0
    """A contact answered within this wait is on time (seconds or a text such as 20s; or on the calendar, e.g. {working: 2h})."""
    target: float = Field(0.8, gt=0, le=1)
    """Share (0 to 1] of contacts to answer within threshold, e.g. 0.8 for 80/20."""
    abandons: Literal["exclude_within_threshold", "count", "ignore"] = "exclude_within_threshold"
    """How abandoned contacts enter the service level: exclude_within_threshold, count (each is a miss) or ignore."""
    max_asa: PositiveDuration | None = None
    """Further target: the longest acceptable average speed of answer (seconds or a text such as 30s)."""
    max_abandon: float | None = Field(None, gt=0, lt=1)
    """Further target: the largest acceptable share (0 to 1) of contacts abandoning."""


class Queue(Strict):
    """One contact type and its waiting line, and where its contacts go next.

    A queue without `arrivals` is fed only by transfers, escalations and process stages.
    `fcr` is the probability that a service resolves the contact (first-contact resolution).
    Chat: an agent holds up to `concurrency` chats at once, and each chat in hand beyond the
    first stretches a new chat's handle time by `slowdown` (0.2: +20% per extra chat).
    Email and outbound (calls the center makes: a campaign list, follow-ups) are deferred work:
    they wait in a backlog, never abandon, and are due within the service-level threshold.
    """

    channel: Literal[CHANNEL_NAMES] = "voice"                       # declared in ccsim.channels
    """Channel of the contacts: live (voice, chat, video) or deferred work (email, outbound)."""
    arrivals: Arrivals | None = None
    """Expected volume of fresh contacts; omitted, the queue is fed only by transfers, escalations and process stages."""
    handle_time: PositiveDistributionSpec
    """Handle time of a contact: a distribution in seconds ({dist: lognormal, mean: 4m, cv: 0.8}) or a constant."""
    patience: PositiveDistributionSpec | None = None
    """How long a caller waits before hanging up: a distribution in seconds; omitted, nobody abandons."""
    service_level: ServiceLevel = ServiceLevel()
    """The promise (threshold and target) and further targets (max_asa, max_abandon)."""
    priority: Whole = 1
    """Routing priority: 1 is served first."""
    deflection: Probability = 0.0
    """Share (0 to 1) of arriving contacts resolved before they queue (self-service)."""
    concurrency: Whole = Field(1, ge=1)
    """Chat: contacts one agent holds at once."""
    slowdown: float = Field(0.0, ge=0, allow_inf_nan=False)
    """Chat: each chat in hand beyond the first stretches a new chat's handle time by this share (0.2: +20%)."""
    transfers: tuple[Transfer, ...] = ()
    """Where served contacts go next: a list of {to, probability, priority}."""
    escalation: Escalation | None = None
    """A contact still waiting after a time moves queue or gains priority."""
    fcr: Probability = 1.0
    """First-contact resolution: probability (0 to 1) that a service resolves the contact."""
    unresolved: Unresolved | None = None
    """What happens to a contact the service did not resolve: escalated, or repeated later."""
    retrial: Attempts | None = None
    """Customers who abandoned come back: probability, delay and max_attempts."""
    callback: Callback | None = None
    """Virtual hold: callbacks offered when the expected wait is long."""

    @model_validator(mode="after")
    def _channel_rules(self) -> "Queue":
        channel = CHANNELS[self.channel]
        if not channel.concurrent and (self.concurrency != 1 or self.slowdown != 0):
            raise ValueError(f"concurrency and slowdown apply to {'/'.join(CONCURRENT_CHANNELS)} queues; "
                             f"this queue's channel is {self.channel}")
        if not channel.live and self.patience is not None:
            raise ValueError(f"{self.channel} is deferred work and never abandons: remove patience "
                             f"(or use channel: {'/'.join(LIVE_CHANNELS)})")
        return self


class AgentGroup(Proficiency):
    """Agents with the same skills, staffing and cost.

    Staffing is exactly one of `staff` (a constant or one count per interval) or `shifts`.
    `handle_time_factor` and `fcr_change` describe how this group's work differs (training,
    experience, a new tool).
    """

    model_config = ConfigDict(json_schema_extra=key_rules(exactly_one("staff", "shifts")))

    skills: Skills
    """Queues the group serves: a list, or a mapping queue -> rank (1 preferred)."""
    staff: Counts | None = None
    """Agents at work: a constant, or one count per interval of a day or of the whole horizon (exclusive with shifts)."""
    shifts: Shifts | None = None
    """Shifts the group works: a list of {start, length or end, count, days, breaks, rhythm}, or a file of templates (exclusive with staff)."""
    cost_per_hour: float = Field(0.0, ge=0, allow_inf_nan=False)
    """Cost of one agent for one scheduled hour, in currency units."""
    shrinkage: float = Field(0.0, ge=0, lt=1, allow_inf_nan=False)
    """Share [0, 1) of scheduled time agents are away (meetings, absence); staffing scales requirements by 1 / (1 - shrinkage)."""
    max_occupancy: float | None = Field(None, gt=0, le=1)
    """Cap (0 to 1] on the share of present time agents are busy; staffing adds agents to stay below it."""

    @model_validator(mode="after")
    def _staff_or_shifts(self) -> "AgentGroup":
        if (self.staff is None) == (self.shifts is None):
            given = "both" if self.staff is not None else "neither"
            raise ValueError("give exactly one of staff (agents: a constant or one per interval) or shifts "
                             f"(a list of {{start, length or end, count, days}}); got {given}")
        return self


class Routing(Strict):
    """Who serves whom (`policy`), and when agents take deferred work (`blending`): keeping
    `reserve` agents of a group idle for live contacts, and only after the live lines have been
    empty for `live_quiet` seconds."""

    policy: str = Field("priority_then_longest_wait", json_schema_extra=lambda s: _registered(s, "policy_names"))
    """Routing policy: which waiting contact a free agent takes, and which agent an arriving contact goes to."""
    blending: str = Field("live_first", json_schema_extra=lambda s: _registered(s, "blending_names"))
    """When agents take deferred work (email, outbound) rather than wait for live contacts."""
    reserve: Whole = Field(0, ge=0)
    """Agents of each group kept free for live contacts when deferred work waits."""
    live_quiet: Duration = 0.0
    """Deferred work is taken only after the live lines have been empty this long (seconds or a text such as 30s)."""

    @model_validator(mode="after")
    def _known_policy(self) -> "Routing":
        from ccsim.policies import blending_names, policy_names

        if self.policy not in policy_names():
            raise ValueError(f"unknown routing policy {self.policy!r}; allowed: {', '.join(policy_names())}")
        if self.blending not in blending_names():
            raise ValueError(f"unknown blending policy {self.blending!r}; allowed: {', '.join(blending_names())}")
        return self


def _registered(schema: dict[str, Any], names: str) -> None:
    """List the registered policy names (`ccsim.policies.<names>()`) in a field's JSON Schema."""
    import ccsim.policies

    schema["enum"] = getattr(ccsim.policies, names)()


class ForecastError(Strict):
    """Stress-test against a forecast that is off: each day's arrival volumes (of every queue and
    process) are scaled by a random busyness factor, lognormal with mean 1 and `spread` as its
    coefficient of variation, drawn anew for every replication and day."""

    spread: float = Field(gt=0, le=2, allow_inf_nan=False)
    """Coefficient of variation (0 to 2] of a lognormal busyness factor with mean 1 scaling each day's volumes."""


class Scenario(Strict):
    """A contact center and its workload over a horizon: the input of every ccsim run."""

    name: str = "scenario"
    """Name shown in reports and comparisons."""
    description: str = ""
    """Free text shown in reports."""
    horizon: Horizon
    """Opening hours: start and end clock times, days and the first day's weekday."""
    interval: PositiveDuration = 1800.0
    """Length of a reporting and staffing interval (seconds or a text such as 30m); default 30 minutes."""
    warmup: Duration = 0.0
    """Time simulated before the horizon starts so that the queues are not empty at opening (seconds or a text such as 1h); not reported."""
    seed: Seed = 1
    """Seed of the random numbers: the same seed gives the same results."""
    replications: Whole = Field(10, ge=1)
    """Independent replications of the horizon, for means and 95% confidence intervals."""
    queues: dict[str, Queue] = Field(min_length=1)
    """The contact types and their waiting lines, by name."""
    agent_groups: dict[str, AgentGroup] = Field(min_length=1)
    """The agent groups, by name: skills, staffing, cost."""
    routing: Routing = Routing()
    """Routing and blending policies."""
    calendar: Calendar | None = None
    """Business calendar (working hours, weekend, holidays) that limits such as {working: 2h} or {by: "17:00"} count on."""
    processes: dict[str, Process] = {}
    """Multi-stage processes (cases passing through several queues), by name."""
    pilot: Pilot | None = None
    """Who tries the agent groups' levers (handle_time_factor, fcr_change) in a pilot."""
    forecast_error: ForecastError | None = None
    """Stress-test against a forecast that is off: random daily busyness."""
    costs: Costs = Costs()
    """Penalties for poor service, in currency units."""
    investment: Investment | None = None
    """What the change this scenario describes costs and saves per year, for cost-benefit."""
    satisfaction: Satisfaction | None = None
    """Customer satisfaction model: CSAT and NPS driven by the experiences customers had."""
    decision: Decision | None = None
    """How ccsim compare recommends a scenario: an objective and KPIs that must be met."""

    @model_validator(mode="after")
    def _cross_field(self, info: ValidationInfo) -> "Scenario":
        from ccsim.scenario.checks import raise_problems

        raise_problems(self, (info.context or {}).get("entry_names"))
        return self

    # -- derived, read-only views the engine and reports use -------------------------
    @property
    def intervals_per_day(self) -> int:
        return int(round(self.horizon.open_s / self.interval))

    @property
    def n_intervals(self) -> int:
        return self.intervals_per_day * self.horizon.days

    def interval_starts(self) -> np.ndarray:
        """Start of every interval, seconds after midnight of day 1 (days continue the clock)."""
        k = np.arange(self.n_intervals)
        day, slot = np.divmod(k, self.intervals_per_day)
        return day * 86400.0 + self.horizon.start + slot * self.interval

    def arrival_rates(self, source: str) -> np.ndarray:
        """Expected fresh arrivals per hour in every interval for a queue or a process."""
        arrivals = self.queues[source].arrivals if source in self.queues else self.processes[source].arrivals
        if arrivals is None:
            return np.zeros(self.n_intervals)
        if arrivals.per_hour is not None:
            rates = np.full(self.n_intervals, float(arrivals.per_hour))
        else:
            rates = _per_interval(arrivals.volumes, self.n_intervals) * (3600.0 / self.interval)
        return rates * np.repeat([arrivals.day_factors.get(day, 1.0) for day in self.weekdays()],
                                 self.intervals_per_day)

    def weekdays(self) -> list[str]:
        """The weekday name of every day of the horizon."""
        first = WEEKDAYS.index(self.horizon.first_day)
        return [WEEKDAYS[(first + day) % 7] for day in range(self.horizon.days)]

    def staff(self, group: str) -> np.ndarray:
        """Agents scheduled in every interval for `group` (ints), from its staff or its shifts."""
        agents = self.agent_groups[group]
        if agents.shifts is not None:
            return shift_staff(agents.shifts, self.horizon, self.interval)
        return _per_interval(agents.staff, self.n_intervals).astype(int)

    def rhythm_factors(self, group: str) -> np.ndarray:
        """Handle-time factor of `group`'s agents at work in every interval, from the rhythms of its
        shifts (`shifts.rhythm_handle_factor`); 1 for a group staffed by `staff`."""
        agents = self.agent_groups[group]
        if agents.shifts is None:
            return np.ones(self.n_intervals)
        return rhythm_handle_factor(agents.shifts, self.horizon, self.interval)

    def breaks(self, group: str) -> np.ndarray:
        """(n, 2) rows (time s, length s): every break and rest the group's shifts schedule."""
        return break_requests(self.agent_groups[group].shifts or (), self.horizon)


def _per_interval(values: Any, n_intervals: int) -> np.ndarray:
    """Expand a constant, a per-day list or a whole-horizon list to one value per interval."""
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return np.full(n_intervals, float(array))
    if array.size == n_intervals:
        return array
    return np.tile(array, n_intervals // array.size)
