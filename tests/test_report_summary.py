"""The answer first: per-target verdicts, missed intervals, peak staffing and cost in the terminal,
JSON and HTML, and a summary a browser shows in the first 1400x900 viewport."""

from __future__ import annotations

import json
import math
import re
import subprocess

import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.compare import compare
from ccsim.report.export import summary_dict, write_comparison, write_outputs
from ccsim.report.html import run_report
from ccsim.summary import MEETS, MISSES, UNCERTAIN, UNJUDGED, run_summary, target_verdict, time_ranges
from tests.conftest import BASE_YAML
from tests.test_report import chromium

# billing meets easily with 12 agents for 1 Erlang; tech with 2 agents for ~2 Erlangs (no patience) misses
SPLIT_YAML = BASE_YAML.replace("""agent_groups:
  generalists:
    skills: [billing, tech]
    staff: 6
    cost_per_hour: 30
""", """agent_groups:
  billing_desk:
    skills: [billing]
    staff: 12
    cost_per_hour: 30
  tech_desk:
    skills: [tech]
    staff: [2, 2, 2, 2]
    cost_per_hour: 40
""")


def test_target_verdict_reads_the_confidence_interval_against_the_target():
    assert target_verdict(0.9, 0.85, 0.95, 0.8, True) == MEETS
    assert target_verdict(0.7, 0.65, 0.75, 0.8, True) == MISSES
    assert target_verdict(0.82, 0.78, 0.86, 0.8, True) == UNCERTAIN
    assert target_verdict(0.8, 0.8, 0.85, 0.8, True) == MEETS              # at the target is meeting it
    # lower is better (ASA, abandon rate): the CI must lie below the cap
    assert target_verdict(10.0, 8.0, 12.0, 15.0, False) == MEETS
    assert target_verdict(20.0, 18.0, 22.0, 15.0, False) == MISSES
    assert target_verdict(15.5, 14.0, 17.0, 15.0, False) == UNCERTAIN
    assert target_verdict(math.nan, math.nan, math.nan, 0.8, True) == UNJUDGED
    assert target_verdict(0.9, math.nan, math.nan, 0.8, True) == MEETS    # one replication: the mean alone


def test_time_ranges_join_consecutive_intervals_per_day():
    labels = [(1, "16:00"), (1, "16:30"), (1, "17:00"), (1, "17:30"), (2, "08:00"), (2, "08:30")]
    assert time_ranges(labels, [0, 1, 2, 4], 1800, False) == ["16:00–17:30", "08:00–08:30"]
    assert time_ranges(labels, [3, 4, 5], 1800, True) == ["d1 17:30–18:00", "d2 08:00–09:00"]
    assert time_ranges(labels, [], 1800, True) == []


@pytest.fixture(scope="module")
def split_run(tmp_path_factory):
    path = tmp_path_factory.mktemp("split") / "split.yml"
    path.write_text(SPLIT_YAML)
    return path, ccsim.simulate(ccsim.load_scenario(path), replications=5, seed=3)


def test_run_summary_meets_misses_and_lists_the_missed_intervals(split_run):
    _, res = split_run
    summary = run_summary(res)
    by_queue = {q["queue"]: q for q in summary["queues"]}
    billing, tech = by_queue["billing"]["targets"][0], by_queue["tech"]["targets"][0]
    assert billing["verdict"] == MEETS and billing["ci_low"] >= 0.8
    assert tech["verdict"] == MISSES and tech["ci_high"] < 0.8
    missed = by_queue["tech"]["missed_intervals"]
    # tech's own interval service levels (means over replications) below 80% are the ones listed
    iv = res.intervals[res.intervals.queue == "tech"]
    assert missed["count"] == int((iv.service_level < 0.8).sum()) and missed["of"] == 4
    assert missed["count"] >= 3 and missed["times"][0].startswith(("08:", "09:"))
    assert summary["verdicts"] == {MEETS: 1, MISSES: 1}
    # agents: 14 scheduled in every interval; cost: 2 h x (12 x 30 + 2 x 40) = 880
    assert summary["staffing"]["peak_scheduled"] == 14
    assert summary["cost"]["agent_cost"]["mean"] == pytest.approx(880.0)
    cost = res.costs.loc["ALL"]
    assert summary["cost"]["total_cost_per_contact"]["mean"] == pytest.approx(cost.total_cost_per_contact)


