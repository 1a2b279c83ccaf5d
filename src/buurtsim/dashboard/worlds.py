"""Plausible worlds on the A/B tab: A and B run again in a few members of the calibrated ensemble,
so the difference chart can show how much the answer depends on what the model does not know.

Which ensemble: the file named by $BUURTSIM_ENSEMBLE (a .json file written by `buurtsim
calibrate`), else the shipped one (`src/buurtsim/ensembles/default.json`). A session reads it when
it starts (one reading per file version is shared by all sessions); when the file is missing or
cannot be used, the tab says so and the switch stays off.

World i of `WORLDS` is member `ensemble.pick(WORLDS)[i]` (by weight, without randomness), applied
as experiments apply it (`experiment.uncertainty`): levers win, so a calibrated parameter that
scenario A or B sets itself keeps the scenario's value. A and B run in every world with the
session's seed (paired, and the same seed as the runs shown), so the spread between the worlds is
parameter uncertainty, not chance.

Cost: each world is two more models (without residents' stories): with `WORLDS` = 5 a session
steps 12 models instead of 2. The switch is therefore offered only up to `MAX_WORLD_RESIDENTS`
residents, and the worlds are stepped one week at a time through the server's step slots
(`load.step_slot`), like every run, so a session with the switch on takes turns with the others.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from buurtsim import metrics as metrics_mod
from buurtsim.dashboard import sources
from buurtsim.dashboard.i18n import t
from buurtsim.dashboard.runner import Comparison, Run, Settings
from buurtsim.errors import UserError

if TYPE_CHECKING:  # the experiment package is imported when a session first looks for the ensemble
    from buurtsim.experiment.uncertainty import Worlds

#: Environment variable naming the ensemble file the dashboard uses (default: the shipped one).
ENSEMBLE_ENV = "BUURTSIM_ENSEMBLE"
#: Plausible worlds the A/B tab runs when the switch is on (each is two more models per session).
WORLDS = 5
#: Largest neighbourhood for which the switch is offered (12 models of this size per session).
MAX_WORLD_RESIDENTS = 1000
#: Differences smaller than this (in the outcome's own units, 0-1 scores) count as equal.
SAME = 1e-9


@dataclass(frozen=True)
class WorldsSource:
    """The ensemble a session can use (`worlds`), or why not: `missing` (no file) or `problem`."""

    path: str
    worlds: Worlds | None = None
    missing: bool = False
    problem: str = ""

    def message(self, lang: str = "nl") -> str:
        """Why the switch is off, for the page ('' when the ensemble can be used)."""
        if self.worlds is not None:
            return ""
        if self.missing:
            return t("worlds_missing", lang, path=self.path, env=ENSEMBLE_ENV)
        return t("worlds_broken", lang, problem=self.problem)


def ensemble_setting() -> str:
    """What $BUURTSIM_ENSEMBLE names, or 'default' (the shipped ensemble) when it is not set."""
    return os.environ.get(ENSEMBLE_ENV, "").strip() or "default"


def find_worlds(setting: str | None = None, k: int = WORLDS) -> WorldsSource:
    """The ensemble `setting` names ($BUURTSIM_ENSEMBLE or the shipped one when None) with `k`
    worlds picked; never raises for a bad or missing file: the result says what is wrong."""
    from buurtsim.ensemble import resolve_ensemble_path
    from buurtsim.experiment.uncertainty import resolve_source

    setting = setting or ensemble_setting()
    try:
        path = resolve_ensemble_path(resolve_source(setting, Path.cwd()))
    except ValueError as exc:
        return WorldsSource(setting, problem=f"${ENSEMBLE_ENV} = {setting[:200]}: {exc}")
    try:
        st = path.stat()
    except FileNotFoundError:
        return WorldsSource(str(path), missing=True)
    except OSError as exc:
        return WorldsSource(str(path), problem=f"{path}: {exc.strerror or exc}")
    return _read(str(path), st.st_mtime_ns, st.st_size, k)


@functools.lru_cache(maxsize=4)
def _read(path: str, mtime_ns: int, size: int, k: int) -> WorldsSource:
    """One reading per version of the file (its time and size are part of the key)."""
    from buurtsim.experiment.uncertainty import load_worlds, problem_text

    try:
        return WorldsSource(path, load_worlds(path, Path.cwd(), k))
    except UserError as exc:
        return WorldsSource(path, problem=problem_text(exc))


def in_world(settings: Settings, worlds: Worlds, i: int) -> Settings:
    """The settings of one run in world i: the member's values for every calibrated parameter that
    neither the scenario nor the user sets (levers win, as in experiments)."""
    from buurtsim.experiment.uncertainty import fixed_by_levers

    overrides = settings.overrides_dict()
    fixed = fixed_by_levers(worlds.ensemble.parameters, sources.scenario_params(settings.source), overrides)
    values = worlds.applied(i, fixed)
    return replace(settings, overrides=(*settings.overrides, *sorted(values.items())))


@dataclass
class WorldRuns:
    """The comparison shown and the same A and B in each plausible world, stepped together one
    week at a time (a pause takes effect at the next week)."""

    main: Comparison
    worlds: tuple[Comparison, ...]

    @classmethod
    def of(cls, main: Comparison, worlds: Worlds) -> WorldRuns:
        """A and B of `main` (same seed, size, horizon and settings) in every world of `worlds`."""
        return cls(main, tuple(
            Comparison(Run(in_world(main.a.settings, worlds, i), history=False),
                       Run(in_world(main.b.settings, worlds, i), history=False))
            for i in range(len(worlds.members))))

    @property
    def tick(self) -> int:
        """Weeks simulated (all runs move together)."""
        return self.main.tick

    @property
    def horizon(self) -> int:
        """Weeks the runs last."""
        return self.main.horizon

    @property
    def done(self) -> bool:
        """Whether the horizon has been reached."""
        return self.main.done

    def step(self, weeks: int = 1, stop: Callable[[], bool] | None = None) -> int:
        """Advance the comparison shown and every world by up to `weeks` weeks, week by week."""
        done = 0
        for _ in range(weeks):
            if self.main.step(1, stop) == 0:
                break
            for world in self.worlds:
                world.step(1)
            done += 1
        return done

    def release(self) -> None:
        """Drop every model (see `Run.release`)."""
        self.main.release()
        for world in self.worlds:
            world.release()

    def differences(self, name: str) -> np.ndarray:
        """B − A for one outcome, a row per world, on the weeks of the comparison shown."""
        ticks = self.main.difference(name).index
        return np.array([w.difference(name).reindex(ticks).to_numpy(float) for w in self.worlds]).reshape(len(self.worlds), ticks.size)

    def band(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Lowest and highest B − A over the worlds, per week."""
        diffs = self.differences(name)
        return diffs.min(axis=0), diffs.max(axis=0)

    def reading(self, name: str, lang: str = "nl") -> str:
        """One plain sentence: in how many worlds B is higher / lower than A on `name` now."""
        diffs = self.differences(name)
        k = len(self.worlds)
        last = diffs[:, -1] if diffs.shape[1] else np.zeros(k)
        up, down = int(np.sum(last > SAME)), int(np.sum(last < -SAME))
        label = metrics_mod.label(name, lang)
        if up == 0 and down == 0:
            return t("worlds_reading_same", lang, k=k, metric=label, tick=self.tick)
        text = t("worlds_reading", lang, up=up, down=down, k=k, metric=label, tick=self.tick)
        same = k - up - down
        return text + (t("worlds_reading_rest", lang, same=same) if same else "") + "."
