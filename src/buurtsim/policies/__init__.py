"""Policies (timed interventions); importing this package registers every policy family."""

from buurtsim.policies.base import REGISTRY, Policy, PolicyConfig, Target, make_policy, register

__all__ = ["REGISTRY", "Policy", "PolicyConfig", "Target", "make_policy", "register"]
