"""ccsim: discrete-event contact-center staffing simulation with analytic Erlang answers.

    import ccsim
    sc = ccsim.load_scenario("scenarios/hotline.yml")
    res = ccsim.simulate(sc, replications=20, seed=1)
    res.kpis

The public names are imported on first use, so `import ccsim` (and `ccsim --help`) stays fast:
numpy, pandas and scipy load only when a name that needs them is touched.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_PUBLIC = {
    "CcsimError": "ccsim.errors", "Problem": "ccsim.errors", "ScenarioError": "ccsim.errors",
    "Comparison": "ccsim.compare", "compare": "ccsim.compare",
    "Results": "ccsim.results",
    "Scenario": "ccsim.scenario", "load_scenario": "ccsim.scenario", "load_warnings": "ccsim.scenario",
    "scenario_dict": "ccsim.scenario", "write_scenario": "ccsim.scenario",
    "simulate": "ccsim.simulate",
    "staff": "ccsim.staffing",
    "Sweep": "ccsim.sweep", "sweep": "ccsim.sweep",
    "forecast": "ccsim.forecast",
}
__all__ = sorted([*_PUBLIC, "erlang"])

if TYPE_CHECKING:
    from ccsim import erlang
    from ccsim.compare import Comparison, compare
    from ccsim.errors import CcsimError, Problem, ScenarioError
    from ccsim.results import Results
    from ccsim.scenario import Scenario, load_scenario, load_warnings, scenario_dict, write_scenario
    from ccsim.simulate import simulate
    from ccsim.staffing import staff
    from ccsim.sweep import Sweep, sweep
    from ccsim.forecast import forecast


def __getattr__(name: str) -> Any:
    if name == "erlang":
        value: Any = importlib.import_module("ccsim.erlang")
    elif name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
    else:
        raise AttributeError(f"module 'ccsim' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The `ccsim` package, whose `simulate`, `compare` and `sweep` stay the functions even after their
    submodules of the same name are imported (importing a submodule binds it on its package)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _PUBLIC and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
