"""Runs behind the dashboard, without any UI: what the user chose (`Settings`), one model being
stepped (`Run`) and two runs with common random numbers (`Comparison`).

Everything here is plain Python so it can be tested without a browser and reused by other pages
(the lesson page builds a `Run` or `Comparison` from shipped scenarios the same way).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from buurtsim.dashboard import sources
from buurtsim.dashboard.load import step_slot
from buurtsim.formatting import table_csv
from buurtsim.lifecycle import release_model
from buurtsim.model import NeighbourhoodModel
from buurtsim.params import Params

DEFAULT_HORIZON = 520
DEFAULT_RESIDENTS = 500
DEFAULT_SEED = 42
MAX_DRAWN = 2000  # above this many residents the network picture shows a fixed sample


@dataclass(frozen=True)
class Settings:
    """What the user chose: a scenario source plus the controls shown in the page."""

    source: sources.Source
    n_residents: int = DEFAULT_RESIDENTS
    seed: int = DEFAULT_SEED
    horizon: int = DEFAULT_HORIZON
    overrides: tuple[tuple[str, Any], ...] = ()

    def with_param(self, name: str, value: Any) -> Settings:
        """A copy with one parameter override set (other overrides kept)."""
        rest = tuple((k, v) for k, v in self.overrides if k != name)
        return replace(self, overrides=(*rest, (name, value)))

    def param(self, name: str) -> Any:
        """The value a parameter will have: the override, else the scenario's, else the default."""
        for k, v in self.overrides:
            if k == name:
                return v
        return sources.scenario_params(self.source).get(name, Params.model_fields[name].default)

    def overrides_dict(self) -> dict[str, Any]:
        """The user's parameter overrides as a dict."""
        return dict(self.overrides)


def settings_for(source: sources.Source, seed: int | None = None, n_residents: int | None = None) -> Settings:
    """Settings that start from a scenario's own size, seed and horizon (or the defaults)."""
    own = sources.scenario_run(source)
    return Settings(
        source=source,
        n_residents=int(n_residents or own.get("n_residents") or DEFAULT_RESIDENTS),
        seed=int(seed if seed is not None else own.get("seed", DEFAULT_SEED) or DEFAULT_SEED),
        horizon=int(own.get("horizon") or DEFAULT_HORIZON),
    )


def build_model(settings: Settings, history: bool = True) -> NeighbourhoodModel:
    """A fresh model for the settings, recording history so residents' stories can be shown
    (unless `history` is False)."""
    return sources.build_model(
        settings.source,
        seed=settings.seed,
        n_residents=settings.n_residents,
        overrides=settings.overrides_dict(),
        history=history,
    )


