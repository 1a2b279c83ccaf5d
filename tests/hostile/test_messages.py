"""Mistakes that used to end in a traceback (or a hang) end in one located message, exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.experiment.conftest import write_experiment
from tests.hostile.conftest import HostileCli, assert_refused, snapshot

from buurtsim.teaching import get_lesson, new_record, set_prediction, write


def _loop(folder: Path, name: str) -> Path:
    path = folder / name
    path.symlink_to(name)
    return path


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_symlink_loop_is_named(command: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    loop = _loop(tmp_path, "loop.toml")
    assert_refused(hostile_cli(command, str(loop)), "loop.toml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["loop.toml"]


def test_a_symlink_loop_in_an_experiment(tmp_path: Path, hostile_cli: HostileCli) -> None:
    _loop(tmp_path, "loop.toml")
    exp = tmp_path / "exp.toml"
    exp.write_text('[experiment]\nname = "e"\nscenarios = ["loop.toml"]\n')
    assert_refused(hostile_cli("experiment", str(exp)), "experiment.scenarios.0", "loop", "line 3")
    assert_refused(hostile_cli("experiment", str(_loop(tmp_path, "exp-loop.toml"))), "exp-loop.toml", "loop")


@pytest.mark.parametrize(("args", "needle"), [
    (("validate", "{fifo}"), "not a regular file"),
    (("run", "{fifo}"), "not a regular file"),
    (("experiment", "{fifo}"), "not a regular file"),
    (("validate", "/dev/zero"), "not a regular file"),
])
def test_pipes_and_devices_are_refused_without_waiting(args: tuple[str, ...], needle: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    fifo = tmp_path / "pijp.toml"
    os.mkfifo(fifo)
    assert_refused(hostile_cli(*(a.format(fifo=fifo) for a in args), timeout=60), needle)


@pytest.mark.parametrize("args", [
    ("run", "basis", "--ticks", "1", "-n", "20", "--out", "/proc/buurtsim-test"),
    ("experiment", "{exp}", "--backend", "serial", "--out", "/proc/buurtsim-test"),
    ("run", "basis", "--ticks", "1", "-n", "20", "--out", "{file}"),
])
def test_unwritable_out_folders(args: tuple[str, ...], tmp_path: Path, hostile_cli: HostileCli) -> None:
    exp = write_experiment(tmp_path, replications=1)
    file = tmp_path / "bestand"
    file.write_text("x")
    before = snapshot(tmp_path)
    assert_refused(hostile_cli(*(a.format(exp=exp, file=file) for a in args)), "--out" if "proc" in args[-1] else "not a directory")
    assert snapshot(tmp_path) == before


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from buurtsim.experiment import load_experiment, run_experiment

    base = tmp_path_factory.mktemp("res")
    run_experiment(load_experiment(write_experiment(base, replications=1)), base / "out", backend="serial")
    return base / "out"


@pytest.mark.parametrize(("target", "needle"), [("{dir}", "this is a folder"), ("/proc/buurtsim.html", "cannot write"),
                                                ("{dir}/nergens/r.html", "does not exist")])
def test_report_out_must_be_a_writable_file(target: str, needle: str, results: Path, tmp_path: Path, hostile_cli: HostileCli) -> None:
    before = snapshot(tmp_path)
    assert_refused(hostile_cli("report", str(results), "--out", target.format(dir=tmp_path)), "--out", needle)
    assert snapshot(tmp_path) == before


def test_voorspel_checks_seed_and_file_before_running(tmp_path: Path, hostile_cli: HostileCli) -> None:
    base = ("voorspel", "les1", "--naam", "Anna", "-a", "v1=B", "-a", "v2=50", "-a", "v3=B")
    text = assert_refused(hostile_cli(*base, "--seed", "-1"), "--seed")
    assert "draait" not in text
    text = assert_refused(hostile_cli(*base, "--seed", "3", "--uit", str(tmp_path)), "--uit", "this is a folder")
    assert "draait" not in text
    assert list(tmp_path.iterdir()) == []


def _record(folder: Path, name: str, student: str) -> Path:
    les = get_lesson("les1")
    rec = new_record(les, student, group="[bold]SW2B")
    rec = set_prediction(rec, les, les.questions[0].id, les.options(les.questions[0].id)[0].key if les.options(les.questions[0].id) else 50)
    path = folder / name
    write(rec, path)
    return path


def test_rich_markup_in_prediction_files_is_shown_literally(tmp_path: Path, hostile_cli: HostileCli) -> None:
    _record(tmp_path, "a.json", "[/yellow]Anna[link=javascript:alert(1)]x")
    _record(tmp_path, "b.json", "Bob")
    data = json.loads((tmp_path / "b.json").read_text())
    data["student"] = "[/yellow]" * 200  # too long: refused, and the message does not break the output
    (tmp_path / "c.json").write_text(json.dumps(data))
    code, out, err = hostile_cli("verzamel", str(tmp_path), "--skip-invalid", "--uit", str(tmp_path / "klas.md"))
    assert code == 0, err
    assert "Traceback" not in out + err and "overgeslagen" in out
    assert "[/yellow]Anna" in (tmp_path / "klas.md").read_text()


@pytest.mark.parametrize(("content", "needle"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"a": ' * 50 + "1" + "}" * 50, "nested too deeply"),
    ('{"format": "buurtsim-voorspellingen", "version": 1, "student": "' + "x" * 2_000_000 + '"}', "too large"),
])
def test_hostile_prediction_files(content: str, needle: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    (tmp_path / "x.json").write_text(content)
    assert_refused(hostile_cli("verzamel", str(tmp_path)), "x.json", needle)


def test_a_long_value_is_not_echoed_in_full(tmp_path: Path, hostile_cli: HostileCli) -> None:
    data = json.loads(_record(tmp_path, "a.json", "Anna").read_text())
    data["predictions"]["v1"]["value"] = "Z" * 500_000
    (tmp_path / "a.json").write_text(json.dumps(data))
    text = assert_refused(hostile_cli("verzamel", str(tmp_path)), "a.json", "more characters")
    assert len(text) < 2000
