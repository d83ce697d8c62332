"""Output folders and the command line around them: `--out` checked before any simulation, a
folder replaced whole (never one holding files ccsim did not write), the umask honoured, Ctrl-C
exits 130 with nothing half-written, seeds must be >= 0, `--set` overrides are reported, and
help starts without the numeric stack."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ccsim.atomic import MARKER, OutputError, check_out_dir
from ccsim.cli import main
from tests.badinput.cli import TIMEOUT_S, assert_clean_error, run_cli
from tests.conftest import BASE_YAML

PILOT_YAML = BASE_YAML + """\
pilot:
  share: 0.5
"""
LONG_YAML = """\
name: long
horizon: {start: "00:00", end: "23:30", days: 20}
interval: 30m
queues:
  billing:
    arrivals: {per_hour: 600}
    handle_time: {dist: exponential, mean: 180}
    patience: {dist: exponential, mean: 120}
agent_groups:
  g:
    skills: [billing]
    staff: 32
"""
HEAVY_MODULES = ("numpy", "pandas", "scipy", "matplotlib")


def command_args(command: str, scenario: Path) -> list[object]:
    """The quickest form of `command` on `scenario`."""
    return {"run": ["run", scenario, "-r", 2], "compare": ["compare", scenario, scenario, "-r", 2],
            "staff": ["staff", scenario]}[command]


def entries(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


# --- --out that cannot be written: refused before simulating ---------------------------------

def _under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("mine")
    return tmp_path / "notes.txt" / "out"


def _a_file(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("mine")
    return tmp_path / "notes.txt"


def _a_folder_of_mine(tmp_path: Path) -> Path:
    (tmp_path / "thesis").mkdir()
    (tmp_path / "thesis" / "chapter1.tex").write_text("mine")
    return tmp_path / "thesis"


UNWRITABLE = {
    "under a file": (_under_a_file, "is not a folder"),
    "under /proc": (lambda tmp_path: Path("/proc/ccsim-out"), "cannot create a folder in /proc"),
    "an existing file": (_a_file, "is a file"),
    "a folder ccsim did not write": (_a_folder_of_mine, "files ccsim did not write"),
}


@pytest.mark.parametrize("command", ["run", "compare", "staff"])
@pytest.mark.parametrize("case", list(UNWRITABLE))
def test_out_that_cannot_be_written_is_refused_before_simulating(tmp_path, write_scenario, command, case):
    if case == "under /proc" and not Path("/proc/self").is_dir():
        pytest.skip("no /proc on this system")
    scenario = write_scenario()
    make, reason = UNWRITABLE[case]
    out = make(tmp_path)
    before = entries(tmp_path)
    result = run_cli(*command_args(command, scenario), "--out", out)
    assert_clean_error(result, "--out", reason)
    assert result.stdout == ""                     # no KPI table: nothing was simulated
    assert entries(tmp_path) == before             # no temporary folder left behind
    if case == "a folder ccsim did not write":
        assert (out / "chapter1.tex").read_text() == "mine"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_out_in_a_read_only_folder_is_refused(tmp_path, write_scenario):
    scenario = write_scenario()
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    try:
        assert_clean_error(run_cli("run", scenario, "-r", 2, "--out", locked / "out"), "--out", "cannot create a folder")
    finally:
        locked.chmod(0o755)


def test_check_out_dir_accepts_new_empty_and_own_folders_and_refuses_others(tmp_path):
    assert check_out_dir(tmp_path / "new" / "deeper") == tmp_path / "new" / "deeper"
    assert check_out_dir(tmp_path) == tmp_path                         # empty
    (tmp_path / "a.csv").write_text("x")
    with pytest.raises(OutputError, match="files ccsim did not write"):
        check_out_dir(tmp_path)
    (tmp_path / MARKER).write_text("")
    assert check_out_dir(tmp_path) == tmp_path


def test_the_current_folder_is_never_swapped_away(tmp_path, write_scenario, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.chdir(tmp_path / "empty")
    for out in (".", "..", str(tmp_path / "empty")):
        with pytest.raises(OutputError, match="current folder"):
            check_out_dir(out)
    assert_clean_error(run_cli("staff", write_scenario(), "--out", ".", cwd=tmp_path / "empty"), "--out .",
                       "current folder")
    assert entries(tmp_path / "empty") == set()


# --- a folder holds exactly one run's files ---------------------------------------------------

def test_rerun_replaces_the_folder_whole(tmp_path, write_scenario):
    out = tmp_path / "out"
    first = run_cli("run", write_scenario(PILOT_YAML), "-r", 2, "--out", out)
    assert first.returncode == 0, first.stderr
    assert {"pilot.csv", MARKER} <= entries(out)
    second = run_cli("run", write_scenario(BASE_YAML, "plain.yml"), "-r", 2, "--out", out)
    assert second.returncode == 0, second.stderr
    assert "pilot.csv" not in entries(out)         # the earlier run's file is gone
    assert json.loads((out / "summary.json").read_text())["scenario"] == "test"
    assert entries(tmp_path) == {"out", "scenario.yml", "plain.yml"}


def test_an_empty_existing_folder_is_used(tmp_path, write_scenario):
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli("staff", write_scenario(), "--out", out)
    assert result.returncode == 0, result.stderr
    assert {MARKER, "staffing.csv", "scenario_staffed.yml"} <= entries(out)


@pytest.mark.parametrize("umask, file_mode, dir_mode", [(0o027, 0o640, 0o750), (0o002, 0o664, 0o775)])
def test_files_and_folders_honour_the_umask(tmp_path, write_scenario, umask, file_mode, dir_mode):
    scenario = write_scenario()
    previous = os.umask(umask)
    try:
        result = run_cli("compare", scenario, scenario, "-r", 2, "--out", tmp_path / "out")
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert out.stat().st_mode & 0o777 == dir_mode
    paths = list(out.rglob("*"))
    assert any(p.suffix == ".png" for p in paths) and any(p.is_dir() for p in paths)
    for path in paths:
        assert path.stat().st_mode & 0o777 == (dir_mode if path.is_dir() else file_mode), path


@pytest.mark.parametrize("error, status, message", [
    (KeyboardInterrupt(), 130, "interrupted"),
    (OSError(28, "No space left on device", "kpis.csv"), 2, "No space left on device: kpis.csv"),
])
def test_a_write_that_fails_leaves_the_old_folder_intact(tmp_path, write_scenario, monkeypatch, error, status, message):
    import ccsim.report.export as export

    scenario = write_scenario()
    out = tmp_path / "out"
    assert invoke("run", scenario, "-r", 2, "--out", out).exit_code == 0
    old = {p.name: p.read_bytes() for p in out.iterdir()}

    def half_written(res, folder, *args, **kwargs):
        (folder / "kpis.csv").write_text("half")
        raise error

    monkeypatch.setattr(export, "_write_run", half_written)
    result = invoke("run", scenario, "-r", 2, "--out", out, "--seed", 9)
    assert result.exit_code == status
    assert result.stderr.strip().splitlines()[-1] == (message if status == 130 else f"error: {message}")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == old
    assert entries(tmp_path) == {"out", "scenario.yml"}


def test_write_outputs_refuses_a_folder_of_the_users_own(tmp_path, write_scenario):
    import ccsim
    from ccsim.report.export import write_outputs

    res = ccsim.simulate(ccsim.load_scenario(write_scenario()), replications=2, seed=1)
    (tmp_path / "mine.txt").write_text("mine")
    with pytest.raises(OutputError, match="did not write"):
        write_outputs(res, tmp_path)
    assert entries(tmp_path) == {"mine.txt", "scenario.yml"}


# --- Ctrl-C ----------------------------------------------------------------------------------

def _wait_until_simulating(process: subprocess.Popen) -> None:
    """Wait until the command runs (numpy is loaded only inside a command), or fail."""
    maps = Path(f"/proc/{process.pid}/maps")
    deadline = time.monotonic() + TIMEOUT_S          # a guard against hangs, not a timing assertion
    while "_multiarray_umath" not in maps.read_text():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command did not start"
        time.sleep(0.05)


def _default_sigint() -> None:
    """A terminal's default for Ctrl-C: test runners and background jobs may start with it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the command start")
