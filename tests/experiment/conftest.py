"""Tiny experiments for the batch tests: two or three small scenarios (N=120, a few weeks of
burn-in, 30-40 weeks) and an experiment file over them, written into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

SCENARIOS = {
    "basis": "",
    "carrousel": """
[[policies]]
type = "project_carousel"
start = 2
end = 16
project_weeks = 8
projects_per_year = 13
""",
    "presentie": """
[[policies]]
type = "long_term_presence"
start = 2
end = 16
""",
}


def write_scenario(folder: Path, name: str, policies: str = "", *, n: int = 120, horizon: int = 36) -> Path:
    """A small scenario file; `policies` is TOML text of [[policies]] blocks."""
    path = folder / f"{name}.toml"
    path.write_text(
        f'[scenario]\nname = "{name}"\ntitle = "{name}"\nhorizon = {horizon}\nseed = 5\n\n'
        f"[neighbourhood]\nn_residents = {n}\n\n[params]\nburn_in_weeks = 4\nclustering_sample = 60\n{policies}",
        encoding="utf-8",
    )
    return path


def write_experiment(folder: Path, body: str = "", *, names: tuple[str, ...] = ("basis", "carrousel"), replications: int = 2,
                     extra: str = "", file: str = "exp.toml") -> Path:
    """Scenario files for `names` plus an experiment file over them."""
    for name in names:
        write_scenario(folder, name, SCENARIOS.get(name, ""))
    scen = ", ".join(f'"{n}.toml"' for n in names)
    path = folder / file
    path.write_text(
        body or f'[experiment]\nname = "mini"\nscenarios = [{scen}]\nreplications = {replications}\nmaster_seed = 11\n{extra}',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """Path of a tiny experiment: basis and carrousel, 2 replications, 36 weeks, N=120."""
    return write_experiment(tmp_path)
