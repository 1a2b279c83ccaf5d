"""`buurtsim calibrate`: ABC-SMC of the assumed parameters against the calibration targets.

A particle is one parameter set with its own seed. It is judged by simulating every scenario the
targets name (`basis` for ten years, `combinatie` with three presence workers for C2) at N
residents and measuring each target as `experiments/calibration.py` does. Its distance to a target
is how far the value lies outside the band, in band widths (0 inside); the particle's distance is
the root of the summed squares. Particles run through the project's backends (serial, process,
dask) as batches of `execute_run`-like work, so a calibration runs wherever experiments run.

Every finished generation is written (atomically) to a checkpoint next to the output file; an
interrupted calibration continues from there with `--resume` and ends identical to an uninterrupted
one with the same seed. The result is an ensemble file (`buurtsim.ensemble`).
"""

from __future__ import annotations

import json
import math
import os
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from buurtsim._version import __version__
from buurtsim.calibration import TARGETS_FILE, YEAR, Target, load_targets, targets_file_hash
from buurtsim.errors import UserError
from buurtsim.experiment.runner import RunResult, RunSpec
from buurtsim.inference.abc_smc import AbcSettings, Generation, UniformPrior, abc_smc

#: The calibrated parameters (all sourced "assumption" in params.py) and the targets they move.
CALIBRATED: tuple[tuple[str, str], ...] = (
    ("shock_prob", "C1, C2: how often life events hit a domain"),
    ("shock_size", "C1, C2: how hard they hit"),
    ("recovery_rate", "C1, C2: how fast domains recover"),
    ("support_rate", "C6: informal help given per unit of tie strength"),
    ("support_cost", "C6: helpers' load, so the over-asked share"),
    ("participation_down", "C5: stepping down the participation ladder"),
    ("tie_attempt_rate", "C3, C4, C6, C7: meeting attempts, so the network's density"),
    ("tie_reinforce", "C3, C7, C12: how ties grow strong"),
    ("tie_break_strength", "C3, C12: how weak ties end"),
    ("professional_effect", "C2: what three presence workers achieve"),
    ("safety_move_effect", "C11: moving out for lack of safety"),
)
CHECKPOINT_FORMAT = "buurtsim-calibration-checkpoint"
TICKS = 10 * YEAR
METHOD = "ABC-SMC (Beaumont et al. 2009; adaptive tolerance, Del Moral et al. 2012)"


class CalibrationError(UserError, ValueError):
    """A calibration that cannot start or continue; the message says what and how to fix it."""


def calibrated_names() -> tuple[str, ...]:
    """Names of the calibrated parameters."""
    return tuple(name for name, _why in CALIBRATED)


def prior_for(names: Sequence[str]) -> UniformPrior:
    """Uniform priors over each parameter's documented plausible range (params.py), or its validation
    range [min, max] where no plausible range is documented."""
    from buurtsim.params import describe

    info = [describe(n) for n in names]
    bounds = [d["plausible"] or (d["min"], d["max"]) for d in info]
    return UniformPrior(tuple(names), tuple(float(lo) for lo, _ in bounds), tuple(float(hi) for _, hi in bounds))


def band_distance(value: float, target: Target) -> float:
    """How far a value lies outside the target's band, in band widths (0 inside). A run without a
    value (e.g. no resident stayed seven years, so no tie retention) counts as the farthest a share can be."""
    if not math.isfinite(value):
        value = 0.0 if target.lo > 1.0 - target.hi else 1.0
    return max(target.lo - value, value - target.hi, 0.0) / (target.hi - target.lo)


def particle_distance(values: dict[str, float], targets: Sequence[Target]) -> float:
    """Root of the summed squared band distances over all targets."""
    return math.sqrt(sum(band_distance(values.get(t.label, math.nan), t) ** 2 for t in targets))


