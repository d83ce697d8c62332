"""The engine's records taken out in chunks of whole customers, so a long replication holds the
rows of customers still in progress rather than those of the whole run.

At the end of an arrival block, `take_done` takes out every customer nothing can change any more:
none of their legs waits or is in service, no contact waits for a delayed stage, and no scheduled
event refers to them (a return, a stage opening, a patience or wait-limit timer, a service end).
Their contacts, legs and completed stages become one chunk, numbered from 0 within it, and their
rows are given back to the tables for later contacts. `take_rest` takes whatever is left at the
end of the run, as the whole replication's records were taken before. Every customer's contacts
and legs lie in exactly one chunk, so the KPIs of customers, stages and processes can be computed
chunk by chunk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ccsim.model.pools import Agent
from ccsim.model.states import ANSWERED, IN_SERVICE_AT_END, OPEN, WAITING, WAITING_AT_END

if TYPE_CHECKING:
    from ccsim.model.engine import Engine, EngineRecords

# legs in the tables before the done customers are taken out at a day's end: about 18 MB of rows;
# fewer, more frequent chunks cost time per chunk (the KPI parts of each; after_sales, ~100
# contacts a day, ran at 0.60x with a chunk per day, 2026-11-26)
CHUNK_LEGS = 50_000


def take_done(engine: "Engine") -> "EngineRecords":
    """The records of the customers done by now, taken out of the engine (their rows freed)."""
    legs, contacts = engine.legs.arrays(), engine.contacts.arrays()
    leg_used, contact_used = engine.legs.in_use(), engine.contacts.in_use()
    held_legs, held_contacts, held_customers = _held(engine)
    state = legs["state"]
    busy = (state == ANSWERED) & (legs["answer"] + legs["handle"] >= engine.kernel.now)
    open_leg = leg_used & ((state == WAITING) | busy)
    open_leg[held_legs] = True
    open_contact = contact_used & (contacts["pending"] == 1)
    open_contact[legs["contact"][open_leg]] = True
    open_contact[held_contacts] = True
    open_customer = np.zeros(open_contact.size, dtype=bool)
    open_customer[contacts["customer"][open_contact]] = True
    open_customer[held_customers] = True
    done_contact = contact_used & ~open_customer[contacts["customer"]]
    done_leg = leg_used & done_contact[legs["contact"]]
    del legs, contacts  # views: the tables take no more rows while they live
    leg_rows, contact_rows = np.flatnonzero(done_leg), np.flatnonzero(done_contact)
    chunk = _records(engine, leg_rows, contact_rows, at_end=None, last=False)
    engine.legs.release(leg_rows)
    engine.contacts.release(contact_rows)
    engine.lines.forget_stale()
    return chunk


def take_rest(engine: "Engine") -> "EngineRecords":
    """At the end of the run: the records of every customer still in the engine, with how each
    leg was found (waiting, in service or done), the spells off work, presence and pending returns."""
    plan = engine.plan
    legs = engine.legs.arrays()
    at_end = np.zeros(len(engine.legs), dtype=np.int8)
    at_end[engine.lines.waiting_legs()] = WAITING_AT_END
    done_s = legs["answer"] + legs["handle"]        # a service ends one handle time after its answer
    in_service = (legs["state"] == ANSWERED) & (done_s >= plan.end_s)   # its completion event never ran
    at_end[in_service] = IN_SERVICE_AT_END
    legs["result"][in_service] = OPEN               # no after-service decision ran
    del legs
    leg_rows, contact_rows = engine.legs.rows_in_use(), engine.contacts.rows_in_use()
    return _records(engine, leg_rows, contact_rows, at_end[leg_rows], last=True)


def _records(engine: "Engine", leg_rows: np.ndarray | slice, contact_rows: np.ndarray | slice,
             at_end: np.ndarray | None, last: bool) -> "EngineRecords":
    """`EngineRecords` of the given rows (indices, or a slice of the first rows), legs numbered
    in row order from 0, contacts too, or in arrival order (ties in row order) where given by
    index; the completed stages of those contacts leave the engine's stage log."""
    from ccsim.model.engine import EngineRecords

    plan, flows = engine.plan, engine.flows
    if not isinstance(contact_rows, slice):
        # contacts in arrival order, as the replication's records hold them: gathered in that
        # order here, they need no second gather there (rows are reused, so row order is not
        # arrival order)
        arrival = engine.contacts.arrays()["arrival"][contact_rows]
        contact_rows = contact_rows[np.argsort(arrival, kind="stable")]
        del arrival
    # rows by index are copies (those rows are given back); the first rows at the end of a run,
    # views sharing the tables' memory (the run adds no rows any more)
    legs = {name: column[leg_rows] for name, column in engine.legs.arrays().items()}
    contacts = {name: column[contact_rows] for name, column in engine.contacts.arrays().items()}
    if isinstance(contact_rows, slice) and isinstance(leg_rows, slice):    # numbered from 0 already
        stages = flows.take_stages(None)
    else:
        number = np.full(len(engine.contacts), -1)
        number[contact_rows] = np.arange(contacts["kind"].size)
        leg_number = np.full(len(engine.legs), -1)
        leg_number[leg_rows] = np.arange(legs["queue"].size)
        legs["contact"] = number[legs["contact"]]
        for column in ("customer", "first_leg", "last_leg"):
            contacts[column] = (number if column == "customer" else leg_number)[contacts[column]]
        stages = flows.take_stages(number)
    answered = legs["state"] == ANSWERED
    np.add(legs["answer"], legs["handle"], out=legs["end"], where=answered)
    legs["at_end"] = np.zeros(legs["queue"].size, dtype=np.int8) if at_end is None else at_end
    if last:
        off = np.array(engine.availability.off_spells(), dtype=float).reshape(-1, 4)
        present = np.array([pool.present_s[:-1] for pool in engine.pools]).reshape(plan.n_groups, -1)
        pending = flows.returns_scheduled - flows.returns_arrived
    else:
        off, present, pending = np.zeros((0, 4)), np.zeros((plan.n_groups, plan.n_intervals)), 0
    return EngineRecords(legs, contacts, stages, off, present, pending)


def _held(engine: "Engine") -> tuple[list[int], list[int], list[int]]:
    """The legs, contacts and customers that the engine's scheduled events refer to."""
    flows = engine.flows
    leg_of = {engine._patience_over: lambda v: v, flows._wait_limit: lambda v: v[0],
              engine.chat._finish: lambda v: v[1]}
    refers_to_nothing = {engine.staffing._apply, engine.availability._break_due, engine._wake}
    legs, contacts, customers = [], [], []
    for callback, value in engine.kernel.pending():
        if isinstance(value, Agent):            # a service or a spell off work ends
            if value.leg >= 0:
                legs.append(value.leg)
        elif callback in leg_of:
            legs.append(leg_of[callback](value))
        elif callback == flows._stage_due:
            contacts.append(value[0])
        elif callback == flows._return:
            customers.append(value[0])
        elif callback not in refers_to_nothing:
            raise RuntimeError(f"an event of {callback!r} is scheduled: say in ccsim.model.chunks what it refers to")
    return legs, contacts, customers