@dataclass
class Run:
    """One model being stepped by a dashboard session. `lock` guards the model against a step and
    a drawing at the same time (the play loop runs in its own thread). `history=False` skips
    recording residents' stories (for runs whose residents are never shown)."""

    settings: Settings
    history: bool = True
    model: NeighbourhoodModel = field(init=False)
    lock: threading.RLock = field(init=False, default_factory=threading.RLock)
    _metrics: tuple[int, pd.DataFrame] | None = field(init=False, default=None, repr=False)

    def __post_init__(self) -> None:
        self.model = build_model(self.settings, self.history)

    @property
    def tick(self) -> int:
        """Weeks simulated so far."""
        return int(self.model.tick)

    @property
    def horizon(self) -> int:
        """Weeks this run lasts."""
        return self.settings.horizon

    @property
    def done(self) -> bool:
        """Whether the horizon has been reached."""
        return self.tick >= self.horizon

    def step(self, weeks: int = 1, stop: Callable[[], bool] | None = None) -> int:
        """Advance up to `weeks` weeks (never past the horizon), checking `stop` before each week
        (a pause takes effect at the next week, not after the whole frame); returns the weeks done."""
        with self.lock:
            n = max(0, min(weeks, self.horizon - self.tick))
            for k in range(n):
                if stop is not None and stop():
                    return k
                with step_slot():  # one week at a time, so sessions take turns (see `load`)
                    self.model.step()
            return n

    def metrics(self) -> pd.DataFrame:
        """Outcomes per tick so far (built once per week reached: every chart of a frame reads the
        same table). Do not modify the table returned."""
        with self.lock:
            if self._metrics is None or self._metrics[0] != self.tick:
                self._metrics = (self.tick, self.model.metrics())
            return self._metrics[1]

    def release(self) -> None:
        """Drop the model (its page has closed): the memory is freed even if a reference to this
        Run lingers somewhere (a closed page's state in the web framework). Not usable afterwards."""
        with self.lock:
            if self.model is not None:
                release_model(self.model)
            self._metrics = None
            self.model = None  # type: ignore[assignment]

    def timeline(self) -> list[tuple[int, int, str]]:
        """Policy periods (start, end, policy label) within the horizon; a carousel's projects
        share their policy's label, so each policy is one row in the timeline."""
        out: list[tuple[int, int, str]] = []
        for pol in self.model.policies:
            out.extend((int(s), int(e), str(pol.label)) for s, e, _ in pol.timeline(self.horizon) if e > s)
        return out

    def drawn_slots(self, max_drawn: int = MAX_DRAWN) -> tuple[np.ndarray, bool]:
        """Dwellings to draw: all, or a fixed sample of `max_drawn` (same every step); and whether sampled."""
        n = self.model.state.alive.size
        if n <= max_drawn:
            return np.arange(n), False
        rng = np.random.default_rng(12345)
        return np.sort(rng.choice(n, size=max_drawn, replace=False)), True

    def csv(self, lang: str = "nl") -> bytes:
        """The run's metrics as CSV (UTF-8), one row per week; Dutch: ';' and decimal commas."""
        return table_csv(self.metrics(), lang)

    def scenario_toml(self) -> str:
        """The current settings as a scenario file (TOML) that reproduces this run."""
        return sources.export_scenario(
            self.settings.source,
            seed=self.settings.seed,
            n_residents=self.settings.n_residents,
            horizon=self.settings.horizon,
            overrides=self.settings.overrides_dict(),
        )


@dataclass
class Comparison:
    """Two runs with the same seed and size (common random numbers), stepped together."""

    a: Run
    b: Run

    @classmethod
    def of(cls, a: sources.Source, b: sources.Source, seed: int, n_residents: int, horizon: int | None = None) -> Comparison:
        """Build A and B with the same seed, size and horizon."""
        sa = settings_for(a, seed=seed, n_residents=n_residents)
        sb = settings_for(b, seed=seed, n_residents=n_residents)
        h = horizon or max(sa.horizon, sb.horizon)
        return cls(Run(replace(sa, horizon=h)), Run(replace(sb, horizon=h)))

    @property
    def tick(self) -> int:
        """Weeks simulated (both runs move together)."""
        return min(self.a.tick, self.b.tick)

    @property
    def horizon(self) -> int:
        """Weeks both runs last."""
        return min(self.a.horizon, self.b.horizon)

    @property
    def done(self) -> bool:
        """Whether the horizon has been reached."""
        return self.tick >= self.horizon

    def release(self) -> None:
        """Drop both models (see `Run.release`)."""
        self.a.release()
        self.b.release()

    def step(self, weeks: int = 1, stop: Callable[[], bool] | None = None) -> int:
        """Advance both runs by up to `weeks` weeks (B as many as A, so they stay in step)."""
        n = self.a.step(weeks, stop)
        self.b.step(n)
        return n

    def difference(self, name: str) -> pd.Series:
        """B − A for one outcome, per tick."""
        a, b = self.a.metrics(), self.b.metrics()
        common = a.index.intersection(b.index)
        return b.loc[common, name] - a.loc[common, name]

    def csv(self, lang: str = "nl") -> bytes:
        """Both runs' metrics in one CSV with a `run` column (A or B); Dutch: ';' and decimal commas."""
        frames = [self.a.metrics().assign(run="A"), self.b.metrics().assign(run="B")]
        return table_csv(pd.concat(frames).reset_index(), lang, index=False)
