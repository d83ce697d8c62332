"""The scenario format: schema, YAML loading with line numbers, cross-field checks."""

from ccsim.scenario.checks import load_warnings
from ccsim.scenario.dump import scenario_dict, write_scenario
from ccsim.scenario.loader import load_scenario, validate_data
from ccsim.scenario.models import AgentGroup, Arrivals, Horizon, Queue, Routing, Scenario, ServiceLevel

__all__ = [
    "AgentGroup", "Arrivals", "Horizon", "Queue", "Routing", "Scenario", "ServiceLevel",
    "load_scenario", "load_warnings", "scenario_dict", "validate_data", "write_scenario",
]
