"""The dashboard's lesson mode (issue 6): choose a lesson, predict, run its scenarios, observe,
explain, and download the prediction file that `buurtsim verzamel` reads.

Built only on the pure functions of `buurtsim.teaching` (the model never imports the UI).
`LessonState` holds one page's lesson work as reactive values and runs the scenarios in a thread,
so it can be tested without a browser; `LessonPage` shows it. `app.lesson_page()` finds
`LessonPage` and adds the "Les" tab.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import solara
from matplotlib.figure import Figure
from pydantic import ValidationError

from buurtsim import metrics as metrics_mod
from buurtsim.dashboard import drawing
from buurtsim.dashboard.components import Heading, Md, Picture
from buurtsim.dashboard.i18n import t
from buurtsim.dashboard.state import Session, start_size
from buurtsim.errors import UserError
from buurtsim.teaching import (
    Lesson,
    Observation,
    PredictionRecord,
    RecordError,
    add_observations,
    get_lesson,
    list_lessons,
    missing_predictions,
    new_record,
    observe_question,
    parse_prediction,
    set_answer,
    set_prediction,
    suggested_filename,
    write,
)
from buurtsim.teaching.observe import observation_text
from buurtsim.teaching.records import now
from buurtsim.teaching.worksheet import rich_text

PROGRESS_WEEKS = 13  # the progress line is updated every quarter of a year
PICTURE_WEEKS = 52  # the picture is redrawn every simulated year while running
BLOCK = {"display": "block", "margin": "4px 0"}
LINE_COLOURS: tuple[str, ...] = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


def fresh_seed() -> int:
    """A new random seed for a student's run (stored in the file, so the run can be repeated)."""
    return int(np.random.SeedSequence().entropy % (2**31))  # type: ignore[operator]


def lesson_label(lesson: Lesson) -> str:
    """What the lesson picker shows: 'les1 — title' (in the lesson's language, without italics marks)."""
    return f"{lesson.id} — {lesson.title.replace('*', '')}"


def format_value(lesson: Lesson, qid: str, value: float | str) -> str:
    """A prediction or outcome as students read it: a number with its unit, or an option's label."""
    q = lesson.question(qid)
    if q.kind == "value":
        unit = q.display_unit
        number = f"{float(value):.1f}".replace(".", ",")
        return f"{number}{unit}" if unit == "%" else f"{number} {unit}".rstrip()
    labels = {o.key: o.label for o in lesson.options(qid)}
    return labels.get(str(value), str(value))


def lesson_figure(
    metrics_by_key: Mapping[str, pd.DataFrame],
    lesson: Lesson,
    metric: str,
    weeks: int,
    lang: str = "nl",
) -> Figure:
    """One outcome over time, a line per scenario of the lesson, with the weeks the questions on
    that outcome are read marked as dotted lines."""
    fig = Figure(figsize=(7.0, 3.4))
    ax = fig.add_subplot()
    on_metric = [q for q in lesson.questions if q.metric == metric]
    scale = on_metric[0].display_scale if on_metric else 1.0
    unit = on_metric[0].display_unit if on_metric else metrics_mod.BY_NAME[metric].unit
    for i, s in enumerate(lesson.scenarios):
        df = metrics_by_key.get(s.key)
        if df is not None and metric in df and len(df):
            ax.plot(df.index, df[metric] * scale, label=s.label, color=LINE_COLOURS[i % len(LINE_COLOURS)], lw=1.6)
    for tick in sorted({q.tick for q in on_metric}):
        ids = ", ".join(q.id for q in on_metric if q.tick == tick)
        ax.axvline(tick, color="#555", ls=":", lw=1.0)
        right = tick > 0.9 * weeks  # a label at the right edge goes left of its line
        ax.text(tick, 0.98, f"{ids} " if right else f" {ids}", transform=ax.get_xaxis_transform(), fontsize=8,
                va="top", ha="right" if right else "left", color="#333")
    ax.set_xlim(0, max(weeks, 1))
    ax.set_xlabel(t("weeks_axis", lang))
    ax.set_ylabel(f"{metrics_mod.label(metric, lang)} ({unit})" if unit else metrics_mod.label(metric, lang), fontsize=8)
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=8, loc="lower left", bbox_to_anchor=(0.0, 1.01), ncol=3, frameon=False)
    fig.subplots_adjust(left=0.11, right=0.98, top=0.86, bottom=0.15)
    return fig


