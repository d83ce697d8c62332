"""The answer first: a run's summary (`ccsim.summary.run_summary`) as a short terminal block and as
the HTML `<section id="summary">` at the top of the report. Shows data; computes nothing."""

from __future__ import annotations

import html
from typing import Any

from rich.text import Text

from ccsim.kpis import kpi
from ccsim.report.format import display_width, estimate_text, pad
from ccsim.summary import MEETS, MISSES, UNCERTAIN, headline

VERDICT_STYLE = {MEETS: "green", MISSES: "red", UNCERTAIN: "yellow"}
VERDICT_CLASS = {MEETS: "meets", MISSES: "misses", UNCERTAIN: "uncertain"}
SHOWN_TIMES = 3         # missed-interval ranges listed before "…"


def target_line(target: dict[str, Any]) -> str:
    """"service level 84.5% ±3.4 against 80% in 20s"."""
    k = kpi(target["kpi"], "queue")
    value = estimate_text(k, *(_nan(target[c]) for c in ("mean", "ci_low", "ci_high")))
    return f"{k.label} {value} against {target['target_text']}"


def missed_text(missed: dict[str, Any]) -> str:
    """"6 of 24 intervals below target: 12:30–13:00, 14:30–15:30, …", or ""."""
    if not missed["count"]:
        return ""
    times = missed["times"]
    shown = ", ".join(times[:SHOWN_TIMES]) + (", …" if len(times) > SHOWN_TIMES else "")
    return f"{missed['count']} of {missed['of']} intervals below target: {shown}"


def staffing_text(staffing: dict[str, Any]) -> str:
    if staffing["peak_needed"] is None:
        return (f"most scheduled {staffing['peak_scheduled']:,.0f} agents at {staffing['peak_scheduled_at']} "
                f"({staffing['basis']})")
    return (f"peak Erlang requirement {staffing['peak_needed']:,.0f} agents at {staffing['peak_needed_at']}, "
            f"{staffing['scheduled_at_peak']:,.0f} scheduled then; most scheduled {staffing['peak_scheduled']:,.0f} "
            f"at {staffing['peak_scheduled_at']}")


def cost_text(cost: dict[str, Any] | None) -> str:
    if cost is None:
        return ""
    total, agents = cost["total_cost"], cost["agent_cost"]
    per, agent_per = cost["total_cost_per_contact"], cost["cost_per_contact"]
    return (f"total {estimate_text(kpi('total_cost', 'cost'), *_est(total))} "
            f"(agents {estimate_text(kpi('agent_cost', 'cost'), *_est(agents))}); "
            f"{estimate_text(kpi('total_cost_per_contact', 'cost'), *_est(per))} per answered contact "
            f"(agents {estimate_text(kpi('cost_per_contact', 'cost'), *_est(agent_per))})")


def terminal(summary: dict[str, Any]) -> Text:
    """The summary as a few terminal lines: one per queue target with its verdict (coloured), the
    missed intervals, peak staffing, cost and the first warnings."""
    out = Text()
    out.append("Summary: ", style="bold")
    out.append(headline(summary) + " (95% CI against each target)\n")
    width = max([display_width(q["queue"]) for q in summary["queues"]] + [9])
    for queue in summary["queues"]:
        for target in queue["targets"]:
            out.append(f"  {pad(queue['queue'], width)}  ")
            out.append(f"{target['verdict']:<9}", style=VERDICT_STYLE.get(target["verdict"], "dim"))
            out.append(f"  {target_line(target)}")
            missed = missed_text(queue["missed_intervals"]) if target["kpi"] == "service_level" else ""
            out.append(f"; {missed}\n" if missed else "\n")
    out.append(f"  {'staffing':<{width}}  {staffing_text(summary['staffing'])}\n")
    if summary["cost"] is not None:
        out.append(f"  {'cost':<{width}}  {cost_text(summary['cost'])}\n")
    for warning in summary["warnings"]:
        out.append(f"  {'warning':<{width}}  ", style="yellow")
        out.append(f"{warning}\n")
    more = summary["warnings_total"] - len(summary["warnings"])
    if more > 0:
        out.append(f"  {'':<{width}}  … and {more} more warning{'s' if more > 1 else ''}\n")
    return out


def html_section(summary: dict[str, Any]) -> str:
    """`<section id="summary">`: the headline, a table of targets with coloured verdicts and the
    missed intervals, then peak staffing, cost and the first warnings."""
    rows = []
    for queue in summary["queues"]:
        for target in queue["targets"]:
            verdict = target["verdict"]
            missed = missed_text(queue["missed_intervals"]) if target["kpi"] == "service_level" else ""
            rows.append(f'<tr class="{VERDICT_CLASS.get(verdict, "neutral")}-row"><td>{_e(queue["queue"])}</td>'
                        f"<td>{_e(target_line(target))}</td>"
                        f'<td class="{VERDICT_CLASS.get(verdict, "neutral")} verdict">{_e(verdict)}</td>'
                        f'<td class="wrap">{_e(missed or "none")}</td></tr>')
    table = ('<table class="summary"><thead><tr><th>queue</th><th>target</th><th>verdict</th>'
             f'<th>intervals below target</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')
    facts = [("Staffing", staffing_text(summary["staffing"]))]
    if summary["cost"] is not None:
        facts.append(("Cost", cost_text(summary["cost"])))
    more = summary["warnings_total"] - len(summary["warnings"])
    warnings = [*summary["warnings"], *([f"… and {more} more (see Warnings)"] if more > 0 else [])]
    items = "".join(f"<li><strong>{_e(label)}:</strong> {_e(text)}</li>" for label, text in facts)
    items += "".join(f'<li class="warning"><strong>Warning:</strong> {_e(w)}</li>' for w in warnings)
    return (f'<section id="summary"><h2>Summary</h2><p class="headline">{_e(headline(summary))} '
            f'<span class="note">(meets / misses: the 95% CI is wholly above / below the target; uncertain: it '
            f"straddles it)</span></p>{table}<ul class=\"facts\">{items}</ul></section>")


