"""What `model.datacollector` costs per week, for docs/performance.md.

Steps one model at N residents, alternating blocks of weeks with the real `MetricsDataCollector`
and with a collector that does nothing, so that machine load hits both alike; prints the median
time per week of each and the time of one `collect` call.

Usage: python benchmarks/bench_mesa_interop.py [--n 10000] [--blocks 9] [--weeks 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

from buurtsim import NeighbourhoodModel
from buurtsim.mesa_interop import MetricsDataCollector


class NoCollector(MetricsDataCollector):
    """Collects nothing: the week without the Mesa adapter."""

    def collect(self, model: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--blocks", type=int, default=9)
    parser.add_argument("--weeks", type=int, default=10)
    args = parser.parse_args()
    model = NeighbourhoodModel(n_residents=args.n, seed=1)
    real, none = model.datacollector, NoCollector(())
    model.run(3)  # warm up (compiled loops)
    per_week: dict[str, list[float]] = {"with datacollector": [], "without": []}
    for _ in range(args.blocks):
        for name, collector in (("with datacollector", real), ("without", none)):
            model.datacollector = collector
            start = time.perf_counter()
            model.run(args.weeks)
            per_week[name].append((time.perf_counter() - start) / args.weeks * 1000)
    model.datacollector = real
    calls = []
    for _ in range(2000):
        start = time.perf_counter()
        real.collect(model)
        calls.append((time.perf_counter() - start) * 1e6)
    print(f"N = {args.n}, {args.blocks} blocks of {args.weeks} weeks, load average {os.getloadavg()[0]:.1f}")
    for name, values in per_week.items():
        print(f"{name:20} {statistics.median(values):8.2f} ms per week (median of {len(values)} blocks)")
    print(f"one collect() call   {statistics.median(calls):8.1f} µs (median of {len(calls)})")


if __name__ == "__main__":
    main()
