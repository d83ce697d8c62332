"""Check that every command and number in README.md matches a fresh run; --update rewrites them.

    python tools/readme_check.py [--update] [README.md]

The README ties what it shows to the command that produces it in three ways:

- A ```console block: every `$ COMMAND` line is run with bash, and the lines under it must match
  the command's fresh output (stdout and stderr). A line `...` stands for any number of lines; a
  line ending in `...` matches a line that starts with the text before it. A command with no lines
  under it need only succeed. `console exit=2` in the fence runs commands expected to fail with 2.
- `<!-- readme-check file PATH -->` before a fenced block: the block is saved as PATH first,
  so later commands can use it as a reader who saved it would.
- `<!-- readme-check json NAME: COMMAND -->` runs COMMAND and binds its JSON output to NAME;
  `<!-- readme-check value EXPR -->VALUE` says the number VALUE written right after the comment
  is `str(EXPR)`, a Python expression over those names (an f-string to format it; `find(rows,
  key=value, ...)` picks the first matching row of a JSON list).

Commands run in a scratch copy of the repository (so they write nowhere in it) with this Python's
`ccsim` first on PATH and a fixed 160-column width. Any difference fails the check, naming the
README line, what it shows and the fresh value; `--update` writes the fresh values in place.
"""

from __future__ import annotations

import argparse
import builtins
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ELLIPSIS = "..."
MARK = re.compile(r"(?<!`)<!--\s*readme-check\s+(file|json|value)\s+(.*?)\s*-->")  # not `quoted`
FENCE = re.compile(r"^(\s*)```(\S*)(.*)$")
VALUE = re.compile(r"[-+−]?\d[\d,]*(?:\.\d+)?")
COMMAND_TIMEOUT_S = 900

# run(command, cwd) -> (exit status, stdout, stderr)
Runner = Callable[[str, Path], "tuple[int, str, str]"]


@dataclass
class Command:
    """One `$ COMMAND` line of a console block and the output lines the README shows under it."""
    line: int                       # 0-based index of the `$` line in the README
    text: str
    expect_exit: int
    indent: str = ""                # the fence's indentation (a block inside a list item)
    shown: list[str] = field(default_factory=list)


@dataclass
class Problem:
    line: int                       # 0-based
    what: str
    readme: str = ""
    fresh: str = ""
    fixable: bool = True            # --update can write the fresh value in

    def render(self, name: str) -> str:
        text = f"{name}:{self.line + 1}: {self.what}"
        if self.readme or self.fresh:
            text += f"\n  README: {self.readme}\n  fresh:  {self.fresh}"
        return text


# --- parsing --------------------------------------------------------------------------------------

def parse_console(lines: list[str]) -> tuple[list[Command], dict[str, str], list[Problem]]:
    """The console commands, the files to save (path -> text) and misplaced marks, in README order."""
    commands: list[Command] = []
    files: dict[str, str] = {}
    problems: list[Problem] = []
    pending_file: str | None = None
    i = 0
    while i < len(lines):
        mark = MARK.search(lines[i])
        if mark and mark.group(1) == "file":
            pending_file = mark.group(2)
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        indent, info, rest = fence.groups()
        end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), len(lines))
        body = [line[len(indent):] if line.startswith(indent) else line.lstrip() for line in lines[i + 1:end]]
        if pending_file is not None:
            files[pending_file] = "\n".join(body) + "\n"
            pending_file = None
        if info == "console":
            exit_mark = re.search(r"\bexit=(\d+)", rest)
            expect_exit = int(exit_mark.group(1)) if exit_mark else 0
            for offset, line in enumerate(body):
                index = i + 1 + offset
                if line.startswith("$ "):
                    commands.append(Command(index, line[2:].strip(), expect_exit, indent))
                elif commands and commands[-1].line > i:
                    commands[-1].shown.append(line.rstrip())
                elif line.strip():
                    problems.append(Problem(index, "output line before any `$ command` in a console block",
                                            fixable=False))
        i = end + 1
    return commands, files, problems


# --- matching output ------------------------------------------------------------------------------

def line_matches(shown: str, fresh: str) -> bool:
    """Equal after trailing spaces, or `shown` ends in `...` and `fresh` starts with the text before it."""
    shown, fresh = shown.rstrip(), fresh.rstrip()
    if shown.endswith(ELLIPSIS) and shown != ELLIPSIS:
        return fresh.startswith(shown[: -len(ELLIPSIS)].rstrip())
    return shown == fresh


