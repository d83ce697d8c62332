"""Every benchmark script still runs, at a tiny size: the README quotes their commands, and a
benchmark nobody runs in CI drifts from the code it measures. Speed itself is never asserted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"

# script -> (arguments for a run of a few seconds, a line its output must contain)
TINY = {
    "bench_engine.py": (["--hours", "24", "--repeat", "1"], "sanity: abandon rates differ"),
    "bench_erlang.py": ([], "Erlang A service level 80/20"),
    "bench_kernel.py": (["--agents", "10", "--rounds", "1", "--contacts", "3000"], "kernel gain"),
    "bench_memory.py": (["--days", "1", "--per-hour", "100"], "peak MB"),
    "bench_roster.py": ([], "optimal"),
    "bench_sizes.py": ([], "contacts per second"),
    "bench_speed.py": (["--agents", "10", "--rounds", "1", "--contacts", "3000", "--scenarios"], "ccsim/lean loop"),
    "bench_summarize.py": (["--contacts", "3000", "--rounds", "1", "--repeats", "1"], "this checkout"),
    "bench_workers.py": (["--rounds", "1", "--replications", "2", "--days", "1", "--per-hour", "100",
                          "--agents", "10"], "speed-up"),
}


def test_every_benchmark_has_a_tiny_run() -> None:
    scripts = {p.name for p in BENCHMARKS.glob("bench_*.py")}
    assert scripts == set(TINY)


@pytest.mark.slow
@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_runs(script: str) -> None:
    arguments, expected = TINY[script]
    out = subprocess.run([sys.executable, str(BENCHMARKS / script), *arguments], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert expected in out.stdout, out.stdout[-2000:]
