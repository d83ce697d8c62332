"""Atomic writes of files and of whole output folders: readers see the old file (folder) or the
whole new one, never a part; files and folders get the permissions the user's umask allows."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from ccsim.errors import CcsimError

MARKER = ".ccsim-output"        # in every output folder ccsim writes; a folder without it is never replaced


class OutputError(CcsimError):
    """An output location that cannot be written, or that holds files ccsim must not replace."""


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path | str, write: Callable[[IO[Any]], None], binary: bool = False) -> None:
    """Write a file (text, or bytes with `binary`) so that readers see the old file or the whole
    new one, never a part; its mode is 0666 less the umask, as `open` would give."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            write(handle)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def nearest_existing(path: Path) -> Path:
    """`path`, or its nearest parent that exists."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_out_dir(path: Path | str, option: str = "output folder") -> Path:
    """The absolute output folder `path` if ccsim can write it there; raises OutputError naming
    `option` (the CLI passes "--out"), `path` and the reason otherwise. Call it before long work
    so that no result is lost.

    Refused: an existing file, a folder that is not empty and holds no `.ccsim-output` marker
    (files ccsim did not write), the current folder or one holding it (it would be swapped
    away), and a place where no folder can be created (under a file, a read-only or special
    file system, no permission)."""
    out = Path(os.path.abspath(path))
    where = f"{option} {path}"
    if out.is_symlink() or out.exists():
        out = out.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{where}: exists and is not a folder; give a new or empty folder")
    if Path.cwd().resolve().is_relative_to(out):
        raise OutputError(f"{where}: is the current folder or holds it; give a folder beside or below it")
    if out.is_dir() and not (out / MARKER).exists() and any(out.iterdir()):
        raise OutputError(f"{where}: the folder holds files ccsim did not write (no {MARKER} marker); "
                          "give a new or empty folder, or remove its files first")
    base = nearest_existing(out.parent)
    if not base.is_dir():
        raise OutputError(f"{where}: {base} is not a folder")
    try:
        probe = tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".probe", dir=base)
    except OSError as exc:
        raise OutputError(f"{where}: cannot create a folder in {base}: {exc.strerror or exc}") from None
    os.rmdir(probe)
    return out


@contextmanager
def output_folder(path: Path | str, option: str = "output folder") -> Iterator[Path]:
    """A fresh folder to write one run's files into, swapped in whole for `path` on success.

    The files go into a temporary sibling folder; at the end the old folder (if any) is renamed
    aside, the new one renamed to `path`, and the old one deleted, so `path` always holds exactly
    one run's files. On any exception (Ctrl-C too) the temporary folder is removed and `path` is
    left as it was. `path` is first checked with `check_out_dir`."""
    out = check_out_dir(path, option)
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
    try:
        os.chmod(fresh, 0o777 & ~_umask())
        yield fresh
        (fresh / MARKER).write_text("written by ccsim; the whole folder is replaced by the next run\n")
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
            os.replace(out, old)
        try:
            os.replace(fresh, out)
        except BaseException:
            if old is not None:
                os.replace(old, out)
            raise
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
