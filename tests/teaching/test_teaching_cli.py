"""`buurtsim lessen`, `les`, `voorspel` and `verzamel`: output, files, and exit status 2 without a
traceback on bad input. The round trip runs lesson 2 on small copies of its scenarios."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from buurtsim.teaching import get_lesson, list_lessons

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def small_lessons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copies of the lesson scenarios with 200 residents, used through BUURTSIM_LESSON_SCENARIOS."""
    folder = tmp_path / "lessen"
    folder.mkdir()
    for src in (REPO / "scenarios" / "lessen").glob("*.toml"):
        text = re.sub(r"(?m)^n_residents = \d+$", "n_residents = 200", src.read_text(encoding="utf-8"))
        (folder / src.name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("BUURTSIM_LESSON_SCENARIOS", str(folder))
    return folder


def test_lessen_lists_every_lesson(run_cli) -> None:
    code, out, _ = run_cli("lessen")
    assert code == 0
    for les in list_lessons():
        assert les.id in out
    code2, out2, _ = run_cli("lessons")
    assert code2 == 0 and out2 == out


def test_les_shows_questions_and_goals(run_cli) -> None:
    code, out, _ = run_cli("les", "les1")
    assert code == 0
    assert "Leerdoelen" in out and "Voorspelvragen" in out and "les1-carrousel.toml" in out
    for q in get_lesson("les1").questions:
        assert q.id in out


def test_unknown_lesson_exits_2(run_cli) -> None:
    code, _, err = run_cli("les", "les7x")
    assert code == 2 and "unknown lesson 'les7x'" in err


def test_voorspel_needs_every_prediction_when_not_interactive(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("voorspel", "les2", "--naam", "Anna", "-a", "v1=40", "--uit", str(tmp_path / "a.json"))
    assert code == 2
    assert "no prediction for v2, v3, v4, v5" in err
    assert not (tmp_path / "a.json").exists()


@pytest.mark.parametrize(("answer", "message"), [
    ("v1=veel", "question v1: expected a number"),
    ("v9=3", "no question 'v9'"),
    ("v1", "expected QUESTION=VALUE"),
])
def test_voorspel_bad_answer_exits_2(run_cli, answer: str, message: str) -> None:
    code, _, err = run_cli("voorspel", "les2", "--naam", "Anna", "-a", answer)
    assert code == 2 and message in err


def test_round_trip_voorspel_then_verzamel(run_cli, tmp_path: Path, small_lessons: Path) -> None:
    lesson = get_lesson("les2")
    folder = tmp_path / "klas"
    folder.mkdir()
    choices = {q.id: (lesson.options(q.id)[0].key if q.kind != "value" else "40") for q in lesson.questions}
    for name, seed in (("Anna", "3"), ("Bo", "4")):
        args = ["voorspel", "les2", "--naam", name, "--groep", "SW2B", "--seed", seed, "--uit", str(folder / f"{name}.json")]
        for qid, value in choices.items():
            args += ["--antwoord", f"{qid}={value}"]
        code, out, err = run_cli(*args)
        assert code == 0, err
        assert "Opgeslagen" in out
    data = json.loads((folder / "Anna.json").read_text(encoding="utf-8"))
    assert data["run"]["seed"] == 3 and set(data["observations"]) == {q.id for q in lesson.questions}
    code, out, err = run_cli("verzamel", str(folder), "--uit", str(tmp_path / "klas.csv"), "--figuur", str(tmp_path / "klas.png"))
    assert code == 0, err
    assert "2 student(en)" in out
    rows = (tmp_path / "klas.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + 2 * len(lesson.questions)
    assert (tmp_path / "klas.png").stat().st_size > 1000
    code, out2, _ = run_cli("collect", str(folder))
    assert code == 0 and "2 student(en)" in out2


def test_verzamel_bad_input_exits_2(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("verzamel", str(tmp_path / "nergens"))
    assert code == 2 and "folder does not exist" in err
    (tmp_path / "kapot.json").write_text('{"format": "buurtsim-voorspellingen", "version": 1}', encoding="utf-8")
    code, _, err = run_cli("verzamel", str(tmp_path))
    assert code == 2 and "kapot.json" in err and "field 'student' is missing" in err
    code, _, err = run_cli("verzamel", str(tmp_path), "--sla-ongeldige-over")
    assert code == 2 and "no valid prediction files" in err


def test_rehearsal_counts_outcomes_over_seeds(run_cli, small_lessons: Path) -> None:
    code, out, err = run_cli("les", "les2", "--proef", "2")
    assert code == 0, err
    assert "uitkomsten over 2 seed(s)" in out
    for q in get_lesson("les2").questions:
        assert q.id in out
    assert re.search(r"\dx \(gemiddeld: ", out), "choice questions show counts and mean values"


def test_lessen_and_les_in_english(run_cli) -> None:
    """--lang en: the frame and the lesson texts in English, from the lesson data's English fields."""
    code, out, _ = run_cli("lessen", "--lang", "en")
    assert code == 0 and "lessons" in out and "More about a lesson" in out and "Meer over" not in out
    les = get_lesson("les1")
    code, out, _ = run_cli("les", "les1", "--lang", "en", columns=2000)
    assert code == 0
    assert "Learning goals" in out and "Prediction questions" in out and "Leerdoelen" not in out
    assert les.questions[1].text_en in out and les.questions[1].text not in out
    assert "Project carousel higher" in out and "hoger" not in out and "antwoord" not in out
    assert "*" not in out  # domain words are shown in italics, not with asterisks
    code, _, err = run_cli("les", "les1", "--lang", "de")
    assert code == 2 and "--lang" in err


def test_voorspel_and_verzamel_in_english(run_cli, tmp_path: Path, small_lessons: Path) -> None:
    lesson = get_lesson("les2")
    folder = tmp_path / "class"
    folder.mkdir()
    args = ["voorspel", "les2", "--lang", "en", "--naam", "Anna", "--seed", "3", "--uit", str(folder / "anna.json")]
    for q in lesson.questions:  # English option labels are accepted too
        args += ["--antwoord", f"{q.id}={lesson.localized('en').options(q.id)[0].label if q.kind != 'value' else '40'}"]
    code, out, err = run_cli(*args, columns=2000)
    assert code == 0, err
    assert "Saved" in out and "predicted and observed" in out and "Opgeslagen" not in out
    assert "(year 3)" in out and "jaar" not in out
    code, out, err = run_cli("verzamel", str(folder), "--lang", "en", "--figuur", str(tmp_path / "class.png"), columns=2000)
    assert code == 0, err
    assert "1 student(s)" in out and "outcome measure" in out and "student(en)" not in out and "uitkomstmaat" not in out
    assert "Figure written" in out and (tmp_path / "class.png").stat().st_size > 1000
