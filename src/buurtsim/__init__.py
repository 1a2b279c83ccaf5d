"""buurtsim: an agent-based simulation of neighbourhood social dynamics and wijkaanpak policy."""

from buurtsim.agents import Professional, Resident
from buurtsim.metrics import METRIC_NAMES
from buurtsim.model import NeighbourhoodModel
from buurtsim.params import Params, ParameterError, make_params

__version__ = "0.1.0"

__all__ = [
    "METRIC_NAMES",
    "NeighbourhoodModel",
    "ParameterError",
    "Params",
    "Professional",
    "Resident",
    "make_params",
]
