"""Solara components of the dashboard. Each takes the session state it shows; none keeps a model
of its own, so the lesson page can place the same components around its own `RunState`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np
import solara

from buurtsim import metrics as metrics_mod
from buurtsim.dashboard import charts, drawing, netview
from buurtsim.dashboard.i18n import (
    DOMAIN_TEXT,
    KEY_PARAMS,
    STYLE_TEXT,
    category_label,
    param_help,
    param_label,
    pick,
    t,
)
from buurtsim.dashboard.runner import Run
from buurtsim.dashboard.sources import DEFAULT_KEY, Source
from buurtsim.dashboard.state import SPEEDS, CompareState, Player, RunState, Session
from buurtsim.dashboard.widgets import ChartCanvas, NetworkCanvas, PngView, UploadButton, png_src
from buurtsim.dashboard.worlds import MAX_WORLD_RESIDENTS, WORLDS
from buurtsim.formatting import number
from buurtsim.limits import MAX_DASHBOARD_RESIDENTS
from buurtsim.params import describe

DEFAULT_SERIES: tuple[str, ...] = ("mean_self_reliance", "participation_rate", "share_isolated", "dependency_share")
FRAME_SECONDS = 0.2  # shortest time between two frames while playing
START_DELAY_SECONDS = 0.3  # the play thread waits this long before its first step
MIN_PAUSE_SECONDS = 0.05  # and at least this long between frames (room for clicks)
PICK_ITEMS = 50  # residents listed at a time in the story's picker (type digits to find others)


def source_label(src: Source, lang: str) -> str:
    """What the scenario picker shows for a source."""
    return t("scenario_defaults", lang) if src.key == DEFAULT_KEY else src.label


def slider_step(lo: float, hi: float) -> float:
    """A round slider step (a power of ten) giving at least ~500 positions, so defaults lie on the grid."""
    span = hi - lo
    return float(10 ** np.floor(np.log10(span / 500))) if span > 0 else 1.0


def _fmt(value: float, lang: str = "nl") -> str:
    return number(value, lang)


def markdown_html(text: str) -> str:
    """Markdown to HTML on the server (raw HTML in the text is shown as text, not run; only http,
    https and mailto links, see `safe_markdown`).

    solara.Markdown is avoided on purpose: it loads KaTeX and mermaid from the asset CDN, which
    solara-assets 1.58.2 does not ship, so it would make requests that fail offline.
    """
    from buurtsim.dashboard.safe_markdown import render

    return render(text)


@solara.component
def Md(text: str) -> None:
    """A block of Markdown rendered on the server."""
    solara.HTML("div", unsafe_innerHTML=markdown_html(text), classes=["bs-markdown"])


@solara.component
def Heading(text: str, level: int = 3) -> None:
    """A section heading."""
    solara.HTML(f"h{level}", unsafe_innerHTML=text.replace("<", "&lt;"), style="margin: 12px 0 4px 0")


@solara.component
def Picture(png: bytes, testid: str, alt: str = "", width: str = "100%", on_click: Callable[[dict], None] | None = None,
            version: int = 0) -> None:
    """A PNG picture; with `on_click`, clicks arrive as {x, y} fractions of the picture."""

    def clicked(value: dict | None) -> None:
        if value and on_click is not None:
            on_click(value)

    PngView.element(src=png_src(png), alt=alt, testid=testid, width=width, version=version,
                    clickable=on_click is not None, on_clicked=clicked)


@solara.component
def LanguageToggle(session: Session) -> None:
    """Switch between Dutch and English."""
    lang = session.lang.value
    solara.Button(t("language", lang), icon_name="mdi-translate", text=True,
                  on_click=lambda: session.lang.set("en" if lang == "nl" else "nl"),
                  classes=["bs-language"])


@solara.component
def ScenarioPicker(session: Session, state: RunState) -> None:
    """Choose a shipped scenario or upload one; upload problems are shown here."""
    lang = session.lang.value
    choices = session.sources.value
    labels = [source_label(s, lang) for s in choices]
    current = state.pending.value.source
    current_label = source_label(current, lang) if current in choices else labels[0]

    def on_pick(label: str | None) -> None:
        if label in labels:
            state.choose(choices[labels.index(label)])

    solara.Select(t("scenario", lang), values=labels, value=current_label, on_value=on_pick)
    solara.Text(t("scenario_hint", lang), style={"font-size": "0.85em", "color": "#555"})
    if current.scenario.description:
        with solara.Details(current.scenario.title):
            Md(current.scenario.description)
    UploadButton.element(label=t("upload", lang), on_payload=session.upload)
    if session.upload_error.value:
        UploadProblems(session.upload_error.value, lang)
    elif session.upload_ok.value:
        solara.Success(session.upload_ok.value, classes=["bs-upload-ok"])


def problem_lines(message: str) -> tuple[str, list[str]]:
    """Split a loader message into its heading and one line per problem ('  - ...' lines)."""
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    items = [ln[2:].strip() for ln in lines if ln.startswith("- ")]
    head = " ".join(ln for ln in lines if not ln.startswith("- "))
    return head, items


@solara.component
def UploadProblems(message: str, lang: str) -> None:
    """A rejected upload: the heading, then each problem as its own list item (plain text, no markup)."""
    head, items = problem_lines(message)
    with solara.Error(classes=["bs-upload-error"]):
        solara.Text(head or t("upload_problems", lang))
        if items:
            solara.v.Html(tag="ul", children=[solara.v.Html(tag="li", children=[item]) for item in items])


@solara.component
def ParamControl(state: RunState, name: str, lang: str) -> None:
    """One key parameter: plain label, explanation, slider, and default / range / source."""
    d = describe(name)
    value = float(state.pending.value.param(name))
    lo, hi = float(d["min"]), float(d["max"])
    step = slider_step(lo, hi) if isinstance(d["default"], float) else 1.0

    def changed(new: float) -> None:
        # the slider snaps to its grid and reports that back; only a real move counts
        if abs(float(new) - value) >= step / 2:
            state.set_param(name, round(float(new), 10) if isinstance(d["default"], float) else round(new))

    with solara.Column(gap="0px", style={"margin-bottom": "10px"}):
        solara.SliderFloat(f"{param_label(name, lang)}: {_fmt(value, lang)}", value=value, min=lo, max=hi, step=step,
                           on_value=changed, thumb_label=False)
        solara.Text(param_help(name, lang), style={"font-size": "0.85em"})
        unit = f" {d['unit']}" if d["unit"] and d["unit"] != "-" else ""
        solara.Text(f"{t('default', lang)} {_fmt(d['default'], lang)} · {t('range', lang)} {_fmt(lo, lang)}–{_fmt(hi, lang)}{unit} · "
                    f"{t('source', lang)}: {d['source']}", style={"font-size": "0.75em", "color": "#666"})


@solara.component
def SettingsPanel(state: RunState, lang: str) -> None:
    """Size, seed, horizon and the key parameters; changes apply at the next reset."""
    s = state.pending.value
    solara.InputInt(t("residents", lang), value=s.n_residents,
                    on_value=lambda v: state.set_setting(n_residents=max(10, min(int(v or 10), MAX_DASHBOARD_RESIDENTS))))
    solara.Text(t("residents_hint", lang), style={"font-size": "0.85em"})
    solara.InputInt(t("seed", lang), value=s.seed, on_value=lambda v: state.set_setting(seed=max(0, int(v or 0))))
    solara.Text(t("seed_hint", lang), style={"font-size": "0.85em"})
    solara.SliderInt(f"{t('horizon', lang)}: {s.horizon}", value=s.horizon, min=52, max=1040, step=52,
                     on_value=lambda v: state.set_setting(horizon=int(v)), thumb_label=False)
    solara.Text(t("horizon_hint", lang), style={"font-size": "0.85em"})
    with solara.Details(t("settings", lang) + " — " + ", ".join(param_label(n, lang) for n in KEY_PARAMS[:3]) + ", …",
                        expand=True):
        for name in KEY_PARAMS:
            ParamControl(state, name, lang)


def _play_loop(step: Callable[..., int], playing: solara.Reactive[bool], done: Callable[[], bool],
               halted: Callable[[], bool] = lambda: False) -> Callable[[threading.Event], None]:
    """The play thread: step, let the page redraw, repeat until paused or at the horizon.

    It waits before its first step so that the click that started it finishes rendering; after
    that each step's redraw happens in this thread (a state change outside a render renders at
    once), so frames never pile up faster than they can be drawn and the page stays responsive.
    """

    def loop(cancel: threading.Event) -> None:
        if cancel.wait(START_DELAY_SECONDS):
            return
        def stop() -> bool:
            return halted() or cancel.is_set() or not playing.value

        while not stop():
            started = time.perf_counter()
            step(None, stop)
            if done():
                playing.set(False)
                return
            if cancel.wait(max(MIN_PAUSE_SECONDS, FRAME_SECONDS - (time.perf_counter() - started))):
                return

    return loop


@solara.component
def RunControls(tick: int, horizon: int, playing: solara.Reactive[bool], speed: solara.Reactive[int],
                step: Callable[..., int], reset: Callable[[], None], done: Callable[[], bool], lang: str,
                dirty: bool = False, testid: str = "run", player: Player | None = None) -> None:
    """Play / pause / step / reset with speed and the week counter; playing runs in a thread and
    advances `speed` weeks per frame, Step always one week."""
    def start_playing() -> Callable[[], None] | None:
        # a plain thread only while playing (use_thread would re-render on its own start and
        # finish even when idle, racing with clicks); the cleanup stops it on pause or unmount
        if not playing.value:
            return None
        cancel = threading.Event()
        halted = player.halted.is_set if player is not None else (lambda: False)
        threading.Thread(target=_play_loop(step, playing, done, halted), args=(cancel,), daemon=True,
                         name="buurtsim-play").start()
        return cancel.set

    solara.use_effect(start_playing, [playing.value])
    is_done = tick >= horizon
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        if playing.value:
            solara.Button(t("pause", lang), icon_name="mdi-pause", color="primary", on_click=player.pause if player is not None else (lambda: playing.set(False)),
                          classes=[f"bs-{testid}-pause"])
        else:
            solara.Button(t("play", lang), icon_name="mdi-play", color="primary", disabled=is_done,
                          on_click=player.play if player is not None else (lambda: playing.set(True)), classes=[f"bs-{testid}-play"])
        solara.Button(t("step", lang), icon_name="mdi-step-forward", disabled=is_done or playing.value,
                      on_click=lambda: step(1), classes=[f"bs-{testid}-step"])
        solara.Button(t("reset", lang), icon_name="mdi-restart", on_click=reset, classes=[f"bs-{testid}-reset"])
        with solara.Column(style={"min-width": "190px"}):
            solara.Select(t("speed", lang), values=list(SPEEDS), value=speed.value, on_value=speed.set)
        solara.Text(t("week", lang, tick=tick, horizon=horizon) + " · " + t("year", lang, year=tick / 52),
                    style={"font-weight": "bold", "font-size": "1.1em"}, classes=[f"bs-{testid}-week"])
    if is_done:
        solara.Info(t("finished", lang), dense=True)
    if dirty:
        solara.Warning(t("reset_needed", lang), dense=True, classes=[f"bs-{testid}-dirty"])


@solara.component
def CategoryLegend(lang: str, n_pros: int) -> None:
    """Colour chips explaining the network picture."""
    with solara.Row(style={"flex-wrap": "wrap", "gap": "12px", "font-size": "0.85em"}):
        for i, colour in enumerate(drawing.CATEGORY_COLOURS):
            solara.HTML("span", f"<span style='color:{colour};font-size:1.3em'>●</span> {category_label(i, lang)}")
        solara.HTML("span", f"<span style='color:{drawing.PROFESSIONAL_COLOUR}'>■</span> "
                            f"{t('professionals', lang)} ({n_pros})")


@solara.component
def NetworkPanel(run: Run, version: int, selected: solara.Reactive[int | None], lang: str, testid: str = "network",
                 width: str = "100%") -> None:
    """The network, drawn in the browser: the dwellings' positions are sent once per run, then per
    frame only colours, sizes and ties (see `netview`); clicking a dot selects that resident."""
    slots, sampled = run.drawn_slots()
    layout = solara.use_memo(lambda: netview.layout_of(run.model.state, slots), [id(run), slots.size])
    layout_json = solara.use_memo(layout.to_json, [layout])

    def frame() -> dict:
        with run.lock:
            return netview.frame_of(run.model, layout, selected.value)

    data = solara.use_memo(frame, [id(run), version, selected.value, layout])

    def on_click(pos: dict | None) -> None:
        if not pos:
            return
        with run.lock:
            st = run.model.state
            slot = layout.nearest(float(pos.get("x", -1)), float(pos.get("y", -1)), st.alive)
            uid = int(st.uid[slot]) if slot is not None else None
        if uid is not None:
            selected.set(uid)

    CategoryLegend(lang, len(data["pros"]))
    NetworkCanvas.element(dwellings=layout_json, frame=data, colours=list(drawing.CATEGORY_COLOURS),
                          pro_colour=drawing.PROFESSIONAL_COLOUR, selected_colour=drawing.SELECTED_COLOUR,
                          alt=t("network", lang), testid=testid, width=width, version=version, on_clicked=on_click)
    if sampled:
        solara.Info(t("sample_note", lang, n=int(run.model.state.alive.sum()), k=slots.size), dense=True)


@solara.component
def TimeSeriesPanel(run: Run, version: int, lang: str) -> None:
    """Chosen outcomes over time with the policy timeline underneath."""
    names, set_names = solara.use_state(list(DEFAULT_SERIES))
    labels = {metrics_mod.label(n, lang): n for n in metrics_mod.METRIC_NAMES}

    spec = solara.use_memo(lambda: charts.series_chart(run.metrics(), names, run.timeline(), run.horizon, lang),
                           [id(run), version, tuple(names), lang])
    solara.SelectMultiple(t("metrics_pick", lang), all_values=list(labels),
                          values=[metrics_mod.label(n, lang) for n in names],
                          on_value=lambda chosen: set_names([labels[c] for c in chosen if c in labels]))
    ChartCanvas.element(spec=spec, testid="timeseries", alt=t("timeseries", lang), version=version,
                        width="min(100%, 840px)")


@solara.component
def CategoryPanel(run: Run, version: int, lang: str, testid: str = "categories", width: str = "100%") -> None:
    """Shares strong / vulnerable / sliding over time."""
    spec = solara.use_memo(lambda: charts.categories_chart(run.metrics(), run.horizon, lang), [id(run), version, lang])
    ChartCanvas.element(spec=spec, testid=testid, alt=t("categories", lang), version=version, width=width)


def _event_text(kind: str, detail: str, lang: str) -> str:
    key = f"ev_{kind}"
    if kind == "life_event":
        detail = pick(DOMAIN_TEXT.get(detail, (detail, detail)), lang)
    try:
        return t(key, lang, detail=detail)
    except KeyError:
        return f"{kind} {detail}"


def pick_items(uids: Sequence[int] | np.ndarray, selected: int | None, search: str, limit: int = PICK_ITEMS) -> list[dict]:
    """The residents the picker offers from the sorted `uids`: those whose number starts with the
    digits typed (the first `limit`), and the selected one. A short list: the whole neighbourhood
    would be sent to the browser on every frame."""
    digits = "".join(ch for ch in search if ch.isdigit())
    every = np.asarray(uids, np.int64).tolist() if digits else np.asarray(uids[:limit], np.int64).tolist()
    shown = [u for u in every if str(u).startswith(digits)][:limit]
    if selected is not None and selected not in shown:
        shown = [selected, *shown]
    return [{"text": f"#{u}", "value": u} for u in shown]


@solara.component
def StoryPanel(run: Run, version: int, selected: solara.Reactive[int | None], lang: str) -> None:
    """A resident's story: self-reliance and ties over time, caseload weeks, events."""
    model = run.model
    with run.lock:
        alive_uids = model.state.uid[model.state.alive]
    uids = np.sort(alive_uids)
    uid = selected.value

    def pick_random() -> None:
        if uids.size:
            rng = np.random.default_rng()
            selected.set(int(rng.choice(uids)))

    search, set_search = solara.use_state("")
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        # reacton generates an on_<trait> callback for every widget trait at run time; ipyvuetify's
        # generated signature lists only on_v_model, hence the ignore for on_search_input.
        solara.v.Autocomplete(label=t("story_pick", lang), items=pick_items(uids, uid, search),  # type: ignore[call-arg]
                              v_model=uid, on_v_model=lambda v: selected.set(int(v) if v is not None else None),
                              search_input=search, on_search_input=lambda text: set_search(text or ""),
                              clearable=True, dense=True, style_="max-width: 220px")
        solara.Button(t("random_resident", lang), icon_name="mdi-dice-5", text=True, on_click=pick_random,
                      classes=["bs-random-resident"])
    if uid is None:
        solara.Text(t("story_none", lang))
    else:
        StoryView(run, version, uid, lang)


