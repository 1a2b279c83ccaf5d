"""Selective out-migration and newcomers (brief §4.7; C11; Oelkers (LSA); Permentier, Van Ham & Bolt).

Households move together: the household's first live member (its head) decides, with a hazard
that rises with income, with a rise in income since arrival (the springboard), and with little
attachment or safety; every live member of a moving household leaves.
"""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel, unsigned
from buurtsim.params import Params
from buurtsim.state import ResidentState


def movers(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Slots whose residents move out this week: whole households of heads with means, a recent
    rise, little attachment and fear."""
    pull = p.attachment_move_effect * (0.5 - st.attachment) + p.safety_move_effect * (0.5 - st.safety)
    push = np.exp(pull)
    push[st.income > st.income_start] *= p.riser_move_multiplier
    n_households = int(st.household.max()) + 1 if st.size else 0
    return _movers(st.alive, unsigned(st.income), unsigned(st.household), n_households,
                   np.asarray(p.income_mobility, float), p.move_rate, push, rng.random(st.size))


@kernel
def _movers(alive: np.ndarray, income: np.ndarray, household: np.ndarray, n_households: int,
            mobility: np.ndarray, move_rate: float, push: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Live slots of households whose head's uniform falls below move_rate * mobility * push."""
    decided = np.zeros(n_households, np.bool_)
    moving = np.zeros(n_households, np.bool_)
    for i in range(alive.size):
        h = household[i]
        if alive[i] and not decided[h]:  # the first live member of the household is its head
            decided[h] = True
            moving[h] = u[i] < move_rate * mobility[income[i]] * push[i]
    out = np.empty(alive.size, np.int64)
    k = 0
    for i in range(alive.size):
        if alive[i] and moving[household[i]]:
            out[k] = i
            k += 1
    return out[:k]
