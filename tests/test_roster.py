"""Weekly rosters: hand-solved optima, every rule re-checked by the separate validator, night shifts
across midnight as the scenario reads them, infeasible rules named, the command end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import ccsim
from ccsim.errors import StaffingError
from ccsim.staffing.roster import AgentWeek, GroupRoster, plan_roster, week_of
from ccsim.staffing.roster_check import violations
from ccsim.staffing.roster_model import RosterFile
from tests.badinput.cli import assert_clean_error, run_cli


def scenario(start="08:00", end="16:00", interval="1h"):
    return ccsim.load_scenario({
        "horizon": {"start": start, "end": end, "days": 7}, "interval": interval,
        "queues": {"q": {"arrivals": {"per_hour": 10}, "handle_time": 60}},
        "agent_groups": {"team": {"skills": ["q"], "staff": 1, "cost_per_hour": 20}}})


def spec(templates, agents, cost_per_agent=0.0, **rules):
    return RosterFile.model_validate({"templates": templates,
                                      "groups": {"team": {"agents": agents, "cost_per_agent": cost_per_agent}},
                                      "rules": rules, "solver": {"gap": 0}})


def checked(roster, sc, need):
    g = roster.groups["team"]
    assert violations(g, week_of(sc), roster.spec.templates, need) == []
    return g


def test_five_day_weeks_covering_two_agents_need_three_agents():
    """2 agents 08-16 every day = 14 shifts; 40 h weeks are exactly 5 shifts, so 3 agents, 15
    shifts: 15 x 8 h x 20 = 2400 (by hand). Two consecutive days off each: blocks mon-tue,
    wed-thu, fri-sat leave every day with at least 2 agents."""
    sc = scenario()
    need = np.full(7 * 8, 2.0)
    r = plan_roster(sc, spec({"day": {"start": "08:00", "length": "8h", "cost_per_hour": 20}}, 5,
                             days_off=2, weekly_hours={"min": "40h", "max": "40h"}), {"team": need})
    g = checked(r, sc, need)
    assert g.cost == pytest.approx(2400.0) and g.headcount == 3 and g.status == "optimal"
    assert sorted(g.agents.days) == [0, 0, 5, 5, 5]


def test_rest_forbids_late_then_early_and_the_optimum_stays_three_agents():
    """One agent early (06-14) and one late (14-22) every day; a late shift ends 8 h before the next
    early one, under the 11 h rest. 14 shifts of 8 h at 20 = 2240 with 3 agents (by hand: one all
    early, one all late, the third covering their days off); a cost of 1 per agent makes it 3."""
    sc = scenario("06:00", "22:00")
    need = np.full(7 * 16, 1.0)
    templates = {"early": {"start": "06:00", "length": "8h", "cost_per_hour": 20},
                 "late": {"start": "14:00", "length": "8h", "cost_per_hour": 20}}
    r = plan_roster(sc, spec(templates, 4, 1.0, days_off=2, rest="11h"), {"team": need})
    g = checked(r, sc, need)
    assert g.cost == pytest.approx(2243.0) and g.headcount == 3
    shifts = g.shifts.sort_values(["agent", "day"])
    for _, part in shifts.groupby("agent"):
        pairs = zip(part.day, part.template, list(part.day)[1:] + [part.day.iloc[0] + 7],
                    list(part.template)[1:] + [part.template.iloc[0]])
        assert not any(d2 - d1 == 1 and (t1, t2) == ("late", "early") for d1, t1, d2, t2 in pairs)


def test_same_start_rule_holds():
    sc = scenario("06:00", "22:00")
    need = np.full(7 * 16, 1.0)
    templates = {"early": {"start": "06:00", "length": "8h", "cost_per_hour": 20},
                 "late": {"start": "14:00", "length": "8h", "cost_per_hour": 20}}
    r = plan_roster(sc, spec(templates, 6, 1.0, days_off=2, same_start=True), {"team": need})
    g = checked(r, sc, need)
    assert all(part.template.nunique() == 1 for _, part in g.shifts.groupby("agent"))
    assert g.headcount == 4                                   # 7 early and 7 late shifts, <= 5 per agent


def test_night_shifts_cross_midnight_and_the_scenario_reads_them_the_same_way():
    sc = scenario("00:00", "24:00", "1h")
    need = np.tile(np.r_[np.ones(6), np.zeros(16), np.ones(2)], 7)      # someone 22:00-06:00 every night
    r = plan_roster(sc, spec({"night": {"start": "22:00", "length": "8h", "cost_per_hour": 30}}, 3, 1.0, days_off=2),
                    {"team": need})
    g = checked(r, sc, need)
    assert g.headcount == 2 and len(g.shifts) == 7
    assert np.array_equal(r.scenario.staff("team"), g.coverage.scheduled.to_numpy())   # day 1's morning too
    assert all(set(s.days) <= {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
               for s in r.scenario.agent_groups["team"].shifts)


def test_the_validator_catches_broken_rules():
    sc = scenario("06:00", "22:00")
    f = spec({"early": {"start": "06:00", "length": "8h", "cost_per_hour": 20},
              "late": {"start": "14:00", "length": "8h", "cost_per_hour": 20}}, 1, days_off=2, rest="11h",
             weekly_hours={"max": "40h"})
    shifts = pd.DataFrame({"agent": "a", "day": [1, 2, 3, 4, 5, 6], "template": ["late", "early", *["early"] * 4]})
    bad = GroupRoster("team", shifts, pd.DataFrame(), pd.DataFrame(), 0.0, 0.0, "optimal", 0.0,
                      (AgentWeek("a", f.rules_of("team"), frozenset({5})),))
    found = violations(bad, week_of(sc), f.templates, np.full(7 * 16, 1.0))
    assert "a: works on day(s) [6], marked unavailable" in found
    assert any("8h between shifts" in v for v in found)
    assert any("1 days off" in v for v in found) and any("48h a week" in v for v in found)
    assert any("required" in v for v in found)


def test_infeasible_rules_are_named():
    sc = scenario()
    f = spec({"day": {"start": "08:00", "length": "8h", "cost_per_hour": 20}}, 2, days_off=2,
             weekly_hours={"max": "56h"})
    with pytest.raises(StaffingError, match=r"112.0 agent-hours; 2 agents under rule days_off 2 \(at most 5 shifts"):
        plan_roster(sc, f, {"team": np.full(56, 2.0)})
    # late on Monday (14-22), early on Tuesday (06-14): enough hours and days, but 8 h of rest
    late_early = spec({"early": {"start": "06:00", "length": "8h", "cost_per_hour": 20},
                       "late": {"start": "14:00", "length": "8h", "cost_per_hour": 20}}, 1, days_off=2, rest="11h")
    need = np.zeros(7 * 16)
    need[8:16] = need[16:24] = 1.0
    with pytest.raises(StaffingError, match=r"no roster of its 1 agents .* it would without rule rest \(rules.rest\)"):
        plan_roster(scenario("06:00", "22:00"), late_early, {"team": need})
    with pytest.raises(StaffingError, match=r"day 1 \(mon\) 08:00 \(needs 3, at most 2\)"):
        plan_roster(sc, f, {"team": np.full(56, 3.0)})


def test_under_penalty_makes_coverage_soft():
    sc = scenario()
    f = RosterFile.model_validate({"templates": {"day": {"start": "08:00", "length": "8h", "cost_per_hour": 20}},
                                   "groups": {"team": {"agents": 2}}, "rules": {"days_off": 2},
                                   "coverage": {"under_penalty": 1000}})
    g = plan_roster(sc, f, {"team": np.full(56, 2.0)}).groups["team"]
    # 10 shifts cover 10 of the 14 agent-days: 4 days x 8 h short, 32 agent-hours x 1000
    assert g.under_cost == pytest.approx(32000.0) and g.cost == pytest.approx(1600.0)


def test_bad_roster_file_is_a_clean_error(tmp_path):
    (tmp_path / "roster.yml").write_text("templates:\n  day: {start: '08:00', length: 8h, cost_per_hour: 20}\n"
                                         "groups:\n  team: {agents: 0}\nrules: {days_off: 9}\n")
    sc = tmp_path / "sc.yml"
    sc.write_text("horizon: {start: '08:00', end: '16:00', days: 7}\ninterval: 1h\nqueues:\n  q: "
                  "{arrivals: {per_hour: 10}, handle_time: 60}\nagent_groups:\n  team: {skills: [q], staff: 1}\n")
    result = run_cli("staff", sc, "--roster", tmp_path / "roster.yml")
    assert_clean_error(result, "roster.yml:4", "groups.team.agents", "at least 1 agent", "roster.yml:5",
                       "rules.days_off")


def test_staff_roster_end_to_end(tmp_path):
    sc = tmp_path / "sc.yml"
    sc.write_text("horizon: {start: '08:00', end: '16:00', days: 7}\ninterval: 1h\nqueues:\n  q: "
                  "{arrivals: {per_hour: 30}, handle_time: 4m, patience: 2m}\n"
                  "agent_groups:\n  team: {skills: [q], staff: 1, cost_per_hour: 20}\n")
    (tmp_path / "roster.yml").write_text("templates:\n  day: {start: '08:00', length: 8h, cost_per_hour: 20}\n"
                                         "groups:\n  team: {agents: [Ann, Bob, Cem, Dan, Eva, Fay, Gil, Hal]}\n")
    result = run_cli("staff", sc, "--roster", tmp_path / "roster.yml", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "weekly roster" in result.stdout and "Ann" in result.stdout
    table = pd.read_csv(tmp_path / "out" / "roster_team.csv")
    assert list(table.columns) == ["agent", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "hours"]
    staffed = ccsim.load_scenario(tmp_path / "out" / "sc_staffed.yml")
    assert staffed.agent_groups["team"].shifts is not None
    assert (tmp_path / "out" / "roster_coverage_team.png").stat().st_size > 0


def test_named_agents_keep_their_own_settings():
    """One agent 08-16 every day: 7 shifts, 7 x 8 h x 20 = 1120 whoever works them. Ann never works
    weekends, Bob at most 16 h; the validator re-checks both from the shifts."""
    sc = scenario()
    need = np.full(7 * 8, 1.0)
    f = RosterFile.model_validate({
        "templates": {"day": {"start": "08:00", "length": "8h", "cost_per_hour": 20}},
        "groups": {"team": {"agents": {"Ann": {"unavailable": ["sat", "sun"]}, "Bob": {"weekly_hours": {"max": "16h"}},
                                       "Cem": None}}},
        "rules": {"days_off": 2}, "solver": {"gap": 0}})
    g = checked(plan_roster(sc, f, {"team": need}), sc, need)
    assert g.cost == pytest.approx(1120.0)
    assert not set(g.shifts[g.shifts.agent == "Ann"].weekday) & {"sat", "sun"}
    assert g.agents.set_index("agent").hours["Bob"] <= 16
    assert [w.rules.weekly_hours.max for w in g.weeks] == [7 * 86400.0, 16 * 3600.0, 7 * 86400.0]


def test_bad_agent_settings_name_the_agent(tmp_path):
    with pytest.raises(ccsim.ScenarioError, match=r"groups.team.agents.Ann.unavailable.0: unknown weekday"):
        from ccsim.scenario.loader import load_model
        load_model({"templates": {"day": {"start": "08:00", "length": "8h", "cost_per_hour": 20}},
                    "groups": {"team": {"agents": {"Ann": {"unavailable": ["someday"]}}}}}, RosterFile)


@pytest.mark.parametrize(("horizon", "template", "words"), [
    ({"start": "08:00", "end": "16:00", "days": 5}, {"start": "08:00", "length": "8h"}, "needs a horizon of 7 days, got 5"),
    ({"start": "06:00", "end": "22:00", "days": 7}, {"start": "22:00", "length": "8h"},
     "outside the opening hours 06:00-22:00; shifts may cross midnight only in a horizon open 00:00-24:00"),
    ({"start": "08:00", "end": "16:00", "days": 7}, {"start": "08:10", "length": "4h"}, "off the 1h interval grid"),
])
def test_rosters_refuse_what_the_week_cannot_hold(horizon, template, words):
    sc = ccsim.load_scenario({"horizon": horizon, "interval": "1h",
                              "queues": {"q": {"arrivals": {"per_hour": 10}, "handle_time": 60}},
                              "agent_groups": {"team": {"skills": ["q"], "staff": 1}}})
    f = spec({"t": {**template, "cost_per_hour": 20}}, 3)
    with pytest.raises(StaffingError, match=words.replace("(", r"\(").replace(")", r"\)")):
        plan_roster(sc, f, {"team": np.ones(sc.n_intervals)})


def test_every_group_needs_agents_in_the_roster_file():
    from ccsim.staffing.roster import apply_roster

    plan = ccsim.staff(scenario())
    f = RosterFile.model_validate({"templates": {"day": {"start": "08:00", "length": "8h", "cost_per_hour": 20}},
                                   "groups": {"other": {"agents": 2}}})
    with pytest.raises(StaffingError, match="no agents for group.s. team; give groups.team.agents"):
        apply_roster(plan, f)
