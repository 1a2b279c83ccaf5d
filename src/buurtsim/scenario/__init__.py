"""Scenario files: the schema, loading with located errors, writing back, JSON Schema, the library.

    from buurtsim.scenario import load_scenario
    scenario = load_scenario("scenarios/projectencarrousel.toml")
    model = NeighbourhoodModel.from_scenario(scenario, seed=3)

The file format is described in docs/scenarios.md.
"""

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
