"""KPIs of the queue legs of a replication per queue, channel and pilot side: the parts a chunk of
customers contributes (`queue_parts`, per cell of queue and pilot side) and the KPIs of merged
parts (`finish_queues`, rows pooling cells), with the service-level parts intervals share. Rows
are filled by KPI name (`registry.columns`); definitions are in `registry`."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.parts import Parts, pooled, row_percentiles
from ccsim.kpis.quantiles import Sample
from ccsim.kpis.registry import columns
from ccsim.kpis.tally import among, members, tally
from ccsim.model.plan import ABANDON_RULES, Plan
from ccsim.model.plan.deadlines import allowed_by
from ccsim.model.states import (
    ABANDONED, ANSWERED, CALLBACK, CALLBACK_LEG, ESCALATED, ESCALATION, FRESH, IN_SERVICE_AT_END, OPEN, REPEAT,
    RESOLVED, RETRIAL, TIER, TRANSFER, TRANSFERRED, WAITING_AT_END,
)
from ccsim.stats import ratio


def censored(open_at_end: np.ndarray, age_s: np.ndarray, limit_s) -> np.ndarray:
    """Items whose hit or miss against a time limit is still unknown at the end of the horizon:
    open then (waiting, or a ticket not done) and no older than their limit. An item done by
    the end is judged by its time; one open and older than its limit has missed already. The one
    definition behind service_level, callback_within_due and within_promise, which leave these
    items out and report them as `censored`."""
    return open_at_end & (age_s <= limit_s)


def sl_parts(plan: Plan, legs: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per leg: answered within the queue's threshold?, counted in the service-level denominator?,
    censored (still waiting at the end, not yet past the threshold)? Queue and interval parts
    share one computation per chunk (`accumulate`)."""
    q, outcome, wait = legs["queue"], legs["outcome"], legs["wait_s"]
    threshold = allowed_by(plan.calendar, plan.threshold_limit, q, legs["enqueue_s"])
    answered = outcome == ANSWERED
    within = answered & (wait <= threshold)
    unknown = censored(legs["at_end"] == WAITING_AT_END, wait, threshold)
    rules = [ABANDON_RULES.index(r) for r in plan.abandon_rule]
    by_rule = [lambda: ~((outcome == ABANDONED) & (wait <= threshold)), lambda: np.ones_like(answered),
               lambda: answered]
    if len(set(rules)) == 1:        # one rule for every queue: its own column, not a choice of three
        chosen = by_rule[rules[0]]()
    else:
        rule = np.array(rules)[q]
        chosen = np.select([rule == 0, rule == 1, rule == 2], [pick() for pick in by_rule])
    moved_on = (outcome == ESCALATED) | (outcome == CALLBACK)  # counted where they went
    counted = chosen & ~moved_on & ~unknown
    return within, counted.astype(bool), unknown


# the origins each offered_* KPI counts
OFFERED_BY_ORIGIN = {"fresh": [FRESH], "repeat": [REPEAT], "retrial": [RETRIAL], "transfer": [TRANSFER],
                     "escalation": [ESCALATION, TIER]}


def cells(plan: Plan, legs: dict[str, np.ndarray]) -> tuple[np.ndarray, int]:
    """Each leg's cell, the finest split every queue-level row pools: queue, and whether the
    customer is in a pilot on contacts (queue + queues * pilot); and the number of cells."""
    return legs["queue"] + plan.n_queues * legs["pilot"].astype(np.int64), 2 * plan.n_queues


