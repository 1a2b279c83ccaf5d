"""From a scenario to a ready-to-run NeighbourhoodModel (used by `NeighbourhoodModel.from_scenario`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from buurtsim.limits import MAX_TICKS, check_int, whole
from buurtsim.params import make_params, param_names
from buurtsim.policies.base import make_policy
from buurtsim.scenario.library import shipped_scenario_path
from buurtsim.scenario.loader import load_scenario
from buurtsim.scenario.schema import Scenario

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel

M = TypeVar("M", bound="NeighbourhoodModel")


def as_scenario(scenario_or_path: Scenario | str | Path) -> Scenario:
    """A Scenario as given, or loaded (and validated) from a file path or a shipped name ('basis')."""
    if isinstance(scenario_or_path, Scenario):
        return scenario_or_path
    return load_scenario(shipped_scenario_path(scenario_or_path))


def model_from_scenario(
    cls: type[M],
    scenario_or_path: Scenario | str | Path,
    seed: int | None = None,
    n_residents: int | None = None,
    ticks: int | None = None,
    **kwargs: Any,
) -> M:
    """Build a model of class `cls` from a scenario; nothing is run yet.

    `seed` defaults to the scenario's seed. Keyword arguments that are Params names override the
    scenario's parameters (for sweeps); the rest go to the model (e.g. `record_history=True`).
    `ticks` overrides the run length stored on the model as `model.horizon`. Each model gets fresh
    policy objects, so one scenario can build many models.
    """
    scenario = as_scenario(scenario_or_path)
    check_int("ticks", ticks, 1, MAX_TICKS, optional=True)
    if n_residents is not None:
        whole("n_residents", n_residents)  # its range: Params
    names = set(param_names())
    overrides = {k: v for k, v in kwargs.items() if k in names}
    model_kwargs = {k: v for k, v in kwargs.items() if k not in names}
    if n_residents is not None:
        overrides["n_residents"] = n_residents
    params = make_params(scenario.to_params(), **overrides)
    policies = [make_policy(config) for config in scenario.policies]
    model = cls(
        seed=scenario.seed if seed is None else seed,
        params=params,
        policies=policies,
        **model_kwargs,
    )
    model.scenario = scenario  # type: ignore[attr-defined]
    model.horizon = check_int("ticks", ticks, 1, MAX_TICKS) if ticks is not None else scenario.horizon
    return model
