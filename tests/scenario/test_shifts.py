"""Agent groups staffed by shifts: the staff table they imply, and one clear problem per bad shift."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from pydantic import ValidationError

import ccsim
from ccsim.cli import main
from tests.scenario.test_validation import one_problem

# 08:00-12:00 in 60-minute intervals: four intervals a day (08, 09, 10, 11).
SHIFT_YAML = """\
name: shifts
horizon: {{start: "08:00", end: "12:00", days: {days}, first_day: {first_day}}}
interval: 60m
queues:
  billing:
    arrivals: {{per_hour: 20}}
    handle_time: {{dist: exponential, mean: 3m}}
    patience: {{dist: exponential, mean: 2m}}
agent_groups:
  team:
    skills: [billing]
    shifts:
{shifts}
    cost_per_hour: 30
"""


def shift_yaml(*shifts: str, days: int = 2, first_day: str = "fri") -> str:
    lines = "\n".join(f"      - {s}" for s in shifts)
    return SHIFT_YAML.format(days=days, first_day=first_day, shifts=lines)


def staff_of(write_scenario, *shifts: str, **horizon) -> list[int]:
    sc = ccsim.load_scenario(write_scenario(shift_yaml(*shifts, **horizon)))
    return sc.staff("team").tolist()


HAND_CHECKED = (
    '{start: "08:00", length: 2h, count: 3, days: [fri]}',   # day 1 (Fri) 08-10
    '{start: "09:00", end: "12:00", count: 2}',              # every day 09-12
    '{start: "10:00", length: 1h, count: 1, days: [2]}',     # day 2 (Sat) 10-11
)


def test_hand_checked_staff_table(write_scenario):
    #                      Fri 08 09 10 11   Sat 08 09 10 11
    assert staff_of(write_scenario, *HAND_CHECKED) == [3, 5, 2, 2, 0, 2, 3, 2]


def around_the_clock(*shifts: str, days: int = 2) -> ccsim.Scenario:
    text = shift_yaml(*shifts, days=days, first_day="mon").replace(
        'horizon: {start: "08:00", end: "12:00"', 'horizon: {start: "00:00", end: "24:00"').replace(
        "interval: 60m", "interval: 4h")
    return ccsim.load_scenario(yaml.safe_load(text))


def test_overnight_shifts_cover_the_next_morning_and_day_one_inherits_the_night_before():
    #           00  04  08  12  16  20 | 00  04  08  12  16  20   (4-hour intervals, Mon and Tue)
    night = around_the_clock('{start: "20:00", length: 12h, count: 3}')             # 20:00-08:00, every night
    assert night.staff("team").tolist() == [3, 3, 0, 0, 0, 3, 3, 3, 0, 0, 0, 3]
    by_end = around_the_clock('{start: "20:00", end: "08:00", count: 3}')
    assert by_end.staff("team").tolist() == night.staff("team").tolist()
    # only Monday night: Monday 20-24 and Tuesday 00-08; Sunday night (before day 1) is not worked
    monday = around_the_clock('{start: "20:00", length: 12h, count: 2, days: [mon]}')
    assert monday.staff("team").tolist() == [0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0]
    # Sunday night is worked when the shift runs on Sundays: the week repeats into day 1
    sunday = around_the_clock('{start: "20:00", length: 12h, count: 2, days: [sun]}')
    assert sunday.staff("team").tolist() == [2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def test_overnight_breaks_fall_after_midnight():
    sc = around_the_clock('{start: "20:00", length: 12h, count: 1, days: [1], '
                          'breaks: [{after: 6h, length: 30m}]}')
    assert sc.breaks("team").tolist() == [[(24 + 2) * 3600.0, 1800.0]]        # 02:00 on Tuesday
    with pytest.raises(ccsim.ScenarioError, match="at most 24 hours"):
        around_the_clock('{start: "20:00", length: 25h, count: 1}')


def test_shifts_are_immutable_and_parsed(write_scenario):
    sc = ccsim.load_scenario(write_scenario(shift_yaml(*HAND_CHECKED)))
    first, second, _ = sc.agent_groups["team"].shifts
    assert (first.start, first.length, first.end, first.count, first.days) == (8 * 3600, 7200, None, 3, ("fri",))
    assert second.days is None and second.end_s == 12 * 3600
    assert sc.agent_groups["team"].staff is None
    with pytest.raises(ValidationError, match="frozen"):
        first.count = 4


def test_weekday_names_and_day_numbers_mean_the_same_days(write_scenario):
    # Horizon Sat, Sun, Mon: sun is day 2, and names are read in any case.
    by_name = staff_of(write_scenario, '{start: "08:00", length: 4h, count: 1, days: [SUN, mon]}',
                       days=3, first_day="sat")
    by_number = staff_of(write_scenario, '{start: "08:00", length: 4h, count: 1, days: [2, 3]}',
                         days=3, first_day="sat")
    mixed = staff_of(write_scenario, '{start: "08:00", length: 4h, count: 1, days: [sun, 3]}',
                     days=3, first_day="sat")
    assert by_name == by_number == mixed == [0] * 4 + [1] * 4 + [1] * 4


def test_a_day_named_twice_counts_once(write_scenario):
    # With first_day sat, day 1 is sat: [sat, 1] names one day.
    assert staff_of(write_scenario, '{start: "08:00", length: 1h, count: 2, days: [sat, 1]}',
                    days=1, first_day="sat") == [2, 0, 0, 0]


def test_first_day_shifts_which_days_a_weekday_means(write_scenario):
    shift = '{start: "08:00", length: 1h, count: 1, days: [mon]}'
    assert staff_of(write_scenario, shift, days=3, first_day="mon") == [1, 0, 0, 0] + [0] * 8
    assert staff_of(write_scenario, shift, days=3, first_day="sun") == [0] * 4 + [1, 0, 0, 0] + [0] * 4
    # A week and a day from Monday: both Mondays.
    assert staff_of(write_scenario, shift, days=8, first_day="mon")[::4] == [1, 0, 0, 0, 0, 0, 0, 1]


def test_a_weekday_outside_the_horizon_is_not_an_error(write_scenario):
    # Fri and Sat only: a Wednesday shift is simply not worked.
    assert staff_of(write_scenario, '{start: "08:00", length: 4h, count: 5, days: [wed]}',
                    '{start: "08:00", length: 1h, count: 1}') == [1, 0, 0, 0] * 2


def test_first_day_defaults_to_monday(write_scenario):
    text = shift_yaml('{start: "08:00", length: 1h, count: 1, days: [tue]}').replace(", first_day: fri", "")
    sc = ccsim.load_scenario(write_scenario(text))
    assert sc.horizon.first_day == "mon"
    assert sc.staff("team").tolist() == [0] * 4 + [1, 0, 0, 0]


def test_whole_day_shift_on_a_30_minute_grid(write_scenario):
    text = shift_yaml('{start: "08:00", end: "12:00", count: 4}', '{start: "09:30", length: 1h30m, count: 1}')
    sc = ccsim.load_scenario(write_scenario(text.replace("interval: 60m", "interval: 30m")))
    assert sc.staff("team").tolist() == [4, 4, 4, 5, 5, 5, 4, 4] * 2


# -- bad input: one problem each, with its field path and what is allowed ---------------------

SHIFT = '{start: "08:00", length: 2h, count: 1}'
GRID = "60-minute grid from 08:00: 08:00, 09:00, 10:00, 11:00, 12:00"


@pytest.mark.parametrize("shift, path, words", [
    ('{start: "08:30", length: 2h, count: 1}', "start", [GRID]),
    ('{start: "08:00", end: "09:30", count: 1}', "end", [GRID]),
    ('{start: "08:00", length: 1h30m, count: 1}', "length", ["1h30m", "09:30", GRID]),
    ('{start: "07:00", end: "09:00", count: 1}', "start", ["before opening", "08:00-12:00", "overnight"]),
    ('{start: "10:00", end: "13:00", count: 1}', "end", ["13:00, after closing", "08:00-12:00", "overnight"]),
    ('{start: "10:00", length: 3h, count: 1}', "length", ["13:00, after closing", "overnight"]),
    ('{start: "11:00", length: 16h, count: 1}', "length", ["03:00 the next day", "overnight shifts need a horizon open 00:00-24:00"]),
    ('{start: "11:00", end: "09:00", count: 1}', "end", ["not after start 11:00", "overnight shifts need a horizon open 00:00-24:00"]),
    ('{start: "08:00", length: 2h, end: "10:00", count: 1}', "", ["exactly one of length", "or end", "both"]),
    ('{start: "08:00", count: 1}', "", ["exactly one of length", "or end", "neither"]),
    ('{start: "08:00", length: 2h, count: 0}', "count", ["whole number", ">= 1", "got 0"]),
    ('{start: "08:00", length: 2h, count: 1.5}', "count", ["whole number", ">= 1"]),
    ('{start: "08:00", length: 0, count: 1}', "length", ["> 0"]),
    ('{start: "08:00", length: -3600, count: 1}', "length", [">= 0"]),
    ('{start: "08:00", length: 2h, count: 1, days: [fri, 3]}', "days.1", ["day 3", "1..2", "mon", "sun"]),
    ('{start: "08:00", length: 2h, count: 1, days: [0]}', "days.0", ["day 0", "1..2"]),
    ('{start: "08:00", length: 2h, count: 1, days: [friday]}', "days.0",
     ["'friday'", "mon, tue, wed, thu, fri, sat, sun", "day number"]),
    ('{start: "08:00", length: 2h, count: 1, days: []}', "days", ["at least one day", "leave days out"]),
    ('{start: "08:00", length: 2h, count: 1, days: fri}', "days", ["list", "[mon, tue]", "[1, 3]"]),
    ('{start: "08:00", lenght: 2h, count: 1}', "lenght", ["unknown key", "start, length, end, count, days"]),
])
def test_bad_shift(write_scenario, shift, path, words):
    p = one_problem(write_scenario, shift_yaml(SHIFT, shift))
    assert p.path == "agent_groups.team.shifts.1" + (f".{path}" if path else "")
    assert p.line == 14   # the second shift's line
    for word in words:
        assert word in p.message, p.message


def test_shifts_on_the_30_minute_grid_name_it(write_scenario):
    text = shift_yaml('{start: "08:10", length: 1h, count: 1}').replace("interval: 60m", "interval: 30m")
    p = one_problem(write_scenario, text)
    assert p.path == "agent_groups.team.shifts.0.start"
    assert p.message == "08:10 must be on the 30-minute grid from 08:00: 08:00, 08:30, 09:00, ..., 12:00"


@pytest.mark.parametrize("staffing, given", [("    staff: 3\n", "both"), ("", "neither")])
def test_staff_or_shifts_exactly_one(write_scenario, staffing, given):
    text = shift_yaml(SHIFT)
    if staffing:
        text = text.replace("    shifts:\n", staffing + "    shifts:\n")
    else:
        text = text.replace("    shifts:\n      - " + SHIFT + "\n", "")
    p = one_problem(write_scenario, text)
    assert p.path == "agent_groups.team"
    assert "exactly one of staff" in p.message and "shifts" in p.message and given in p.message


def test_empty_shift_list(write_scenario):
    text = shift_yaml(SHIFT).replace("    shifts:\n      - " + SHIFT + "\n", "    shifts: []\n")
    p = one_problem(write_scenario, text)
    assert p.path == "agent_groups.team.shifts" and "non-empty list" in p.message


def test_unknown_first_day(write_scenario):
    p = one_problem(write_scenario, shift_yaml(SHIFT, first_day="friday"))
    assert p.path == "horizon.first_day" and "'friday'" in p.message and "mon, tue" in p.message


# -- the engine and the CLI ------------------------------------------------------------------

def test_simulation_staffs_the_derived_table(write_scenario):
    sc = ccsim.load_scenario(write_scenario(shift_yaml(*HAND_CHECKED)))
    res = ccsim.simulate(sc, replications=2, seed=3, workers=1)
    staff = res.group_intervals.query("group == 'team'").sort_values("interval")["staff"]
    assert staff.tolist() == [3, 5, 2, 2, 0, 2, 3, 2]


def test_cli_validate_reports_a_bad_shift(write_scenario):
    path = write_scenario(shift_yaml(SHIFT, '{start: "08:30", length: 2h, count: 1}'))
    result = CliRunner().invoke(main, ["validate", str(path)], catch_exceptions=False)
    assert result.exit_code == 2
    assert f"{path}:14: agent_groups.team.shifts.1.start" in result.output
    assert "60-minute grid" in result.output and "Traceback" not in result.output


def test_overnight_shifts_simulate_with_their_breaks():
    sc = around_the_clock('{start: "20:00", length: 12h, count: 4, breaks: [{after: 6h, length: 30m}]}',
                          '{start: "08:00", length: 12h, count: 4}', days=3)
    res = ccsim.simulate(sc, replications=2, seed=3)
    assert (res.group_intervals.staff == 4).all()
    # a break at 02:00 on each of the three days: day 1's from the night shift of the day before
    assert res.groups.loc["team", "breaks"] == 4 * 3
    assert res.kpis.loc["ALL", "offered"] == res.kpis.loc["ALL", ["answered", "abandoned", "in_system"]].sum()
