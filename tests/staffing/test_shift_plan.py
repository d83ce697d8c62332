"""Shift planning as an integer program: hand-solved and brute-forced optima, coverage, bounds,
days, breaks, clear errors, and scenario shifts that reproduce the planned coverage."""

from __future__ import annotations

import itertools
import textwrap

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from scipy.optimize import OptimizeResult

from ccsim.scenario.models import Horizon
from ccsim.scenario.shifts import Shift, shift_staff
from ccsim.scenario.types import WEEKDAYS
from ccsim.staffing import shift_plan
from ccsim.staffing.shift_plan import ShiftTemplate, ShiftTemplates, plan_shifts

# 08:00-16:00 in 60-minute intervals: eight a day (08, 09, ..., 15).
GRID = {"start_s": 8 * 3600.0, "interval_s": 3600.0}
HOURS = [f"{h:02d}:00" for h in range(8, 16)]


def templates(**specs) -> ShiftTemplates:
    return ShiftTemplates.model_validate({"templates": specs})


def agents(plan, template: str) -> list[int]:
    """Agents of `template` on each day it may be used."""
    return plan.counts.loc[plan.counts.template == template, "agents"].tolist()


def test_yaml_file_parses_into_templates():
    text = textwrap.dedent("""\
        templates:
          early:  {start: "08:00", length: 8h, cost_per_hour: 27, min: 0, max: 20, days: [mon, tue, wed, thu, fri],
                   breaks: [{after: 4h, length: 30m, spread: 1h}]}
          late:   {start: "12:00", length: 8h, cost_per_hour: 29}
          part:   {start: "10:00", length: 4h, cost_per_hour: 25, max: 6}
        """)
    parsed = ShiftTemplates.model_validate(yaml.safe_load(text)).templates
    early, late, part = parsed["early"], parsed["late"], parsed["part"]
    assert (early.start, early.length, early.max) == (8 * 3600, 8 * 3600, 20)
    assert early.days == ("mon", "tue", "wed", "thu", "fri")
    assert (early.breaks[0].after, early.breaks[0].length, early.breaks[0].spread) == (4 * 3600, 1800, 3600)
    assert (late.min, late.max, late.days, late.breaks) == (0, None, None, ())
    assert (part.length, part.cost_per_hour, part.max) == (4 * 3600, 25, 6)


@pytest.mark.parametrize("spec, message", [
    ({"start": "08:00", "length": "8h", "cost_per_hour": 9, "cost": 3}, "Extra inputs are not permitted"),
    ({"start": "08:00", "length": "8h", "cost_per_hour": 9, "min": 3, "max": 2}, r"min \(3\) is above max \(2\)"),
    ({"start": "08:00", "length": "4h", "cost_per_hour": 9, "breaks": [{"after": "4h", "length": "30m"}]},
     "does not fit in the 4h shift"),
    ({"start": "08:00", "length": "8h", "cost_per_hour": 9, "days": ["someday"]}, "unknown weekday"),
    ({"start": "8am", "length": "8h", "cost_per_hour": 9}, "clock time"),
])
def test_bad_templates_are_rejected(spec, message):
    with pytest.raises(ValidationError, match=message):
        ShiftTemplate.model_validate(spec)


def test_hand_solved_example():
    # Required [2,2,4,4,4,4,2,2] from 08:00; early 08-12, late 12-16, mid 10-14 at 10/h (40 an agent),
    # full 08-16 at 9/h (72). Cost = 72f + 40(e + l + m) with
    #   08-10: f + e >= 2,  14-16: f + l >= 2,  10-12 plus 12-14: 2f + e + l + 2m >= 8.
    # 20 x the last + 16 x each of the first two: 72f + 40e + 40l + 40m >= 160 + 32 + 32 + 4e + 4l,
    # so cost >= 224, reached only with e = l = 0, f = 2, m = 2 (2 x 72 + 2 x 40 = 224).
    plan = plan_shifts(np.array([[2, 2, 4, 4, 4, 4, 2, 2]]), templates(
        early={"start": "08:00", "length": "4h", "cost_per_hour": 10},
        late={"start": "12:00", "length": "4h", "cost_per_hour": 10},
        mid={"start": "10:00", "length": "4h", "cost_per_hour": 10},
        full={"start": "08:00", "length": "8h", "cost_per_hour": 9},
    ), **GRID)
    assert dict(zip(plan.counts.template, plan.counts.agents)) == {"early": 0, "late": 0, "mid": 2, "full": 2}
    assert plan.cost == 224 and plan.paid_hours == 24 and plan.status == 0
    assert plan.coverage.scheduled.tolist() == [2, 2, 4, 4, 4, 4, 2, 2]
    assert plan.coverage.start.tolist() == HOURS and plan.coverage.under.sum() == 0
    assert plan.to_shifts() == [
        {"start": "10:00", "length": "4h", "count": 2, "days": [1], "breaks": []},
        {"start": "08:00", "length": "8h", "count": 2, "days": [1], "breaks": []},
    ]


