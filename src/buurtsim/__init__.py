"""buurtsim: an agent-based simulation of neighbourhood social dynamics and wijkaanpak policy.

The names below load on first use (PEP 562), so `import buurtsim` and the light commands
(`buurtsim --help`, `list`, `schema`, `validate`) do not pay for Mesa, numba and pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from buurtsim._version import __version__

if TYPE_CHECKING:
    from buurtsim.agents import Professional, Resident
    from buurtsim.metrics import METRIC_NAMES
    from buurtsim.model import NeighbourhoodModel
    from buurtsim.params import ParameterError, Params, make_params
    from buurtsim.policies import REGISTRY as POLICIES
    from buurtsim.policies import make_policy
    from buurtsim.scenario import load_scenario

#: Public name -> (module, attribute) it is loaded from on first use.
_LAZY: dict[str, tuple[str, str]] = {
    "METRIC_NAMES": ("buurtsim.metrics", "METRIC_NAMES"),
    "POLICIES": ("buurtsim.policies", "REGISTRY"),
    "NeighbourhoodModel": ("buurtsim.model", "NeighbourhoodModel"),
    "ParameterError": ("buurtsim.params", "ParameterError"),
    "Params": ("buurtsim.params", "Params"),
    "Professional": ("buurtsim.agents", "Professional"),
    "Resident": ("buurtsim.agents", "Resident"),
    "load_scenario": ("buurtsim.scenario", "load_scenario"),
    "make_params": ("buurtsim.params", "make_params"),
    "make_policy": ("buurtsim.policies", "make_policy"),
}

__all__ = [
    "METRIC_NAMES",
    "POLICIES",
    "NeighbourhoodModel",
    "ParameterError",
    "Params",
    "Professional",
    "Resident",
    "__version__",
    "load_scenario",
    "make_params",
    "make_policy",
]


def __getattr__(name: str) -> Any:
    """Load a public name on first use and keep it in the module."""
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'buurtsim' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
