"""A scenario compiled to plain arrays and tuples: everything one replication needs, cheap to pickle.

Waiting happens in *lines*: each queue has its base line at the queue's priority, plus one
line per other priority that transfers, escalations or callbacks put its contacts in.
Routing policies choose among lines; KPIs are reported per queue.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from ccsim.distributions import Distribution
from ccsim.scenario.levers import apply_pilot
from ccsim.scenario.models import DEFERRED_CHANNELS, Scenario

ABANDON_RULES = ("exclude_within_threshold", "count", "ignore")
PENALTIES = ("abandoned", "late", "missed_interval")        # rows of Plan.penalties


@dataclass(frozen=True, slots=True)
class Retry:
    """Customers coming back: with `probability`, after `delay`, up to `max_attempts` contacts."""

    probability: float
    delay: Distribution
    max_attempts: int


@dataclass(frozen=True, slots=True)
class StagePlan:
    queue: int
    line: int
    delay_s: float
    time_limit_s: float          # inf when none
    escalate_line: int           # -1: no escalation
    escalate_queue: int          # queue of escalate_line (-1 for none)


@dataclass(frozen=True, slots=True)
class Flows:
    """Per queue: where contacts go after service, on a long wait, on abandonment, on arrival."""

    transfers: tuple[tuple[tuple[float, int], ...], ...]   # (cumulative probability, target line)
    escalation: tuple[tuple[float, int, int] | None, ...]   # (after s, target line, target queue)
    fcr: tuple[float, ...]
    tier_line: tuple[int, ...]                             # unresolved -> escalate to this line, or -1
    repeat: tuple[Retry | None, ...]
    retrial: tuple[Retry | None, ...]
    callback: tuple[tuple[float, float, float, int] | None, ...]  # (offer over s, acceptance, due s, line)
    after_service: tuple[bool, ...]                        # anything to decide after a service?

    @property
    def any(self) -> bool:
        return any(self.after_service) or any(e is not None for e in self.escalation) or \
            any(r is not None for r in self.retrial) or any(c is not None for c in self.callback)


@dataclass(frozen=True, slots=True)
class Plan:
    """Indices instead of names; times in seconds on the simulation clock (midnight of day 1 = 0)."""

    queue_names: tuple[str, ...]
    group_names: tuple[str, ...]
    process_names: tuple[str, ...]
    priority: tuple[int, ...]                 # per queue; lower is served first
    threshold_s: np.ndarray                   # per queue
    abandon_rule: tuple[str, ...]             # per queue, one of ABANDON_RULES
    stream_key: tuple[int, ...]               # per queue: a stable key for its random streams
    handle_time: tuple[Distribution, ...]     # per queue
    patience: tuple[Distribution | None, ...]  # per queue
    channel: tuple[str, ...]                  # per queue: voice, chat, email or outbound
    concurrency: tuple[int, ...]              # per queue: chats an agent holds at once (1: not chat)
    slowdown: tuple[float, ...]               # per queue: handle-time stretch per extra chat in hand
    line_queue: tuple[int, ...]               # per line
    line_priority: tuple[int, ...]            # per line
    queue_line: tuple[int, ...]               # per queue: its base line
    rank: tuple[dict[int, int], ...]          # per group: {queue index: preference rank}
    flows: Flows
    stages: tuple[tuple[StagePlan, ...], ...]  # per process
    promise_s: tuple[float, ...]              # per process, inf when none
    source_key: tuple[int, ...]               # per source (queues, then processes): stream key
    rates_per_s: np.ndarray                   # (sources, intervals) fresh arrivals per second
    staff: np.ndarray                         # (groups, intervals) scheduled agents
    cost_per_hour: np.ndarray                 # per group
    chat_capacity: tuple[int, ...]            # per group: chats an agent holds at once (its chat queues')
    shrinkage: tuple[float, ...]              # per group: share of scheduled agents off work
    handle_factor: np.ndarray | None          # (groups, queues) handle-time factor; None: all 1
    fcr_change: np.ndarray                    # (groups, queues) added to the queue's FCR
    deflection: np.ndarray                    # per source: share of fresh arrivals self-service removes
    forecast_cv: float                        # spread of the daily busyness factor (0: none)
    pilot_contacts: float                     # share of fresh customers in a pilot on contacts (0: none)
    pilot_handle_factor: np.ndarray           # per queue: handle-time factor of pilot customers
    pilot_fcr_change: np.ndarray              # per queue: added to the FCR of pilot customers
    sl_target: np.ndarray                     # per queue: the service-level target share
    penalties: np.ndarray                     # (3, queues): per abandoned, late, missed interval
    breaks: tuple[np.ndarray, ...]            # per group: (n, 2) break requests (time s, length s)
    max_occupancy: tuple[float, ...]          # per group: occupancy cap to warn about (nan: none)
    interval_start: np.ndarray                # (intervals,) seconds
    interval_s: float
    warmup_s: float
    policy: str
    blending: str
    reserve: int
    live_quiet_s: float
    line_deferred: tuple[bool, ...]           # per line: email/back-office or callback work

    @property
    def channels_used(self) -> tuple[str, ...]:
        """The channels of the scenario's queues, in first-use order."""
        return tuple(dict.fromkeys(self.channel))

    @property
    def is_chat(self) -> tuple[bool, ...]:
        """Per queue: are its contacts chats (held several at a time by one agent)?"""
        return tuple(c > 1 for c in self.concurrency)

    @property
    def n_queues(self) -> int:
        return len(self.queue_names)

    @property
    def n_groups(self) -> int:
        return len(self.group_names)

    @property
    def n_lines(self) -> int:
        return len(self.line_queue)

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


