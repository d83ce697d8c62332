"""KPIs of the customers, process stages and processes of a replication: the parts a chunk of
whole customers contributes and the KPIs of merged parts, filled by KPI name (`registry.columns`)."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.legs import censored
from ccsim.kpis.parts import Parts, row_percentiles
from ccsim.kpis.quantiles import Sample
from ccsim.kpis.registry import columns
from ccsim.kpis.tally import members, tally
from ccsim.model.plan import Plan
from ccsim.model.plan.deadlines import allowed_by
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import ABANDONED, CALLBACK, DONE, FRESH, IN_SERVICE_AT_END, REPEAT, RETRIAL
from ccsim.stats import ratio


def customer_parts(plan: Plan, chunk: ReplicationRecords, cap: int) -> Parts:
    """Per entry point (queues, then processes) of customers who first called in the measured
    period: how many, their contacts, how many had each outcome and how many can be judged for it
    (see `finish_customers`), their repeats and retrials, resolution times (sum and values) and
    satisfaction sums. A chunk holds whole customers, so each customer's outcome is known here."""
    c = chunk.contacts
    first = (c["kind"] == FRESH) & (c["attempt"] == 1)
    customer = np.where(c["customer"] >= 0, c["customer"], np.arange(c["kind"].size))
    n = c["kind"].size
    attempts = np.bincount(customer, minlength=n)
    running = c["at_end"] == IN_SERVICE_AT_END
    # every contact its own customer (no repeats, retrials or transfers to new contacts): what
    # any of a customer's contacts did is what the contact did, without the per-customer sums
    alone = bool((customer == np.arange(n)).all())
    if alone:
        resolved_any, in_service = c["resolved"].astype(bool), running
    else:
        resolved_any = np.bincount(customer, weights=c["resolved"].astype(float), minlength=n) > 0
        in_service = np.bincount(customer, weights=running.astype(float), minlength=n) > 0
    moved, raised = c["transfers"] > 0, c["escalations"] > 0
    fcr = c["resolved"] & (c["transfers"] == 0) & (c["escalations"] == 0)
    entry = np.where(c["process"] >= 0, plan.n_queues + c["process"], c["queue"])
    n_entries = plan.n_queues + len(plan.process_names)
    row = np.where(first, entry, n_entries)              # first contacts by entry point; later ones in none
    table, g = tally(row, n_entries, {"fcr": fcr, "resolved_any": resolved_any, "moved": moved, "raised": raised,
                                      "running": running, "in_service": in_service})
    undecided = {"fcr": g["running"] & ~g["moved"] & ~g["raised"], "transferred": g["running"] & ~g["moved"],
                 "escalated": g["running"] & ~g["raised"], "resolved": g["in_service"] & ~g["resolved_any"]}
    events = {"fcr": "fcr", "resolved": "resolved_any", "transferred": "moved", "escalated": "raised"}
    # repeats and retrials count by the entry point of their customer's first contact
    kinds, k = tally(entry if alone else entry[np.clip(customer, 0, n - 1)], n_entries, {"kind": c["kind"]})
    times = [c["resolution_s"][i] for i in members(np.where(c["resolved"], row, n_entries), n_entries)]
    return Parts({
        "customers": table.sum(axis=1),
        "contacts": np.bincount(row, weights=attempts, minlength=n_entries + 1)[:n_entries],
        **{kpi: table @ g[event] for kpi, event in events.items()},
        **{f"{kpi}_judged": table @ ~undecided[kpi] for kpi in events},
        "repeat_contacts": kinds @ (k["kind"] == REPEAT), "retrials": kinds @ (k["kind"] == RETRIAL),
        "resolution_sum": np.array([t.sum() for t in times]), "resolution_count": np.array([t.size for t in times]),
        **_rating_parts(plan, chunk, customer, first, row, n_entries)},
        samples={"resolution": [Sample(t, cap) for t in times]})


