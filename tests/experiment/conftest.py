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


#: Calibrated parameters of the test ensembles (drawn from half to twice their default, inside their documented range).
ENSEMBLE_PARAMS = ("professional_effect", "trust_build_weeks", "recovery_rate")


def write_ensemble(path: Path, members: int = 4, *, seed: int = 3, params: tuple[str, ...] = ENSEMBLE_PARAMS,
                   weights: list[float] | None = None) -> Path:
    """A small ensemble file (the format `buurtsim calibrate` writes): members drawn with a seeded
    Generator from half to twice each parameter's default, within its documented range."""
    import numpy as np

    from buurtsim.ensemble import Ensemble, Member, provenance, save_ensemble
    from buurtsim.params import describe

    rng = np.random.default_rng(seed)
    ranges = {}
    for name in params:
        d = describe(name)
        ranges[name] = (max(d["min"], d["default"] / 2), min(d["max"], d["default"] * 2))
    drawn = tuple(
        Member({n: float(rng.uniform(*ranges[n])) for n in params}, 1.0 if weights is None else weights[i], int(rng.integers(0, 2**31)))
        for i in range(members)
    )
    ens = Ensemble(params, drawn, provenance({"name": "test fixture"}, {"master": seed}))
    return save_ensemble(ens, path)
