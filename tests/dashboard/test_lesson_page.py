"""The dashboard's lesson mode rendered with `solara.render` (no browser): choose a lesson, predict
(bad input shown inline, Run disabled until every prediction is in), run the lesson's scenarios at a
reduced size, outcomes, explanations, and a download that round-trips through the teaching reader
and `collect()`."""

from __future__ import annotations

import json
import time

import ipyvuetify as v
import pytest
import solara
from solara.components.file_download import FileDownloadWidget

from buurtsim.dashboard.app import Dashboard
from buurtsim.dashboard.lesson import LessonPage, LessonState, format_value, lesson_state
from buurtsim.dashboard.state import Session
from buurtsim.dashboard.widgets import PngView
from buurtsim.teaching import collect, get_lesson, loads, read, run_lesson
from buurtsim.teaching.observe import observe, observe_question

N = 150  # residents per scenario in these tests (the machine is shared)
SHORT = 156  # weeks of a shortened les1 run: v1 and v2 (read at week 156) can be observed


def render(session: Session, state: LessonState):
    """Render the lesson page for one session and lesson state."""
    _, rc = solara.render(LessonPage(session, state=state), handle_error=False)
    return rc


def texts(rc, widget_cls) -> list[str]:
    """The text of every widget of a kind (alerts, HTML)."""
    return ["".join(str(c) for c in w.children) for w in rc.find(widget_cls).widgets]


def type_into(rc, cls: str, text: str) -> None:
    """Type into a text field and leave it (what triggers the update)."""
    field = rc.find(v.TextField, class_=cls).widget
    field.v_model = text
    field.fire_event("focusout", None)


def choose(rc, cls: str, index: int) -> str:
    """Choose the index-th item of the select with this class; returns its label."""
    sel = rc.find(v.Select, class_=cls).widget
    sel.v_model = sel.items[index]
    return sel.items[index]


def run_button(rc):
    return rc.find(v.Btn, class_="bs-les-run").widget


def predict_all(rc, lesson, value: str = "30", option: int = 0) -> None:
    """A valid prediction for every question of the lesson, through the page's inputs."""
    for q in lesson.questions:
        if q.kind == "value":
            type_into(rc, f"bs-les-pred-{q.id}", value)
        else:
            choose(rc, f"bs-les-pred-{q.id}", option)


@pytest.fixture
def session() -> Session:
    return Session(n_residents=N)


@pytest.fixture
def les1():
    return get_lesson("les1")


def start_les1(session: Session, weeks: int | None = SHORT):
    """The page with lesson 1 chosen through the picker."""
    state = LessonState(n_residents=N, weeks=weeks)
    rc = render(session, state)
    label = choose(rc, "bs-les-pick", 0)
    assert label.startswith("les1 — ")
    return state, rc


def test_lesson_tab_keeps_the_work_when_switching_tabs(session):
    _, rc = solara.render(solara.AppLayout(children=[Dashboard(session)]), handle_error=False)
    names = [str(t.children[0]) if t.children else "" for t in rc.find(v.Tab).widgets]
    assert "Les" in names
    tabs = rc.find(v.Tabs).widget
    tabs.v_model = names.index("Les")
    choose(rc, "bs-les-pick", 0)
    type_into(rc, "bs-les-name", "Fenna")
    type_into(rc, "bs-les-pred-v2", "20")
    tabs.v_model = names.index("Info")
    rc.find(v.Select, class_="bs-les-pick").assert_empty()  # lazy tabs: the lesson page is unmounted
    tabs.v_model = names.index("Les")
    assert rc.find(v.Select, class_="bs-les-pick").widget.v_model.startswith("les1 — ")
    assert rc.find(v.TextField, class_="bs-les-name").widget.v_model == "Fenna"
    assert rc.find(v.TextField, class_="bs-les-pred-v2").widget.v_model == "20"
    other = Session(n_residents=N)
    assert lesson_state(other) is not lesson_state(session), "every page has its own lesson"


def test_choosing_a_lesson_loads_its_scenarios_and_questions(session, les1):
    state, rc = start_les1(session)
    assert state.lesson is not None and state.lesson.id == "les1"
    assert set(state._scenarios) == {s.key for s in les1.scenarios}
    for q in les1.questions:
        rc.find(v.Html, class_=f"bs-les-q-{q.id}").assert_single()
    setup = texts(rc, v.Html)
    assert any(f"3 scenario's (Geen extra beleid, Projectencarrousel, Presentie), elk {N} bewoners, {SHORT} weken" in s
               for s in setup)
    assert run_button(rc).disabled
    assert any("verzamel" in s for s in texts(rc, v.Html) + [w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets])


