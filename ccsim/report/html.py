"""Self-contained HTML reports: one file with inline CSS and every chart embedded as a base64
PNG, readable offline and in print. Builds markup from result tables and rendered charts; it
neither simulates nor draws. All text is escaped."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ccsim import __version__
from ccsim.kpis import LEVELS, Kpi, kpi
from ccsim.kpis.registry import DIRECTION_WORDS
from ccsim.report import answer
from ccsim.report.charts import Chart
from ccsim.report.format import cell_text, delta_text, num_estimate, value_text
from ccsim.report.grids import Grid, channel_grid, cost_benefit_grids, duration_cell, customer_grid, day_grid, flow_grid, stage_grid
from ccsim.report.tables import key_rows, overrides_text, uses_flows
from ccsim.results import Results
from ccsim.stats import CONFIDENCE
from ccsim.summary import run_summary, target_verdict
from ccsim.units import format_clock, format_duration

# A cell is text, or (text, CSS class).
Cell = str | tuple[str, str]
MAX_COLUMNS = 10

RUN_SECTIONS = (("summary", "Summary"), ("kpis", "Queues"), ("groups", "Agent groups"), ("channels", "Channels"),
                ("flows", "Process flows"), ("customers", "Customers"), ("stages", "Process stages"),
                ("pilot", "Pilot versus control"), ("costs", "Costs"), ("days", "Days"),
                ("service-level", "Service level"), ("volumes", "Volumes"), ("waits", "Waits"),
                ("occupancy", "Occupancy"), ("staffing", "Staffing"), ("warnings", "Warnings"),
                ("definitions", "KPI definitions"))
QUEUE_SHOWN = ("offered", "answered", "abandoned", "service_level", "asa", "wait_p90", "abandon_rate", "aht")
DURATIONS = ("asa", "wait_p90", "aht")         # shown in one readable unit each (s, min, h, d), as in the terminal
GROUP_SHOWN = ("occupancy", "handled", "aht", "fcr", "staffed_hours", "cost")
CSS = """
:root { --fg: #1f2933; --muted: #616e7c; --line: #d9e2ec; --head: #eef2f7; --accent: #1f4e79;
        --good: #1b7f3b; --bad: #b42318; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", "PingFang SC",
       "Microsoft YaHei", sans-serif; color: var(--fg);
       background: #fff; max-width: 1120px; margin: 0 auto; padding: 28px 36px 48px; font-size: 14px;
       line-height: 1.45; }
header { border-bottom: 3px solid var(--accent); padding-bottom: 12px; }
h1 { font-size: 26px; margin: 0 0 6px; color: var(--accent); }
h2 { font-size: 19px; margin: 34px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line);
     color: var(--accent); }
h3 { font-size: 15px; margin: 22px 0 6px; }
p { margin: 4px 0 8px; }
.meta, .note, figcaption { color: var(--muted); }
.note, figcaption { font-size: 12.5px; }
nav { margin-top: 10px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 14px; white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 13px;
        font-variant-numeric: tabular-nums; }