def test_summary_in_json_terminal_and_html(split_run, tmp_path):
    path, res = split_run
    assert summary_dict(res)["summary"]["verdicts"] == {MEETS: 1, MISSES: 1}
    runner = CliRunner()
    result = runner.invoke(main, ["run", str(path), "-r", "5", "-s", "3", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [t["verdict"] for q in data["summary"]["queues"] for t in q["targets"]] == [MEETS, MISSES]
    result = runner.invoke(main, ["run", str(path), "-r", "5", "-s", "3"])
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.index("Summary: 2 targets: 1 meets, 1 misses") < text.index("replications, seed 3")
    assert re.search(r"tech\s+misses\s+service level [\d.]+% ±[\d.]+ against 80% in 20s; \d of 4 intervals", text)
    assert "agents 880" in text
    page = run_report(res, [])
    assert page.index('<section id="summary">') < page.index('<section id="kpis">')
    summary = page[page.index('<section id="summary">'):page.index('<section id="kpis">')]
    assert '<td class="misses verdict">misses</td>' in summary and '<td class="meets verdict">meets</td>' in summary
    # the queue table colours the service level by the same verdict
    kpis = page[page.index('<section id="kpis">'):]
    assert re.search(r'<td class="misses">[\d.]+% ±', kpis) and re.search(r'<td class="meets">[\d.]+% ±', kpis)


PROBE = ('<script>window.addEventListener("load", () => {const r = document.getElementById("summary")'
         '.getBoundingClientRect(); document.body.setAttribute("data-box", [r.top, r.bottom, r.left, r.right, '
         'window.innerHeight, [...document.querySelectorAll("#summary td.verdict")].map(td => td.innerText)'
         '.join(" ")].join(","));});</script>')


def summary_box(browser: str, page: str, folder) -> list[str]:
    """[top, bottom, left, right, viewport height, the verdict cells' words] of `<section id="summary">` as
    Chromium lays the page out in a 1400x900 window."""
    probe = folder / "probe.html"            # the report plus a script that measures the summary
    probe.write_text(page.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
         "--disable-background-networking", "--disable-component-update", f"--user-data-dir={folder / 'p'}",
         "--window-size=1400,900", "--dump-dom", probe.as_uri()],
        capture_output=True, text=True, timeout=90, check=False)
    found = re.search(r'data-box="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    return found.group(1).split(",")


def test_chromium_shows_the_summary_with_verdicts_in_the_first_viewport(tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("Chromium not installed: apt-get install chromium to run the rendering check")
    res = ccsim.simulate(ccsim.load_scenario("scenarios/hotline.yml"), replications=3, seed=7)
    write_outputs(res, tmp_path / "run", report=True)
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    top, bottom, left, right, height, verdicts = summary_box(browser, page, tmp_path / "run")
    assert 0 <= float(top) < float(bottom) <= min(900.0, float(height))   # wholly within the first screen
    assert 0 <= float(left) < float(right) <= 1400
    assert len(verdicts.split()) == 4 and set(verdicts.split()) <= {"meets", "misses", "uncertain"}   # 4 targets


def test_chromium_shows_the_recommendation_in_the_first_viewport(tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("Chromium not installed: apt-get install chromium to run the rendering check")
    comparison = compare(["scenarios/hotline.yml", "scenarios/pilot_training.yml", "scenarios/rollout_training.yml"],
                         replications=3, seed=7)
    write_comparison(comparison, tmp_path / "cmp")
    page = (tmp_path / "cmp" / "report.html").read_text(encoding="utf-8")
    top, bottom, left, right, height, verdicts = summary_box(browser, page, tmp_path / "cmp")
    assert 0 <= float(top) < float(bottom) <= min(900.0, float(height))
    assert len(verdicts.split()) == 3 and set(verdicts.split()) <= {"meets", "misses", "uncertain"}  # per scenario