def _key(name: str) -> int:
    return zlib.crc32(name.encode())


def compile_plan(sc: Scenario) -> Plan:
    """Flatten a validated scenario into a `Plan` (a pilot becomes groups of its own)."""
    sc = apply_pilot(sc)
    on_contacts = sc.pilot                      # what remains of a pilot after apply_pilot
    queues = list(sc.queues)
    groups = list(sc.agent_groups)
    index = {name: i for i, name in enumerate(queues)}
    lines: dict[tuple[int, int], int] = {(q, sc.queues[name].priority): q for q, name in enumerate(queues)}
    callback_priority = max([*(qq.priority for qq in sc.queues.values()),
                             *(t.priority for qq in sc.queues.values() for t in qq.transfers if t.priority is not None),
                             *(qq.escalation.priority for qq in sc.queues.values()
                               if qq.escalation is not None and qq.escalation.priority is not None)]) + 1

    def line(queue: str | int, priority: int | None) -> int:
        q = index[queue] if isinstance(queue, str) else queue
        key = (q, sc.queues[queues[q]].priority if priority is None else priority)
        return lines.setdefault(key, len(lines))

    transfers, escalation, tier, callback = [], [], [], []
    for q, name in enumerate(queues):
        queue = sc.queues[name]
        cum, total = [], 0.0
        for t in queue.transfers:
            total += t.probability
            cum.append((total, line(t.to, t.priority)))
        transfers.append(tuple(cum))
        esc = queue.escalation
        if esc is None:
            escalation.append(None)
        else:
            target = esc.to if esc.to is not None else name
            escalation.append((esc.after, line(target, esc.priority), index[target]))
        unresolved = queue.unresolved
        tier.append(line(unresolved.escalate_to, None) if unresolved and unresolved.escalate_to else -1)
        cb = queue.callback
        callback.append(None if cb is None else (
            cb.offer_over, cb.acceptance, cb.due, line(q, cb.priority if cb.priority is not None else callback_priority)))

    def retry(spec) -> Retry | None:
        return None if spec is None else Retry(spec.probability, spec.delay, spec.max_attempts)

    stages = []
    for process in sc.processes.values():
        plans = []
        for stage in process.stages:
            esc_queue = stage.escalate_to if stage.escalate_to is not None else stage.queue
            escalates = stage.escalate_to is not None or stage.escalate_priority is not None
            plans.append(StagePlan(
                queue=index[stage.queue], line=line(stage.queue, None), delay_s=stage.delay,
                time_limit_s=stage.time_limit if stage.time_limit is not None else np.inf,
                escalate_line=line(esc_queue, stage.escalate_priority) if escalates else -1,
                escalate_queue=index[esc_queue] if escalates else -1))
        stages.append(tuple(plans))
    flows = Flows(
        transfers=tuple(transfers),
        escalation=tuple(escalation),
        fcr=tuple(sc.queues[n].fcr for n in queues),
        tier_line=tuple(tier),
        repeat=tuple(retry(sc.queues[n].unresolved.repeat if sc.queues[n].unresolved else None) for n in queues),
        retrial=tuple(retry(sc.queues[n].retrial) for n in queues),
        callback=tuple(callback),
        # a process contact may reach any queue (escalated, transferred): with processes, ask always
        after_service=tuple(bool(transfers[q]) or sc.queues[n].fcr < 1 or bool(sc.processes)
                            or any(sc.agent_groups[g].change(n) for g in groups)
                            or bool(on_contacts and on_contacts.change(n))
                            for q, n in enumerate(queues)),
    )
    by_line = sorted(lines.items(), key=lambda item: item[1])
    factors = np.array([[sc.agent_groups[g].factor(q) for q in queues] for g in groups])
    callback_lines = {cb[3] for cb in callback if cb is not None} - set(range(len(queues)))  # not base lines
    sources = [*queues, *sc.processes]
    return Plan(
        queue_names=tuple(queues),
        group_names=tuple(groups),
        process_names=tuple(sc.processes),
        priority=tuple(sc.queues[q].priority for q in queues),
        threshold_s=np.array([sc.queues[q].service_level.threshold for q in queues]),
        abandon_rule=tuple(sc.queues[q].service_level.abandons for q in queues),
        stream_key=tuple(_key(q) for q in queues),
        handle_time=tuple(sc.queues[q].handle_time for q in queues),
        patience=tuple(sc.queues[q].patience for q in queues),
        channel=tuple(sc.queues[q].channel for q in queues),
        concurrency=tuple(sc.queues[q].concurrency if sc.queues[q].channel == "chat" else 1 for q in queues),
        slowdown=tuple(sc.queues[q].slowdown for q in queues),
        line_queue=tuple(q for (q, _), _ in by_line),
        line_priority=tuple(p for (_, p), _ in by_line),
        queue_line=tuple(range(len(queues))),
        rank=tuple({index[q]: r for q, r in sc.agent_groups[g].skills.items()} for g in groups),
        flows=flows,
        stages=tuple(stages),
        promise_s=tuple(p.promise if p.promise is not None else np.inf for p in sc.processes.values()),
        source_key=tuple(_key(s) for s in sources),
        rates_per_s=np.array([sc.arrival_rates(s) / 3600.0 for s in sources]),
        staff=np.array([sc.staff(g) for g in groups], dtype=int),
        cost_per_hour=np.array([sc.agent_groups[g].cost_per_hour for g in groups]),
        shrinkage=tuple(sc.agent_groups[g].shrinkage for g in groups),
        handle_factor=factors if np.any(factors != 1.0) else None,
        fcr_change=np.array([[sc.agent_groups[g].change(q) for q in queues] for g in groups]),
        deflection=np.array([sc.queues[q].deflection for q in queues] + [0.0] * len(sc.processes)),
        forecast_cv=sc.forecast_error.spread if sc.forecast_error else 0.0,
        pilot_contacts=on_contacts.contacts if on_contacts else 0.0,
        pilot_handle_factor=np.array([on_contacts.factor(q) if on_contacts else 1.0 for q in queues]),
        pilot_fcr_change=np.array([on_contacts.change(q) if on_contacts else 0.0 for q in queues]),
        sl_target=np.array([sc.queues[q].service_level.target for q in queues]),
        penalties=np.array([[sc.costs.for_queue(field, q) for q in queues] for field in PENALTIES]),
        breaks=tuple(sc.breaks(g) for g in groups),
        max_occupancy=tuple(np.nan if (cap := sc.agent_groups[g].max_occupancy) is None else cap for g in groups),
        chat_capacity=tuple(max([sc.queues[q].concurrency for q in sc.agent_groups[g].skills
                                 if sc.queues[q].channel == "chat"], default=1) for g in groups),
        interval_start=sc.interval_starts(),
        interval_s=float(sc.interval),
        warmup_s=float(sc.warmup),
        policy=sc.routing.policy,
        blending=sc.routing.blending,
        reserve=sc.routing.reserve,
        live_quiet_s=float(sc.routing.live_quiet),
        line_deferred=tuple(sc.queues[queues[q]].channel in DEFERRED_CHANNELS or line in callback_lines
                            for (q, _), line in by_line),
    )
