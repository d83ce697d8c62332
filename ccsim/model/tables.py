"""Legs and contacts as columns declared once: name -> (array type code, default).

A *contact* is one attempt of a customer; each visit of a contact to a queue is a *leg*. Every
column is an `array.array` (typed, unboxed), one per declared field, so adding a field is one
line here; the engine's records and the replication tables are built from these declarations.
Rows are slots: rows given back (`release`, once their customer is done and flushed) are taken
again by later rows, so a long replication's tables hold the rows in use, not every row it made.
Typed arrays rather than lists: the whole M/M/c+M benchmark run (c = 200, ~110k contacts) took
0.33 s against 0.45 s with lists (2026-11-25), mostly from cheaper conversion to and from numpy.
"""

from __future__ import annotations

import functools
import math
from array import array

import numpy as np

from ccsim.model.states import FRESH, RESOLVED, WAITING

NUMPY = {"q": np.int64, "d": np.float64, "b": np.int8}

LEG_FIELDS: dict[str, tuple[str, float]] = {
    "contact": ("q", 0), "queue": ("q", 0), "line": ("q", 0),
    "enqueue": ("d", math.nan),     # s: when it started waiting
    "handle": ("d", math.nan),      # s: drawn at the queue, scaled when served
    "patience": ("d", math.inf),    # s
    "state": ("q", WAITING), "answer": ("d", math.nan), "end": ("d", math.nan),
    "group": ("q", -1), "origin": ("q", FRESH), "result": ("q", RESOLVED), "stage": ("q", -1),
}
CONTACT_FIELDS: dict[str, tuple[str, float]] = {
    "customer": ("q", 0), "attempt": ("q", 1), "kind": ("q", FRESH), "arrival": ("d", math.nan),
    "process": ("q", -1), "stage": ("q", -1), "stage_entry": ("d", math.nan),
    "transfers": ("q", 0), "escalations": ("q", 0), "first_leg": ("q", -1), "last_leg": ("q", -1), "pending": ("b", 0),
    "pilot": ("b", 0),      # the customer is in a pilot on contacts
}


class Table:
    """Rows of declared fields, one typed column per field (an attribute of the same name). A
    column may hold more entries than the table has rows: the rest, at its default, is room for
    rows to come (read a column by row only, or through `arrays`)."""

    def __init__(self, fields: dict[str, tuple[str, float]]):
        self._fields = fields
        for name, (code, _) in fields.items():
            setattr(self, name, array(code))
        self.free: list[int] = []       # rows given back, taken again first (read-only outside)
        self._spare = (0, 0)            # rows lo..hi made room for by `reserve`, not in use yet
        self._rows = 0                  # rows so far (free and spare ones included)
        self.add = self.adder(*fields, keywords=True)

    def __len__(self) -> int:
        """Rows so far, free and spare ones included. `add(**values) -> row` fills a free row or
        makes a new one (fields not given take their default)."""
        return self._rows

    def adder(self, *names: str, keywords: bool = False):
        """`add(value, ...) -> row` for the fields `names` in that order (the others take their
        default): fills a free row or makes a new one. Generated from the declaration (one store
        per field, no loop), as dataclasses generate `__init__`; a new row is already at the
        defaults, so it stores only `names`. With `keywords`, the values are keyword arguments
        with the fields' defaults."""
        fields = self._fields
        namespace = {f"_{name}": default for name, (_, default) in fields.items()}
        namespace.update({f"col_{name}": getattr(self, name) for name in fields})
        namespace.update(table=self, first=getattr(self, next(iter(fields))), free=self.free, grow=self._grow)
        made: dict = {}
        exec(_adder_code(tuple(fields), names, keywords), namespace, made)  # noqa: S102  (declared names only)
        return made["add"]

    def _grow(self) -> None:
        """Room for more rows at the end of every column, at the defaults: an eighth more (a
        typed array grown may copy itself; room never taken still costs its memory's first touch)."""
        self._extend(max(len(self) // 8, 256))

    def _extend(self, n: int) -> None:
        for name, (code, default) in self._fields.items():
            getattr(self, name).extend(array(code, [default]) * n)

    def reserve(self, n: int) -> None:
        """Make room for `n` more rows taken by `put`, at once: growing a typed array may copy
        it, so a table grown block by block would copy itself about once per block."""
        lo, hi = self._spare
        if hi - lo >= n:
            return
        self.free.extend(range(hi - 1, lo - 1, -1))     # the spare rows left, lowest taken first
        start = self._rows
        short = start + n - len(getattr(self, next(iter(self._fields))))
        if short > 0:
            self._extend(short)
        self._rows = start + n
        self._spare = (start, start + n)

    def put(self, n: int, **columns: np.ndarray) -> np.ndarray:
        """Fill `n` rows (free ones first, then spare ones) from `columns` where given, else the
        field's default; return the rows. Short of room, the table at least doubles."""
        k = min(n, len(self.free))
        if self._spare[1] - self._spare[0] < n - k:
            self.reserve(max(n - k, len(self)))
            k = min(n, len(self.free))
        reused = np.array(self.free[len(self.free) - k:][::-1], dtype=np.int64)
        del self.free[len(self.free) - k:]
        lo, hi = self._spare
        self._spare = (lo + n - k, hi)
        for name, (code, default) in self._fields.items():
            values = np.asarray(columns.get(name, default))
            column = np.frombuffer(getattr(self, name), dtype=NUMPY[code])
            if k:
                column[reused] = values[:k] if values.ndim else values
            column[lo:lo + n - k] = values[k:] if values.ndim else values
        return np.concatenate([reused, np.arange(lo, lo + n - k)])

    def release(self, rows: np.ndarray) -> None:
        """Give `rows` back: later rows take them (their values are overwritten then)."""
        self.free.extend(rows.tolist())

    def n_in_use(self) -> int:
        """How many rows are in use."""
        return len(self) - len(self.free) - (self._spare[1] - self._spare[0])

    def in_use(self) -> np.ndarray:
        """(rows so far,) bool: the rows in use (not given back, not spare)."""
        used = np.ones(len(self), dtype=bool)
        used[self.free] = False
        used[slice(*self._spare)] = False
        return used

    def rows_in_use(self) -> np.ndarray | slice:
        """The rows in use: a slice where they are the first rows (none given back), else their
        indices."""
        lo, hi = self._spare
        return slice(0, lo) if not self.free and hi == len(self) else np.flatnonzero(self.in_use())

    def arrays(self) -> dict[str, np.ndarray]:
        """Every column as a numpy array of its declared type, sharing the column's memory (no
        copy: while a view is alive the table takes no more rows)."""
        return {name: np.frombuffer(getattr(self, name), dtype=NUMPY[code])[:self._rows]
                for name, (code, _) in self._fields.items()}


@functools.cache
def _adder_code(fields: tuple[str, ...], names: tuple[str, ...], keywords: bool):
    """The compiled definition of `Table.adder`'s function (compiled once per declaration and
    field list: compiling took about a tenth of a small scenario's replication)."""
    params = ", ".join(f"{name}=_{name}" for name in names)
    params = f"*, {params}" if keywords else ", ".join(names)
    defaults = "".join(f"        col_{name}[row] = _{name}\n" for name in fields if name not in names)
    stores = "".join(f"    col_{name}[row] = {name}\n" for name in names)
    source = (f"def add({params}):\n"
              f"    if free:\n        row = free.pop()\n{defaults}"
              f"    else:\n        row = table._rows\n        if row == len(first):\n            grow()\n"
              f"        table._rows = row + 1\n"
              f"{stores}    return row\n")
    return compile(source, "<table add>", "exec")
