"""Shared building blocks for policies: meetings that make weak ties, and asking residents."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import Field

from buurtsim.policies.base import PolicyConfig

if TYPE_CHECKING:
    import numpy as np

    from buurtsim.model import NeighbourhoodModel


class GatheringConfig(PolicyConfig):
    """Fields of a policy that holds gatherings (`meeting`): who comes and how strong the ties are."""

    meeting_tie_strength: float = Field(0.2, ge=0.01, le=1, description=(
        "Strength of an acquaintance tie made at an activity. "
        "Source: assumption (model brief §5: cheap, quick ties that fade without follow-up; contact_prob for "
        "acquaintances is set so that such a tie breaks within about two years, odd.md §3.8)."))
    attend_rung_base: float = Field(1.0, gt=0, le=100, description=(
        "Offset added to the ladder rung (0-6) in who comes to an activity, weight (offset + rung) x "
        "(capacity offset + capacity): at 1 a resident on rung 6 comes 7 times as readily as one on rung 0 "
        "(at equal capacity); larger values level this out. Source: assumption."))
    attend_capacity_base: float = Field(0.2, gt=0, le=100, description=(
        "Offset added to capacity (0-1) in who comes to an activity: at 0.2 a resident with full capacity comes "
        "6 times as readily as one with none (at equal rung). Source: assumption."))


def meeting(model: NeighbourhoodModel, rng: np.random.Generator, participants: int, ties: int,
            eligible: np.ndarray | None, how: GatheringConfig) -> np.ndarray:
    """A gathering (the barbecue): residents who come meet a few others; weak acquaintance ties.

    Who comes is weighted by (how.attend_rung_base + rung) x (how.attend_capacity_base + capacity):
    the already active come first. Ties are made at `how.meeting_tie_strength`. Returns the slots of
    those who came.
    """
    import numpy as np
    st = model.state
    pool = st.alive if eligible is None else (st.alive & eligible)
    cand = np.flatnonzero(pool)
    if cand.size < 2 or participants < 2:
        return np.empty(0, np.int64)
    w = (how.attend_rung_base + st.participation[cand]) * (how.attend_capacity_base + st.capacity[cand])
    k = min(participants, cand.size)
    came = rng.choice(cand, size=k, replace=False, p=w / w.sum())
    st.reached[came] = True
    a = came[rng.integers(0, k, ties)]
    b = came[rng.integers(0, k, ties)]
    model.ties.add(a, b, how.meeting_tie_strength, 3, model.tick)
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
