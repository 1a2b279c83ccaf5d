"""Plausible worlds on the A/B tab without a browser: which ensemble a session finds (or why not),
members applied with levers winning, the worlds stepped with the runs shown, the band and the
sentence, and the switch in the compare state."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from dashboard_helpers import CAROUSEL, PRESENCE, N
from tests.experiment.conftest import ENSEMBLE_PARAMS, write_ensemble

from buurtsim.dashboard import charts, sources, worlds
from buurtsim.dashboard.runner import Comparison, settings_for
from buurtsim.dashboard.state import CompareState


def upload(text: str, name: str) -> sources.Source:
    return sources.parse_upload(name, text.encode("utf-8"))


def floats(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), "<f4")


@pytest.fixture
def ensemble(tmp_path: Path) -> Path:
    return write_ensemble(tmp_path / "ens.json", 4)


def test_a_missing_ensemble_is_said_plainly_in_both_languages(tmp_path: Path):
    found = worlds.find_worlds(str(tmp_path / "nergens.json"))
    assert found.worlds is None and found.missing
    assert "nergens.json" in found.message("nl") and "buurtsim calibrate" in found.message("nl")
    assert "is missing" in found.message("en") and worlds.ENSEMBLE_ENV in found.message("en")


@pytest.mark.parametrize(("text", "why"), [("{", "valid JSON"), ('{"format": "iets anders"}', "format")])
def test_a_broken_ensemble_names_the_problem(tmp_path: Path, text: str, why: str):
    path = tmp_path / "kapot.json"
    path.write_text(text)
    found = worlds.find_worlds(str(path))
    assert found.worlds is None and not found.missing
    assert "kapot.json" in found.message("nl") and why in found.message("en")


def test_the_environment_variable_chooses_the_ensemble(ensemble: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(worlds.ENSEMBLE_ENV, str(ensemble))
    found = worlds.find_worlds()
    assert found.worlds is not None and len(found.worlds.members) == worlds.WORLDS
    assert found.message() == ""
    monkeypatch.setenv(worlds.ENSEMBLE_ENV, "ensemble.txt")
    assert "not a .json file" in worlds.find_worlds().message("en")


def test_members_are_applied_but_a_scenario_keeps_what_it_sets_itself(ensemble: Path):
    assert {"professional_effect", "trust_build_weeks", "recovery_rate"} <= set(ENSEMBLE_PARAMS)
    found = worlds.find_worlds(str(ensemble))
    assert found.worlds is not None
    src = upload(CAROUSEL.replace("[neighbourhood]", "[params]\nrecovery_rate = 0.031\n\n[neighbourhood]"), "c.toml")
    settings = settings_for(src, n_residents=N).with_param("trust_build_weeks", 9)
    member = found.worlds.params(1)
    world = worlds.in_world(settings, found.worlds, 1).overrides_dict()
    assert world["professional_effect"] == member["professional_effect"]  # an uncertainty: the member's value
    assert world["trust_build_weeks"] == 9  # the user's lever wins
    assert "recovery_rate" not in world  # the scenario sets it: its own value stays


def test_worlds_step_with_the_comparison_and_give_a_band_and_a_sentence(ensemble: Path):
    found = worlds.find_worlds(str(ensemble))
    assert found.worlds is not None
    main = Comparison.of(upload(CAROUSEL, "c.toml"), upload(PRESENCE, "p.toml"), seed=5, n_residents=N, horizon=40)
    runs = worlds.WorldRuns.of(main, found.worlds)
    assert runs.step(12) == 12
    assert main.tick == 12 and all(w.tick == 12 for w in runs.worlds)
    assert all(not w.a.model.record_history for w in runs.worlds)
    diffs = runs.differences("mean_self_reliance")
    assert diffs.shape == (worlds.WORLDS, 13)
    assert not np.allclose(diffs, diffs[0]), "the worlds should differ: their parameters do"
    lo, hi = runs.band("mean_self_reliance")
    assert np.all(lo <= hi) and np.all(lo == diffs.min(axis=0)) and np.all(hi == diffs.max(axis=0))
    up = int(np.sum(diffs[:, -1] > worlds.SAME))
    down = int(np.sum(diffs[:, -1] < -worlds.SAME))
    assert runs.reading("mean_self_reliance", "nl").startswith(f"Week 12: in {up} van de {worlds.WORLDS} plausibele werelden")
    assert f"in {down} lower" in runs.reading("mean_self_reliance", "en")
    # the same seed and ensemble give the same worlds
    again = worlds.WorldRuns.of(Comparison.of(upload(CAROUSEL, "c.toml"), upload(PRESENCE, "p.toml"), seed=5, n_residents=N,
                                              horizon=40), found.worlds)
    again.step(12)
    np.testing.assert_array_equal(again.differences("mean_self_reliance"), diffs)
    # the chart: the band replaces the green/red shading and says what it is
    _, bottom = charts.difference_charts(main.a.metrics(), main.b.metrics(), "mean_self_reliance", ([], []), 40,
                                         band=(lo, hi), lang="en")
    [band] = bottom["bands"]
    assert "lowest to highest" in band["label"] and band["colour"] == charts.BAND_COLOUR
    np.testing.assert_allclose(floats(band["hi"]), (hi * 100).astype("<f4"))
    assert bottom["lines"][0]["label"] == "Difference B − A at the default values"
    runs.release()


def test_the_switch_in_the_compare_state(ensemble: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(worlds.ENSEMBLE_ENV, str(ensemble))
    cs = CompareState(upload(CAROUSEL, "c.toml"), upload(PRESENCE, "p.toml"), n_residents=N)
    assert cs.worlds_possible and cs.world_runs.value is None
    cs.step(2)
    cs.set_uncertain(True)
    runs = cs.world_runs.value
    assert runs is not None and runs.main is cs.comparison.value and cs.comparison.value.tick == 0
    assert cs.stepper() is runs
    cs.step(3)
    assert [w.tick for w in runs.worlds] == [3] * worlds.WORLDS
    cs.n_residents.set(worlds.MAX_WORLD_RESIDENTS + 1)
    cs.reset()
    assert cs.world_runs.value is None and not cs.uncertain.value and not cs.worlds_possible
    cs.release()


def test_the_switch_stays_off_without_an_ensemble(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(worlds.ENSEMBLE_ENV, str(tmp_path / "geen.json"))
    cs = CompareState(upload(CAROUSEL, "c.toml"), upload(PRESENCE, "p.toml"), n_residents=N)
    cs.set_uncertain(True)
    assert not cs.uncertain.value and cs.world_runs.value is None
    assert isinstance(cs.stepper(), Comparison)
    assert json.dumps(cs.world_source.message("en")).count("geen.json") == 1
    cs.release()


def test_settings_for_worlds_keep_seed_size_and_horizon(ensemble: Path):
    found = worlds.find_worlds(str(ensemble))
    assert found.worlds is not None
    settings = replace(settings_for(upload(CAROUSEL, "c.toml"), n_residents=N), seed=11, horizon=30)
    world = worlds.in_world(settings, found.worlds, 0)
    assert (world.seed, world.n_residents, world.horizon, world.source) == (11, N, 30, settings.source)
