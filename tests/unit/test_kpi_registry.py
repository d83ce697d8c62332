"""The KPI registry: every KPI a table, comparison or export emits is declared once, with the
direction, unit and percent-ness that the verdicts, the text and the exports then follow."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.compare import compare, verdict
from ccsim.kpis import KPIS, LEVELS, kpi
from ccsim.kpis.registry import COMPUTED_BY, HIGHER, LOWER, NEUTRAL, columns, glossary_markdown, stack_rows
from ccsim.report.export import comparison_json, long_table, summary_dict
from ccsim.report.format import delta_text, value_text

ROOT = Path(__file__).resolve().parents[2]
# Results attribute -> its KPI level; the other columns of these tables are labels, not KPIs
TABLES = {"kpis": "queue", "channels": "channel", "groups": "group", "customers": "customer", "stages": "stage",
          "processes": "process", "costs": "cost", "intervals": "interval", "days": "interval"}
NOT_KPIS = {"threshold_s", "time_limit_s", "promise_s", "interval", "day", "start", "time", "queue", "staff"}


@pytest.fixture(scope="module")
def flows_run() -> ccsim.Results:
    """A scenario with flows and processes, so every level has rows."""
    return ccsim.simulate("scenarios/after_sales.yml", replications=2, seed=3)


def kpi_columns(frame: pd.DataFrame) -> set[str]:
    return {c for c in frame.columns if c not in NOT_KPIS and not c.endswith(("_ci_low", "_ci_high"))}


def test_every_kpi_a_result_table_emits_is_declared_at_its_level(flows_run):
    for attribute, level in TABLES.items():
        frame = getattr(flows_run, attribute)
        assert len(frame) > 0, attribute
        assert kpi_columns(frame) == set(LEVELS[level]), attribute


def test_each_level_is_computed_by_its_declared_function_with_one_column_per_kpi(flows_run):
    assert set(COMPUTED_BY) == set(LEVELS)
    rec = flows_run.records[0]
    for level, path in COMPUTED_BY.items():
        module, function = path.rsplit(".", 1)
        values = getattr(importlib.import_module(module), function)(flows_run.plan, rec)
        assert values.shape[-1] == len(LEVELS[level]), level


def test_every_compared_kpi_is_declared_and_the_rows_say_its_unit():
    c = compare(["scenarios/hotline.yml", "scenarios/rollout_training.yml"], replications=3, seed=1)
    for row in c.table.itertuples():
        assert row.kpi in LEVELS[row.level], (row.level, row.kpi)
        assert row.unit == kpi(row.kpi, row.level).unit
    meta = json.loads(comparison_json(c))["kpi_definitions"]
    assert set(meta) == {"queue", "group", "cost", "customer"} and meta["cost"]["cost_per_contact"]["unit"] == "currency"
    assert meta["customer"]["fcr"]["percent"] and "csat" in meta["customer"]


def test_directions_of_known_kpis():
    higher = ("service_level", "fcr", "callback_within_due", "within_promise", "resolved")
    lower = ("asa", "wait_p90", "abandon_rate", "abandoned", "in_system", "cost", "total_cost", "cost_per_contact",
             "transfer_rate")
    neutral = ("offered", "answered", "handled", "occupancy", "staffed_hours", "offered_fresh")
    assert all(KPIS[k].direction == HIGHER for k in higher)
    assert all(KPIS[k].direction == LOWER for k in lower)
    assert all(KPIS[k].direction == NEUTRAL for k in neutral)
    # a group's AHT mixes the contact types it served; a queue's is one type's
    assert kpi("aht", "group").direction == NEUTRAL and kpi("aht", "queue").direction == LOWER
    # "escalated" counts legs at a queue and is a share of customers at the customer level
    assert not kpi("escalated", "queue").percent and kpi("escalated", "customer").percent
    assert kpi("escalated", "customer").levels == ("customer",)
    assert KPIS["escalated"].levels == ("queue", "channel", "interval")


def test_percent_kpis_are_shares_and_their_differences_points():
    assert {k for k, d in KPIS.items() if d.percent} >= {"service_level", "abandon_rate", "fcr", "occupancy"}
    assert all(d.unit == "share" for d in KPIS.values() if d.percent)
    sl = KPIS["service_level"]
    assert value_text(sl, 0.943) == "94.3%"
    assert delta_text(sl, 0.021, 0.017, 0.025) == "+2.1 pts ±0.4"
    assert delta_text(KPIS["asa"], -2.25, -3.0, -1.5) == "-2.2 ±0.8"


def test_a_significant_difference_never_reads_zero_and_rounding_noise_is_identical():
    per_contact = KPIS["cost_per_contact"]
    assert delta_text(per_contact, 0.0004, 0.0003, 0.0005) == "+0.0004 ±0.0001"
    assert delta_text(per_contact, 0.0004, -0.01, 0.01) == "+0.00 ±0.01"          # not significant: as declared
    noise = np.array([1e-13, -2e-13, 3e-13])
    assert verdict(noise, 1e-14, 2e-13, per_contact, size=3.6) == "identical"
    assert verdict(np.array([0.01, 0.02, 0.015]), 0.005, 0.025, per_contact, size=3.6) == "worse"
    assert verdict(np.array([1.0, 2.0, 1.5]), 0.5, 2.5, KPIS["answered"], size=3000) == "higher"


def test_identical_scenarios_compare_identical_and_never_worse():
    result = CliRunner().invoke(main, ["compare", "scenarios/hotline.yml", "scenarios/hotline.yml", "-r", "3"])
    assert result.exit_code == 0, result.output
    table = result.output.split("cost-benefit")[0]
    assert "identical" in table
    assert not re.search(r"\b(worse|better|higher|lower)\b", table)
    assert "Δ +0.0 pts ±0.0  identical" in table             # service level, in points


def test_json_and_csv_carry_units_and_definitions(flows_run):
    data = json.loads(json.dumps(summary_dict(flows_run), default=str))
    meta = data["kpi_definitions"]
    assert meta["queue"]["service_level"] == {
        "unit": "share", "percent": True, "direction": 1, "definition": KPIS["service_level"].definition}
    assert meta["customer"]["escalated"]["percent"] and not meta["queue"]["escalated"]["percent"]
    long = long_table(flows_run)
    assert list(long.columns) == ["level", "name", "kpi", "mean", "ci_low", "ci_high", "unit"]
    units = long.drop_duplicates(["level", "kpi"]).set_index(["level", "kpi"]).unit
    assert units["queue", "asa"] == "s" and units["group", "cost"] == "currency"
    assert units["customer", "escalated"] == "share" and units["queue", "escalated"] == "contacts"


def test_rows_are_filled_by_name_and_refuse_missing_or_undeclared_kpis():
    values = {name: float(i) for i, name in enumerate(LEVELS["stage"])}
    assert list(stack_rows("stage", [values])[0]) == list(values.values())
    assert stack_rows("stage", []).shape == (0, len(LEVELS["stage"]))
    with pytest.raises(KeyError, match="missing"):
        columns("stage", {k: v for k, v in values.items() if k != "wait"})
    with pytest.raises(KeyError, match="undeclared"):
        columns("stage", {**values, "speed": 1.0})


def test_docs_glossary_is_generated_from_the_registry():
    """The KPI page's glossary is written from the registry when the site is built, so it cannot go stale."""
    page = (ROOT / "docs" / "kpis.md").read_text()
    assert page.count("<!-- kpi-glossary -->") == 1 and "| `service_level` |" not in page
    assert "| `service_level` | queue, channel, interval |" in glossary_markdown()
