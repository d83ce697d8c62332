"""ccsim serve over HTTP: the form, its validation next to each field, the served folder as the
only place read or written, refusals with the estimate, comparisons off the request thread, and
the saved variant as a scenario file that `ccsim validate` accepts."""

from __future__ import annotations

import html
import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.badinput.cli import assert_clean_error, run_cli

pytest.importorskip("starlette", reason="the web app needs its extra: pip install -e '.[serve]'")

ROOT = Path(__file__).resolve().parents[1]
SMALL = """\
name: Small desk
horizon: {start: "08:00", end: "10:00", days: 1}
interval: 30m
seed: 11
replications: 3
queues:
  calls:
    arrivals: {per_interval: [30, 40, 40, 30]}
    handle_time: {dist: exponential, mean: 3m}
    patience: {dist: exponential, mean: 2m}
    service_level: {threshold: 20s, target: 0.8}
  mail:
    channel: email
    arrivals: {per_interval: [5, 5, 5, 5]}
    handle_time: {dist: exponential, mean: 5m}
    service_level: {threshold: 4h, target: 0.9}
agent_groups:
  desk:
    skills: {calls: 1, mail: 2}
    staff: [5, 6, 6, 5]
    cost_per_hour: 30
"""
HUGE = SMALL.replace("name: Small desk", "name: Huge desk").replace("[30, 40, 40, 30]", "[30, 4e12, 40, 30]")
UNSTABLE = SMALL.replace("name: Small desk", "name: No patience").replace(
    "    patience: {dist: exponential, mean: 2m}\n", "")
WAIT_S = 180.0          # a guard against hangs, not a timing assertion


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`ccsim serve FOLDER` in a subprocess, and requests to it."""

    def __init__(self, folder: Path, workers: int = 1):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([sys.executable, "-m", "ccsim", "serve", str(folder), "--port",
                                         str(self.port), "-w", str(workers)], cwd=ROOT,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"ccsim serve did not start:\n{self.process.communicate()[0]}") from None
                time.sleep(0.2)

    def request(self, path: str, data: dict | list | None = None) -> tuple[int, str, str]:
        """(status, body, final URL) of GET `path`, or POST of the form `data`, redirects followed."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        try:
            with urllib.request.urlopen(self.url + path, data=body, timeout=60) as answer:
                return answer.status, answer.read().decode(), answer.url
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.url

    def get(self, path: str) -> str:
        status, body, _ = self.request(path)
        assert status == 200, body
        return body

    def wait(self, job_url: str) -> dict:
        """The job's progress once it is done or failed."""
        deadline = time.monotonic() + WAIT_S
        while True:
            state = json.loads(self.get(urllib.parse.urlsplit(job_url).path + "/progress"))
            if state["status"] in ("done", "failed") or time.monotonic() > deadline:
                return state
            time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def served_folder(tmp: Path) -> Path:
    folder = tmp / "what-ifs"
    folder.mkdir()
    for name in ("hotline.yml", "pilot_training.yml"):
        shutil.copy(ROOT / "scenarios" / name, folder / name)
    (folder / "small.yml").write_text(SMALL)
    (folder / "huge.yml").write_text(HUGE)
    (folder / "no_patience.yml").write_text(UNSTABLE)
    (folder / "longer.yml").write_text('extends: small.yml\nname: Longer desk\nhorizon: {start: "08:00", end: "11:00"}\n'
                                       "agent_groups.desk.staff: 6\nqueues.calls.arrivals.per_interval: [30, 40, 40, 30, "
                                       "20, 10]\nqueues.mail.arrivals.per_interval: [5, 5, 5, 5, 5, 5]\n")
    (tmp / "secret.yml").write_text("name: outside the served folder\n")
    (folder / "linked.yml").symlink_to(tmp / "secret.yml")      # inside by name, outside in truth
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = served_folder(tmp_path_factory.mktemp("serve"))
    running = Server(folder)
    yield running
    running.stop()


def error_of(page: str, field: str) -> str:
    found = re.search(rf'id="error-{re.escape(field)}">([^<]*)<', page)
    assert found, f"no error shown next to {field}"
    return html.unescape(found.group(1))


def small_form(**values: str) -> dict[str, str]:
    return {"baseline": "small.yml", "replications": "2", "seed": "11", "name": "Small what-if", **values}


def test_form_lists_the_folders_scenarios_and_the_baselines_levers(server):
    page = server.get("/?baseline=small.yml")
    options = re.findall(r"<option(?: selected)?>([^<]+)</option>", page)
    assert options == ["hotline.yml", "huge.yml", "longer.yml", "no_patience.yml", "pilot_training.yml", "small.yml"]
    for field in ("scale.desk", "agent_groups.desk.staff", "handle_time_factor", "fcr_change", "pilot.share",
                  "queues.calls.deflection", "callback.calls", "queues.mail.deflection", "replications", "seed"):
        assert f'name="{field}"' in page, field
    assert 'value="11"' in page           # the seed prefilled from the baseline