th, td { padding: 5px 9px; border-bottom: 1px solid var(--line); text-align: right; }
td { white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: var(--head); font-weight: 600; border-bottom: 2px solid #bcccdc; vertical-align: bottom; }
tbody tr:nth-child(even) { background: #fafbfc; }
tr.total td { font-weight: 600; border-top: 2px solid #bcccdc; }
.better { color: var(--good); font-weight: 600; }
.worse { color: var(--bad); font-weight: 600; }
.neutral { color: var(--muted); }
.meets { color: var(--good); font-weight: 600; }
.misses { color: var(--bad); font-weight: 600; }
.uncertain { color: #8a4b00; font-weight: 600; }
#summary { border: 1px solid var(--line); border-left: 5px solid var(--accent); padding: 4px 16px 8px;
           margin-top: 16px; background: #fbfcfe; }
#summary h2 { margin-top: 8px; border: none; }
#summary table { width: auto; min-width: 60%; }
#summary td.wrap { max-width: 40em; }
#summary th, #summary td { text-align: left; }
p.headline { font-size: 16px; font-weight: 600; }
ul.facts { margin: 8px 0 4px; padding-left: 18px; }
ul.facts li.warning { color: #8a4b00; }
td.verdict { white-space: normal; min-width: 7em; }
td.wrap { white-space: normal; text-align: left; }
tr.subhead th { text-align: left; background: #fff; color: var(--accent); font-weight: 600; padding-top: 12px;
                border-bottom: 1px solid #bcccdc; }
figure { margin: 10px 0 4px; }
figure img, figure svg.chart { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
ul.warnings li { color: #8a4b00; }
ol.scenarios li { margin: 3px 0; }
footer { margin-top: 40px; padding-top: 8px; border-top: 1px solid var(--line); color: var(--muted);
         font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  thead th, tbody tr:nth-child(even) { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 14mm; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _table(headers: Sequence[str], rows: Iterable[tuple[Sequence[Cell] | str, str]], head: str | None = None,
           columns: int | None = None) -> str:
    """A table of escaped cells; each row is (cells, CSS class of the row or ""), or (text, "") for
    a subheading across all `columns`. `head` replaces the header row made of `headers` (markup)."""
    header = head or "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in headers) + "</tr>"
    body = []
    for cells, row_class in rows:
        if isinstance(cells, str):
            body.append(f'<tr class="subhead"><th colspan="{columns or len(headers)}">{_e(cells)}</th></tr>')
            continue
        tds = "".join(f'<td class="{c[1]}">{_e(c[0])}</td>' if isinstance(c, tuple) else f"<td>{_e(c)}</td>"
                      for c in cells)
        body.append(f'<tr class="{row_class}">{tds}</tr>' if row_class else f"<tr>{tds}</tr>")
    return f'<div class="scroll"><table><thead>{header}</thead><tbody>{"".join(body)}</tbody></table></div>'


def _section(section_id: str, title: str, *parts: str) -> str:
    return f'<section id="{_e(section_id)}"><h2>{_e(title)}</h2>{"".join(parts)}</section>'


def _figure(chart: Chart) -> str:
    """A chart as inline SVG (its text drawn by the browser's fonts), else as an embedded PNG."""
    if chart.svg:
        return (f'<figure role="img" aria-label="{_e(chart.title)}">{chart.svg}'
                f"<figcaption>{_e(chart.caption)}</figcaption></figure>")
    data = base64.b64encode(chart.png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{_e(chart.title)}">'
            f"<figcaption>{_e(chart.caption)}</figcaption></figure>")


def _page(title: str, meta: str, sections: Sequence[tuple[str, str, str]]) -> str:
    """A whole document: `sections` are (id, nav title, markup)."""
    nav = "".join(f'<a href="#{_e(i)}">{_e(t)}</a>' for i, t, _ in sections)
    body = "".join(markup for _, _, markup in sections)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
            f"<header><h1>{_e(title)}</h1>{meta}<nav>{nav}</nav></header>{body}"
            f"<footer>ccsim {_e(__version__)} · ± is the half-width of the {CONFIDENCE:.0%} confidence interval "
            f"over replications (Student-t)</footer></body></html>\n")


def _value(value: object) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    if isinstance(value, (int, np.integer)):
        return f"{value:,}"
    if isinstance(value, (float, np.floating)):
        return "-" if math.isnan(value) else f"{value:,.2f}"
    return str(value)


def kpi_label(k: Kpi) -> str:
    """A KPI's label with its unit where the unit is a time: "ASA (s)"."""
    return f"{k.label} ({k.unit})" if k.unit in ("s", "h") else k.label


def frame_table(frame: pd.DataFrame, level: str | None = None) -> str:
    """Any DataFrame as a table (the index too when it is named); floats with two decimals, and a
    column `k` with `k_ci_low` and `k_ci_high` beside it shown as one "mean ±half-width" column
    (formatted as its KPI declares when `k` is a KPI of `level`).
    Wider than MAX_COLUMNS and with fewer rows than columns, it is transposed to fit a page."""
    shown = frame.reset_index() if frame.index.name is not None else frame
    columns = [str(c) for c in shown.columns]
    with_ci = {c for c in columns if f"{c}_ci_low" in columns and f"{c}_ci_high" in columns}
    kept = [c for c in columns if not any(c in (f"{k}_ci_low", f"{k}_ci_high") for k in with_ci)]
    headers = [c.replace("_", " ") for c in kept]
    kpis = LEVELS.get(level, {})

    def text(row, c):
        if c not in with_ci:
            return _value(row[c])
        if c in kpis:
            return cell_text(row, c, level)
        return num_estimate(row[c], row[f"{c}_ci_low"], row[f"{c}_ci_high"], digits=2)

    grid = [[text(row, c) for c in kept]
            for _, row in shown.set_axis(columns, axis=1).iterrows()]
    if len(kept) > MAX_COLUMNS and len(grid) < len(kept):
        headers, grid = [headers[0], *(r[0] for r in grid)], [[h, *(r[j] for r in grid)]
                                                              for j, h in enumerate(headers) if j]
    return _table(headers, ((cells, "total" if cells[0] == "ALL" else "") for cells in grid))


def grid_html(grid: Grid) -> str:
    """A `ccsim.report.grids.Grid` as a table, the cells a target judges coloured by verdict."""
    rows = [([(c[0], answer.VERDICT_CLASS.get(c[1], "")) if isinstance(c, tuple) else c for c in cells],
             "total" if i in grid.totals else "") for i, cells in enumerate(grid.rows)]
    note = f'<p class="note">{_e(grid.note)}</p>' if grid.note else ""
    return note + _table(grid.headers, rows)


def kpi_table(res: Results) -> str:
    """Queues and all queues: volumes, service level against target, waits, abandonment, AHT (± CI)."""
    queues = res.scenario.queues
    labels = [kpi(k, "queue").label if k in DURATIONS else kpi_label(kpi(k, "queue")) for k in QUEUE_SHOWN]
    headers = ("queue", *labels[:4], "target", *labels[4:])
    rows = []
    for name, row in res.kpis.iterrows():
        sl = queues[name].service_level if name in queues else None
        target = f"{100 * sl.target:.0f}% in {format_duration(sl.threshold)}" if sl else ""
        cells: list[Cell] = [duration_cell(row, k) if k in DURATIONS else cell_text(row, k) for k in QUEUE_SHOWN]
        if sl is not None:                  # service level coloured by its verdict against the target
            verdict = target_verdict(row.service_level, row.service_level_ci_low, row.service_level_ci_high,
                                     sl.target, higher_is_better=True)
            cells[3] = (cells[3], answer.VERDICT_CLASS.get(verdict, ""))
        rows.append(([str(name), *cells[:4], target, *cells[4:]], "total" if name == "ALL" else ""))
    return _table(headers, rows)


def group_table(res: Results) -> str:
    """Agent groups and all agents: occupancy, contacts handled, AHT, FCR and cost (± CI)."""
    headers = ("agent group", *(kpi_label(kpi(k, "group")) for k in GROUP_SHOWN))
    rows = [([str(name), *(cell_text(row, k, "group") for k in GROUP_SHOWN)], "total" if name == "ALL" else "")
            for name, row in res.groups.iterrows()]
    return _table(headers, rows)


def pilot_table(res: Results) -> str:
    """Pilot versus control per group (or queue, for a pilot on contacts) and KPI: both means, the
    paired difference ± CI half-width and the verdict."""
    effects = res.pilot
    rows = []
    for _, row in effects.iterrows():
        k = kpi(row.kpi, row.level)
        rows.append(([row["name"], kpi_label(k), value_text(k, row.control), value_text(k, row.pilot),
                      delta_text(k, row.delta, row.delta_ci_low, row.delta_ci_high, spaced=True),
                      _verdict_cell(row.verdict)], ""))
    subject = {"group": "agent group", "queue": "queue"}.get(effects.level.iloc[0], effects.level.iloc[0])
    return _table((subject, "KPI", "control", "pilot", "Δ (pilot − control) ± CI", "verdict"), rows)


def glossary(levels: Mapping[str, Sequence[str]]) -> str:
    """The declarations of the KPIs shown, per level and KPI name: unit, direction, definition."""
    rows = [([kpi_label(k), level, f"{k.unit} (shown as %)" if k.percent else k.unit,
              DIRECTION_WORDS[k.direction], (k.definition, "wrap")], "")
            for level, shown in levels.items() for k in (kpi(name, level) for name in shown)]
    return _table(("KPI", "level", "unit", "direction", "definition"), rows)


def percentile_table(res: Results) -> str:
    """Wait percentiles (s) of answered contacts per queue and all queues (± CI)."""
    rows = [([str(name), *(cell_text(row, f"wait_{p}") for p in ("p50", "p90", "p95")), cell_text(row, "asa")],
             "total" if name == "ALL" else "") for name, row in res.kpis.iterrows()]
    return _table(("queue", "p50 (s)", "p90 (s)", "p95 (s)", "mean = ASA (s)"), rows)


def _run_meta(res: Results, overrides: Mapping[str, Any] | None = None) -> str:
    sc = res.scenario
    days = f"{sc.horizon.days} days" if sc.horizon.days > 1 else "1 day"
    hours = f"{format_clock(sc.horizon.start)}–{format_clock(sc.horizon.end)}"
    parts = [f"{res.replications} replications, seed {res.seed}",
             f"{days}, {hours} in intervals of {format_duration(sc.interval)}",
             f"{len(sc.queues)} queues, {len(sc.agent_groups)} agent groups"]
    if overrides:
        parts.append(f"overrides: {overrides_text(overrides)}")
    description = f'<p class="meta">{_e(sc.description)}</p>' if sc.description else ""
    return f'<p class="meta">{_e(" · ".join(parts))}</p>{description}'


def run_report(res: Results, charts: Sequence[Chart], overrides: Mapping[str, Any] | None = None) -> str:
    """The HTML report of one simulated scenario: KPIs with CIs, agent groups, pilot versus
    control (with a pilot), costs (with costs or penalties set), the charts, warnings and the
    definitions of the KPIs shown; the header lists the `--set` `overrides` the scenario was run with."""
    figures = {chart.section: _figure(chart) for chart in charts}
    markup = {
        "summary": answer.html_section(run_summary(res)),
        "kpis": kpi_table(res),
        "groups": group_table(res),
        "channels": grid_html(channel_grid(res)) if len(res.plan.channels_used) > 1 else None,
        "flows": grid_html(flow_grid(res)) if uses_flows(res) else None,
        "customers": grid_html(customer_grid(res)) if uses_flows(res) else None,
        "stages": grid_html(stage_grid(res)) if res.plan.process_names else None,
        "days": grid_html(day_grid(res)) if res.scenario.horizon.days > 1 else None,
        "pilot": pilot_table(res) if not res.pilot.empty else None,
        "costs": frame_table(res.costs, "cost") if res.plan.penalties.any() or res.plan.cost_per_hour.any() else None,
        "waits": figures.get("waits", "") + "<h3>Percentiles of the wait of answered contacts</h3>"
                 + percentile_table(res),
        "warnings": ('<ul class="warnings">' + "".join(f"<li>{_e(w)}</li>" for w in res.warnings) + "</ul>"
                     if res.warnings else None),
        "definitions": glossary({"queue": QUEUE_SHOWN, "group": GROUP_SHOWN}),
    }
    sections = []
    for section_id, title in RUN_SECTIONS:
        part = markup.get(section_id, figures.get(section_id))
        if part and section_id == "summary":
            sections.append((section_id, title, part))         # a section of its own, framed
        elif part:
            sections.append((section_id, title, _section(section_id, title, part)))
    return _page(res.scenario.name, _run_meta(res, overrides), sections)


def _verdict_cell(verdict: object) -> Cell:
    if not isinstance(verdict, str):
        return ("-", "neutral verdict")             # the KPI is missing in the baseline or the variant
    return (verdict, ("better" if verdict == "better" else "worse" if verdict == "worse" else "neutral")
            + " verdict")


def _subject(level: str, name: str) -> str:
    """The heading of a queue, agent group or other level's rows in the comparison table."""
    if name == "ALL":
        return {"queue": "all queues", "group": "all agents", "cost": "costs, all queues"}.get(level, f"{level}: all")
    return {"queue": f"queue {name}", "group": f"agent group {name}", "cost": f"costs, queue {name}"}.get(
        level, f"{level} {name}")


def comparison_table(comparison, rows: pd.DataFrame) -> str:
    """Rows of `comparison.table` under a subheading per queue or group: each scenario's mean and,
    per variant, Δ ± CI half-width and the verdict."""
    names = comparison.names
    head = (f'<tr><th rowspan="2">KPI</th><th rowspan="2">{_e(names[0])}<br>(baseline)</th>'
            + "".join(f'<th colspan="3">{_e(n)}</th>' for n in names[1:]) + "</tr><tr>"
            + "<th>mean</th><th>Δ ± CI</th><th>verdict</th>" * (len(names) - 1) + "</tr>")
    body: list[tuple[Sequence[Cell] | str, str]] = []
    levels = list(dict.fromkeys(rows.level))
    parts = sorted(rows.groupby(["level", "name"], sort=False),
                   key=lambda group: (levels.index(group[0][0]), group[0][1] != "ALL"))
    for (level, name), part in parts:                     # per level "ALL" first, then the others in order
        body.append((_subject(level, name), ""))
        for _, row in part.iterrows():
            k = kpi(row.kpi, level)
            cells: list[Cell] = [kpi_label(k), value_text(k, row[names[0]])]
            for variant in names[1:]:
                delta = delta_text(k, *(row[f"{variant} delta{end}"] for end in ("", "_ci_low", "_ci_high")),
                                   spaced=True)
                verdict = _verdict_cell(row[f"{variant} verdict"])
                note = row.get(f"{variant} note")
                if isinstance(note, str) and note:            # a group's AHT over another contact mix
                    verdict = (f"{verdict[0]} ({note})", verdict[1])
                cells += [value_text(k, row[variant]), delta, verdict]
            body.append((cells, ""))
    return _table((), body, head=head, columns=2 + 3 * (len(names) - 1))


def _scenario_list(names: Sequence[str], results: Sequence[Results]) -> str:
    """The scenarios in order, the baseline first; a variant's description only where it differs."""
    items = []
    for i, (name, res) in enumerate(zip(names, results)):
        text = res.scenario.description
        shown = text and (i == 0 or text != results[0].scenario.description)
        items.append(f"<li><strong>{_e(name)}</strong>{' (baseline)' if i == 0 else ''}"
                     f"{f' — {_e(text)}' if shown else ''}</li>")
    return f'<ol class="scenarios">{"".join(items)}</ol>'


def comparison_report(comparison, charts: Sequence[Chart], decision: Mapping[str, Any] | None = None) -> str:
    """The HTML report of a `ccsim.compare.Comparison`: the scenarios, the comparison table with
    verdicts, the paired-difference and service-level charts, cost-benefit, a KPI summary per
    scenario and the definitions of the compared KPIs."""
    figures = {chart.section: _figure(chart) for chart in charts}
    names, results = comparison.names, comparison.results
    table = comparison.table
    key = key_rows(table, names)                               # the rows `ccsim compare` prints
    rest = table.drop(index=key.index)
    rest = rest[~(rest[[f"{n} verdict" for n in names[1:]]] == "identical").all(axis=1)]
    tables = [f'<p class="note">Δ: paired difference to {_e(names[0])} under common random numbers. Better and '
              "worse: the 95% CI excludes zero.</p><h3>Key KPIs</h3>", comparison_table(comparison, key)]
    if not rest.empty:
        tables += ['<h3>Every other KPI</h3><p class="note">KPIs identical in every scenario are left out; '
                   "comparison.csv has every row.</p>", comparison_table(comparison, rest)]
    from ccsim.decision import recommend

    sections = [("summary", "Recommendation", answer.decision_section(decision or recommend(comparison))),
                ("scenarios", "Scenarios", _section("scenarios", "Scenarios", _scenario_list(names, results))),
                ("comparison", "Comparison", _section("comparison", "Comparison", *tables))]
    if comparison.warnings:                                    # alert lines crossed (an NPS drop)
        items = "".join(f"<li>{_e(w)}</li>" for w in comparison.warnings)
        warned = _section("warnings", "Warnings", f'<ul class="warnings">{items}</ul>')
        sections.append(("warnings", "Warnings", warned))
    for section_id, title in (("deltas", "Paired differences"), ("service-level", "Service level")):
        if section_id in figures:
            sections.append((section_id, title, _section(section_id, title, figures[section_id])))
    sections.append(("cost-benefit", "Cost-benefit",
                     _section("cost-benefit", "Cost-benefit", *(
                         f"<h3>{_e(grid.title)}</h3>{grid_html(grid)}"
                         for grid in cost_benefit_grids(comparison.cost_benefit)))))
    summaries = "".join(f'<div id="scenario-{i + 1}"><h3>{_e(n)}</h3>{kpi_table(r)}</div>'
                        for i, (n, r) in enumerate(zip(names, results)))
    sections.append(("summaries", "Scenario KPIs", _section("summaries", "Scenario KPIs", summaries)))
    compared = {level: list(dict.fromkeys(part.kpi)) for level, part in table.groupby("level", sort=False)}
    sections.append(("definitions", "KPI definitions", _section("definitions", "KPI definitions", glossary(compared))))
    meta = (f'<p class="meta">{_e(len(names))} scenarios, {_e(comparison.replications)} replications each, '
            f"seed {_e(results[0].seed)}, common random numbers</p>")
    variants = f"{len(names) - 1} variant" + ("s" if len(names) > 2 else "")
    return _page(f"Comparison: {names[0]} and {variants}", meta, sections)
