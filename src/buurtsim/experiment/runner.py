"""One run of one scenario (the unit of work every backend executes) and the plan of all runs.

`execute_run` is a pure function of its `RunSpec`: the same spec gives the same numbers in any
process, on any machine. It never raises; a failing run comes back with its error.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from buurtsim.lifecycle import release_model
from buurtsim.params import CATEGORIES, DOMAINS, INCOME_CLASSES, STYLES

if TYPE_CHECKING:
    from buurtsim.experiment.spec import Experiment


@dataclass(frozen=True)
class RunSpec:
    """Everything one run needs; small and picklable (the scenario travels as an object, not a path)."""

    run_id: str
    scenario: str
    scenario_obj: Any
    replication: int
    seed: int
    ticks: int
    point: int = 0
    swept: tuple[str, ...] = ()
    overrides: tuple[tuple[str, Any], ...] = ()
    n_residents: int | None = None
    outputs: tuple[str, ...] = ()
    final_residents: bool = False
    member: int | None = None  # ensemble member (plausible world) of this replication, if any
    member_params: tuple[tuple[str, Any], ...] = ()  # its values that reach the model (levers win)


@dataclass
class RunResult:
    """What a run sends back: its metrics, optional resident end states, timing and policy timeline."""

    run_id: str
    status: str  # "done" or "failed"
    duration_s: float
    cpu_s: float = 0.0
    timeseries: pd.DataFrame | None = None
    residents: pd.DataFrame | None = None
    cohort: dict[str, np.ndarray] | None = None  # the starting residents' fate (experiment.cohort)
    funding_end: int | None = None
    timeline: list[tuple[int, int, str]] = field(default_factory=list)
    error: str | None = None


def run_id_for(scenario: str, replication: int, point: int | None) -> str:
    """File-safe id of a run: `<scenario>__r<k>` or `<scenario>__p<j>__r<k>` in a sweep."""
    mid = f"__p{point:04d}" if point is not None else ""
    return f"{scenario}{mid}__r{replication:04d}"


def plan_runs(exp: Experiment) -> list[RunSpec]:
    """All runs of an experiment in their canonical order: scenario, sweep point, replication.

    With an ensemble, replication r runs in member `exp.worlds.members[r]`: its parameter values
    first, then the levers over them (the experiment's params and the sweep point; a parameter the
    scenario sets itself is left to the scenario)."""
    seeds = exp.seeds
    sweep = exp.spec.sweep is not None
    worlds = exp.worlds
    runs = []
    for ref in exp.scenarios:
        for j, point in enumerate(exp.points):
            levers = {**exp.table.params, **point}
            fixed = exp.fixed_by_levers(ref, point)
            for r, seed in enumerate(seeds):
                world = worlds.applied(r, fixed) if worlds is not None else {}
                overrides = {**world, **levers}
                runs.append(RunSpec(
                    run_id=run_id_for(ref.name, r, j if sweep else None),
                    scenario=ref.name,
                    scenario_obj=ref.scenario,
                    replication=r,
                    seed=seed,
                    ticks=exp.ticks_for(ref),
                    point=j,
                    swept=tuple(point),
                    overrides=tuple(sorted(overrides.items())),
                    n_residents=exp.table.n_residents,
                    outputs=tuple(exp.outputs),
                    final_residents=exp.table.final_residents,
                    member=worlds.members[r] if worlds is not None else None,
                    member_params=tuple(sorted(world.items())),
                ))
    return runs


def build_model(spec: RunSpec) -> Any:
    """The model of a run, built from its scenario with the run's seed and overrides."""
    from buurtsim.model import NeighbourhoodModel

    kwargs: dict[str, Any] = dict(spec.overrides)
    if spec.n_residents is not None:
        kwargs["n_residents"] = spec.n_residents
    return NeighbourhoodModel.from_scenario(spec.scenario_obj, seed=spec.seed, ticks=spec.ticks, **kwargs)


