"""The HTML report of `ccsim staff`: the summary first, then the requirement per interval, agent
hours per group, the shift plans and the coverage chart, in the layout of the run report."""

from __future__ import annotations

from collections.abc import Sequence

from ccsim.report import answer
from ccsim.report.charts import Chart
from ccsim.report.html import _e, _figure, _page, _section, _table
from ccsim.report.staffing import interval_totals
from ccsim.staffing import Staffing
from ccsim.summary import staffing_summary
from ccsim.units import format_duration


def staffing_report(result: Staffing, charts: Sequence[Chart] = ()) -> str:
    """One self-contained page: summary, coverage chart, requirement per interval, agent groups, shifts."""
    summary = staffing_summary(result)
    sc = result.scenario
    totals = interval_totals(result)
    multi_day = totals.day.nunique() > 1
    shown = [c for c in totals.columns if c not in ("interval", "day", "start")]
    headers = [*(["day"] if multi_day else []), "start", *(c.replace("analytic", "Erlang FTE") for c in shown)]
    rows = [([*([str(row.day)] if multi_day else []), str(row.start), *(f"{row[c]:,.0f}" for c in shown)], "")
            for _, row in totals.iterrows()]
    hours = sc.interval / 3600.0
    columns = [c for c in ("analytic", "simulated", "required", "scheduled", "over", "under") if c in result.groups]
    by_group = {g["group"]: g for g in summary["groups"]}
    group_rows = [([name, *(f"{part[c].sum() * hours:,.1f}" for c in columns), f"{by_group[name]['paid_hours']:,.1f}",
                    f"{by_group[name]['fte']:,.1f}", f"{by_group[name]['peak_agents']:,.0f}",
                    f"{by_group[name]['cost']:,.0f}"], "")
                  for name, part in result.groups.groupby("group", sort=False)]
    total = summary["total"]
    group_rows.append((["ALL", *(f"{result.groups[c].sum() * hours:,.1f}" for c in columns),
                        f"{total['paid_hours']:,.1f}", f"{total['fte']:,.1f}", f"{total['peak_agents']:,.0f}",
                        f"{total['cost']:,.0f}"], "total"))
    group_headers = ["agent group", *(f"{c.replace('analytic', 'Erlang')} (h)" for c in columns), "paid (h)", "FTE",
                     "peak agents", "cost"]
    figures = "".join(_figure(chart) for chart in charts)
    sections = [("summary", "Summary", answer.staffing_section(summary))]
    if figures:
        sections.append(("coverage", "Coverage", _section("coverage", "Coverage", figures)))
    sections.append(("groups", "Agent groups", _section(
        "groups", "Agent groups", f'<p class="note">Agent-hours per group; cost: {_e(summary["cost_basis"])}.</p>',
        _table(group_headers, group_rows))))
    sections.append(("intervals", "Per interval", _section(
        "intervals", "Required agents per interval", _table(headers, rows))))
    for name, plan in result.shift_plans.items():
        section_id = f"shifts-{len(sections)}"
        counts = plan.counts
        sections.append((section_id, f"Shifts {name}", _section(
            section_id, f"Shifts for {name}: {plan.paid_hours:,.1f} paid hours, cost {plan.cost:,.0f}",
            _table([str(c) for c in counts.columns], ([[str(v) for v in row], ""] for row in counts.itertuples(
                index=False))))))
    meta = (f'<p class="meta">{_e(result.method)} · {sc.horizon.days} day(s) in intervals of '
            f"{_e(format_duration(sc.interval))} · {len(sc.queues)} queues, {len(sc.agent_groups)} agent groups</p>")
    return _page(f"{sc.name}: staffing", meta, sections)
