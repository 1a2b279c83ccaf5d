"""The prediction/observation file: building it, the predict-before-observe rule, round trips and
clear errors for malformed files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from buurtsim.teaching import (
    FORMAT,
    VERSION,
    add_observations,
    loads,
    missing_predictions,
    new_record,
    observe,
    parse_prediction,
    read,
    set_answer,
    set_prediction,
    suggested_filename,
    write,
)
from buurtsim.teaching.records import RecordError


def complete(lesson, metrics, name: str = "Anna de Vries"):
    rec = new_record(lesson, name, "SW2B")
    rec = set_prediction(rec, lesson, "v1", "35,5")
    rec = set_prediction(rec, lesson, "v2", "a")
    rec = set_prediction(rec, lesson, "v3", "daalt")
    return add_observations(rec, lesson, observe(lesson, metrics), seed=7)


def test_parse_prediction(lesson) -> None:
    assert parse_prediction(lesson, "v1", "35,5") == 35.5
    assert parse_prediction(lesson, "v1", "35 %") == 35.0
    assert parse_prediction(lesson, "v1", 12) == 12.0
    assert parse_prediction(lesson, "v2", "A") == "a"
    assert parse_prediction(lesson, "v2", "Beta hoger") == "b"
    assert parse_prediction(lesson, "v3", "GELIJK") == "gelijk"
    with pytest.raises(RecordError, match=r"question v1: 120 is outside the accepted range \[0, 100\] %"):
        parse_prediction(lesson, "v1", "120")
    with pytest.raises(RecordError, match=r"question v1: expected a number \(%\), got 'veel'"):
        parse_prediction(lesson, "v1", "veel")
    with pytest.raises(RecordError, match=r"question v2: expected one of a, b, gelijk, got 'c'"):
        parse_prediction(lesson, "v2", "c")
    with pytest.raises(RecordError, match="expected a finite number"):
        parse_prediction(lesson, "v1", float("nan"))


def test_predict_before_observe(lesson, metrics) -> None:
    rec = new_record(lesson, "Bo")
    rec = set_prediction(rec, lesson, "v1", 30)
    assert missing_predictions(lesson, rec) == ["v2", "v3"]
    with pytest.raises(RecordError, match=r"predict first; no prediction yet for v2, v3"):
        add_observations(rec, lesson, observe(lesson, metrics), seed=1)
    rec = complete(lesson, metrics)
    with pytest.raises(RecordError, match="cannot be changed after the run"):
        set_prediction(rec, lesson, "v1", 50)


def test_round_trip_keeps_everything(lesson, metrics, tmp_path: Path) -> None:
    rec = set_answer(complete(lesson, metrics), "v2", "Omdat de zelfredzaamheid in Alfa stijgt.")
    path = tmp_path / suggested_filename(rec)
    text = write(rec, path)
    assert path.name == "les9_anna-de-vries.json"
    data = json.loads(text)
    assert data["format"] == FORMAT and data["version"] == VERSION
    assert data["student"] == "Anna de Vries" and data["group"] == "SW2B" and data["lesson"] == "les9"
    assert data["predictions"]["v1"]["value"] == 35.5
    assert data["observations"]["v2"]["value"] == "a"
    assert data["run"]["seed"] == 7 and data["run"]["scenarios"] == {"a": "a.toml", "b": "b.toml"}
    back = read(path, lesson=lesson)
    assert back == rec
    assert loads(text.encode("utf-8"), lesson=lesson) == rec


def test_write_into_missing_folder(lesson, tmp_path: Path) -> None:
    with pytest.raises(RecordError, match="does not exist"):
        write(new_record(lesson, "C"), tmp_path / "nope" / "x.json")


def test_empty_name_refused(lesson) -> None:
    with pytest.raises(RecordError, match="student"):
        new_record(lesson, "   ")


def _good(lesson, metrics) -> dict:
    return json.loads(write(complete(lesson, metrics)))


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="iets-anders"), r"field 'format' is 'iets-anders'"),
        (lambda d: d.update(version=2), r"field 'version' is 2; this buurtsim reads version 1"),
        (lambda d: d.pop("student"), r"field 'student' is missing"),
        (lambda d: d.update(extra=1), r"field 'extra' is not part of the format"),
        (lambda d: d["predictions"].update(v7={"value": 1, "at": "2025-01-01T00:00:00Z"}), r"predictions\.v7: lesson les9 has no such question"),
        (lambda d: d["predictions"]["v2"].update(value="c"), r"predictions\.v2\.value: question v2: expected one of a, b, gelijk"),
        (lambda d: d["predictions"]["v1"].update(value=500), r"predictions\.v1\.value: .*outside the accepted range"),
        (lambda d: d["predictions"]["v1"].update(at="gisteren"), r"field 'predictions\.v1\.at'"),
        (lambda d: d["observations"]["v1"].update(value="a"), r"observations\.v1\.value: expected a number"),
        (lambda d: d["predictions"].pop("v3"), r"observations\.v3: an observation without a prediction"),
        (lambda d: d["predictions"]["v1"].update(at="2999-01-01T00:00:00Z"), r"predictions\.v1\.at: the prediction is dated after the observation"),
        (lambda d: d.update(lesson="les99"), r"field 'lesson': unknown lesson 'les99'"),
    ],
)
def test_malformed_file_names_file_and_field(lesson, metrics, tmp_path: Path, mutate, message: str) -> None:
    data = _good(lesson, metrics)
    mutate(data)
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    use = None if data.get("lesson") == "les99" else lesson
    with pytest.raises(RecordError, match=message) as info:
        read(path, lesson=use)
    assert str(path) in str(info.value)


def test_not_json_or_not_an_object(tmp_path: Path) -> None:
    p = tmp_path / "x.json"
    p.write_text("{ kapot", encoding="utf-8")
    with pytest.raises(RecordError, match=r"x\.json: not valid JSON \(line 1, column 3"):
        read(p)
    p.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(RecordError, match="expected a JSON object, got list"):
        read(p)
    p.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(RecordError, match="not a UTF-8 text file"):
        read(p)
    with pytest.raises(RecordError, match="prediction file does not exist"):
        read(tmp_path / "nope.json")


def test_observation_timestamps_follow_predictions(lesson, metrics) -> None:
    rec = new_record(lesson, "D")
    later = datetime.now(UTC) + timedelta(hours=1)
    for qid, v in (("v1", 1), ("v2", "a"), ("v3", "gelijk")):
        rec = set_prediction(rec, lesson, qid, v, at=later)
    with pytest.raises(RecordError, match="dated after the observation time"):
        add_observations(rec, lesson, observe(lesson, metrics), seed=1)


def test_answer_keys_are_checked(lesson) -> None:
    rec = set_answer(new_record(lesson, "E"), "d1", "tekst")
    assert rec.answers["d1"].text == "tekst"
    with pytest.raises(RecordError, match=r"answers\.Vraag 1"):
        set_answer(rec, "Vraag 1", "tekst")