def test_run_stays_disabled_until_name_and_every_prediction_are_in(session, les1):
    state, rc = start_les1(session)
    predict_all(rc, les1)
    assert run_button(rc).disabled, "no name yet"
    assert any("Vul je naam in" in s for s in texts(rc, v.Alert))
    type_into(rc, "bs-les-name", "Anna de Vries")
    assert not run_button(rc).disabled
    # take one prediction away again: disabled, and the page says which one is missing
    type_into(rc, "bs-les-pred-v2", "")
    assert run_button(rc).disabled
    assert any("Nog te voorspellen: v2." in s for s in texts(rc, v.Alert))
    type_into(rc, "bs-les-pred-v2", "12,5")
    assert not run_button(rc).disabled
    assert state.predictions.value["v2"][0] == pytest.approx(12.5)


@pytest.mark.parametrize(("typed", "expected"), [
    ("veel", "verwacht een getal"),  # the page is Dutch, so is the message (issue 14)
    ("150", "buiten het toegestane bereik"),
    ("nan", "verwacht een getal"),
])
def test_a_bad_prediction_shows_its_message_inline(session, typed, expected):
    state, rc = start_les1(session)
    type_into(rc, "bs-les-name", "Anna")
    predict_all(rc, state.lesson)
    assert not run_button(rc).disabled
    type_into(rc, "bs-les-pred-v2", typed)
    field = rc.find(v.TextField, class_="bs-les-pred-v2").widget
    assert field.error
    shown = " ".join(field.messages if isinstance(field.messages, list) else [str(field.messages)])
    assert expected in shown and "v2" in shown
    assert field.v_model == typed, "what the student typed stays visible"
    assert run_button(rc).disabled, "a bad prediction does not count"
    type_into(rc, "bs-les-pred-v2", "40%")
    assert not rc.find(v.TextField, class_="bs-les-pred-v2").widget.error
    assert not run_button(rc).disabled


def test_a_too_long_name_is_refused_with_a_message(session):
    state, rc = start_les1(session)
    type_into(rc, "bs-les-name", "x" * 150)
    predict_all(rc, state.lesson)
    assert run_button(rc).disabled
    assert any("student" in s for s in texts(rc, v.Alert))


def test_shortened_run_shows_outcomes_and_unread_questions(session, les1):
    state, rc = start_les1(session, weeks=SHORT)
    type_into(rc, "bs-les-name", "Bo")
    predict_all(rc, les1, value="30", option=2)
    run_button(rc).click()
    assert state.status.value in ("running", "done")
    state.wait(300)
    assert state.status.value == "done", state.run_error.value
    # the same seed and size through the teaching package give the same outcomes
    ref = run_lesson(les1, seed=state.seed.value, n_residents=N, weeks=SHORT)
    for qid in ("v1", "v2"):
        obs = state.observations.value[qid]
        assert obs == observe_question(les1, les1.question(qid), ref)
        rc.find(v.Html, class_=f"bs-les-outcome-{qid}").assert_single()
        assert obs.text in " ".join(texts(rc, v.Html))
    assert set(state.unread.value) == {"v3", "v4", "v5"}
    assert "week 416" in state.unread.value["v3"] and f"week {SHORT}" in state.unread.value["v3"]
    rec = state.record.value
    assert rec is not None and rec.run is not None and rec.run.weeks == SHORT and rec.run.seed == state.seed.value
    assert set(rec.observations) == {"v1", "v2"}
    rc.find(PngView, testid="lesson-series").assert_single()
    assert run_button(rc).disabled, "a lesson runs once; 'start over' makes new predictions"


