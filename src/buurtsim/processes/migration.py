"""Selective out-migration and newcomers (brief §4.7; C11; Oelkers (LSA))."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel, unsigned
from buurtsim.params import Params
from buurtsim.state import ResidentState


def movers(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Slots whose residents move out this week: those with means, little attachment and fear."""
    pull = p.attachment_move_effect * (0.5 - st.attachment) + p.safety_move_effect * (0.5 - st.safety)
    return _movers(st.alive, unsigned(st.income), np.asarray(p.income_mobility, float), p.move_rate,
                   np.exp(pull), rng.random(st.size))


@kernel
def _movers(alive: np.ndarray, income: np.ndarray, mobility: np.ndarray, move_rate: float,
            push: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Live slots whose uniform falls below move_rate * mobility of their income * push."""
    out = np.empty(alive.size, np.int64)
    k = 0
    for i in range(alive.size):
        if alive[i] and u[i] < move_rate * mobility[income[i]] * push[i]:
            out[k] = i
            k += 1
    return out[:k]