def finish_customers(plan: Plan, parts: Parts, cap: int) -> np.ndarray:
    """(entry queues + processes + 1, customer KPIs): what happened to each customer who first
    called in the measured period, grouped by where they first entered. Customers whose outcome
    still hangs on a service running at the end are left out of a share: of fcr, transferred and
    escalated while the first contact is in service with no transfer (no escalation) yet, of
    resolved while any of their contacts is in service and none resolved."""
    p = {name: values if name == "not_finite" else np.append(values, values.sum(axis=-1, keepdims=True), axis=-1)
         for name, values in parts.sums.items()}
    samples = parts.samples["resolution"]
    rows = [np.array([i]) for i in range(len(samples))] + [np.arange(len(samples))]
    p90 = row_percentiles(samples, rows, [90], cap)[:, 0]
    return columns("customer", {
        "customers": p["customers"], "contacts_per_customer": ratio(p["contacts"], p["customers"]),
        **{kpi: ratio(p[kpi], p[f"{kpi}_judged"]) for kpi in ("fcr", "resolved", "transferred", "escalated")},
        "repeat_contacts": p["repeat_contacts"], "retrials": p["retrials"],
        "resolution_time": ratio(p["resolution_sum"], p["resolution_count"]), "resolution_p90": p90,
        **_ratings(plan, p),
    })


def experiences(plan: Plan, rec: ReplicationRecords, customer: np.ndarray) -> np.ndarray:
    """(contacts, experiences) bool, on each customer's first contact (the row of `customer`):
    which of `satisfaction.EXPERIENCES` the customer had, over all their contacts."""
    c, legs = rec.contacts, rec.legs
    n = c["kind"].size

    def anyone(flags: np.ndarray, owner: np.ndarray = customer) -> np.ndarray:
        return np.bincount(owner, weights=flags.astype(float), minlength=n) > 0

    leg_customer = customer[np.maximum(legs["contact"], 0)]
    mine = legs["contact"] >= 0
    answer_wait = c["answer_s"] - c["arrival_s"]
    promise = allowed_by(plan.calendar, (*plan.promise_s, np.inf), c["process"], c["arrival_s"])  # -1: none
    return np.column_stack([
        answer_wait > allowed_by(plan.calendar, plan.threshold_limit, c["queue"], c["arrival_s"]),  # late_answer
        anyone(mine & (legs["outcome"] == ABANDONED), leg_customer),
        anyone(mine & (legs["outcome"] == CALLBACK), leg_customer),
        anyone(c["transfers"] > 0), anyone(c["escalations"] > 0),
        np.bincount(customer, minlength=n) > 1,                         # repeat: more than one contact
        ~anyone(c["resolved"]),                                         # unresolved
        anyone(c["resolved"] & (c["resolution_s"] > promise)),          # late_resolution
    ])


def _rating_parts(plan: Plan, chunk: ReplicationRecords, customer: np.ndarray, first: np.ndarray, row: np.ndarray,
                  n_entries: int) -> dict[str, np.ndarray]:
    """Per entry point, over the customers whose outcome is known (none of their contacts open at
    the end): how many, and the sums of their expected satisfied, promoter and detractor shares
    from the scenario's satisfaction model (`plan.satisfaction`), and how many of those shares are
    not finite; nothing without a model."""
    if np.isnan(plan.satisfaction[0, 0]):
        return {}
    c = chunk.contacts
    n = c["kind"].size
    still_open = np.bincount(customer, weights=(c["at_end"] != DONE).astype(float), minlength=n) > 0
    judged = np.where(first & ~still_open, row, n_entries)
    had = experiences(plan, chunk, customer)
    p = np.clip(plan.satisfaction[:, :1] + plan.satisfaction[:, 1:] @ had.T, 0.0, 1.0)  # (3, contacts)
    p[2] = np.minimum(p[2], 1.0 - p[1])                 # detractors: at most what promoters leave
    sums = np.stack([np.bincount(judged, weights=np.nan_to_num(p[i]), minlength=n_entries + 1)[:n_entries]
                     for i in range(3)])
    return {"rated": np.bincount(judged, minlength=n_entries + 1)[:n_entries].astype(float), "rating_sums": sums,
            "not_finite": (~np.isfinite(p)).any(axis=1).astype(float)}