def test_full_run_explain_download_and_collect(session, les1, tmp_path):
    state, rc = start_les1(session, weeks=None)
    assert state.weeks == les1.run_weeks
    type_into(rc, "bs-les-name", "Anna de Vries")
    type_into(rc, "bs-les-group", "SW2B")
    predict_all(rc, les1, value="25", option=0)
    # before the run the file holds predictions only
    early = json.loads(state.file()[1])
    assert early["observations"] == {} and set(early["predictions"]) == {q.id for q in les1.questions}
    run_button(rc).click()
    state.wait(600)
    assert state.status.value == "done", state.run_error.value
    assert not state.unread.value
    # the outcomes equal what the teaching package observes for the same seed and size
    expected = observe(les1, run_lesson(les1, seed=state.seed.value, n_residents=N))
    for q in les1.questions:
        assert state.observations.value[q.id].value == pytest.approx(expected[q.id].value) \
            if q.kind == "value" else state.observations.value[q.id].value == expected[q.id].value
        rc.find(v.Html, class_=f"bs-les-outcome-{q.id}").assert_single()
    assert any(format_value(les1, "v2", 25.0) in s for s in texts(rc, v.Html))
    # predictions are locked after the run
    assert rc.find(v.TextField, class_="bs-les-pred-v2").widget.disabled
    state.predict("v2", "99")
    assert state.record.value.predictions["v2"].value == pytest.approx(25.0)
    # an explanation and a discussion answer go into the record
    area = rc.find(v.Textarea, label=state_label("les_explain")).widgets[0]
    area.v_model = "Oplossen maakt afhankelijk."
    area.fire_event("focusout", None)
    state.answer("d1", "Vertrouwen.")
    # download through the page's button: the browser receives exactly write(record)
    widget = rc.find(FileDownloadWidget, filename="les1_anna-de-vries.json").widget
    assert widget.filename == "les1_anna-de-vries.json"
    widget.request_download = True
    deadline = time.monotonic() + 30
    while rc.find(FileDownloadWidget, filename="les1_anna-de-vries.json").widget.bytes is None and time.monotonic() < deadline:
        time.sleep(0.05)
    data = rc.find(FileDownloadWidget, filename="les1_anna-de-vries.json").widget.bytes
    assert data, "the download produced no bytes"
    rec = loads(data, source="download")
    assert rec.student == "Anna de Vries" and rec.group == "SW2B" and rec.lesson == "les1"
    assert rec.answers["v1"].text == "Oplossen maakt afhankelijk."
    assert rec.answers["d1"].text == "Vertrouwen."
    assert set(rec.observations) == {q.id for q in les1.questions}
    assert all(rec.predictions[q].at <= rec.observations[q].at for q in rec.observations)
    # saved into a folder, the file reads back and the lecturer's collect() sees the run
    folder = tmp_path / "inleveren"
    folder.mkdir()
    (folder / widget.filename).write_bytes(data)
    assert read(folder / widget.filename) == rec
    table = collect(folder)
    assert len(table) == len(les1.questions)
    assert set(table["student"]) == {"Anna de Vries"}
    assert set(table["seed"]) == {state.seed.value}
    v2 = table[table["question"] == "v2"].iloc[0]
    assert v2["prediction"] == pytest.approx(25.0)
    assert v2["error"] == pytest.approx(25.0 - float(rec.observations["v2"].value))


def state_label(key: str) -> str:
    from buurtsim.dashboard.i18n import t

    return t(key, "nl")


def test_a_too_long_answer_shows_a_message_and_keeps_the_record(session, les1):
    state, rc = start_les1(session, weeks=SHORT)
    type_into(rc, "bs-les-name", "Cas")
    predict_all(rc, les1)
    run_button(rc).click()
    state.wait(300)
    before = state.record.value
    state.answer("v1", "x" * 6000)
    assert state.record.value is before
    assert "5000" in " ".join(str(w.messages) for w in rc.find(v.Textarea).widgets)
    state.answer("V 1", "tekst")
    assert "answers.V 1" in state.answer_errors.value["V 1"]


def test_stop_and_start_over(session, les1):
    state, rc = start_les1(session, weeks=None)
    type_into(rc, "bs-les-name", "Dewi")
    predict_all(rc, les1)
    run_button(rc).click()
    rc.find(v.Btn, class_="bs-les-stop").widget.click()
    state.wait(60)
    assert state.status.value == "stopped"
    assert state.record.value is None and not state.observations.value
    assert not run_button(rc).disabled, "the predictions stay; the run can start again"
    rc.find(v.Btn, class_="bs-les-again").widget.click()
    assert state.predictions.value == {} and state.name.value == "Dewi"
    assert run_button(rc).disabled


def test_choosing_another_lesson_clears_the_predictions(session):
    state, rc = start_les1(session)
    type_into(rc, "bs-les-name", "Eva")
    predict_all(rc, state.lesson)
    choose(rc, "bs-les-pick", 1)
    assert state.lesson.id == "les2"
    assert state.predictions.value == {}
    assert run_button(rc).disabled


def test_a_missing_lesson_scenario_is_shown_not_raised(session, tmp_path, monkeypatch):
    monkeypatch.setenv("BUURTSIM_LESSON_SCENARIOS", str(tmp_path))
    state = LessonState(n_residents=N)
    rc = render(session, state)
    choose(rc, "bs-les-pick", 0)
    shown = " ".join(texts(rc, v.Alert))
    assert "kan niet geladen worden" in shown and "does not exist" in shown
    assert state.lesson is None


