"""Policies (timed interventions); importing this package registers every policy family."""

from buurtsim.policies import (  # noqa: F401  (imported to register the policy families)
    abcd,
    budget,
    carousel,
    coach,
    cut,
    differentiated,
    mediation,
    meeting,
    outreach,
    presence,
    restructuring,
)
from buurtsim.policies.base import REGISTRY, Policy, PolicyConfig, Target, make_policy, register

__all__ = ["REGISTRY", "Policy", "PolicyConfig", "Target", "make_policy", "register"]
