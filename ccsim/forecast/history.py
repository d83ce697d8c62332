"""Contact history from CSV (as an ACD or CRM export gives it) and the special-days file, read
into whole days of counts per queue and interval, with clean errors naming file, line and column.

This module owns the file formats; it knows nothing of models or scenarios.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ccsim.errors import CcsimError
from ccsim.textfiles import TextFileError, read_text
from ccsim.units import format_duration

DAY_S = 86400
QUEUE = "contacts"                   # the queue's name when the history has no queue column
TIME_COLUMNS = "timestamp (e.g. 2026-01-05 08:15), or date (2026-01-05) and interval_start (08:15)"


class HistoryError(CcsimError, ValueError):
    """A history or special-days file that cannot be used: file, line, column and what is allowed."""

    def __init__(self, file: Path | str, message: str, line: int | None = None, column: str | None = None):
        where = f"{file}" + ("" if line is None else f":{line}") + ("" if column is None else f": {column}")
        self.file, self.line, self.column = str(file), line, column
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class History:
    """Counts per queue and interval over whole days.

    `volumes`: (queues, days, intervals per day) contacts, every interval of every day from
    `first_date` on (an interval without a row counts 0); `handle_s`: the same shape, mean handle
    time in seconds where the file gives one (NaN elsewhere), or None; `interval_s`: interval
    length; `open_s`: (first interval start, end) of the opening hours seen, seconds after midnight.
    """

    queues: tuple[str, ...]
    first_date: pd.Timestamp
    volumes: np.ndarray
    handle_s: np.ndarray | None
    interval_s: float
    open_s: tuple[float, float]
    file: str = "<history>"

    @property
    def days(self) -> int:
        return self.volumes.shape[1]

    @property
    def per_day(self) -> int:
        return self.volumes.shape[2]

    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.first_date, periods=self.days, freq="D")


def read_history(source: Path | str | pd.DataFrame, interval_s: float | None = None) -> History:
    """Read a history CSV (or a DataFrame with the same columns): one row per queue and interval.

    Columns: a time (`timestamp`, or `date` and `interval_start`), `volume` (contacts, >= 0),
    optionally `queue` (one queue named "contacts" without it) and `handle_time` (mean seconds).
    The interval length is the most common step between timestamps unless `interval_s` is given;
    every timestamp must lie on that grid from midnight. Raises HistoryError.
    """
    if isinstance(source, pd.DataFrame):
        file, rows = "<history>", _frame_rows(source)
    else:
        file, rows = str(source), _csv_rows(Path(source))
    columns = set(rows[0][1]) if rows else set()
    if "volume" not in columns or not ({"timestamp"} <= columns or {"date", "interval_start"} <= columns):
        raise HistoryError(file, f"needs columns {TIME_COLUMNS}, and volume; optional: queue, handle_time; "
                                 f"found {', '.join(sorted(columns)) or 'none'}", 1)
    records = [_record(file, line, row) for line, row in rows]
    lines = [line for line, _ in rows]
    stamps = np.array([r[1] for r in records], dtype="datetime64[s]")
    step = interval_s or _common_step(stamps)
    if step is None or DAY_S % step or step < 60:
        raise HistoryError(file, "cannot tell the interval length: give rows for consecutive intervals "
                                 "(15, 30 or 60 minutes, or any whole number of minutes that divides a day)")
    return _assemble(file, records, lines, stamps, float(step), "handle_time" in columns)


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise HistoryError(path, "file not found")
    try:
        text = read_text(path)
    except TextFileError as exc:
        raise HistoryError(path, exc.reason, exc.line) from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            if None in row:
                raise HistoryError(path, f"more fields than the {len(reader.fieldnames)} columns of the header",
                                   reader.line_num)
            rows.append((reader.line_num, {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}))
    except csv.Error as exc:
        raise HistoryError(path, f"not a readable CSV row: {exc}", reader.line_num) from None
    if reader.fieldnames is None:
        raise HistoryError(path, "empty file: expected a header line", 1)
    if not rows:
        raise HistoryError(path, "no rows after the header", 1)
    return rows


def _frame_rows(frame: pd.DataFrame) -> list[tuple[int, dict[str, str]]]:
    names = [str(c).strip().lower() for c in frame.columns]
    return [(i + 2, {k: ("" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
                     for k, v in zip(names, values)}) for i, values in enumerate(frame.itertuples(index=False))]


def _record(file: str, line: int, row: dict[str, str]) -> tuple[str, np.datetime64, float, float]:
    """(queue, interval start, volume, handle time or NaN) of one row."""
    queue = row.get("queue", QUEUE) or None
    if queue is None:
        raise HistoryError(file, "empty queue name", line, "queue")
    if "timestamp" in row:
        text, column = row["timestamp"], "timestamp"
    else:
        text, column = f"{row['date']} {row['interval_start']}", "date/interval_start"
    try:
        stamp = pd.Timestamp(text)
        if stamp is pd.NaT or stamp.tzinfo is not None:
            raise ValueError
    except (ValueError, TypeError):
        raise HistoryError(file, f"expected a date and time such as 2026-01-05 08:15 (no time zone), got {text!r}",
                           line, column) from None
    volume = _number(file, line, row, "volume", "a number of contacts >= 0")
    handle = math.nan
    if row.get("handle_time"):
        handle = _number(file, line, row, "handle_time", "a mean handle time in seconds >= 0")
    return queue, np.datetime64(stamp.to_datetime64(), "s"), volume, handle


def _number(file: str, line: int, row: dict[str, str], column: str, allowed: str) -> float:
    try:
        value = float(row[column])
    except ValueError:
        raise HistoryError(file, f"expected {allowed}, got {row[column]!r}", line, column) from None
    if not math.isfinite(value) or value < 0:
        raise HistoryError(file, f"expected {allowed}, got {row[column]!r}", line, column)
    return value


def _common_step(stamps: np.ndarray) -> int | None:
    steps = np.diff(np.unique(stamps)).astype(np.int64)
    if steps.size == 0:
        return None
    values, counts = np.unique(steps, return_counts=True)
    return int(values[np.argmax(counts)])


def _assemble(file: str, records: list, lines: list[int], stamps: np.ndarray, step: float, has_handle: bool) -> History:
    queues = tuple(dict.fromkeys(r[0] for r in records))
    first = stamps.min().astype("datetime64[D]")
    offset_s = (stamps - first.astype("datetime64[s]")).astype(np.int64)
    slot, rest = np.divmod(offset_s, int(step))
    if rest.any():
        k = int(np.flatnonzero(rest)[0])
        raise HistoryError(file, f"{pd.Timestamp(stamps[k])} is not on the {format_duration(step)} grid from "
                                 "midnight; every row must start an interval", lines[k])
    per_day = int(DAY_S // step)
    days = int(slot.max() // per_day) + 1
    q_index = np.array([queues.index(r[0]) for r in records])
    cell = (q_index * days * per_day + slot)
    seen, first_at = np.unique(cell, return_index=True)
    if seen.size < cell.size:
        dup = np.setdiff1d(np.arange(cell.size), first_at)[0]
        raise HistoryError(file, f"a second row for queue {records[dup][0]!r} at {pd.Timestamp(stamps[dup])}",
                           lines[dup])
    volumes = np.zeros(len(queues) * days * per_day)
    volumes[cell] = [r[2] for r in records]
    handle = None
    if has_handle:
        handle = np.full(volumes.size, np.nan)
        handle[cell] = [r[3] for r in records]
        handle = handle.reshape(len(queues), days, per_day)
    time_of_day = (slot % per_day) * step
    open_s = (float(time_of_day.min()), float(time_of_day.max() + step))
    return History(queues, pd.Timestamp(first), volumes.reshape(len(queues), days, per_day), handle, step,
                   open_s, file)


@dataclass(frozen=True)
class SpecialDay:
    """A day whose volume departs from its weekday's: `kind` (e.g. holiday, campaign) and, if the
    file gives it, a `factor` on the day's volume; without one the factor is learnt from history."""

    date: pd.Timestamp
    kind: str
    factor: float | None = None


