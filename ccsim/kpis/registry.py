"""The KPI declarations: every KPI once, with its unit, direction, percent-ness, display digits and
definition, and for each level (queue, channel, interval, group, customer, stage, process, cost)
the KPIs it has in column order. Computations fill a level's KPIs by name (`columns`); tables,
compare verdicts, CSV/JSON and the HTML report read the declarations. Imports nothing of ccsim."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

HIGHER, LOWER, NEUTRAL = 1, -1, 0
DIRECTION_WORDS = {HIGHER: "higher is better", LOWER: "lower is better", NEUTRAL: "neither"}


@dataclass(frozen=True)
class Kpi:
    """One KPI. `unit`: "contacts", "s", "h", "share", "currency", ...; `direction`: HIGHER, LOWER or
    NEUTRAL (a volume, or a rate of use whose best value depends on the plan); `percent`: a share
    shown as %, whose differences are percentage points; `digits`: decimals shown (of the % for a
    percent KPI); `definition`: one line for glossaries."""

    name: str
    unit: str
    direction: int
    definition: str
    percent: bool = False
    digits: int = 1
    label: str = ""

    def __post_init__(self):
        if self.direction not in DIRECTION_WORDS:
            raise ValueError(f"KPI {self.name}: direction must be +1, -1 or 0, got {self.direction}")
        if not self.label:
            object.__setattr__(self, "label", self.name.replace("_", " "))

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels whose tables hold this declaration, in LEVELS order."""
        return tuple(level for level, kpis in LEVELS.items() if kpis.get(self.name) is self)

    @property
    def delta_unit(self) -> str:
        """The unit of a difference of two values: percentage points for a percent KPI."""
        return "pts" if self.percent else self.unit


def _count(name: str, definition: str, direction: int = NEUTRAL, unit: str = "contacts", **kw) -> Kpi:
    return Kpi(name, unit, direction, definition, **kw)


def _share(name: str, definition: str, direction: int, **kw) -> Kpi:
    return Kpi(name, "share", direction, definition, percent=True, **kw)


def _seconds(name: str, definition: str, direction: int = LOWER, **kw) -> Kpi:
    return Kpi(name, "s", direction, definition, **kw)


def _hours(name: str, definition: str) -> Kpi:
    return Kpi(name, "h", NEUTRAL, definition)


def _money(name: str, definition: str, digits: int = 0) -> Kpi:
    return Kpi(name, "currency", LOWER, definition, digits=digits)


