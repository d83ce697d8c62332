"""The command line: exit codes, JSON that parses, files written, no tracebacks for mistakes."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from tests.conftest import BASE_YAML


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_run_prints_kpi_and_group_tables():
    result = invoke("run", "scenarios/hotline.yml", "-r", 2)
    assert result.exit_code == 0, result.output
    for word in ("general", "billing", "technical", "vip", "ALL", "front_office", "service level", "occupancy"):
        assert word in result.output


def test_run_json_is_one_object_and_nothing_else():
    result = invoke("run", "scenarios/hotline.yml", "-r", 3, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["replications"] == 3 and data["seed"] == 42
    sl = data["kpis"]["ALL"]["service_level"]
    assert 0 < sl["ci_low"] <= sl["mean"] <= sl["ci_high"] <= 1
    assert set(data["groups"]) == {"front_office", "billing_team", "tech_team", "ALL"}


def test_run_csv_and_out_dir(tmp_path):
    result = invoke("run", "scenarios/hotline.yml", "-r", 2, "--format", "csv", "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "level,name,kpi,mean,ci_low,ci_high,unit"
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [".ccsim-output", "channels.csv", "costs.csv", "customers.csv", "days.csv", "group_intervals.csv",
                     "groups.csv", "intervals.csv", "kpis.csv", "occupancy.png", "report.html", "service_level.png",
                     "staffing.png", "summary.json", "volumes.png", "waits.png"]
    kpis = pd.read_csv(tmp_path / "out" / "kpis.csv", index_col="queue")
    assert "service_level_ci_high" in kpis.columns and "ALL" in kpis.index


def test_run_records_are_parquet_per_replication_and_equal_the_python_records(tmp_path):
    result = invoke("run", "scenarios/hotline.yml", "-r", 3, "-s", 4, "--records-first", 2, "-f", "csv",
                    "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    records = tmp_path / "out" / "records"
    assert sorted(p.name for p in (records / "contacts").iterdir()) == ["part-00000.parquet", "part-00001.parquet"]
    assert not list(tmp_path.glob(".ccsim-records-*"))            # the temporary store moved in whole
    res = ccsim.simulate("scenarios/hotline.yml", replications=3, seed=4, records=2)
    for table in ("contacts", "legs"):
        on_disk = pd.read_parquet(records / table)
        assert set(on_disk.replication) == {0, 1}
        pd.testing.assert_frame_equal(_as_text(on_disk), _as_text(getattr(res, table)))


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Categories as plain text: a Parquet file knows only the categories it uses."""
    return frame.astype({c: str for c in frame.columns if frame[c].dtype in ("category", object)})


def test_run_records_need_an_out_folder():
    result = invoke("run", "scenarios/hotline.yml", "-r", 1, "--records")
    assert result.exit_code == 2 and "--records writes Parquet files and needs --out DIR" in result.output


def test_run_seed_and_replications_override():
    a = json.loads(invoke("run", "scenarios/hotline.yml", "-r", 2, "-s", 5, "-f", "json").output)
    b = json.loads(invoke("run", "scenarios/hotline.yml", "-r", 2, "-s", 5, "-w", 2, "-f", "json").output)
    assert a == b and a["seed"] == 5


def test_validate_ok_and_bad(write_scenario):
    ok = invoke("validate", write_scenario())
    assert ok.exit_code == 0 and "ok" in ok.output
    bad = invoke("validate", write_scenario(BASE_YAML.replace("cv: 0.8", "cv: -2")))
    assert bad.exit_code == 2
    assert "queues.tech.handle_time.cv" in bad.output and ":13:" in bad.output
    assert "Traceback" not in bad.output


def test_run_with_bad_scenario_exits_2_without_traceback(write_scenario):
    result = invoke("run", write_scenario(BASE_YAML.replace("skills: [billing, tech]", "skills: [billing, sales]")))
    assert result.exit_code == 2
    assert "agent_groups.generalists.skills" in result.output and "'sales'" in result.output
    assert "queues.tech" in result.output
    assert "Traceback" not in result.output


def test_run_missing_file_exits_2():
    result = invoke("run", "nope.yml")
    assert result.exit_code == 2 and "nope.yml" in result.output and "not found" in result.output


def test_unstable_scenario_warns(write_scenario):
    result = invoke("run", write_scenario(BASE_YAML.replace("staff: 6", "staff: 3")), "-r", 1)
    assert result.exit_code == 0 and "warning" in result.output and "Erlangs" in result.output


def test_erlang_for_given_agents_matches_reference():
    out = json.loads(invoke("erlang", "--rate", 200, "--aht", 180, "--agents", 14, "-f", "json").output)
    (row,) = out["results"]
    assert out["model"] == "erlang_c"
    assert row["service_level"] == pytest.approx(0.8883500191794669, rel=1e-9)
    assert row["asa"] == pytest.approx(7.835937011777243, rel=1e-9)


def test_erlang_a_with_patience_and_agent_range():
    out = json.loads(invoke("erlang", "--rate", 200, "--aht", "3m", "--agents", "9:11", "--patience", "2m", "-f", "json").output)
    assert out["model"] == "erlang_a" and [r["agents"] for r in out["results"]] == [9, 10, 11]
    assert out["results"][1]["p_abandon"] == pytest.approx(0.13746382627644957, rel=1e-9)


