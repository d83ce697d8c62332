"""Scenarios back to YAML: the mapping a scenario file holds, written atomically.

Arrival volumes read from a CSV file are written inline (`per_interval`) and empirical
distributions as their samples, so the written file stands on its own wherever it is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ccsim.atomic import atomic_write
from ccsim.scenario.models import Scenario


def scenario_dict(sc: Scenario) -> dict[str, Any]:
    """The scenario as the plain mapping a scenario file holds (defaults left out).

    Example:
        >>> d = ccsim.scenario_dict(ccsim.load_scenario("scenarios/hotline.yml"))
        >>> d["name"], list(d["queues"])
        ('Hotline baseline', ['general', 'billing', 'technical', 'vip'])
    """
    data = sc.model_dump(mode="json", exclude_defaults=True)
    sources = [*(("queues", q, queue) for q, queue in sc.queues.items()),
               *(("processes", p, process) for p, process in sc.processes.items())]
    for section, name, item in sources:
        arrivals = data[section][name].get("arrivals")
        if arrivals is not None and "csv" in arrivals:
            del arrivals["csv"]
            arrivals["per_interval"] = list(item.arrivals.volumes)
    return data


def scenario_text(sc: Scenario) -> str:
    """The scenario as the YAML text of a scenario file: `load_scenario(yaml.safe_load(text))`
    gives it back."""
    return yaml.safe_dump(scenario_dict(sc), sort_keys=False, allow_unicode=True, width=120)


def write_scenario(sc: Scenario, path: Path | str) -> Path:
    """Write `sc` as a YAML scenario file at `path`; returns the path.

    Example:
        >>> import tempfile, pathlib
        >>> sc = ccsim.load_scenario("scenarios/hotline.yml")
        >>> path = ccsim.write_scenario(sc, pathlib.Path(tempfile.mkdtemp()) / "copy.yml")
        >>> ccsim.load_scenario(path) == sc
        True
    """
    text = scenario_text(sc)
    atomic_write(path, lambda handle: handle.write(text))
    return Path(path)
