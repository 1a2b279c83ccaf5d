"""Lessons as data: a lesson definition (TOML) with its scenarios and prediction questions.

A lesson lives in `src/buurtsim/teaching/lessons/<id>.toml`. Its scenarios are ordinary scenario
files under `scenarios/lessen/`. Each prediction question names the metric it concerns, the
scenario(s) and the tick at which the outcome is read, so the outcome always comes from running the
model, never from the lesson text.

Texts are written in Dutch, with an English version beside each (`title_en`, `text_en`, ...), so
worksheets and screens in either language come from the same lesson data: `lesson.localized("en")`
is the same lesson with the English texts in place (and English answer options).
"""

from __future__ import annotations

import difflib
import os
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from buurtsim.errors import UserError
from buurtsim.metrics import BY_NAME, METRIC_NAMES
from buurtsim.params import format_validation_error
from buurtsim.policies.base import to_weeks
from buurtsim.scenario.library import scenarios_dir

LESSON_DIR = Path(__file__).parent / "lessons"
THEMES: tuple[str, ...] = (
    "presentie",
    "eigen kracht",
    "participatie",
    "wijkaanpak",
    "projectencarrousel",
    "overvragen",
    "ABCD",
)
#: The themes in English, for English screens and worksheets.
THEMES_EN: dict[str, str] = {
    "presentie": "presence", "eigen kracht": "own strength", "participatie": "participation", "wijkaanpak": "neighbourhood approach",
    "projectencarrousel": "project carousel", "overvragen": "over-asking", "ABCD": "ABCD",
}
KINDS: tuple[str, ...] = ("value", "compare", "change")
SAME = "gelijk"
UP, DOWN = "stijgt", "daalt"
LANGS = ("nl", "en")
#: Answer option labels per language: compare (higher, about equal) and change (rises, falls, equal).
OPTION_WORDS = {
    "nl": {"higher": "{label} hoger", "same": "ongeveer gelijk", "up": "stijgt", "down": "daalt", "stays": "blijft ongeveer gelijk"},
    "en": {"higher": "{label} higher", "same": "about equal", "up": "rises", "down": "falls", "stays": "stays about equal"},
}


class LessonError(UserError, ValueError):
    """A lesson file is missing or malformed; the message names the file and the field."""


