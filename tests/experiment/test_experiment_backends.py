"""Same seeds, same numbers on every backend; an experiment killed mid-way resumes to the same files."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.errors import UserError
from buurtsim.experiment import compare_results, load_experiment, run_experiment
from buurtsim.experiment.store import MANIFEST, RESIDENTS, TIMESERIES

CLI = [sys.executable, "-c", "from buurtsim.cli import main; main()"]


def test_serial_process_and_dask_give_identical_parquet(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    path = write_experiment(tmp_path, names=("basis", "carrousel", "presentie"), replications=2, extra="final_residents = true\n")
    exp = load_experiment(path)
    from dask.distributed import LocalCluster

    outs = {}
    for backend in ("serial", "process", "dask"):
        outs[backend] = tmp_path / backend
        manifest = run_experiment(exp, outs[backend], backend=backend, workers=2)
        assert manifest["status"] == "complete", manifest["runs"]
        assert manifest["sessions"][-1]["backend"]["name"] == backend
    # an existing cluster, reached by its address (as with --scheduler tcp://host:8786)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        outs["cluster"] = tmp_path / "cluster"
        manifest = run_experiment(exp, outs["cluster"], backend="dask", scheduler=cluster.scheduler_address)
        assert manifest["status"] == "complete", manifest["runs"]
    for name in (TIMESERIES, RESIDENTS):
        ref = (outs["serial"] / name).read_bytes()
        for backend in ("process", "dask", "cluster"):
            assert (outs[backend] / name).read_bytes() == ref, f"{backend} differs in {name}"
    # and the scenarios really differ (the comparison is not trivially equal)
    import pandas as pd

    df = pd.read_parquet(outs["serial"] / TIMESERIES)
    last = df[df["tick"] == df["tick"].max()].groupby("scenario")["cost_eur"].mean()
    assert last["basis"] == 0 and last["carrousel"] > 0 and last["presentie"] > 0


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(Path.cwd()), env.get("PYTHONPATH", "")])
    env["COLUMNS"] = "120"
    return env


def test_killed_experiment_resumes_to_the_same_files(tmp_path: Path) -> None:
    path = write_experiment(tmp_path, names=("basis", "carrousel", "presentie"), replications=3)
    reference = tmp_path / "reference"
    run_experiment(load_experiment(path), reference, backend="serial")

    out = tmp_path / "killed"
    proc = subprocess.Popen([*CLI, "experiment", str(path), "--out", str(out), "--backend", "serial"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_cli_env())
    deadline = time.monotonic() + 120
    runs_dir = out / "runs"
    while time.monotonic() < deadline and proc.poll() is None:
        if runs_dir.is_dir() and any(p.suffix == ".parquet" and not p.name.startswith(".") for p in runs_dir.iterdir()):
            break
        time.sleep(0.01)
    assert proc.poll() is None, f"the experiment ended before it could be killed: {proc.stderr.read().decode() if proc.stderr else ''}"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    finished = sorted(p.name for p in runs_dir.glob("*.parquet") if not p.name.startswith("."))
    assert 1 <= len(finished) < 9
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "running"
    assert sum(r["status"] != "done" for r in manifest["runs"]) >= 9 - len(finished)
    with pytest.raises(UserError, match="--resume"):
        compare_results(out)

    before = {name: (runs_dir / name).stat() for name in finished}
    again = subprocess.run([*CLI, "experiment", str(path), "--out", str(out), "--backend", "serial"],
                           capture_output=True, text=True, env=_cli_env(), timeout=300)
    assert again.returncode == 2 and "--resume" in again.stderr

    resumed = subprocess.run([*CLI, "experiment", str(path), "--out", str(out), "--backend", "serial", "--resume"],
                             capture_output=True, text=True, env=_cli_env(), timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["status"] == "complete" and len(manifest["sessions"]) == 2
    assert (out / TIMESERIES).read_bytes() == (reference / TIMESERIES).read_bytes()
    for name, stat in before.items():  # runs finished before the kill were not run again
        now = (runs_dir / name).stat()
        assert (now.st_ino, now.st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
