"""Run `ccsim` as a user does, in a subprocess with a timeout as the guard against hangs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TIMEOUT_S = 60          # a guard against hangs, not a timing assertion: a refusal takes well under a second


def run_cli(*args: object, cwd: Path | str | None = None, timeout: float = TIMEOUT_S,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`python -m ccsim ARGS...`; fails the test (no hang) if it does not finish within `timeout` seconds."""
    try:
        return subprocess.run([sys.executable, "-m", "ccsim", *map(str, args)], cwd=cwd, capture_output=True,
                              text=True, timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        raise AssertionError(f"ccsim {' '.join(map(str, args))} did not finish within {timeout} s") from None


def assert_clean_error(result: subprocess.CompletedProcess, *fragments: str, status: int = 2) -> None:
    """Exit `status`, no traceback, and every fragment (case-insensitive) in stderr."""
    stderr = result.stderr
    assert "Traceback" not in stderr and "Traceback" not in result.stdout, stderr
    assert result.returncode == status, f"exit {result.returncode}, stderr:\n{stderr}"
    for fragment in fragments:
        assert fragment.lower() in stderr.lower(), f"{fragment!r} not in stderr:\n{stderr}"