class LessonScenario(BaseModel):
    """One scenario a lesson runs, under a short key the questions refer to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,19}$", description="Short key, e.g. 'A' or 'carrousel'.")
    file: str = Field(description="Scenario file name, relative to the lesson scenario folder (scenarios/lessen/).")
    label: str = Field(description="Name shown to students, e.g. 'Projectencarrousel'.")
    label_en: str | None = Field(None, description="The name in English, e.g. 'Project carousel'.")


class Option(BaseModel):
    """One answer option of a choice question."""

    model_config = ConfigDict(frozen=True)

    key: str
    label: str


class Question(BaseModel):
    """A prediction question: what to predict, on which metric, in which scenario(s), read when.

    kinds: `value` (predict the metric in one scenario at `tick`), `compare` (which of two scenarios
    is higher at `tick`, or about equal within `tolerance`), `change` (does the metric rise, fall or
    stay about equal between `from_tick` and `tick` in one scenario).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,19}$", description="Question id, e.g. 'v1'.")
    kind: Literal["value", "compare", "change"]
    text: str = Field(min_length=5, description="The question, in Dutch.")
    text_en: str | None = Field(None, min_length=5, description="The question in English.")
    metric: str = Field(description="Outcome column of the model (buurtsim.metrics).")
    tick: int = Field(description="Week at which the outcome is read: weeks or a duration such as '3y'.")
    scenarios: list[str] = Field(description="Scenario key(s): one for value/change, two for compare.")
    from_tick: int | None = Field(None, description="For change: the week compared with `tick` (default 0).")
    window: int = Field(1, ge=1, le=520, description="Weeks averaged (or summed) up to and including `tick`.")
    aggregate: Literal["mean", "sum"] = Field("mean", description="How the window is combined.")
    tolerance: float = Field(0.0, ge=0.0, description="For compare/change: differences up to this (display units) count as 'about equal'.")
    scale: float | None = Field(None, gt=0, description="Display factor; default 100 for shares (percent), else 1.")
    unit: str | None = Field(None, description="Display unit; default '%' for shares, else the metric's unit.")
    min: float | None = Field(None, description="For value: lowest accepted prediction (display units).")
    max: float | None = Field(None, description="For value: highest accepted prediction (display units).")
    hint: str = Field("", description="Help shown with the question (what the metric means).")
    hint_en: str | None = Field(None, description="The help in English.")
    unit_en: str | None = Field(None, description="The display unit in English (when `unit` is given).")

    @field_validator("tick", "from_tick", mode="before")
    @classmethod
    def _weeks(cls, v: Any) -> Any:
        if v is None:
            return None
        return to_weeks(v)

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        if v not in METRIC_NAMES:
            hint = difflib.get_close_matches(v, METRIC_NAMES, n=3)
            raise ValueError(f"unknown metric {v!r}" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
        return v

    @model_validator(mode="after")
    def _shape(self) -> Question:
        need = 2 if self.kind == "compare" else 1
        if len(self.scenarios) != need:
            raise ValueError(f"a {self.kind} question needs {need} scenario key(s), got {len(self.scenarios)}")
        if self.kind == "compare" and self.scenarios[0] == self.scenarios[1]:
            raise ValueError("a compare question needs two different scenarios")
        if self.kind == "change" and int(self.from_tick or 0) >= self.tick:
            raise ValueError(f"from_tick ({self.from_tick}) must be before tick ({self.tick})")
        if self.window > self.tick + 1:
            raise ValueError(f"window ({self.window} weeks) is longer than the run up to tick {self.tick}")
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError("min must be below max")
        return self

    @property
    def display_scale(self) -> float:
        """Factor from the metric's value to what students see (100 for shares in percent)."""
        if self.scale is not None:
            return self.scale
        return 100.0 if BY_NAME[self.metric].unit == "share" else 1.0

    @property
    def display_unit(self) -> str:
        """Unit shown to students."""
        if self.unit is not None:
            return self.unit
        m = BY_NAME[self.metric]
        return "%" if m.unit == "share" and self.scale is None else m.unit

    @property
    def metric_label(self) -> str:
        """Dutch label of the metric."""
        return BY_NAME[self.metric].label_nl

    @property
    def start_tick(self) -> int:
        """For change questions: the week the change is measured from."""
        return int(self.from_tick or 0)


class Lesson(BaseModel):
    """A lesson: goals, scenarios, prediction questions, discussion questions and limitations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,40}$", description="Lesson id, e.g. 'les1'.")
    title: str
    title_en: str | None = Field(None, description="The title in English.")
    duration_min: int = Field(ge=45, le=90, description="Duration of the session in minutes (45-90).")
    themes: list[str] = Field(min_length=1, description="Themes from the social-work vocabulary.")
    summary: str = Field(description="Two or three sentences for the lesson list.")
    summary_en: str | None = Field(None, description="The summary in English.")
    doc: str = Field(description="File name of the lesson text under docs/teaching/.")
    learning_goals: list[str] = Field(min_length=1)
    learning_goals_en: list[str] | None = Field(None, description="The learning goals in English, in the same order.")
    scenarios: list[LessonScenario] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)
    horizon: int | None = Field(None, description="Weeks to run; default: the latest tick any question reads.")
    discussion: list[str] = Field(min_length=1, description="Discussion questions for after the run.")
    discussion_en: list[str] | None = Field(None, description="The discussion questions in English, in the same order.")
    leaves_out: list[str] = Field(min_length=1, description="What the model leaves out that matters here.")
    leaves_out_en: list[str] | None = Field(None, description="What the model leaves out, in English, in the same order.")
    source: Path | None = Field(None, exclude=True, description="File the lesson was read from.")
    _lang: str = PrivateAttr("nl")

    @field_validator("horizon", mode="before")
    @classmethod
    def _weeks(cls, v: Any) -> Any:
        return None if v is None else to_weeks(v)

    @field_validator("themes")
    @classmethod
    def _themes(cls, v: list[str]) -> list[str]:
        bad = [t for t in v if t not in THEMES]
        if bad:
            raise ValueError(f"unknown theme(s) {bad}; choose from {list(THEMES)}")
        return v

    @model_validator(mode="after")
    def _refs(self) -> Lesson:
        keys = [s.key for s in self.scenarios]
        if len(set(keys)) != len(keys):
            raise ValueError(f"scenario keys must be unique, got {keys}")
        reserved = [k for k in keys if k.lower() in (SAME, UP, DOWN)]
        if reserved:
            raise ValueError(f"scenario key(s) {reserved} are answer words ({SAME}, {UP}, {DOWN}); choose another key")
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question ids must be unique, got {ids}")
        for q in self.questions:
            unknown = [k for k in q.scenarios if k not in keys]
            if unknown:
                raise ValueError(f"question {q.id}: unknown scenario key(s) {unknown}; the lesson has {keys}")
        for name in ("learning_goals", "discussion", "leaves_out"):
            english = getattr(self, f"{name}_en")
            if english is not None and len(english) != len(getattr(self, name)):
                raise ValueError(f"{name}_en has {len(english)} item(s) but {name} has {len(getattr(self, name))}; give one translation per item")
        latest = max(q.tick for q in self.questions)
        if self.horizon is not None and self.horizon < latest:
            raise ValueError(f"horizon ({self.horizon} weeks) is before the latest question tick ({latest})")
        return self

    @property
    def lang(self) -> str:
        """The language of the texts: 'nl', or 'en' for `localized('en')`."""
        return self._lang

    @property
    def theme_labels(self) -> list[str]:
        """The themes in the lesson's language."""
        return [THEMES_EN.get(t, t) for t in self.themes] if self._lang == "en" else list(self.themes)

    @property
    def has_english(self) -> bool:
        """True when every text of the lesson has an English version."""
        lists = (self.learning_goals_en, self.discussion_en, self.leaves_out_en)
        return (self.title_en is not None and self.summary_en is not None and all(x is not None for x in lists)
                and all(s.label_en for s in self.scenarios)
                and all(q.text_en and (q.hint_en is not None or not q.hint) and (q.unit_en or q.unit is None) for q in self.questions))

    def localized(self, lang: str) -> Lesson:
        """This lesson with its texts in `lang` ('nl' or 'en'); English texts that are missing stay Dutch.
        Ids, keys, metrics and weeks are unchanged, so prediction records fit either version."""
        if lang not in LANGS:
            raise LessonError(f"language {lang!r}: expected one of {', '.join(LANGS)}")
        if lang == self._lang:
            return self
        if self._lang != "nl":
            raise LessonError(f"lesson {self.id}: localize the Dutch lesson, not a translation")
        copy = self.model_copy(update={
            "title": self.title_en or self.title,
            "summary": self.summary_en or self.summary,
            "learning_goals": self.learning_goals_en or self.learning_goals,
            "discussion": self.discussion_en or self.discussion,
            "leaves_out": self.leaves_out_en or self.leaves_out,
            "scenarios": [s.model_copy(update={"label": s.label_en or s.label}) for s in self.scenarios],
            "questions": [q.model_copy(update={"text": q.text_en or q.text, "hint": q.hint if q.hint_en is None else q.hint_en,
                                               "unit": q.unit if q.unit is None else (q.unit_en or q.unit)}) for q in self.questions],
        })
        copy._lang = lang
        return copy

    @property
    def run_weeks(self) -> int:
        """How many weeks each scenario must run so that every question can be read."""
        return self.horizon if self.horizon is not None else max(q.tick for q in self.questions)

    def question(self, qid: str) -> Question:
        """A question by id (LessonError with close matches if unknown)."""
        for q in self.questions:
            if q.id == qid:
                return q
        ids = [q.id for q in self.questions]
        raise LessonError(f"lesson {self.id}: no question {qid!r} (questions: {', '.join(ids)})")

    def scenario(self, key: str) -> LessonScenario:
        """A lesson scenario by key."""
        for s in self.scenarios:
            if s.key == key:
                return s
        raise LessonError(f"lesson {self.id}: no scenario {key!r} (scenarios: {', '.join(s.key for s in self.scenarios)})")

    def options(self, qid: str) -> list[Option]:
        """Answer options of a compare/change question (empty for value questions)."""
        q = self.question(qid)
        words = OPTION_WORDS[self._lang]
        if q.kind == "compare":
            a, b = (self.scenario(k) for k in q.scenarios)
            return [
                Option(key=a.key, label=words["higher"].format(label=a.label)),
                Option(key=b.key, label=words["higher"].format(label=b.label)),
                Option(key=SAME, label=words["same"]),
            ]
        if q.kind == "change":
            return [Option(key=UP, label=words["up"]), Option(key=DOWN, label=words["down"]), Option(key=SAME, label=words["stays"])]
        return []

    def scenario_paths(self, folder: Path | None = None) -> dict[str, Path]:
        """Scenario files of this lesson by key; LessonError if one is missing."""
        base = folder if folder is not None else scenario_dir()
        out: dict[str, Path] = {}
        for s in self.scenarios:
            path = base / s.file
            if not path.is_file():
                where = f" (lesson file {self.source})" if self.source else ""
                raise LessonError(f"lesson {self.id}{where}: scenarios[{s.key}].file: {path} does not exist")
            out[s.key] = path
        return out


def scenario_dir() -> Path:
    """The folder with lesson scenarios: $BUURTSIM_LESSON_SCENARIOS, else scenarios/lessen of the
    checkout or the installation (see scenario.library), else of the working directory."""
    env = os.environ.get("BUURTSIM_LESSON_SCENARIOS")
    candidates = [Path(env)] if env else []
    shipped = scenarios_dir()
    candidates += [shipped / "lessen"] if shipped is not None else []
    candidates += [Path.cwd() / "scenarios" / "lessen"]
    for c in candidates:
        if c.is_dir():
            return c
    tried = ", ".join(str(c) for c in candidates)
    raise LessonError(f"lesson scenario folder not found (tried: {tried}); set BUURTSIM_LESSON_SCENARIOS")


def load_lesson(path: str | Path) -> Lesson:
    """Read and validate one lesson file; errors name the file and the field."""
    path = Path(path)
    if not path.is_file():
        raise LessonError(f"{path}: lesson file does not exist")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise LessonError(f"{path}: not a UTF-8 text file") from None
    try:
        lesson = Lesson.model_validate(data)
    except ValidationError as exc:
        raise LessonError(f"{path}: {_located(exc, data)}") from None
    return lesson.model_copy(update={"source": path})


def _located(exc: ValidationError, data: dict[str, Any]) -> str:
    """Validation errors with list indices replaced by the question/scenario id where possible."""
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        if len(loc) >= 2 and loc[0] in ("questions", "scenarios") and isinstance(loc[1], int):
            items = data.get(loc[0]) or []
            item = items[loc[1]] if loc[1] < len(items) and isinstance(items[loc[1]], dict) else {}
            name = item.get("id") or item.get("key")
            if name:
                loc[1] = name
        where = ".".join(str(p) for p in loc)
        msg = err["msg"].removeprefix("Value error, ")
        given = err.get("input")
        shown = "" if isinstance(given, dict | list) else f" (given: {given!r})"
        lines.append(f"{where}: {msg}{shown}" if where else msg)
    if not lines:
        return format_validation_error(exc)
    return "; ".join(lines)


@lru_cache(maxsize=1)
def _all_lessons() -> tuple[Lesson, ...]:
    lessons = [load_lesson(p) for p in sorted(LESSON_DIR.glob("*.toml"))]
    ids = [les.id for les in lessons]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise LessonError(f"{LESSON_DIR}: duplicate lesson id(s) {dup}")
    return tuple(sorted(lessons, key=_order_key))


def _order_key(lesson: Lesson) -> tuple[int, str]:
    digits = "".join(ch for ch in lesson.id.split("-")[0] if ch.isdigit())
    return (int(digits) if digits else 10_000, lesson.id)


def list_lessons() -> list[Lesson]:
    """Every shipped lesson, in lesson order."""
    return list(_all_lessons())


def get_lesson(lesson_id: str) -> Lesson:
    """A shipped lesson by id (or a path to a lesson file); LessonError with close matches if unknown."""
    if lesson_id.endswith(".toml") or os.sep in lesson_id:
        return load_lesson(lesson_id)
    lessons = {les.id: les for les in _all_lessons()}
    if lesson_id in lessons:
        return lessons[lesson_id]
    hint = difflib.get_close_matches(lesson_id, list(lessons), n=3, cutoff=0.4)
    extra = f" (did you mean: {', '.join(hint)}?)" if hint else ""
    raise LessonError(f"unknown lesson {lesson_id!r}{extra}; lessons: {', '.join(lessons)}")