def _est(value: dict[str, Any]) -> tuple[float, float, float]:
    return tuple(_nan(value[c]) for c in ("mean", "ci_low", "ci_high"))


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _e(text: object) -> str:
    return html.escape(str(text))


DECISION_STYLE = {"recommend": "green", "no clear winner": "yellow", "none qualifies": "red"}
DECISION_CLASS = {"recommend": "meets", "no clear winner": "uncertain", "none qualifies": "misses"}


def _status_line(scenario: dict[str, Any]) -> str:
    failed = [c["text"] for c in scenario["checks"] if c["verdict"] != MEETS]
    return (f"{scenario['status']}" + (f" ({'; '.join(failed[:2])}{'; …' if len(failed) > 2 else ''})" if failed else "")
            + f"; objective {scenario['objective']['text']}")


def decision_terminal(decision: dict[str, Any]) -> Text:
    """A comparison's recommendation: the rule, the verdict and its reasons, each scenario's
    must-meet status and objective."""
    from ccsim.decision import headline as decision_headline

    out = Text()
    out.append("Decision: ", style="bold")
    out.append(decision_headline(decision) + "\n", style=DECISION_STYLE.get(decision["verdict"], ""))
    out.append(f"  rule ({decision['rule']['source']}): {decision['rule']['text']}\n")
    for reason in decision["reasons"][1:]:
        out.append(f"  {reason}\n")
    width = max(display_width(s["scenario"]) for s in decision["scenarios"])
    for scenario in decision["scenarios"]:
        out.append(f"  {pad(scenario['scenario'], width)}  ")
        out.append(_status_line(scenario) + "\n", style=VERDICT_STYLE.get(scenario["status"], "dim"))
    return out


def decision_section(decision: dict[str, Any]) -> str:
    """`<section id="summary">` of a comparison report: the recommendation (or "no clear
    winner") under the rule, its reasons, and per scenario its must-meet status and objective."""
    from ccsim.decision import headline as decision_headline, objective_key

    verdict = decision["verdict"]
    reasons = "".join(f"<li>{_e(r)}</li>" for r in decision["reasons"][1:])
    rows = "".join(
        f"<tr><td>{_e(s['scenario'])}</td>"
        f'<td class="{VERDICT_CLASS.get(s["status"], "neutral")} verdict">{_e(s["status"])}</td>'
        f'<td class="wrap">{_e("; ".join(c["text"] for c in s["checks"] if c["verdict"] != MEETS) or "all met")}</td>'
        f"<td>{_e(s['objective']['text'])}</td></tr>" for s in decision["scenarios"])
    objective = _e(kpi(decision["rule"]["objective"], objective_key(decision["rule"]["objective"])[0]).label)
    table = ('<table class="summary"><thead><tr><th>scenario</th><th>must meet</th><th>not met</th>'
             f"<th>{objective} (± 95% CI)</th></tr></thead><tbody>{rows}</tbody></table>")
    return (f'<section id="summary"><h2>Recommendation</h2>'
            f'<p class="headline {DECISION_CLASS.get(verdict, "")}">{_e(decision_headline(decision))}</p>'
            f'<p class="note">Rule ({_e(decision["rule"]["source"])}): {_e(decision["rule"]["text"])}. '
            "A scenario qualifies when every must-meet KPI meets its target (95% CI) or, without a target, is "
            "not significantly worse than the baseline; the winner must beat every other qualifying scenario "
            f"on the objective by a paired 95% CI that excludes 0.</p><ul class=\"facts\">{reasons}</ul>{table}"
            "</section>")



def staffing_lines(summary: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) lines of a staffing summary: all groups, each group, Erlang against simulation."""
    def group_text(g: dict[str, Any]) -> str:
        return (f"{g['peak_agents']:,.0f} agents at the peak, {g['paid_hours']:,.1f} agent-hours "
                f"({g['fte']:,.1f} FTE of 8 h a day), cost {g['cost']:,.0f}")

    lines = [("all groups", group_text(summary["total"]))]
    lines += [(g["group"], group_text(g)) for g in summary["groups"]]
    if summary["simulated_vs_erlang_hours"] is not None:
        total = summary["total"]
        lines.append(("simulated", f"{total['simulated_hours']:,.1f} agent-hours against Erlang's "
                                   f"{total['erlang_hours']:,.1f} ({summary['simulated_vs_erlang_hours']:+,.1f} h, "
                                   f"{100 * summary['simulated_vs_erlang_share']:+.1f}%)"))
    else:
        lines.append(("Erlang", f"{summary['total']['erlang_hours']:,.1f} agent-hours analytic "
                                "(--method simulate corrects it for multi-skill sharing and flows)"))
    lines.append(("cost basis", summary["cost_basis"]))
    if summary["unmet"]:
        lines.append(("warning", summary["unmet"]))
    return lines


def staffing_terminal(summary: dict[str, Any]) -> Text:
    out = Text()
    out.append("Summary:\n", style="bold")
    lines = staffing_lines(summary)
    width = max(display_width(label) for label, _ in lines)
    for label, text in lines:
        out.append(f"  {pad(label, width)}  ", style="yellow" if label == "warning" else "")
        out.append(f"{text}\n")
    return out


def staffing_section(summary: dict[str, Any]) -> str:
    items = "".join(f"<li><strong>{_e(label)}:</strong> {_e(text)}</li>" for label, text in staffing_lines(summary))
    return f'<section id="summary"><h2>Summary</h2><ul class="facts">{items}</ul></section>'
