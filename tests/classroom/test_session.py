"""The class session as plain state: joining (code, nickname, floods), predictions, the class
distribution, and the record on disk (formula-safe CSV, escaped Markdown, atomic JSON)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from buurtsim.classroom import session as session_mod
from buurtsim.classroom.record import csv_text
from buurtsim.classroom.session import ClassError, ClassSession, clean_nickname
from buurtsim.escape import csv_cell as csv_safe
from buurtsim.escape import md_cell
from buurtsim.teaching import RecordError, get_lesson
from buurtsim.teaching.observe import Observation


@pytest.fixture
def cls(tmp_path: Path) -> ClassSession:
    return ClassSession(get_lesson("les1"), tmp_path, n_residents=100, code="ABC234")


def test_join_needs_the_code_and_a_unique_nickname(cls: ClassSession) -> None:
    with pytest.raises(ClassError) as wrong:
        cls.join("ZZZ999", "Anna")
    assert wrong.value.key == "code_wrong" and wrong.value.status == 403
    anna = cls.join(" abc234 ", "Anna")  # case and spaces do not matter
    assert anna.nickname == "Anna" and len(anna.token) >= 30
    with pytest.raises(ClassError) as dup:
        cls.join("ABC234", "  anna ")
    assert dup.value.key == "nick_taken" and dup.value.kw["nick"] == "anna"
    assert cls.student(anna.token) is anna and cls.student("nope") is None and cls.student(None) is None


@pytest.mark.parametrize(("raw", "key"), [("", "nick_empty"), ("   ", "nick_empty"), ("x" * 25, "nick_long"),
                                          ("<script>", "nick_chars"), ("a|b", "nick_chars"), ("=cmd", "nick_chars")])
def test_bad_nicknames_are_refused(raw: str, key: str) -> None:
    with pytest.raises(ClassError) as exc:
        clean_nickname(raw)
    assert exc.value.key == key


def test_nicknames_may_be_any_letters() -> None:
    assert clean_nickname("  Zoë   van  Dijk ") == "Zoë van Dijk"
    assert clean_nickname("O'Neil-2") == "O'Neil-2"


def test_a_flood_of_joins_is_slowed_and_wrong_codes_lock_out(cls: ClassSession, monkeypatch) -> None:
    monkeypatch.setattr(session_mod, "JOINS_PER_WINDOW", 5)
    for i in range(5):
        cls.join("ABC234", f"s{i}", client="10.0.0.1")
    with pytest.raises(ClassError) as flood:
        cls.join("ABC234", "s6", client="10.0.0.2")
    assert flood.value.key == "join_flood" and flood.value.status == 429
    for _ in range(session_mod.BAD_CODES_PER_MINUTE):
        with pytest.raises(ClassError):
            cls.join("WRONG1", "x", client="10.0.0.9")
    with pytest.raises(ClassError) as locked:
        cls.join("ABC234", "x", client="10.0.0.9")  # even the right code, for a minute
    assert locked.value.key == "code_locked"
    assert cls.code_ok("ABC234", client="10.0.0.3")  # other clients are not locked out


def test_the_class_has_a_size_limit(cls: ClassSession, monkeypatch) -> None:
    monkeypatch.setattr(session_mod, "MAX_STUDENTS", 2)
    cls.join("ABC234", "a")
    cls.join("ABC234", "b")
    with pytest.raises(ClassError) as full:
        cls.join("ABC234", "c")
    assert full.value.key == "class_full"


def test_lecturer_token_is_its_own(cls: ClassSession) -> None:
    anna = cls.join("ABC234", "Anna")
    assert cls.is_lecturer(cls.lecturer_token)
    assert not cls.is_lecturer(anna.token) and not cls.is_lecturer("") and not cls.is_lecturer(None)


def test_predictions_distribution_and_locking(cls: ClassSession) -> None:
    a, b = cls.join("ABC234", "Anna"), cls.join("ABC234", "Bram")
    cls.predict(a, "v1", "carrousel")
    cls.predict(b, "v1", "geen")
    cls.predict(a, "v2", "12,5")
    cls.predict(b, "v2", "30")
    with pytest.raises(RecordError):
        cls.predict(a, "v2", "veel")
    with pytest.raises(ClassError):
        cls.predict(a, "v9", "1")
    dist = {d["id"]: d for d in cls.distribution()}
    counts = {o["key"]: o["count"] for o in dist["v1"]["options"]}
    assert counts == {"carrousel": 1, "geen": 1, "gelijk": 0} and dist["v1"]["n"] == 2
    assert dist["v2"]["values"] == [12.5, 30.0] and dist["v2"]["median"] == pytest.approx(21.25)
    assert "outcome" not in dist["v1"]  # nothing revealed yet
    cls.mark_run(a, "queued")
    with pytest.raises(ClassError) as locked:
        cls.predict(a, "v1", "geen")
    assert locked.value.key == "locked"
    ref = {"v1": Observation(question="v1", value="geen", values={}, text="Geen hoger")}
    cls.set_reference("done", ref)
    dist = {d["id"]: d for d in cls.distribution()}
    assert dist["v1"]["outcome"] == "geen" and cls.revealed


def test_every_change_is_on_disk_at_once(cls: ClassSession, tmp_path: Path) -> None:
    anna = cls.join("ABC234", "Anna")
    cls.predict(anna, "v1", "carrousel")
    record = json.loads((tmp_path / f"{cls.stem}.json").read_text(encoding="utf-8"))
    assert record["students"][0]["nickname"] == "Anna"
    assert record["students"][0]["predictions"] == {"v1": "carrousel"}
    assert cls.lecturer_token not in (tmp_path / f"{cls.stem}.json").read_text(encoding="utf-8")
    assert anna.token not in (tmp_path / f"{cls.stem}.json").read_text(encoding="utf-8")
    rows = list(csv.DictReader((tmp_path / f"{cls.stem}.csv").open(encoding="utf-8")))
    assert len(rows) == len(cls.lesson.questions) and rows[0]["student"] == "Anna" and rows[0]["prediction"] == "carrousel"
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


@pytest.mark.parametrize("bad", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_never_start_a_formula(bad: str) -> None:
    assert csv_safe(bad) == "'" + bad
    text = csv_text([{"student": bad, "prediction": bad}])
    row = next(csv.DictReader(text.splitlines()))
    assert row["student"].startswith("'") and row["prediction"].startswith("'")
    assert csv_safe(-2.5) == -2.5 and csv_safe("Anna") == "Anna"


def test_markdown_cells_escape_pipes_and_breaks() -> None:
    assert md_cell("a|b") == "a\\|b"
    assert md_cell("x\ny") == "x y"
    assert md_cell(None) == ""
