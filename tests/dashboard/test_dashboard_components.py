"""The dashboard page rendered with `solara.render` (no browser): step, controls and reset,
uploads good and bad, A/B, language, story, info and independent sessions."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara
from dashboard_helpers import BAD, CAROUSEL, PRESENCE, N, payload

from buurtsim.dashboard import app as app_mod
from buurtsim.dashboard.app import Dashboard, InfoTab, Page
from buurtsim.dashboard.state import DEFAULT_SPEED, Session
from buurtsim.dashboard.widgets import ChartCanvas, NetworkCanvas, PngView, UploadButton
from buurtsim.scenario import ScenarioError, load_scenario_bytes


def render(session: Session):
    """Render the dashboard of one session inside the app layout, as `solara run` does."""
    _, rc = solara.render(solara.AppLayout(children=[Dashboard(session)]), handle_error=False)
    return rc


def text_of(rc, cls: str) -> str:
    """The text of the element with this CSS class."""
    return "".join(str(c) for c in rc.find(v.Html, class_=cls).widget.children)


def widget_text(widget) -> str:
    """All text inside a widget, its children's included."""
    if isinstance(widget, str):
        return widget
    parts = [widget_text(c) for c in getattr(widget, "children", None) or []]
    value = getattr(widget, "value", None)
    return (value if isinstance(value, str) else "") + "".join(parts)


def alert_text(rc, cls: str) -> str:
    """The text of the alert with this CSS class."""
    return widget_text(rc.find(v.Alert, class_=cls).widget)


def slider(rc, prefix: str):
    """The slider whose label starts with `prefix`."""
    found = [w for w in rc.find(v.Slider).widgets if str(w.label).startswith(prefix)]
    assert len(found) == 1, f"{len(found)} sliders labelled {prefix!r}"
    return found[0]


def click(rc, cls: str) -> None:
    """Click the button with this CSS class."""
    rc.find(v.Btn, class_=cls).widget.click()


@pytest.fixture
def session() -> Session:
    return Session(n_residents=N)


def test_page_entry_point_renders_with_week_counter(monkeypatch):
    monkeypatch.setenv("BUURTSIM_DASHBOARD_N", str(N))
    _, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    assert text_of(rc, "bs-explore-week").startswith("Week 0 van")
    rc.find(NetworkCanvas, testid="network").assert_single()


def test_step_advances_counter_and_redraws_plots(session):
    rc = render(session)
    net = rc.find(NetworkCanvas, testid="network").widget
    series = rc.find(ChartCanvas, testid="timeseries").widget
    before_frame, before_series = net.frame, series.spec
    layouts_sent: list[object] = []
    net.observe(layouts_sent.append, names="dwellings")
    assert text_of(rc, "bs-explore-week").startswith("Week 0 van")
    click(rc, "bs-explore-step")
    assert text_of(rc, "bs-explore-week").startswith("Week 1 van")
    assert session.explore.run.value.tick == 1
    assert net.frame != before_frame  # ties and sizes change every week
    assert not layouts_sent  # the dwellings' positions are sent once per run, not per frame
    assert series.spec != before_series


def test_speed_sets_weeks_per_frame_and_step_is_one_week(session):
    rc = render(session)
    assert session.explore.speed.value == DEFAULT_SPEED == 26  # ten years in 20 frames
    session.explore.speed.set(4)
    click(rc, "bs-explore-step")
    assert session.explore.run.value.tick == 1
    assert session.explore.step() == 4  # what one frame of play advances
    assert session.explore.run.value.tick == 5
    assert text_of(rc, "bs-explore-week").startswith("Week 5 van")


def test_changing_a_control_applies_at_reset(session):
    rc = render(session)
    click(rc, "bs-explore-step")
    run_before = session.explore.run.value
    slider_w = slider(rc, "Kans op tegenslag")
    slider_w.v_model = 0.02
    assert session.explore.run.value is run_before, "a control must not restart the run by itself"
    rc.find(v.Alert, class_="bs-explore-dirty").assert_single()
    click(rc, "bs-explore-reset")
    run = session.explore.run.value
    assert run is not run_before
    assert run.tick == 0
    assert run.model.params.shock_prob == pytest.approx(0.02)
    assert text_of(rc, "bs-explore-week").startswith("Week 0 van")
    rc.find(v.Alert, class_="bs-explore-dirty").assert_empty()


