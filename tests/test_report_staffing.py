"""`ccsim staff` answers first: total agents, agent-hours, FTE and cost per group, Erlang against
simulation, one cost that agrees with the shift plans, and an HTML report with --out."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.summary import FTE_HOURS_PER_DAY, staffing_summary
from tests.conftest import BASE_YAML

SHIFTS = "scenarios/templates/shifts.yml"


def test_erlang_summary_adds_up_the_requirement():
    result = ccsim.staff("scenarios/hotline.yml")
    summary = staffing_summary(result)
    by_group = {g["group"]: g for g in summary["groups"]}
    part = result.groups[result.groups.group == "tech_team"]
    hours = part.scheduled.sum() / 2                              # 30-minute intervals
    assert by_group["tech_team"]["agent_hours"] == pytest.approx(hours)
    assert by_group["tech_team"]["cost"] == pytest.approx(hours * 38.0)        # cost_per_hour of tech_team
    assert by_group["tech_team"]["fte"] == pytest.approx(hours / FTE_HOURS_PER_DAY)
    assert by_group["tech_team"]["peak_agents"] == part.scheduled.max()
    total = summary["total"]
    assert total["agent_hours"] == pytest.approx(result.groups.scheduled.sum() / 2)
    assert total["peak_agents"] == result.groups.groupby("interval").scheduled.sum().max()
    assert summary["simulated_vs_erlang_hours"] is None and summary["method"] == "erlang"


def test_with_shifts_group_cost_and_shift_plan_cost_agree():
    result = ccsim.staff("scenarios/hotline.yml", shifts=SHIFTS)
    summary = staffing_summary(result)
    for group in summary["groups"]:
        plan = result.shift_plans[group["group"]]
        assert group["cost"] == pytest.approx(plan.cost) and group["paid_hours"] == pytest.approx(plan.paid_hours)
    assert summary["total"]["cost"] == pytest.approx(sum(p.cost for p in result.shift_plans.values()))
    assert "paid hours (breaks included)" in summary["cost_basis"]


def test_staff_cli_prints_the_summary_and_writes_an_html_report(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["staff", "scenarios/hotline.yml", "--shifts", SHIFTS, "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.index("Summary:") < text.index("required agents per interval")
    total = re.search(r"all groups\s+(\d+) agents at the peak, ([\d,.]+) agent-hours .* cost ([\d,]+)", text)
    plans = ccsim.staff("scenarios/hotline.yml", shifts=SHIFTS).shift_plans
    assert total and float(total.group(3).replace(",", "")) == round(sum(p.cost for p in plans.values()))  # one cost
    page = (tmp_path / "s" / "report.html").read_text(encoding="utf-8")
    assert page.index('<section id="summary">') < page.index('<section id="groups">')
    assert page.count('<svg class="chart"') == 1 and page.count('id="shifts-') == 3
    assert f"cost {total.group(3)}" in page
    data = json.loads(runner.invoke(main, ["staff", "scenarios/hotline.yml", "-f", "json"]).output)
    assert data["summary"]["total"]["erlang_hours"] == pytest.approx(399.0)


def test_simulated_staffing_states_its_difference_to_erlang(write_scenario):
    path = write_scenario(BASE_YAML)
    result = ccsim.staff(path, method="simulate", replications=3, seed=1, max_iterations=4)
    summary = staffing_summary(result)
    hours = result.scenario.interval / 3600.0
    simulated, erlang = result.groups.simulated.sum() * hours, result.groups.analytic.sum() * hours
    assert summary["total"]["simulated_hours"] == pytest.approx(simulated)
    assert summary["simulated_vs_erlang_hours"] == pytest.approx(simulated - erlang)
    assert summary["simulated_vs_erlang_share"] == pytest.approx(simulated / erlang - 1)