def random_templates(rng: np.random.Generator, per_day: int, n: int) -> dict[str, dict]:
    """`n` templates on an hourly grid from 08:00 within `per_day` hours, random integer costs."""
    specs = {}
    for i in range(n):
        start = int(rng.integers(0, per_day))
        length = int(rng.integers(1, per_day - start + 1))
        specs[f"t{i}"] = {"start": f"{8 + start:02d}:00", "length": f"{length}h",
                          "cost_per_hour": int(rng.integers(1, 10))}
    return specs


@pytest.mark.parametrize("seed", range(15))
def test_optimum_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    specs = random_templates(rng, per_day=4, n=3)
    required = rng.integers(0, 4, size=(1, 4))
    parsed = templates(**specs).templates
    # No template is worth more agents than the largest requirement, so this search is exhaustive.
    best = None
    for x in itertools.product(range(required.max() + 1), repeat=len(specs)):
        staff = shift_staff([t.shift(n) for t, n in zip(parsed.values(), x) if n], Horizon(start="08:00", end="12:00"),
                            3600.0)
        if (staff >= required.ravel()).all():
            cost = sum(n * t.length / 3600 * t.cost_per_hour for t, n in zip(parsed.values(), x))
            best = cost if best is None else min(best, cost)
    if best is None:
        with pytest.raises(ValueError, match="no mix of templates covers"):
            plan_shifts(required, parsed, **GRID)
    else:
        assert plan_shifts(required, parsed, **GRID).cost == pytest.approx(best)


NO_BREAKS = templates(
    early={"start": "08:00", "length": "4h", "cost_per_hour": 10},
    late={"start": "12:00", "length": "4h", "cost_per_hour": 11},
    mid={"start": "10:00", "length": "5h", "cost_per_hour": 10, "max": 3},
    full={"start": "08:00", "length": "8h", "cost_per_hour": 9},
    short={"start": "14:00", "length": "2h", "cost_per_hour": 12},
)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 3).flatmap(lambda days: st.lists(
    st.lists(st.floats(0, 6, allow_nan=False), min_size=8, max_size=8), min_size=days, max_size=days)))
def test_coverage_meets_requirement_and_no_agent_is_spare(required):
    need = np.array(required)
    plan = plan_shifts(need, NO_BREAKS, **GRID)
    staff = shift_staff([Shift.model_validate(s) for s in plan.to_shifts()],
                        Horizon(start="08:00", end="16:00", days=need.shape[0]), 3600.0)
    # Met to within 1e-6 agents, the solver's feasibility tolerance (hypothesis finds needs of 4e-7).
    assert (staff >= need.ravel() - 1e-6).all() and plan.coverage.under.max() <= 1e-6
    # Every cost is positive, so at the optimum removing any one agent leaves some interval short.
    for entry in plan.to_shifts():
        one = shift_staff([Shift.model_validate({**entry, "count": 1})], Horizon(start="08:00", end="16:00",
                                                                             days=need.shape[0]), 3600.0)
        assert ((staff - one) < need.ravel() - 1e-6).any()