class LessonState:
    """One page's lesson: the chosen lesson, the student's name and predictions, the run of the
    lesson's scenarios (in a thread, same seed for all), its observations and the record to download.

    `n_residents` and `weeks` shrink the runs (tests, slow machines); by default the scenarios' own
    size (or $BUURTSIM_DASHBOARD_N) and `lesson.run_weeks`. Questions read after a shortened run's
    end are listed as unread instead of observed.
    """

    def __init__(self, n_residents: int | None = None, weeks: int | None = None) -> None:
        self.n_residents = n_residents or start_size()
        self.weeks_override = weeks
        self.lesson_id: solara.Reactive[str | None] = solara.reactive(None)
        self.load_error: solara.Reactive[str | None] = solara.reactive(None)
        self.name = solara.reactive("")
        self.group = solara.reactive("")
        self.drafts: solara.Reactive[dict[str, str]] = solara.reactive({})
        self.predictions: solara.Reactive[dict[str, tuple[float | str, datetime]]] = solara.reactive({})
        self.errors: solara.Reactive[dict[str, str]] = solara.reactive({})
        self.seed = solara.reactive(fresh_seed())
        self.status = solara.reactive("idle")  # idle, running, done, stopped, failed
        self.progress: solara.Reactive[tuple[int, int]] = solara.reactive((0, 0))  # (scenario index, week)
        self.run_error: solara.Reactive[str | None] = solara.reactive(None)
        self.metrics: solara.Reactive[dict[str, pd.DataFrame]] = solara.reactive({})
        self.observations: solara.Reactive[dict[str, Observation]] = solara.reactive({})
        self.unread: solara.Reactive[dict[str, str]] = solara.reactive({})
        self.record: solara.Reactive[PredictionRecord | None] = solara.reactive(None)
        self.answer_errors: solara.Reactive[dict[str, str]] = solara.reactive({})
        self.thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._lock = threading.Lock()  # a cancelled run writes nothing after cancel() returns
        self._scenarios: dict[str, Any] = {}
        self._created = now()

    # --- choosing a lesson ---------------------------------------------------------------------
    @property
    def lesson(self) -> Lesson | None:
        """The chosen lesson (None before one is chosen or when it failed to load)."""
        lid = self.lesson_id.value
        return None if lid is None or self.load_error.value else get_lesson(lid)

    @property
    def weeks(self) -> int:
        """Weeks each scenario runs: the lesson's own length unless shortened."""
        lesson = self.lesson
        full = lesson.run_weeks if lesson is not None else 0
        return min(self.weeks_override, full) if self.weeks_override else full

    def choose(self, lesson_id: str | None) -> None:
        """Start a lesson afresh: load its scenarios, clear predictions and outcomes (name stays)."""
        self.cancel()
        self._clear()
        self.lesson_id.value = lesson_id
        self.load_error.value = None
        self._scenarios = {}
        if lesson_id is None:
            return
        from buurtsim.scenario import load_scenario

        try:
            lesson = get_lesson(lesson_id)
            self._scenarios = {key: load_scenario(path) for key, path in lesson.scenario_paths().items()}
        except UserError as exc:
            self.load_error.value = str(exc)

    def restart(self) -> None:
        """Start the same lesson over: new predictions, a new seed, no outcomes."""
        self.choose(self.lesson_id.value)

    def _clear(self) -> None:
        self.drafts.value = {}
        self.predictions.value = {}
        self.errors.value = {}
        self.seed.value = fresh_seed()
        self.status.value = "idle"
        self.progress.value = (0, 0)
        self.run_error.value = None
        self.metrics.value = {}
        self.observations.value = {}
        self.unread.value = {}
        self.record.value = None
        self.answer_errors.value = {}
        self._created = now()

    def residents(self, key: str) -> int:
        """Residents in the run of one scenario."""
        return int(self.n_residents or self._scenarios[key].to_params().n_residents)

    # --- predicting ----------------------------------------------------------------------------
    @property
    def locked(self) -> bool:
        """Predictions can no longer change (the run started or finished)."""
        return self.status.value in ("running", "done")

    def predict(self, qid: str, raw: Any) -> None:
        """Record a typed or chosen prediction; a bad one is kept as typed, with the reason shown."""
        lesson = self.lesson
        if lesson is None or self.locked:
            return
        text = "" if raw is None else str(raw)
        self.drafts.value = {**self.drafts.value, qid: text}
        preds = {k: v for k, v in self.predictions.value.items() if k != qid}
        errors = {k: v for k, v in self.errors.value.items() if k != qid}
        if text.strip():
            try:
                preds[qid] = (parse_prediction(lesson, qid, text), now())
            except RecordError as exc:
                errors[qid] = str(exc)
        self.predictions.value = preds
        self.errors.value = errors

    def draft(self) -> tuple[PredictionRecord | None, str | None]:
        """The record so far (name, group and valid predictions with the time they were entered),
        or None with the reason (no name yet, a name too long, ...)."""
        lesson = self.lesson
        if lesson is None:
            return None, None
        if not self.name.value.strip():
            return None, "les_name_needed"
        try:
            rec = new_record(lesson, self.name.value, self.group.value).model_copy(update={"created": self._created})
            for qid, (value, at) in self.predictions.value.items():
                rec = set_prediction(rec, lesson, qid, value, at=at)
        except RecordError as exc:
            return None, str(exc)
        return rec, None

    def missing(self) -> list[str]:
        """Questions still without a valid prediction."""
        lesson = self.lesson
        if lesson is None:
            return []
        rec, _ = self.draft()
        if rec is None:
            return [q.id for q in lesson.questions if q.id not in self.predictions.value]
        return missing_predictions(lesson, rec)

    @property
    def can_run(self) -> bool:
        """Name and every prediction are in, and the model has not run yet."""
        rec, _ = self.draft()
        return rec is not None and not self.missing() and self.status.value in ("idle", "stopped", "failed")

    # --- running ---------------------------------------------------------------------------------
    def start(self) -> None:
        """Run every scenario of the lesson with one seed, in a thread (predictions are fixed now)."""
        lesson = self.lesson
        rec, _ = self.draft()
        if lesson is None or rec is None or not self.can_run:
            return
        self._cancel = threading.Event()
        self.status.value = "running"
        self.run_error.value = None
        self.metrics.value = {}
        self.progress.value = (0, 0)
        sizes = {s.key: self.residents(s.key) for s in lesson.scenarios}
        self.thread = threading.Thread(target=self._work, args=(lesson, rec, self.seed.value, self.weeks, sizes, self._cancel),
                                       daemon=True, name="buurtsim-lesson")
        self.thread.start()

    def cancel(self) -> None:
        """Stop a running lesson run (the predictions stay; it can be started again)."""
        with self._lock:
            self._cancel.set()
            if self.status.value == "running":
                self.status.value = "stopped"

    def wait(self, timeout: float | None = None) -> None:
        """Block until the lesson run finished (for tests and scripts)."""
        if self.thread is not None:
            self.thread.join(timeout)

    def _publish(self, cancel: threading.Event, **values: Any) -> bool:
        """Set reactive values from the run's thread, unless the run was cancelled; False then.
        If the page is gone (its values can no longer be set), the run stops."""
        with self._lock:
            if cancel.is_set():
                return False
            try:
                for name, value in values.items():
                    getattr(self, name).value = value
            except Exception:
                cancel.set()
                return False
            return True

    def _work(self, lesson: Lesson, rec: PredictionRecord, seed: int, weeks: int, sizes: dict[str, int],
              cancel: threading.Event) -> None:
        from buurtsim.model import NeighbourhoodModel

        done: dict[str, pd.DataFrame] = {}
        try:
            for i, s in enumerate(lesson.scenarios):
                model = NeighbourhoodModel.from_scenario(self._scenarios[s.key], seed=seed, n_residents=sizes[s.key])
                for week in range(1, weeks + 1):
                    if cancel.is_set():
                        return
                    model.step()
                    if (week % PROGRESS_WEEKS == 0 or week == weeks) and not self._publish(cancel, progress=(i, week)):
                        return
                    if week % PICTURE_WEEKS == 0 and week < weeks:
                        self._publish(cancel, metrics={**done, s.key: model.metrics()})
                done[s.key] = model.metrics()
                self._publish(cancel, metrics=dict(done))
            observed, unread = {}, {}
            for q in lesson.questions:
                try:
                    observed[q.id] = observe_question(lesson, q, done)
                except UserError as exc:
                    unread[q.id] = str(exc)
            record = add_observations(rec, lesson, observed, seed=seed, weeks=weeks)
            self._publish(cancel, record=record, observations=observed, unread=unread, status="done")
        except Exception as exc:  # shown on the page; the session stays usable
            message = str(exc) if isinstance(exc, UserError) else f"{type(exc).__name__}: {exc}"
            self._publish(cancel, run_error=message, status="failed")

    # --- after the run -------------------------------------------------------------------------
    def answer(self, key: str, text: str) -> None:
        """Store a written explanation (per question id) or discussion answer ('d1', ...) in the record."""
        rec = self.record.value
        if rec is None:
            return
        errors = {k: v for k, v in self.answer_errors.value.items() if k != key}
        try:
            self.record.value = set_answer(rec, key, text or "")
        except RecordError as exc:
            errors[key] = str(exc)
        except ValidationError:
            errors[key] = "les_answer_too_long"
        self.answer_errors.value = errors

    def current_record(self) -> PredictionRecord | None:
        """What the download holds: the record with outcomes after the run, else the draft."""
        return self.record.value if self.record.value is not None else self.draft()[0]

    def file(self) -> tuple[str, bytes] | None:
        """(file name, JSON bytes) of the prediction file, once name and every prediction are in."""
        rec = self.current_record()
        lesson = self.lesson
        if rec is None or lesson is None or missing_predictions(lesson, rec):
            return None
        return suggested_filename(rec), write(rec).encode("utf-8")