def updated_line(shown: str, fresh: str) -> str:
    """`fresh`, cut as `shown` is when `shown` elides the end of its line."""
    if shown.rstrip().endswith(ELLIPSIS) and shown.strip() != ELLIPSIS:
        prefix = shown.rstrip()[: -len(ELLIPSIS)].rstrip()
        return fresh[: len(prefix)] + shown.rstrip()[len(prefix):]
    return fresh.rstrip()


def fit(shown: list[str], segment: list[int], fresh: list[str], start: int) -> tuple[int, float]:
    """How well the shown lines `segment` fit the output from line `start`: exact matches, then likeness."""
    pairs = [(shown[k], fresh[start + n]) for n, k in enumerate(segment) if start + n < len(fresh)]
    exact = sum(line_matches(a, b) for a, b in pairs)
    return exact, sum(difflib.SequenceMatcher(None, a.rstrip(), b.rstrip()).ratio() for a, b in pairs)


def align(shown: list[str], fresh: list[str]) -> tuple[dict[int, int | None], list[str]]:
    """Map each shown line (not `...`) to the index of its fresh line (None: beyond the output).

    Shown lines between `...` lines form segments. The first segment is pinned to the start of the
    output and the last to its end unless a `...` opens or closes the block; any other segment sits
    where its lines fit best, so a changed number is reported where it is, not as a missing line. Returns the mapping and messages about the block as a whole.
    """
    segments: list[list[int]] = [[]]
    for k, line in enumerate(shown):
        if line.strip() == ELLIPSIS:
            segments.append([])
        else:
            segments[-1].append(k)
    first, last = 0, len(segments) - 1
    mapping: dict[int, int | None] = {}
    messages: list[str] = []
    if len(segments) == 1 and len(fresh) != len(shown):
        messages.append(f"the output has {len(fresh)} lines, the README shows {len(shown)} and no `...`")
    position = 0
    for s, segment in enumerate(segments):
        if not segment:
            continue
        if s == first:
            anchor = 0
        elif s == last:
            anchor = max(position, len(fresh) - len(segment))
        else:
            candidates = range(position, max(position, len(fresh) - len(segment)) + 1)
            anchor = max(candidates, key=lambda j: (*fit(shown, segment, fresh, j), -j))
        for n, k in enumerate(segment):
            mapping[k] = anchor + n if anchor + n < len(fresh) else None
        position = anchor + len(segment)
    return mapping, messages


def compare_output(command: Command, fresh_text: str) -> tuple[list[Problem], list[str]]:
    """Differences between the shown and the fresh output, and the shown lines updated to it."""
    fresh = fresh_text.rstrip("\n").split("\n") if fresh_text.strip() else []
    if all(line.strip() == ELLIPSIS for line in command.shown):
        return [], list(command.shown)
    mapping, messages = align(command.shown, fresh)
    problems = [Problem(command.line, f"`{command.text}`: {message}") for message in messages]
    updated = list(command.shown)
    for k, j in mapping.items():
        line = command.line + 1 + k
        if j is None:
            problems.append(Problem(line, "the fresh output ends before this line", command.shown[k], "(nothing)"))
            updated[k] = None
        elif not line_matches(command.shown[k], fresh[j]):
            problems.append(Problem(line, f"`{command.text}` prints otherwise", command.shown[k].rstrip(),
                                    fresh[j].rstrip()))
            updated[k] = updated_line(command.shown[k], fresh[j])
    if messages and len(mapping) == len(command.shown):     # no `...`: show the whole fresh output
        updated = [line.rstrip() for line in fresh]
    return problems, [line for line in updated if line is not None]


# --- values in prose -----------------------------------------------------------------------------

def find(rows: list[dict], **fields: object) -> dict:
    """The first row (a JSON object) whose `fields` have the given values."""
    return next(row for row in rows if all(row.get(key) == value for key, value in fields.items()))


SAFE_BUILTINS = {name: getattr(builtins, name)
                 for name in ("abs", "all", "any", "len", "max", "min", "next", "round", "sorted", "sum")}
EXPRESSION_HELPERS = {"__builtins__": SAFE_BUILTINS, "find": find}


