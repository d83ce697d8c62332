"""HTML reports: every section, one inline SVG per chart (text as text; the PNG of the same chart
beside the report), nothing fetched from the network, escaped text, and a page a browser actually
renders."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import matplotlib.image
import pandas as pd
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.compare import compare
from ccsim.report.charts import run_charts
from ccsim.report.export import write_comparison, write_outputs
from ccsim.report.html import comparison_report, run_report
from tests.conftest import BASE_YAML

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
RUN_SECTIONS = ("kpis", "groups", "service-level", "volumes", "waits", "occupancy", "staffing")
RUN_CHARTS = ("service_level.png", "volumes.png", "waits.png", "occupancy.png", "staffing.png")
COMPARISON_SECTIONS = ("scenarios", "comparison", "deltas", "service-level", "summaries")
COMPARISON_CHARTS = ("deltas.png", "service_level.png")
EMBEDDED = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
INLINE_SVG = re.compile(r'<figure role="img" aria-label="([^"]*)"><svg class="chart"')


@pytest.fixture(scope="module")
def hotline_run(tmp_path_factory) -> tuple[ccsim.Results, Path, list[Path]]:
    res = ccsim.simulate(ccsim.load_scenario("scenarios/hotline.yml"), replications=2, seed=7)
    out = tmp_path_factory.mktemp("run")
    return res, out, write_outputs(res, out)


@pytest.fixture(scope="module")
def more_agents_comparison(tmp_path_factory) -> tuple[object, Path, list[Path]]:
    base = ccsim.load_scenario("scenarios/hotline.yml")
    more = ccsim.load_scenario("scenarios/hotline.yml", overrides={"name": "More agents", **{
        f"agent_groups.{g}.staff": [int(round(s * 1.25)) for s in base.staff(g)] for g in base.agent_groups}})
    comparison = compare([base, more], replications=3, seed=2)
    out = tmp_path_factory.mktemp("compare")
    return comparison, out, write_comparison(comparison, out)


def embedded_pngs(page: str) -> list[bytes]:
    return [base64.b64decode(payload, validate=True) for payload in EMBEDDED.findall(page)]


def assert_self_contained(page: str) -> None:
    """No resource or link leaves the file: every src is a data URI, every href an anchor."""
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "<script" not in page
    assert all(src.startswith("data:image/png;base64,") for src in re.findall(r'src="([^"]*)"', page))
    assert all(href.startswith("#") for href in re.findall(r'href="([^"]*)"', page))   # svg refs are local too


def test_run_report_has_every_section_and_one_inline_svg_per_chart(hotline_run):
    res, out, written = hotline_run
    page = (out / "report.html").read_text(encoding="utf-8")
    for section in RUN_SECTIONS:
        assert page.count(f'<section id="{section}">') == 1, section
    titles = INLINE_SVG.findall(page)
    assert len(titles) == len(RUN_CHARTS) == page.count("<svg") and not embedded_pngs(page)
    for name, title in zip(RUN_CHARTS, titles):
        assert (out / name).read_bytes().startswith(PNG_MAGIC)       # the same chart as a PNG beside the report
    assert {out / name for name in (*RUN_CHARTS, "report.html")} <= set(written)
    assert all(path.exists() for path in written)
    assert (out / "kpis.csv").exists() and (out / "summary.json").exists()   # the CSV outputs stay
    assert_self_contained(page)


def test_run_report_shows_kpis_with_confidence_intervals_and_wait_percentiles(hotline_run):
    res, out, _ = hotline_run
    page = (out / "report.html").read_text(encoding="utf-8")
    all_queues = res.kpis.loc["ALL"]
    half = 100 * (all_queues.service_level_ci_high - all_queues.service_level_ci_low) / 2
    assert f"{100 * all_queues.service_level:.1f}% ±{half:.1f}" in page
    waits = page[page.index('<section id="waits">'):page.index('<section id="occupancy">')]
    for p in ("p50", "p90", "p95"):
        assert f"{p} (s)" in waits and f"{all_queues[f'wait_{p}']:,.1f} ±" in waits
    for group in ("front_office", "billing_team", "tech_team"):
        assert f"<td>{group}</td>" in page
    assert "2 replications, seed 7" in page
    assert ('<section id="warnings">' in page) == bool(res.warnings)


def test_text_is_escaped_and_warnings_are_listed(write_scenario, tmp_path):
    path = write_scenario(BASE_YAML.replace("staff: 6", "staff: 3"))   # tech cannot keep up, nobody abandons
    res = ccsim.simulate(ccsim.load_scenario(path, overrides={"name": "Q&A <b>desk</b>"}), replications=2, seed=1)
    assert res.warnings
    page = run_report(res, run_charts(res, tmp_path))
    assert "Q&amp;A &lt;b&gt;desk&lt;/b&gt;" in page and "<b>desk" not in page
    assert '<section id="warnings">' in page and "&lt;scenario&gt;" in page and "<scenario>" not in page


def test_costs_pilot_and_cost_benefit_sections(hotline_run, more_agents_comparison, write_scenario):
    res, _, _ = hotline_run
    page = run_report(res, [])
    total = res.costs.loc["ALL", "total_cost"]
    assert '<section id="costs">' in page and f"{total:,.0f}" in page       # currency: declared 0 decimals
    assert '<section id="pilot">' not in page
    unpriced = ccsim.simulate(write_scenario(BASE_YAML.replace("    cost_per_hour: 30\n", "")), replications=2, seed=1)
    assert '<section id="costs">' not in run_report(unpriced, [])
    piloted = ccsim.simulate("scenarios/pilot_training.yml", replications=2, seed=1)
    page = run_report(piloted, [])
    assert "<section id=\"pilot\">" in page and "<td>billing_team</td>" in page

    comparison, out, _ = more_agents_comparison
    page = comparison_report(comparison, [])
    assert '<section id="cost-benefit">' in page and "<th>payback</th>" in page and " months" in page
    assert pd.read_csv(out / "cost_benefit.csv", index_col="scenario").index.tolist() == ["More agents"]


def test_comparison_report_shows_deltas_verdicts_and_charts(more_agents_comparison):
    comparison, out, written = more_agents_comparison
    page = (out / "report.html").read_text(encoding="utf-8")
    for section in COMPARISON_SECTIONS:
        assert page.count(f'<section id="{section}">') == 1, section
    # 25% more agents: overall service level is better, and agent cost is worse for sure
    assert '<td class="better verdict">better</td>' in page
    assert '<td class="worse verdict">worse</td>' in page
    assert "Δ ± CI" in page and "More agents" in page and "Hotline baseline" in page
    assert len(INLINE_SVG.findall(page)) == len(COMPARISON_CHARTS)
    for name in COMPARISON_CHARTS:
        assert (out / name).read_bytes().startswith(PNG_MAGIC)
    assert {out / name for name in (*COMPARISON_CHARTS, "report.html")} <= set(written)
    for i in (1, 2):
        assert f'id="scenario-{i}"' in page
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == 2 and all((f / "kpis.csv").exists() for f in folders)
    assert_self_contained(page)


def test_cli_run_and_compare_write_the_report(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["run", "scenarios/hotline.yml", "-r", "2", "--out", str(tmp_path / "run")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert '<section id="kpis">' in page and len(INLINE_SVG.findall(page)) == len(RUN_CHARTS)
    result = runner.invoke(main, ["compare", "scenarios/hotline.yml", "scenarios/rollout_training.yml", "-r", "2",
                                  "--out", str(tmp_path / "compare")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "compare" / "report.html").read_text(encoding="utf-8")
    assert '<section id="deltas">' in page and "Billing training rollout" in page
    assert all((tmp_path / "compare" / name).read_bytes().startswith(PNG_MAGIC) for name in COMPARISON_CHARTS)


def chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def test_chromium_renders_the_run_report(hotline_run, tmp_path):
    browser = chromium()
    if browser is None:
        pytest.skip("Chromium not installed: apt-get install chromium to run the rendering check")
    _, out, _ = hotline_run
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2000",
         (out / "report.html").as_uri()],
        capture_output=True, text=True, timeout=60, check=False)
    assert shot.exists(), done.stderr[-2000:]
    pixels = matplotlib.image.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    assert pixels.std() > 0
    # text, tables and the first charts cover a fair part of the page: not a blank or error page
    assert (pixels < 0.9).any(axis=-1).mean() > 0.02
    colored = pixels.max(axis=-1) - pixels.min(axis=-1) > 0.3       # chart lines and the accent colour
    assert colored.mean() > 0.001
