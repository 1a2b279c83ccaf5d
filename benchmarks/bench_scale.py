"""Cost per resident-week from N = 10,000 to N = 1,000,000, and the memory of the largest run.

Issue 16, point 2: a run of N = 1,000,000 residents over 520 weeks must complete within 8 GB,
and the cost per resident-week should stay flat from 10 k to 1 M. Each size runs in a fresh
process (so peak memory is that run's own): a cold start (set-up and the twenty-year burn-in,
no warm-start cache), then 520 weekly ticks. Reported per size: set-up time, run time, the run's
cost per resident-week (run time / (520 x N)), in wall-clock and in processor time (the latter is
not inflated by waiting for a core on a shared machine), and peak resident memory (ru_maxrss).

Writes a Markdown table to stdout, the raw numbers to --json and a plot of the cost per
resident-week against N to --plot (docs/img/scale.png in the docs).

Usage: python benchmarks/bench_scale.py [--sizes 10000,30000,100000,300000,1000000]
                                         [--weeks 520] [--burn-in-weeks W] [--json out.json]
                                         [--plot docs/img/scale.png]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

GB = 1024.0  # MiB per GiB
MEMORY_LIMIT_GIB = 8.0

_CHILD = """
import json, resource, time
from buurtsim import NeighbourhoodModel
t0 = time.perf_counter()
m = NeighbourhoodModel({n}, seed={seed}, warm_start=False{burn})
t1, c1 = time.perf_counter(), time.process_time()
m.run({weeks})
t2, c2 = time.perf_counter(), time.process_time()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"n": {n}, "weeks": {weeks}, "setup_s": t1 - t0, "run_s": t2 - t1, "run_cpu_s": c2 - c1, "peak_mib": rss,
                  "population_end": int(m.state.alive.sum()), "ties_end": int(m.ties.alive[:m.ties.n].sum()),
                  "burn_in_weeks": m.params.burn_in_weeks}}))
"""


def run_size(n: int, weeks: int, seed: int, burn_in: int | None = None) -> dict[str, float]:
    """One cold run of n residents over `weeks` in a fresh process: times, memory, size at the end."""
    burn = "" if burn_in is None else f", burn_in_weeks={burn_in}"
    out = subprocess.run([sys.executable, "-c", _CHILD.format(n=n, weeks=weeks, seed=seed, burn=burn)],
                         capture_output=True, text=True, check=True)
    row = json.loads(out.stdout.strip().splitlines()[-1])
    row["us_per_resident_week"] = row["run_s"] / (weeks * n) * 1e6
    row["cpu_us_per_resident_week"] = row["run_cpu_s"] / (weeks * n) * 1e6
    return row


def plot(rows: list[dict[str, float]], path: Path) -> None:
    """Processor time per resident-week against N (log x), the smallest size's as a reference line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ns = [r["n"] for r in rows]
    cost = [r["cpu_us_per_resident_week"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.4, 3.6), dpi=100)
    first = rows[0]
    ax.plot(ns, cost, "o-", color="#1f5f8b",
            label=f"buurtsim, {first['weeks']} weeks after a {first['burn_in_weeks']}-week burn-in")
    ax.axhline(cost[0], color="#999999", lw=0.8, ls="--", label=f"cost at N = {ns[0]:,}")
    ax.set_xscale("log")
    ax.set_ylim(0, max(cost) * 1.3)
    ax.set_xlabel("residents (N)")
    ax.set_ylabel("processor µs per resident-week")
    ax.set_title("Cost per resident-week by neighbourhood size (one core)")
    for n, c, r in zip(ns, cost, rows, strict=True):
        ax.annotate(f"{r['peak_mib'] / GB:.1f} GB", (n, c), textcoords="offset points", xytext=(0, 8),
                    ha="center", fontsize=8)
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def main() -> None:
    """Run every size, print the table, write the JSON and the plot."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,30000,100000,300000,1000000", help="comma-separated N")
    ap.add_argument("--weeks", type=int, default=520)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--burn-in-weeks", type=int, default=None,
                    help="a shorter burn-in for every size (default: the model's twenty years); the cost per "
                         "resident-week is then measured on a less settled network, the same for all sizes")
    ap.add_argument("--json", type=Path, default=None, help="write the raw numbers here")
    ap.add_argument("--plot", type=Path, default=None, help="write the plot here (PNG)")
    ap.add_argument("--replot", type=Path, default=None, metavar="JSON",
                    help="only draw --plot from the numbers an earlier run wrote with --json")
    args = ap.parse_args()
    if args.replot:
        plot(json.loads(args.replot.read_text(encoding="utf-8")), args.plot or Path("scale.png"))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    for n in sizes:
        row = run_size(n, args.weeks, args.seed, args.burn_in_weeks)
        rows.append(row)
        print(f"N = {n:,}: set-up {row['setup_s']:.1f} s, {args.weeks} weeks {row['run_s']:.1f} s, "
              f"{row['us_per_resident_week']:.3f} µs per resident-week "
              f"({row['cpu_us_per_resident_week']:.3f} in processor time), peak {row['peak_mib']:,.0f} MiB, "
              f"{row['ties_end'] / max(row['population_end'], 1):.2f} ties per resident at the end",
              flush=True)
    base = rows[0]["cpu_us_per_resident_week"]
    print(f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          "one core per run, each size in a fresh process.\n")
    print(f"| N | set-up and burn-in, s | {args.weeks} weeks, s | µs per resident-week | processor µs per resident-week "
          "| processor time relative to the smallest | peak memory |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']:,} | {r['setup_s']:.1f} | {r['run_s']:.1f} | {r['us_per_resident_week']:.3f} | "
              f"{r['cpu_us_per_resident_week']:.3f} | {r['cpu_us_per_resident_week'] / base:.2f} | {r['peak_mib'] / GB:.2f} GiB |")
    largest = rows[-1]
    verdict = "met" if largest["peak_mib"] / GB <= MEMORY_LIMIT_GIB else "NOT met"
    print(f"\nN = {largest['n']:,} x {args.weeks} weeks: peak {largest['peak_mib'] / GB:.2f} GiB "
          f"(target <= {MEMORY_LIMIT_GIB:.0f} GiB: {verdict}), "
          f"{largest['setup_s'] + largest['run_s']:.0f} s in all.")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    if args.plot:
        plot(rows, args.plot)


if __name__ == "__main__":
    main()
