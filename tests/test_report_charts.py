"""Charts that read: inline SVG with text kept as text (Chinese names are text in the HTML, drawn by
the browser's fonts), one warning when the PNGs lack a font, day separators on multi-day charts."""

from __future__ import annotations

import re
import warnings

import matplotlib.font_manager
import pytest
import yaml

import ccsim
from ccsim.report import plots
from ccsim.report.charts import run_charts, service_level_figure
from ccsim.report.html import run_report
from tests.conftest import BASE_YAML

CHINESE_YAML = (BASE_YAML.replace("billing", "账单").replace("tech:", "技术:").replace("[账单, tech]", "[账单, 技术]")
                .replace("generalists", "客服团队").replace("name: test", "name: 热线"))
CJK_FONTS = ("Noto Sans CJK", "Source Han Sans", "WenQuanYi", "PingFang", "Microsoft YaHei", "SimHei",
             "Arial Unicode", "Hiragino")


def has_cjk_font() -> bool:
    return any(f.name.startswith(CJK_FONTS) for f in matplotlib.font_manager.fontManager.ttflist)


@pytest.fixture(scope="module")
def chinese_run():
    return ccsim.simulate(ccsim.load_scenario(yaml.safe_load(CHINESE_YAML)), replications=2, seed=1)


def test_chinese_names_are_text_in_the_html_charts_and_tables(chinese_run, tmp_path, monkeypatch):
    monkeypatch.setattr(plots, "_warned_fonts", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        charts = run_charts(chinese_run, tmp_path)
        run_charts(chinese_run, tmp_path / "again")
    page = run_report(chinese_run, charts)
    svgs = re.findall(r"<svg class=\"chart\".*?</svg>", page, flags=re.S)
    assert len(svgs) == len(charts)
    # the legend of the service-level chart names the queues in SVG <text>, not as drawn paths
    assert re.search(r"<text[^>]*>账单 \(within 20s\)</text>", svgs[0])
    assert re.search(r"<text[^>]*>热线: service level per interval</text>", svgs[0])
    assert re.search(r"font-family: 'DejaVu Sans', 'Noto Sans CJK SC'", svgs[0])     # the browser picks a CJK font
    assert "<td>账单</td>" in page and "<td>技术</td>" in page and "<td>客服团队</td>" in page
    assert "<title>热线</title>" in page
    boxes = [w for w in caught if "as boxes" in str(w.message)]
    assert not [w for w in caught if "missing from font" in str(w.message)]          # no flood of glyph warnings
    assert len(boxes) == (0 if has_cjk_font() else 1)                               # once per process, not per chart


def test_multi_day_charts_separate_the_days_and_tick_at_their_starts(tmp_path):
    sc = ccsim.load_scenario(yaml.safe_load(BASE_YAML.replace(
        'horizon: {start: "08:00", end: "10:00"}', 'horizon: {start: "08:00", end: "10:00", days: 3}')))
    res = ccsim.simulate(sc, replications=2, seed=1)
    fig = service_level_figure(res, "three days")
    ax = fig.axes[0]
    separators = sorted(line.get_xdata()[0] for line in ax.lines
                        if line.get_linestyle() == ":" and line.get_xdata()[0] == line.get_xdata()[1])
    assert separators == [4, 8]                                  # 4 intervals a day: days 2 and 3 start there
    assert list(ax.get_xticks()) == [0, 4, 8]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["d1 08:00", "d2 08:00", "d3 08:00"]
    assert "a new day" in ax.get_xlabel() and "%" in ax.get_ylabel()
    plots.plt.close(fig)


def test_one_day_axis_keeps_time_ticks_and_captions_have_no_markup(tmp_path):
    assert plots.day_starts(["08:00", "08:30"]) == []
    assert plots.day_starts(["d1 08:00", "d1 08:30", "d2 08:00"]) == [2]
    res = ccsim.simulate(ccsim.load_scenario(yaml.safe_load(BASE_YAML)), replications=2, seed=1)
    charts = run_charts(res, tmp_path)
    assert all("`" not in chart.caption for chart in charts)
    assert all(chart.svg.startswith('<svg class="chart"') and "http" not in chart.svg for chart in charts)


def test_reports_read_the_result_tables_not_the_records(monkeypatch, tmp_path):
    """Charts, summaries and the HTML need no per-contact records (they may not be kept)."""
    from ccsim.report.export import summary_dict
    from ccsim.results import Results

    res = ccsim.simulate("scenarios/tiered_support.yml", replications=2, seed=1)

    def unavailable(self):
        raise AssertionError("a report read per-contact records")

    monkeypatch.setattr(Results, "contacts", property(unavailable))
    monkeypatch.setattr(Results, "legs", property(unavailable))
    page = run_report(res, run_charts(res, tmp_path))
    assert '<section id="summary">' in page and page.count('<svg class="chart"') == 5
    assert summary_dict(res)["summary"]["queues"]
