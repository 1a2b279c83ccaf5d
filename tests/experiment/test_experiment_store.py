"""The results directory: manifest, atomic run files, resume, failures, refusing foreign results."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.errors import UserError
from buurtsim.experiment import RunResult, RunSpec, execute_run, load_experiment, run_experiment
from buurtsim.experiment.store import MANIFEST, TIMESERIES


def _bytes(out: Path, name: str = TIMESERIES) -> bytes:
    return (out / name).read_bytes()


def test_manifest_and_timeseries(tmp_path: Path, mini: Path) -> None:
    exp = load_experiment(mini)
    out = tmp_path / "out"
    manifest = run_experiment(exp, out, backend="serial")
    assert manifest["status"] == "complete"
    on_disk = json.loads((out / MANIFEST).read_text())
    assert on_disk["experiment"]["sha256"] == exp.sha256
    assert on_disk["experiment"]["seeds"] == exp.seeds
    assert {s["name"] for s in on_disk["scenarios"]} == {"basis", "carrousel"}
    assert all(len(s["sha256"]) == 64 for s in on_disk["scenarios"])
    assert "numpy" in on_disk["versions"] and "buurtsim" in on_disk["versions"]
    assert all(r["status"] == "done" and r["duration_s"] > 0 for r in on_disk["runs"])
    carrousel = [r for r in on_disk["runs"] if r["scenario"] == "carrousel"]
    assert all(r["funding_end"] == 16 and r["timeline"] for r in carrousel)
    df = pd.read_parquet(out / TIMESERIES)
    assert list(df.columns[:4]) == ["scenario", "replication", "seed", "tick"]
    assert len(df) == 2 * 2 * 37
    for run in on_disk["runs"]:
        sel = df[(df["scenario"] == run["scenario"]) & (df["replication"] == run["replication"])]
        assert (sel["seed"] == run["seed"]).all()
    assert not list((out / "runs").glob(".tmp-*"))


def test_refuses_other_experiment_and_needs_resume_or_force(tmp_path: Path, mini: Path) -> None:
    out = tmp_path / "out"
    run_experiment(load_experiment(mini), out, backend="serial")
    other = write_experiment(tmp_path, file="other.toml", names=("basis",),
                             body='[experiment]\nname = "ander"\nscenarios = ["basis.toml"]\nreplications = 1\n')
    with pytest.raises(UserError, match="another experiment"):
        run_experiment(load_experiment(other), out, backend="serial")
    with pytest.raises(UserError, match="--resume"):
        run_experiment(load_experiment(mini), out, backend="serial")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not empty"):
        run_experiment(load_experiment(mini), foreign, backend="serial")
    manifest = run_experiment(load_experiment(other), out, backend="serial", force=True)
    assert manifest["experiment"]["name"] == "ander" and len(manifest["runs"]) == 1
    assert not (out / "runs" / "carrousel__r0000.parquet").exists()


def _failing_once(spec: RunSpec) -> RunResult:
    if spec.run_id == "carrousel__r0000":
        return RunResult(run_id=spec.run_id, status="failed", duration_s=0.0, error="Traceback...\nRuntimeError: boom")
    return execute_run(spec)


def test_failing_run_is_recorded_and_resume_reruns_only_it(tmp_path: Path, mini: Path) -> None:
    exp = load_experiment(mini)
    full = tmp_path / "full"
    run_experiment(exp, full, backend="serial")
    out = tmp_path / "out"
    manifest = run_experiment(exp, out, backend="serial", work=_failing_once)
    assert manifest["status"] == "incomplete"
    statuses = {r["run_id"]: r["status"] for r in manifest["runs"]}
    assert statuses.pop("carrousel__r0000") == "failed"
    assert set(statuses.values()) == {"done"}
    failed = next(r for r in manifest["runs"] if r["run_id"] == "carrousel__r0000")
    assert "RuntimeError: boom" in failed["error"]
    assert len(pd.read_parquet(out / TIMESERIES)) == 3 * 37

    ran: list[str] = []

    def counting(spec: RunSpec) -> RunResult:
        ran.append(spec.run_id)
        return execute_run(spec)

    manifest = run_experiment(exp, out, backend="serial", resume=True, work=counting)
    assert ran == ["carrousel__r0000"]
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    assert _bytes(out) == _bytes(full)


def test_resume_recovers_a_run_file_the_manifest_missed(tmp_path: Path, mini: Path) -> None:
    """A crash between writing a run file and updating the manifest loses nothing."""
    exp = load_experiment(mini)
    out = tmp_path / "out"
    run_experiment(exp, out, backend="serial")
    reference = _bytes(out)
    manifest = json.loads((out / MANIFEST).read_text())
    for r in manifest["runs"][1:]:
        r["status"] = "running"
    (out / MANIFEST).write_text(json.dumps(manifest))
    (out / "runs" / "carrousel__r0001.parquet").unlink()
    ran: list[str] = []

    def counting(spec: RunSpec) -> RunResult:
        ran.append(spec.run_id)
        return execute_run(spec)

    run_experiment(exp, out, backend="serial", resume=True, work=counting)
    assert ran == ["carrousel__r0001"]
    assert _bytes(out) == reference


def test_final_residents_and_outputs_subset(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, replications=1, extra='final_residents = true\noutputs = ["mean_self_reliance", "cost_eur"]\n')
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    df = pd.read_parquet(out / TIMESERIES)
    assert list(df.columns) == ["scenario", "replication", "seed", "tick", "mean_self_reliance", "cost_eur"]
    res = pd.read_parquet(out / "final_residents.parquet")
    assert set(res["scenario"]) == {"basis", "carrousel"}
    assert res["self_reliance"].between(0, 1).all()
    assert set(res["category"].astype(str)) <= {"strong", "vulnerable", "sliding"}
    assert len(res[res["scenario"] == "basis"]) == 120


def test_sweep_results_carry_points_and_compare_pairs_within_a_point(tmp_path: Path) -> None:
    from buurtsim.experiment import compare_results

    path = write_experiment(tmp_path, replications=2, extra='outputs = ["mean_self_reliance", "cost_eur", "population"]\n'
                            '[sweep]\n[sweep.grid]\nshock_prob = [0.002, 0.02]\n')
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, backend="serial")
    df = pd.read_parquet(out / TIMESERIES)
    assert list(df.columns[:6]) == ["scenario", "point", "replication", "seed", "tick", "param_shock_prob"]
    assert set(zip(df["point"], df["param_shock_prob"], strict=True)) == {(0, 0.002), (1, 0.02)}
    end = df[df["tick"] == df["tick"].max()].groupby("point")["mean_self_reliance"].mean()
    assert end[0] > end[1]  # ten times more life events: lower self-reliance
    comp = compare_results(out, at=["end"], metrics=["mean_self_reliance"])
    rows = {r["scenario"]: r for r in comp.rows}
    assert set(rows) == {"basis [p0]", "basis [p1]", "carrousel [p0]", "carrousel [p1]"}
    for j in (0, 1):
        sel = df[(df["point"] == j) & (df["tick"] == df["tick"].max())].set_index(["scenario", "replication"])["mean_self_reliance"]
        expected = (sel["carrousel"] - sel["basis"]).mean()
        assert rows[f"carrousel [p{j}]"]["diff"] == pytest.approx(expected)
    assert "[p1]: shock_prob = 0.02" in comp.notes


def test_full_disk_stops_cleanly_and_resume_completes(tmp_path: Path, mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from buurtsim.experiment import store as store_mod
    from buurtsim.experiment.batch import StorageError

    exp = load_experiment(mini)
    full = tmp_path / "full"
    run_experiment(exp, full, backend="serial")
    real = store_mod.write_json
    calls = {"n": 0}

    def filling_disk(target: Path, data: object) -> None:
        calls["n"] += 1
        if calls["n"] >= 4:  # the start manifest and two runs fit, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        real(target, data)

    monkeypatch.setattr(store_mod, "write_json", filling_disk)
    out = tmp_path / "out"
    with pytest.raises(StorageError, match="--resume"):
        run_experiment(exp, out, backend="serial")
    monkeypatch.setattr(store_mod, "write_json", real)
    assert len(list((out / "runs").glob("*.parquet"))) >= 2
    manifest = run_experiment(exp, out, backend="serial", resume=True)
    assert manifest["status"] == "complete"
    assert _bytes(out) == _bytes(full)
