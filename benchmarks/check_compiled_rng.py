"""Can random draws move into compiled kernels without changing a single number? (issue 16)

The week's remaining Python between compiled kernels is mostly numpy's random draws and the arrays
they fill (see docs/performance.md, "Why issue 16 is marked blocked"). A week fused into compiled passes
would have to draw inside them. This script checks, for every kind of draw the weekly processes
make with a numpy `Generator`, that numba's support for Generator objects gives the same numbers
one at a time inside a kernel as numpy's vectorised call does, and leaves the generator in the same
state: so that route can keep bit-identity. `Generator.choice` has no compiled counterpart in
numba and is listed as such (it would have to be written out by hand and checked the same way).

Usage: python benchmarks/check_compiled_rng.py [--n 100000] [--seeds 5]
Exits 1 if any draw differs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import numba
import numpy as np


@numba.njit(cache=False)
def _uniform64(g: np.random.Generator, n: int) -> np.ndarray:
    out = np.empty(n)
    for i in range(n):
        out[i] = g.random()
    return out


@numba.njit(cache=False)
def _uniform32(g: np.random.Generator, n: int) -> np.ndarray:
    out = np.empty(n, np.float32)
    for i in range(n):
        out[i] = g.random(dtype=np.float32)
    return out


@numba.njit(cache=False)
def _exponential(g: np.random.Generator, scale: float, n: int) -> np.ndarray:
    out = np.empty(n)
    for i in range(n):
        out[i] = g.exponential(scale)
    return out


@numba.njit(cache=False)
def _poisson(g: np.random.Generator, lam: float) -> int:
    return g.poisson(lam)


@numba.njit(cache=False)
def _binomial(g: np.random.Generator, n: int, p: float) -> int:
    return g.binomial(n, p)


@numba.njit(cache=False)
def _integers(g: np.random.Generator, high: int, n: int) -> np.ndarray:
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = g.integers(0, high)
    return out


@numba.njit(cache=False)
def _normal(g: np.random.Generator, sd: float, n: int) -> np.ndarray:
    out = np.empty(n)
    for i in range(n):
        out[i] = g.normal(0.0, sd)
    return out


def cases(n: int) -> list[tuple[str, Callable[[np.random.Generator], object], Callable[[np.random.Generator], object]]]:
    """(what, numpy's vectorised draw, the same draws one at a time in a kernel)."""
    return [
        ("random(n), float64 (contact, tie endings, income changes)", lambda g: g.random(n), lambda g: _uniform64(g, n)),
        ("random(n, float32) (domain noise)", lambda g: g.random(n, dtype=np.float32), lambda g: _uniform32(g, n)),
        ("exponential(scale, n) (shock sizes)", lambda g: g.exponential(0.15, n), lambda g: _exponential(g, 0.15, n)),
        ("poisson(total) (number of life events)", lambda g: int(g.poisson(n * 0.004)), lambda g: int(_poisson(g, n * 0.004))),
        ("binomial(n, p) (number of tie endings)", lambda g: int(g.binomial(n, 0.002)), lambda g: int(_binomial(g, n, 0.002))),
        ("integers(0, k, n) (who meets whom)", lambda g: g.integers(0, 1999, n), lambda g: _integers(g, 1999, n)),
        ("normal(0, sd, n) (newcomers)", lambda g: g.normal(0.0, 0.1, n), lambda g: _normal(g, 0.1, n)),
    ]


def main() -> int:
    """Compare every case over several seeds; print a table and return 1 if anything differs."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="draws per case")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per case")
    args = ap.parse_args()
    print(f"numpy {np.__version__}, numba {numba.__version__}; {args.n:,} draws per case, {args.seeds} seeds")
    bad = 0
    for what, vectorised, compiled in cases(args.n):
        same = True
        for seed in range(args.seeds):
            a, b = np.random.default_rng(seed), np.random.default_rng(seed)
            x, y = vectorised(a), compiled(b)
            # a draw after the case shows the stream continues from the same position
            same &= bool(np.array_equal(np.asarray(x), np.asarray(y))) and a.random() == b.random()
            same &= a.bit_generator.state == b.bit_generator.state
        bad += not same
        print(f"  {'identical' if same else 'DIFFERENT':9s}  {what}")
    print("  (no kernel) Generator.choice (who ends a tie, who is recruited): numba has no compiled "
          "counterpart; it would have to be written out and checked like the cases above")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
