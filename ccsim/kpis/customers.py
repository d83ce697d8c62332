"""KPIs of the customers, process stages and processes of one replication, filled by KPI name
(`registry.columns`, `registry.stack_rows`)."""

from __future__ import annotations

import numpy as np

from ccsim.kpis.cache import per_replication
from ccsim.kpis.legs import censored
from ccsim.kpis.registry import columns, index, stack_rows
from ccsim.kpis.tally import members, tally
from ccsim.model.plan import Plan
from ccsim.model.plan.deadlines import allowed_by, allowed_s
from ccsim.model.replication import ReplicationRecords
from ccsim.model.states import ABANDONED, ANSWERED, CALLBACK, DONE, FRESH, IN_SERVICE_AT_END, REPEAT, RETRIAL
from ccsim.stats import ratio


@per_replication
def customer_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(entry queues + processes + 1, customer KPIs): what happened to each customer who
    first called in the measured period, grouped by where they first entered. Customers whose
    outcome still hangs on a service running at the end are left out of a share: of fcr,
    transferred and escalated while the first contact is in service with no transfer (no
    escalation) yet, of resolved while any of their contacts is in service and none resolved."""
    c = rec.contacts
    first = (c["kind"] == FRESH) & (c["attempt"] == 1)
    customer = np.where(c["customer"] >= 0, c["customer"], np.arange(c["kind"].size))
    n = c["kind"].size
    attempts = np.bincount(customer, minlength=n)
    resolved_any = np.bincount(customer, weights=c["resolved"].astype(float), minlength=n) > 0
    running = c["at_end"] == IN_SERVICE_AT_END
    in_service = np.bincount(customer, weights=running.astype(float), minlength=n) > 0
    moved, raised = c["transfers"] > 0, c["escalations"] > 0
    fcr = c["resolved"] & (c["transfers"] == 0) & (c["escalations"] == 0)
    entry = np.where(c["process"] >= 0, plan.n_queues + c["process"], c["queue"])
    n_entries = plan.n_queues + len(plan.process_names)
    row = np.where(first, entry, n_entries)              # first contacts by entry point; later ones in none
    table, g = tally(row, n_entries, {"fcr": fcr, "resolved_any": resolved_any, "moved": moved, "raised": raised,
                                      "running": running, "in_service": in_service}, total=True)
    undecided = {"fcr": g["running"] & ~g["moved"] & ~g["raised"], "transferred": g["running"] & ~g["moved"],
                 "escalated": g["running"] & ~g["raised"], "resolved": g["in_service"] & ~g["resolved_any"]}

    def share(event: str, kpi: str) -> np.ndarray:
        return ratio(table @ g[event], table @ ~undecided[kpi])

    # repeats and retrials count by the entry point of their customer's first contact
    kinds, k = tally(entry[np.clip(customer, 0, n - 1)], n_entries, {"kind": c["kind"]}, total=True)
    customers = table.sum(axis=1)
    contacts = np.bincount(row, weights=attempts, minlength=n_entries + 1)[:n_entries]
    times = [c["resolution_s"][i] for i in members(np.where(c["resolved"], row, n_entries), n_entries, total=True)]
    return columns("customer", {
        "customers": customers,
        "contacts_per_customer": ratio(np.append(contacts, contacts.sum()), customers),
        "fcr": share("fcr", "fcr"), "resolved": share("resolved_any", "resolved"),
        "transferred": share("moved", "transferred"), "escalated": share("raised", "escalated"),
        "repeat_contacts": kinds @ (k["kind"] == REPEAT), "retrials": kinds @ (k["kind"] == RETRIAL),
        "resolution_time": [t.mean() if t.size else np.nan for t in times],
        "resolution_p90": [np.percentile(t, 90) if t.size else np.nan for t in times],
        **_ratings(plan, rec, customer, first, row, n_entries),
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


def _ratings(plan: Plan, rec: ReplicationRecords, customer: np.ndarray, first: np.ndarray, row: np.ndarray,
             n_entries: int) -> dict[str, np.ndarray]:
    """Expected CSAT, promoter and detractor shares and NPS per entry point (and all) over the
    customers whose outcome is known (none of their contacts open at the end), from the
    scenario's satisfaction model (`plan.satisfaction`); NaN without one."""
    if np.isnan(plan.satisfaction[0, 0]):
        return dict.fromkeys(("csat", "promoters", "detractors", "nps"), np.full(n_entries + 1, np.nan))
    c = rec.contacts
    n = c["kind"].size
    still_open = np.bincount(customer, weights=(c["at_end"] != DONE).astype(float), minlength=n) > 0
    judged = np.where(first & ~still_open, row, n_entries)
    had = experiences(plan, rec, customer)
    p = np.clip(plan.satisfaction[:, :1] + plan.satisfaction[:, 1:] @ had.T, 0.0, 1.0)  # (3, contacts)
    p[2] = np.minimum(p[2], 1.0 - p[1])                 # detractors: at most what promoters leave

    def mean(weights: np.ndarray) -> np.ndarray:
        sums = np.bincount(judged, weights=np.nan_to_num(weights), minlength=n_entries + 1)[:n_entries]
        counts = np.bincount(judged, minlength=n_entries + 1)[:n_entries].astype(float)
        value = ratio(np.append(sums, sums.sum()), np.append(counts, counts.sum()))
        return value if np.isfinite(weights).all() else np.full(n_entries + 1, np.nan)

    csat, promoters, detractors = (mean(p[i]) for i in range(3))
    return {"csat": csat, "promoters": promoters, "detractors": detractors, "nps": 100.0 * (promoters - detractors)}


