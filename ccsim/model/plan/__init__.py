"""A scenario compiled to plain tuples and arrays: everything one replication needs, cheap to pickle.

`lines` numbers the waiting lines and describes each once (its channel, live or deferred,
concurrency); `flows` resolves transfers, escalations and callbacks to lines; `compiled` holds
the `Plan`; `compile` builds it from a validated scenario, one step per concept.
"""

from ccsim.model.plan.compile import compile_plan
from ccsim.model.plan.compiled import ABANDON_RULES, PENALTIES, Plan, ramp_share
from ccsim.model.plan.flows import CallbackRule, EscalationRule, Flows, Retry, StagePlan, TransferRule
from ccsim.model.plan.lines import Line

__all__ = ["ABANDON_RULES", "PENALTIES", "CallbackRule", "EscalationRule", "Flows", "Line", "Plan", "Retry",
           "StagePlan", "TransferRule", "compile_plan", "ramp_share"]
