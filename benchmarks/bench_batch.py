"""Batch throughput: runs per minute of the flagship experiment on the serial, process and dask
backends, the parent's memory as runs accumulate, and an honest extrapolation to the full flagship
(60 runs of N = 2,000 for 520 weeks). Optionally times the full flagship with the process backend.

Usage:
    python benchmarks/bench_batch.py                       # 6 runs per backend (2 replications x 3 scenarios)
    python benchmarks/bench_batch.py --replications 4 --backends process --full
    python benchmarks/bench_batch.py --write docs/performance-batch.md
    python benchmarks/bench_batch.py --backends "" --thousand   # issue 16: 1,000 runs on the process backend

`--thousand` times a batch of about 1,000 runs (the flagship's three scenarios, 334 replications
each: 1,002 runs of N = 2,000 for 520 weeks) on the process backend against issue 16's target of
5 minutes. Its warm-start cache is a fresh empty folder, so every burn-in is paid as in a first
run (scenarios that share a seed share one burn-in, as in any batch); the model's compiled loops
come from numba's cache (warmed by an earlier run, as the issue allows).

Numbers depend on what else the machine is doing: the load average before and after each
measurement is printed with it.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from buurtsim.experiment import load_experiment, run_experiment
from buurtsim.experiment.spec import Experiment
from buurtsim.experiment.store import versions

ROOT = Path(__file__).resolve().parents[1]
FLAGSHIP = ROOT / "experiments" / "carrousel_vs_presentie.toml"
FULL_RUNS = 60
TARGET_S = 180
THOUSAND_TARGET_S = 300  # issue 16, point 3: 1,000 runs of N = 2,000 x 520 weeks in at most 5 minutes


def rss_mb() -> float:
    """Current resident memory of this process in MB (Linux /proc; falls back to the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str]:
    """Facts about this machine."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores usable": str(usable), "memory": mem, "os": platform.platform(), "python": platform.python_version()}


def load() -> str:
    """1-minute load average."""
    return f"{os.getloadavg()[0]:.2f}"


def reduced(exp: Experiment, replications: int, **changes: Any) -> Experiment:
    """The same experiment with fewer replications (the first seeds are the same: seeds are prefix-stable)."""
    table = exp.spec.experiment.model_copy(update={"replications": replications, **changes})
    spec = exp.spec.model_copy(update={"experiment": table})
    return Experiment(path=exp.path, sha256=exp.sha256, spec=spec, scenarios=exp.scenarios, points=exp.points)


@dataclass
class Measure:
    """One timed batch."""

    backend: str
    workers: int
    runs: int
    wall_s: float
    run_s: list[float]
    cpu_s: list[float]
    rss: list[float] = field(default_factory=list)
    load_before: str = ""
    load_after: str = ""

    @property
    def per_minute(self) -> float:
        """Runs per minute, wall clock, start-up included."""
        return self.runs / self.wall_s * 60

    def extrapolated(self, total: int = FULL_RUNS) -> float:
        """Seconds for `total` runs at this rate (start-up counted once per batch, so slightly pessimistic)."""
        return total / self.per_minute * 60


def measure(exp: Experiment, backend: str, workers: int) -> Measure:
    """Run `exp` into a temporary directory on one backend; time it and sample the parent's memory per run."""
    out = Path(tempfile.mkdtemp(prefix=f"bench-{backend}-"))
    rss: list[float] = [rss_mb()]

    def listener(event: str, info: dict[str, Any]) -> None:
        if event == "run":
            rss.append(rss_mb())

    before = load()
    t0 = time.perf_counter()
    manifest = run_experiment(exp, out, backend=backend, workers=workers, force=True, listener=listener)
    wall = time.perf_counter() - t0
    failed = [r for r in manifest["runs"] if r["status"] != "done"]
    if failed:
        raise SystemExit(f"{backend}: {len(failed)} runs failed: {failed[0].get('error')}")
    shutil.rmtree(out, ignore_errors=True)
    return Measure(backend, workers if backend != "serial" else 1, len(manifest["runs"]), wall,
                   [float(r["duration_s"]) for r in manifest["runs"]], [float(r["cpu_s"]) for r in manifest["runs"]], rss, before, load())


