"""What a set of complete customers contributes to one KPI level of a replication, in a form that
merges: counts and sums (added), maxima (the larger kept) and per-row values for percentiles
(`quantiles.Sample`, merged row by row). A level's KPIs are `finish(parts)` of the merged parts
of every chunk, so a replication handed over in chunks gets the KPIs of the whole."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ccsim.kpis.quantiles import Sample


@dataclass(slots=True)
class Parts:
    """One level's mergeable parts, by name: `sums` (counts, sums of seconds or hours) add up over
    chunks, `maxima` (e.g. the age of the oldest waiting contact) take the larger, `samples` hold
    one `Sample` per row. With a `window` (start, stop, rows), `sums` and `maxima` hold only rows
    start to stop of the level's `rows` (first axis; zero elsewhere): a chunk of customers who
    came and went within a day touches a day's intervals, not the horizon's."""

    sums: dict[str, np.ndarray]
    maxima: dict[str, np.ndarray] = field(default_factory=dict)
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    window: tuple[int, int, int] | None = None

    def whole(self) -> Parts:
        """These parts over all rows (zero outside the window), to merge others into."""
        if self.window is None:
            return self
        start, stop, rows = self.window

        def widen(values: np.ndarray) -> np.ndarray:
            full = np.zeros((rows, *values.shape[1:]))
            full[start:stop] = values
            return full

        return Parts({k: widen(v) for k, v in self.sums.items()}, {k: widen(v) for k, v in self.maxima.items()},
                     self.samples)

    def merge(self, other: Parts) -> None:
        """Add `other` (the parts of other customers of the same replication) into these parts
        (whole ones, see `whole`)."""
        if other.window is None:
            for name, values in other.sums.items():
                self.sums[name] = self.sums[name] + values
            for name, values in other.maxima.items():
                self.maxima[name] = np.maximum(self.maxima[name], values)
        else:
            rows = slice(*other.window[:2])            # arrays made by `whole`: this object's own
            for name, values in other.sums.items():
                self.sums[name][rows] += values
            for name, values in other.maxima.items():
                np.maximum(self.maxima[name][rows], values, out=self.maxima[name][rows])
        for name, rows in other.samples.items():
            for mine, theirs in zip(self.samples[name], rows, strict=True):
                mine.add(theirs)


def row_percentiles(samples: list[Sample], rows: list[np.ndarray], q: list[float], cap: int) -> np.ndarray:
    """(rows, q): for each row of reported KPIs (the indices of the finer rows it pools), the `q`
    percentiles of the union of those rows' samples: derived rows (all queues, channels) keep no
    values of their own. Rows pooling the same non-empty samples share one computation (with one
    queue, the queue and all queues): the union of one sample holds its very values."""
    done: dict[tuple[int, ...], np.ndarray] = {}
    out = np.empty((len(rows), len(q)))
    for r, pool in enumerate(rows):
        key = tuple(int(i) for i in pool if samples[i].size)
        if not key:
            out[r] = np.nan
        elif key in done:
            out[r] = done[key]
        else:
            done[key] = out[r] = (samples[key[0]] if len(key) == 1 else
                                  Sample.union([samples[i] for i in key], cap)).percentile(q)
    return out


def pooled(sums: dict[str, np.ndarray], rows: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Each of `sums` (1-d, one value per finer row) summed over the finer rows each reported row
    pools. All names at once: one (names, pooled) block per row, summed along its contiguous last
    axis, which numpy sums pairwise exactly as it sums each name's `values[row]` (the per-name
    sums it replaces cost a numpy call per name and row)."""
    block = np.stack(list(sums.values())) if sums else np.zeros((0, 0))
    totals = np.stack([np.ascontiguousarray(block[:, r]).sum(axis=1) for r in rows], axis=1) if rows \
        else np.zeros((len(sums), 0))
    return dict(zip(sums, totals))