def check_values(lines: list[str], names: dict[str, object]) -> tuple[list[Problem], list[str]]:
    """Problems with `value` marks, and the README lines with fresh values written in."""
    problems: list[Problem] = []
    out = list(lines)
    for i, line in enumerate(lines):
        pieces: list[str] = []
        cursor = 0
        for mark in MARK.finditer(line):
            if mark.group(1) != "value":
                continue
            expression = mark.group(2)
            value = VALUE.match(line, mark.end())
            shown = value.group(0) if value else ""
            try:
                # The README's own expressions; names are globals so comprehensions see them.
                fresh = str(eval(expression, {**EXPRESSION_HELPERS, **names}))  # noqa: S307
            except Exception as exc:  # noqa: BLE001 -- any failure of the expression is reported, not raised
                problems.append(Problem(i, f"value `{expression}` fails: {type(exc).__name__}: {exc}",
                                        fixable=False))
                continue
            if shown != fresh:
                context = MARK.sub("", line[:mark.start()])[-50:].lstrip()
                problems.append(Problem(i, f"value `{expression}` after “{context}”",
                                        shown or "(no number after the mark)", fresh))
                pieces.append(line[cursor:mark.end()] + fresh)
                cursor = value.end() if value else mark.end()
        out[i] = "".join(pieces) + line[cursor:]
    return problems, out


# --- running --------------------------------------------------------------------------------------

def run_in_shell(command: str, cwd: Path) -> tuple[int, str, str]:
    """Run `command` with bash as a reader would: this Python's scripts first on PATH, 160 columns."""
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}", COLUMNS="160",
               NO_COLOR="1")
    try:
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT_S, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return -1, "", f"timed out after {COMMAND_TIMEOUT_S} s"
    return done.returncode, done.stdout, done.stderr


def check(text: str, workdir: Path, run: Runner = run_in_shell,
          log: Callable[[str], None] = lambda _: None) -> tuple[list[Problem], str]:
    """Run the README's commands in `workdir`; its problems and the README text updated to the fresh output."""
    lines = text.split("\n")
    commands, files, problems = parse_console(lines)
    for relative, content in files.items():
        path = workdir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    replacements: dict[int, list[str]] = {}
    for command in commands:
        started = time.monotonic()
        status, out, err = run(command.text, workdir)
        log(f"{time.monotonic() - started:6.1f} s  $ {command.text}")
        if status != command.expect_exit:
            problems.append(Problem(command.line, f"`{command.text}` exits with {status}, expected "
                                    f"{command.expect_exit}", "", (err or out).strip()[-2000:], fixable=False))
            continue
        found, updated = compare_output(command, (out + err).replace(f"{workdir}{os.sep}", ""))
        problems += found
        replacements[command.line] = updated
    names: dict[str, object] = {}
    for i, line in enumerate(lines):
        for mark in MARK.finditer(line):
            if mark.group(1) != "json":
                continue
            name, _, command = mark.group(2).partition(":")
            started = time.monotonic()
            status, out, err = run(command.strip(), workdir)
            log(f"{time.monotonic() - started:6.1f} s  $ {command.strip()}")
            try:
                if status != 0:
                    raise ValueError(f"exit {status}: {err.strip()[-500:]}")
                names[name.strip()] = json.loads(out)
            except ValueError as exc:
                problems.append(Problem(i, f"json `{name.strip()}` from `{command.strip()}` fails: {exc}",
                                        fixable=False))
    value_problems, lines = check_values(lines, names)
    problems += value_problems
    for command in sorted(commands, key=lambda c: c.line, reverse=True):
        if command.line in replacements:
            lines[command.line + 1: command.line + 1 + len(command.shown)] = [
                (command.indent + line).rstrip() for line in replacements[command.line]]
    return sorted(problems, key=lambda p: p.line), "\n".join(lines)


def scratch_copy(destination: Path) -> None:
    """Copy the repository's files (tracked or not ignored) into `destination`."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True)
    if listed.returncode == 0:
        for relative in filter(None, listed.stdout.split("\0")):
            source = ROOT / relative
            if source.is_file():
                (destination / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination / relative)
    else:
        shutil.copytree(ROOT, destination, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.egg-info"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("readme", nargs="?", type=Path, default=ROOT / "README.md")
    parser.add_argument("--update", action="store_true", help="write the fresh output and values into the README")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="readme-check-") as scratch:
        scratch_copy(Path(scratch))
        problems, updated = check(args.readme.read_text(), Path(scratch),
                                  log=lambda line: print(line, file=sys.stderr, flush=True))
    name = args.readme.name
    for problem in problems:
        print(problem.render(name))
    elapsed = f"{time.monotonic() - started:.0f} s"
    if args.update:
        if updated != args.readme.read_text():
            args.readme.write_text(updated)
        stuck = [problem for problem in problems if not problem.fixable]
        print(f"{name}: {len(problems) - len(stuck)} differences written in, {len(stuck)} left to fix by hand "
              f"({elapsed})")
        return 1 if stuck else 0
    print(f"{name}: {'ok' if not problems else f'{len(problems)} differences'} ({elapsed})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