def _message(key_or_text: str, lang: str) -> str:
    """A message stored as an i18n key (own messages) or as text (from buurtsim.teaching)."""
    try:
        return t(key_or_text, lang)
    except KeyError:
        return key_or_text


_STATES: weakref.WeakKeyDictionary[Session, LessonState] = weakref.WeakKeyDictionary()


def lesson_state(session: Session, n_residents: int | None = None, weeks: int | None = None) -> LessonState:
    """The lesson work of a browser page: kept with its Session, so switching tabs loses nothing
    (the tabs are lazy: an inactive tab's components are unmounted) and a run goes on meanwhile."""
    state = _STATES.get(session)
    if state is None:
        state = _STATES[session] = LessonState(n_residents=n_residents, weeks=weeks)
    return state


# --- components ------------------------------------------------------------------------------------

@solara.component
def LessonPicker(state: LessonState, lang: str) -> None:
    """Choose one of the shipped lessons."""
    def load() -> tuple[list[Lesson], str | None]:
        try:
            return list_lessons(), None
        except UserError as exc:  # a broken lesson file is named, not raised
            return [], str(exc)

    lessons, error = solara.use_memo(load, [])
    if error:
        solara.Error(f"{t('les_load_error', lang)}: {error}", classes=["bs-les-load-error"])
    labels = [lesson_label(les.localized(lang)) for les in lessons]
    ids = [les.id for les in lessons]
    current = state.lesson_id.value
    value = labels[ids.index(current)] if current in ids else None

    def on_pick(label: str | None) -> None:
        if label in labels and ids[labels.index(label)] != current:
            state.choose(ids[labels.index(label)])

    solara.Select(t("les_pick", lang), values=labels, value=value, on_value=on_pick, classes=["bs-les-pick"])


