"""Start-up time of the command line, for docs/performance.md (the light commands start at once).

For each command, in fresh interpreters, alternating commands so that machine load hits all alike:
- import time: the total of `python -X importtime` (every module's own time, summed), in ms;
- wall time of the whole command, output discarded, in ms;
- CPU time (user + system) of that same run, in ms: on a shared, busy machine wall times grow
  with the load, CPU time less, so it is closer to what the command costs on an idle core;
- whether numpy, numba, pandas, mesa or the model got imported.
Prints medians over --repeats and, for reference, `python -c pass` and `import buurtsim.model`.

With `--baseline-src DIR` (the src/ folder of another version, e.g. an unpacked `git archive`),
the same commands also run with that version first on the path, interleaved with this one.

Usage: python benchmarks/bench_cli.py [--repeats 9] [--baseline-src DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("numpy", "numba", "pandas", "mesa", "buurtsim.model")
COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "list": ["list"],
    "schema": ["schema"],
    "validate (one file)": ["validate", "scenarios/projectencarrousel.toml"],
}
CLI = "import sys; from buurtsim.cli import main; sys.argv[0] = 'buurtsim'; main()"
REFERENCE = {"python -c pass": "pass", "import buurtsim.model": "import buurtsim.model"}


def _env(src: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def measure(code: str, args: list[str], src: Path | None) -> dict[str, float | list[str]]:
    """One run with -X importtime (import total, heavy modules) and one plain run (wall, CPU)."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args], capture_output=True, text=True,
                          cwd=REPO, env=_env(src))
    total_us = 0
    loaded = set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        total_us += int(self_us)
        loaded.add(name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=REPO, env=_env(src), check=False)
    wall = (time.perf_counter() - start) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return {"import": total_us / 1000, "wall": wall, "cpu": cpu, "heavy": [m for m in HEAVY if m in loaded]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--baseline-src", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    versions: dict[str, Path | None] = {"this": None}
    if args.baseline_src is not None:
        versions["baseline"] = args.baseline_src.resolve()
    cases = [(f"{name} [{v}]" if len(versions) > 1 else name, CLI, cmd, src)
             for name, cmd in COMMANDS.items() for v, src in versions.items()]
    cases += [(name, code, [], None) for name, code in REFERENCE.items()]
    samples: dict[str, dict[str, list[float]]] = {c[0]: {"import": [], "wall": [], "cpu": []} for c in cases}
    heavy: dict[str, list[str]] = {}
    for _ in range(args.repeats):
        for label, code, cmd, src in cases:
            m = measure(code, cmd, src)
            for key in ("import", "wall", "cpu"):
                samples[label][key].append(float(m[key]))  # type: ignore[arg-type]
            heavy[label] = m["heavy"]  # type: ignore[assignment]
    load = os.getloadavg()
    print(f"python {platform.python_version()}, {args.repeats} repeats, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'command':34} {'import ms':>10} {'wall ms':>8} {'CPU ms':>7}  heavy modules loaded (medians)")
    result = {}
    for label, s in samples.items():
        imp, wall, cpu = (statistics.median(s[k]) for k in ("import", "wall", "cpu"))
        result[label] = {"import_ms": imp, "wall_ms": wall, "cpu_ms": cpu, "runs": s, "heavy": heavy[label]}
        print(f"{label:34} {imp:10.0f} {wall:8.0f} {cpu:7.0f}  {', '.join(heavy[label]) or '-'}")
    if args.json:
        args.json.write_text(json.dumps({"load": load, "repeats": args.repeats, "results": result}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
