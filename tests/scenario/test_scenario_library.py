"""The shipped scenario library: every file loads, runs briefly, round-trips, and says what it is for."""

from __future__ import annotations

from pathlib import Path

import pytest

from buurtsim import NeighbourhoodModel
from buurtsim.scenario import dump_scenario, load_scenario, load_scenario_text, scenarios_dir, shipped_scenarios

SHIPPED = shipped_scenarios()
REQUIRED = [
    "basis", "projectencarrousel", "langdurige_presentie", "achter_de_voordeur", "abcd", "bewonersbudget",
    "adviesbudget", "wijkbudget", "leefbaarheidsfonds", "bezuiniging", "herstructurering", "selectieve_uitstroom",
    "gedifferentieerd", "combinatie",
]


def test_library_is_found_and_complete() -> None:
    folder = scenarios_dir()
    assert folder is not None and folder.name == "scenarios"
    assert set(REQUIRED) <= set(SHIPPED)
    assert all(path.parent == folder for name, path in SHIPPED.items() if "/" not in name)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_scenario_loads_runs_and_round_trips(name: str) -> None:
    scenario = load_scenario(SHIPPED[name])
    assert load_scenario_text(dump_scenario(scenario)) == scenario
    model = NeighbourhoodModel.from_scenario(scenario, n_residents=150, burn_in_weeks=4)
    start = max([int(p.start) for p in scenario.policies] + [0])
    # Jump the week counter to just before the first policy starts (policies start after a year),
    # so a short run also exercises each policy's first weeks. A smoke test, not a simulation.
    model.tick = max(0, min(start, scenario.horizon) - 3)
    metrics = model.run(10)
    assert len(metrics) == 11 and metrics["population"].iloc[-1] > 0


@pytest.mark.parametrize("name", sorted(n for n in SHIPPED if "/" not in n))
def test_library_file_opens_with_a_dutch_explanation(name: str) -> None:
    text = SHIPPED[name].read_text(encoding="utf-8")
    head = text.split("[scenario]")[0]
    assert text.startswith("# ")
    assert "Wat dit voorstelt" in head and "Welke vraag het dient" in head
    scenario = load_scenario_text(text)
    assert scenario.name == name, "the scenario name matches its file name"
    assert (scenario.seed, scenario.horizon, scenario.params.get("n_residents")) == (1, 520, 2000)


def _cost(name: str) -> float:
    model = NeighbourhoodModel.from_scenario(SHIPPED[name], n_residents=40, burn_in_weeks=0)
    model.run(model.horizon)
    return model.cost_eur


@pytest.mark.slow
def test_presence_costs_the_same_as_the_carousel() -> None:
    carousel, presence = _cost("projectencarrousel"), _cost("langdurige_presentie")
    assert carousel == pytest.approx(963_300, rel=1e-9), "the computation in projectencarrousel.toml's comment"
    assert presence == pytest.approx(carousel, rel=1e-3)


def test_an_installed_library_is_found_inside_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wheel carries scenarios/, scenarios/lessen/, experiments/ and docs/ in buurtsim/_data
    (setup.py); outside a checkout the library, the lessons and the documents are found there.
    tests/test_wheel.py checks the same with a real wheel."""
    from buurtsim.scenario import library
    from buurtsim.teaching import scenario_dir

    share = tmp_path / "buurtsim" / "_data"
    (share / "docs" / "teaching").mkdir(parents=True)
    (share / "docs" / "teaching" / "gids.md").write_text("# Gids\n", encoding="utf-8")
    (share / "scenarios" / "lessen").mkdir(parents=True)
    (share / "experiments").mkdir()
    (share / "scenarios" / "basis.toml").write_text('[scenario]\nname = "basis"\ntitle = "x"\n', encoding="utf-8")
    (share / "scenarios" / "lessen" / "les.toml").write_text('[scenario]\nname = "les"\ntitle = "x"\n', encoding="utf-8")
    (share / "experiments" / "vlag.toml").write_text("[experiment]\n", encoding="utf-8")
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    monkeypatch.setattr(library, "REPO_ROOT", elsewhere)
    monkeypatch.setattr(library, "PACKAGE_DATA", share)
    monkeypatch.chdir(elsewhere)
    monkeypatch.delenv("BUURTSIM_LESSON_SCENARIOS", raising=False)
    assert set(library.shipped_scenarios()) == {"basis", "lessen/les"}
    assert set(library.shipped_experiments()) == {"vlag"}
    assert scenario_dir() == share / "scenarios" / "lessen"
    assert library.shipped_doc("teaching/gids.md") == share / "docs" / "teaching" / "gids.md"
    assert library.shipped_doc("teaching/ontbreekt.md") is None
    assert library.shipped_scenario_path("basis") == share / "scenarios" / "basis.toml"
    assert library.shipped_scenario_path("lessen/les") == share / "scenarios" / "lessen" / "les.toml"
    assert library.shipped_scenario_path("anders") == Path("anders")
