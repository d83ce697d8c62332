"""ccsim sweep: a grid of what-ifs under common random numbers, as one tidy table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.errors import ScenarioError
from ccsim.kpis import names
from ccsim.sweep import parse_vary
from tests.badinput.cli import assert_clean_error, run_cli
from tests.conftest import BASE_YAML

ONE_QUEUE = """\
name: one queue
horizon: {start: "08:00", end: "12:00"}
interval: 1h
queues:
  calls:
    arrivals: {per_hour: 100}
    handle_time: {dist: exponential, mean: 180}
    patience: {dist: exponential, mean: 120}
    service_level: {threshold: 20s, target: 0.8}
agent_groups:
  team: {skills: [calls], staff: 5}
"""


def test_the_table_has_one_row_per_point_queue_and_kpi(write_scenario):
    sw = ccsim.sweep(write_scenario(BASE_YAML), {"agent_groups.generalists.staff": "4:8:2",
                                                 "queues.billing.handle_time.mean": [150, 210]},
                     replications=2, seed=3)
    queue_kpis = names("queue")
    assert sw.keys == ["agent_groups.generalists.staff", "queues.billing.handle_time.mean"]
    assert sw.points.to_dict("list") == {"agent_groups.generalists.staff": [4, 4, 6, 6, 8, 8],
                                         "queues.billing.handle_time.mean": [150, 210, 150, 210, 150, 210]}
    assert len(sw.table) == 6 * 3 * len(queue_kpis)
    assert list(sw.table.columns) == [*sw.keys, "point", "queue", "kpi", "mean", "ci_low", "ci_high", "unit"]
    assert not sw.table.duplicated(["point", "queue", "kpi"]).any()
    assert set(sw.table.queue) == {"billing", "tech", "ALL"} and set(sw.table.kpi) == set(queue_kpis)
    # a point's row holds exactly what simulating that point gives
    alone = ccsim.simulate(ccsim.load_scenario(write_scenario(BASE_YAML), {
        "agent_groups.generalists.staff": 6, "queues.billing.handle_time.mean": 210}), replications=2, seed=3)
    row = sw.table[(sw.table.point == 3) & (sw.table.queue == "ALL") & (sw.table.kpi == "service_level")].iloc[0]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == tuple(
        alone.kpis.loc["ALL", ["service_level", "service_level_ci_low", "service_level_ci_high"]])


def test_service_level_rises_with_staff_under_common_random_numbers(write_scenario):
    sw = ccsim.sweep(write_scenario(ONE_QUEUE), ["agent_groups.team.staff=4:10:2"], replications=5, seed=7)
    rows = sw.table[sw.table.queue == "ALL"].pivot(index="point", columns="kpi", values="mean")
    service_level, asa = rows["service_level"].to_numpy(), rows["asa"].to_numpy()
    # 5 Erlangs of traffic: 4 agents (kept stable by abandonment) answer under half within 20 s, 10 nearly all
    assert np.all(np.diff(service_level) > 0) and np.all(np.diff(asa) < 0)
    assert service_level[0] < 0.5 < 0.9 < service_level[-1]
    # the same seed at every point: the same fresh arrivals, to the contact
    assert rows["offered_fresh"].nunique() == 1


def test_a_sweep_is_reproducible_and_its_values_keep_their_types(write_scenario):
    path = write_scenario(ONE_QUEUE)
    first = ccsim.sweep(path, ["queues.calls.handle_time.mean=150,3m"], replications=2, seed=1)
    again = ccsim.sweep(path, {"queues.calls.handle_time.mean": [150, "3m"]}, replications=2, seed=1)
    pd.testing.assert_frame_equal(first.table, again.table, check_exact=True)
    assert first.axes == {"queues.calls.handle_time.mean": (150, "3m")}
    assert parse_vary("queues.calls.patience.mean=0.5:1:0.25") == ("queues.calls.patience.mean", (0.5, 0.75, 1.0))
    assert parse_vary("agent_groups.team.staff=[1,2],[3,4]") == ("agent_groups.team.staff", ([1, 2], [3, 4]))


@pytest.mark.parametrize("spec, message", [
    ("agent_groups.team.staf=1,2", "unknown key 'staf'; allowed:"),
    ("agent_groups.nobody.staff=1,2", "unknown agent group 'nobody'; agent groups: team"),
    ("agent_groups.team.staff=8:4:1", "range '8:4:1' is empty: FROM must be <= TO"),
    ("agent_groups.team.staff=4:8:0", "range '4:8:0': STEP must be > 0, got '0'"),
    ("agent_groups.team.staff=4:x:1", "range '4:x:1': TO must be a number, got 'x'"),
    ("agent_groups.team.staff=4,many", "expected a whole number of agents >= 0, got 'many'"),
    ("agent_groups.team.staff", "expects KEY=SPEC"),
    ("agent_groups.team.staff=", "no values; give a range FROM:TO:STEP"),
    ("seed=1,2", "cannot be swept: every point runs with the same seed (common random numbers)"),
])
def test_bad_vary_specs_are_errors_naming_the_option_key_and_what_is_allowed(write_scenario, spec, message):
    with pytest.raises(ScenarioError, match="^--vary: ") as caught:
        ccsim.sweep(write_scenario(ONE_QUEUE), [spec], replications=1)
    assert message in str(caught.value)
    if "=" in spec:
        assert f"--vary: {spec.partition('=')[0]}: " in str(caught.value)


def test_bad_vary_specs_on_the_command_line_are_clean_errors(write_scenario):
    path = write_scenario(ONE_QUEUE)
    result = run_cli("sweep", path, "-r", "1", "--vary", "agent_groups.team.staff=10:4:2")
    assert_clean_error(result, "--vary: agent_groups.team.staff: range '10:4:2' is empty")
    result = run_cli("sweep", path, "-r", "1", "--vary", "agent_groups.team.staff=1,2", "--vary",
                     "queues.call.handle_time.mean=100")
    assert_clean_error(result, "--vary: queues.call.handle_time.mean: unknown queue 'call'; queues: calls")


def test_cli_table_csv_json_and_out(write_scenario, tmp_path):
    path, runner = write_scenario(ONE_QUEUE), CliRunner()
    args = ["sweep", str(path), "-r", "2", "--vary", "agent_groups.team.staff=5,7"]
    table = runner.invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "sweep of 2 points" in table.output and "agent_groups.team.staff" in table.output
    csv = runner.invoke(main, [*args, "-f", "csv", "--out", str(tmp_path / "out"), "--plot", "asa"])
    assert csv.exit_code == 0, csv.output
    assert csv.output.count("\n") == 1 + 2 * 2 * len(names("queue"))
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".ccsim-output", "sweep.csv", "sweep_asa.png"]
    assert (tmp_path / "out" / "sweep.csv").read_text() == csv.output
    data = json.loads(runner.invoke(main, [*args, "-f", "json"]).output)
    assert data["axes"] == {"agent_groups.team.staff": [5, 7]} and len(data["rows"]) == 2 * 2 * len(names("queue"))
    bad = runner.invoke(main, [*args, "--plot", "nope", "--out", str(tmp_path / "other")])
    assert bad.exit_code == 2 and "unknown queue KPI 'nope'; allowed: offered" in bad.output
    bad = runner.invoke(main, [*args, "--plot", "asa"])
    assert bad.exit_code == 2 and "--plot draws into the --out folder: give --out DIR too" in bad.output
    bad = runner.invoke(main, [*args, "--queue", "nope"])
    assert bad.exit_code == 2 and "unknown queue 'nope'; queues: calls, ALL" in bad.output
