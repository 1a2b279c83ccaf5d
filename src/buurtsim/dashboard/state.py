"""Per-session dashboard state: reactive values around a `Run` (explore) and a `Comparison` (A/B).

A `Session` is created once per browser page (in `app.Page` via `solara.use_memo`), so two users
never share a model. Other pages (the lesson) receive the same `Session` and can reuse its
controllers: `session.explore.choose(source)`, `.step()`, `.reset()`, `session.compare.setup(a, b)`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import solara

from buurtsim.dashboard import frame_log, sources
from buurtsim.dashboard.i18n import start_lang, t
from buurtsim.dashboard.load import return_memory_later
from buurtsim.dashboard.runner import Comparison, Run, Settings, settings_for
from buurtsim.dashboard.widgets import MAX_UPLOAD_BYTES, payload_bytes
from buurtsim.dashboard.worlds import MAX_WORLD_RESIDENTS, WorldRuns, find_worlds
from buurtsim.errors import UserError

SPEEDS: tuple[int, ...] = (1, 4, 13, 26, 52)
DEFAULT_SPEED = 26  # weeks per frame: ten years in 20 frames, well under a minute at N = 2,000
COMPARE_MAX_START = 1000  # A/B starts at most this size (two networks are drawn per frame)


def start_size() -> int | None:
    """Residents a new session starts with: $BUURTSIM_DASHBOARD_N if set (tests, slow machines), else the scenario's."""
    value = os.environ.get("BUURTSIM_DASHBOARD_N", "").strip()
    return max(10, int(value)) if value.isdigit() else None


class Player:
    """What play / pause / step needs: a version counter that redraws, playing, speed, and
    `stepper()` giving the object (a Run or a Comparison) to advance. `built` remembers (weakly)
    every run made, so `release` can free their models when the page closes."""

    def __init__(self, speed: int) -> None:
        self.version = solara.reactive(0)
        self.playing = solara.reactive(False)
        self.speed = solara.reactive(speed)
        self.built: list[weakref.ref[Any]] = []
        # Set by `pause` before the page changes: the play thread checks it before every week, so
        # a frame in progress stops at once (a plain event: the thread reads it without a render).
        self.halted = threading.Event()

    def made(self, target: Any) -> Any:
        """Remember a newly built Run or Comparison (for `release`) and return it."""
        self.built = [r for r in self.built if r() is not None]
        self.built.append(weakref.ref(target))
        return target

    def play(self) -> None:
        """Start playing (`speed` weeks per frame, in a thread started by the page)."""
        self.halted.clear()
        self.playing.value = True

    def pause(self) -> None:
        """Stop playing: the week in progress finishes and no further week starts before the page
        shows the Play button and where the run stopped, so a paused run never moves on afterwards."""
        self.halted.set()
        self.step(stop=lambda: True)  # waits for the week in progress (the run's lock), then redraws
        self.playing.value = False

    def release(self) -> None:
        """Stop playing and drop the models of every run this player made."""
        with contextlib.suppress(Exception):  # the page may already be gone
            self.playing.value = False
        for ref in self.built:
            target = ref()
            if target is not None:
                target.release()

    def stepper(self) -> Run | Comparison | WorldRuns:
        """The run (or pair of runs, or pairs in several worlds) being played."""
        raise NotImplementedError

    def step(self, weeks: int | None = None, stop: Callable[[], bool] | None = None) -> int:
        """Advance by `weeks` (default: the speed setting), checking `stop` before each week; stops
        playing at the horizon."""
        target = self.stepper()
        started = time.perf_counter()
        done = target.step(weeks or self.speed.value, stop)
        stepped, cpu = time.perf_counter(), time.thread_time()
        self.version.value += 1  # the page redraws now (drawing data, charts, Solara's render)
        frame_log.record(type(target).__name__, target.tick, done, stepped - started, time.perf_counter() - stepped,
                         time.thread_time() - cpu)
        if target.done:
            self.playing.value = False
        return done


