"""The shipped experiment files load and plan the runs they promise."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.experiment.conftest import write_ensemble

from buurtsim.experiment import load_experiment, plan_runs

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"


def test_flagship_is_as_promised() -> None:
    exp = load_experiment(EXPERIMENTS / "carrousel_vs_presentie.toml")
    assert [s.name for s in exp.scenarios] == ["basis", "projectencarrousel", "langdurige_presentie"]
    assert exp.baseline == "basis" and exp.table.replications == 20 and exp.table.n_residents == 2000
    runs = plan_runs(exp)
    assert len(runs) == 60 and all(r.ticks == 520 for r in runs)


@pytest.fixture
def shipped_ensemble(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped ensemble; until `buurtsim calibrate` has produced it, a small stand-in ensemble
    (the test then checks the experiment file, not the calibration)."""
    from buurtsim import ensemble

    if ensemble.SHIPPED_FILE.is_file():
        return ensemble.SHIPPED_FILE
    monkeypatch.setattr(ensemble, "SHIPPED_FILE", write_ensemble(tmp_path / "default.json", 5))
    return ensemble.SHIPPED_FILE


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPERIMENTS.glob("*.toml")))
def test_every_shipped_experiment_loads(name: str, shipped_ensemble: Path) -> None:
    exp = load_experiment(EXPERIMENTS / f"{name}.toml")
    assert plan_runs(exp)
    if exp.spec.sensitivity is not None:
        assert exp.spec.sensitivity.ranges


def test_presence_over_plausible_worlds_is_as_promised(shipped_ensemble: Path) -> None:
    """Presence against carousel over 50 worlds of the shipped ensemble, paired, with discovery."""
    exp = load_experiment(EXPERIMENTS / "presentie_werelden.toml")
    assert exp.worlds is not None and exp.worlds.source == str(shipped_ensemble)
    assert exp.pairs == [("langdurige_presentie", "projectencarrousel")]
    assert exp.spec.discovery is not None and exp.spec.discovery.a == "langdurige_presentie"
    runs = plan_runs(exp)
    assert len(runs) == 100
    for r in range(50):
        pair = [run for run in runs if run.replication == r]
        assert len({(run.member, run.seed) for run in pair}) == 1