@solara.component
def StoryView(run: Run, version: int, uid: int, lang: str) -> None:
    """The story of one resident (see StoryPanel)."""
    model = run.model

    def gather() -> tuple[bytes, str, list[str]]:
        with run.lock:
            story = model.story(uid)
            events = model.resident_events(uid)
            lines = []
            try:
                r = model.resident(uid)
                deg = model.network.degree(uid) if uid in model.network else 0
                summary = t("story_summary", lang, uid=uid, category=category_label(["strong", "vulnerable", "sliding"].index(r.category), lang),
                            style=pick(STYLE_TEXT[r.style], lang), problems=r.problems, ties=deg, trust=number(r.trust, lang, 2),
                            attachment=number(r.attachment, lang, 2))
            except KeyError:
                gone = next((tk for tk, k, _ in events if k == "moved_out"), model.tick)
                summary = t("story_gone", lang, tick=gone)
        if len(story):
            degrees = story["degree"].to_numpy()
            gained = int(np.clip(np.diff(degrees), 0, None).sum())
            lost = int(np.clip(-np.diff(degrees), 0, None).sum())
            lines.append(t("story_ties_change", lang, gained=gained, lost=lost))
            client = story["client_of"].to_numpy() >= 0
            spells = int(np.count_nonzero(client[1:] & ~client[:-1]) + (1 if client.size and client[0] else 0))
            lines.append(t("story_pros", lang, n=spells))
        fig = drawing.story_figure(story, events, run.horizon, lang)
        ev = [f"{t('weeks_axis', lang)} {tk}: {_event_text(k, d, lang)}" for tk, k, d in events[-12:]]
        return drawing.to_png(fig, dpi=80), summary, lines + ev

    png, summary, lines = solara.use_memo(gather, [id(run), version, uid, lang])
    solara.Text(summary, classes=["bs-story-summary"])
    Picture(png, testid="story", alt=t("story", lang), version=version)
    with solara.Details(t("story_events", lang), expand=False):
        if lines:
            Md("\n".join(f"- {line}" for line in lines))
        else:
            solara.Text(t("story_no_events", lang))


