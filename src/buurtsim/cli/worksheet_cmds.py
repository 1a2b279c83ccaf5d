"""`buurtsim werkblad` (alias `worksheet`): print-ready worksheets (HTML and PDF) of the lessons."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from buurtsim.errors import UserError
from buurtsim.safe_io import check_output_dir


def worksheet_cmd(
    lesson_id: Annotated[str | None, typer.Argument(help="Lesson id, e.g. les1; leave out with --alle.")] = None,
    alle: Annotated[bool, typer.Option("--alle", "--all", help="Every lesson.")] = False,
    taal: Annotated[str, typer.Option("--taal", "--lang", help="nl, en or both (nl,en).")] = "nl,en",
    formaat: Annotated[str, typer.Option("--formaat", "--format", help="html, pdf or both (html,pdf).")] = "html,pdf",
    uit: Annotated[Path, typer.Option("--uit", "--out", help="Folder to write to.")] = Path("werkbladen"),
) -> None:
    """Write the worksheet of a lesson (or of every lesson) as HTML and PDF, in Dutch and English."""
    from buurtsim.teaching import get_lesson, list_lessons
    from buurtsim.teaching.worksheet import write_worksheets

    if alle == (lesson_id is not None):
        raise UserError("werkblad: give one lesson id (e.g. les1) or --alle, not both and not neither")
    lessons = list_lessons() if alle else [get_lesson(str(lesson_id))]
    langs = tuple(x.strip() for x in taal.split(",") if x.strip())
    formats = tuple(x.strip().lower() for x in formaat.split(",") if x.strip())
    check_output_dir(uit, "--uit")  # a file, /proc/... or a name too long: a message, not a traceback
    said = "geschreven" if "nl" in langs else "written"  # one language: Dutch unless only English is asked for
    for path in write_worksheets(lessons, uit, langs, formats):
        typer.echo(f"{said}: {path}")


def register(app: typer.Typer) -> None:
    """Add `werkblad` (and the hidden English alias `worksheet`) to the app."""
    app.command("werkblad", help="Werkbladen van de lessen als HTML en PDF (worksheet).")(worksheet_cmd)
    app.command("worksheet", hidden=True)(worksheet_cmd)
