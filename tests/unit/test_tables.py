"""The engine's typed tables: rows made, reserved, given back and taken again, and the tally of
factor combinations the KPIs count with."""

from __future__ import annotations

import math

import numpy as np

from ccsim.kpis.tally import tally
from ccsim.model.tables import LEG_FIELDS, Table

FIELDS = {"who": ("q", -1), "when": ("d", math.nan), "flag": ("b", 0)}


def test_positional_adder_fills_only_given_fields_and_defaults_the_rest():
    table = Table(FIELDS)
    add = table.adder("when", "who")
    assert [add(1.5, 7), add(2.5, 8)] == [0, 1]
    assert table.add(flag=1) == 2
    columns = table.arrays()
    assert columns["who"].tolist() == [7, 8, -1] and columns["flag"].tolist() == [0, 0, 1]
    assert columns["when"][:2].tolist() == [1.5, 2.5] and math.isnan(columns["when"][2])
    assert len(table) == 3 and len(columns["who"]) == 3     # room made ahead is not a row


def test_a_row_given_back_is_taken_again_with_its_old_values_reset():
    table = Table(FIELDS)
    add = table.adder("who")
    for who in range(3):
        add(who)
    table.flag[1], table.when[1] = 1, 9.0
    table.release(np.array([1]))
    assert table.n_in_use() == 2
    assert add(42) == 1                                    # the free row, not a new one
    assert (table.who[1], table.flag[1], math.isnan(table.when[1])) == (42, 0, True)
    assert len(table) == 3


def test_rows_after_a_reservation_follow_its_spare_rows_and_grow_past_the_room_made():
    table = Table(LEG_FIELDS)
    table.reserve(3)
    rows = table.put(2, queue=np.array([4, 5]))
    assert rows.tolist() == [0, 1] and table.n_in_use() == 2
    made = [table.add(queue=q) for q in range(2000)]       # past any room made ahead
    assert made == list(range(3, 2003)) and len(table) == 2003
    assert table.arrays()["queue"][3:].tolist() == list(range(2000))
    assert table.arrays()["state"].size == 2003


def test_tally_counts_only_the_combinations_that_occur():
    row = np.array([0, 0, 1, 2, 1])                        # row 2: in no row
    factors = {"kind": np.array([0, 7, 7, 7, 0]), "ok": np.array([True, False, True, True, True])}
    table, g = tally(row, 2, factors, total=True)
    assert table.shape == (3, 3)                           # 3 combinations seen, not 8 x 2
    assert (table @ (g["kind"] == 7)).tolist() == [1.0, 1.0, 2.0]
    assert (table @ g["ok"]).tolist() == [1.0, 2.0, 3.0] and table.sum(axis=1).tolist() == [2.0, 2.0, 4.0]