def test_max_and_min_are_respected():
    plan = plan_shifts(np.full((2, 8), 3), templates(
        cheap={"start": "08:00", "length": "8h", "cost_per_hour": 5, "max": 1},
        dear={"start": "08:00", "length": "8h", "cost_per_hour": 9},
        forced={"start": "08:00", "length": "4h", "cost_per_hour": 20, "min": 2},
    ), **GRID)
    assert (agents(plan, "cheap"), agents(plan, "dear"), agents(plan, "forced")) == ([1, 1], [2, 2], [2, 2])
    assert plan.cost == 2 * (8 * 5 + 2 * 8 * 9 + 2 * 4 * 20)
    assert plan.coverage.scheduled.tolist() == 2 * [5, 5, 5, 5, 3, 3, 3, 3]


@pytest.mark.parametrize("first_day", ["mon", "thu"])
def test_weekday_template_is_not_used_at_the_weekend(first_day):
    plan = plan_shifts(np.full((7, 8), 2), templates(
        weekday={"start": "08:00", "length": "8h", "cost_per_hour": 5, "days": ["mon", "tue", "wed", "thu", "fri"]},
        any={"start": "08:00", "length": "8h", "cost_per_hour": 9},
    ), **GRID, first_day=first_day)
    weekend = {d for d in range(1, 8) if WEEKDAYS[(WEEKDAYS.index(first_day) + d - 1) % 7] in ("sat", "sun")}
    assert weekend == ({6, 7} if first_day == "mon" else {3, 4})
    week = plan.counts[plan.counts.template == "weekday"]
    assert set(week.day) == set(range(1, 8)) - weekend and (week.agents == 2).all()
    assert dict(zip(plan.counts[plan.counts.template == "any"].day, agents(plan, "any"))) == {
        d: 2 if d in weekend else 0 for d in range(1, 8)}


def test_day_numbers_outside_the_plan_are_errors():
    with pytest.raises(ValueError, match="template 'x' names day 9; the plan has days 1..7"):
        plan_shifts(np.ones((7, 8)), templates(x={"start": "08:00", "length": "8h", "cost_per_hour": 5, "days": [9]}),
                    **GRID)


# One 08:00-16:00 template, 3 agents required all day. A 30-minute lunch 4h in starts uniformly in
# 12:00-13:00: an agent is away 22.5 of the 60 minutes of 12:00 (ramp 0->1/2 over 12:00-12:30,
# then 1/2) and 7.5 of 13:00 (1/2->0), present 0.625 and 0.875: ceil(3 / 0.625) = 5 agents.
# Without spread, away all of 12:00-12:30: present 0.5, 6 agents. Breaks of 15m every 2h from
# 10:00 (10, 12, 14; 16:00 does not fit): present 0.75 there, ceil(3 / 0.75) = 4 agents.
@pytest.mark.parametrize("breaks, expected, scheduled", [
    ([], 3, [3, 3, 3, 3, 3, 3, 3, 3]),
    ([{"after": "4h", "length": "30m"}], 6, [6, 6, 6, 6, 3, 6, 6, 6]),
    ([{"after": "4h", "length": "30m", "spread": "1h"}], 5, [5, 5, 5, 5, 3.125, 4.375, 5, 5]),
    ([{"after": "2h", "every": "2h", "length": "15m"}], 4, [4, 4, 3, 4, 3, 4, 3, 4]),
])
def test_breaks_reduce_coverage_by_their_average_share(breaks, expected, scheduled):
    plan = plan_shifts(np.full((1, 8), 3), templates(
        full={"start": "08:00", "length": "8h", "cost_per_hour": 10, "breaks": breaks}), **GRID)
    assert agents(plan, "full") == [expected] and plan.paid_hours == 8 * expected
    assert plan.coverage.scheduled.tolist() == pytest.approx(scheduled)


def test_interval_nobody_covers_is_named():
    short = templates(early={"start": "08:00", "length": "7h", "cost_per_hour": 10})
    with pytest.raises(ValueError, match="covers 2 interval") as err:
        plan_shifts(np.ones((2, 8)), short, **GRID)
    assert "day 1 15:00 (needs 1, at most 0), day 2 15:00" in str(err.value)


