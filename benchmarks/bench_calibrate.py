"""Calibration wall time, for docs/performance.md.

1. A tiny calibration (default: N = 200, 10 particles, 2 generations, ten simulated years after the
   full burn-in, serial backend, shipped targets): wall time, simulations, and the cost of one
   simulated particle (wall and CPU seconds; a particle is `basis` and `combinatie` for ten years
   after a shared twenty-year burn-in).
2. The full calibration that produced an ensemble file (default: the shipped one), read from its
   provenance: wall time, simulations per generation, and the wall time per simulation.

Usage: python benchmarks/bench_calibrate.py [--n 200] [--population 10] [--generations 2]
       [--backend serial] [--workers 2] [--ensemble default] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from buurtsim.ensemble import load_ensemble, resolve_ensemble_path
from buurtsim.inference.abc_smc import AbcSettings
from buurtsim.inference.calibrate import CalibrationConfig, calibrate, calibrated_names


def tiny(n: int, population: int, generations: int, backend: str, workers: int | None) -> dict[str, float]:
    """Run a tiny calibration in a temporary folder; its timings."""
    settings = AbcSettings(population=population, generations=generations, batch=population,
                           max_simulations=2 * population)
    config = CalibrationConfig(calibrated_names(), settings, seed=1, n_residents=n)
    with tempfile.TemporaryDirectory() as tmp:
        cpu0 = resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
        t0 = time.perf_counter()
        _ens, gens = calibrate(config, Path(tmp) / "tiny.json", backend=backend, workers=workers, allow_unmet=True)
        wall = time.perf_counter() - t0
        cpu = (resource.getrusage(resource.RUSAGE_SELF).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime) - cpu0
    sims = sum(g.simulations for g in gens)
    return {"wall_s": wall, "simulations": sims, "wall_per_simulation_s": wall / sims, "cpu_per_simulation_s": cpu / sims}


def full(ensemble: str) -> dict[str, object]:
    """What an ensemble's provenance says about the calibration that made it."""
    ens = load_ensemble(ensemble)
    method = ens.provenance["method"]
    gens = method["generations_run"]
    sims = sum(g["simulations"] for g in gens)
    resumed = ens.provenance.get("resumed_generations")
    wall = float("nan") if resumed else float(ens.provenance.get("wall_time_s") or float("nan"))  # unknown when resumed
    return {"members": len(ens.members), "n_residents": method["n_residents"], "population": method["population"],
            "generations": len(gens), "simulations": sims, "wall_s": wall, "wall_per_simulation_s": wall / sims}


def main() -> None:
    """Measure and print; optionally write JSON."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--population", type=int, default=10)
    ap.add_argument("--generations", type=int, default=2)
    ap.add_argument("--backend", default="serial")
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--ensemble", default="default")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    out = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()},
           "tiny": {"n": args.n, "population": args.population, "generations": args.generations, "backend": args.backend,
                    **tiny(args.n, args.population, args.generations, args.backend, args.workers)},
           "full": full(args.ensemble) if resolve_ensemble_path(args.ensemble).exists() else None}
    print(json.dumps(out, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
