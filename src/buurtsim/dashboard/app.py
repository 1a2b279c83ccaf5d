"""The dashboard page, served by `solara run buurtsim.dashboard.app` (see `buurtsim dashboard`).

Tabs: Verkennen (explore), Vergelijken (A/B), Info (docs/model-info.md and the references) and Les (lesson) — the
last only when `buurtsim.dashboard.lesson.LessonPage` exists. Every browser page gets its own
`Session`, so users never share a model.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path
from typing import Any

import solara

from buurtsim.dashboard.components import CompareTab, ExploreTab, Heading, LanguageToggle, Md
from buurtsim.dashboard.i18n import t
from buurtsim.dashboard.state import Session

INFO_FILE = "model-info.md"

# Layout fixes seen in a real browser at 800 px: slider labels get their own line(s) instead of
# running into the help text below, long button labels wrap instead of being clipped, and card
# titles (the A/B panels) break between words, not inside them.
PAGE_CSS = """
.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-input__slider .v-input__slot > .v-label { flex: 1 1 100%; max-width: 100%; height: auto; white-space: normal;
  line-height: 1.3; margin-bottom: 2px; }
.v-btn:not(.v-btn--icon):not(.v-btn--fab) { max-width: 100%; height: auto !important; min-height: 36px; }
.v-btn:not(.v-btn--icon):not(.v-btn--fab) .v-btn__content { white-space: normal; flex-shrink: 1; padding: 4px 0; }
.v-card__title { word-break: normal; overflow-wrap: break-word; hyphens: auto; }
.v-alert__content { min-width: 0; overflow-wrap: anywhere; }
.bs-upload-error ul { margin: 4px 0 0 0; padding-left: 20px; }
"""


def info_paths() -> list[Path]:
    """Where the model explanation is looked for: docs/ inside the installed package, then the checkout's."""
    from buurtsim.scenario.library import PACKAGE_DATA, REPO_ROOT

    return [PACKAGE_DATA / "docs" / INFO_FILE, REPO_ROOT / "docs" / INFO_FILE]


def info_markdown() -> str | None:
    """The text of docs/model-info.md, or None when it is not there."""
    for path in info_paths():
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def lesson_page() -> Any | None:
    """`buurtsim.dashboard.lesson.LessonPage` when that module exists, else None (the tab is hidden)."""
    if importlib.util.find_spec("buurtsim.dashboard.lesson") is None:
        return None
    module = importlib.import_module("buurtsim.dashboard.lesson")
    return getattr(module, "LessonPage", None)


@solara.component
def InfoTab(lang: str) -> None:
    """The model explained in plain words (written by the teaching work), or a placeholder line;
    then the full list of cited sources."""
    from buurtsim.references import references_markdown

    text = solara.use_memo(info_markdown, [])
    refs = references_markdown(lang, heading_level=2)
    if text:
        Md(text + "\n\n" + refs)
    else:
        solara.Text(t("info_missing", lang), classes=["bs-info-missing"])
        Md(refs)


@solara.component
def Dashboard(session: Session) -> None:
    """The whole dashboard for one session: a title bar with the language toggle, and the tabs."""
    lang = session.lang.value
    lesson = solara.use_memo(lesson_page, [])
    solara.Title("buurtsim")
    solara.Style(PAGE_CSS)
    with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
        Heading(t("title", lang), level=2)
        LanguageToggle(session)
    with solara.lab.Tabs(lazy=True):
        with solara.lab.Tab(t("tab_explore", lang)):
            ExploreTab(session)
        with solara.lab.Tab(t("tab_compare", lang)):
            CompareTab(session)
        with solara.lab.Tab(t("tab_info", lang)):
            InfoTab(lang)
        if lesson is not None:
            with solara.lab.Tab(t("tab_lesson", lang)):
                lesson(session=session)


@solara.component
def Page() -> None:
    """Entry point for `solara run`: one new Session per page load, released when the page closes
    (Solara closes the page's kernel at once; a disconnected page after DASHBOARD_IDLE_RELEASE)."""
    session = solara.use_memo(Session, [])
    solara.use_effect(lambda: session.release, [])
    Dashboard(session)
