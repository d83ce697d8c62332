"""Names in Chinese (East-Asian wide characters, two terminal columns each) keep the terminal
summary's columns aligned."""

from __future__ import annotations

import pytest

import ccsim
from ccsim.report.answer import terminal
from ccsim.report.format import display_width, pad
from ccsim.summary import run_summary


@pytest.mark.parametrize("text, columns", [
    ("voice", 5), ("电话", 4), ("满意度回访", 10), ("售后工单/高", 11), ("ＦＣＲ", 6), ("e\u0301", 1), ("", 0)])
def test_display_width_counts_wide_characters_twice(text, columns):
    assert display_width(text) == columns


def test_pad_fills_to_terminal_columns():
    assert pad("电话", 6) == "电话  " and pad("voice", 6) == "voice "
    assert pad("满意度回访", 4) == "满意度回访"


def test_summary_columns_line_up_with_chinese_queue_names():
    sc = ccsim.load_scenario({
        "name": "服务中心", "horizon": {"start": "08:00", "end": "10:00"}, "interval": "60m",
        "queues": {name: {"arrivals": {"per_hour": 20}, "handle_time": {"dist": "exponential", "mean": 60}}
                   for name in ("电话", "满意度回访", "email")},
        "agent_groups": {"电话组": {"skills": ["电话", "满意度回访", "email"], "staff": 3}}})
    lines = terminal(run_summary(ccsim.simulate(sc, replications=2, seed=1))).plain.splitlines()
    rows = [line for line in lines if line.split()[0] in sc.queues]
    assert len(rows) == 3
    # the verdict starts in the same terminal column on every row: 2 + the widest name (10) + 2
    starts = {display_width(line[:line.index(line.split()[1])]) for line in rows}
    assert starts == {14}
