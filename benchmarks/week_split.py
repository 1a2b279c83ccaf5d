"""How much of a week a fused, compiled week could save at most: compiled kernels, random draws, the rest.

Issue 16 asks for a week about three times cheaper while every number stays the same. Steps that
keep every number can remove the Python between compiled kernels (numpy's small operations,
allocations, Mesa's agent bookkeeping, the calls themselves) but not the work inside the kernels or
the random draws. This script measures that split: it times a week plainly (processor time, the
collector paused), then wraps every compiled kernel and every call on the model's random streams
with a timer and times the same model again. "The rest" is the plain week minus the kernels and the
draws; the timers' own cost does not enter it. The largest possible gain of a week without any
Python between the kernels is then plain / (kernels + draws).

Usage: python benchmarks/week_split.py [--n 2000 10000] [--weeks 300] [--rounds 5]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("BUURTSIM_WARM_CACHE", "off")

import argparse  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import pkgutil  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numba  # noqa: E402
import numpy as np  # noqa: E402

import buurtsim  # noqa: E402
from buurtsim import rng as rng_mod  # noqa: E402
from buurtsim.model import NeighbourhoodModel  # noqa: E402

SPENT: Counter[str] = Counter()
SKIP = ("buurtsim.dashboard", "buurtsim.cli", "buurtsim.classroom")


def _timed(kind: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with its processor time added to SPENT[kind]."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[kind] += time.process_time() - t0
    return wrapper


class _TimedGenerator:
    """A numpy Generator whose method calls are timed as draws."""

    def __init__(self, gen: np.random.Generator) -> None:
        self._gen = gen

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._gen, name)
        return _timed("draws", attr) if callable(attr) else attr


def instrument() -> None:
    """Time every compiled kernel as the model's modules see them, and every stream's draws."""
    wrapped: dict[int, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(buurtsim.__path__, "buurtsim."):
        if info.name.startswith(SKIP):
            continue
        mod = importlib.import_module(info.name)
        for name, value in list(vars(mod).items()):
            if isinstance(value, numba.core.registry.CPUDispatcher):
                setattr(mod, name, wrapped.setdefault(id(value), _timed("kernels", value)))
    plain = rng_mod.Streams.__getitem__

    def timed_stream(self: rng_mod.Streams, name: str) -> Any:
        gen = plain(self, name)
        return gen if name == "mesa" else _TimedGenerator(gen)  # Mesa's own generator is used once, at set-up
    rng_mod.Streams.__getitem__ = timed_stream  # type: ignore[method-assign]


def week_ms(model: NeighbourhoodModel, weeks: int) -> float:
    """Processor milliseconds per week over `weeks` weeks, the collector paused."""
    gc.collect()
    gc.disable()
    try:
        t0 = time.process_time()
        model.run(weeks)
        return (time.process_time() - t0) / weeks * 1000
    finally:
        gc.enable()


def main() -> None:
    """Measure the plain week, then the split, for each N; print medians over rounds."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[2000, 10_000], help="residents")
    ap.add_argument("--weeks", type=int, default=300, help="weeks per round")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    plain = {n: NeighbourhoodModel(n, seed=1, burn_in_weeks=104) for n in args.n}
    plain_ms = {n: statistics.median(week_ms(m, args.weeks) for _ in range(args.rounds)) for n, m in plain.items()}
    instrument()
    print(f"load average {os.getloadavg()[0]:.1f}; processor time, median of {args.rounds} rounds of {args.weeks} weeks")
    for n in args.n:
        model = NeighbourhoodModel(n, seed=1, burn_in_weeks=104)
        rows = []
        for _ in range(args.rounds):
            SPENT.clear()
            week_ms(model, args.weeks)
            rows.append((SPENT["kernels"] / args.weeks * 1000, SPENT["draws"] / args.weeks * 1000))
        kernels = statistics.median(r[0] for r in rows)
        draws = statistics.median(r[1] for r in rows)
        week = plain_ms[n]
        rest = week - kernels - draws
        print(f"N = {n:,}: week {week:.3f} ms; compiled kernels {kernels:.3f} ({kernels / week:.0%}), "
              f"random draws {draws:.3f} ({draws / week:.0%}), the rest {rest:.3f} ({rest / week:.0%}); "
              f"a week with no Python between the kernels: at most {week / (kernels + draws):.1f} x as fast")


if __name__ == "__main__":
    main()