def thousand_batch(flagship: Experiment, workers: int) -> Measure:
    """About 1,000 runs on the process backend from an empty warm-start cache; prints the verdict."""
    reps = -(-1000 // len(flagship.scenarios))
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as warm:
        old = os.environ.get("BUURTSIM_WARM_CACHE")
        os.environ["BUURTSIM_WARM_CACHE"] = warm  # inherited by the worker processes
        try:
            m = measure(reduced(flagship, reps), "process", workers)
        finally:
            if old is None:
                os.environ.pop("BUURTSIM_WARM_CACHE", None)
            else:
                os.environ["BUURTSIM_WARM_CACHE"] = old
    cpu = sum(m.cpu_s)
    verdict = "met" if m.wall_s <= THOUSAND_TARGET_S else "NOT met"
    print(f"{m.runs} runs ({reps} replications x {len(flagship.scenarios)} scenarios, N = 2,000, 520 weeks), process x{workers}: "
          f"{m.wall_s:.0f} s wall (target {THOUSAND_TARGET_S} s: {verdict}); {m.per_minute:.0f} runs/min; "
          f"CPU in the runs {cpu:.0f} s ({cpu / m.runs:.2f} s per run, burn-ins included); load {m.load_before} -> {m.load_after}")
    return m


def table(measures: list[Measure]) -> str:
    """Markdown table of the measurements."""
    lines = ["| backend | workers | runs | wall (s) | runs/min | wall s per run (in its worker) | CPU s per run | extrapolated 60 runs (s) | within 3 min? | 60 x CPU s / workers (s) | parent RSS first / max / last (MB) | load before / after |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for m in measures:
        mean = sum(m.run_s) / len(m.run_s)
        ext = m.extrapolated()
        cpu = sum(m.cpu_s) / len(m.cpu_s)
        lines.append(f"| {m.backend} | {m.workers} | {m.runs} | {m.wall_s:.1f} | {m.per_minute:.2f} | {mean:.2f} | {cpu:.2f} | {ext:.0f} | "
                     f"{'yes' if ext <= TARGET_S else 'no'} | {FULL_RUNS * cpu / m.workers:.0f} | {m.rss[0]:.0f} / {max(m.rss):.0f} / {m.rss[-1]:.0f} | {m.load_before} / {m.load_after} |")
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, measure, print (and optionally write) the results."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--replications", type=int, default=2, help="replications per scenario in the reduced flagship (default 2: 6 runs)")
    ap.add_argument("--backends", default="serial,process,dask", help="comma-separated backends to measure")
    ap.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)
    ap.add_argument("--full", action="store_true", help="also time the full flagship (60 runs) with the process backend")
    ap.add_argument("--memory", action="store_true",
                    help="memory check: all 60 flagship runs at N = 200 (same 520 weeks, same result size) on the process backend")
    ap.add_argument("--thousand", action="store_true",
                    help="time about 1,000 flagship runs (334 replications x 3 scenarios) on the process backend")
    ap.add_argument("--write", type=Path, help="write the results as Markdown to this file")
    args = ap.parse_args()

    flagship = load_experiment(FLAGSHIP)
    small = reduced(flagship, args.replications)
    facts = machine()
    print("machine:", facts)
    measures = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        m = measure(small, backend, args.workers)
        print(f"{backend}: {m.runs} runs in {m.wall_s:.1f} s = {m.per_minute:.2f} runs/min -> 60 runs in ~{m.extrapolated():.0f} s "
              f"(load {m.load_before} -> {m.load_after}; parent RSS {m.rss[0]:.0f}..{max(m.rss):.0f} MB)")
        measures.append(m)
    full = None
    if args.full:
        full = measure(flagship, "process", args.workers)
        print(f"full flagship, process x{args.workers}: {full.runs} runs in {full.wall_s:.1f} s, CPU {sum(full.cpu_s):.0f} s in the runs "
              f"(target {TARGET_S} s: {'met' if full.wall_s <= TARGET_S else 'NOT met'}); parent RSS per run: "
              + " ".join(f"{r:.0f}" for r in full.rss))
    if args.thousand:
        thousand_batch(flagship, args.workers)
    mem = None
    if args.memory:
        mem = measure(reduced(flagship, flagship.table.replications, n_residents=200), "process", args.workers)
        print(f"memory check: {mem.runs} runs (N = 200, 520 weeks), parent RSS after each run (MB): " + " ".join(f"{r:.0f}" for r in mem.rss))
    text = table(measures) if measures else ""
    print(text)
    if args.write:
        v = versions()
        lines = [
            "# Batch performance (measured)",
            "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with:",
            "",
            "```",
            f"python benchmarks/bench_batch.py --replications {args.replications} --backends {args.backends} --workers {args.workers}"
            + (" --full" if args.full else "") + (" --memory" if args.memory else "") + f" --write {args.write}",
            "```",
            "",
            "Machine: " + "; ".join(f"{k}: {val}" for k, val in facts.items()) + ".",
            f"Versions: buurtsim {v['buurtsim']}, mesa {v['mesa']}, numpy {v['numpy']}, dask {v['dask']}, pyarrow {v['pyarrow']}.",
            "",
            f"Reduced flagship: `experiments/carrousel_vs_presentie.toml` with {args.replications} replications "
            f"({len(small.scenarios) * args.replications} runs of N = 2,000 for 520 weeks).",
            "",
            text,
        ]
        if full is not None:
            lines += ["", f"Full flagship (60 runs), process backend x{full.workers}: **{full.wall_s:.0f} s** "
                      f"({full.per_minute:.1f} runs/min; target 180 s {'met' if full.wall_s <= TARGET_S else 'not met'}; "
                      f"{sum(full.cpu_s):.0f} CPU s in the runs, i.e. {sum(full.cpu_s) / full.workers:.0f} s on {full.workers} idle cores); "
                      f"load {full.load_before} -> {full.load_after}. Parent RSS after each run (MB): "
                      + ", ".join(f"{r:.0f}" for r in full.rss) + "."]
        if mem is not None:
            half = len(mem.rss) // 2
            lines += ["", f"Memory as runs accumulate: all {mem.runs} flagship runs at N = 200 (the same 520 weeks and result size per run; "
                      f"final residents stored), process backend x{mem.workers}, {mem.wall_s:.0f} s. Parent RSS after each run (MB): "
                      + ", ".join(f"{r:.0f}" for r in mem.rss) + f". Mean of the first half {sum(mem.rss[:half]) / half:.0f} MB, "
                      f"of the second half {sum(mem.rss[half:]) / (len(mem.rss) - half):.0f} MB."]
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"written: {args.write}")


if __name__ == "__main__":
    main()
