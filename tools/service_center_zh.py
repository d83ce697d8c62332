"""Write scenarios/service_center_zh.yml: the bundled service center with Chinese names for its
queues, agent groups, process, severity classes and stages (channels, keys and numbers unchanged).

    .venv/bin/python tools/service_center_zh.py [--check]

`--check` exits 1 when the file differs from what this would write (a test runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE, TARGET = ROOT / "scenarios" / "service_center.yml", ROOT / "scenarios" / "service_center_zh.yml"
QUEUES = {"voice": "电话", "chat": "在线客服", "email": "邮件", "complaints": "投诉", "intake": "受理",
          "grading": "定级", "dispatch": "派单", "tracking": "跟踪", "field_report": "结果反馈",
          "satisfaction": "满意度回访", "management": "管理层"}
GROUPS = {"voice_team": "电话组", "digital_team": "在线组", "support_team": "技术支持组", "management": "管理组"}
PROCESSES = {"repair_ticket": "售后工单"}
CLASSES = {"high": "高", "medium": "中", "low": "低"}
STAGES = {"feedback intake": "反馈受理", "grading": "等级评定", "dispatch": "派单", "progress tracking": "进度跟踪",
          "result feedback": "结果反馈", "satisfaction callback": "满意度回访"}
HEADER = ("# yaml-language-server: $schema=../ccsim/scenario/scenario.schema.json\n"
          "# 服务中心（中文名称版）: scenarios/service_center.yml with Chinese names, written by\n"
          "# tools/service_center_zh.py; edit the English file and run the tool again.\n")


def _renamed(mapping: dict, names: dict) -> dict:
    return {names.get(k, k): v for k, v in mapping.items()}


def translate(sc: dict) -> dict:
    """The scenario mapping with every name translated."""
    sc = dict(sc, name="服务中心", description="电话、在线客服、邮件与投诉，售后工单六个阶段（含定级与升级），自助分流，满意度与 NPS。")
    sc["queues"] = _renamed({q: dict(v, **({"escalation": dict(v["escalation"], to=QUEUES[v["escalation"]["to"]])}
                                           if "escalation" in v else {}))
                             for q, v in sc["queues"].items()}, QUEUES)
    groups = {}
    for g, group in sc["agent_groups"].items():
        skills = group["skills"]
        skills = {QUEUES[q]: r for q, r in skills.items()} if isinstance(skills, dict) else [QUEUES[q] for q in skills]
        groups[GROUPS[g]] = dict(group, skills=skills)
    sc["agent_groups"] = groups
    processes = {}
    for p, process in sc["processes"].items():
        stages = [dict(s, name=STAGES[s["name"]], queue=QUEUES[s["queue"]],
                       **({"escalate_to": QUEUES[s["escalate_to"]]} if "escalate_to" in s else {}))
                  for s in process["stages"]]
        severity = {CLASSES[c]: dict(v, **({"time_limits": _renamed(v["time_limits"], STAGES)}
                                           if "time_limits" in v else {}))
                    for c, v in process.get("severity", {}).items()}
        processes[PROCESSES[p]] = dict(process, stages=stages, severity=severity)
    sc["processes"] = processes
    return sc


def text() -> str:
    data = translate(yaml.safe_load(SOURCE.read_text(encoding="utf-8")))
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)


def main() -> None:
    fresh = text()
    if "--check" in sys.argv:
        if TARGET.read_text(encoding="utf-8") != fresh:
            sys.exit(f"{TARGET.name} is stale: run tools/service_center_zh.py")
        return
    TARGET.write_text(fresh, encoding="utf-8")


if __name__ == "__main__":
    main()