def test_snapped_slider_echo_does_not_mark_settings_changed(session):
    rc = render(session)
    slider_w = slider(rc, "Kans op tegenslag")
    slider_w.v_model = slider_w.v_model + 1e-9  # vuetify reports its grid value back
    assert not session.explore.dirty


def test_bad_upload_shows_the_command_line_message_and_changes_nothing(session):
    rc = render(session)
    click(rc, "bs-explore-step")
    run, choices, pending = session.explore.run.value, list(session.sources.value), session.explore.pending.value
    with pytest.raises(ScenarioError) as exc:
        load_scenario_bytes(BAD.encode(), source="kapot.toml")
    rc.find(UploadButton).widget.payload = payload("kapot.toml", BAD)
    shown = alert_text(rc, "bs-upload-error")
    assert str(exc.value) in shown
    assert "line 9" in shown and "shock_size" in shown
    assert session.explore.run.value is run and run.tick == 1
    assert session.sources.value == choices
    assert session.explore.pending.value == pending


@pytest.mark.parametrize("data", [b"\x00\x01binary", "ü".encode("latin-1"), b"", b"[scenario\nname = 1"])
def test_unreadable_uploads_are_refused(session, data):
    render(session)
    run = session.explore.run.value
    session.upload(payload("rommel.toml", data))
    assert session.upload_error.value and "rommel.toml" in session.upload_error.value
    assert session.explore.run.value is run


def test_good_upload_becomes_the_run_and_a_choice(session):
    rc = render(session)
    rc.find(UploadButton).widget.payload = payload("carrousel.toml", CAROUSEL)
    rc.find(v.Alert, class_="bs-upload-ok").assert_single()
    run = session.explore.run.value
    assert run.settings.source.key == "upload:carrousel.toml"
    assert [p.label for p in run.model.policies] == ["carrousel"]
    assert run.horizon == 104 and run.settings.seed == 5
    assert any(s.key == "upload:carrousel.toml" for s in session.sources.value)
    click(rc, "bs-explore-step")
    assert text_of(rc, "bs-explore-week").startswith("Week 1 van 104")


def test_compare_tab_shows_two_panels_and_a_difference(session):
    session.upload(payload("a.toml", CAROUSEL))
    session.upload(payload("b.toml", PRESENCE))
    a, b = session.source("upload:a.toml"), session.source("upload:b.toml")
    session.compare.setup(a=a, b=b)
    rc = render(session)
    rc.find(v.Tabs).widget.v_model = 1
    for testid in ("network-a", "network-b"):
        rc.find(NetworkCanvas, testid=testid).assert_single()
    for testid in ("categories-a", "categories-b", "difference-ab", "difference"):
        rc.find(ChartCanvas, testid=testid).assert_single()
    diff = rc.find(ChartCanvas, testid="difference").widget
    before = diff.spec
    click(rc, "bs-compare-step")
    cmp = session.compare.comparison.value
    assert cmp.tick == 1  # Step is one week, whatever the speed
    assert cmp.a.settings.seed == cmp.b.settings.seed
    assert cmp.a.settings.n_residents == cmp.b.settings.n_residents == N
    assert diff.spec != before
    assert text_of(rc, "bs-compare-week").startswith(f"Week {cmp.tick} van")


def test_language_toggle_switches_to_english(session):
    rc = render(session)
    assert rc.find(v.Btn, class_="bs-explore-play").widget.children[-1] == "Afspelen"
    click(rc, "bs-language")
    assert rc.find(v.Btn, class_="bs-explore-play").widget.children[-1] == "Play"
    assert text_of(rc, "bs-explore-week").startswith("Week 0 of")
    slider(rc, "Chance of a setback")


