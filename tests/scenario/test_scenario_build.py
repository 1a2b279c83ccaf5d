"""From a scenario to a model: seed, overrides for sweeps, model options, fresh policies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from scenario_samples import VALID

from buurtsim import NeighbourhoodModel
from buurtsim.params import ParameterError
from buurtsim.scenario import ScenarioError, load_scenario_text
from buurtsim.scenario.build import model_from_scenario

FAST = {"n_residents": 100, "burn_in_weeks": 2}


def test_model_follows_the_scenario() -> None:
    s = load_scenario_text(VALID)
    m = model_from_scenario(NeighbourhoodModel, s, **FAST)
    assert isinstance(m, NeighbourhoodModel)
    assert m.params.shock_prob == 0.008 and m.params.tie_decay == 0.03 and m.params.n_residents == 100
    assert m.params.income_shares == (0.5, 0.35, 0.15)
    assert m.newcomer_potential_shift == -0.05 and tuple(m.newcomer_income_shares) == (0.7, 0.25, 0.05)
    assert [p.label for p in m.policies] == ["carrousel", "presentie", "bezuiniging"]
    assert [p.config for p in m.policies] == s.policies
    assert m.horizon == 156 and m.scenario is s


def test_seed_defaults_to_the_scenarios_and_can_be_overridden() -> None:
    s = load_scenario_text(VALID)
    same = [model_from_scenario(NeighbourhoodModel, s, **FAST).run(3) for _ in range(2)]
    assert same[0].equals(same[1])
    assert model_from_scenario(NeighbourhoodModel, s, **FAST).seed == NeighbourhoodModel(seed=7, **FAST).seed
    other = model_from_scenario(NeighbourhoodModel, s, seed=8, **FAST).run(3)
    assert not other.equals(same[0])


def test_overrides_and_model_options() -> None:
    s = load_scenario_text(VALID)
    m = model_from_scenario(NeighbourhoodModel, s, seed=1, n_residents=120, ticks=10, shock_prob=0.02, record_history=True, burn_in_weeks=2)
    assert (m.params.n_residents, m.params.shock_prob, m.params.tie_decay) == (120, 0.02, 0.03)
    assert m.record_history and m.horizon == 10
    with pytest.raises(ParameterError, match="shock_prob"):
        model_from_scenario(NeighbourhoodModel, s, shock_prb=0.02, **FAST)


def test_each_model_gets_fresh_policies() -> None:
    s = load_scenario_text(VALID)
    a = model_from_scenario(NeighbourhoodModel, s, **FAST)
    b = model_from_scenario(NeighbourhoodModel, s, **FAST)
    a.run(30)
    assert a.policies[0] is not b.policies[0]
    assert a.policies[0].started and not b.policies[0].started


def test_from_scenario_accepts_a_path(write: Callable[..., Path]) -> None:
    path = write(VALID)
    m = NeighbourhoodModel.from_scenario(path, seed=2, **FAST)
    assert m.scenario.source == str(path) and m.params.shock_prob == 0.008
    m.run(2)
    with pytest.raises(ScenarioError, match="file not found"):
        NeighbourhoodModel.from_scenario(path.with_name("nope.toml"))