DECLARED = (
    # contacts through the queues (per queue, channel and interval)
    _count("offered", "contacts (legs, with flows) arriving in the measured period"),
    _count("answered", "contacts answered (a volume: more answered can mean more offered)"),
    _count("abandoned", "contacts that hung up while waiting", LOWER),
    _count("in_system", "contacts still waiting at the end of the horizon", LOWER),
    _count("in_service", "answered contacts whose service still runs at the end of the horizon"),
    _share("service_level", "answered within threshold / contacts that can be judged (see the abandon rule)",
           HIGHER),
    _count("censored", "items still open at the end and younger than their limit: not yet judged"),
    _seconds("asa", "mean wait of answered contacts", label="ASA"),
    _seconds("wait_p50", "median wait of answered contacts", label="wait p50"),
    _seconds("wait_p90", "90th percentile of the waits of answered contacts", label="wait p90"),
    _seconds("wait_p95", "95th percentile of the waits of answered contacts", label="wait p95"),
    _share("abandon_rate", "abandoned / offered", LOWER),
    _seconds("aht", "mean handle time of answered contacts", label="AHT"),
    _count("answered_within_threshold", "contacts answered within their queue's threshold", HIGHER),
    _count("escalated", "contacts moved to the escalation queue while waiting", LOWER),
    _count("callbacks", "contacts that left the line for a callback"),
    _count("transfers", "answered contacts transferred to another queue", LOWER),
    _share("transfer_rate", "transferred / decided services", LOWER),
    _share("fcr", "resolved / decided services (first-contact resolution)", HIGHER, label="FCR"),
    _count("offered_fresh", "offered legs that are first contacts"),
    _count("offered_repeat", "offered legs that are repeat contacts of unresolved customers"),
    _count("offered_retrial", "offered legs that are retrials of abandoning callers"),
    _count("offered_transfer", "offered legs transferred in from another queue"),
    _count("offered_escalation", "offered legs escalated in (tiers included)"),
    _count("callbacks_answered", "callback legs answered (outbound work)"),
    _share("callback_within_due", "callbacks answered within due / callbacks not censored", HIGHER),
    _count("backlog_start", "contacts waiting at the start of the period", LOWER),
    _count("backlog_end", "contacts waiting at the end of the period", LOWER),
    _seconds("oldest_age_end", "age of the oldest contact waiting at the end of the period"),
    # agent groups
    _share("occupancy", "busy time / present time (neither: too low wastes agents, too high burns them out)",
           NEUTRAL),
    _count("handled", "contacts the group's agents answered"),
    _hours("busy_hours", "hours agents spent serving"),
    _hours("staffed_hours", "hours agents were present and available"),
    _hours("scheduled_hours", "hours agents were scheduled"),
    _hours("off_hours", "scheduled hours lost to shrinkage and breaks"),
    _share("shrinkage", "(off hours - break hours) / scheduled hours", NEUTRAL),
    _hours("break_hours", "hours on breaks"),
    _count("breaks", "breaks taken", unit="breaks", digits=0),
    _money("cost", "(present + off) hours x cost per hour"),
    # customers
    _count("customers", "customers whose first contact arrived in the measured period", unit="customers",
           digits=0),
    _count("contacts_per_customer", "contacts per customer, repeats and retrials included", LOWER, digits=2),
    _share("resolved", "customers resolved eventually, by any attempt", HIGHER),
    _share("transferred", "customers transferred at least once", LOWER),
    _count("repeat_contacts", "repeat contacts of these customers", LOWER, digits=0),
    _count("retrials", "retrials of these customers", LOWER, digits=0),
    _seconds("resolution_time", "mean time from arrival to the end of the resolving service"),
    _seconds("resolution_p90", "90th percentile of the resolution time"),
    _share("csat", "expected share of satisfied customers among those whose outcome is known, from the "
           "scenario's satisfaction model", HIGHER, label="CSAT"),
    _share("promoters", "expected share of promoters (satisfaction model)", HIGHER),
    _share("detractors", "expected share of detractors (satisfaction model)", LOWER),
    Kpi("nps", "points", HIGHER, "net promoter score: promoters - detractors, in points from -100 to 100",
        label="NPS"),
    # process stages and processes
    _count("completed", "items that completed the stage or process", unit="items"),
    _seconds("wait", "mean wait for the stage"),
    _seconds("processing", "mean handle time of the stage"),
    _seconds("stage_time", "mean time from stage start to done"),
    _share("within_limit", "stages done within their time limit", HIGHER),
    _count("started", "tickets started", unit="items"),
    _share("within_promise", "tickets done within the promise / tickets not censored", HIGHER),
    # costs
    _money("agent_cost", "agent cost, shared among queues by handle time"),
    _money("abandon_penalty", "price of abandoned contacts"),
    _money("late_penalty", "price of contacts answered after the threshold"),
    _count("missed_intervals", "intervals whose service level missed the target", LOWER, unit="intervals", digits=0),
    _money("missed_interval_penalty", "price of the missed intervals"),
    _money("total_cost", "agent cost plus penalties"),
    _money("cost_per_contact", "agent cost / answered contacts", digits=2),
    _money("total_cost_per_contact", "total cost / answered contacts", digits=2),
)
KPIS: Mapping[str, Kpi] = {kpi.name: kpi for kpi in DECLARED}
if len(KPIS) != len(DECLARED):
    raise ValueError("a KPI is declared twice")

# Where a name means something else at one level, that level declares its own KPI.
LEVEL_SPECIFIC = {
    "customer": (_share("escalated", "customers escalated at least once", LOWER),
                 replace(KPIS["fcr"], definition="customers resolved at the first contact, with no transfer or "
                                                 "escalation")),
    "group": (replace(KPIS["aht"], direction=NEUTRAL,
                      definition="mean handle time of the contacts the group answered (a mix: neither)"),
              replace(KPIS["fcr"], definition="resolved / decided services of the group's agents")),
}

# Each level's KPIs in column order (the order of tables and CSV columns).
QUEUE_ORDER = ("offered", "answered", "abandoned", "in_system", "in_service", "service_level", "censored", "asa",
               "wait_p50", "wait_p90", "wait_p95", "abandon_rate", "aht", "answered_within_threshold",
               "escalated", "callbacks", "transfers", "transfer_rate", "fcr",
               "offered_fresh", "offered_repeat", "offered_retrial", "offered_transfer", "offered_escalation",
               "callbacks_answered", "callback_within_due")
