"""The shipped experiment files load and plan the runs they promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from buurtsim.experiment import load_experiment, plan_runs

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"


def test_flagship_is_as_promised() -> None:
    exp = load_experiment(EXPERIMENTS / "carrousel_vs_presentie.toml")
    assert [s.name for s in exp.scenarios] == ["basis", "projectencarrousel", "langdurige_presentie"]
    assert exp.baseline == "basis" and exp.table.replications == 20 and exp.table.n_residents == 2000
    runs = plan_runs(exp)
    assert len(runs) == 60 and all(r.ticks == 520 for r in runs)


@pytest.mark.parametrize("name", sorted(p.stem for p in EXPERIMENTS.glob("*.toml")))
def test_every_shipped_experiment_loads(name: str) -> None:
    exp = load_experiment(EXPERIMENTS / f"{name}.toml")
    assert plan_runs(exp)
    if exp.spec.sensitivity is not None:
        assert exp.spec.sensitivity.ranges
