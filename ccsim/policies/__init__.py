"""Routing and blending policies, registered by name: which agent takes an arriving contact,
which contact a freed agent takes (`routing.policy`), and when agents may take deferred work
such as email (`routing.blending`)."""

from ccsim.policies.registry import (
    RoutingPolicy,
    get_policy,
    policy_names,
    register_policy,
)
from ccsim.policies.blending import BlendingPolicy, blending_names, get_blending, register_blending
from ccsim.policies import routing as _builtin  # noqa: F401  (registers the built-ins)

__all__ = ["BlendingPolicy", "RoutingPolicy", "blending_names", "get_blending", "get_policy", "policy_names",
           "register_blending", "register_policy"]