def measure(targets: Sequence[Target], params: dict[str, object], seed: int, n: int, ticks: int = TICKS) -> dict[str, float]:
    """Simulate every (scenario, policy changes) the targets need and measure each target."""
    from buurtsim.calibration import replicate

    runs: dict[tuple[str, tuple[tuple[str, str, object], ...]], dict[str, Any]] = {}
    values: dict[str, float] = {}
    for t in targets:
        key = (t.scenario, t.policy_changes)
        if key not in runs:
            runs[key] = replicate(t.scenario, seed, n, params, t.policy_changes, ticks=ticks)
        out = runs[key]
        if t.when == "run":
            values[t.label] = float(out[t.key])
        else:
            row = out["metrics"].iloc[0 if t.when == "start" else -1]
            values[t.label] = float(row[t.key])
    return values


@contextmanager
def no_disk_warm_starts() -> Iterator[None]:
    """Keep burn-ins in memory only: a particle's parameters never recur, so writing its settled state
    to the disk cache would only push out the warm starts that experiments reuse."""
    old = os.environ.get("BUURTSIM_WARM_CACHE")
    os.environ["BUURTSIM_WARM_CACHE"] = "off"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("BUURTSIM_WARM_CACHE", None)
        else:
            os.environ["BUURTSIM_WARM_CACHE"] = old


def evaluate_particle(spec: RunSpec) -> RunResult:
    """Backend work: one particle (parameters in `overrides`, targets as `scenario_obj`), its target
    values as a one-row table. Never raises: a failing simulation comes back failed."""
    import pandas as pd

    t0, c0 = time.perf_counter(), time.process_time()
    try:
        with no_disk_warm_starts():
            values = measure(spec.scenario_obj, dict(spec.overrides), spec.seed, spec.n_residents or 1000, spec.ticks)
        return RunResult(run_id=spec.run_id, status="done", duration_s=time.perf_counter() - t0,
                         cpu_s=time.process_time() - c0, timeseries=pd.DataFrame([values]))
    except Exception:
        return RunResult(run_id=spec.run_id, status="failed", duration_s=time.perf_counter() - t0,
                         error=traceback.format_exc(limit=8))


@dataclass(frozen=True)
class CalibrationConfig:
    """Everything that fixes a calibration's result (a checkpoint is resumed only with the same)."""

    names: tuple[str, ...]
    settings: AbcSettings
    seed: int
    n_residents: int
    targets_file: Path = TARGETS_FILE
    ticks: int = TICKS
    fixed: tuple[tuple[str, Any], ...] = ()  # other parameters held at these values in every simulation

    def identity(self) -> dict[str, Any]:
        """What must match for a resume: model, targets, parameters, sampler settings, seed, size (not
        the number of generations: a finished calibration's checkpoint can be continued with more)."""
        from buurtsim.warmstart import code_hash

        return {"model_version": __version__, "model_code_hash": code_hash(),
                "targets_hash": targets_file_hash(self.targets_file), "parameters": list(self.names),
                "settings": {k: v for k, v in self.settings.as_dict().items() if k != "generations"}, "seed": self.seed, "n_residents": self.n_residents,
                "ticks": self.ticks, **({"fixed": [list(kv) for kv in self.fixed]} if self.fixed else {})}


def checkpoint_path(out: Path) -> Path:
    """Where the finished generations of a calibration writing `out` are kept."""
    return out.with_name(out.name + ".checkpoint.json")


def load_checkpoint(path: Path, config: CalibrationConfig) -> list[Generation]:
    """The finished generations of an interrupted calibration with the same configuration."""
    from buurtsim.safe_io import read_user_file

    raw = read_user_file(path, what="calibration checkpoint (JSON)", limit=256 * 2**20)
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != CHECKPOINT_FORMAT:
            raise ValueError("not a calibration checkpoint")
        gens = [Generation.from_data(g) for g in data["generations"]]
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as exc:
        raise CalibrationError(f"{path}: expected a checkpoint written by buurtsim calibrate ({exc}); "
                               "delete it to start afresh") from None
    mine = config.identity()
    for field, value in data.get("identity", {}).items():
        if mine.get(field) != value:
            raise CalibrationError(
                f"{path}: identity.{field}: this checkpoint was written with {field} = {json.dumps(value)}, "
                f"this calibration has {json.dumps(mine.get(field))}; resume with the same settings, "
                "or delete the checkpoint to start afresh")
    if set(mine) - set(data.get("identity", {})):
        raise CalibrationError(f"{path}: identity: incomplete; delete the checkpoint to start afresh")
    return [g for g in gens if g.index < config.settings.generations]


