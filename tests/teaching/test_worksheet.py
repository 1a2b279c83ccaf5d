"""Worksheets on paper: HTML and PDF from the lesson data, Dutch and English frames, shipped
copies that cannot drift from the lesson data, the `werkblad` command, the lesson text in the app."""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from buurtsim.teaching import get_lesson, list_lessons
from buurtsim.teaching.lesson_text import lesson_text, lesson_text_paths
from buurtsim.teaching.worksheet import (
    LANGS,
    WorksheetError,
    pdf_matches,
    shipped_worksheet,
    worksheet_bytes,
    worksheet_html,
    worksheet_name,
    worksheet_pdf,
    write_worksheets,
)

CASES = [(les.id, lang) for les in list_lessons() for lang in LANGS]


@pytest.mark.parametrize(("lesson_id", "lang"), CASES)
def test_worksheet_html_carries_every_question_and_discussion_item(lesson_id: str, lang: str) -> None:
    lesson = get_lesson(lesson_id)
    page = worksheet_html(lesson, lang)
    assert f'<html lang="{lang}">' in page
    for q in lesson.questions:
        assert html.escape(q.text) in page
        for opt in lesson.options(q.id):
            assert html.escape(opt.label) in page
    for item in [*lesson.discussion, *lesson.leaves_out, *lesson.learning_goals]:
        assert html.escape(item) in page
    assert ("Naam" in page) == (lang == "nl") and ("Name" in page) == (lang == "en")
    assert "<script" not in page and "http" not in page and " src=" not in page  # nothing loads from outside


def test_worksheet_escapes_lesson_text() -> None:
    lesson = get_lesson("les1")
    nasty = lesson.model_copy(update={"title": "<img src=x onerror=alert(1)> & co"})
    page = worksheet_html(nasty, "nl")
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt; &amp; co" in page


@pytest.mark.parametrize(("lesson_id", "lang"), CASES)
def test_shipped_worksheets_match_the_lesson_data(lesson_id: str, lang: str) -> None:
    lesson = get_lesson(lesson_id)
    page = worksheet_html(lesson, lang)
    shipped_html, shipped_pdf = shipped_worksheet(lesson_id, lang, "html"), shipped_worksheet(lesson_id, lang, "pdf")
    assert shipped_html is not None and shipped_pdf is not None, "run `buurtsim werkblad --alle --uit src/buurtsim/teaching/worksheets`"
    assert shipped_html.read_text(encoding="utf-8") == page, "shipped HTML is out of date: regenerate with buurtsim werkblad --alle"
    pdf = shipped_pdf.read_bytes()
    assert pdf.startswith(b"%PDF") and pdf_matches(pdf, page), "shipped PDF is out of date: regenerate with buurtsim werkblad --alle"


def test_pdf_matches_only_its_own_html() -> None:
    lesson = get_lesson("les2")
    page = worksheet_html(lesson, "en")
    pdf = worksheet_pdf(page)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    assert pdf_matches(pdf, page)
    assert not pdf_matches(pdf, page.replace("Worksheet", "Werkblad"))
    assert not pdf_matches(pdf, worksheet_html(lesson, "nl"))


def test_worksheet_bytes_serves_html_and_the_matching_pdf() -> None:
    lesson = get_lesson("les1")
    assert worksheet_bytes(lesson, "en", "html").decode("utf-8") == worksheet_html(lesson, "en")
    shipped = shipped_worksheet("les1", "nl", "pdf")
    assert shipped is not None and worksheet_bytes(lesson, "nl", "pdf") == shipped.read_bytes()
    with pytest.raises(WorksheetError, match="format 'docx'"):
        worksheet_bytes(lesson, "nl", "docx")
    with pytest.raises(WorksheetError, match="language 'de'"):
        worksheet_html(lesson, "de")


def test_write_worksheets_writes_each_language_and_format(tmp_path: Path) -> None:
    written = write_worksheets([get_lesson("les3")], tmp_path, langs=("en",), formats=("html",))
    assert written == [tmp_path / worksheet_name("les3", "en", "html")]
    assert written[0].read_text(encoding="utf-8") == worksheet_html(get_lesson("les3"), "en")


def test_werkblad_command(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("werkblad", "les4", "--taal", "nl", "--formaat", "html,pdf", "--uit", str(tmp_path))
    assert code == 0, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["les4-werkblad-nl.html", "les4-werkblad-nl.pdf"]
    assert (tmp_path / "les4-werkblad-nl.pdf").read_bytes().startswith(b"%PDF")
    code, _, err = run_cli("werkblad")
    assert code == 2 and "--alle" in err
    code, _, err = run_cli("worksheet", "les1", "--lang", "fr", "--out", str(tmp_path))
    assert code == 2 and "language 'fr'" in err
    code, _, err = run_cli("werkblad", "les9", "--uit", str(tmp_path))
    assert code == 2 and "unknown lesson 'les9'" in err


@pytest.mark.parametrize("lesson_id", [les.id for les in list_lessons()])
def test_lesson_text_is_readable_in_the_app(lesson_id: str) -> None:
    lesson = get_lesson(lesson_id)
    text = lesson_text(lesson)
    assert text is not None and text.startswith("# ")


def test_lesson_text_never_leaves_the_docs_folder() -> None:
    for path in lesson_text_paths("../../../etc/passwd"):
        assert path.name == "passwd" and path.parent.name in ("teaching", "docs")
    lesson = get_lesson("les1").model_copy(update={"doc": "../../pyproject.toml"})
    assert lesson_text(lesson) is None
