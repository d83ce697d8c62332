"""ccsim: discrete-event contact-center staffing simulation with analytic Erlang answers.

    import ccsim
    sc = ccsim.load_scenario("scenarios/hotline.yml")
    res = ccsim.simulate(sc, replications=20, seed=1)
    res.kpis
"""

from ccsim import erlang  # noqa: F401
from ccsim.compare import Comparison, compare
from ccsim.errors import CcsimError, Problem, ScenarioError
from ccsim.results import Results
from ccsim.scenario import Scenario, load_scenario, load_warnings, scenario_dict, write_scenario
from ccsim.simulate import simulate
from ccsim.staffing import staff

__version__ = "0.1.0"
__all__ = [
    "CcsimError", "Comparison", "Problem", "Results", "Scenario", "ScenarioError",
    "compare", "erlang", "load_scenario", "load_warnings", "scenario_dict", "simulate", "staff", "write_scenario",
]
