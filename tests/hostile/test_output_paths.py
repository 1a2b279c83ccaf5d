"""Places a command is asked to write to: a name too long for the file system, a folder that
cannot be made, a missing folder, a link, an address that is not this machine's. Each ends in one
message naming the flag or the path (exit 2), never a traceback, and nothing is overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.experiment.conftest import write_experiment
from tests.hostile.conftest import HostileCli, assert_refused

LONG_NAME = "x" * 5000


def test_an_output_folder_name_too_long_is_named(tmp_path: Path, hostile_cli: HostileCli) -> None:
    for args in (("run", "basis", "--ticks", "2", "-n", "50", "--out", LONG_NAME),
                 ("compare", LONG_NAME), ("report", LONG_NAME)):
        assert_refused(hostile_cli(*args), "xxxx")
    assert list(tmp_path.iterdir()) == []


def test_werkblad_refuses_a_folder_it_cannot_make(hostile_cli: HostileCli) -> None:
    assert_refused(hostile_cli("werkblad", "les1", "--formaat", "html", "--uit", "/proc/buurtsim-werkbladen"), "--uit", "/proc/")


def test_prices_write_refuses_a_missing_folder_and_a_link(tmp_path: Path, hostile_cli: HostileCli) -> None:
    assert_refused(hostile_cli("prices", "--write", str(tmp_path / "nergens" / "p.toml")), "--write", "does not exist")
    target = tmp_path / "elders.txt"
    (tmp_path / "p.toml").symlink_to(target)  # a dangling link: writing through it would create `target`
    assert_refused(hostile_cli("prices", "--write", str(tmp_path / "p.toml")), "--write", "exists")
    assert not target.exists()
    code, _out, err = hostile_cli("prices", "--write", str(tmp_path / "nieuw.toml"))
    assert code == 0, err
    assert "[mkba]" in (tmp_path / "nieuw.toml").read_text(encoding="utf-8")


def test_dashboard_refuses_an_address_that_is_not_this_machines(hostile_cli: HostileCli) -> None:
    assert_refused(hostile_cli("dashboard", "--host", "geen adres", "--port", "0"), "--host", "geen adres")


def test_resume_onto_a_folder_where_a_file_belongs_keeps_the_runs(tmp_path: Path, hostile_cli: HostileCli) -> None:
    from buurtsim.experiment import load_experiment, run_experiment

    exp = write_experiment(tmp_path, replications=1)
    run_experiment(load_experiment(exp), tmp_path / "uit", backend="serial")
    (tmp_path / "uit" / "timeseries.parquet").unlink()
    (tmp_path / "uit" / "timeseries.parquet").mkdir()
    runs = sorted(p.name for p in (tmp_path / "uit" / "runs").iterdir())
    assert_refused(hostile_cli("experiment", str(exp), "--out", str(tmp_path / "uit"), "--resume", "--backend", "serial"),
                   "timeseries.parquet")
    assert sorted(p.name for p in (tmp_path / "uit" / "runs").iterdir()) == runs
    assert json.loads((tmp_path / "uit" / "manifest.json").read_text())["runs"]
    shutil.rmtree(tmp_path, ignore_errors=True)
