from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from ccsim.units import format_clock, format_duration, parse_clock, parse_duration


@pytest.mark.parametrize("text, seconds", [
    (20, 20.0), (2.5, 2.5), ("20s", 20.0), ("4m30s", 270.0), ("2h", 7200.0), ("3d", 259200.0),
    ("1h30m", 5400.0), ("1.5h", 5400.0), ("90", 90.0), (" 15m ", 900.0), ("0s", 0.0),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "20 sec", "m", "4s30m", "1h1h", "-5s", -1, float("nan"), True, None, [1]])
def test_parse_duration_rejects(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


@given(hs.integers(0, 10 * 86400))
def test_duration_round_trip(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("text, seconds", [("08:00", 28800.0), ("8:30", 30600.0), ("00:00", 0.0), ("24:00", 86400.0)])
def test_parse_clock(text, seconds):
    assert parse_clock(text) == seconds


@pytest.mark.parametrize("bad", ["8", "25:00", "12:60", "24:30", 800, "ab:cd"])
def test_parse_clock_rejects(bad):
    with pytest.raises(ValueError):
        parse_clock(bad)


@given(hs.integers(0, 24 * 60 - 1))
def test_clock_round_trip(minutes):
    assert parse_clock(format_clock(minutes * 60.0)) == minutes * 60.0
