"""A replication's records split into chunks of whole customers, as an engine flushing finished
customers during a replication hands them over: every contact of a customer, its legs and its
completed stages in one chunk, `customer`/`contact` renumbered from 0 within the chunk, and the
per-group arrays split so that they add up over the chunks."""

from __future__ import annotations

import dataclasses

import numpy as np

from ccsim.model.replication import ReplicationRecords


def split_into_chunks(rec: ReplicationRecords, n_chunks: int, seed: int,
                      by_arrival: bool = False) -> list[ReplicationRecords]:
    """`rec` as `n_chunks` chunks (some may be empty) of randomly assigned whole customers, or with
    `by_arrival` of customers in the order of their first arrival (as an engine flushing finished
    customers would); legs of contacts that arrived before the measured period (contact -1) go
    to random chunks."""
    rng = np.random.default_rng(seed)
    contacts, legs, stages = rec.contacts, rec.legs, rec.stages
    n = contacts["kind"].size
    owner = np.where(contacts["customer"] >= 0, contacts["customer"], np.arange(n))   # a customer by its first row
    # contacts are in arrival order, so a customer's first row orders customers by first arrival
    chunk_of_row = np.arange(n) * n_chunks // max(n, 1) if by_arrival else rng.integers(0, n_chunks, n)
    chunk_of_contact = chunk_of_row[owner]
    leg_contact = legs["contact"]
    chunk_of_leg = np.where(leg_contact >= 0, chunk_of_contact[np.maximum(leg_contact, 0)],
                            rng.integers(0, n_chunks, leg_contact.size))
    chunk_of_stage = chunk_of_contact[stages["contact"].astype(np.int64)] if n else np.zeros(0, dtype=np.int64)
    fractions = rng.dirichlet(np.ones(n_chunks))
    breaks = rng.multinomial(1, fractions, size=rec.breaks.sum()).argmax(axis=1) if rec.breaks.sum() else []
    break_group = np.repeat(np.arange(rec.breaks.size), rec.breaks)
    chunks = []
    for k in range(n_chunks):
        mine = chunk_of_contact == k
        local = np.full(n + 1, -1)                            # new row of each old row; spare slot: -1 stays -1
        local[np.flatnonzero(mine)] = np.arange(mine.sum())
        chunk_contacts = {name: values[mine] for name, values in contacts.items()}
        chunk_contacts["customer"] = local[chunk_contacts["customer"]]
        chunk_legs = {name: values[chunk_of_leg == k] for name, values in legs.items()}
        chunk_legs["contact"] = local[chunk_legs["contact"]]
        chunk_stages = {name: values[chunk_of_stage == k] for name, values in stages.items()}
        chunk_stages["contact"] = local[chunk_stages["contact"].astype(np.int64)]

        def share(values: np.ndarray) -> np.ndarray:
            return values * fractions[k]

        chunks.append(dataclasses.replace(
            rec, legs=chunk_legs, contacts=chunk_contacts, stages=chunk_stages, busy_s=share(rec.busy_s),
            present_s=share(rec.present_s), off_s=share(rec.off_s), break_s=share(rec.break_s),
            breaks=np.bincount(break_group[np.asarray(breaks) == k], minlength=rec.breaks.size),
            returns_pending=rec.returns_pending if k == 0 else 0, kpi_cache={}))
    return chunks
