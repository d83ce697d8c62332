"""Routing policies, registered by name: which agent takes an arriving contact, which
contact a freed agent takes. A scenario picks one with `routing.policy`."""

from ccsim.policies.registry import (
    RoutingPolicy,
    get_policy,
    policy_names,
    register_policy,
)
from ccsim.policies import routing as _builtin  # noqa: F401  (registers the built-ins)

__all__ = ["RoutingPolicy", "get_policy", "policy_names", "register_policy"]
