"""One replication end to end: draw contacts, run the engine, keep the measured period's records."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

from ccsim.model.availability import BREAK
from ccsim.model.engine import CHUNK_LEGS, Engine, EngineRecords
from ccsim.model.plan import Plan
from ccsim.model.states import ANSWERED, DONE, RESOLVED, WAITING, WAITING_AT_END


@dataclass(frozen=True, slots=True)
class ReplicationRecords:
    """The measured period of one replication, as arrays.

    `legs` (queue visits entering after the warmup): queue, origin, outcome, wait_s, enqueue_s,
    answer_s, end_s, group, handle_s, result, stage, process, contact (row in `contacts`, or -1),
    pilot, at_end (DONE, WAITING_AT_END or IN_SERVICE_AT_END, as the engine found the leg at the end).
    `contacts` (attempts arriving after the warmup): customer, attempt, kind, queue, arrival_s,
    wait_s, outcome, answer_s, end_s, group, handle_s, transfers, escalations, process,
    stages_completed, resolved, resolution_s, pilot (the customer is in a pilot on contacts),
    at_end (of its last leg; WAITING_AT_END while a delayed stage is pending).
    `stages` (completed process stages of those contacts): process, stage, entry_s, done_s, wait_s,
    handle_s. Waits are to the answer, to leaving the line, or (still waiting) to the end.
    """

    replication: int
    legs: dict[str, np.ndarray] | None         # None once reduced to KPIs (ccsim.kpis.reduce)
    contacts: dict[str, np.ndarray] | None
    stages: dict[str, np.ndarray] | None
    busy_s: np.ndarray      # (groups, intervals) agent-seconds busy
    present_s: np.ndarray   # (groups, intervals) agent-seconds present
    off_s: np.ndarray       # (groups, intervals) agent-seconds scheduled but off work (breaks, shrinkage)
    break_s: np.ndarray     # (groups, intervals) the part of off_s spent on shift breaks and rests
    breaks: np.ndarray      # (groups,) breaks and rests started in the measured period
    returns_pending: int    # repeat contacts and retrials scheduled beyond the end
    kpi_cache: dict = field(default_factory=dict, repr=False, compare=False)   # see ccsim.kpis.cache


def run_replication(plan: Plan, seed: int, replication: int) -> ReplicationRecords:
    """Simulate replication number `replication` of `plan` with base seed `seed`: its records."""
    with _collector_paused():
        engine = Engine(plan, seed, replication)
        records = engine.run()
        vars(engine).clear()    # it and its collaborators refer to each other: free its state now, not at the next collection
        return replication_records(plan, replication, records)


def stream_replication(plan: Plan, seed: int, replication: int, consume: Callable[[ReplicationRecords], None],
                       chunk_legs: int = CHUNK_LEGS) -> None:
    """Simulate replication number `replication` of `plan` and hand its records to `consume` in
    chunks of whole customers as they are done (at the end of a day where `chunk_legs` legs are
    held, and the rest at the end): the engine then holds the customers in progress, not the
    whole run. The chunks' arrays (busy, present and off seconds, breaks, pending returns) add
    up to the replication's."""
    with _collector_paused():
        engine = Engine(plan, seed, replication, chunk_legs=chunk_legs,
                        on_chunk=lambda chunk: consume(replication_records(plan, replication, chunk)))
        records = engine.run()
        vars(engine).clear()
        consume(replication_records(plan, replication, records))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector over a whole replication, as `Engine.run` does over its
    loop: the engine's construction and the records' reduction allocate enough to trigger passes
    over the whole process (pandas, scipy), and free what they make by reference counting (the
    engine's cycles are cleared by hand). Measured (2026-11-26): 10–20% of a bundled scenario's
    replication."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def replication_records(plan: Plan, replication: int, records: EngineRecords) -> ReplicationRecords:
    """The measured period of the engine's records (of a whole replication, or of a chunk of it)."""
    legs, contacts = records.legs, records.contacts
    # a chat occupies 1 / capacity of its agent; everything else the whole agent
    share = None
    if any(plan.is_chat):
        capacity = np.array(plan.chat_capacity)[np.maximum(legs["group"], 0)]
        share = np.where(np.array(plan.is_chat)[legs["queue"]], 1.0 / capacity, 1.0)
    busy = busy_seconds(plan, legs["answer"], legs["end"], legs["group"], share)
    state = legs["state"]
    wait = np.where(state == ANSWERED, legs["answer"], np.where(state == WAITING, plan.end_s, legs["end"])) \
        - legs["enqueue"]
    n_contacts = contacts["kind"].size
    contact_of_leg = legs["contact"]
    has_leg = contacts["first_leg"] >= 0
    first_leg = np.where(has_leg, contacts["first_leg"], 0)
    last_leg = np.where(has_leg, contacts["last_leg"], 0)

    def of_leg(values: np.ndarray, legs_of: np.ndarray, fill) -> np.ndarray:
        """values[legs_of] where the contact has a leg, `fill` elsewhere."""
        picked = values[legs_of] if values.size else np.zeros(n_contacts, dtype=values.dtype)
        return np.where(has_leg, picked, fill)

    answered = state == ANSWERED
    process = contacts["process"]
    stage0_queue = np.array([stages[0].queue for stages in plan.stages] or [0])
    queue = of_leg(legs["queue"], first_leg, stage0_queue[np.maximum(process, 0)])

    def per_contact(weights):
        return np.bincount(contact_of_leg, weights=weights, minlength=n_contacts)

    # legs by answer time (rows are reused, so row order is not creation order): the last assigned wins
    by_answer = np.flatnonzero(answered)
    by_answer = by_answer[np.argsort(legs["answer"][by_answer], kind="stable")]
    answer_first = np.full(n_contacts, np.nan)
    answer_first[contact_of_leg[by_answer[::-1]]] = legs["answer"][by_answer[::-1]]
    pending = contacts["pending"].astype(bool)
    outcome = np.where(pending, WAITING, of_leg(state, last_leg, WAITING))
    done_stages = np.bincount(records.stages[:, 0].astype(np.int64), minlength=n_contacts) \
        if records.stages.size else np.zeros(n_contacts, dtype=np.int64)
    n_stages = np.array([len(s) for s in plan.stages] or [0])
    complete = np.where(process >= 0, done_stages == n_stages[np.maximum(process, 0)], True)
    resolved = (outcome == ANSWERED) & (of_leg(legs["result"], last_leg, -1) == RESOLVED) & complete
    end = of_leg(legs["end"], last_leg, np.nan)
    measured = contacts["arrival"] >= plan.start_s
    rows = np.flatnonzero(measured)
    rows = rows[np.argsort(contacts["arrival"][rows], kind="stable")]   # contacts in arrival order
    index = np.full(n_contacts, -1)
    index[rows] = np.arange(rows.size)
    last_group = np.full(n_contacts, -1)
    last_group[contact_of_leg[by_answer]] = legs["group"][by_answer]
    pilot = contacts["pilot"].astype(bool)          # customers in a pilot on contacts
    contact_table = {
        "customer": contacts["customer"], "attempt": contacts["attempt"], "kind": contacts["kind"],
        "queue": queue, "arrival_s": contacts["arrival"], "wait_s": per_contact(wait),
        "outcome": outcome, "answer_s": answer_first, "end_s": end, "group": last_group,
        "handle_s": per_contact(np.where(answered, legs["handle"], 0.0)),
        "transfers": contacts["transfers"], "escalations": contacts["escalations"], "process": process,
        "stages_completed": done_stages, "resolved": resolved, "pilot": pilot,
        "resolution_s": np.where(resolved, end - contacts["arrival"], np.nan),
        "at_end": np.where(pending, WAITING_AT_END, of_leg(legs["at_end"], last_leg, DONE)),
    }
    contact_table = _select(contact_table, None if np.array_equal(rows, np.arange(n_contacts)) else rows)
    contact_table["customer"] = index[contact_table["customer"]]
    leg_measured = legs["enqueue"] >= plan.start_s
    leg_table = {
        "queue": legs["queue"], "origin": legs["origin"], "outcome": state, "wait_s": wait,
        "enqueue_s": legs["enqueue"], "answer_s": legs["answer"], "end_s": legs["end"], "group": legs["group"],
        "handle_s": legs["handle"], "result": legs["result"], "stage": legs["stage"],
        "process": process[contact_of_leg], "contact": index[contact_of_leg], "pilot": pilot[contact_of_leg],
        "at_end": legs["at_end"],
    }
    leg_table = _select(leg_table, None if leg_measured.all() else leg_measured)
    return ReplicationRecords(replication, leg_table, contact_table,
                              stage_table(plan, records.stages, legs, wait, measured, index),
                              busy, records.present_s, off_seconds(plan, records.off),
                              off_seconds(plan, records.off[records.off[:, 3] == BREAK]),
                              np.bincount(records.off[(records.off[:, 3] == BREAK) & (records.off[:, 1] >= plan.start_s),
                                                      0].astype(np.int64), minlength=plan.n_groups),
                              records.returns_pending)


def _select(table: dict[str, np.ndarray], rows: np.ndarray | None) -> dict[str, np.ndarray]:
    """The table's `rows` (an index or a mask; None: all rows, as they are)."""
    return {k: np.asarray(v) if rows is None else np.asarray(v)[rows] for k, v in table.items()}


def stage_table(plan: Plan, log: np.ndarray, legs: dict[str, np.ndarray], wait: np.ndarray,
                measured: np.ndarray, index: np.ndarray) -> dict[str, np.ndarray]:
    """Completed stages of measured contacts with their waiting and processing seconds."""
    columns = ("process", "stage", "entry_s", "done_s", "wait_s", "handle_s", "contact")
    if not log.size:
        return {c: np.zeros(0) for c in columns}
    width = max(len(s) for s in plan.stages) + 1
    staged = legs["stage"] >= 0
    key = legs["contact"][staged] * width + legs["stage"][staged]
    size = int(max(key.max(initial=0), (log[:, 0] * width + log[:, 2]).max()) + 1)
    waits = np.bincount(key, weights=wait[staged], minlength=size)
    handles = np.bincount(key, weights=np.where(legs["state"][staged] == ANSWERED, legs["handle"][staged], 0.0),
                          minlength=size)
    contact = log[:, 0].astype(np.int64)
    log_key = contact * width + log[:, 2].astype(np.int64)
    keep = measured[contact]
    return {
        "process": log[keep, 1].astype(np.int64), "stage": log[keep, 2].astype(np.int64),
        "entry_s": log[keep, 3], "done_s": log[keep, 4],
        "wait_s": waits[log_key][keep], "handle_s": handles[log_key][keep], "contact": index[contact[keep]],
    }


def off_seconds(plan: Plan, spells: np.ndarray) -> np.ndarray:
    """Agent-seconds off work per (group, interval) from (group, start, end) spells."""
    return busy_seconds(plan, spells[:, 1], spells[:, 2], spells[:, 0].astype(np.int64))


def busy_seconds(plan: Plan, start_s: np.ndarray, end_s: np.ndarray, group: np.ndarray,
                 share: np.ndarray | None = None) -> np.ndarray:
    """Agent-seconds of service per (group, interval), clipping services to interval bounds;
    each service counts `share` of an agent (1 by default).

    Uses B(t) = sum over services of share * clip(t - start, 0, end - start), evaluated at every
    interval boundary with sorted cumulative sums, so the cost is O(n log n) in services.
    """
    n = plan.n_intervals
    bounds = np.concatenate([plan.interval_start + plan.interval_s, plan.interval_start])   # ends, then starts
    busy = np.zeros((plan.n_groups, n))
    for g in range(plan.n_groups):
        mine = group == g
        if not mine.any():
            continue        # no service: zeros, as the sums below would give
        until = _busy_until(start_s[mine], end_s[mine], None if share is None else share[mine], bounds)
        busy[g] = until[:n] - until[n:]
    return busy


def _busy_until(start: np.ndarray, end: np.ndarray, share: np.ndarray | None, t: np.ndarray) -> np.ndarray:
    """Total share-weighted service time before each time in `t` (`share` None: 1 each)."""
    return _weighted_elapsed(start, share, t) - _weighted_elapsed(end, share, t)


def _weighted_elapsed(times: np.ndarray, share: np.ndarray | None, t: np.ndarray) -> np.ndarray:
    """sum over i with times_i <= t of share_i * (t - times_i), for each t (`share` None: 1 each,
    the same numbers without multiplying by ones)."""
    if share is None:       # the sorted values alone, without gathering them by an argsort
        times = np.sort(times, kind="stable")
        cum_share = np.arange(times.size + 1, dtype=float)
        cum_weighted = np.concatenate([[0.0], np.cumsum(times)])
    else:
        order = np.argsort(times, kind="stable")
        times, share = times[order], share[order]
        cum_share = np.concatenate([[0.0], np.cumsum(share)])
        cum_weighted = np.concatenate([[0.0], np.cumsum(share * times)])
    n = np.searchsorted(times, t, side="right")
    return t * cum_share[n] - cum_weighted[n]
