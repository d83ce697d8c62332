"""Read a user's text file (a scenario, a CSV of volumes or samples) as UTF-8, and say which
file and line is at fault when it cannot be read."""

from __future__ import annotations

from pathlib import Path


class TextFileError(ValueError):
    """A file that cannot be read as text: `file`, `line` (1-based, where known) and `reason`."""

    def __init__(self, file: Path | str, reason: str, line: int | None = None):
        self.file, self.reason, self.line = str(file), reason, line
        super().__init__(f"{file}{'' if line is None else f':{line}'}: {reason}")


def read_text(path: Path | str) -> str:
    """The text of the file at `path`, decoded as UTF-8 (a leading byte-order mark is dropped)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise TextFileError(path, f"cannot read the file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TextFileError(path, f"not UTF-8 text (byte 0x{data[exc.start]:02x} cannot be decoded); "
                                  "save the file as UTF-8", line) from None
