"""Moments to compare are capped at MAX_MOMENTS: 100,000 `ticks_of_interest` in a 200 KB experiment
file were accepted and then kept `compare` busy for more than five minutes. The file, `--at` and a
manifest holding more are refused with exit 2; repeated `--metric` names count once."""

from __future__ import annotations

import json
from pathlib import Path

from tests.experiment.conftest import write_experiment
from tests.hostile.conftest import HostileCli, assert_refused

from buurtsim.limits import MAX_MOMENTS


def test_too_many_moments_are_refused_everywhere(tmp_path: Path, hostile_cli: HostileCli) -> None:
    from buurtsim.experiment import load_experiment, run_experiment

    many = ", ".join(["1"] * 100_000)
    exp = write_experiment(tmp_path, replications=1, file="veel.toml", extra=f"ticks_of_interest = [{many}]\n")
    assert_refused(hostile_cli("experiment", str(exp), "--backend", "serial"), "veel.toml", "experiment.ticks_of_interest",
                   f"at most {MAX_MOMENTS}")

    run_experiment(load_experiment(write_experiment(tmp_path, replications=1)), tmp_path / "uit", backend="serial")
    out = tmp_path / "uit"
    assert_refused(hostile_cli("compare", str(out), "--at", ",".join(["1"] * (MAX_MOMENTS + 1))), "--at", f"at most {MAX_MOMENTS}")
    assert_refused(hostile_cli("compare", str(out), "--at", "9" * 5000), "--at")
    code, csv_text, err = hostile_cli("compare", str(out), "--format", "csv", "--metric", ",".join(["population"] * 5000))
    assert code == 0, err
    assert len(csv_text.splitlines()) < 200

    manifest = json.loads((out / "manifest.json").read_text())
    manifest["experiment"]["ticks_of_interest"] = [1] * (MAX_MOMENTS + 1)
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert_refused(hostile_cli("compare", str(out)), "manifest.json", "experiment.ticks_of_interest")