def test_max_too_small_names_the_short_intervals():
    capped = templates(full={"start": "08:00", "length": "8h", "cost_per_hour": 10, "max": 2})
    with pytest.raises(ValueError, match="covers 4 interval") as err:
        plan_shifts(np.array([[2, 2, 3, 3, 2, 2, 2, 2]] * 2), capped, **GRID)
    assert str(err.value).endswith("day 1 10:00 (needs 3, at most 2), day 1 11:00 (needs 3, at most 2), "
                                   "day 2 10:00 (needs 3, at most 2), day 2 11:00 (needs 3, at most 2)")
    with pytest.raises(ValueError, match="covers 24 interval.*day 2 09:00 .*, and 14 more$"):
        plan_shifts(np.full((3, 8), 3), capped, **GRID)


@pytest.mark.parametrize("start, length, runs", [
    ("08:30", "4h", "08:30-12:30"), ("08:00", "4h30m", "08:00-12:30"),
    ("07:00", "4h", "07:00-11:00"), ("14:00", "4h", "14:00-18:00"),
])
def test_off_grid_template_is_named(start, length, runs):
    bad = templates(ok={"start": "08:00", "length": "8h", "cost_per_hour": 9},
                    odd={"start": start, "length": length, "cost_per_hour": 9})
    with pytest.raises(ValueError, match=f"template 'odd' runs {runs}; templates must start and end on the "
                                         "60-minute grid within the day's intervals: 08:00, 09:00, 10:00, ..., 16:00"):
        plan_shifts(np.ones((1, 8)), bad, **GRID)


def test_bad_requirement_and_first_day_are_errors():
    ok = templates(full={"start": "08:00", "length": "8h", "cost_per_hour": 9})
    with pytest.raises(ValueError, match=r"\(days, intervals per day\) array, got shape \(8,\)"):
        plan_shifts(np.ones(8), ok, **GRID)
    with pytest.raises(ValueError, match="unknown first_day 'Monday'"):
        plan_shifts(np.ones((1, 8)), ok, **GRID, first_day="Monday")
    with pytest.raises(ValueError, match="at least one shift template"):
        plan_shifts(np.ones((1, 8)), {}, **GRID)


def test_solver_infeasibility_is_reported(monkeypatch):
    monkeypatch.setattr(shift_plan, "milp", lambda *a, **k: OptimizeResult(
        x=None, status=2, success=False, message="Problem is infeasible. (HiGHS Status 8: model_status is Infeasible)"))
    with pytest.raises(ValueError, match=r"the shift plan is infeasible: Problem is infeasible\. \(HiGHS Status 8"):
        plan_shifts(np.ones((1, 8)), templates(full={"start": "08:00", "length": "8h", "cost_per_hour": 9}), **GRID)


def test_to_shifts_are_scenario_shifts_that_reproduce_the_coverage():
    rng = np.random.default_rng(7)
    plan = plan_shifts(rng.integers(0, 8, size=(3, 8)), NO_BREAKS, **GRID, first_day="fri")
    shifts = [Shift.model_validate(entry) for entry in plan.to_shifts()]
    assert sum(s.count for s in shifts) == plan.counts.agents.sum() and all(len(s.days) == 1 for s in shifts)
    staff = shift_staff(shifts, Horizon(start="08:00", end="16:00", days=3, first_day="fri"), 3600.0)
    assert staff.tolist() == plan.coverage.scheduled.tolist()


def test_to_shifts_carry_the_breaks():
    lunch = templates(full={"start": "08:00", "length": "8h", "cost_per_hour": 9,
                            "breaks": [{"after": "4h", "length": "30m", "spread": "1h"},
                                       {"after": "2h", "every": "4h", "length": "15m"}]})
    # 12:00 is the thinnest interval: present 0.625 per agent (lunch), so ceil(2 / 0.625) = 4 agents.
    (entry,) = plan_shifts(np.full((1, 8), 2), lunch, **GRID).to_shifts()
    assert entry == {"start": "08:00", "length": "8h", "count": 4, "days": [1],
                     "breaks": [{"after": "4h", "length": "30m", "spread": "1h"},
                                {"after": "2h", "length": "15m", "every": "4h"}]}
    assert Shift.model_validate(entry).breaks == lunch.templates["full"].breaks
