"""The package describes itself: one version, license, changelog, citation, shipped-file layout."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

import buurtsim
from buurtsim._version import __version__

REPO = Path(__file__).resolve().parents[1]


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert buurtsim.__version__ == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_citation_license_and_changelog_match_the_version() -> None:
    citation = (REPO / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(__version__)}"$', citation, re.M), "CITATION.cff version"
    assert "cff-version: 1.2.0" in citation and "license: MIT" in citation
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{__version__}]" in changelog and "## [Unreleased]" in changelog


def test_every_shipped_folder_is_copied_into_the_wheel() -> None:
    """setup.py's SHIPPED names the folders commands read; each pattern matches files."""
    import ast

    tree = ast.parse((REPO / "setup.py").read_text(encoding="utf-8"))
    shipped = next(ast.literal_eval(node.value) for node in ast.walk(tree)
                   if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SHIPPED")
    assert set(shipped) == {"scenarios", "experiments", "docs"}
    for folder, patterns in shipped.items():
        for pattern in patterns:
            assert list((REPO / folder).glob(pattern)), f"{folder}/{pattern} matches nothing"


def test_lazy_top_level_names_resolve() -> None:
    for name in buurtsim.__all__:
        assert getattr(buurtsim, name) is not None
    assert "NeighbourhoodModel" in dir(buurtsim)
    with pytest.raises(AttributeError, match="no_such_name"):
        buurtsim.no_such_name  # noqa: B018
