"""Where a result came from, enough to reproduce any figure of it: ccsim's version and its main
libraries', the seed and replications, and the full text of the resolved scenario (after
`extends`, `--set` overrides and CSV arrivals) with its SHA-256."""

from __future__ import annotations

import hashlib
import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ccsim.scenario.dump import scenario_text
from ccsim.scenario.models import Scenario

LIBRARIES = ("numpy", "scipy", "pandas", "simpy")


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def provenance(sc: Scenario, seed: int, replications: int) -> dict[str, Any]:
    """ccsim, Python and library versions, `seed`, `replications`, the resolved scenario's text
    and its SHA-256 (of the UTF-8 text)."""
    text = scenario_text(sc)
    return {
        "ccsim": _version("ccsim"), "python": platform.python_version(),
        **{package: _version(package) for package in LIBRARIES},
        "seed": seed, "replications": replications,
        "scenario_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "scenario": text,
    }
