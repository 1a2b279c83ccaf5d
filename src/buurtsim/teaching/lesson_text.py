"""A lesson's full text (docs/teaching/<doc>) for reading inside the app, wherever buurtsim is
installed: the checkout's docs/, or a copy packaged with buurtsim."""

from __future__ import annotations

from pathlib import Path

from buurtsim.teaching.lesson import Lesson


def lesson_text_paths(doc: str) -> list[Path]:
    """Where the lesson text is looked for, in order: the checkout's docs/teaching, then packaged copies."""
    pkg = Path(__file__).resolve().parents[1]
    name = Path(doc).name  # a file name only: never a path out of the docs folder
    return [pkg.parents[1] / "docs" / "teaching" / name, pkg / "docs" / "teaching" / name, pkg / "teaching" / "docs" / name]


def lesson_text(lesson: Lesson) -> str | None:
    """The Markdown text of the lesson, or None when it is not installed."""
    for path in lesson_text_paths(lesson.doc):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None
