"""ccsim compare: paired differences under common random numbers, verdicts that can be trusted."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.compare import compare


def hotline(**overrides) -> ccsim.Scenario:
    return ccsim.load_scenario("scenarios/hotline.yml", overrides=overrides or None)


def staff_scaled(factor: float, name: str) -> ccsim.Scenario:
    sc = hotline()
    return ccsim.load_scenario("scenarios/hotline.yml", overrides={"name": name, **{
        f"agent_groups.{g}.staff": [int(round(s * factor)) for s in sc.staff(g)] for g in sc.agent_groups}})


def test_a_variant_identical_to_its_baseline_differs_by_exactly_zero():
    c = compare([hotline(), hotline(name="copy")], replications=3, seed=5)
    deltas = c.table.filter(like="copy delta").to_numpy(dtype=float)
    assert np.all(np.nan_to_num(deltas) == 0)
    assert set(c.table["copy verdict"]) == {"identical"}


def test_more_agents_is_never_significantly_worse_and_half_the_agents_is():
    c = compare([hotline(), staff_scaled(1.25, "more"), staff_scaled(0.5, "half")], replications=10, seed=2)
    rows = c.table.set_index(["level", "name", "kpi"])
    for queue in ("general", "billing", "technical", "vip", "ALL"):
        assert rows.loc[("queue", queue, "service_level"), "more verdict"] in ("better", "no significant difference")
        assert rows.loc[("queue", queue, "service_level"), "half verdict"] == "worse"
    assert rows.loc[("queue", "ALL", "abandon_rate"), "half verdict"] == "worse"
    assert rows.loc[("group", "ALL", "cost"), "more verdict"] == "worse"
    # common random numbers: the fresh arrivals are the same, so their volume does not differ at all;
    # fewer agents serve fewer billing callers, so fewer unresolved ones call again
    assert rows.loc[("queue", "ALL", "offered_fresh"), "half verdict"] == "identical"
    assert rows.loc[("queue", "billing", "offered_repeat"), "half verdict"] == "lower"


def test_precision_adds_replications():
    c = compare([hotline(), staff_scaled(0.9, "fewer")], replications=2, seed=1, precision=0.01)
    row = c.table[(c.table.name == "ALL") & (c.table.kpi == "service_level")].iloc[0]
    assert c.replications > 2 and c.precise and c.precision == 0.01
    assert (row["fewer delta_ci_high"] - row["fewer delta_ci_low"]) / 2 < 0.01


def test_compare_cli_table_json_and_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["compare", "scenarios/hotline.yml", "scenarios/hotline.yml", "-r", "3"])
    assert result.exit_code == 0, result.output
    assert "identical" in result.output and "service level" in result.output
    result = runner.invoke(main, ["compare", "scenarios/hotline.yml", "scenarios/hotline.yml", "-r", "3",
                                  "-f", "json", "--out", str(tmp_path)])
    data = json.loads(result.output)
    assert data["baseline"] == "Hotline baseline (1)" and data["replications"] == 3
    assert (tmp_path / "comparison.csv").exists() and (tmp_path / "1_hotline_baseline__1").is_dir()
    assert runner.invoke(main, ["compare", "scenarios/hotline.yml"]).exit_code == 2
    missing = runner.invoke(main, ["compare", "scenarios/hotline.yml", "nowhere.yml"])
    assert missing.exit_code == 2 and "Traceback" not in missing.output


def test_paired_intervals_are_narrower_than_unpaired_ones():
    # 10% more agents: the paired CI of the service-level difference against the CI of the
    # difference of two independent means (Welch), from the same replications
    from ccsim.stats import mean_ci
    from tests.model.helpers import kpi_samples

    c = compare([hotline(), staff_scaled(1.1, "more")], replications=12, seed=9)
    base, more = (kpi_samples(res, "ALL")["service_level"] for res in c.results)
    _, low, high = mean_ci(more - base)
    paired = (high - low) / 2
    half = [(h - l) / 2 for _, l, h in (mean_ci(base), mean_ci(more))]
    unpaired = float(np.hypot(*half))
    assert paired < 0.5 * unpaired, (paired, unpaired)
    row = c.table[(c.table.name == "ALL") & (c.table.kpi == "service_level")].iloc[0]
    assert (row["more delta_ci_high"] - row["more delta_ci_low"]) / 2 == pytest.approx(paired)


def test_progress_follows_every_scenario():
    seen = []
    compare([hotline(), hotline(name="copy")], replications=2, seed=1, progress=lambda *a: seen.append(a))
    assert seen == [("Hotline baseline", 1, 2), ("Hotline baseline", 2, 2), ("copy", 1, 2), ("copy", 2, 2)]
