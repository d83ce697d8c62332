"""The compiled `Plan`: indices instead of names, plain tuples and arrays, cheap to pickle."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccsim.calendar import WorkCalendar
from ccsim.distributions import Distribution
from ccsim.model.plan.flows import Flows, StagePlan
from ccsim.model.plan.lines import Line

ABANDON_RULES = ("exclude_within_threshold", "count", "ignore")
PENALTIES = ("abandoned", "late", "missed_interval")        # rows of Plan.penalties


def ramp_share(ramp: tuple[float, tuple[float, ...]] | None, now_s: float) -> float:
    """The share of a lever's effect at clock time `now_s` under `ramp` (period s, shares; see
    `Proficiency.ramp`): 1 without one; before day 1 the first share."""
    if ramp is None:
        return 1.0
    every, shares = ramp
    return shares[min(max(int(now_s // every), 0), len(shares) - 1)]


def _derived():
    """A field computed in `__post_init__` from the others: read as a plain attribute on hot paths."""
    return field(init=False, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything one replication needs; times in seconds on the simulation clock (midnight of day 1 = 0)."""

    queue_names: tuple[str, ...]
    group_names: tuple[str, ...]
    process_names: tuple[str, ...]
    # queues
    threshold_s: np.ndarray                   # per queue (a limit on the calendar: its nominal length)
    threshold_limit: tuple[float, ...]        # per queue: plain seconds or a CalendarLimit (see deadlines)
    abandon_rule: tuple[str, ...]             # per queue, one of ABANDON_RULES
    stream_key: tuple[int, ...]               # per queue: a stable key for its random streams
    handle_time: tuple[Distribution, ...]     # per queue
    patience: tuple[Distribution | None, ...]  # per queue
    # lines, routing and flows
    lines: tuple[Line, ...]                   # per line; line q is queue q's base line (its own priority)
    rank: tuple[dict[int, int], ...]          # per group: {queue index: preference rank}
    policy: str
    blending: str
    reserve: int
    live_quiet_s: float
    flows: Flows
    stages: tuple[tuple[StagePlan, ...], ...]  # per process
    promise_s: tuple[float, ...]              # per process, inf when none; plain seconds or a CalendarLimit
    # fresh arrivals, per source (queues, then processes)
    source_key: tuple[int, ...]               # stream key
    rates_per_s: np.ndarray                   # (sources, intervals) fresh arrivals per second
    deflection: np.ndarray                    # share of fresh arrivals self-service removes
    forecast_cv: float                        # spread of the daily busyness factor (0: none)
    # workforce, per group
    staff: np.ndarray                         # (groups, intervals) scheduled agents
    cost_per_hour: np.ndarray
    shrinkage: tuple[float, ...]              # share of scheduled agents off work
    breaks: tuple[np.ndarray, ...]            # (n, 2) break requests (time s, length s)
    rhythm_factor: np.ndarray | None          # (groups, intervals) handle-time factor of rhythms; None: all 1
    max_occupancy: tuple[float, ...]          # occupancy cap to warn about (nan: none)
    # levers: how groups and pilot customers differ
    handle_factor: np.ndarray | None          # (groups, queues) handle-time factor; None: all 1
    fcr_change: np.ndarray                    # (groups, queues) added to the queue's FCR
    pilot_contacts: float                     # share of fresh customers in a pilot on contacts (0: none)
    pilot_handle_factor: np.ndarray           # per queue: handle-time factor of pilot customers
    pilot_fcr_change: np.ndarray              # per queue: added to the FCR of pilot customers
    ramp: tuple[tuple[float, tuple[float, ...]] | None, ...]  # per group: (period s, shares of the effect)
    pilot_ramp: tuple[float, tuple[float, ...]] | None        # the same for a pilot on contacts
    # economics, per queue
    sl_target: np.ndarray                     # the service-level target share
    penalties: np.ndarray                     # (3, queues): per abandoned, late, missed interval
    # customers' ratings (ccsim.scenario.satisfaction)
    satisfaction: np.ndarray                  # (3, 1 + experiences): base and effects of satisfied, promoter,
                                              #   detractor; a row of NaN where the scenario states none
    alert_lines: tuple[float, float]          # CSAT and FCR alert lines (nan: none)
    # clock
    interval_start: np.ndarray                # (intervals,) seconds
    interval_s: float
    warmup_s: float
    calendar: WorkCalendar | None             # the business calendar limits on it count on (None: none)
    # views of `lines`, per line
    line_queue: tuple[int, ...] = _derived()
    line_priority: tuple[int, ...] = _derived()
    line_deferred: tuple[bool, ...] = _derived()   # email/back-office or callback work
    # views of the base lines, per queue
    queue_line: tuple[int, ...] = _derived()  # its base line
    priority: tuple[int, ...] = _derived()    # lower is served first
    channel: tuple[str, ...] = _derived()     # a name in ccsim.channels.CHANNELS
    concurrency: tuple[int, ...] = _derived()  # contacts an agent holds at once (1: one at a time)
    slowdown: tuple[float, ...] = _derived()  # handle-time stretch per extra contact in hand
    is_chat: tuple[bool, ...] = _derived()    # held several at a time by one agent (concurrency > 1)?
    chat_capacity: tuple[int, ...] = _derived()  # per group: chats an agent holds at once (its chat queues')

    def __post_init__(self) -> None:
        base = self.lines[:len(self.queue_names)]
        concurrency = tuple(line.concurrency for line in base)
        views = {
            "line_queue": tuple(line.queue for line in self.lines),
            "line_priority": tuple(line.priority for line in self.lines),
            "line_deferred": tuple(not line.live for line in self.lines),
            "queue_line": tuple(range(len(base))),
            "priority": tuple(line.priority for line in base),
            "channel": tuple(line.channel.name for line in base),
            "concurrency": concurrency,
            "slowdown": tuple(line.slowdown for line in base),
            "is_chat": tuple(line.shared for line in base),
            "chat_capacity": tuple(max((concurrency[q] for q in rank), default=1) for rank in self.rank),
        }
        for name, value in views.items():
            object.__setattr__(self, name, value)

    @property
    def capacity_share(self) -> np.ndarray:
        """(groups, queues): share of an agent of the group that one contact of the queue takes
        (1 / the group's chat capacity for a chat, 1 otherwise); occupancy counts busy time times it."""
        capacity = np.array(self.chat_capacity, dtype=float)[:, None]
        return np.where(np.array(self.is_chat, dtype=bool)[None, :], 1.0 / capacity, 1.0)

    @property
    def channels_used(self) -> tuple[str, ...]:
        """The channels of the scenario's queues, in first-use order."""
        return tuple(dict.fromkeys(self.channel))

    @property
    def n_queues(self) -> int:
        return len(self.queue_names)

    @property
    def n_groups(self) -> int:
        return len(self.group_names)

    @property
    def n_lines(self) -> int:
        return len(self.lines)

    @property
    def n_intervals(self) -> int:
        return self.interval_start.size

    @property
    def start_s(self) -> float:
        """Start of the measured period (the first interval)."""
        return float(self.interval_start[0])

    @property
    def end_s(self) -> float:
        """End of the measured period (the end of the last interval)."""
        return float(self.interval_start[-1] + self.interval_s)

    def source_entry(self, source: int) -> tuple[int, int]:
        """(entry queue, process index or -1) of a fresh-arrival source."""
        if source < self.n_queues:
            return source, -1
        process = source - self.n_queues
        return self.stages[process][0].queue, process
