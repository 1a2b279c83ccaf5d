"""Scenario files: the schema, loading with located errors, writing back, JSON Schema, the library.

    from buurtsim.scenario import load_scenario
    scenario = load_scenario("scenarios/projectencarrousel.toml")
    model = NeighbourhoodModel.from_scenario(scenario, seed=3)

The file format is described in docs/scenarios.md. The names load on first use (PEP 562), so
`buurtsim list` reads the library without loading pydantic and the policies.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from buurtsim.scenario.dump import dump_scenario
    from buurtsim.scenario.errors import Problem, ScenarioError
    from buurtsim.scenario.library import scenarios_dir, shipped_experiments, shipped_scenarios
    from buurtsim.scenario.loader import (
        MAX_BYTES,
        load_scenario,
        load_scenario_bytes,
        load_scenario_text,
        scenario_from_data,
    )
    from buurtsim.scenario.schema import Newcomers, Scenario, scenario_json_schema

#: Public name -> the submodule it comes from.
_LAZY: dict[str, str] = {
    "dump_scenario": "dump",
    "Problem": "errors",
    "ScenarioError": "errors",
    "scenarios_dir": "library",
    "shipped_experiments": "library",
    "shipped_scenarios": "library",
    "MAX_BYTES": "loader",
    "load_scenario": "loader",
    "load_scenario_bytes": "loader",
    "load_scenario_text": "loader",
    "scenario_from_data": "loader",
    "Newcomers": "schema",
    "Scenario": "schema",
    "scenario_json_schema": "schema",
}

__all__ = [
    "MAX_BYTES",
    "Newcomers",
    "Problem",
    "Scenario",
    "ScenarioError",
    "dump_scenario",
    "load_scenario",
    "load_scenario_bytes",
    "load_scenario_text",
    "scenario_from_data",
    "scenario_json_schema",
    "scenarios_dir",
    "shipped_experiments",
    "shipped_scenarios",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its submodule on first use."""
    if name not in _LAZY:
        raise AttributeError(f"module 'buurtsim.scenario' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"buurtsim.scenario.{_LAZY[name]}"), name)
    globals()[name] = value
    return value