@solara.component
def LessonIntro(state: LessonState, lesson: Lesson, lang: str) -> None:
    """Summary, goals, where the lesson text is, and what will run."""
    Md(lesson.summary)
    with solara.Details(t("les_goals", lang)):
        Md("\n".join(f"- {g}" for g in lesson.learning_goals))
    sizes = sorted({state.residents(s.key) for s in lesson.scenarios})
    solara.Text(t("les_setup", lang, k=len(lesson.scenarios), names=", ".join(s.label for s in lesson.scenarios),
                  n="/".join(str(n) for n in sizes), weeks=state.weeks, years=state.weeks / 52),
                style={"font-size": "0.9em"}, classes=["bs-les-setup"])
    LessonTextAndWorksheet(lesson, lang)


@solara.component
def LessonTextAndWorksheet(lesson: Lesson, lang: str) -> None:
    """The full lesson text, readable inside the app, and the worksheet (HTML, PDF) in the UI language."""
    from buurtsim.teaching.lesson_text import lesson_text
    from buurtsim.teaching.worksheet import worksheet_bytes, worksheet_name

    text = solara.use_memo(lambda: lesson_text(lesson), [lesson.id])
    with solara.Details(t("les_text", lang)), solara.Div(classes=["bs-les-text"]):
        if text:
            if lang == "en":  # the lesson texts (docs/teaching) exist in Dutch only; the lesson data above is in English
                solara.Text(t("les_text_dutch", lang), style={"font-size": "0.85em", "color": "#555"})
            Md(text)
        else:
            solara.Text(t("les_text_missing", lang))
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}, classes=["bs-les-worksheet"]):
        solara.Text(t("les_worksheet", lang), style={"font-size": "0.9em"})
        for fmt, mime in (("html", "text/html"), ("pdf", "application/pdf")):
            solara.FileDownload(lambda fmt=fmt: worksheet_bytes(lesson, lang, fmt), filename=worksheet_name(lesson.id, lang, fmt),
                                label=fmt.upper(), mime_type=mime)