@per_replication
def stage_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(all stages of all processes, stage KPIs) for one replication."""
    s = rec.stages
    rows = []
    for p, stages in enumerate(plan.stages):
        for i, stage in enumerate(stages):
            mine = (s["process"] == p) & (s["stage"] == i)
            entry = s["entry_s"][mine]
            time = s["done_s"][mine] - entry
            n = mine.sum()
            rows.append({"completed": n, "wait": s["wait_s"][mine].mean() if n else np.nan,
                         "processing": s["handle_s"][mine].mean() if n else np.nan,
                         "stage_time": time.mean() if n else np.nan,
                         "within_limit": ratio((time <= allowed_s(plan.calendar, stage.time_limit_s, entry)).sum(), n)})
    return stack_rows("stage", rows)


@per_replication
def process_kpis(plan: Plan, rec: ReplicationRecords) -> np.ndarray:
    """(processes, process KPIs): started, completed, mean end-to-end time, the share done
    within the promise among tickets that can be judged, and the censored ones (still open at the
    end and not yet past their promise, see `censored`)."""
    c = rec.contacts
    open_at_end = c["at_end"] != DONE
    rows = []
    for p, promise in enumerate(plan.promise_s):
        mine = c["process"] == p
        done = mine & c["resolved"]
        times = c["resolution_s"][done]
        promise = allowed_s(plan.calendar, promise, c["arrival_s"])      # per contact: on the calendar, its own
        unknown = mine & censored(open_at_end, plan.end_s - c["arrival_s"], promise)
        judged = np.isfinite(plan.promise_s[p])
        rows.append({"started": mine.sum(), "completed": done.sum(),
                     "resolution_time": times.mean() if times.size else np.nan,
                     "within_promise": ratio((done & (c["resolution_s"] <= promise)).sum(), (mine & ~unknown).sum())
                     if judged else np.nan, "censored": unknown.sum() if judged else np.nan})
    return stack_rows("process", rows)


def satisfaction_warnings(plan: Plan, records) -> list[str]:
    """Entry points (and all customers) whose CSAT or FCR, averaged over replications, is below
    the scenario's alert line (`satisfaction.alerts`)."""
    warnings = []
    names = [*plan.queue_names, *plan.process_names, "all customers"]
    samples = np.stack([customer_kpis(plan, rec) for rec in records])
    for kpi, line in zip(("csat", "fcr"), plan.alert_lines):
        if not np.isfinite(line):
            continue
        for name, values in zip(names, samples[:, :, index("customer", kpi)].T):
            values = values[np.isfinite(values)]
            value = values.mean() if values.size else np.nan
            if value < line:
                where = name if name == "all customers" else f"customers entering at {name}"
                warnings.append(f"{where}: {kpi.upper()} {100 * value:.1f}% is below the alert line of {100 * line:.0f}%")
    return warnings
