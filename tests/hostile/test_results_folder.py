"""Results folders: buurtsim replaces only what it wrote and recorded; damaged files are found by
their checksums and run again by --resume; a manifest of the wrong shape gets a message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from tests.experiment.conftest import write_experiment
from tests.hostile.conftest import HostileCli, assert_refused, snapshot

from buurtsim.experiment import load_experiment, run_experiment
from buurtsim.experiment.store import MANIFEST, TIMESERIES


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished tiny experiment (2 scenarios x 2 replications), written once per module."""
    base = tmp_path_factory.mktemp("finished")
    exp_file = write_experiment(base)
    run_experiment(load_experiment(exp_file), base / "out", backend="serial")
    return base


@pytest.fixture
def results(finished: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(experiment file, results folder): a fresh copy of the finished experiment."""
    work = tmp_path / "w"
    shutil.copytree(finished, work)
    manifest = json.loads((work / "out" / MANIFEST).read_text())
    manifest["experiment"]["file"] = str(work / "exp.toml")
    (work / "out" / MANIFEST).write_text(json.dumps(manifest))
    return work / "exp.toml", work / "out"


def _foreign_folder(tmp_path: Path, manifest_text: str) -> Path:
    folder = tmp_path / "mine"
    (folder / "runs").mkdir(parents=True)
    (folder / MANIFEST).write_text(manifest_text)
    (folder / "runs" / "thesis.parquet").write_bytes(b"my own data")
    (folder / "report.html").write_text("<p>my report</p>")
    (folder / TIMESERIES).write_bytes(b"my own series")
    return folder


@pytest.mark.parametrize("manifest_text", ['{"experiment": {"name": "x"}}', "[]", "null", "{", '{"format": 1, "runs": 5}', "\x00" * 100])
def test_force_never_removes_a_folder_buurtsim_does_not_own(manifest_text: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    exp_file = write_experiment(tmp_path, replications=1)
    folder = _foreign_folder(tmp_path, manifest_text)
    before = snapshot(folder)
    text = assert_refused(hostile_cli("experiment", str(exp_file), "--out", str(folder), "--force", "--backend", "serial"), "mine")
    assert "add --force" not in text and "another --out" in text
    assert snapshot(folder) == before


def test_run_force_does_not_overwrite_a_users_timeseries(tmp_path: Path, hostile_cli: HostileCli) -> None:
    folder = tmp_path / "analyse"
    folder.mkdir()
    (folder / TIMESERIES).write_bytes(b"my own series")
    before = snapshot(folder)
    text = assert_refused(hostile_cli("run", "basis", "--ticks", "2", "-n", "30", "--out", str(folder), "--force"), "not empty")
    assert "add --force" not in text
    assert snapshot(folder) == before


def test_force_replaces_only_recorded_files(results: tuple[Path, Path], tmp_path: Path) -> None:
    _, out = results
    (out / "runs" / "notes.txt").write_text("mine")
    (out / "mine.csv").write_text("a,b")
    other = write_experiment(tmp_path, file="other.toml", names=("basis",),
                             body='[experiment]\nname = "ander"\nscenarios = ["basis.toml"]\nreplications = 1\n')
    manifest = run_experiment(load_experiment(other), out, backend="serial", force=True)
    assert manifest["status"] == "complete"
    assert (out / "runs" / "notes.txt").read_text() == "mine" and (out / "mine.csv").read_text() == "a,b"
    assert not (out / "runs" / "carrousel__r0000.parquet").exists()


def test_a_manifest_cannot_point_outside_its_folder(results: tuple[Path, Path], tmp_path: Path, hostile_cli: HostileCli) -> None:
    exp_file, out = results
    victim = out.parent / "victim.parquet"
    victim.write_bytes(b"precious")
    manifest = json.loads((out / MANIFEST).read_text())
    manifest["runs"][0]["run_id"] = "../../victim"
    (out / MANIFEST).write_text(json.dumps(manifest))
    assert_refused(hostile_cli("experiment", str(exp_file), "--out", str(out), "--force", "--backend", "serial"), "not a buurtsim manifest")
    assert victim.read_bytes() == b"precious"


@pytest.mark.parametrize("manifest_text", ["[]", "null", '{"experiment": [], "runs": []}', '{"experiment": {"name": "x"}, "runs": [1]}',
                                           "[" * 100_000, '{"experiment": {"name": "x", "replications": "<b>"}, "runs": [], "scenarios": []}'])
@pytest.mark.parametrize("command", ["compare", "report", "resume"])
def test_a_manifest_of_the_wrong_shape_gets_a_message(manifest_text: str, command: str, results: tuple[Path, Path], hostile_cli: HostileCli) -> None:
    exp_file, out = results
    (out / MANIFEST).write_text(manifest_text)
    before = snapshot(out.parent)
    args = ("experiment", str(exp_file), "--out", str(out), "--resume", "--backend", "serial") if command == "resume" else (command, str(out))
    assert_refused(hostile_cli(*args), MANIFEST)
    assert snapshot(out.parent) == before


def _damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif how == "middle":
        data[len(data) // 2 : len(data) // 2 + 40] = b"\xff" * 40
        path.write_bytes(bytes(data))
    else:  # one bit in the data pages: still a readable Parquet file, with other numbers
        data[200] ^= 0x01
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "middle", "bitflip"])
def test_resume_reruns_a_damaged_run(how: str, results: tuple[Path, Path], hostile_cli: HostileCli) -> None:
    exp_file, out = results
    run_file = out / "runs" / "carrousel__r0001.parquet"
    good = pd.read_parquet(run_file)
    _damage(run_file, how)
    code, stdout, stderr = hostile_cli("experiment", str(exp_file), "--out", str(out), "--resume", "--backend", "serial")
    text = " ".join((stdout + stderr).split())
    assert code == 0, text
    assert "Traceback" not in text
    assert "Beschadigd: carrousel__r0001" in text
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "complete"
    pd.testing.assert_frame_equal(pd.read_parquet(run_file), good)  # the same seed gives the same numbers again


def test_compare_refuses_a_damaged_timeseries_and_resume_rebuilds_it(results: tuple[Path, Path], hostile_cli: HostileCli) -> None:
    exp_file, out = results
    good = (out / TIMESERIES).read_bytes()
    _damage(out / TIMESERIES, "bitflip")
    for command in ("compare", "report"):
        assert_refused(hostile_cli(command, str(out)), TIMESERIES, "--resume")
    assert not (out / "report.html").exists()
    code, _, _ = hostile_cli("experiment", str(exp_file), "--out", str(out), "--resume", "--backend", "serial")
    assert code == 0 and (out / TIMESERIES).read_bytes() == good
    assert hostile_cli("compare", str(out))[0] == 0


def test_results_without_checksums_still_open_with_a_note(results: tuple[Path, Path], hostile_cli: HostileCli) -> None:
    exp_file, out = results
    manifest = json.loads((out / MANIFEST).read_text())
    manifest.pop("producer")
    manifest.pop("files")
    manifest["format"] = 1
    for run in manifest["runs"]:
        run.pop("sha256")
        run.pop("residents_sha256")
    (out / MANIFEST).write_text(json.dumps(manifest))
    code, stdout, stderr = hostile_cli("compare", str(out))
    assert code == 0 and "without checksums" in " ".join(stderr.split())
    _damage(out / "runs" / "basis__r0000.parquet", "truncated")
    code, stdout, stderr = hostile_cli("experiment", str(exp_file), "--out", str(out), "--resume", "--backend", "serial")
    assert code == 0 and "Beschadigd: basis__r0000" in " ".join((stdout + stderr).split())
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["producer"] == "buurtsim" and all(len(r["sha256"]) == 64 for r in manifest["runs"])


def test_checksums_are_recorded(results: tuple[Path, Path]) -> None:
    from buurtsim.experiment.integrity import file_sha256

    _, out = results
    manifest = json.loads((out / MANIFEST).read_text())
    for run in manifest["runs"]:
        assert run["sha256"] == file_sha256(out / "runs" / f"{run['run_id']}.parquet")
    assert manifest["files"][TIMESERIES] == file_sha256(out / TIMESERIES)


def test_sensitivity_force_leaves_a_foreign_folder_alone(tmp_path: Path, hostile_cli: HostileCli) -> None:
    exp = write_experiment(tmp_path, replications=1, extra='\n[sensitivity]\nsamples = 2\n[sensitivity.ranges]\nshock_prob = [0.001, 0.01]\n')
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "sensitivity.csv").write_text("my own table")
    (folder / "sensitivity.json").write_text('{"identity": "not buurtsim"}')
    before = snapshot(folder)
    text = assert_refused(hostile_cli("sensitivity", str(exp), "--out", str(folder), "--force", "--backend", "serial"), "mine")
    assert "add --force" not in text
    assert snapshot(folder) == before


def test_a_damaged_run_is_never_taken_back_later(results: tuple[Path, Path]) -> None:
    """Damage found, rerun fails: the damaged file is gone, so a later resume runs it again too."""
    from buurtsim.experiment import RunResult, execute_run

    exp_file, out = results
    run_file = out / "runs" / "basis__r0001.parquet"
    good = pd.read_parquet(run_file)
    _damage(run_file, "bitflip")

    def failing(spec):  # type: ignore[no-untyped-def]
        if spec.run_id == "basis__r0001":
            return RunResult(run_id=spec.run_id, status="failed", duration_s=0.0, error="RuntimeError: boom")
        return execute_run(spec)

    manifest = run_experiment(load_experiment(exp_file), out, backend="serial", resume=True, work=failing)
    assert {r["run_id"]: r["status"] for r in manifest["runs"]}["basis__r0001"] == "failed"
    assert not run_file.exists()
    manifest = run_experiment(load_experiment(exp_file), out, backend="serial", resume=True)
    assert manifest["status"] == "complete"
    pd.testing.assert_frame_equal(pd.read_parquet(run_file), good)
