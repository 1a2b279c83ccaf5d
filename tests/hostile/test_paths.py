"""Paths written in an experiment file stay in its folder: '..', absolute paths and symbolic links
that lead out are refused (exit 2, naming the file and field) before anything is read, so an
experiment handed in by someone else cannot make buurtsim read, and quote, files elsewhere on the
machine. Names the file system cannot take (a NUL character, a path too long) are refused too."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.hostile.conftest import HostileCli, assert_refused

from buurtsim.experiment import load_experiment

SECRET = "geheim = 'niet voor jou'\n"


def _experiment(folder: Path, scenarios: str, extra: str = "") -> Path:
    path = folder / "exp.toml"
    path.write_text(f'[experiment]\nname = "e"\nscenarios = [{scenarios}]\nreplications = 1\n{extra}', encoding="utf-8")
    return path


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """tmp/klas/ holds the experiment; tmp/prive.toml and tmp/prive.json lie outside it."""
    (tmp_path / "prive.toml").write_text(SECRET, encoding="utf-8")
    (tmp_path / "prive.json").write_text('{"geheim": 1}', encoding="utf-8")
    folder = tmp_path / "klas"
    (folder / "sub").mkdir(parents=True)
    (folder / "link.toml").symlink_to(tmp_path / "prive.toml")
    (folder / "sub" / "mijn.toml").write_text('[scenario]\nname = "mijn"\ntitle = "Mijn scenario"\n', encoding="utf-8")
    return folder


@pytest.mark.parametrize("entry", ['"../prive.toml"', "ABSOLUTE", '"link.toml"', '"sub/../../prive.toml"'])
def test_scenario_paths_that_lead_out_are_refused(entry: str, layout: Path, hostile_cli: HostileCli) -> None:
    entry = f'"{layout.parent / "prive.toml"}"' if entry == "ABSOLUTE" else entry
    exp = _experiment(layout, entry)
    text = assert_refused(hostile_cli("experiment", str(exp), "--backend", "serial", "--out", str(layout / "uit")),
                          "exp.toml", "experiment.scenarios.0", "outside the folder")
    assert "geheim" not in text and not (layout / "uit").exists()


def test_an_ensemble_outside_the_folder_is_refused(layout: Path, hostile_cli: HostileCli) -> None:
    exp = _experiment(layout, '"basis"', 'uncertainty = "../prive.json"\n')
    text = assert_refused(hostile_cli("experiment", str(exp), "--backend", "serial"), "experiment.uncertainty", "outside the folder")
    assert "geheim" not in text


@pytest.mark.parametrize("entry", ['"a\\u0000.toml"', '"' + "a/" * 3000 + 'x.toml"'])
def test_unusable_file_names_are_refused(entry: str, layout: Path, hostile_cli: HostileCli) -> None:
    exp = _experiment(layout, entry)
    text = assert_refused(hostile_cli("experiment", str(exp), "--backend", "serial"), "exp.toml", "experiment.scenarios.0")
    assert len(text) < 2000


def test_files_in_the_folder_and_below_and_shipped_names_still_load(layout: Path) -> None:
    exp = load_experiment(_experiment(layout, '"sub/mijn.toml", "basis"'))
    assert [s.name for s in exp.scenarios] == ["mijn", "basis"]
