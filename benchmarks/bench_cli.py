"""Start-up time of the command line, for docs/performance.md (issue: instant light commands).

For each command, in fresh interpreters, alternating commands so that machine load hits all alike:
- import time: the total of `python -X importtime` (every module's own time, summed), in ms;
- wall time: the whole command as a user runs it (the `buurtsim` console script), in ms;
- whether numba, pandas, mesa or the model got imported.
Prints medians over --repeats and, for reference, `python -c pass` and `import buurtsim.model`.

Usage: python benchmarks/bench_cli.py [--repeats 9] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("numba", "pandas", "mesa", "buurtsim.model")
COMMANDS: dict[str, list[str]] = {
    "--help": ["--help"],
    "--version": ["--version"],
    "list": ["list"],
    "schema": ["schema"],
    "validate (one file)": ["validate", "scenarios/projectencarrousel.toml"],
}
CLI = "import sys; from buurtsim.cli import main; sys.argv[0] = 'buurtsim'; main()"
REFERENCE = {"python -c pass": "pass", "import buurtsim.model": "import buurtsim.model"}


def import_ms(code: str, args: list[str]) -> tuple[float, list[str]]:
    """Total import time (ms) of running `code` with `args`, and the heavy modules it loaded."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code, *args], capture_output=True, text=True, cwd=REPO)
    total_us = 0
    loaded = set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, _cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        total_us += int(self_us)
        loaded.add(name)
    return total_us / 1000, [m for m in HEAVY if m in loaded]


def wall_ms(argv: list[str]) -> float:
    """Wall time (ms) of one run of a command line, output discarded."""
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO, check=False)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("buurtsim")
    script = [str(exe)] if exe.exists() else [sys.executable, "-c", CLI]
    samples: dict[str, dict[str, list[float]]] = {k: {"import": [], "wall": []} for k in [*COMMANDS, *REFERENCE]}
    heavy: dict[str, list[str]] = {}
    for _ in range(args.repeats):
        for name, cmd in COMMANDS.items():
            ms, heavy[name] = import_ms(CLI, cmd)
            samples[name]["import"].append(ms)
            samples[name]["wall"].append(wall_ms([*script, *cmd]))
        for name, code in REFERENCE.items():
            ms, heavy[name] = import_ms(code, [])
            samples[name]["import"].append(ms)
            samples[name]["wall"].append(wall_ms([sys.executable, "-c", code]))
    load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
    print(f"python {platform.python_version()}, {args.repeats} repeats, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    print(f"{'command':24} {'import ms (median)':>19} {'wall ms (median)':>17}  heavy modules loaded")
    result = {}
    for name, s in samples.items():
        imp, wall = statistics.median(s["import"]), statistics.median(s["wall"])
        result[name] = {"import_ms": imp, "wall_ms": wall, "import_runs": s["import"], "wall_runs": s["wall"], "heavy": heavy[name]}
        print(f"{name:24} {imp:19.0f} {wall:17.0f}  {', '.join(heavy[name]) or '-'}")
    if args.json:
        args.json.write_text(json.dumps({"load": load, "repeats": args.repeats, "results": result}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