def read_special_days(source: Path | str | pd.DataFrame | None) -> list[SpecialDay]:
    """Special days from a CSV (or DataFrame) with columns `date`, `kind` and optionally `factor`
    (volume on that day / a normal day's, > 0). Raises HistoryError naming file, line and column."""
    if source is None:
        return []
    if isinstance(source, pd.DataFrame):
        file, rows = "<special days>", _frame_rows(source)
    else:
        file, rows = str(source), _csv_rows(Path(source))
    found: dict[pd.Timestamp, SpecialDay] = {}
    for line, row in rows:
        if "date" not in row or "kind" not in row:
            raise HistoryError(file, f"needs columns date, kind (optional: factor); found {', '.join(sorted(row))}", 1)
        try:
            date = pd.Timestamp(row["date"])
            if date is pd.NaT or date != date.normalize():
                raise ValueError
        except (ValueError, TypeError):
            raise HistoryError(file, f"expected a date such as 2026-12-25, got {row['date']!r}", line, "date") from None
        if not row["kind"]:
            raise HistoryError(file, "expected a kind of day, e.g. holiday or campaign", line, "kind")
        factor = None
        if row.get("factor"):
            factor = _number(file, line, row, "factor", "a volume factor > 0 (1.5: half as busy again)")
            if factor == 0:
                raise HistoryError(file, "expected a volume factor > 0 (1.5: half as busy again), got 0", line, "factor")
        if date in found:
            raise HistoryError(file, f"{date.date()} is listed twice", line, "date")
        found[date] = SpecialDay(date, row["kind"], factor)
    return list(found.values())
