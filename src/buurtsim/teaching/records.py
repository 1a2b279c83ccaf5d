"""The prediction/observation file a student hands in: versioned JSON, validated on reading.

One file per student per lesson. The student's predictions are written before the run and cannot be
changed once observations are in; each entry carries a UTC timestamp, so a lecturer can see that
the prediction came first.

    {"format": "buurtsim-voorspellingen", "version": 1, "student": "Anna", "group": "SW2B",
     "lesson": "les1", "lesson_title": "...", "created": "2025-01-01T10:00:00Z",
     "predictions": {"v1": {"value": "B", "at": "..."}, "v2": {"value": 55.0, "at": "..."}},
     "run": {"seed": 7, "weeks": 260, "scenarios": {"A": "les1-carrousel.toml"},
             "buurtsim_version": "0.1.0", "at": "..."},
     "observations": {"v1": {"value": "B", "values": {"A": 47.1, "B": 52.3}, "text": "...", "at": "..."}},
     "answers": {"v1": {"text": "...", "at": "..."}}}
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from buurtsim.errors import UserError
from buurtsim.escape import PlainText, check_plain_lines
from buurtsim.limits import MAX_FILE_BYTES, MAX_NESTING_DEPTH, MAX_TABLE_KEYS, shorten, too_deep, too_wide
from buurtsim.safe_io import FileRefused, parse_json, read_user_file, size_text
from buurtsim.teaching.lesson import Lesson, LessonError, get_lesson
from buurtsim.teaching.observe import Observation

_TOO_DEEP = object()
FORMAT: Final = "buurtsim-voorspellingen"
VERSION: Final = 1


class RecordError(UserError, ValueError):
    """A prediction file (or a prediction typed in) is not valid; the message names file and field."""


def number_text(x: float | None, lang: str = "nl") -> str:
    """A number as students read it: shortest form, a decimal comma in Dutch, '?' when unknown."""
    text = "?" if x is None else f"{x:g}"
    return text.replace(".", ",") if lang == "nl" else text


class PredictionError(RecordError):
    """A typed-in prediction that cannot be used, with what went wrong as data (so a UI can say it
    in its own language): `problem` is 'number', 'range' or 'choice'."""

    def __init__(self, message: str, qid: str, problem: str, got: Any, unit: str = "",
                 lo: float | None = None, hi: float | None = None, options: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.qid, self.problem, self.got, self.unit = qid, problem, got, unit
        self.lo, self.hi, self.options = lo, hi, options


def now() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


class Prediction(BaseModel):
    """A student's prediction for one question: a number (value) or an option key (compare/change)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | str
    at: datetime


class ObservationEntry(BaseModel):
    """The model's outcome for one question in this student's run."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | str
    values: dict[str, float] = Field(default_factory=dict)
    text: str = ""
    at: datetime


class Answer(BaseModel):
    """A written answer: the explanation of a question (key = question id) or a discussion answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(max_length=5000)
    at: datetime