class RunState(Player):
    """One explorable run: the settings being edited, the run itself and how it is played."""

    def __init__(self, source: sources.Source, n_residents: int | None = None) -> None:
        self.start_n = n_residents
        first = settings_for(source, n_residents=n_residents)
        self.pending: solara.Reactive[Settings] = solara.reactive(first)
        super().__init__(speed=DEFAULT_SPEED)
        self.run: solara.Reactive[Run] = solara.reactive(self.made(Run(first)))
        self.selected: solara.Reactive[int | None] = solara.reactive(None)

    @property
    def dirty(self) -> bool:
        """Settings were changed since the run was built (Reset applies them)."""
        return self.pending.value != self.run.value.settings

    def stepper(self) -> Run:
        """The run being explored."""
        return self.run.value

    def reset(self) -> None:
        """A fresh run from the pending settings (week 0)."""
        self.playing.value = False
        self.run.value = self.made(Run(self.pending.value))
        self.selected.value = None
        self.version.value += 1

    def choose(self, source: sources.Source) -> None:
        """Start over with a scenario (its own size, seed and horizon)."""
        self.pending.value = settings_for(source, n_residents=self.start_n)
        self.reset()

    def set_param(self, name: str, value: Any) -> None:
        """Change a model parameter for the next reset."""
        self.pending.value = self.pending.value.with_param(name, value)

    def set_setting(self, **changes: Any) -> None:
        """Change residents, seed or horizon for the next reset."""
        self.pending.value = replace(self.pending.value, **changes)


class CompareState(Player):
    """Two scenarios with the same seed and size, stepped together; with `uncertain` on, also in a
    few plausible worlds of the ensemble (`worlds`), when the session found one (`world_source`)."""

    def __init__(self, a: sources.Source, b: sources.Source, n_residents: int | None = None) -> None:
        self.a: solara.Reactive[sources.Source] = solara.reactive(a)
        self.b: solara.Reactive[sources.Source] = solara.reactive(b)
        self.seed = solara.reactive(settings_for(a).seed)
        self.n_residents = solara.reactive(n_residents or min(settings_for(a).n_residents, COMPARE_MAX_START))
        super().__init__(speed=DEFAULT_SPEED)
        self.comparison: solara.Reactive[Comparison] = solara.reactive(self._build())
        self.metric = solara.reactive("mean_self_reliance")
        self.world_source = find_worlds()
        self.uncertain = solara.reactive(False)
        self.world_runs: solara.Reactive[WorldRuns | None] = solara.reactive(None)

    def _build(self) -> Comparison:
        return self.made(Comparison.of(self.a.value, self.b.value, seed=self.seed.value, n_residents=self.n_residents.value))

    @property
    def worlds_possible(self) -> bool:
        """Whether the switch can be on: an ensemble was found and the neighbourhood is small enough."""
        return self.world_source.worlds is not None and self.n_residents.value <= MAX_WORLD_RESIDENTS

    def set_uncertain(self, on: bool) -> None:
        """Switch the plausible worlds on or off; both runs (and the worlds) start again at week 0."""
        self.uncertain.value = bool(on) and self.worlds_possible
        self.reset()

    def setup(self, a: sources.Source | None = None, b: sources.Source | None = None) -> None:
        """Choose scenario A and/or B and start both again at week 0."""
        if a is not None:
            self.a.value = a
        if b is not None:
            self.b.value = b
        self.reset()

    def reset(self) -> None:
        """Both runs again from week 0 with the current seed and size."""
        self.playing.value = False
        cmp = self._build()
        worlds = self.world_source.worlds
        on = self.uncertain.value and self.worlds_possible and worlds is not None
        self.world_runs.value = self.made(WorldRuns.of(cmp, worlds)) if on and worlds is not None else None
        self.uncertain.value = self.world_runs.value is not None
        self.comparison.value = cmp
        self.version.value += 1

    def stepper(self) -> Comparison | WorldRuns:
        """Both runs, stepped together (with the plausible worlds when they are on)."""
        worlds = self.world_runs.value
        return worlds if worlds is not None and worlds.main is self.comparison.value else self.comparison.value