def test_english(session):
    _, rc = start_les1(session)
    session.lang.set("en")
    assert any("Run the model" in str(c) for c in run_button(rc).children)
    assert any("Fill in your name" in s for s in texts(rc, v.Alert))
    # the lesson itself in English too (issue 14: one language per page), from the same lesson data
    les = get_lesson("les1")

    def questions() -> str:  # the question cards' HTML (the lesson text itself is Dutch only, see les_text_dutch)
        return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if str(w.unsafe_innerHTML).startswith("<b>v"))

    assert les.questions[1].text_en in questions() and les.questions[1].text not in questions()
    assert "<i>zelfredzaamheid</i>" in questions()  # a Dutch domain word kept in italics, with its gloss
    items = rc.find(v.Select, class_="bs-les-pred-v1").widget.items
    assert "Project carousel higher" in items and not any("hoger" in i for i in items)
    assert any("lesson text is written in Dutch" in s for s in texts(rc, v.Html))
    session.lang.set("nl")
    assert les.questions[1].text in questions() and les.questions[1].text_en not in questions()


def test_a_broken_lesson_file_is_named_not_raised(session, monkeypatch):
    from buurtsim.dashboard import lesson as lesson_mod
    from buurtsim.teaching import LessonError

    def broken() -> list:
        raise LessonError("lessons/les9.toml: questions.v1.metric: unknown metric 'zelfredzaamheid'")

    monkeypatch.setattr(lesson_mod, "list_lessons", broken)
    rc = render(session, LessonState(n_residents=N))
    shown = " ".join(texts(rc, v.Alert))
    assert "kan niet geladen worden" in shown and "les9.toml" in shown
    assert rc.find(v.Select, class_="bs-les-pick").widget.items == []


def test_lesson_text_and_worksheets_open_inside_the_app(session: Session) -> None:
    """No repository path: the lesson text is a panel in the tab, the worksheet two downloads."""
    from buurtsim.dashboard.lesson import LessonTextAndWorksheet
    from buurtsim.teaching.worksheet import worksheet_bytes

    les1 = get_lesson("les1")
    for lang in ("nl", "en"):
        _, rc = solara.render(LessonTextAndWorksheet(les1, lang), handle_error=False)
        names = sorted(w.filename for w in rc.find(FileDownloadWidget).widgets)
        assert names == [f"les1-werkblad-{lang}.html", f"les1-werkblad-{lang}.pdf"]
        html_widget = rc.find(FileDownloadWidget, filename=f"les1-werkblad-{lang}.html").widget
        html_widget.request_download = True
        deadline = time.monotonic() + 30
        while rc.find(FileDownloadWidget, filename=f"les1-werkblad-{lang}.html").widget.bytes is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rc.find(FileDownloadWidget, filename=f"les1-werkblad-{lang}.html").widget.bytes == worksheet_bytes(les1, lang, "html")
        assert "docs/teaching" not in str(rc.find(v.ExpansionPanelHeader).widget.children)
        html = "".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
        assert "Les 1" in html and "Werkblad" in html  # the lesson's own Markdown, rendered


@pytest.mark.parametrize(("lang", "raw", "expected", "english_words"), [
    ("nl", "veel", "vraag v2: verwacht een getal (%), niet 'veel'", ("question", "expected", "got")),
    ("en", "veel", "question v2: expected a number (%), got 'veel'", ("vraag", "verwacht", "niet")),
    ("nl", "150", "vraag v2: 150 ligt buiten het toegestane bereik 0 tot 100 %", ("question", "outside", "accepted")),
    ("en", "150", "question v2: 150 is outside the accepted range 0 to 100 %", ("vraag", "buiten", "bereik")),
])
def test_prediction_problems_speak_the_page_language(lang, raw, expected, english_words):
    from buurtsim.dashboard.lesson import prediction_problem

    les1 = get_lesson("les1")
    text = prediction_problem(les1, "v2", raw, lang)
    assert text == expected
    assert not any(w in text.split() for w in english_words), "one language per message"
    assert prediction_problem(les1, "v2", "12,5", lang) is None
    choice = prediction_problem(les1, "v1", "misschien", lang)
    assert choice is not None and "Projectencarrousel hoger" in choice


def test_question_card_shows_the_problem_in_the_page_language(session: Session):
    state = lesson_state(session)
    state.choose("les1")
    session.lang.set("nl")
    state.predict("v2", "veel")
    _, rc = solara.render(LessonPage(session, state=state), handle_error=False)
    field = rc.find(v.TextField, class_="bs-les-pred-v2").widget
    shown = str(field.messages)
    assert field.error and "verwacht een getal" in shown and "expected" not in shown
