"""mkdocs hooks, at build time: the scenario page from the JSON Schema, the KPI glossary from the KPI
registry and the CLI page from `ccsim --help`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schema_doc import SCHEMA_PATH, schema_markdown  # noqa: E402

_HELP_WIDTH = 100   # characters a help text is wrapped at


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Replace the page's `<!-- schema -->`, `<!-- kpi-glossary -->` and `<!-- cli-help -->` marks by
    their generated text."""
    if "<!-- kpi-glossary -->" in markdown:
        from ccsim.kpis.registry import glossary_markdown

        markdown = markdown.replace("<!-- kpi-glossary -->", glossary_markdown().rstrip("\n"))
    if "<!-- schema -->" in markdown:
        markdown = markdown.replace("<!-- schema -->", schema_markdown(json.loads(SCHEMA_PATH.read_text())))
    if "<!-- cli-help -->" in markdown:
        markdown = markdown.replace("<!-- cli-help -->", cli_markdown())
    return markdown


def cli_markdown() -> str:
    """A section per command: `ccsim --help`, then `ccsim COMMAND --help` for each command."""
    from ccsim.cli import main

    width = {"terminal_width": _HELP_WIDTH, "max_content_width": _HELP_WIDTH, "resilient_parsing": True}
    with main.make_context("ccsim", [], **width) as ctx:   # make_context: the group's context_settings (-h)
        sections = [("ccsim", main.get_help(ctx))]
        for name in main.list_commands(ctx):
            command = main.get_command(ctx, name)
            with command.make_context(name, [], parent=ctx, **width) as sub:
                sections.append((f"ccsim {name}", command.get_help(sub)))
    return "\n\n".join(f"## `{title}`\n\n```text\n{text}\n```" for title, text in sections)