def save_checkpoint(path: Path, config: CalibrationConfig, gens: Sequence[Generation]) -> None:
    """Write all finished generations atomically."""
    from buurtsim.ensemble import write_atomic

    data = {"format": CHECKPOINT_FORMAT, "identity": config.identity(), "generations": [g.to_data() for g in gens]}
    write_atomic(path, json.dumps(data))


def particle_simulator(config: CalibrationConfig, targets: Sequence[Target], backend: str, workers: int | None,
                       scheduler: str | None = None,
                       progress: Callable[[int], None] | None = None) -> Callable[[np.ndarray, np.ndarray], list[tuple[float, dict[str, Any]]]]:
    """The `simulate` of ABC-SMC: a batch of particles through the chosen backend, distances in order."""
    from buurtsim.experiment.backends import execute

    targets = tuple(targets)
    counter = [0]

    def simulate(thetas: np.ndarray, seeds: np.ndarray) -> list[tuple[float, dict[str, Any]]]:
        specs = []
        for theta, seed in zip(thetas, seeds, strict=True):
            counter[0] += 1
            specs.append(RunSpec(run_id=f"particle{counter[0]:06d}", scenario="calibrate", scenario_obj=targets,
                                 replication=counter[0], seed=int(seed), ticks=config.ticks,
                                 overrides=(*config.fixed, *zip(config.names, (float(x) for x in theta), strict=True)),
                                 n_residents=config.n_residents))
        by_id: dict[str, tuple[float, dict[str, Any]]] = {}
        for res in execute(backend, specs, work=evaluate_particle, workers=workers, scheduler=scheduler):
            if res.status == "done" and res.timeseries is not None:
                values = {str(k): float(v) for k, v in res.timeseries.iloc[0].items()}
                by_id[res.run_id] = (particle_distance(values, targets), {"values": values})
            else:
                by_id[res.run_id] = (math.inf, {"error": (res.error or "failed").strip().splitlines()[-1][:300]})
            if progress is not None:
                progress(1)
        return [by_id[s.run_id] for s in specs]

    return simulate


def target_table(values: dict[str, float], targets: Sequence[Target]) -> dict[str, dict[str, Any]]:
    """Per target: the simulated value, the band and whether it is met (an ensemble member's record)."""
    out = {}
    for t in targets:
        v = values.get(t.label, math.nan)
        out[t.label] = {"value": v if math.isfinite(v) else None, "band": [t.lo, t.hi],
                        "met": bool(math.isfinite(v) and t.holds(v))}
    return out


def share_met(gen: Generation, targets: Sequence[Target]) -> dict[str, float]:
    """Per target: the weighted share of the generation's particles in the band."""
    w = gen.weights / gen.weights.sum()
    shares = {}
    for t in targets:
        met = np.array([t.holds(r.get("values", {}).get(t.label, math.nan)) for r in gen.records], dtype=float)
        shares[t.label] = float(w @ met)
    return shares