def test_erlang_required_agents():
    out = json.loads(invoke("erlang", "--rate", 360, "--aht", 240, "--target", 0.8, "--threshold", 20, "-f", "json").output)
    assert out["required_agents"] == {"service_level": 29}
    table = invoke("erlang", "--rate", 360, "--aht", 240, "--target", 0.8)
    assert table.exit_code == 0 and "29" in table.output


def test_erlang_unstable_load_is_an_answer_not_an_error():
    out = json.loads(invoke("erlang", "--rate", 200, "--aht", 180, "--agents", 10, "-f", "json").output)
    assert out["results"][0]["service_level"] == 0 and out["results"][0]["asa"] is None


@pytest.mark.parametrize("args", [
    ["erlang", "--rate", "100"],
    ["erlang", "--rate", "100", "--aht", "abc", "--agents", "3"],
    ["erlang", "--rate", "100", "--aht", "60", "--target", "1.5"],
    ["erlang", "--rate", "100", "--aht", "60", "--max-abandon", "0.05"],
    ["run", "scenarios/hotline.yml", "--format", "xml"],
    ["run", "scenarios/hotline.yml", "--replications", "0"],
])
def test_bad_arguments_exit_2(args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("old, new, path", [
    ("skills: [billing, tech]", "skills: [billing, tech, sales]", "agent_groups.generalists.skills"),
    ("skills: [billing, tech]", "skills: [billing]", "queues.tech"),
    ("[10, 20, 30, 20]", "[10, 20]", "queues.tech.arrivals.per_interval"),
    ("per_hour: 60", "csv: missing.csv", "queues.billing.arrivals.csv"),
    ("mean: 180", "mean: 0", "queues.billing.handle_time.mean"),
    ("cv: 0.8", "cv: -0.5", "queues.tech.handle_time.cv"),
    ("target: 0.8", "target: 1.5", "queues.billing.service_level.target"),
    ("target: 0.8", "target: 0", "queues.billing.service_level.target"),
    ("cost_per_hour: 30", "cost_per_hour: 30\n    colour: blue", "agent_groups.generalists.colour"),
])
def test_every_bad_input_exits_2_with_its_field_path(write_scenario, old, new, path):
    for command in ("validate", "run"):
        result = invoke(command, write_scenario(BASE_YAML.replace(old, new)))
        assert result.exit_code == 2, result.output
        assert f" {path}:" in result.output and "Traceback" not in result.output


def test_run_shows_flow_tables_and_json_for_flow_scenarios():
    result = invoke("run", "scenarios/tiered_support.yml", "-r", 2)
    assert result.exit_code == 0, result.output
    for words in ("process flows per queue", "customers (by where they first entered)", "retrial", "FCR"):
        assert words in result.output
    assert "process stages" not in result.output
    result = invoke("run", "scenarios/after_sales.yml", "-r", 2, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data["stages"]) == {f"repair_ticket/{i}" for i in range(1, 7)}
    assert data["processes"]["repair_ticket"]["started"]["mean"] > 0
    assert data["customers"]["ALL"]["resolved"]["mean"] > 0.5
    result = invoke("run", "scenarios/after_sales.yml", "-r", 2)
    assert "process stages" in result.output and "end to end" in result.output


def test_run_without_flows_keeps_the_short_report(write_scenario):
    result = invoke("run", write_scenario(BASE_YAML), "-r", 2)
    assert result.exit_code == 0, result.output
    assert "process flows" not in result.output and "process stages" not in result.output


def test_staff_erlang_prints_writes_and_staffs_the_scenario(tmp_path):
    result = invoke("staff", "scenarios/hotline.yml", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "required agents per interval" in result.output and "front_office" in result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".ccsim-output", "coverage.png", "hotline_staffed.yml", "intervals.csv", "report.html",
                     "requirements.csv", "staffing.csv"]
    staffed = ccsim.load_scenario(tmp_path / "hotline_staffed.yml")
    staffing = pd.read_csv(tmp_path / "staffing.csv")
    assert staffed.staff("front_office").tolist() == staffing[staffing.group == "front_office"].required.tolist()
    assert (tmp_path / "coverage.png").read_bytes()[:4] == b"\x89PNG"


def test_staff_simulate_json():
    result = invoke("staff", "scenarios/hotline.yml", "--method", "simulate", "-r", 3, "--max-iterations", 4,
                    "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["method"] == "simulate" and len(data["search"]["history"]) == 4
    assert {"analytic", "simulated", "required", "scheduled"} <= set(data["intervals"][0])


def test_staff_bad_method_and_missing_file_exit_2():
    assert invoke("staff", "scenarios/hotline.yml", "--method", "guess").exit_code == 2
    result = invoke("staff", "nowhere.yml")
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_staff_with_shifts_writes_plans_and_exits_2_when_templates_cannot_cover(tmp_path):
    result = invoke("staff", "scenarios/hotline.yml", "--shifts", "scenarios/templates/shifts.yml", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "shifts for front_office" in result.output
    assert (tmp_path / "shifts_front_office.csv").exists() and (tmp_path / "coverage_tech_team.csv").exists()
    assert ccsim.load_scenario(tmp_path / "hotline_staffed.yml").agent_groups["tech_team"].shifts
    (tmp_path / "t.yml").write_text('templates:\n  morning: {start: "08:00", length: 4h, cost_per_hour: 20}\n')
    result = invoke("staff", "scenarios/hotline.yml", "--shifts", str(tmp_path / "t.yml"))
    assert result.exit_code == 2 and "day 1 12:00" in result.output and "Traceback" not in result.output