def test_clicking_the_network_shows_a_story(session):
    rc = render(session)
    click(rc, "bs-explore-step")
    net = rc.find(NetworkCanvas, testid="network").widget
    rc.find(v.Html, class_="bs-story-summary").assert_empty()
    # click on a drawn resident: the picture spans the layout's limits exactly
    view_x, view_y = session.explore.run.value.model.state.x[0], session.explore.run.value.model.state.y[0]
    xlim, ylim = net.dwellings["xlim"], net.dwellings["ylim"]
    fx = (view_x - xlim[0]) / (xlim[1] - xlim[0])
    fy = (ylim[1] - view_y) / (ylim[1] - ylim[0])
    net.clicked = {"x": fx, "y": fy, "n": 1}
    uid = int(session.explore.run.value.model.state.uid[0])
    assert session.explore.selected.value == uid
    assert text_of(rc, "bs-story-summary").startswith(f"Bewoner #{uid}:")
    rc.find(PngView, testid="story").assert_single()


def test_sessions_do_not_share_a_model():
    s1, s2 = Session(n_residents=N), Session(n_residents=N)
    rc1, rc2 = render(s1), render(s2)
    click(rc1, "bs-explore-step")
    click(rc1, "bs-explore-step")
    assert text_of(rc1, "bs-explore-week").startswith("Week 2 van")
    assert text_of(rc2, "bs-explore-week").startswith("Week 0 van")
    assert s1.explore.run.value.model is not s2.explore.run.value.model
    s2.upload(payload("kapot.toml", BAD))
    assert s1.upload_error.value is None


def test_info_tab_shows_model_info_or_a_placeholder(tmp_path, monkeypatch):
    monkeypatch.setattr(app_mod, "info_paths", lambda: [tmp_path / "model-info.md"])
    _, rc = solara.render(InfoTab("nl"), handle_error=False)
    assert "niet beschikbaar" in text_of(rc, "bs-info-missing")
    (tmp_path / "model-info.md").write_text("# Over het model\n\nUitleg <script>x</script>", encoding="utf-8")
    _, rc = solara.render(InfoTab("nl"), handle_error=False)
    html = rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    assert "<h1>Over het model</h1>" in html
    assert "<script>" not in html


def test_lesson_tab_appears_only_with_a_lesson_module(session):
    rc = render(session)
    tabs = rc.find(v.Tab).widgets
    names = [str(t.children[0]) if t.children else "" for t in tabs]
    assert any("Verkennen" in n for n in names) and any("Info" in n for n in names)
    has_lesson = app_mod.lesson_page() is not None
    assert any(n == "Les" for n in names) == has_lesson


MANY_PROBLEMS = '[scenario]\nname = "kapot"\n[params]\nshock_prob = 5\nfoo = 1\n'


def test_upload_with_several_problems_lists_each_one(session):
    rc = render(session)
    rc.find(UploadButton).widget.payload = payload("veel.toml", MANY_PROBLEMS)
    alert = rc.find(v.Alert, class_="bs-upload-error").widget
    items = [widget_text(li) for li in rc.find(v.Html, tag="li").widgets]
    assert len(items) == 3, items
    assert any("scenario.title" in i for i in items) and any("shock_prob" in i for i in items)
    assert any("params.foo" in i for i in items)
    assert "3 problems in veel.toml" in widget_text(alert)
    assert all(not i.startswith("-") for i in items)


def test_problem_lines_split_heading_and_items():
    from buurtsim.dashboard.components import problem_lines

    head, items = problem_lines("Fout: 2 problems in x.toml:\n  - x.toml, line 1: a\n  - x.toml, line 2: b")
    assert head == "Fout: 2 problems in x.toml:" and items == ["x.toml, line 1: a", "x.toml, line 2: b"]
    assert problem_lines("x.toml, line 9: bad") == ("x.toml, line 9: bad", [])


def test_resident_picker_lists_few_residents_and_finds_by_number():
    from buurtsim.dashboard.components import PICK_ITEMS, pick_items

    uids = list(range(1, 3001))
    assert len(pick_items(uids, None, "")) == PICK_ITEMS  # not the whole neighbourhood per frame
    found = [item["value"] for item in pick_items(uids, None, "#274")]
    assert found == [274, *range(2740, 2750)]
    assert pick_items(uids, 2999, "")[0] == {"text": "#2999", "value": 2999}  # the chosen one stays listed
