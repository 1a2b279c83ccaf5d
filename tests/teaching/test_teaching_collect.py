"""Collecting a class's prediction files: the table, the summary, the figure and bad folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from teaching_helpers import frame

from buurtsim.teaching import (
    add_observations,
    collect,
    new_record,
    observe,
    plot_class,
    set_prediction,
    summarize,
    write,
    write_table,
)
from buurtsim.teaching.collect import CollectError


@pytest.fixture
def classroom(lesson, metrics, tmp_path: Path) -> Path:
    """Three students: Anna and Bo ran the metrics of the fixture; Cas's run came out differently."""
    folder = tmp_path / "inleveren"
    folder.mkdir()
    answers = {"Anna": (40, "a", "stijgt"), "Bo": (20, "b", "daalt"), "Cas": (55, "gelijk", "stijgt")}
    for name, (v1, v2, v3) in answers.items():
        rec = new_record(lesson, name)
        for qid, value in (("v1", v1), ("v2", v2), ("v3", v3)):
            rec = set_prediction(rec, lesson, qid, value)
        run = metrics if name != "Cas" else {**metrics, "b": frame({"mean_self_reliance": 0.59, "moved_out": 1.0})}
        rec = add_observations(rec, lesson, observe(lesson, run), seed=len(name))
        write(rec, folder / f"{name}.json")
    (folder / "notities.txt").write_text("geen json", encoding="utf-8")
    return folder


def test_collect_one_row_per_student_per_question(classroom: Path, lesson) -> None:
    table = collect(classroom, lessons={lesson.id: lesson})
    assert len(table) == 9
    assert sorted(table["student"].unique()) == ["Anna", "Bo", "Cas"]
    row = table[(table["student"] == "Bo") & (table["question"] == "v1")].iloc[0]
    assert row["prediction"] == 20 and row["observed"] == pytest.approx(40.0) and row["error"] == pytest.approx(-20.0)
    hits = table[table["question"] == "v2"].set_index("student")["hit"].to_dict()
    # Anna and Bo observed 'a' (59 vs 52 points); Cas's run gave b = 59 points: about equal.
    assert hits == {"Anna": True, "Bo": False, "Cas": True}
    assert set(table["seed"]) == {3, 4, 2}


def test_summary_counts_predictions_and_outcomes(classroom: Path, lesson) -> None:
    lessons = {lesson.id: lesson}
    summary = summarize(collect(classroom, lessons=lessons), lessons=lessons).set_index("question")
    assert summary.loc["v1", "students"] == 3
    assert summary.loc["v1", "mean_abs_error"] == pytest.approx((0 + 20 + 15) / 3)
    assert summary.loc["v2", "share_hit"] == pytest.approx(2 / 3)
    assert summary.loc["v2", "observed"] == "a: 2, gelijk: 1"
    assert summary.loc["v3", "observed"] == "stijgt: 2, gelijk: 1"


def test_figure_and_table_are_written(classroom: Path, lesson, tmp_path: Path) -> None:
    lessons = {lesson.id: lesson}
    table = collect(classroom, lessons=lessons)
    png = plot_class(table, tmp_path / "klas.png", lessons=lessons)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    csv = write_table(table, tmp_path / "klas.csv")
    assert csv.read_text(encoding="utf-8").splitlines()[0].startswith("file,student,group,lesson,question")
    md = write_table(table, tmp_path / "klas.md")
    assert "| Anna.json | Anna |" in md.read_text(encoding="utf-8")
    with pytest.raises(CollectError, match=r"unknown output format '\.xlsx'"):
        write_table(table, tmp_path / "klas.xlsx")


def test_invalid_file_stops_collection_unless_skipped(classroom: Path, lesson) -> None:
    (classroom / "kapot.json").write_text("{", encoding="utf-8")
    with pytest.raises(CollectError, match=r"1 invalid prediction file\(s\) in .*kapot\.json: not valid JSON"):
        collect(classroom, lessons={lesson.id: lesson})
    warnings: list[str] = []
    table = collect(classroom, skip_invalid=True, warnings=warnings, lessons={lesson.id: lesson})
    assert len(table) == 9 and len(warnings) == 1 and "kapot.json" in warnings[0]


def test_file_of_unknown_lesson_is_reported(classroom: Path) -> None:
    with pytest.raises(CollectError, match=r"Anna\.json: field 'lesson': unknown lesson 'les9'"):
        collect(classroom)


def test_prediction_without_run_is_kept_without_outcome(lesson, tmp_path: Path) -> None:
    rec = set_prediction(new_record(lesson, "Dirk"), lesson, "v1", 10)
    write(rec, tmp_path / "dirk.json")
    table = collect(tmp_path, lessons={lesson.id: lesson})
    assert table["observed"].isna().all() and table["prediction"].notna().sum() == 1
    data = json.loads((tmp_path / "dirk.json").read_text(encoding="utf-8"))
    assert data["run"] is None


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p / "bestaat-niet", "folder does not exist"),
    (lambda p: (p / "f.json").write_text("{}") and p / "f.json", "not a folder"),
    (lambda p: p, r"no prediction files \(\*\.json\)"),
])
def test_bad_folders(tmp_path: Path, make, message: str) -> None:
    with pytest.raises(CollectError, match=message):
        collect(make(tmp_path))