def build_ensemble(config: CalibrationConfig, targets: Sequence[Target], gens: Sequence[Generation],
                   wall_time_s: float | None, resumed_generations: int = 0) -> Any:
    """The ensemble of the last generation, with provenance."""
    from buurtsim.ensemble import Ensemble, Member, provenance

    last = gens[-1]
    members = tuple(
        Member(params={n: float(x) for n, x in zip(config.names, theta, strict=True)}, weight=float(w), seed=int(s),
               targets=target_table(rec.get("values", {}), targets), distance=float(d))
        for theta, w, s, d, rec in zip(last.params, last.weights, last.seeds, last.distances, last.records, strict=True))
    prior = prior_for(config.names)
    method = {"name": METHOD, **config.settings.as_dict(), "distance": "root of summed squared band distances, in band widths",
              "prior": {n: ["uniform", lo, hi] for n, lo, hi in zip(prior.names, prior.lo, prior.hi, strict=True)},
              "n_residents": config.n_residents, "years": config.ticks / YEAR, "fixed": dict(config.fixed),
              "generations_run": [{"epsilon": None if math.isinf(g.epsilon) else g.epsilon, "simulations": g.simulations,
                                   "acceptance": g.acceptance, "relaxed": g.relaxed} for g in gens]}
    prov = provenance(method, {"seed": config.seed, "member_seeds": "each member's own seed, drawn from the seed"},
                      targets_file=config.targets_file, targets_file_name=config.targets_file.name,
                      wall_time_s=wall_time_s, resumed_generations=resumed_generations,
                      share_met=share_met(last, targets))
    return Ensemble(config.names, members, prov)


def unmet_targets(ensemble: Any, targets: Sequence[Target]) -> list[str]:
    """Targets that no member of the ensemble meets, each with the closest value reached."""
    out = []
    for t in targets:
        vals = [m.targets[t.label]["value"] for m in ensemble.members if m.targets[t.label]["value"] is not None]
        if not any(m.targets[t.label]["met"] for m in ensemble.members):
            closest = min(vals, key=lambda v: band_distance(v, t)) if vals else None
            shown = "no value" if closest is None else f"closest member {closest:.3f}"
            out.append(f"{t.label} (band {t.lo:g}-{t.hi:g}; {shown})")
    return out


def calibrate(config: CalibrationConfig, out: Path, *, backend: str = "process", workers: int | None = None,
              scheduler: str | None = None, resume: bool = False, allow_unmet: bool = False,
              progress: Callable[[int], None] | None = None,
              on_generation: Callable[[Generation], None] | None = None) -> tuple[Any, list[Generation]]:
    """Run (or continue) a calibration and write the ensemble to `out`; returns it and the generations.

    Refuses before any simulation when `out` cannot be written or a checkpoint exists without
    `resume`. When the last generation meets a target in no member, the ensemble is not written
    (unless `allow_unmet`): CalibrationError names the targets, and the checkpoint keeps the work.
    """
    targets = load_targets(config.targets_file)
    out = Path(out)
    if not out.parent.is_dir():
        raise CalibrationError(f"--out: {out}: the folder {out.parent} does not exist")
    if out.is_dir():
        raise CalibrationError(f"--out: {out}: this is a folder; expected a file name such as ensemble.json")
    cp = checkpoint_path(out)
    done: list[Generation] = []
    if cp.exists():
        if not resume:
            raise CalibrationError(f"{cp}: an interrupted calibration for {out.name} is kept here; continue it with "
                                   "--resume, or delete the file to start afresh")
        done = load_checkpoint(cp, config)
    done_before = list(done)
    t0 = time.perf_counter()
    simulate = particle_simulator(config, targets, backend, workers, scheduler, progress)

    def finished(gen: Generation) -> None:
        done.append(gen)
        save_checkpoint(cp, config, done)
        if on_generation is not None:
            on_generation(gen)

    gens = abc_smc(prior_for(config.names), config.settings, simulate, config.seed, done=list(done), on_generation=finished)
    # wall time of this invocation; a resumed one did not run the generations it took from the checkpoint
    ensemble = build_ensemble(config, targets, gens, time.perf_counter() - t0, resumed_generations=len(done_before))
    unmet = unmet_targets(ensemble, targets)
    if unmet and not allow_unmet:
        raise CalibrationError(
            f"no member of the final generation meets: {'; '.join(unmet)}. {out} was not written; the finished "
            f"generations are kept in {cp}. Widen the band in the targets file, run more generations "
            "(--generations, then --resume), or write the ensemble anyway with --allow-unmet")
    from buurtsim.ensemble import save_ensemble

    save_ensemble(ensemble, out)
    cp.unlink(missing_ok=True)
    return ensemble, gens