@pytest.mark.parametrize("command", ["run", "compare"])
def test_ctrl_c_exits_130_with_one_line_and_leaves_the_folder_as_it_was(tmp_path, write_scenario, command):
    out = tmp_path / "out"
    assert run_cli("staff", write_scenario(), "--out", out).returncode == 0
    old = entries(out)
    scenario = write_scenario(LONG_YAML, "long.yml")
    args = {"run": ["run", scenario], "compare": ["compare", scenario, scenario]}[command]
    process = subprocess.Popen([sys.executable, "-m", "ccsim", *map(str, [*args, "-r", 20, "--out", out])],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=_default_sigint)
    try:
        _wait_until_simulating(process)
        os.killpg(process.pid, signal.SIGINT)         # as a terminal's Ctrl-C: the whole process group
        stdout, stderr = process.communicate(timeout=TIMEOUT_S)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and stderr.strip() == "interrupted"
    assert entries(out) == old
    assert entries(tmp_path) == {"out", "scenario.yml", "long.yml"}


# --- seeds, overrides, help ----------------------------------------------------------------------

@pytest.mark.parametrize("command", ["run", "compare", "staff"])
@pytest.mark.parametrize("seed", ["-1", str(2**63)])
def test_a_seed_outside_0_to_2_63_is_refused(write_scenario, command, seed):
    result = run_cli(*command_args(command, write_scenario()), "--seed", seed)
    assert_clean_error(result, "--seed", seed, "0<=x<=9223372036854775807")


