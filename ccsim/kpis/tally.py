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
    # a boolean takes 2 values, whatever occurs: combinations come in the same (lexicographic)
    # order for any sizes above the largest codes, and a bool needs no pass to find its largest
    sizes = tuple(2 if codes.dtype == bool else int(codes.max(initial=0)) + 1 for codes in factors.values())
    size = math.prod(sizes)
    if (n_rows + 1) * size <= max(4 * row.size, 4096):
        # few rows x combinations: count them all in one pass (row as the leading digit of the
        # combination's code), then keep the combinations that occur
        # 32-bit codes where they fit: half the memory traffic of the passes below
        code = row.astype(np.int32 if (n_rows + 1) * size < 2**31 else np.int64)
        for codes, radix in zip(factors.values(), sizes):
            code *= radix
            code += codes
        counts = np.bincount(code, minlength=(n_rows + 1) * size).reshape(n_rows + 1, size)
        seen = np.flatnonzero(counts.any(axis=0))
        table = counts[:n_rows, seen]
    else:
        joint = np.ravel_multi_index(tuple(factors.values()), sizes)
        # only the combinations that occur: a few columns, not the product of the factors' sizes
        # (nine factors made tables of thousands of columns, and each count a product over them)
        seen = np.flatnonzero(np.bincount(joint, minlength=size))
        number = np.zeros(size, dtype=np.int64)
        number[seen] = np.arange(seen.size)
        table = np.bincount(row * seen.size + number[joint],
                            minlength=(n_rows + 1) * seen.size).reshape(n_rows + 1, seen.size)[:n_rows]
    if total:
        table = np.vstack([table, table.sum(axis=0)])
    combinations = np.unravel_index(seen, sizes)
    return table.astype(float), {name: values.astype(codes.dtype) for (name, codes), values
                                 in zip(factors.items(), combinations)}


def among(codes: np.ndarray, kinds) -> np.ndarray:
    """codes == any of `kinds` (a few values), as np.isin gives it, without its fixed cost of tens
    of microseconds (it is called on a tally's few combinations, several times per chunk)."""
    hit = np.zeros(codes.shape, dtype=bool)
    for kind in kinds:
        hit |= codes == kind
    return hit


def members(row: np.ndarray, n_rows: int, total: bool = False) -> list[np.ndarray]:
    """The indices of each row's items in increasing order (`row` as in `tally`), with `total`
    then those of all rows: one stable sort, no mask per row."""
    kept = np.flatnonzero(row < n_rows)
    if n_rows == 1:                 # one row: its members are the items kept, in order (no sort)
        return [kept, kept] if total else [kept]
    by_row = kept[np.argsort(row[kept].astype(np.min_scalar_type(n_rows)), kind="stable")]
    bounds = np.searchsorted(row[by_row], np.arange(n_rows + 1))
    return [by_row[bounds[r]:bounds[r + 1]] for r in range(n_rows)] + ([kept] if total else [])
