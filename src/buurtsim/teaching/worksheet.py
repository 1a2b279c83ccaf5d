"""A lesson's worksheet on paper: print-ready HTML (A4) and PDF, made from the lesson data.

`worksheet_html(lesson, lang)` builds the page (name lines, the prediction questions with their
answer options in a table with room to write, how outcomes are read, the explain and discussion
questions); `worksheet_pdf(html)` prints it with WeasyPrint. The frame (headings, instructions,
column names) is Dutch ('nl') or English ('en'), and so is the lesson content: the English worksheet
uses the lesson's English texts (`Lesson.localized`). Dutch domain words kept in an English text are
marked `*like this*` in the lesson data and printed in italics.

The worksheets of the shipped lessons are also shipped, ready to print, in
`buurtsim/teaching/worksheets/` (`buurtsim werkblad --alle` regenerates them); each shipped PDF
carries the SHA-256 of the HTML it was printed from, so a test can tell when one is out of date.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

from buurtsim.errors import UserError
from buurtsim.teaching.lesson import Lesson
from buurtsim.teaching.records import number_text as _num

LANGS = ("nl", "en")
FORMATS = ("html", "pdf")
SHIPPED_DIR = Path(__file__).resolve().parent / "worksheets"

_T: dict[str, tuple[str, str]] = {
    "worksheet": ("Werkblad", "Worksheet"),
    "name": ("Naam", "Name"),
    "group": ("Groep", "Group"),
    "seed": ("Toevalsgetal (seed) van je run", "Random seed of your run"),
    "minutes": ("{m} minuten", "{m} minutes"),
    "goals": ("Leerdoelen", "Learning goals"),
    "scenarios": ("Scenario's", "Scenarios"),
    "predict": ("Voorspellen – waarnemen – verklaren", "Predict – observe – explain"),
    "before": ("Schrijf bij elke vraag eerst je voorspelling en een reden, vóórdat je het model draait.",
               "For each question, write down your prediction and a reason before you run the model."),
    "col_q": ("vraag", "question"),
    "col_pred": ("voorspelling + reden", "prediction + reason"),
    "col_obs": ("uitkomst in het model", "outcome in the model"),
    "col_expl": ("klopte het? welk mechanisme verklaart het?", "right? which mechanism explains it?"),
    "choose": ("kies", "choose"),
    "number": ("een getal in {unit}", "a number in {unit}"),
    "range": (", van {lo} tot {hi}", ", from {lo} to {hi}"),
    "reading": ("Hoe de uitkomsten gelezen worden", "How outcomes are read"),
    "read_mean": ("{q}: gemiddelde over de {w} weken tot en met week {tick} (jaar {year})",
                  "{q}: mean over the {w} weeks up to week {tick} (year {year})"),
    "read_sum": ("{q}: opgeteld over de {w} weken tot en met week {tick} (jaar {year})",
                 "{q}: summed over the {w} weeks up to week {tick} (year {year})"),
    "read_at": ("{q}: in week {tick} (jaar {year})", "{q}: at week {tick} (year {year})"),
    "equal": ("; 'ongeveer gelijk' is een verschil tot {tol} {unit}", "; 'about equal' is a difference up to {tol} {unit}"),
    "explain": ("Nabespreken", "Discussion"),
    "leaves_out": ("Wat het model weglaat", "What the model leaves out"),
    "footer": ("Gemaakt met buurtsim uit de lesgegevens van {id}.", "Made with buurtsim from the lesson data of {id}."),
}

_CSS = """
@page { size: A4; margin: 16mm 14mm 16mm 14mm; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10pt; color: #111; line-height: 1.35; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; }
h2 { font-size: 12pt; margin: 12pt 0 4pt 0; border-bottom: 1px solid #999; }
.meta { color: #444; margin: 0 0 8pt 0; }
.fill { display: flex; gap: 12pt; margin: 6pt 0 10pt 0; }
.fill span { flex: 1; border-bottom: 1px solid #000; padding-top: 14pt; font-size: 8.5pt; color: #444; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #555; padding: 4pt; vertical-align: top; text-align: left; }
th { background: #eee; font-size: 9pt; }
tr { page-break-inside: avoid; break-inside: avoid; }
td.write { height: 70pt; }
.opts { display: block; color: #333; font-size: 8.5pt; margin-top: 3pt; }
.note { font-size: 8.5pt; color: #333; }
ol li, ul li { margin-bottom: 3pt; }
ol.discuss li { margin-bottom: 30pt; }
footer { margin-top: 12pt; font-size: 8pt; color: #666; }
@media screen { body { max-width: 190mm; margin: 10mm auto; } }
"""


class WorksheetError(UserError):
    """A worksheet could not be made (unknown language or format, no PDF engine)."""


def tr(key: str, lang: str, **kw: object) -> str:
    """One worksheet frame text in 'nl' or 'en'."""
    text = _T[key][LANGS.index(lang)]
    return text.format(**kw) if kw else text


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise WorksheetError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
    return lang


def rich_text(text: str) -> str:
    """A lesson text as HTML: escaped, with `*word*` (a Dutch domain word in an English text) in italics."""
    return re.sub(r"\*([^*<>]+)\*", r"<i>\1</i>", html.escape(text))


def question_prompt(lesson: Lesson, qid: str, lang: str) -> str:
    """What a student answers to one question: the options, or the unit and range of a number."""
    lesson = lesson.localized(lang)
    q = lesson.question(qid)
    opts = lesson.options(qid)
    if opts:
        return f"{tr('choose', lang)}: " + " / ".join(o.label for o in opts)
    text = tr("number", lang, unit=q.display_unit)
    if q.min is not None and q.max is not None:
        text += tr("range", lang, lo=_num(q.min, lang), hi=_num(q.max, lang))
    return text


def reading_note(lesson: Lesson, qid: str, lang: str) -> str:
    """How the model's outcome for one question is read (week, window, 'about equal')."""
    q = lesson.localized(lang).question(qid)
    year = _num(round(q.tick / 52, 1), lang)
    if q.window > 1:
        note = tr("read_sum" if q.aggregate == "sum" else "read_mean", lang, q=q.id, w=q.window, tick=q.tick, year=year)
    else:
        note = tr("read_at", lang, q=q.id, tick=q.tick, year=year)
    if q.kind != "value" and q.tolerance > 0:
        note += tr("equal", lang, tol=_num(q.tolerance, lang), unit=q.display_unit)
    return note


def worksheet_html(lesson: Lesson, lang: str = "nl") -> str:
    """The worksheet of one lesson as a self-contained, print-ready HTML page (no scripts, no links)."""
    lang = _check_lang(lang)
    lesson = lesson.localized(lang)
    e, r = html.escape, rich_text
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{e(tr('worksheet', lang))} {e(lesson.id)}: {e(lesson.title.replace('*', ''))}</title>",
        '<meta name="generator" content="buurtsim">',
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(tr('worksheet', lang))} — {r(lesson.title)}</h1>",
        f'<p class="meta">{e(lesson.id)} · {e(tr("minutes", lang, m=lesson.duration_min))} · '
        f"{e(', '.join(lesson.theme_labels))}</p>",
    ]
    parts.append(f'<div class="fill"><span>{e(tr("name", lang))}</span><span>{e(tr("group", lang))}</span>'
                 f'<span>{e(tr("seed", lang))}</span></div>')
    parts.append(f"<p>{r(lesson.summary)}</p>")
    parts.append(f"<h2>{e(tr('goals', lang))}</h2><ul>" + "".join(f"<li>{r(g)}</li>" for g in lesson.learning_goals) + "</ul>")
    parts.append(f"<h2>{e(tr('scenarios', lang))}</h2><ul>"
                 + "".join(f"<li><b>{e(s.label)}</b> ({e(s.key)})</li>" for s in lesson.scenarios) + "</ul>")
    parts.append(f"<h2>{e(tr('predict', lang))}</h2><p>{e(tr('before', lang))}</p>")
    head = "".join(f"<th>{e(tr(k, lang))}</th>" for k in ("col_q", "col_pred", "col_obs", "col_expl"))
    rows = []
    for q in lesson.questions:
        rows.append(f'<tr><td class="q"><b>{e(q.id)}</b> {r(q.text)}'
                    f'<span class="opts">({e(question_prompt(lesson, q.id, lang))})</span></td>'
                    '<td class="write"></td><td class="write"></td><td class="write"></td></tr>')
    cols = '<colgroup><col style="width:37%"><col style="width:21%"><col style="width:21%"><col style="width:21%"></colgroup>'
    parts.append(f"<table>{cols}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    parts.append(f"<h2>{e(tr('reading', lang))}</h2><ul class=\"note\">"
                 + "".join(f"<li>{e(reading_note(lesson, q.id, lang))}</li>" for q in lesson.questions) + "</ul>")
    parts.append(f"<h2>{e(tr('explain', lang))}</h2><ol class=\"discuss\">"
                 + "".join(f"<li>{r(d)}</li>" for d in lesson.discussion) + "</ol>")
    parts.append(f"<h2>{e(tr('leaves_out', lang))}</h2><ul class=\"note\">"
                 + "".join(f"<li>{r(x)}</li>" for x in lesson.leaves_out) + "</ul>")
    parts.append(f"<footer>{e(tr('footer', lang, id=lesson.id))}</footer></body></html>")
    return "\n".join(parts) + "\n"


def html_digest(text: str) -> str:
    """SHA-256 of a worksheet's HTML; stored in the PDF's keywords to tie the PDF to its source."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def worksheet_pdf(text: str) -> bytes:
    """Print worksheet HTML to PDF with WeasyPrint; the PDF's keywords carry the HTML's digest."""
    try:
        import weasyprint
    except ImportError:  # also OSError on systems without the Pango library
        raise WorksheetError("PDF needs WeasyPrint: pip install 'buurtsim[pdf]' (the HTML worksheet prints from any browser)") from None
    except OSError as exc:
        raise WorksheetError(f"PDF needs WeasyPrint with the Pango library, which did not load: {exc}") from None
    tagged = text.replace('<meta name="generator" content="buurtsim">',
                          f'<meta name="generator" content="buurtsim"><meta name="keywords" content="buurtsim-html-{html_digest(text)}">', 1)
    return bytes(weasyprint.HTML(string=tagged).write_pdf())


def worksheet_name(lesson_id: str, lang: str, fmt: str) -> str:
    """File name of a worksheet, e.g. les1-werkblad-nl.pdf."""
    return f"{lesson_id}-werkblad-{lang}.{fmt}"


def shipped_worksheet(lesson_id: str, lang: str, fmt: str) -> Path | None:
    """The shipped worksheet file, or None when it is not there."""
    path = SHIPPED_DIR / worksheet_name(lesson_id, lang, fmt)
    return path if path.is_file() else None


def worksheet_bytes(lesson: Lesson, lang: str, fmt: str) -> bytes:
    """A worksheet as bytes: HTML is made fresh; PDF is the shipped one if it matches, else printed now."""
    _check_lang(lang)
    if fmt not in FORMATS:
        raise WorksheetError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    text = worksheet_html(lesson, lang)
    if fmt == "html":
        return text.encode("utf-8")
    shipped = shipped_worksheet(lesson.id, lang, "pdf")
    if shipped is not None and pdf_matches(shipped.read_bytes(), text):
        return shipped.read_bytes()
    return worksheet_pdf(text)


def pdf_matches(pdf: bytes, text: str) -> bool:
    """Whether a PDF was printed from exactly this HTML (its keywords carry the HTML's digest)."""
    import re
    import zlib

    needle = f"buurtsim-html-{html_digest(text)}".encode()
    if needle in pdf:
        return True
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:  # a decompressobj stops at the end of the compressed data and ignores what follows
            if needle in zlib.decompressobj().decompress(pdf[m.end():]):
                return True
        except zlib.error:
            continue
    return False


def write_worksheets(lessons: list[Lesson], out_dir: Path, langs: tuple[str, ...] = LANGS,
                     formats: tuple[str, ...] = FORMATS) -> list[Path]:
    """Write the worksheets of these lessons to `out_dir`; returns the files written."""
    for lang in langs:
        _check_lang(lang)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise WorksheetError(f"format {bad[0]!r}: expected one of {', '.join(FORMATS)}")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in lessons:
        for lang in langs:
            text = worksheet_html(lesson, lang)
            for fmt in formats:
                path = out_dir / worksheet_name(lesson.id, lang, fmt)
                path.write_bytes(text.encode("utf-8") if fmt == "html" else worksheet_pdf(text))
                written.append(path)
    return written
