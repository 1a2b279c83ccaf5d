"""Selective out-migration and newcomers (brief §4.7; C11; seed 002)."""

from __future__ import annotations

import numpy as np

from buurtsim.params import Params
from buurtsim.state import ResidentState


def movers(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Slots whose residents move out this week: those with means, little attachment and fear."""
    pull = p.attachment_move_effect * (0.5 - st.attachment) + p.safety_move_effect * (0.5 - st.safety)
    hazard = p.move_rate * np.asarray(p.income_mobility)[st.income] * np.exp(pull)
    return np.flatnonzero(st.alive & (rng.random(st.size) < hazard))