@pytest.mark.parametrize("path", ["/files/../../etc/passwd", "/files/%2e%2e/%2e%2e/etc/passwd",
                                  "/files/%2Fetc%2Fpasswd", "/files/linked.yml", "/files/..%2Fsecret.yml"])
def test_files_outside_the_served_folder_are_not_read(server, path):
    status, page, _ = server.request(path)
    assert status == 404
    assert "is not a scenario or data file of the served folder" in page
    assert "outside the served folder" not in page and "root:" not in page


def test_files_of_the_folder_are_read(server):
    assert server.get("/files/small.yml") == SMALL


@pytest.mark.parametrize("baseline", ["../secret.yml", "/etc/passwd", "linked.yml", "nothing.yml"])
def test_a_baseline_outside_the_folder_is_refused_next_to_the_field(server, baseline):
    status, page, _ = server.request("/run", small_form(baseline=baseline, handle_time_factor="0.9"))
    assert status == 400
    assert "is not a scenario of the served folder; choose one of hotline.yml, huge.yml, longer" in error_of(page,
                                                                                                      "baseline")


@pytest.mark.parametrize("field, value, message", [
    ("queues.calls.deflection", "2", "Input should be less than or equal to 1 (got 2)"),
    ("handle_time_factor", "-1", "Input should be greater than 0 (got -1)"),
    ("fcr_change", "1.5", "Input should be less than or equal to 1 (got 1.5)"),
    ("pilot.share", "1.5", "Input should be less than 1 (got 1.5)"),
    ("agent_groups.desk.staff", "[5, 6]", "has 2 values; the horizon has 4 intervals"),
    ("scale.desk", "lots", "expects a number >= 0 (1: unchanged), got 'lots'"),
    ("queues.calls.callback.offer_over", "soon", "soon"),
    ("replications", "1", "expects a whole number from 2 to 200, got 1"),
    ("seed", "x", "expects a whole number from 0 to"),
    ("variants", "../hotline.yml", "'../hotline.yml' is not a scenario of the served folder"),
])
def test_bad_form_values_are_shown_next_to_their_field(server, field, value, message):
    form = small_form(**{field: value})
    if field.startswith("queues.calls.callback"):
        form["callback.calls"] = "on"
    status, page, _ = server.request("/run", form)
    assert status == 400
    assert message in error_of(page, field)
    assert f'value="{value}"' in page or field == "variants"     # the form keeps what was typed


def test_a_form_without_a_change_says_so(server):
    status, page, _ = server.request("/run", small_form())
    assert status == 400 and "nothing to compare: change a lever or pick a saved variant" in page


def test_a_scenario_too_large_is_refused_with_the_estimate(server):
    status, page, _ = server.request("/run", small_form(baseline="huge.yml", handle_time_factor="0.9"))
    assert status == 400
    assert re.search(r"refused, too large: Huge desk: queues\.calls\.arrivals: about 8e\+12 contacts in 2 "
                     r"replications of 4 intervals: needs ~[\d.]+ PB of memory, this machine has [\d.]+ .B available",
                     page)


def test_an_unstable_scenario_is_refused_before_it_runs(server):
    status, page, _ = server.request("/run", small_form(baseline="no_patience.yml", **{"scale.desk": "0.2"}))
    assert status == 400
    assert re.search(r"refused, Small what-if: queues.calls: offered load 4.0 Erlangs at 08:30 meets or "
                     r"exceeds the 1 agents able to serve it and nobody abandons: the queue is unstable", page)


def test_comparisons_run_off_the_request_thread_and_side_by_side(server):
    """Two comparisons started back to back are both answered at once (303 to their page) while
    they simulate; each finishes with its own report."""
    first = server.request("/run", {**small_form(handle_time_factor="0.8"), "replications": "40"})
    second = server.request("/run", small_form(**{"scale.desk": "1.2"}))
    assert first[0] == second[0] == 200 and first[2] != second[2]
    state = json.loads(server.get(urllib.parse.urlsplit(first[2]).path + "/progress"))
    assert state["total"] == 80 and state["status"] in ("queued", "running", "done")
    assert server.wait(second[2])["status"] == "done"
    assert server.wait(first[2]) == {"status": "done", "done": 80, "total": 80, "error": None}
    page = server.get(urllib.parse.urlsplit(second[2]).path)
    assert '<section id="summary"><h2>Recommendation</h2>' in page and "Small what-if" in page