def funding_end(policies: list[Any], ended: dict[str, int], horizon: int) -> int | None:
    """End of funding: the week the last policy stopped; None without policies or while one still runs.

    A policy's end is its scheduled (or cut) `end` when that lies within the run, else the week it
    was seen to stop (a spent budget).
    """
    if not policies:
        return None
    ends = []
    for pol in policies:
        if pol.end is not None and pol.end <= horizon:
            ends.append(int(pol.end))
        elif pol.label in ended:
            ends.append(ended[pol.label])
        else:
            return None
    return max(ends)


def residents_frame(model: Any) -> pd.DataFrame:
    """Every living resident's end state, one row each."""
    st, p = model.state, model.params
    alive = np.flatnonzero(st.alive)
    cats = st.categories(p.strong_threshold, p.sliding_threshold)[alive]
    data: dict[str, Any] = {
        "uid": st.uid[alive].astype(np.int64),
        "income": pd.Categorical.from_codes(st.income[alive].astype(int), categories=pd.Index(INCOME_CLASSES)),
        "style": pd.Categorical.from_codes(st.style[alive].astype(int), categories=pd.Index(STYLES)),
        "category": pd.Categorical.from_codes(cats.astype(int), categories=pd.Index(CATEGORIES)),
        "self_reliance": st.self_reliance[alive].astype(float),
    }
    for i, dom in enumerate(DOMAINS):
        data[f"domain_{dom}"] = st.domains[alive, i].astype(float)
    for name in ("trust", "attachment", "safety", "capacity", "dependency"):
        data[name] = getattr(st, name)[alive].astype(float)
    data["participation"] = st.participation[alive].astype(np.int8)
    data["degree"] = model.ties.degree()[alive].astype(np.int32)
    data["arrived"] = st.arrived[alive].astype(np.int64)
    return pd.DataFrame(data)


def execute_run(spec: RunSpec) -> RunResult:
    """Build the model, simulate `spec.ticks` weeks and return its metrics; errors are caught and returned."""
    t0, c0 = time.perf_counter(), time.process_time()
    from buurtsim.experiment.cohort import Cohort

    try:
        model = build_model(spec)
        cohort = Cohort(model)
        ended: dict[str, int] = {}
        for _ in range(spec.ticks):
            model.step()
            cohort.update(model)
            for pol in model.policies:
                if pol.ended and pol.label not in ended:
                    ended[pol.label] = int(model.tick)
        metrics = model.metrics().reset_index()
        cols = list(spec.outputs) if spec.outputs else [c for c in metrics.columns if c != "tick"]
        ts = pd.DataFrame({
            "scenario": spec.scenario,
            "replication": np.int32(spec.replication),
            "seed": np.int64(spec.seed),
            "tick": metrics["tick"].astype(np.int32),
        })
        if spec.member is not None:
            ts["member"] = np.int32(spec.member)
        if spec.swept:
            ts.insert(1, "point", np.int32(spec.point))
            values = dict(spec.overrides)
            for name in spec.swept:
                ts[f"param_{name}"] = np.float64(values[name])
        for col in cols:
            ts[col] = metrics[col].astype(np.float64)
        residents = None
        if spec.final_residents:
            residents = residents_frame(model)
            residents.insert(0, "tick", np.int32(model.tick))
            residents.insert(0, "seed", np.int64(spec.seed))
            residents.insert(0, "replication", np.int32(spec.replication))
            residents.insert(0, "scenario", spec.scenario)
        started = cohort.record(model)
        timeline: list[tuple[int, int, str]] = []
        for pol in model.policies:
            timeline.extend((int(a), int(b), str(lab)) for a, b, lab in pol.timeline(spec.ticks))
        release_model(model)  # a worker runs many models: keep none of them
        return RunResult(
            run_id=spec.run_id,
            status="done",
            duration_s=time.perf_counter() - t0,
            cpu_s=time.process_time() - c0,
            timeseries=ts,
            residents=residents,
            cohort=started,
            funding_end=funding_end(model.policies, ended, spec.ticks),
            timeline=timeline,
        )
    except Exception:
        return RunResult(run_id=spec.run_id, status="failed", duration_s=time.perf_counter() - t0, error=traceback.format_exc(limit=8))