def prediction_problem(lesson: Lesson, qid: str, raw: Any, lang: str) -> str | None:
    """Why a typed prediction cannot be used, in the page's language (None when it can be used)."""
    from buurtsim.teaching.records import PredictionError
    from buurtsim.teaching.records import number_text as _num

    try:
        parse_prediction(lesson, qid, raw)
    except PredictionError as exc:
        got = str(exc.got)[:40]
        if exc.problem == "range":
            return t("les_err_range", lang, q=qid, value=_num(float(exc.got), lang), lo=_num(exc.lo, lang),
                     hi=_num(exc.hi, lang), unit=exc.unit).rstrip()
        if exc.problem == "choice":
            return t("les_err_choice", lang, q=qid, options=" / ".join(exc.options))
        return t("les_err_number", lang, q=qid, unit=exc.unit or "", got=got)
    except RecordError as exc:
        return str(exc)
    return None


@solara.component
def QuestionCard(state: LessonState, lesson: Lesson, qid: str, lang: str) -> None:
    """One question: its text and hint, the prediction input (or, after the run, prediction and outcome)."""
    q = lesson.question(qid)
    draft = state.drafts.value.get(qid, "")
    error = state.errors.value.get(qid)
    if error:
        error = prediction_problem(lesson, qid, draft, lang) or error
    pred = state.predictions.value.get(qid)
    with solara.Card(style={"width": "100%", "margin-bottom": "8px"}), solara.Div(classes=[f"bs-les-q-{qid}"]):
        solara.HTML("div", unsafe_innerHTML=f"<b>{q.id}</b>. {rich_text(q.text)}")
        if q.hint:
            solara.HTML("div", unsafe_innerHTML=rich_text(q.hint), style="font-size: 0.8em; color: #555")
        label = f"{q.id}: {t('les_your_prediction', lang)}"
        if q.kind == "value":
            solara.InputText(label, value=draft, on_value=lambda v: state.predict(qid, v), disabled=state.locked,
                             suffix=q.display_unit, error=f"{t('les_prediction_error', lang)}: {error}" if error else False,
                             message=t("les_value_hint", lang, unit=q.display_unit), classes=[f"bs-les-pred-{qid}"])
        else:
            options = lesson.options(qid)
            labels = [o.label for o in options]
            chosen = next((o.label for o in options if pred is not None and o.key == pred[0]), None)
            solara.Select(label, values=labels, value=chosen, disabled=state.locked,
                          on_value=lambda lbl: state.predict(qid, next((o.key for o in options if o.label == lbl), lbl)),
                          classes=[f"bs-les-pred-{qid}"])
            if error:
                solara.Error(f"{t('les_prediction_error', lang)}: {error}", dense=True)
        obs = state.observations.value.get(qid)
        unread = state.unread.value.get(qid)
        if state.status.value == "done" and pred is not None:
            Outcome(state, lesson, qid, pred[0], obs, unread, lang)


