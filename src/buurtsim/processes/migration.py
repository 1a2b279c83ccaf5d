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
    pull = np.empty(st.size)
    _pull(st.attachment, st.safety, p.attachment_move_effect, p.safety_move_effect, p.move_attachment_reference,
          p.move_safety_reference, pull)
    push = np.exp(pull, out=pull)  # numpy's exp, as before (a compiled exp may round differently)
    return _movers(st.alive, unsigned(st.income), unsigned(st.income_start), unsigned(st.household),
                   np.asarray(p.income_mobility, float), p.move_rate, push, p.riser_move_multiplier,
                   rng.random(st.size))


@kernel
def _pull(attachment: np.ndarray, safety: np.ndarray, attachment_effect: float, safety_effect: float,
          attachment_reference: float, safety_reference: float, out: np.ndarray) -> None:
    """The exponent of the push to move: attachment and safety below their reference levels raise it."""
    for i in range(out.size):
        out[i] = attachment_effect * (attachment_reference - attachment[i]) + safety_effect * (safety_reference - safety[i])


@kernel
def _movers(alive: np.ndarray, income: np.ndarray, income_start: np.ndarray, household: np.ndarray,
            mobility: np.ndarray, move_rate: float, push: np.ndarray, riser_multiplier: float,
            u: np.ndarray) -> np.ndarray:
    """Live slots of households whose head's uniform falls below move_rate * mobility * push, the
    push raised by riser_multiplier for a head whose income class rose since arrival.

    The head is the household's first live member. Each member looks up its head and evaluates the
    head's decision itself: marking heads as decided while walking the slots needed a test on every
    member whose outcome the processor could not predict (55 -> 31 us a week at N = 10,000).
    """
    n_households = 0  # household ids are 0 .. max (found here: numpy's max() is a call of its own)
    for i in range(household.size):
        n_households = max(n_households, int(household[i]) + 1)
    head = np.empty(n_households, np.int64)  # only entries of households with a live member are read
    for i in range(alive.size - 1, -1, -1):  # backwards: the first live member is written last
        if alive[i]:
            head[household[i]] = i
    out = np.empty(alive.size, np.int64)
    k = 0
    for i in range(alive.size):
        if alive[i]:
            j = head[household[i]]
            push_j = push[j] * riser_multiplier if income[j] > income_start[j] else push[j]
            if u[j] < move_rate * mobility[income[j]] * push_j:
                out[k] = i
                k += 1
    return out[:k]
