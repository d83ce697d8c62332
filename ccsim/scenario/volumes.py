"""Read forecast volumes from CSV: columns `interval_start` ("HH:MM") and `volume` (contacts)."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from ccsim.distributions import ParameterError
from ccsim.textfiles import TextFileError, read_text
from ccsim.units import parse_clock


def read_volume_csv(path: Path) -> tuple[float, ...]:
    """Contacts per interval, in file order. Raises ParameterError('csv', ...) naming file and line."""
    if not path.is_file():
        raise ParameterError("csv", f"file not found: {path}")
    reader = csv.DictReader(io.StringIO(_text(path), newline=""))
    try:
        return _volumes(path, reader)
    except csv.Error as exc:
        raise ParameterError("csv", f"{path}:{reader.line_num}: not a readable CSV row: {exc}") from None


def _text(path: Path) -> str:
    try:
        return read_text(path)
    except TextFileError as exc:
        raise ParameterError("csv", str(exc)) from None


def _volumes(path: Path, reader: csv.DictReader) -> tuple[float, ...]:
    columns = [c.strip() for c in reader.fieldnames or []]
    if "volume" not in columns or "interval_start" not in columns:
        raise ParameterError("csv", f"{path}: needs columns interval_start, volume; found {columns}")
    volumes = []
    previous = -math.inf
    for row in reader:
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        line = reader.line_num
        try:
            start = parse_clock(row["interval_start"][-5:])
            volume = float(row["volume"])
        except ValueError:
            raise ParameterError(
                "csv", f"{path}:{line}: expected interval_start 'HH:MM' and a volume, got {row}"
            ) from None
        if not math.isfinite(volume) or volume < 0:
            raise ParameterError("csv", f"{path}:{line}: volume must be a number >= 0, got {row['volume']!r}")
        if start <= previous and row["interval_start"] == row["interval_start"][-5:]:
            raise ParameterError("csv", f"{path}:{line}: interval_start must increase within a day")
        previous = start
        volumes.append(volume)
    if not volumes:
        raise ParameterError("csv", f"{path}: no rows")
    return tuple(volumes)
