"""The shipped lessons: they load, refer to existing scenarios, metrics and documents, and every
lesson scenario validates with the scenario loader and runs briefly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from buurtsim.metrics import METRIC_NAMES
from buurtsim.model import NeighbourhoodModel
from buurtsim.scenario import load_scenario
from buurtsim.teaching import THEMES, get_lesson, list_lessons, scenario_dir
from buurtsim.teaching.lesson import LessonError

REPO = Path(__file__).resolve().parents[2]
LESSON_SCENARIOS = sorted((REPO / "scenarios" / "lessen").glob("*.toml"))
LESSONS = list_lessons()


def test_at_least_five_lessons_in_order() -> None:
    ids = [les.id for les in LESSONS]
    assert len(ids) >= 5
    assert ids[:5] == ["les1", "les2", "les3", "les4", "les5"]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda les: les.id)
def test_lesson_is_complete(lesson) -> None:
    assert 45 <= lesson.duration_min <= 90
    assert set(lesson.themes) <= set(THEMES)
    assert lesson.learning_goals and lesson.discussion and lesson.leaves_out
    assert (REPO / "docs" / "teaching" / lesson.doc).is_file(), f"{lesson.id}: docs/teaching/{lesson.doc} is missing"
    for q in lesson.questions:
        assert q.metric in METRIC_NAMES
        assert q.tick <= lesson.run_weeks
        assert len(q.text) > 20
        if q.kind != "value":
            assert len(lesson.options(q.id)) == 3


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda les: les.id)
def test_lesson_scenarios_validate_and_last_long_enough(lesson) -> None:
    for key, path in lesson.scenario_paths().items():
        scenario = load_scenario(path)
        assert scenario.horizon >= lesson.run_weeks, f"{lesson.id}: scenario {key} ({path.name}) is shorter than the lesson"
        assert 200 <= scenario.to_params().n_residents <= 1000, "lesson scenarios stay small so they run fast in class"


def test_doc_of_each_lesson_names_its_scenarios() -> None:
    for lesson in LESSONS:
        text = (REPO / "docs" / "teaching" / lesson.doc).read_text(encoding="utf-8")
        for s in lesson.scenarios:
            assert s.file in text, f"{lesson.doc} does not mention {s.file}"
        for q in lesson.questions:
            assert f"**{q.id}**" in text, f"{lesson.doc} does not show question {q.id} on its worksheet"


def test_every_lesson_scenario_belongs_to_a_lesson_and_opens_with_a_dutch_comment() -> None:
    used = {s.file for les in LESSONS for s in les.scenarios}
    assert LESSON_SCENARIOS, "no lesson scenarios found"
    for path in LESSON_SCENARIOS:
        assert path.name in used, f"{path.name} is not used by any lesson"
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# Les "), f"{path.name} should open with a comment '# Les N — ...'"
        text = path.read_text(encoding="utf-8")
        assert "Vraag die dit scenario dient" in text


@pytest.mark.parametrize("path", LESSON_SCENARIOS, ids=lambda p: p.stem)
def test_lesson_scenario_runs_briefly(path: Path) -> None:
    scenario = load_scenario(path)
    model = NeighbourhoodModel.from_scenario(scenario, seed=5, n_residents=200, burn_in_weeks=4)
    df = model.run(6)
    assert list(df.index) == list(range(7))
    assert df["population"].iloc[-1] > 0
    assert df.notna().all().all()


def test_scenario_dir_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BUURTSIM_LESSON_SCENARIOS", str(tmp_path))
    assert scenario_dir() == tmp_path
    with pytest.raises(LessonError, match=r"les1.*scenarios\[geen\]\.file.*does not exist"):
        get_lesson("les1").scenario_paths()


def test_lesson_files_are_valid_toml_with_ids_matching_file_names() -> None:
    folder = Path(__file__).resolve().parents[2] / "src" / "buurtsim" / "teaching" / "lessons"
    for path in folder.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["id"] == path.stem


def test_unknown_lesson_suggests_close_ids() -> None:
    with pytest.raises(LessonError, match=r"unknown lesson 'les11'.*did you mean: les1"):
        get_lesson("les11")
