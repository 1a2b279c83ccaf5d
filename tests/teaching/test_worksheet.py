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
    rich_text,
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
    page = worksheet_html(get_lesson(lesson_id), lang)
    lesson = get_lesson(lesson_id).localized(lang)
    assert f'<html lang="{lang}">' in page
    for q in lesson.questions:
        assert rich_text(q.text) in page
        for opt in lesson.options(q.id):
            assert html.escape(opt.label) in page
    for item in [*lesson.discussion, *lesson.leaves_out, *lesson.learning_goals]:
        assert rich_text(item) in page
    assert ("Naam" in page) == (lang == "nl") and ("Name" in page) == (lang == "en")
    assert "<script" not in page and "http" not in page and " src=" not in page  # nothing loads from outside


@pytest.mark.parametrize("lesson_id", [les.id for les in list_lessons()])
def test_english_worksheet_carries_no_dutch_lesson_text(lesson_id: str) -> None:
    """Issue 14: the English worksheet is made from the English lesson data, not the Dutch texts."""
    lesson = get_lesson(lesson_id)
    assert lesson.has_english, f"{lesson_id}: every text needs an English version (title_en, text_en, ...)"
    en, nl = worksheet_html(lesson, "en"), worksheet_html(lesson, "nl")
    dutch = [lesson.title, lesson.summary, *lesson.learning_goals, *lesson.discussion, *lesson.leaves_out,
             *(q.text for q in lesson.questions)]
    for text in dutch:
        assert rich_text(text) not in en, f"Dutch lesson text in the English worksheet: {text[:60]}"
        assert rich_text(text) in nl
    for s in lesson.scenarios:  # scenario names: in the list of scenarios and in the answer options
        assert f"<b>{html.escape(str(s.label_en))}</b>" in en
        if s.label != s.label_en:
            assert f"<b>{html.escape(s.label)}</b>" not in en and f"{html.escape(s.label)} higher" not in en
    for q in lesson.questions:
        assert rich_text(str(q.text_en)) in en and rich_text(str(q.text_en)) not in nl
    assert "hoger" not in en and "ongeveer gelijk" not in en  # answer options too


def test_domain_words_are_italic_and_escaped() -> None:
    assert rich_text("self-reliance (*zelfredzaamheid*) & <b>") == "self-reliance (<i>zelfredzaamheid</i>) &amp; &lt;b&gt;"


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


def test_werkblad_in_english_only(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("werkblad", "les2", "--lang", "en", "--formaat", "html", "--uit", str(tmp_path))
    assert code == 0 and "written:" in out and "geschreven" not in out
    page = (tmp_path / "les2-werkblad-en.html").read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["les2-werkblad-en.html"]
    assert str(get_lesson("les2").questions[0].text_en) in page


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
