"""The reference site's generated pages (scenario keys from the JSON Schema, CLI help) and, where
mkdocs is installed (`pip install -e '.[docs]'`), the strict build itself (CI runs `make docs`)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ccsim
from ccsim.cli import main
from ccsim.policies.registry import POLICIES
from tests.model.test_custom_policy import two_queues

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "tools" / "mkdocs_hooks.py")
hooks = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(hooks)

SCHEMA = json.loads(hooks.SCHEMA_PATH.read_text())


def _section(markdown: str, name: str) -> str:
    return markdown.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]


def test_scenario_page_has_every_definition_and_every_scenario_key():
    page = hooks.schema_markdown(SCHEMA)
    defs = [n for n in SCHEMA["$defs"] if not n.endswith("Override")]
    assert sorted(re.findall(r"^## (\w+)$", page, re.M)) == sorted(defs)
    for name in ("Scenario", "Queue", "AgentGroup"):
        keys = re.findall(r"^\| `(\w+)` \|", _section(page, name), re.M)
        assert keys == list(SCHEMA["$defs"][name]["properties"])
    assert "| `horizon` | [Horizon](#horizon) | **required** |" in page


def test_scenario_page_links_only_to_its_own_headings():
    page = hooks.schema_markdown(SCHEMA)
    headings = {h.lower() for h in re.findall(r"^## (\w+)$", page, re.M)}
    links = set(re.findall(r"\]\(#([^)]+)\)", page))
    assert "queue" in links and links <= headings


def test_cli_page_has_the_help_of_every_command_as_printed():
    page = hooks.cli_markdown()
    width = {"terminal_width": hooks._HELP_WIDTH, "max_content_width": hooks._HELP_WIDTH}
    with click.Context(main) as ctx:
        names = main.list_commands(ctx)
    assert {"run", "erlang", "validate", "compare"} <= set(names)
    for args in ([], *([name] for name in names)):
        printed = CliRunner().invoke(main, [*args, "--help"], prog_name="ccsim", **width).output
        assert f"```text\n{printed.rstrip()}\n```" in page


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("mkdocs", "material", "mkdocstrings")),
                    reason="the docs extra is not installed (pip install -e '.[docs]')")
def test_site_builds_strictly(tmp_path):
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert out.returncode == 0, out.stderr
    api = (tmp_path / "site" / "api.html").read_text()
    assert all(f'id="ccsim.{name}"' in api for name in ("simulate.simulate", "staffing.staff.staff", "erlang.erlang_a"))
    public = [n for n in ccsim.__all__ if callable(getattr(ccsim, n))]
    assert len(public) == 16 and [n for n in public if not re.search(rf'id="ccsim\.[\w.]*\.{n}"', api)] == []
    assert 'id="ccsim.report.plotting.ResultPlots.service_level"' in api
    assert 'id="queue"' in (tmp_path / "site" / "scenario.html").read_text()
    kpis = (tmp_path / "site" / "kpis.html").read_text()
    assert "<code>service_level</code></td>" in kpis and "<!-- kpi-glossary -->" not in kpis
    assert 'id="reports"' in (tmp_path / "site" / "outputs.html").read_text()


def test_readme_links_to_the_pages_its_reference_moved_to():
    readme = (ROOT / "README.md").read_text()
    for page, anchor in (("scenario.md", ""), ("kpis.md", "#contacts-table"), ("outputs.md", "#reports")):
        assert f"](docs/{page}{anchor})" in readme
        text = (ROOT / "docs" / page).read_text()
        assert not anchor or f"\n## {anchor[1:].replace('-', ' ').capitalize()}\n" in text


def test_api_page_policy_example_serves_the_first_priority_first():
    """The API page's example policy, run: at load 0.92 on 30 agents the priority-1 queue's mean ASA
    is near 10 s and the other's near 90 s (as in tests/model/test_custom_policy.py, same seed)."""
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(), re.S)
    example = next(b for b in blocks if "register_policy" in b)
    exec(compile(example, "api.md", "exec"), {})   # registers "first_idle_group"
    try:
        sc = two_queues("first_idle_group")
        asa_s = ccsim.simulate(sc, replications=10, seed=3).kpis["asa"]
    finally:
        POLICIES.unregister("first_idle_group")
    assert asa_s["urgent"] < 25 < 50 < asa_s["later"]


def test_every_scenario_key_has_a_description_stating_what_it_is():
    """Editors show these on hover, the Scenario-format page in its tables (`make schema` refreshes)."""
    bare = [f"{name}.{key}" for name, d in SCHEMA["$defs"].items() if not name.endswith("Override")
            for key, prop in d.get("properties", {}).items() if not prop.get("description")]
    assert not bare, f"keys without a description: {bare}"
    queue = SCHEMA["$defs"]["Queue"]["properties"]
    assert "seconds" in queue["handle_time"]["description"] and queue["handle_time"]["$ref"].endswith("Distribution")
    assert "seconds" in SCHEMA["$defs"]["ServiceLevel"]["properties"]["threshold"]["description"]
    assert "Description" in hooks.schema_markdown(SCHEMA).split("\n## Queue\n", 1)[1].split("\n## ")[0].title()