@solara.component
def Outcome(state: LessonState, lesson: Lesson, qid: str, predicted: float | str, obs: Observation | None,
            unread: str | None, lang: str) -> None:
    """Prediction against outcome for one question, and the explanation to write."""
    q = lesson.question(qid)
    solara.Text(t("les_predicted", lang, value=format_value(lesson, qid, predicted)),
                style={"font-weight": "bold", "display": "block"})
    if obs is None:
        solara.Warning(f"{t('les_unread', lang)}: {unread}", dense=True, classes=[f"bs-les-unread-{qid}"])
        return
    with solara.Div(classes=[f"bs-les-outcome-{qid}"]):
        solara.Text(t("les_observed", lang, text=observation_text(lesson, qid, obs.value, obs.values)), style=BLOCK)
        if q.kind == "value":
            diff = float(predicted) - float(obs.value)
            solara.Text(t("les_off_by", lang, diff=format_value(lesson, qid, abs(diff))), style=BLOCK)
        elif predicted == obs.value:
            solara.Success(t("les_hit", lang), dense=True)
        else:
            solara.Warning(t("les_miss", lang), dense=True)
    AnswerBox(state, qid, t("les_explain", lang), lang)


@solara.component
def AnswerBox(state: LessonState, key: str, label: str, lang: str) -> None:
    """A written answer, stored in the record when the field loses focus."""
    rec = state.record.value
    current = rec.answers[key].text if rec is not None and key in rec.answers else ""
    error = state.answer_errors.value.get(key)
    with solara.Div(classes=[f"bs-les-answer-{key}"]):
        solara.InputTextArea(label, value=current, on_value=lambda text: state.answer(key, text), rows=2,
                             error=f"{t('les_answer_error', lang)}: {_message(error, lang)}" if error else False)


@solara.component
def RunPanel(state: LessonState, lesson: Lesson, lang: str) -> None:
    """Seed, the run button (only with every prediction in), progress, and what happened."""
    status = state.status.value
    rec, why = state.draft()
    missing = state.missing()
    solara.InputInt(t("seed", lang), value=state.seed.value, disabled=state.locked,
                    on_value=lambda v: state.seed.set(max(0, int(v or 0))), classes=["bs-les-seed"])
    solara.Text(t("les_seed_hint", lang), style={"font-size": "0.8em"})
    if status in ("idle", "stopped", "failed"):
        if why:
            solara.Warning(_message(why, lang), dense=True, classes=["bs-les-name-needed"])
        if missing:
            solara.Info(t("les_missing", lang, ids=", ".join(missing)), dense=True, classes=["bs-les-missing"])
        elif rec is not None:
            solara.Success(t("les_ready", lang), dense=True)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(t("les_run", lang), icon_name="mdi-play", color="primary", disabled=not state.can_run,
                      on_click=state.start, classes=["bs-les-run"])
        if status == "running":
            solara.Button(t("les_stop", lang), icon_name="mdi-stop", text=True, on_click=state.cancel,
                          classes=["bs-les-stop"])
        if status in ("done", "stopped", "failed"):
            solara.Button(t("les_again", lang), icon_name="mdi-restart", text=True, on_click=state.restart,
                          classes=["bs-les-again"])
    if status == "running":
        i, week = state.progress.value
        k = len(lesson.scenarios)
        solara.ProgressLinear(100.0 * (i * state.weeks + week) / max(k * state.weeks, 1))
        solara.Text(t("les_running", lang, label=lesson.scenarios[i].label, week=week, weeks=state.weeks, i=i + 1, k=k),
                    classes=["bs-les-progress"])
    elif status == "done":
        solara.Success(t("les_done", lang, k=len(lesson.scenarios), weeks=state.weeks, seed=state.seed.value),
                       dense=True, classes=["bs-les-done"])
    elif status == "stopped":
        solara.Warning(t("les_stopped", lang), dense=True)
    elif status == "failed":
        solara.Error(f"{t('les_run_failed', lang)}: {state.run_error.value}", classes=["bs-les-failed"])


