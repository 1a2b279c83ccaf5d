"""Where a week's time goes: milliseconds per week spent in each process, for docs/performance.md.

Wraps the process functions the model calls (and the model's own migration and metrics steps) with
timers, runs one model, and prints the mean time per week of each, largest first. The timers add
a little overhead of their own; use the shares, not the sum, and compare runs made side by side.

Usage: python benchmarks/profile_week.py [--n 10000] [--weeks 400] [--seed 1] [--no-gc]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import buurtsim.model as model_mod  # noqa: E402
from buurtsim.network import TieStore  # noqa: E402
from buurtsim.processes import initiatives  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
PROCESSES = ("life_events", "informal_support", "professional_work", "change_position", "residents_ask",
             "climb_ladder", "end_ties", "contact_and_decay", "form_ties", "perceptions")


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` with its wall time added to SPENT[name]."""
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - t0
    return wrapper


def instrument() -> None:
    """Put timers on the processes as the model module sees them, and on a few model steps."""
    for name in PROCESSES:
        setattr(model_mod, name, timed(name, getattr(model_mod, name)))
    for name in ("found", "sustain"):
        setattr(initiatives, name, timed(f"initiatives.{name}", getattr(initiatives, name)))
    cls = model_mod.NeighbourhoodModel
    for name in ("_migrate", "_collect", "_refresh_clustering"):
        setattr(cls, name, timed(name.lstrip("_"), getattr(cls, name)))
    for name in ("maybe_rebuild", "strength_sum", "degree"):
        setattr(TieStore, name, timed(f"ties.{name}", getattr(TieStore, name)))


def main() -> None:
    """Run one model with timers and print milliseconds per week per section."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="residents")
    ap.add_argument("--weeks", type=int, default=400, help="weeks timed (after set-up and burn-in)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-gc", action="store_true",
                    help="collect garbage once after set-up and pause the collector while timing (a full "
                         "collection over the set-up's objects costs ~0.1 s and lands in some windows only)")
    args = ap.parse_args()
    instrument()
    model = model_mod.NeighbourhoodModel(args.n, seed=args.seed)
    if args.no_gc:
        gc.collect()
        gc.disable()
    SPENT.clear()
    t0 = time.perf_counter()
    model.run(args.weeks)
    total = time.perf_counter() - t0
    print(f"N = {args.n:,}: {total / args.weeks * 1000:.2f} ms per week over {args.weeks} weeks")
    for name, spent in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"  {name:28s} {spent / args.weeks * 1000:6.3f} ms  ({spent / total:4.0%})")


if __name__ == "__main__":
    main()