def _ratings(plan: Plan, p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Expected CSAT, promoter and detractor shares and NPS per entry point (and all) from the
    merged sums of `_rating_parts` (each with its total appended); NaN without a model."""
    if "rated" not in p:
        return dict.fromkeys(("csat", "promoters", "detractors", "nps"), np.full(p["customers"].size, np.nan))
    shares = np.where(p["not_finite"][:, None] > 0, np.nan, ratio(p["rating_sums"], p["rated"]))
    csat, promoters, detractors = shares
    return {"csat": csat, "promoters": promoters, "detractors": detractors, "nps": 100.0 * (promoters - detractors)}


def stage_parts(plan: Plan, stages: dict[str, np.ndarray]) -> Parts:
    """Per stage of every process (in order): stages completed, the sums of their waits, handle
    times and times from stage start to done, and how many were done within the stage's limit."""
    limits = [stage.time_limit_s for p in plan.stages for stage in p]
    first = np.cumsum([0, *(len(p) for p in plan.stages)])
    n_rows = int(first[-1])
    row = first[stages["process"].astype(np.int64)] + stages["stage"].astype(np.int64) if n_rows \
        else np.zeros(0, dtype=np.int64)
    time = stages["done_s"] - stages["entry_s"]
    allowed = allowed_by(plan.calendar, limits, row, stages["entry_s"]) if n_rows else np.zeros(0)

    def per_row(weights):
        return np.bincount(row, weights=weights, minlength=n_rows)[:n_rows]

    return Parts({"completed": per_row(None).astype(float), "wait_sum": per_row(stages["wait_s"]),
                  "handle_sum": per_row(stages["handle_s"]), "time_sum": per_row(time),
                  "within": per_row((time <= allowed).astype(float))})


def finish_stages(plan: Plan, parts: Parts) -> np.ndarray:
    """(all stages of all processes, stage KPIs) from merged `stage_parts`."""
    p = parts.sums
    n = p["completed"]
    return columns("stage", {"completed": n, "wait": ratio(p["wait_sum"], n), "processing": ratio(p["handle_sum"], n),
                             "stage_time": ratio(p["time_sum"], n), "within_limit": ratio(p["within"], n)})


def process_parts(plan: Plan, contacts: dict[str, np.ndarray]) -> Parts:
    """Per process: tickets started and completed, the sum of completed tickets' end-to-end times,
    how many were done within the promise, and how many are censored (see `censored`) or not."""
    c = contacts
    n = len(plan.promise_s)
    process = np.where(c["process"] >= 0, c["process"], n)
    promise = allowed_by(plan.calendar, (*plan.promise_s, np.inf), process, c["arrival_s"])   # on the calendar: its own
    done = c["resolved"] & (process < n)
    unknown = censored(c["at_end"] != DONE, plan.end_s - c["arrival_s"], promise)

    def per_process(flags, weights=None):
        return np.bincount(process[flags], weights=None if weights is None else weights[flags], minlength=n + 1)[:n]

    every = np.ones(process.size, dtype=bool)
    return Parts({"started": per_process(every).astype(float), "completed": per_process(done).astype(float),
                  "resolution_sum": per_process(done, c["resolution_s"]),
                  "within": per_process(done & (c["resolution_s"] <= promise)).astype(float),
                  "judged": per_process(~unknown).astype(float), "censored": per_process(unknown).astype(float)})


def finish_processes(plan: Plan, parts: Parts) -> np.ndarray:
    """(processes, process KPIs): started, completed, mean end-to-end time, the share done within
    the promise among tickets that can be judged, and the censored ones (still open at the end and
    not yet past their promise, see `censored`); no promise: neither share nor censored."""
    p = parts.sums
    judged = np.isfinite(np.asarray(plan.promise_s, dtype=float))
    return columns("process", {
        "started": p["started"], "completed": p["completed"],
        "resolution_time": ratio(p["resolution_sum"], p["completed"]),
        "within_promise": np.where(judged, ratio(p["within"], p["judged"]), np.nan),
        "censored": np.where(judged, p["censored"], np.nan)})