def test_set_overrides_appear_in_the_title_json_and_report(tmp_path, write_scenario):
    scenario = write_scenario()
    sets = ["--set", "agent_groups.generalists.staff=7", "--set", "queues.tech.handle_time.cv=0.5"]
    table = run_cli("run", scenario, "-r", 2, *sets, "--out", tmp_path / "out")
    assert table.returncode == 0, table.stderr
    assert "test, with agent_groups.generalists.staff=7, queues.tech.handle_time.cv=0.5 — 2 replications" in table.stdout
    expected = {"agent_groups.generalists.staff": 7, "queues.tech.handle_time.cv": 0.5}
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["overrides"] == expected
    assert "overrides: agent_groups.generalists.staff=7, queues.tech.handle_time.cv=0.5" in (
        tmp_path / "out" / "report.html").read_text()
    data = json.loads(run_cli("run", scenario, "-r", 2, *sets, "-f", "json").stdout)
    assert data["overrides"] == expected
    assert json.loads(run_cli("run", scenario, "-r", 2, "-f", "json").stdout)["overrides"] == {}


OWNED_ELSEWHERE = {"erlang"}       # its options are audited with that command


def test_every_option_has_help():
    missing = [f"{name} {param.opts[0]}" for name, command in main.commands.items() if name not in OWNED_ELSEWHERE
               for param in command.params if isinstance(param, click.Option) and not param.help]
    assert missing == []


@pytest.mark.parametrize("code", ["import ccsim", "import ccsim.cli", "import ccsim.atomic"])
def test_importing_the_package_and_the_cli_loads_no_numeric_stack(code):
    loaded = subprocess.run([sys.executable, "-c", f"{code}; import sys; print(sorted(sys.modules))"],
                            capture_output=True, text=True, timeout=TIMEOUT_S, check=True).stdout
    modules = set(eval(loaded))
    assert modules.isdisjoint(HEAVY_MODULES), modules & set(HEAVY_MODULES)


@pytest.mark.parametrize("args", [["--help"], ["run", "--help"], ["validate", "--help"]])
def test_help_loads_no_numeric_stack(args):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "ccsim", *args], capture_output=True,
                            text=True, timeout=TIMEOUT_S)
    assert result.returncode == 0 and "Usage" in result.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "ccsim.cli" in imported
    assert imported.isdisjoint(HEAVY_MODULES), imported & set(HEAVY_MODULES)


def test_public_names_load_on_first_use():
    import ccsim

    assert callable(ccsim.simulate) and callable(ccsim.compare) and callable(ccsim.staff)
    assert ccsim.erlang.__name__ == "ccsim.erlang"
    assert set(ccsim.__all__) <= set(dir(ccsim))
    with pytest.raises(AttributeError, match="no_such_name"):
        ccsim.no_such_name  # noqa: B018