class Session:
    """Everything one browser page owns: language, the scenarios it knows, explore and compare."""

    def __init__(self, lang: str | None = None, n_residents: int | None = None) -> None:
        n_residents = n_residents or start_size()
        lang = lang or start_lang()
        self.lang = solara.reactive(lang)
        self.sources: solara.Reactive[list[sources.Source]] = solara.reactive(sources.all_sources(lang))
        self.upload_error: solara.Reactive[str | None] = solara.reactive(None)
        self.upload_ok: solara.Reactive[str | None] = solara.reactive(None)
        shipped = self.sources.value
        self.explore = RunState(shipped[0], n_residents)
        a, b = default_pair(shipped)
        self.compare = CompareState(a, b, n_residents)

    def release(self) -> None:
        """The page has gone: stop playing, drop every model this session built and give the memory
        back to the system. The session is not usable afterwards."""
        for player in (self.explore, self.compare):
            player.release()
        return_memory_later()

    def source(self, key: str) -> sources.Source | None:
        """A known source by its key."""
        return next((s for s in self.sources.value if s.key == key), None)

    def upload(self, payload: dict[str, Any] | None) -> sources.Source | None:
        """Validate an uploaded file; on success add it to the choices and explore it, else show why.

        A bad file changes nothing: the current run, settings and choices stay as they were.
        """
        if not payload:
            return None
        lang = self.lang.value
        name = upload_name(payload.get("name"))
        if payload.get("error") == "too_big":
            self.upload_error.value = f"{name}: {t('upload_too_big', lang)} {t('upload_error', lang)}"
            self.upload_ok.value = None
            return None
        data = payload_bytes(payload)
        if data is None:
            self.upload_error.value = f"{name}: {t('upload_unreadable', lang)} {t('upload_error', lang)}"
            self.upload_ok.value = None
            return None
        if len(data) > MAX_UPLOAD_BYTES:
            self.upload_error.value = f"{name}: {t('upload_too_big', lang)} {t('upload_error', lang)}"
            self.upload_ok.value = None
            return None
        try:
            src = sources.parse_upload(name, data)
            settings_for(src)  # checks the scenario can be turned into settings
            sources.check_dashboard_size(src)
        except UserError as exc:
            self.upload_error.value = f"{t('error', lang)}: {exc}"
            self.upload_ok.value = None
            return None
        others = [s for s in self.sources.value if s.key != src.key]
        self.sources.value = [*others, src]
        self.upload_error.value = None
        self.upload_ok.value = t("upload_ok", lang, name=name)
        self.explore.choose(src)
        return src


#: Characters of an uploaded file's name kept (it is shown in the page and in the scenario list).
MAX_UPLOAD_NAME = 100


def upload_name(raw: Any) -> str:
    """The name of an uploaded file as shown: its last path part, control characters dropped, at
    most MAX_UPLOAD_NAME characters ('upload.toml' when nothing usable is left)."""
    text = raw if isinstance(raw, str) else ""
    text = text[-10 * MAX_UPLOAD_NAME:].replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if ch.isprintable()).strip()
    if len(text) > MAX_UPLOAD_NAME:
        text = text[: MAX_UPLOAD_NAME - 1] + "…"
    return text or "upload.toml"


def default_pair(choices: list[sources.Source]) -> tuple[sources.Source, sources.Source]:
    """A sensible A/B start: the project carousel against long-term presence when shipped."""

    def find(*words: str) -> sources.Source | None:
        for s in choices:
            if any(w in s.key.lower() for w in words):
                return s
        return None

    a = find("carrousel", "carousel") or choices[0]
    b = find("presentie", "presence") or (choices[1] if len(choices) > 1 else choices[0])
    return a, b
