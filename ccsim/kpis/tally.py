"""Group operations over integer row codes, in one pass each: counts of legs per row and per
combination of small-int factors, and each row's members in their original order (for means and
percentiles that must equal those of a boolean selection). No KPI definitions here."""

from __future__ import annotations

import math

import numpy as np


def tally(row: np.ndarray, n_rows: int, factors: dict[str, np.ndarray],
          total: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Counts of items per row (`row` in 0..n_rows; n_rows: in no row) and per combination of the
    `factors` (small non-negative ints or booleans, one per item) that occurs: a (rows,
    combinations) float table, with `total` one more row for all rows together, and each factor's
    value in each combination. How many items of each row meet a condition on the factors: `table @ condition`,
    with `condition` evaluated on the combinations (exact: the counts are whole numbers)."""
    sizes = tuple(int(codes.max(initial=0)) + 1 for codes in factors.values())
    joint = np.ravel_multi_index(tuple(factors.values()), sizes)
    # only the combinations that occur: a few columns, not the product of the factors' sizes
    # (nine factors made tables of thousands of columns, and each count a product over them)
    seen = np.flatnonzero(np.bincount(joint, minlength=math.prod(sizes)))
    size = seen.size
    number = np.zeros(math.prod(sizes), dtype=np.int64)
    number[seen] = np.arange(size)
    table = np.bincount(row * size + number[joint], minlength=(n_rows + 1) * size).reshape(n_rows + 1, size)[:n_rows]
    if total:
        table = np.vstack([table, table.sum(axis=0)])
    combinations = np.unravel_index(seen, sizes)
    return table.astype(float), {name: values.astype(codes.dtype) for (name, codes), values
                                 in zip(factors.items(), combinations)}


def members(row: np.ndarray, n_rows: int, total: bool = False) -> list[np.ndarray]:
    """The indices of each row's items in increasing order (`row` as in `tally`), with `total`
    then those of all rows: one stable sort, no mask per row."""
    kept = np.flatnonzero(row < n_rows)
    by_row = kept[np.argsort(row[kept].astype(np.min_scalar_type(n_rows)), kind="stable")]
    bounds = np.searchsorted(row[by_row], np.arange(n_rows + 1))
    return [by_row[bounds[r]:bounds[r + 1]] for r in range(n_rows)] + ([kept] if total else [])
