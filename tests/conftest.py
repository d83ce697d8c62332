"""Shared fixtures: small scenarios written as YAML text so tests read like the files users write."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

BASE_YAML = """\
name: test
horizon: {start: "08:00", end: "10:00"}
interval: 30m
queues:
  billing:
    arrivals: {per_hour: 60}
    handle_time: {dist: exponential, mean: 180}
    patience: {dist: exponential, mean: 120}
    service_level: {threshold: 20s, target: 0.8}
  tech:
    arrivals:
      per_interval: [10, 20, 30, 20]
    handle_time: {dist: lognormal, mean: 4m, cv: 0.8}
agent_groups:
  generalists:
    skills: [billing, tech]
    staff: 6
    cost_per_hour: 30
"""


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write YAML text (dedented) to a file and return its path."""

    def write(text: str = BASE_YAML, name: str = "scenario.yml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text))
        return path

    return write
