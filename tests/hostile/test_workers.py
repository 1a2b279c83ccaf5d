"""Worker processes end when their parent dies, whatever signal killed it (also kill -9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.experiment.conftest import write_scenario

from buurtsim.experiment.watchdog import POLL_SECONDS


def _children(pid: int) -> set[int]:
    """Every descendant of `pid`, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, pp in parents.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _workers_of(pid: int) -> set[int]:
    out = set()
    for child in _children(pid):
        try:
            if b"multiprocessing" in Path(f"/proc/{child}/cmdline").read_bytes():
                out.add(child)
        except OSError:
            pass
    return out


@pytest.mark.slow
@pytest.mark.parametrize(("backend", "sig"), [("process", signal.SIGKILL), ("process", signal.SIGTERM), ("dask", signal.SIGKILL)])
def test_workers_end_when_the_parent_is_killed(backend: str, sig: int, tmp_path: Path) -> None:
    write_scenario(tmp_path, "lang", n=3000, horizon=3000)
    (tmp_path / "exp.toml").write_text('[experiment]\nname = "lang"\nscenarios = ["lang.toml"]\nreplications = 4\n')
    parent = subprocess.Popen(
        [sys.executable, "-c", "from buurtsim.cli import main; main()", "experiment", "exp.toml", "--backend", backend, "--workers", "2"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    family: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.5)
            workers = _workers_of(parent.pid)
        assert len(workers) >= 2, "the workers did not start"
        family = _children(parent.pid)  # workers and multiprocessing's resource tracker
        time.sleep(1)  # some workers may still be starting: they must end too
        os.kill(parent.pid, sig)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 10 * POLL_SECONDS + 20
        while time.monotonic() < deadline and any(_alive(p) for p in family):
            time.sleep(0.5)
        assert not [p for p in family if _alive(p)], "processes outlived their parent"
    finally:  # never leave processes behind, also when the test fails
        for pid in family | (_children(parent.pid) if parent.poll() is None else set()):
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()


def test_a_worker_keeps_no_model_of_a_finished_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """mesa keeps every model in its agent-id counters unless released; a run releases its model."""
    import gc
    import weakref

    import mesa

    from buurtsim.experiment import execute_run, load_experiment, plan_runs
    from buurtsim.experiment import runner as runner_mod

    (tmp_path / "exp.toml").write_text('[experiment]\nname = "k"\nscenarios = ["kort.toml"]\nreplications = 2\n')
    write_scenario(tmp_path, "kort", n=40, horizon=3)
    built: list[weakref.ref] = []
    original = runner_mod.build_model

    def tracking(spec):  # type: ignore[no-untyped-def]
        model = original(spec)
        built.append(weakref.ref(model))
        return model

    monkeypatch.setattr(runner_mod, "build_model", tracking)
    for spec in plan_runs(load_experiment(tmp_path / "exp.toml")):
        assert execute_run(spec).status == "done"
    gc.collect()
    assert len(built) == 2 and all(ref() is None for ref in built)
    assert not any(ref() in mesa.Agent._ids for ref in built)