def test_the_saved_variant_extends_the_baseline_and_validates(server, tmp_path):
    _, _, job = server.request("/run", small_form(handle_time_factor="0.9", queue="calls", **{
        "queues.mail.deflection": "0.2", "callback.calls": "on", "scale.desk": "1.5"}))
    assert server.wait(job)["status"] == "done"
    path = urllib.parse.urlsplit(job).path
    status, page, _ = server.request(path + "/save", {"file_name": "../escaped"})
    assert "is not a plain file name" in error_of(page, "file_name")
    assert not (Path(server.process.args[4]).parent / "escaped.yml").exists()
    status, page, _ = server.request(path + "/save", {"file_name": "small_faster"})
    assert 'id="saved"> saved as small_faster.yml' in page
    saved = Path(server.process.args[4]) / "small_faster.yml"
    text = saved.read_text()
    assert "extends: small.yml\nname: Small what-if\nagent_groups:\n  desk:\n    staff:\n    - 8\n    - 9\n" in text
    assert "handle_time_factor:\n      calls: 0.9" in text and "deflection: 0.2" in text
    assert "callback:\n      offer_over: 60s\n      acceptance: 0.5\n      due: 1h" in text
    result = run_cli("validate", saved)
    assert result.returncode == 0 and "Small what-if" in result.stdout
    status, page, _ = server.request(path + "/save", {"file_name": "small_faster"})
    assert "small_faster.yml exists already; choose another name" in error_of(page, "file_name")
    with urllib.request.urlopen(server.url + path + "/download", timeout=60) as answer:
        archive = tmp_path / "comparison.zip"
        archive.write_bytes(answer.read())
    import zipfile

    names = zipfile.ZipFile(archive).namelist()
    assert {"variant.yml", "comparison/report.html", "comparison/comparison.csv"} <= set(names)
    assert zipfile.ZipFile(archive).read("variant.yml").decode() == text


def test_unknown_comparisons_are_not_found(server):
    status, page, _ = server.request("/jobs/0123")
    assert status == 404 and "no such comparison" in page


def test_serve_refuses_a_folder_that_does_not_exist(tmp_path):
    assert_clean_error(run_cli("serve", tmp_path / "missing", "--port", "1"), "is not a folder of scenarios")


def test_serve_without_its_extra_says_how_to_install_it(monkeypatch):
    from click.testing import CliRunner

    import ccsim.serve
    from ccsim.cli import main

    monkeypatch.setattr(ccsim.serve, "missing", lambda: "starlette")
    result = CliRunner().invoke(main, ["serve", "scenarios"])
    assert result.exit_code == 2
    assert "ccsim serve needs the 'starlette' package: pip install 'ccsim[serve]'" in result.output


def test_forms_from_other_sites_and_other_host_names_are_refused(server):
    form = urllib.parse.urlencode(small_form(handle_time_factor="0.9")).encode()
    for headers, message in (({"Origin": "http://evil.example"}, "forms are taken only from this app's own pages"),
                             ({"Host": "evil.example"}, "Invalid host header")):
        request = urllib.request.Request(server.url + "/run", data=form, headers=headers)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=60)
        assert refused.value.code in (400, 403) and message in refused.value.read().decode()


def test_scaling_a_group_staffed_by_shifts_scales_every_shifts_agents():
    from ccsim.scenario import load_scenario
    from ccsim.serve.levers import read_levers

    sc = load_scenario(ROOT / "scenarios" / "omnichannel.yml")
    before = [shift.count for shift in sc.agent_groups["voice_team"].shifts]
    levers = read_levers(sc, {"scale.voice_team": "1.5"})
    after = load_scenario(ROOT / "scenarios" / "omnichannel.yml", levers.overrides).agent_groups["voice_team"]
    assert before == [17, 16, 10, 12, 10] and [shift.count for shift in after.shifts] == [26, 24, 15, 18, 15]
    assert read_levers(sc, {"scale.voice_team": "0.01"}).errors == {
        "scale.voice_team": "leaves no agent in any shift of voice_team; use a larger factor"}


def test_a_comparison_that_fails_says_why_instead_of_spinning(server):
    status, page, job = server.request("/run", small_form(variants="longer.yml"))
    assert status in (200, 422)         # 422 when it failed before the redirect to its page arrived
    assert server.wait(job)["status"] == "failed"
    status, page, _ = server.request(urllib.parse.urlsplit(job).path)
    assert status == 422
    assert ("longer.yml: horizon.end: cannot be compared with the baseline small.yml (longer.yml): they differ in "
            "horizon.end 10:00 vs 11:00; paired differences need the same horizon") in html.unescape(page)