ORDER = {
    "queue": QUEUE_ORDER,
    "channel": QUEUE_ORDER,            # queues pooled by channel
    "interval": ("offered", "answered", "abandoned", "service_level", "asa", "abandon_rate",
                 "offered_fresh", "offered_repeat", "offered_retrial", "transfers", "escalated", "callbacks",
                 "backlog_start", "backlog_end", "oldest_age_end", "censored"),
    "group": ("occupancy", "handled", "aht", "fcr", "busy_hours", "staffed_hours", "scheduled_hours", "off_hours",
              "shrinkage", "break_hours", "breaks", "cost"),
    "customer": ("customers", "contacts_per_customer", "fcr", "resolved", "transferred", "escalated",
                 "repeat_contacts", "retrials", "resolution_time", "resolution_p90", "csat", "promoters",
                 "detractors", "nps"),
    "stage": ("completed", "wait", "processing", "stage_time", "within_limit"),
    "process": ("started", "completed", "resolution_time", "within_promise", "censored"),
    "cost": ("agent_cost", "abandon_penalty", "late_penalty", "missed_intervals", "missed_interval_penalty",
             "total_cost", "cost_per_contact", "total_cost_per_contact"),
}

# How each level's KPIs are computed: the function (plan, replication records) -> array whose last
# axis holds the level's KPIs, filled by name.
COMPUTED_BY = {
    "queue": "ccsim.kpis.replication.queue_kpis", "channel": "ccsim.kpis.replication.channel_kpis",
    "interval": "ccsim.kpis.replication.interval_kpis", "group": "ccsim.kpis.replication.group_kpis",
    "customer": "ccsim.kpis.replication.customer_kpis", "stage": "ccsim.kpis.replication.stage_kpis",
    "process": "ccsim.kpis.replication.process_kpis", "cost": "ccsim.kpis.replication.cost_kpis",
}

LEVELS: Mapping[str, Mapping[str, Kpi]] = {
    level: {name: next((k for k in LEVEL_SPECIFIC.get(level, ()) if k.name == name), None) or KPIS[name]
            for name in order}
    for level, order in ORDER.items()
}


def kpi(name: str, level: str | None = None) -> Kpi:
    """The declaration of `name` at `level` (a level's own declaration first), or the general one."""
    if level is not None and name in LEVELS.get(level, {}):
        return LEVELS[level][name]
    if name not in KPIS:
        raise KeyError(f"unknown KPI {name!r}; declared: {', '.join(KPIS)}")
    return KPIS[name]


def names(level: str) -> tuple[str, ...]:
    """The KPI names of `level` in column order."""
    return tuple(LEVELS[level])


def index(level: str, name: str) -> int:
    """The column of KPI `name` in arrays of `level` (the last axis of `columns`)."""
    return ORDER[level].index(name)


def columns(level: str, values: Mapping[str, object]) -> np.ndarray:
    """The values of `level`'s KPIs stacked on a last axis in column order: `values` maps every KPI
    name of the level (no other) to a number or an array (all of one shape)."""
    wanted = names(level)
    if set(values) != set(wanted):
        missing, extra = set(wanted) - set(values), set(values) - set(wanted)
        raise KeyError(f"{level} KPIs: missing {sorted(missing)}, undeclared {sorted(extra)}")
    return np.stack([np.asarray(values[name], dtype=float) for name in wanted], axis=-1)


def stack_rows(level: str, values: Sequence[Mapping[str, object]]) -> np.ndarray:
    """(len(values), KPIs of `level`): one row per mapping of KPI name to number (see `columns`)."""
    return np.array([columns(level, row) for row in values], dtype=float).reshape(len(values), len(ORDER[level]))


def glossary_markdown() -> str:
    """A Markdown table of every KPI: name, levels, unit, direction and definition (README's
    "KPI definitions" holds it; a test checks it matches)."""
    lines = ["| KPI | levels | unit | direction | definition |", "| --- | --- | --- | --- | --- |"]
    for level, kpis in LEVELS.items():
        for k in kpis.values():
            if k.levels[0] == level:                 # each declaration once, where it first appears
                unit = f"{k.unit} (%)" if k.percent else k.unit
                lines.append(f"| `{k.name}` | {', '.join(k.levels)} | {unit} | {DIRECTION_WORDS[k.direction]} | "
                             f"{k.definition} |")
    return "\n".join(lines) + "\n"
