"""Socio-economic position over a life: work found or lost moves a resident between income classes.

Residents whose position improves leave deprived neighbourhoods more often, so the neighbourhood
works as a springboard and its averages understate what it does for people (Permentier, Van Ham &
Bolt 2009; CBS). Income here follows the work domain; migration (`migration.py`) reads the result.
"""

from __future__ import annotations

import numpy as np

from buurtsim.params import INCOME_CLASSES, Params
from buurtsim.state import ResidentState

TOP = len(INCOME_CLASSES) - 1
WORK = 0  # the work/income domain


def change_position(st: ResidentState, p: Params, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Secure work lifts a resident one income class, a work problem drops one; returns (risen, fallen) slots."""
    work = st.domains[:, WORK]
    u = rng.random(st.size)
    up = st.alive & (st.income < TOP) & (work >= p.income_up_work) & (u < p.income_up_rate)
    down = st.alive & (st.income > 0) & (work < p.problem_threshold) & (u < p.income_down_rate)
    risen, fallen = np.flatnonzero(up), np.flatnonzero(down)
    st.income[risen] += 1
    st.income[fallen] -= 1
    return risen, fallen


def risen_since_arrival(st: ResidentState) -> np.ndarray:
    """Residents whose income class is above the one they had when they arrived."""
    return st.income > st.income_start
