"""Shared building blocks for policies: meetings that make weak ties, and asking residents."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from buurtsim.model import NeighbourhoodModel


def meeting(model: NeighbourhoodModel, rng: np.random.Generator, participants: int, ties: int,
            eligible: np.ndarray | None = None, strength: float = 0.2) -> np.ndarray:
    """A gathering (the barbecue): residents who come meet a few others; weak acquaintance ties.

    Who comes is weighted by participation and capacity: the already active come first.
    Returns the slots of those who came.
    """
    import numpy as np
    st = model.state
    pool = st.alive if eligible is None else (st.alive & eligible)
    cand = np.flatnonzero(pool)
    if cand.size < 2 or participants < 2:
        return np.empty(0, np.int64)
    w = (1.0 + st.participation[cand]) * (0.2 + st.capacity[cand])
    k = min(participants, cand.size)
    came = rng.choice(cand, size=k, replace=False, p=w / w.sum())
    st.reached[came] = True
    a = came[rng.integers(0, k, ties)]
    b = came[rng.integers(0, k, ties)]
    model.ties.add(a, b, strength, 3, model.tick)
    return came


def ask(model: NeighbourhoodModel, rng: np.random.Generator, n: int, weights: np.ndarray) -> np.ndarray:
    """Ask `n` residents to take part, drawn by the given weights over slots; returns who was asked."""
    import numpy as np
    st = model.state
    w = np.where(st.alive, weights, 0.0)
    cand = np.flatnonzero(w > 0)
    if cand.size == 0 or n <= 0:
        return np.empty(0, np.int64)
    k = min(n, cand.size)
    chosen = rng.choice(cand, size=k, replace=False, p=w[cand] / w[cand].sum())
    st.asked[chosen] = True
    st.reached[chosen] = True
    return chosen


def support_initiatives(model: NeighbourhoodModel, max_count: int | None = None) -> None:
    """Back running initiatives this week (halves their chance to stop)."""
    import numpy as np
    alive = np.flatnonzero(np.asarray(model.initiatives.alive, bool))
    if max_count is not None:
        alive = alive[:max_count]
    model.initiatives.supported[alive] = True
