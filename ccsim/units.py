"""Parse the duration and clock-time notations of scenario files into seconds."""

from __future__ import annotations

import math
import re

import numpy as np

_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms])")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")


def parse_duration(value: object) -> float:
    """Seconds from a number (already seconds) or a string like "20s", "4m30s", "2h", "1.5h", "3d".

    Raises ValueError for anything else, negative or non-finite values included.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 20, '20s', '4m30s' or '2h', got {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str):
        seconds = _parse_duration_text(value)
    else:
        raise ValueError(f"expected a duration such as 20, '20s', '4m30s' or '2h', got {value!r}")
    if seconds < 0:
        raise ValueError(f"{value!r} is negative; a duration is a number of seconds >= 0 or a text such as "
                         "'20s', '4m30s', '2h'")
    if not math.isfinite(seconds):
        raise ValueError(f"a duration must be a finite number of seconds >= 0, got {value!r}")
    return seconds


def _parse_duration_text(text: str) -> float:
    compact = text.strip().lower().replace(" ", "")
    if compact.startswith("-") and compact[1:2].isdigit():   # "-3m": read it, so the caller can say it is negative
        return -_parse_duration_text(compact[1:])
    try:
        return float(compact)
    except ValueError:
        pass
    parts = _PART.findall(compact)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(
            f"cannot read duration {text!r}: use seconds or number+unit parts "
            "such as '20s', '4m30s', '2h', '1h30m', '3d'"
        )
    units = [u for _, u in parts]
    if len(set(units)) != len(units) or units != sorted(units, key="dhms".index):
        raise ValueError(f"cannot read duration {text!r}: units must appear once each, largest first")
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)


def parse_clock(value: object) -> float:
    """Seconds after midnight from "HH:MM" (00:00 to 24:00)."""
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"expected a clock time 'HH:MM', got {value!r}")
    hours, minutes = int(match.group(1)), int(match.group(2))
    if minutes >= 60 or hours > 24 or (hours == 24 and minutes):
        raise ValueError(f"clock time {value!r} is out of range 00:00..24:00")
    return hours * 3600.0 + minutes * 60.0


_CLOCK_LABELS = [f"{minutes // 60:02d}:{minutes % 60:02d}" for minutes in range(24 * 60)]


def format_clock(seconds: float) -> str:
    """"HH:MM" for seconds after midnight; days beyond the first wrap (a multi-day clock)."""
    return _CLOCK_LABELS[int(round(seconds / 60.0)) % (24 * 60)]


def format_clocks(seconds) -> list[str]:
    """`format_clock` of each of `seconds` (an array), in one pass: rounding half to even as
    `round` does."""
    minutes = np.rint(np.asarray(seconds, dtype=float) / 60.0).astype(np.int64) % (24 * 60)
    return [_CLOCK_LABELS[m] for m in minutes.tolist()]


def format_duration(seconds: float) -> str:
    """Short human text for seconds: 20 -> "20s", 270 -> "4m30s", 7200 -> "2h"; a limit on the
    business calendar (`ccsim.scenario.calendar.CalendarLimit`) gives its own text ("2h working")."""
    if hasattr(seconds, "due_s"):
        return seconds.text
    if not math.isfinite(seconds):
        return "inf"
    total = int(round(seconds))
    if total == 0:
        return "0s"
    out = []
    for unit in "dhms":
        size = int(_UNIT_SECONDS[unit])
        count, total = divmod(total, size)
        if count:
            out.append(f"{count}{unit}")
    return "".join(out)