@solara.component
def ExportPanel(run: Run, lang: str, name: str) -> None:
    """Download the metrics (CSV) and the settings (scenario file)."""
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(lambda: run.csv(lang), filename=f"{name}-metrics.csv", label=t("export_csv", lang), mime_type="text/csv")
        solara.FileDownload(lambda: run.scenario_toml().encode("utf-8"), filename=f"{name}-scenario.toml",
                            label=t("export_scenario", lang), mime_type="application/toml")


@solara.component
def ExploreTab(session: Session) -> None:
    """Pick a scenario, set parameters, run, and look at the network, outcomes and one resident."""
    lang = session.lang.value
    state = session.explore
    with solara.Columns([1, 3], gutters_dense=True):
        with solara.Column():
            ScenarioPicker(session, state)
            SettingsPanel(state, lang)
        with solara.Column():
            ExploreRun(state, lang)


@solara.component
def ExploreRun(state: RunState, lang: str) -> None:
    """The run being explored: controls, network, story, categories, outcomes and export. Only this
    part reads the frame counter, so a frame re-renders it and leaves the settings alone."""
    run = state.run.value
    version = state.version.value
    RunControls(run.tick, run.horizon, state.playing, state.speed, state.step, state.reset,
                lambda: state.run.value.done, lang, dirty=state.dirty, testid="explore", player=state)
    with solara.Columns([1, 1]):
        with solara.Column():
            Heading(t('network', lang))
            solara.Text(t("network_hint", lang), style={"font-size": "0.85em"})
            NetworkPanel(run, version, state.selected, lang)
        with solara.Column():
            Heading(t('story', lang))
            StoryPanel(run, version, state.selected, lang)
            Heading(t('categories', lang))
            CategoryPanel(run, version, lang)
    Heading(t('timeseries', lang))
    TimeSeriesPanel(run, version, lang)
    Heading(t('export', lang))
    ExportPanel(run, lang, run.settings.source.scenario.name)


