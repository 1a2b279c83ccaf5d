"""Compiled loops for the hot weekly arithmetic (numba), configured in one place.

A week's update is a chain of element-wise steps over every resident or tie. In numpy each step is
a separate pass with a temporary array; a compiled loop does the chain in one pass. The kernels
never draw random numbers: the draws stay with the model's numpy Generators, made in the same
order and amounts as before, so results do not depend on whether a step is compiled. Kernels use
only +, -, *, / and comparisons in numpy's order of operations (no fast-math), so they give the
same floating-point results as the numpy expressions they replace.

Compiled code is cached on disk next to the modules (`cache=True`); the first run in a fresh
checkout compiles it (a few seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numba
import numpy as np

F = TypeVar("F", bound=Callable[..., Any])


def kernel(fn: F) -> F:
    """Compile `fn` in nopython mode, cached on disk, without fast-math."""
    return numba.njit(cache=True, nogil=True, fastmath=False)(fn)  # type: ignore[return-value]  # a Dispatcher calls like fn


_UNSIGNED = {np.dtype(t): np.dtype(t.replace("i", "u")) for t in ("i1", "i2", "i4", "i8")}


def unsigned(x: np.ndarray) -> np.ndarray:
    """The same integer array viewed as unsigned, for use as indices inside kernels.

    Compiled code checks every signed index for Python-style negative wraparound; with unsigned
    indices it does not, which made the tie loops about twice as fast. Values must be >= 0.
    """
    return x.view(_UNSIGNED[x.dtype])
