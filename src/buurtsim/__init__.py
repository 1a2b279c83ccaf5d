"""buurtsim: an agent-based simulation of neighbourhood social dynamics and wijkaanpak policy."""

from buurtsim.agents import Professional, Resident
from buurtsim.metrics import METRIC_NAMES
from buurtsim.model import NeighbourhoodModel
from buurtsim.params import ParameterError, Params, make_params
from buurtsim.policies import REGISTRY as POLICIES
from buurtsim.policies import make_policy
from buurtsim.scenario import load_scenario

__version__ = "0.1.0"

__all__ = [
    "METRIC_NAMES",
    "POLICIES",
    "NeighbourhoodModel",
    "ParameterError",
    "Params",
    "Professional",
    "Resident",
    "load_scenario",
    "make_params",
    "make_policy",
]
