"""Experiment files: the schema (pydantic, extra fields forbidden) and loading with located errors.

An experiment file is TOML with an `[experiment]` table (which scenarios, how many replications,
the master seed, overrides, outputs, ticks of interest, baseline), an optional `[sweep]` (grid or
Latin hypercube over model parameters) and an optional `[sensitivity]` (parameter ranges for
SALib). Errors name the file, the line, the field path, what was given and what is expected.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from buurtsim.errors import UserError
from buurtsim.escape import PlainLine, PlainText
from buurtsim.experiment.seeds import aux_seed, replication_seeds
from buurtsim.experiment.uncertainty import EXPECTED, Worlds, fixed_by_levers
from buurtsim.limits import MAX_MOMENTS, MAX_RUNS, MAX_SEED, MAX_SWEEP_POINTS, MAX_TICKS, shorten
from buurtsim.metrics import METRIC_NAMES
from buurtsim.params import Params, describe, make_params, param_names
from buurtsim.policies.base import to_weeks
from buurtsim.safe_io import FileRefused, TomlRefused, parse_toml, read_user_file, within
from buurtsim.scenario.errors import Problem, ScenarioError
from buurtsim.scenario.loader import structure_problem
from buurtsim.scenario.locate import KeyLines

TWO_YEARS = 104
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_MOMENT = re.compile(r"^\s*(end_of_funding|end)\s*(?:([+-])\s*(.+))?$")


class ExperimentError(ScenarioError):
    """An experiment file cannot be used; same problem list (file, line, field, given, expected)
    as a scenario file."""


def parse_moment(value: int | str) -> tuple[str, int]:
    """A tick of interest as (anchor, offset): anchor 'start', 'end' or 'end_of_funding'.

    Accepted: a week number (52), a duration ('5y'), 'end', 'end_of_funding', 'end_of_funding+2y'.
    """
    if isinstance(value, bool):
        raise ValueError("expected a week number, a duration such as '5y', 'end' or 'end_of_funding'")
    if isinstance(value, int):
        return ("start", to_weeks(value))
    m = _MOMENT.match(str(value))
    if m:
        offset = to_weeks(m.group(3)) if m.group(3) else 0
        return (m.group(1), -offset if m.group(2) == "-" else offset)
    try:
        return ("start", to_weeks(value))
    except ValueError:
        raise ValueError(
            f"expected a week number, a duration such as '5y', 'end', 'end_of_funding' or 'end_of_funding+2y'; got {shorten(repr(value), 80)}"
        ) from None


def resolve_moment(moment: tuple[str, int], last_tick: int, funding_end: int | None) -> int | None:
    """The tick a moment refers to for one scenario, or None when it does not apply (no funding end)."""
    anchor, offset = moment
    if anchor == "start":
        tick = offset
    elif anchor == "end":
        tick = last_tick + offset
    else:
        if funding_end is None:
            return None
        tick = funding_end + offset
    return tick if 0 <= tick <= last_tick else None


def _check_param_range(name: str, lo: float, hi: float) -> tuple[float, float]:
    if name not in param_names():
        hint = difflib.get_close_matches(name, param_names(), n=3, cutoff=0.5)
        raise ValueError(f"unknown parameter '{name}'" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
    d = describe(name)
    if d["min"] is None or isinstance(d["default"], tuple | bool):
        raise ValueError(f"parameter '{name}' is not a single number and cannot be varied")
    if not lo < hi:
        raise ValueError(f"'{name}': the lower bound {lo} must be below the upper bound {hi}")
    if lo < d["min"] or hi > d["max"]:
        raise ValueError(f"'{name}': range [{lo}, {hi}] lies outside the allowed [{d['min']}, {d['max']}]")
    return (float(lo), float(hi))


def _check_overrides(values: dict[str, Any]) -> dict[str, Any]:
    try:
        make_params(**values)
    except ValueError as exc:
        raise ValueError(str(exc)) from None
    return values



def _known_metric(v: str) -> str:
    """A metric name, or a ValueError naming the closest ones."""
    if v not in METRIC_NAMES:
        hint = difflib.get_close_matches(v, METRIC_NAMES, n=3, cutoff=0.5)
        raise ValueError(f"unknown metric '{v}'" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
    return v


def _moment(v: int | str) -> int | str:
    """A moment ('end', 'end_of_funding', a week or a duration), checked by parsing it."""
    parse_moment(v)
    return v

class ExperimentTable(BaseModel):
    """The `[experiment]` table."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="Short name (letters, digits, '_', '-', '.'); names the results.")
    title: PlainLine = Field("", description="Readable title for reports.")
    description: PlainText = Field("", description="What the experiment asks.")
    scenarios: list[str] = Field(min_length=1, description="Shipped scenario names, or paths relative to this file (in its folder or below).")
    replications: int = Field(10, ge=1, le=100_000, description="Runs per scenario; replication r uses the same seed in every scenario.")
    master_seed: int = Field(20_260_101, ge=0, le=MAX_SEED, description="The one seed every run seed is derived from.")
    n_residents: int | None = Field(None, ge=10, le=2_000_000, description="Override the scenarios' number of residents.")
    ticks: int | str | None = Field(None, description="Override the scenarios' horizon: weeks, or a duration such as '10y'.")
    params: dict[str, Any] = Field(default_factory=dict, description="Parameter overrides applied to every scenario.")
    outputs: list[str] | None = Field(None, description="Metric names to store (default: all).")
    ticks_of_interest: list[int | str] = Field(
        default_factory=lambda: list[int | str](["end_of_funding", "end_of_funding+2y", "end"]), max_length=MAX_MOMENTS,
        description="Moments compare reports: week numbers, durations, 'end', 'end_of_funding', 'end_of_funding+2y'.",
    )
    baseline: str | None = Field(None, description="Scenario the others are compared with (default: the first).")
    final_residents: bool = Field(False, description="Also store every resident's end state (final_residents.parquet).")
    uncertainty: str | None = Field(None, max_length=1000, description="Plausible worlds: \"ensemble\" (the shipped ensemble) or an ensemble file (.json) relative to this file, in its folder or below; replication r of every scenario runs in the same member with the same seed.")
    pairs: list[tuple[str, str]] | None = Field(None, max_length=100, description="Scenario pairs [A, B] compared directly: the answer gives A against B (besides each against the baseline), and over plausible worlds the share of worlds in which A beats B; default: every scenario against the baseline.")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not _NAME.match(v):
            raise ValueError("use letters, digits, '_', '-' or '.' (no spaces), starting with a letter or digit")
        return v

    @field_validator("ticks")
    @classmethod
    def _ticks(cls, v: int | str | None) -> int | None:
        if v is None:
            return None
        weeks = to_weeks(v)
        if not 1 <= weeks <= MAX_TICKS:
            raise ValueError(f"expected from 1 to {MAX_TICKS:,} weeks ({MAX_TICKS // 52} years); given: {weeks:,} weeks")
        return weeks

    @field_validator("outputs")
    @classmethod
    def _outputs(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        for name in v:
            if name not in METRIC_NAMES:
                hint = difflib.get_close_matches(name, METRIC_NAMES, n=3, cutoff=0.5)
                raise ValueError(f"unknown metric '{name}'" + (f" (did you mean: {', '.join(hint)}?)" if hint else ""))
        if len(set(v)) != len(v):
            raise ValueError("a metric is listed twice")
        return v

    @field_validator("ticks_of_interest")
    @classmethod
    def _moments(cls, v: list[int | str]) -> list[int | str]:
        for item in v:
            parse_moment(item)
        return v

    @field_validator("params")
    @classmethod
    def _params(cls, v: dict[str, Any]) -> dict[str, Any]:
        return _check_overrides(v)


class SweepTable(BaseModel):
    """The optional `[sweep]` table: every scenario is run at every point."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["grid", "latin_hypercube"] = Field("grid", description="grid: every combination of `grid` values; latin_hypercube: `samples` points in `ranges`.")
    grid: dict[str, list[float | int | bool]] = Field(default_factory=dict, description="Parameter name -> list of values (method grid).")
    ranges: dict[str, tuple[float, float]] = Field(default_factory=dict, description="Parameter name -> [low, high] (method latin_hypercube).")
    samples: int | None = Field(None, ge=1, le=MAX_SWEEP_POINTS, description="Number of points (method latin_hypercube).")

    @model_validator(mode="after")
    def _consistent(self) -> SweepTable:
        if self.method == "grid":
            if not self.grid:
                raise ValueError("method 'grid' needs a 'sweep.grid' table with at least one parameter and its values")
            if self.ranges or self.samples is not None:
                raise ValueError("'ranges' and 'samples' belong to method 'latin_hypercube', not 'grid'")
            points = math.prod(len(v) for v in self.grid.values())
            if points > MAX_SWEEP_POINTS:
                raise ValueError(f"the grid has {points:,} points (every combination of the values); at most {MAX_SWEEP_POINTS:,} are allowed")
            for name, values in self.grid.items():
                if not values:
                    raise ValueError(f"grid values for '{name}' are empty")
                for value in values:
                    _check_overrides({name: value})
        else:
            if not self.ranges or self.samples is None:
                raise ValueError("method 'latin_hypercube' needs 'samples' and a 'sweep.ranges' table of low, high pairs")
            if self.grid:
                raise ValueError("'grid' belongs to method 'grid', not 'latin_hypercube'")
            for name, (lo, hi) in self.ranges.items():
                _check_param_range(name, lo, hi)
        return self


class SensitivityTable(BaseModel):
    """The optional `[sensitivity]` table: global sensitivity analysis with SALib."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["morris", "sobol"] = Field("morris", description="morris (screening, cheap) or sobol (variance-based, costly).")
    scenario: str | None = Field(None, description="Scenario to analyse (default: the first).")
    minus: str | None = Field(None, description="Optional scenario whose output is subtracted, with the same seeds at each sample point: analyses a difference such as presence minus carousel.")
    output: str = Field("mean_self_reliance", description="Metric whose value is analysed.")
    at: int | str = Field("end", description="Moment of the output: a week number, a duration, 'end' or 'end_of_funding'.")
    samples: int = Field(10, ge=2, le=100_000, description="Morris: trajectories; Sobol: base sample size (a power of 2 is best).")
    levels: int = Field(4, ge=2, le=50, description="Morris grid levels.")
    replications: int = Field(1, ge=1, le=1000, description="Seeds averaged per sample point.")
    ranges: dict[str, tuple[float, float]] = Field(min_length=1, description="Parameter name -> [low, high].")

    @field_validator("output")
    @classmethod
    def _output(cls, v: str) -> str:
        return _known_metric(v)

    @field_validator("at")
    @classmethod
    def _at(cls, v: int | str) -> int | str:
        return _moment(v)

    @field_validator("ranges")
    @classmethod
    def _ranges(cls, v: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        return {name: _check_param_range(name, lo, hi) for name, (lo, hi) in v.items()}


class DiscoveryTable(BaseModel):
    """The optional `[discovery]` table: where does a comparison go the other way (PRIM)?"""

    model_config = ConfigDict(extra="forbid")

    a: str = Field(description="Scenario A of the comparison.")
    b: str = Field(description="Scenario B of the comparison.")
    metric: str = Field("mean_self_reliance", description="Outcome compared.")
    at: int | str = Field("end", description="Moment: a week number, a duration, 'end' or 'end_of_funding'.")
    threshold: float = Field(0.6, gt=0.0, le=1.0, description="Least density of a box: share of its worlds in which the comparison goes the other way.")
    peel_alpha: float = Field(0.05, gt=0.0, lt=0.5, description="Share of the worlds PRIM peels off per step.")
    boxes: int = Field(2, ge=1, le=10, description="At most this many boxes.")

    @field_validator("metric")
    @classmethod
    def _metric(cls, v: str) -> str:
        return _known_metric(v)

    @field_validator("at")
    @classmethod
    def _at(cls, v: int | str) -> int | str:
        return _moment(v)


class ExperimentFile(BaseModel):
    """A whole experiment file."""

    model_config = ConfigDict(extra="forbid")

    experiment: ExperimentTable
    sweep: SweepTable | None = None
    sensitivity: SensitivityTable | None = None
    discovery: DiscoveryTable | None = None


_TABLES: dict[str, type[BaseModel]] = {
    "": ExperimentFile,
    "experiment": ExperimentTable,
    "sweep": SweepTable,
    "sensitivity": SensitivityTable,
    "discovery": DiscoveryTable,
}


@dataclass(frozen=True)
class ScenarioRef:
    """One scenario of an experiment, loaded: its name, file, hash, horizon and the object itself."""

    name: str
    path: Path
    sha256: str
    digest: str
    horizon: int
    scenario: Any


@dataclass
class Experiment:
    """A validated experiment with its scenarios resolved and its sweep points expanded."""

    path: Path
    sha256: str
    spec: ExperimentFile
    scenarios: list[ScenarioRef]
    points: list[dict[str, Any]] = field(default_factory=lambda: [{}])
    fixed_seeds: list[int] | None = None
    worlds: Worlds | None = None

    @property
    def name(self) -> str:
        """The experiment's name."""
        return self.spec.experiment.name

    @property
    def table(self) -> ExperimentTable:
        """The `[experiment]` table."""
        return self.spec.experiment

    @property
    def baseline(self) -> str:
        """Name of the baseline scenario."""
        return self.table.baseline or self.scenarios[0].name

    @property
    def outputs(self) -> list[str]:
        """Metric names stored."""
        return list(self.table.outputs or METRIC_NAMES)

    @property
    def seeds(self) -> list[int]:
        """Seed of each replication (the same for every scenario and sweep point)."""
        if self.fixed_seeds is not None:
            return list(self.fixed_seeds)
        return replication_seeds(self.table.master_seed, self.table.replications)

    def ticks_for(self, ref: ScenarioRef) -> int:
        """Weeks simulated for a scenario: the experiment's override or the scenario's horizon."""
        return int(self.table.ticks) if self.table.ticks is not None else ref.horizon

    def scenario(self, name: str) -> ScenarioRef:
        """A scenario of this experiment by name."""
        for ref in self.scenarios:
            if ref.name == name:
                return ref
        raise KeyError(name)

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Scenario pairs (A, B) whose robustness is reported: the file's, else each against the baseline."""
        if self.table.pairs:
            return [tuple(p) for p in self.table.pairs]  # type: ignore[misc]
        return [(s.name, self.baseline) for s in self.scenarios if s.name != self.baseline]

    def fixed_by_levers(self, ref: ScenarioRef, point: dict[str, Any]) -> set[str]:
        """Calibrated parameters that the scenario, the experiment's params or the sweep point set
        themselves: for them the lever wins over the ensemble member (see experiment/uncertainty.py)."""
        if self.worlds is None:
            return set()
        return fixed_by_levers(self.worlds.ensemble.parameters, dict(getattr(ref.scenario, "params", {}) or {}), {**self.table.params, **point})

    def uncertainty_info(self) -> dict[str, Any] | None:
        """The ensemble as the manifest records it, or None without one."""
        if self.worlds is None:
            return None
        fixed: dict[str, set[str]] = {}
        for ref in self.scenarios:
            for point in self.points:
                names = self.fixed_by_levers(ref, point)
                if names:
                    fixed.setdefault(ref.name, set()).update(names)
        return self.worlds.info({k: sorted(v) for k, v in fixed.items()})

    def identity(self) -> str:
        """Hash of what determines the results: the validated spec, every scenario's content and the
        ensemble's content. Fields added later are left out when unset, so results written before
        them keep their identity (and resume)."""
        spec = self.spec.model_dump(mode="json")
        for key in ("uncertainty", "pairs"):
            if spec["experiment"].get(key) is None:
                spec["experiment"].pop(key, None)
        if spec.get("discovery") is None:
            spec.pop("discovery", None)
        payload: dict[str, Any] = {
            "spec": spec,
            "scenarios": [(s.name, s.digest) for s in self.scenarios],
            "fixed_seeds": self.fixed_seeds,
        }
        if self.worlds is not None:
            payload["ensemble"] = self.worlds.sha256
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _problem_from_error(err: Mapping[str, Any], file: str, lines: KeyLines) -> Problem:
    loc = tuple(err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    if isinstance(value, dict):  # a check over a whole table: point at the key it names
        named = [k for k in value if f"'{k}'" in msg]
        if named:
            loc, value = (*loc, named[0]), value[named[0]]
            err = {**err, "input": value}
    path = ".".join(str(p) for p in loc)
    suggestion = None
    expected = None
    if err["type"] == "extra_forbidden":
        parent = _TABLES.get(".".join(str(p) for p in loc[:-1]))
        options = list(parent.model_fields) if parent else []
        hint = difflib.get_close_matches(str(loc[-1]), options, n=3, cutoff=0.5)
        suggestion = ", ".join(hint) or None
        msg = "unknown field"
        expected = "one of: " + ", ".join(options) if options else None
    elif err["type"] == "missing":
        msg = "required field is missing"
    given = None if err["type"] in ("missing",) else shorten(repr(err.get("input")), 80)
    return Problem(file=file, path=path, message=msg, line=lines.line_of(loc), given=given, expected=expected, suggestion=suggestion)


def sweep_size(sweep: SweepTable | None) -> int:
    """Number of points a sweep expands to, computed without expanding it."""
    if sweep is None:
        return 1
    if sweep.method == "grid":
        return math.prod(len(v) for v in sweep.grid.values())
    return int(sweep.samples or 1)


def _sweep_points(sweep: SweepTable | None, master_seed: int) -> list[dict[str, Any]]:
    if sweep is None:
        return [{}]
    if sweep.method == "grid":
        names = list(sweep.grid)
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*(sweep.grid[n] for n in names))]
    from scipy.stats import qmc

    names = list(sweep.ranges)
    sampler = qmc.LatinHypercube(d=len(names), seed=aux_seed(master_seed, "sweep"))
    unit = sampler.random(int(sweep.samples or 1))
    lo = [sweep.ranges[n][0] for n in names]
    hi = [sweep.ranges[n][1] for n in names]
    scaled = qmc.scale(unit, lo, hi)
    return [{n: cast_param(n, float(v)) for n, v in zip(names, row, strict=True)} for row in scaled]


def cast_param(name: str, value: float) -> float | int:
    """A sampled value in the parameter's own type (integer parameters are rounded)."""
    return round(value) if Params.model_fields[name].annotation is int else value


def outside_message(base: Path) -> str:
    """Why a path written in an experiment file is refused when it leads out of the file's folder."""
    return (f"lies outside the folder of the experiment file ({shorten(str(base))}); paths in an experiment file "
            "must stay in its folder or below (no '..', absolute paths or links that lead out)")


def _resolve_scenario(entry: str, base: Path, file: str, index: int, lines: KeyLines, *, confined: bool = True) -> ScenarioRef:
    """The scenario an entry names: a shipped name, or a file relative to `base`; with `confined`
    (an experiment file's own entries) the file must lie in `base` or below."""
    from buurtsim.scenario import load_scenario, shipped_scenarios

    loc = ("experiment", "scenarios", index)
    shipped = shipped_scenarios()
    if entry in shipped:
        path = Path(shipped[entry])
    elif "/" in entry or "\\" in entry or entry.endswith((".toml", ".yaml", ".yml")):
        def refuse(why: str, expected: str) -> ExperimentError:
            return ExperimentError([Problem(file, ".".join(map(str, loc)), why, lines.line_of(loc), shorten(repr(entry)), expected)])

        if "\0" in entry:
            raise refuse("not a usable file name (it holds a NUL character)", "a scenario file")
        try:
            path = (base / entry).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            raise refuse("a symbolic link that points to itself (a loop)", "a scenario file") from None
        if confined and not within(path, base):
            raise refuse(outside_message(base), f"a scenario file in {shorten(str(base))} or below, or a shipped scenario name")
        try:
            is_file, exists = path.is_file(), path.exists()
        except OSError as exc:  # a name too long for the file system
            raise refuse(f"cannot be used ({exc.strerror or exc})", f"a file relative to {base}") from None
        if not is_file:
            raise refuse("not a regular file (a folder, pipe or device)" if exists else "scenario file not found", f"a file relative to {base}")
    else:
        hint = difflib.get_close_matches(entry, list(shipped), n=3, cutoff=0.5)
        raise ExperimentError([Problem(
            file, ".".join(map(str, loc)), "unknown scenario", lines.line_of(loc), shorten(repr(entry)),
            "a shipped scenario name (see `buurtsim list`) or a path such as 'mijn_scenario.toml'", ", ".join(hint) or None,
        )])
    scenario = load_scenario(path)
    return ScenarioRef(name=scenario.name, path=path, sha256=hashlib.sha256(read_user_file(path, what="scenario file")).hexdigest(),
                       digest=scenario.digest(), horizon=int(scenario.horizon), scenario=scenario)


def load_experiment(path: str | Path) -> Experiment:
    """Read, validate and resolve an experiment file; raises `ExperimentError` naming file, line and field."""
    path = Path(path)
    file = str(path)
    try:
        raw = read_user_file(path, what="experiment file")
    except FileRefused as exc:
        raise ExperimentError([Problem(file, "", exc.reason, expected="an existing .toml file")]) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ExperimentError([Problem(file, "", "not UTF-8 text; save the file as UTF-8", line, expected="UTF-8 text")]) from None
    try:
        data = parse_toml(text)
    except TomlRefused as exc:
        raise ExperimentError([Problem(file, "", exc.reason, exc.line, expected=exc.expected)]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ExperimentError([Problem(file, "", f"not valid TOML: {exc}", int(m.group(1)) if m else None)]) from None
    lines = KeyLines(text)
    if (problem := structure_problem(data, file, lines)) is not None:
        raise ExperimentError([problem])
    try:
        spec = ExperimentFile.model_validate(data)
    except ValidationError as exc:
        raise ExperimentError([_problem_from_error(e, file, lines) for e in exc.errors()]) from None
    scenarios = [_resolve_scenario(e, path.parent, file, i, lines) for i, e in enumerate(spec.experiment.scenarios)]
    problems: list[Problem] = []
    names = [s.name for s in scenarios]
    for i, name in enumerate(names):
        if names.index(name) != i:
            loc = ("experiment", "scenarios", i)
            problems.append(Problem(file, ".".join(map(str, loc)), f"scenario name '{name}' occurs twice", lines.line_of(loc), expected="each scenario once"))
    named: list[tuple[tuple[str | int, ...], str | None]] = [
        (("experiment", "baseline"), spec.experiment.baseline),
        (("sensitivity", "scenario"), spec.sensitivity.scenario if spec.sensitivity else None),
        (("sensitivity", "minus"), spec.sensitivity.minus if spec.sensitivity else None),
    ]
    named += [(("experiment", "pairs", i), value) for i, pair in enumerate(spec.experiment.pairs or []) for value in pair]
    if spec.discovery is not None:
        named += [(("discovery", "a"), spec.discovery.a), (("discovery", "b"), spec.discovery.b)]
    for where, value in named:
        if value is not None and value not in names:
            hint = difflib.get_close_matches(value, names, n=3, cutoff=0.5)
            problems.append(Problem(file, ".".join(map(str, where)), "not one of the experiment's scenarios", lines.line_of(where), repr(value), "one of: " + ", ".join(names), ", ".join(hint) or None))
    for i, pair in enumerate(spec.experiment.pairs or []):
        if pair[0] == pair[1]:
            where = ("experiment", "pairs", i)
            problems.append(Problem(file, ".".join(map(str, where)), "a scenario paired with itself", lines.line_of(where), repr(list(pair)), "two different scenarios [A, B]"))
    if spec.discovery is not None:
        if spec.discovery.a == spec.discovery.b:
            problems.append(Problem(file, "discovery.b", "the same scenario as discovery.a", lines.line_of(("discovery", "b")), repr(spec.discovery.b), "another scenario"))
        if spec.sweep is None and spec.experiment.uncertainty is None:
            problems.append(Problem(file, "discovery", "nothing varies between worlds to discover regions in", lines.line_of(("discovery",)),
                                    expected="experiment.uncertainty (an ensemble) or a [sweep] table"))
    worlds = None
    if spec.experiment.uncertainty is not None and not problems:
        worlds = _load_worlds(spec.experiment.uncertainty, path.parent, spec.experiment.replications, file, lines)
    runs = len(scenarios) * sweep_size(spec.sweep) * spec.experiment.replications
    if runs > MAX_RUNS:
        problems.append(Problem(file, "experiment.replications", f"{runs:,} runs in all (scenarios x sweep points x replications)",
                                lines.line_of(("experiment", "replications")), expected=f"at most {MAX_RUNS:,} runs"))
    if problems:
        raise ExperimentError(problems)
    return Experiment(
        path=path.resolve(),
        sha256=hashlib.sha256(raw).hexdigest(),
        spec=spec,
        scenarios=scenarios,
        points=_sweep_points(spec.sweep, spec.experiment.master_seed),
        worlds=worlds,
    )


def _load_worlds(value: str, base: Path, replications: int, file: str, lines: KeyLines) -> Worlds:
    """The experiment's ensemble, or an ExperimentError naming this file's field and the ensemble's problem."""
    from buurtsim.experiment.uncertainty import load_worlds, problem_text, resolve_source

    where = ("experiment", "uncertainty")
    try:
        source = resolve_source(value, base)
    except ValueError:
        source = "default"  # load_worlds below says what is wrong with the value
    if source != "default" and not within(Path(source), base):
        raise ExperimentError([Problem(file, ".".join(where), outside_message(base), lines.line_of(where), shorten(repr(value)),
                                       f"an ensemble file in {shorten(str(base))} or below, or \"ensemble\"")])
    try:
        return load_worlds(value, base, replications)
    except (UserError, ValueError) as exc:
        from buurtsim.ensemble import EnsembleError

        if isinstance(exc, EnsembleError):  # the file was found: its own message names its field and what it expected
            raise ExperimentError([Problem(file, ".".join(where), problem_text(exc), lines.line_of(where))]) from None
        why = problem_text(exc) if isinstance(exc, UserError) else str(exc)
        raise ExperimentError([Problem(file, ".".join(where), why, lines.line_of(where), shorten(repr(value)), EXPECTED)]) from None


def single_run_experiment(
    scenario: str | Path, *, seed: int | None = None, ticks: int | None = None, n_residents: int | None = None
) -> Experiment:
    """A one-run experiment of one scenario (a shipped name or a path), for `buurtsim run`.

    The run uses `seed` itself (default: the scenario's own seed), not a derived one.
    """
    file = str(scenario)
    lines = KeyLines("")
    ref = _resolve_scenario(str(scenario), Path.cwd(), file, 0, lines, confined=False)  # the user's own command line
    try:
        table = ExperimentTable(name=ref.name, title=str(getattr(ref.scenario, "title", "")), scenarios=[str(scenario)],
                                replications=1, master_seed=0, n_residents=n_residents, ticks=ticks,
                                ticks_of_interest=["end"])
    except ValidationError as exc:
        flag = {"n_residents": "--n-residents", "ticks": "--ticks"}
        raise UserError("; ".join(f"{flag.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']} (given: {e.get('input')!r})" for e in exc.errors())) from None
    run_seed = int(ref.scenario.seed) if seed is None else int(seed)
    return Experiment(path=ref.path, sha256=ref.sha256, spec=ExperimentFile(experiment=table), scenarios=[ref], fixed_seeds=[run_seed])
