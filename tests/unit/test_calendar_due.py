"""Due times on the business calendar (`ccsim.calendar`), checked by hand on a Mon-Fri 09:00-18:00
calendar whose day 0 is a Monday, with Wednesday of week 1 (day 2) a holiday."""

from __future__ import annotations

import numpy as np
import pytest

from ccsim.calendar import WorkCalendar

H = 3600.0
MON, TUE, WED, THU, FRI, SAT, SUN, NEXT_MON, NEXT_TUE = range(9)


def at(day: int, hour: int, minute: int = 0) -> float:
    return day * 86400.0 + hour * H + minute * 60.0


@pytest.fixture
def office() -> WorkCalendar:
    return WorkCalendar.weekly({w: (9 * H, 18 * H) for w in range(5)}, first_weekday=0, first_day=-7, n_days=60,
                               holidays=[WED])


@pytest.mark.parametrize("start, due", [
    (at(MON, 10), at(MON, 12)),               # inside the day
    (at(MON, 17), at(TUE, 10)),               # 1 h today, 1 h tomorrow
    (at(MON, 8), at(MON, 11)),                # before opening: counts from 09:00
    (at(MON, 20), at(TUE, 11)),               # after closing: from the next opening
    (at(TUE, 17), at(THU, 10)),               # Wednesday is a holiday
    (at(FRI, 17), at(NEXT_MON, 10)),          # across the weekend
    (at(SAT, 12), at(NEXT_MON, 11)),          # from the weekend
    (at(MON, 16), at(MON, 18)),               # due exactly at the close, not the next opening
])
def test_two_working_hours(office, start, due):
    assert office.after_working(np.array([start]), 2 * H)[0] == due


def test_working_time_counts_only_working_hours(office):
    # Friday 12:00 to next Tuesday 12:00: 6 h on Friday, 9 h on Monday, 3 h on Tuesday
    worked = office.working_s(np.array([at(FRI, 12), at(NEXT_TUE, 12)]))
    assert worked[1] - worked[0] == 18 * H


@pytest.mark.parametrize("start, n, due", [
    (at(MON, 10), 1, at(TUE, 10)),            # same time the next working day
    (at(TUE, 10), 1, at(THU, 10)),            # over the holiday
    (at(THU, 15, 30), 2, at(NEXT_MON, 15, 30)),  # Friday, then the weekend, then Monday
    (at(FRI, 20), 1, at(NEXT_MON, 18)),       # after closing: by the close of the next working day
    (at(MON, 9), 1, at(MON, 18)),             # from the opening: by the close of that day
    (at(SUN, 10), 2, at(NEXT_TUE, 18)),       # from the weekend: the close of the 2nd working day
])
def test_working_days(office, start, n, due):
    assert office.after_working_days(np.array([start]), n)[0] == due


@pytest.mark.parametrize("start, cutoff, days, due", [
    (at(MON, 10), 17, 0, at(MON, 17)),        # before the cutoff: the same day
    (at(MON, 17, 30), 17, 0, at(TUE, 17)),    # after it: the next working day
    (at(MON, 16), 15, 0, at(TUE, 17)),        # an earlier cutoff than the deadline
    (at(MON, 14, 59), 15, 0, at(MON, 17)),
    (at(TUE, 16), 17, 0, at(TUE, 17)),
    (at(TUE, 17), 17, 0, at(THU, 17)),        # at the cutoff counts as after it; Wednesday is off
    (at(WED, 10), 17, 0, at(THU, 17)),        # on the holiday: the next working day
    (at(FRI, 18), 17, 0, at(NEXT_MON, 17)),   # Friday evening: Monday
    (at(SAT, 9), 17, 0, at(NEXT_MON, 17)),    # the weekend: Monday
    (at(MON, 7), 17, 0, at(MON, 17)),         # before opening: the same day
    (at(MON, 10), 17, 1, at(TUE, 17)),        # one working day later
    (at(TUE, 10), 17, 1, at(THU, 17)),        # ... over the holiday
])
def test_by_clock(office, start, cutoff, days, due):
    assert office.by_clock(np.array([start]), 17 * H, cutoff * H, days)[0] == due


def test_vectorised_and_shaped_like_the_input(office):
    starts = np.array([[at(MON, 10), at(FRI, 17)], [at(TUE, 17), at(SAT, 12)]])
    due = office.after_working(starts, 2 * H)
    assert due.shape == (2, 2)
    assert due.tolist() == [[at(MON, 12), at(NEXT_MON, 10)], [at(THU, 10), at(NEXT_MON, 11)]]


def test_beyond_the_calendar_is_inf():
    short = WorkCalendar.weekly({w: (9 * H, 18 * H) for w in range(5)}, 0, 0, 5)     # Monday to Friday only
    assert short.after_working(np.array([at(FRI, 17)]), 2 * H)[0] == np.inf
    assert short.after_working_days(np.array([at(FRI, 10)]), 1)[0] == np.inf
    assert short.by_clock(np.array([at(FRI, 18)]), 17 * H, 17 * H)[0] == np.inf


def test_other_hours_on_some_days():
    # Saturday 10:00-14:00: 2 working hours from Saturday 13:00 end on Monday 10:00
    cal = WorkCalendar.weekly({**{w: (9 * H, 18 * H) for w in range(5)}, 5: (10 * H, 14 * H)}, 0, 0, 14)
    assert cal.after_working(np.array([at(SAT, 13)]), 2 * H)[0] == at(NEXT_MON, 10)
    # a time of day past a shorter day's close is cut to that close
    assert cal.after_working_days(np.array([at(FRI, 16)]), 1)[0] == at(SAT, 14)


def test_bad_calendars_are_refused():
    with pytest.raises(ValueError, match="at least one working day"):
        WorkCalendar.weekly({}, 0, 0, 7)
    with pytest.raises(ValueError, match="close after it opens"):
        WorkCalendar(0, np.array([9 * H]), np.array([8 * H]))
    with pytest.raises(ValueError, match="n must be"):
        WorkCalendar.weekly({0: (0, H)}, 0, 0, 7).after_working_days(np.array([0.0]), 0)
