"""ccsim serve in a real browser: the system Chromium, headless, driven over the DevTools
protocol (no browser download). It opens the app, changes levers, runs a comparison, reads the
summary, saves the variant and checks the numbers against `ccsim compare` on the same files."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.badinput.cli import run_cli
from tests.test_report import chromium
from tests.test_serve import ROOT, Server, free_port

pytest.importorskip("starlette", reason="the web app needs its extra: pip install -e '.[serve]'")
websocket = pytest.importorskip("websocket", reason="the browser test needs websocket-client (the dev extra)")

WAIT_S = 180.0          # a guard against hangs, not a timing assertion


class Browser:
    """Headless Chromium with one page, and JavaScript evaluated in it over the DevTools protocol."""

    def __init__(self, executable: str, url: str, profile: Path, size: tuple[int, int] = (1280, 900)):
        port = free_port()
        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             f"--remote-debugging-port={port}", f"--window-size={size[0]},{size[1]}", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
                    pages = [t for t in json.load(answer) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.close()
                raise AssertionError("Chromium did not open its DevTools port")
            time.sleep(0.2)
        self.socket = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=60,
                                                  suppress_origin=True)
        self.calls = 0

    def call(self, method: str, **params) -> dict:
        self.calls += 1
        self.socket.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.calls:
                assert "error" not in message, message
                return message["result"]

    def eval(self, expression: str):
        """The value of `expression` in the page (None while a new page loads)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return None if "exceptionDetails" in result else result["result"].get("value")

    def wait_for(self, expression: str):
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            value = self.eval(expression)
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"the page never had {expression}: {self.eval('document.body.innerText')!r}")

    def fill(self, values: dict[str, str]) -> None:
        for name, value in values.items():
            assert self.eval(f"(() => {{const e = document.querySelector('[name=\"{name}\"]'); "
                             f"e.value = {json.dumps(value)}; e.dispatchEvent(new Event('change')); "
                             "return true;})()"), name

    def screenshot(self, path: Path) -> None:
        import base64

        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"]))

    def close(self) -> None:
        if getattr(self, "socket", None) is not None:
            self.socket.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


SUMMARY_ROWS = ("[...document.querySelectorAll('#summary tbody tr')].map(tr => "
                "[...tr.querySelectorAll('td')].map(td => td.innerText.trim()))")
LEVERS = {"handle_time_factor": "0.85", "fcr_change": "0.05", "queue": "billing", "replications": "3",
          "name": "Billing training, every agent"}


def test_a_manager_changes_a_lever_and_reads_the_same_answer_as_ccsim_compare(tmp_path):
    executable = chromium()
    if executable is None:
        pytest.skip("Chromium not installed: apt-get install chromium to run the browser test")
    folder = tmp_path / "what-ifs"
    folder.mkdir()
    shutil.copy(ROOT / "scenarios" / "hotline.yml", folder / "hotline.yml")
    server = Server(folder, workers=2)
    browser = None
    try:
        browser = Browser(executable, server.url + "/", tmp_path / "profile")
        browser.wait_for("document.getElementById('run') !== null")
        browser.fill(LEVERS)
        browser.eval("document.getElementById('run').click()")
        headline = browser.wait_for("document.querySelector('#summary p.headline')?.innerText")
        rows = browser.eval(SUMMARY_ROWS)
        cost = browser.eval("document.getElementById('cost-benefit').innerText")
        browser.fill({"file_name": "billing_training"})
        browser.eval("document.getElementById('save').click()")
        assert "saved as billing_training.yml" in browser.wait_for("document.getElementById('saved')?.innerText")
    finally:
        if browser is not None:
            browser.close()
        server.stop()
    saved = folder / "billing_training.yml"
    checked = run_cli("validate", saved)
    assert checked.returncode == 0, checked.stderr
    compared = run_cli("compare", folder / "hotline.yml", saved, "-r", "3", "-f", "json", timeout=300)
    assert compared.returncode == 0, compared.stderr
    summary = json.loads(compared.stdout)["summary"]
    from ccsim.decision import headline as decision_headline
    from ccsim.report.answer import MEETS

    assert headline == decision_headline(summary)
    assert rows == [[s["scenario"], s["status"], "; ".join(c["text"] for c in s["checks"] if c["verdict"] != MEETS)
                     or "all met", s["objective"]["text"]] for s in summary["scenarios"]]
    assert [r[0] for r in rows] == ["Hotline baseline", "Billing training, every agent"]
    # the objective's numbers (total cost ± CI) are in the text, so the page and the CLI agree on them
    assert all(any(ch.isdigit() for ch in r[3]) for r in rows)
    # cost-benefit with its CIs: the same Δ total cost and saving per year as ccsim compare
    (row,) = json.loads(compared.stdout)["cost_benefit"]
    for key in ("total_cost_delta", "simulated_yearly_saving"):
        half = (row[f"{key}_ci_high"] - row[f"{key}_ci_low"]) / 2
        assert f"{round(row[key]):,} ±{round(half):,}" in cost, (key, cost)