@solara.component
def LessonPicture(state: LessonState, lesson: Lesson, lang: str) -> None:
    """The lesson's outcomes over time, one line per scenario (choose which outcome)."""
    names = list(dict.fromkeys(q.metric for q in lesson.questions))
    metric, set_metric = solara.use_state(names[0])
    if metric not in names:
        metric = names[0]
    labels = {metrics_mod.label(n, lang): n for n in names}
    data = state.metrics.value
    solara.Select(t("les_metric", lang), values=list(labels), value=metrics_mod.label(metric, lang),
                  on_value=lambda lbl: set_metric(labels.get(lbl, metric)))

    def draw() -> bytes | None:
        return drawing.to_png(lesson_figure(data, lesson, metric, state.weeks, lang), dpi=80) if data else None

    png = solara.use_memo(draw, [id(data), metric, lang, lesson.id])
    if png is None:
        solara.Text(t("les_picture_empty", lang), style={"font-size": "0.85em", "color": "#555"})
    else:
        Picture(png, testid="lesson-series", alt=t("les_picture", lang), width="min(100%, 760px)")


@solara.component
def DownloadPanel(state: LessonState, lang: str) -> None:
    """The prediction file to hand in, and the lecturer's command."""
    got = state.file()
    if got is not None:
        name, data = got
        label = t("les_download" if state.status.value == "done" else "les_download_early", lang)
        with solara.Div(classes=["bs-les-download"]):
            solara.FileDownload(data, filename=name, label=label, mime_type="application/json")
        hint = "les_download_hint" if state.status.value == "done" else "les_download_early_hint"
        solara.Text(t(hint, lang, name=name), style={"font-size": "0.85em"})
    Md(t("les_lecturer", lang))


@solara.component
def LessonPage(session: Session, n_residents: int | None = None, weeks: int | None = None,
               state: LessonState | None = None) -> None:
    """The lesson tab: choose a lesson, predict every question, run, compare and explain, download."""
    lang = session.lang.value
    st = state or lesson_state(session, n_residents=n_residents, weeks=weeks)
    solara.Text(t("les_intro", lang))
    LessonPicker(st, lang)
    if st.load_error.value:
        solara.Error(f"{t('les_load_error', lang)}: {st.load_error.value}", classes=["bs-les-load-error"],
                     style={"white-space": "pre-wrap"})
        return
    lesson = st.lesson.localized(lang) if st.lesson is not None else None  # the lesson in the page's language
    if lesson is None:
        solara.Text(t("les_none", lang))
        Md(t("les_lecturer", lang))
        return
    LessonIntro(st, lesson, lang)
    with solara.Columns([1, 1], gutters_dense=True):
        with solara.Column():
            Heading(t("les_questions", lang))
            solara.InputText(t("les_name", lang), value=st.name.value, on_value=st.name.set, disabled=st.locked,
                             classes=["bs-les-name"])
            solara.InputText(t("les_group", lang), value=st.group.value, on_value=st.group.set, disabled=st.locked,
                             classes=["bs-les-group"])
            if st.locked:
                solara.Text(t("les_locked", lang), style={"font-size": "0.85em", "color": "#555"})
            for q in lesson.questions:
                QuestionCard(st, lesson, q.id, lang)
        with solara.Column():
            Heading(t("les_simulation", lang))
            RunPanel(st, lesson, lang)
            Heading(t("les_picture", lang))
            LessonPicture(st, lesson, lang)
            Heading(t("export", lang))
            DownloadPanel(st, lang)
    if st.status.value == "done":
        Heading(t("les_discussion", lang))
        for i, text in enumerate(lesson.discussion, start=1):
            Md(f"d{i}. {text}")
            AnswerBox(st, f"d{i}", f"d{i}", lang)
        with solara.Details(t("les_leaves_out", lang)):
            Md("\n".join(f"- {item}" for item in lesson.leaves_out))

