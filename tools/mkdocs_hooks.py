"""mkdocs hooks: the scenario page from the JSON Schema and the CLI page from `ccsim --help`, at build time."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from schema_doc import SCHEMA_PATH, schema_markdown  # noqa: E402

_HELP_WIDTH = 100   # characters a help text is wrapped at


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Replace the page's `<!-- schema -->` and `<!-- cli-help -->` marks by their generated text."""
    if "<!-- schema -->" in markdown:
        markdown = markdown.replace("<!-- schema -->", schema_markdown(json.loads(SCHEMA_PATH.read_text())))
    if "<!-- cli-help -->" in markdown:
        markdown = markdown.replace("<!-- cli-help -->", cli_markdown())
    return markdown


def cli_markdown() -> str:
    """A section per command: `ccsim --help`, then `ccsim COMMAND --help` for each command."""
    import click

    from ccsim.cli import main

    with click.Context(main, info_name="ccsim", terminal_width=_HELP_WIDTH, max_content_width=_HELP_WIDTH) as ctx:
        sections = [("ccsim", main.get_help(ctx))]
        for name in main.list_commands(ctx):
            command = main.get_command(ctx, name)
            with click.Context(command, info_name=name, parent=ctx, terminal_width=_HELP_WIDTH,
                               max_content_width=_HELP_WIDTH) as sub:
                sections.append((f"ccsim {name}", command.get_help(sub)))
    return "\n\n".join(f"## `{title}`\n\n```text\n{text}\n```" for title, text in sections)