class RunInfo(BaseModel):
    """How the observations were produced, so a run can be repeated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    seed: int | None
    weeks: int = Field(ge=0)
    scenarios: dict[str, str] = Field(default_factory=dict)
    buurtsim_version: str = ""
    at: datetime


class PredictionRecord(BaseModel):
    """One student's predictions, run and observations for one lesson."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal["buurtsim-voorspellingen"] = FORMAT
    version: Literal[1] = VERSION
    student: str = Field(min_length=1, max_length=100)
    group: PlainText = Field("", max_length=100)
    lesson: str
    lesson_title: str = ""
    created: datetime
    predictions: dict[str, Prediction] = Field(default_factory=dict)
    run: RunInfo | None = None
    observations: dict[str, ObservationEntry] = Field(default_factory=dict)
    answers: dict[str, Answer] = Field(default_factory=dict)

    @field_validator("student")
    @classmethod
    def _name(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("the student's name is empty")
        return check_plain_lines(v)  # tabs and line breaks are harmless (and CSV-escaped)

    @model_validator(mode="after")
    def _order(self) -> PredictionRecord:
        if self.observations and self.run is None:
            raise ValueError("observations without run information")
        for qid, obs in self.observations.items():
            pred = self.predictions.get(qid)
            if pred is None:
                raise ValueError(f"observations.{qid}: an observation without a prediction")
            if pred.at > obs.at:
                raise ValueError(f"predictions.{qid}.at: the prediction is dated after the observation")
        return self


# --- building a record (pure functions: each returns a new record) --------------------------------

def new_record(lesson: Lesson, student: str, group: str = "") -> PredictionRecord:
    """An empty record for a student and a lesson."""
    try:
        return PredictionRecord(student=student, group=group, lesson=lesson.id, lesson_title=lesson.title, created=now())
    except ValidationError as exc:
        raise RecordError(_errors(exc)) from None


def parse_prediction(lesson: Lesson, qid: str, raw: Any) -> float | str:
    """Check a typed-in prediction: a number in range for value questions (a Dutch decimal comma is
    fine), one of the option keys for compare/change questions. RecordError says what is expected."""
    q = lesson.question(qid)
    if q.kind == "value":
        if isinstance(raw, bool):
            raise PredictionError(f"question {qid}: expected a number, got {shorten(repr(raw), 80)}", qid, "number", raw, q.display_unit)
        try:
            val = float(str(raw).strip().replace(",", ".").rstrip("%").strip()) if isinstance(raw, str) else float(raw)
        except (TypeError, ValueError):
            raise PredictionError(f"question {qid}: expected a number ({q.display_unit or 'value'}), got {shorten(repr(raw), 80)}", qid, "number",
                                  raw, q.display_unit) from None
        if not math.isfinite(val):
            raise PredictionError(f"question {qid}: expected a finite number, got {shorten(repr(raw), 80)}", qid, "number", raw, q.display_unit)
        lo, hi = q.min, q.max
        if q.display_unit == "%":
            lo = 0.0 if lo is None else lo
            hi = 100.0 if hi is None else hi
        if (lo is not None and val < lo) or (hi is not None and val > hi):
            raise PredictionError(f"question {qid}: {val:g} is outside the accepted range [{lo:g}, {hi:g}] {q.display_unit}".rstrip(),
                                  qid, "range", val, q.display_unit, lo, hi)
        return val
    keys = [o.key for o in lesson.options(qid)]
    text = str(raw).strip()
    for k in keys:
        if text.lower() == k.lower():
            return k
    for o in lesson.options(qid):
        if text.lower() == o.label.lower():
            return o.key
    raise PredictionError(f"question {qid}: expected one of {', '.join(keys)}, got {shorten(repr(raw), 80)}", qid, "choice", raw,
                          options=tuple(o.label for o in lesson.options(qid)))


def set_prediction(record: PredictionRecord, lesson: Lesson, qid: str, raw: Any, at: datetime | None = None) -> PredictionRecord:
    """Record (or change) a prediction; refused once the run's observations are in."""
    _same_lesson(record, lesson)
    if record.observations:
        raise RecordError(f"question {qid}: predictions cannot be changed after the run")
    value = parse_prediction(lesson, qid, raw)
    preds = dict(record.predictions)
    preds[qid] = Prediction(value=value, at=at or now())
    return record.model_copy(update={"predictions": preds})


def missing_predictions(lesson: Lesson, record: PredictionRecord) -> list[str]:
    """Question ids without a prediction yet (the run may start when this is empty)."""
    return [q.id for q in lesson.questions if q.id not in record.predictions]


def add_observations(
    record: PredictionRecord,
    lesson: Lesson,
    observations: Mapping[str, Observation],
    seed: int | None,
    weeks: int | None = None,
    at: datetime | None = None,
) -> PredictionRecord:
    """Attach the run's outcomes; refused while a prediction is missing (predict before you observe)."""
    _same_lesson(record, lesson)
    missing = missing_predictions(lesson, record)
    if missing:
        raise RecordError(f"lesson {lesson.id}: predict first; no prediction yet for {', '.join(missing)}")
    import buurtsim

    stamp = at or now()
    for qid, pred in record.predictions.items():
        if pred.at > stamp:
            raise RecordError(f"predictions.{qid}.at: dated after the observation time {stamp.isoformat()}")
    obs = {qid: ObservationEntry(value=o.value, values=dict(o.values), text=o.text, at=stamp) for qid, o in observations.items()}
    unknown = [k for k in obs if k not in {q.id for q in lesson.questions}]
    if unknown:
        raise RecordError(f"lesson {lesson.id}: observations for unknown question(s) {unknown}")
    run = RunInfo(
        seed=seed,
        weeks=lesson.run_weeks if weeks is None else weeks,
        scenarios={s.key: s.file for s in lesson.scenarios},
        buurtsim_version=buurtsim.__version__,
        at=stamp,
    )
    return record.model_copy(update={"observations": obs, "run": run})


def set_answer(record: PredictionRecord, key: str, text: str, at: datetime | None = None) -> PredictionRecord:
    """Record a written answer (an explanation per question id, or a discussion answer such as 'd1')."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,19}", key):
        raise RecordError(f"answers.{key}: keys are short lower-case ids such as 'v1' or 'd2'")
    answers = dict(record.answers)
    answers[key] = Answer(text=text, at=at or now())
    return record.model_copy(update={"answers": answers})


def _same_lesson(record: PredictionRecord, lesson: Lesson) -> None:
    if record.lesson != lesson.id:
        raise RecordError(f"the record is for lesson {shorten(repr(record.lesson), 80)}, not {lesson.id!r}")


# --- files ----------------------------------------------------------------------------------------

def write(record: PredictionRecord, path: str | Path | None = None) -> str:
    """The record as JSON text (UTF-8, indented); also written to `path` when given."""
    text = json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if path is not None:
        p = Path(path)
        if p.parent and not p.parent.is_dir():
            raise RecordError(f"{p}: folder {p.parent} does not exist")
        tmp = p.with_name(p.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(p)
    return text


def loads(text: str | bytes, source: str = "<text>", lesson: Lesson | None = None) -> PredictionRecord:
    """Parse and validate a record from JSON text; with the lesson known, also check the questions and
    values against it. Errors name `source` and the field."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RecordError(f"{source}: not a UTF-8 text file") from None
    if len(text) > MAX_FILE_BYTES:
        raise RecordError(f"{source}: too large; a prediction file may be at most {size_text(MAX_FILE_BYTES)}")
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise RecordError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        data = _TOO_DEEP
    if data is _TOO_DEEP or too_deep(data) is not None:
        raise RecordError(f"{source}: objects and lists are nested too deeply (at most {MAX_NESTING_DEPTH} levels)")
    if too_wide(data) is not None:
        raise RecordError(f"{source}: an object has too many fields (at most {MAX_TABLE_KEYS:,})")
    if not isinstance(data, dict):
        raise RecordError(f"{source}: expected a JSON object, got {type(data).__name__}")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise RecordError(f"{source}: field 'format' is {shorten(repr(fmt), 80)}; expected {FORMAT!r} (is this a buurtsim prediction file?)")
    version = data.get("version")
    if version != VERSION:
        raise RecordError(f"{source}: field 'version' is {shorten(repr(version), 80)}; this buurtsim reads version {VERSION}")
    try:
        record = PredictionRecord.model_validate(data)
    except ValidationError as exc:
        raise RecordError(f"{source}: {_errors(exc)}") from None
    if lesson is None:
        try:
            lesson = get_lesson(record.lesson)
        except LessonError as exc:
            raise RecordError(f"{source}: field 'lesson': {exc}") from None
    check_against_lesson(record, lesson, source)
    return record


def read(path: str | Path, lesson: Lesson | None = None) -> PredictionRecord:
    """Read and validate a prediction file; errors name the file and the field."""
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        raise RecordError(f"{p}: prediction file does not exist")
    try:
        data = read_user_file(p, what="prediction file")
    except FileRefused as exc:
        raise RecordError(str(exc)) from None
    return loads(data, source=str(p), lesson=lesson)


def check_against_lesson(record: PredictionRecord, lesson: Lesson, source: str = "<record>") -> None:
    """Every prediction and observation refers to a question of the lesson and has a valid value."""
    if record.lesson != lesson.id:
        raise RecordError(f"{source}: field 'lesson' is {shorten(repr(record.lesson), 80)}, expected {lesson.id!r}")
    ids = {q.id for q in lesson.questions}
    for section in ("predictions", "observations"):
        for qid in getattr(record, section):
            if qid not in ids:
                raise RecordError(f"{source}: {section}.{qid}: lesson {lesson.id} has no such question (questions: {', '.join(sorted(ids))})")
    for qid, pred in record.predictions.items():
        try:
            parse_prediction(lesson, qid, pred.value)
        except RecordError as exc:
            raise RecordError(f"{source}: predictions.{qid}.value: {exc}") from None
    for qid, obs in record.observations.items():
        q = lesson.question(qid)
        if q.kind == "value" and not isinstance(obs.value, float | int):
            raise RecordError(f"{source}: observations.{qid}.value: expected a number, got {shorten(repr(obs.value), 80)}")
        if q.kind != "value" and obs.value not in {o.key for o in lesson.options(qid)}:
            raise RecordError(f"{source}: observations.{qid}.value: expected an option key, got {shorten(repr(obs.value), 80)}")


def suggested_filename(record: PredictionRecord) -> str:
    """A safe file name such as 'les1_anna-de-vries.json'."""
    norm = unicodedata.normalize("NFKD", record.student).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", norm.lower()).strip("-") or "student"
    return f"{record.lesson}_{slug[:40]}.json"


def _errors(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            parts.append(f"field '{where}' is missing")
        elif err["type"] == "extra_forbidden":
            parts.append(f"field '{where}' is not part of the format")
        else:
            parts.append(f"field '{where}': {msg}" if where else msg)
    return "; ".join(parts)