def queue_parts(plan: Plan, legs: dict[str, np.ndarray], cap: int, sl: tuple | None = None) -> Parts:
    """Per cell (see `cells`): the counts behind each queue KPI, the sums of waits and handle times
    (s) of answered inbound legs, and those waits for percentiles. Counts come from one tally over the
    legs' codes; sums and waits from each cell's legs in order. `sl`: `sl_parts` of the legs, if known."""
    cell, n_cells = cells(plan, legs)
    within, counted, unknown = sl_parts(plan, legs) if sl is None else sl
    outcome, wait, at_end = legs["outcome"], legs["wait_s"], legs["at_end"]
    due = np.array([c[2] if c else np.inf for c in plan.flows.callback])[legs["queue"]]
    table, g = tally(cell, n_cells, {
        "origin": legs["origin"], "outcome": outcome, "at_end": at_end, "result": legs["result"], "within": within,
        "counted": counted, "unknown": unknown, "due_hit": wait <= due,
        "due_unknown": censored(at_end == WAITING_AT_END, wait, due)})

    def count(condition: np.ndarray) -> np.ndarray:
        return table @ condition.astype(float)

    callback_leg = g["origin"] == CALLBACK_LEG
    inbound, answered = ~callback_leg, g["outcome"] == ANSWERED
    decided = inbound & answered & (g["result"] != OPEN)    # services that ended, with their decision
    served = members(np.where((legs["origin"] != CALLBACK_LEG) & (outcome == ANSWERED), cell, n_cells), n_cells)
    waits = [wait[legs_of_cell] for legs_of_cell in served]
    counts = {
        "offered": count(inbound), "answered": count(inbound & answered),
        "abandoned": count(inbound & (g["outcome"] == ABANDONED)),
        "in_system": count(inbound & (g["at_end"] == WAITING_AT_END)),
        "in_service": count(inbound & (g["at_end"] == IN_SERVICE_AT_END)),
        "within": count(inbound & g["within"]), "counted": count(inbound & g["counted"]),
        "censored": count(inbound & g["unknown"]), "escalated": count(inbound & (g["outcome"] == ESCALATED)),
        "callbacks": count(inbound & (g["outcome"] == CALLBACK)),
        "transfers": count(inbound & answered & (g["result"] == TRANSFERRED)), "decided": count(decided),
        "resolved": count(decided & (g["result"] == RESOLVED)), "callbacks_answered": count(callback_leg & answered),
        "callback_due_hit": count(callback_leg & answered & g["due_hit"]),
        "callback_judged": count(callback_leg & ~g["due_unknown"]),
        **{f"offered_{name}": count(among(g["origin"], kinds)) for name, kinds in OFFERED_BY_ORIGIN.items()},
    }
    return Parts({**counts, "wait_sum": np.array([w.sum() for w in waits]),
                  "handle_sum": np.array([legs["handle_s"][i].sum() for i in served])},
                 samples={"wait": [Sample(w, cap) for w in waits]})


def queue_rows(plan: Plan) -> list[np.ndarray]:
    """The cells of each queue and of all queues together (the queue table's rows)."""
    nq = plan.n_queues
    return [np.array([q, nq + q]) for q in range(nq)] + [np.arange(2 * nq)]


def channel_rows(plan: Plan) -> list[np.ndarray]:
    """The cells of each channel in use (queues pooled by channel)."""
    nq = plan.n_queues
    return [np.flatnonzero(np.tile(np.array(plan.channel) == c, 2)) for c in plan.channels_used] if nq else []


def pilot_rows(plan: Plan) -> list[list[np.ndarray]]:
    """The cells of customers outside (0) and inside (1) a pilot on contacts: per queue and all queues."""
    nq = plan.n_queues
    return [[np.array([side * nq + q]) for q in range(nq)] + [side * nq + np.arange(nq)] for side in (0, 1)]


def finish_queues(plan: Plan, parts: Parts, rows: list[np.ndarray], cap: int) -> np.ndarray:
    """(rows, queue KPIs): the KPIs of the legs of each row, a row pooling the cells it lists."""
    c = pooled(parts.sums, rows)
    pct = row_percentiles(parts.samples["wait"], rows, [50, 90, 95], cap)
    return columns("queue", {
        "offered": c["offered"], "answered": c["answered"], "abandoned": c["abandoned"],
        "in_system": c["in_system"], "in_service": c["in_service"],
        "service_level": ratio(c["within"], c["counted"]), "censored": c["censored"],
        "asa": ratio(c["wait_sum"], c["answered"]),
        "wait_p50": pct[:, 0], "wait_p90": pct[:, 1], "wait_p95": pct[:, 2],
        "abandon_rate": ratio(c["abandoned"], c["offered"]), "aht": ratio(c["handle_sum"], c["answered"]),
        "answered_within_threshold": c["within"], "escalated": c["escalated"], "callbacks": c["callbacks"],
        "transfers": c["transfers"], "transfer_rate": ratio(c["transfers"], c["decided"]),
        "fcr": ratio(c["resolved"], c["decided"]),
        **{f"offered_{name}": c[f"offered_{name}"] for name in OFFERED_BY_ORIGIN},
        "callbacks_answered": c["callbacks_answered"],
        "callback_within_due": ratio(c["callback_due_hit"], c["callback_judged"]),
    })
