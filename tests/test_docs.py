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

from ccsim.cli import main

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


def test_cli_page_has_the_help_of_every_command():
    page = hooks.cli_markdown()
    with click.Context(main, info_name="ccsim") as ctx:
        names = main.list_commands(ctx)
        assert {"run", "erlang", "validate"} <= set(names)
        for name in names:
            help_text = _section(page, f"`ccsim {name}`")
            assert f"Usage: ccsim {name} [OPTIONS]" in help_text
            assert main.get_command(ctx, name).get_short_help_str(limit=40)[:20] in " ".join(help_text.split())


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("mkdocs", "material", "mkdocstrings")),
                    reason="the docs extra is not installed (pip install -e '.[docs]')")
def test_site_builds_strictly(tmp_path):
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert out.returncode == 0, out.stderr
    api = (tmp_path / "site" / "api" / "index.html").read_text()
    assert 'id="ccsim.erlang.agents_for_service_level"' in api and 'id="ccsim.simulate.simulate"' in api
    assert 'id="queue"' in (tmp_path / "site" / "scenario" / "index.html").read_text()
