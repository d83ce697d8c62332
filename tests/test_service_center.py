"""The bundled service center: the Chinese-named version is the English one renamed, and its
names reach the terminal, CSV, JSON and HTML as text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import yaml

import ccsim
from tests.badinput.cli import run_cli

ROOT = Path(__file__).resolve().parents[1]


def test_the_chinese_version_is_fresh():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "service_center_zh.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_chinese_version_is_the_english_one_renamed():
    sys.path.insert(0, str(ROOT / "tools"))
    from service_center_zh import translate

    english = yaml.safe_load((ROOT / "scenarios" / "service_center.yml").read_text(encoding="utf-8"))
    chinese = ccsim.load_scenario(ROOT / "scenarios" / "service_center_zh.yml")
    assert chinese == ccsim.load_scenario(translate(english))
    assert set(chinese.queues) >= {"电话", "投诉", "满意度回访"} and "售后工单" in chinese.processes
    assert len(chinese.queues) == len(english["queues"]) and len(chinese.agent_groups) == len(english["agent_groups"])


def test_chinese_names_end_to_end(tmp_path):
    out = tmp_path / "out"
    done = run_cli("run", ROOT / "scenarios" / "service_center_zh.yml", "-r", 2, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "电话组" in done.stdout and "售后工单/高" in done.stdout
    kpis = pd.read_csv(out / "kpis.csv", index_col="queue")
    assert "满意度回访" in kpis.index
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "售后工单/高" in summary["customers"] and "csat" in summary["customers"]["售后工单/高"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "售后工单/中 / 3. 派单" in html and ">投诉<" in html
