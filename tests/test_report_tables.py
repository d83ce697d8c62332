"""Every result table of the terminal is in the HTML report too (channels, flows, customers, process
stages, days, pilot versus control), in the same units, with meets / misses coloured."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.report.grids import customer_grid, day_grid, duration_cell, flow_grid, stage_grid
from ccsim.report.html import run_report
from ccsim.summary import target_verdict


@pytest.fixture(scope="module")
def after_sales():
    return ccsim.simulate("scenarios/after_sales.yml", replications=2, seed=11)


def cells(grid) -> list[str]:
    return [c[0] if isinstance(c, tuple) else c for row in grid.rows for c in row]


def test_duration_cells_pick_one_readable_unit():
    row = {"w": 24356.0, "w_ci_low": 24000.0, "w_ci_high": 24712.0}
    assert duration_cell(row, "w") == "6.8 h ±0.1"
    row = {"w": 45.0, "w_ci_low": 40.0, "w_ci_high": 50.0}
    assert duration_cell(row, "w") == "45.0 s ±5.0"
    assert duration_cell({"w": 3 * 86400.0, "w_ci_low": float("nan"), "w_ci_high": float("nan")}, "w") == "3.0 d"


def test_run_report_holds_every_result_table_in_the_terminal_units(after_sales):
    res = after_sales
    page = run_report(res, [])
    for section in ("channels", "flows", "customers", "stages", "days"):
        assert page.count(f'<section id="{section}">') == 1, section
    for grid in (flow_grid(res), customer_grid(res), stage_grid(res), day_grid(res)):
        for text in cells(grid):                           # the very cells the terminal prints
            assert text.replace("'", "&#x27;") in page, text
    # waits of days read in hours or days, not tens of thousands of seconds
    kpis = page[page.index('<section id="kpis">'):page.index('<section id="groups">')]
    field_report = res.kpis.loc["field_report"]
    assert duration_cell(field_report, "asa") in kpis and f"{field_report.asa:,.1f} ±" not in kpis
    terminal = CliRunner().invoke(main, ["run", "scenarios/after_sales.yml", "-r", "2", "-s", "11"]).output
    assert duration_cell(field_report, "asa").split(" ±")[0] in terminal


def test_misses_are_coloured_in_the_queue_stage_and_day_tables(after_sales):
    res = after_sales
    page = run_report(res, [])
    management = res.kpis.loc["management"]
    verdict = target_verdict(management.service_level, management.service_level_ci_low,
                             management.service_level_ci_high, 0.8, True)
    assert management.service_level < 0.5 and verdict != "meets"         # far below its 80% target
    kpis = page[page.index('<section id="kpis">'):page.index('<section id="groups">')]
    assert re.search(rf'<td>management</td>(<td>[^<]*</td>){{3}}<td class="{verdict}">', kpis)
    assert re.search(r'<td>grading</td>(<td>[^<]*</td>){3}<td class="meets">', kpis)
    days = page[page.index('<section id="days">'):]
    assert '<td class="misses">' in days and '<td class="meets">' in days
    stages = page[page.index('<section id="stages">'):page.index('<section id="costs">')]
    verdicts = set(re.findall(r'<td class="(meets|misses|uncertain)">', stages))
    assert verdicts and verdicts <= {"meets", "misses", "uncertain"}


def test_pilot_table_names_its_columns():
    res = ccsim.simulate("scenarios/pilot_training.yml", replications=2, seed=1)
    page = run_report(res, [])
    pilot = page[page.index('<section id="pilot">'):page.index('<section id="costs">')]
    assert "<th>agent group</th>" in pilot and "Δ (pilot − control) ± CI" in pilot
    assert re.search(r"<td>FCR</td><td>[\d.]+%</td><td>[\d.]+%</td><td>[+-][\d.]+ pts", pilot)   # shares in %, Δ in points
