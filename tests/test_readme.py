"""The README checker itself, on small README snippets and a fake shell (the real README runs in
`make readme-check`)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "readme_check", Path(__file__).resolve().parents[1] / "tools" / "readme_check.py")
readme_check = importlib.util.module_from_spec(_SPEC)
sys.modules["readme_check"] = readme_check  # dataclasses look their module up there
_SPEC.loader.exec_module(readme_check)

ERLANG_OUTPUT = """\
Erlang C: 200 contacts/h × 180 s = 10.00 Erlangs
agents  service_level
    12          64.0%
    13          79.6%
    14          88.8%
"""


def fake_shell(outputs: dict[str, tuple[int, str]]):
    """A runner answering each command with its (exit status, stdout); unknown commands fail."""
    def run(command: str, cwd: Path) -> tuple[int, str, str]:
        status, out = outputs.get(command, (127, ""))
        return status, out, "" if command in outputs else f"{command}: not found"
    return run


def check(text: str, tmp_path: Path, outputs: dict[str, tuple[int, str]]):
    return readme_check.check(text, tmp_path, run=fake_shell(outputs))


def console(*lines: str, info: str = "console") -> str:
    return "\n".join([f"```{info}", *lines, "```", ""])


def test_a_wrong_number_is_flagged_with_the_readme_line_and_the_fresh_one(tmp_path):
    text = "# title\n" + console("$ erlang", *ERLANG_OUTPUT.replace("79.6%", "79.9%").splitlines())
    problems, updated = check(text, tmp_path, {"erlang": (0, ERLANG_OUTPUT)})
    assert len(problems) == 1
    rendered = problems[0].render("README.md")
    assert rendered.startswith("README.md:7: `erlang` prints otherwise")
    assert "README: " + "    13          79.9%" in rendered
    assert "fresh:  " + "    13          79.6%" in rendered
    assert updated == "# title\n" + console("$ erlang", *ERLANG_OUTPUT.splitlines())


def test_elided_lines_and_line_ends_match(tmp_path):
    text = console("$ erlang", "Erlang C: 200 contacts/h ...", "...", "    14          88.8%")
    assert check(text, tmp_path, {"erlang": (0, ERLANG_OUTPUT)}) == ([], text)


def test_a_changed_number_inside_an_elided_block_is_still_caught(tmp_path):
    text = console("$ erlang", "...", "    13          79.6%", "...")
    fresh = ERLANG_OUTPUT.replace("79.6%", "80.1%")
    problems, updated = check(text, tmp_path, {"erlang": (0, fresh)})
    assert [(p.readme, p.fresh) for p in problems] == [("    13          79.6%", "    13          80.1%")]
    assert updated == console("$ erlang", "...", "    13          80.1%", "...")


def test_output_longer_than_shown_without_an_ellipsis_fails(tmp_path):
    text = console("$ erlang", *ERLANG_OUTPUT.splitlines()[:3])
    problems, updated = check(text, tmp_path, {"erlang": (0, ERLANG_OUTPUT)})
    assert "the output has 5 lines, the README shows 3" in problems[0].what
    assert updated == console("$ erlang", *ERLANG_OUTPUT.splitlines())


def test_a_command_without_shown_output_must_succeed(tmp_path):
    text = console("$ ccsim validate missing.yml")
    problems, _ = check(text, tmp_path, {"ccsim validate missing.yml": (2, "")})
    assert "exits with 2, expected 0" in problems[0].what and not problems[0].fixable
    assert check(console("$ ok"), tmp_path, {"ok": (0, "anything\n")})[0] == []


def test_a_block_may_expect_a_failure(tmp_path):
    text = console("$ ccsim validate bad.yml", "error: bad.yml:3: seed: must be >= 0", info="console exit=2")
    outputs = {"ccsim validate bad.yml": (2, "error: bad.yml:3: seed: must be >= 0\n")}
    assert check(text, tmp_path, outputs)[0] == []


def test_a_prose_value_must_equal_its_expression_over_the_json_output(tmp_path):
    text = ("<!-- readme-check json staff: staff --json -->\n"
            "Simulation needs <!-- readme-check value sum(g['hours'] for g in staff) -->385 hours, "
            "<!-- readme-check value f\"{100 * (1 - 385 / 399):.1f}\" -->7% fewer.\n")
    outputs = {"staff --json": (0, '[{"hours": 300}, {"hours": 85}]')}
    problems, updated = check(text, tmp_path, outputs)
    assert [(p.readme, p.fresh) for p in problems] == [("7", "3.5")]
    assert "after “Simulation needs 385 hours, ”" in problems[0].what
    assert updated == text.replace("-->7%", "-->3.5%")
    outputs["staff --json"] = (0, '[{"hours": 300}, {"hours": 86}]')
    assert [(p.readme, p.fresh) for p in check(text, tmp_path, outputs)[0]] == [("385", "386"), ("7", "3.5")]


def test_a_marked_snippet_is_saved_before_the_commands_run(tmp_path):
    text = ("<!-- readme-check file scenarios/variant.yml -->\n" + console("extends: hotline.yml", info="yaml")
            + console("$ cat scenarios/variant.yml", "extends: hotline.yml"))
    problems, _ = readme_check.check(text, tmp_path, run=readme_check.run_in_shell)
    assert problems == []
    assert (tmp_path / "scenarios" / "variant.yml").read_text() == "extends: hotline.yml\n"


def test_an_indented_block_is_updated_in_place(tmp_path):
    text = "1. Run it:\n\n   ```console\n   $ erlang\n   ...\n       14          88.1%\n   ```\n"
    problems, updated = check(text, tmp_path, {"erlang": (0, ERLANG_OUTPUT)})
    assert [(p.line, p.readme, p.fresh) for p in problems] == [(5, "    14          88.1%", "    14          88.8%")]
    assert updated == text.replace("88.1%", "88.8%")


def test_marks_quoted_as_code_are_prose(tmp_path):
    text = "A mark reads `<!-- readme-check json NAME: COMMAND -->` or `<!-- readme-check value 1 -->2`.\n"
    assert check(text, tmp_path, {}) == ([], text)


@pytest.mark.parametrize(("shown", "fresh", "matches"), [
    ("│ 12 │ 44.9% ...", "│ 12 │ 44.9% │ 64.0% │", True),
    ("│ 12 │ 44.9% ...", "│ 12 │ 45.0% │ 64.0% │", False),
    ("total 385   ", "total 385", True),
    ("total 385", "total 3850", False),
])
def test_line_matching(shown, fresh, matches):
    assert readme_check.line_matches(shown, fresh) is matches
