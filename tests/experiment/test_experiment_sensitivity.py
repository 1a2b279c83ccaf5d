"""Sensitivity analysis: Morris and Sobol over the ranges in the experiment file, on tiny models."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.errors import UserError
from buurtsim.experiment import load_experiment, run_sensitivity
from buurtsim.experiment.sensitivity import problem, sample

SENS = """[sensitivity]
samples = 2
output = "mean_self_reliance"
[sensitivity.ranges]
shock_prob = [0.002, 0.03]
tie_decay = [0.01, 0.05]
"""


def test_morris_indices_and_files(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, names=("basis",), replications=1, extra=SENS)
    exp = load_experiment(path)
    res = run_sensitivity(exp, tmp_path / "sens", backend="serial")
    assert res.method == "morris"
    assert set(res.indices.index) == {"shock_prob", "tie_decay"}
    assert {"mu_star", "sigma"} <= set(res.indices.columns)
    assert len(res.samples) == 2 * (2 + 1)
    # more life events lower self-reliance: the strongest, and a negative, effect
    assert res.indices.index[0] == "shock_prob"
    assert res.indices.loc["shock_prob", "mu"] < 0
    for f in res.files.values():
        assert f.is_file()
    meta = json.loads(res.files["json"].read_text())
    assert meta["method"] == "morris" and meta["runs"] == 6
    assert len(pd.read_csv(res.files["csv"])) == 2


def test_sobol_sampling_and_run(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, names=("basis",), replications=1, extra=SENS)
    exp = load_experiment(path)
    assert exp.spec.sensitivity is not None
    x = sample(exp.spec.sensitivity, "sobol", 2, 11)
    assert x.shape == (2 * (2 + 2), 2)
    lo, hi = problem(exp.spec.sensitivity)["bounds"][0]
    assert ((x[:, 0] >= lo) & (x[:, 0] <= hi)).all()
    res = run_sensitivity(exp, tmp_path / "sobol", method="sobol", backend="serial")
    assert {"S1", "ST"} <= set(res.indices.columns)


def test_experiment_without_sensitivity_table(mini: Path, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="'sensitivity' table"):
        run_sensitivity(load_experiment(mini), tmp_path / "x", backend="serial")