@solara.component
def ComparePanel(run: Run, version: int, title: str, lang: str, testid: str) -> None:
    """One side of the A/B view: title, network and categories."""
    selected: solara.Reactive[int | None] = solara.use_reactive(None)
    with solara.Card(title, style={"width": "100%"}), solara.Div(classes=[f"bs-panel-{testid}"]):
        NetworkPanel(run, version, selected, lang, testid=f"network-{testid}", width="min(100%, 420px)")
        CategoryPanel(run, version, lang, testid=f"categories-{testid}", width="min(100%, 420px)")


@solara.component
def CompareTab(session: Session) -> None:
    """Two scenarios side by side with the same seed, and the difference B − A over time."""
    lang = session.lang.value
    cs: CompareState = session.compare
    cmp = cs.comparison.value
    version = cs.version.value
    choices = session.sources.value
    labels = [source_label(s, lang) for s in choices]

    def label_of(src: Source) -> str:
        return source_label(src, lang)

    def set_residents(value: int | None) -> None:
        cs.n_residents.set(max(10, min(int(value or 10), MAX_DASHBOARD_RESIDENTS)))
        cs.reset()

    def set_seed(value: int | None) -> None:
        cs.seed.set(max(0, int(value or 0)))
        cs.reset()

    solara.Text(t("compare_intro", lang))
    with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
        with solara.Column(style={"min-width": "280px"}):
            solara.Select(t("scenario_a", lang), values=labels, value=label_of(cs.a.value) if label_of(cs.a.value) in labels else None,
                          on_value=lambda lbl: cs.setup(a=choices[labels.index(lbl)]) if lbl in labels else None)
        with solara.Column(style={"min-width": "280px"}):
            solara.Select(t("scenario_b", lang), values=labels, value=label_of(cs.b.value) if label_of(cs.b.value) in labels else None,
                          on_value=lambda lbl: cs.setup(b=choices[labels.index(lbl)]) if lbl in labels else None)
        solara.InputInt(t("residents", lang), value=cs.n_residents.value,
                        on_value=set_residents)
        solara.InputInt(t("seed", lang), value=cs.seed.value, on_value=set_seed)
    RunControls(cmp.tick, cmp.horizon, cs.playing, cs.speed, cs.step, cs.reset, lambda: cs.comparison.value.done, lang,
                testid="compare", player=cs)
    with solara.Columns([1, 1]):
        ComparePanel(cmp.a, version, f"A: {label_of(cs.a.value)}", lang, "a")
        ComparePanel(cmp.b, version, f"B: {label_of(cs.b.value)}", lang, "b")
    labels_m = {metrics_mod.label(n, lang): n for n in metrics_mod.METRIC_NAMES}
    solara.Select(t("compare_metric", lang), values=list(labels_m), value=metrics_mod.label(cs.metric.value, lang),
                  on_value=lambda lbl: cs.metric.set(labels_m.get(lbl, cs.metric.value)))

    worlds = cs.world_runs.value
    if worlds is not None and worlds.main is not cmp:
        worlds = None

    def specs() -> tuple[dict, dict, str]:
        band = worlds.band(cs.metric.value) if worlds is not None else None
        top, bottom = charts.difference_charts(cmp.a.metrics(), cmp.b.metrics(), cs.metric.value,
                                               (cmp.a.timeline(), cmp.b.timeline()), cmp.horizon,
                                               (cs.a.value.scenario.name, cs.b.value.scenario.name), lang, band)
        return top, bottom, worlds.reading(cs.metric.value, lang) if worlds is not None else ""

    top, bottom, reading = solara.use_memo(specs, [id(cmp), id(worlds), version, cs.metric.value, lang])
    Heading(t('difference', lang))
    WorldsSwitch(cs, lang)
    ChartCanvas.element(spec=top, testid="difference-ab", alt=t("difference", lang), version=version,
                        width="min(100%, 840px)")
    ChartCanvas.element(spec=bottom, testid="difference", alt=t("difference", lang), version=version,
                        width="min(100%, 840px)")
    if reading:
        solara.Text(reading, style={"font-weight": "bold"}, classes=["bs-worlds-reading"])
    solara.FileDownload(lambda: cmp.csv(lang), filename="vergelijking-metrics.csv", label=t("export_csv", lang), mime_type="text/csv")


@solara.component
def WorldsSwitch(cs: CompareState, lang: str) -> None:
    """The switch for the plausible worlds, with what it does, or why it cannot be used."""
    problem = cs.world_source.message(lang)
    too_big = not problem and not cs.worlds_possible
    solara.Switch(label=t("worlds_switch", lang, k=WORLDS), value=cs.uncertain.value, on_value=cs.set_uncertain,
                  disabled=bool(problem) or too_big, classes=["bs-worlds-switch"])
    if problem:
        solara.Warning(problem, dense=True, classes=["bs-worlds-missing"])
    elif too_big:
        solara.Info(t("worlds_too_big", lang, n=number(MAX_WORLD_RESIDENTS, lang)), dense=True, classes=["bs-worlds-too-big"])
    else:
        solara.Text(t("worlds_hint", lang, k=WORLDS, models=1 + WORLDS), style={"font-size": "0.85em"})
