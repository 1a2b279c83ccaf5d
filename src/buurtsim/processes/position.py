"""Socio-economic position over a life: work found or lost moves a resident between income classes.

Residents whose position improves leave deprived neighbourhoods more often, so the neighbourhood
works as a springboard and its averages understate what it does for people (Permentier, Van Ham &
Bolt 2009; CBS). Income here follows the work domain; migration (`migration.py`) reads the result.
"""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel
from buurtsim.params import INCOME_CLASSES, Params
from buurtsim.state import ResidentState

TOP = len(INCOME_CLASSES) - 1
WORK = 0  # the work/income domain


def change_position(st: ResidentState, p: Params, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Secure work lifts a resident one income class, a work problem drops one; returns (risen, fallen) slots."""
    return _change(st.alive, st.income, st.domains, rng.random(st.size), p.income_up_work, p.income_up_rate,
                   p.problem_threshold, p.income_down_rate)


@kernel
def _change(alive: np.ndarray, income: np.ndarray, domains: np.ndarray, u: np.ndarray, up_work: float,
            up_rate: float, problem_at: float, down_rate: float) -> tuple[np.ndarray, np.ndarray]:
    """One uniform per resident: up a class with secure work, down with a work problem (both
    judged on the class before this week's change); returns the risen and fallen slots."""
    risen = np.empty(alive.size, np.int64)
    fallen = np.empty(alive.size, np.int64)
    n_up = n_down = 0
    # The weekly rates are small, so test the uniform first: the branch is then almost never taken
    # and well predicted (the work conditions are not), and most residents cost only this test.
    u_max = max(up_rate, down_rate)
    for i in range(alive.size):
        if alive[i] and u[i] < u_max:
            work = domains[i, WORK]
            if income[i] < TOP and work >= up_work and u[i] < up_rate:
                risen[n_up] = i
                n_up += 1
            if income[i] > 0 and work < problem_at and u[i] < down_rate:
                fallen[n_down] = i
                n_down += 1
    for k in range(n_up):
        income[risen[k]] += 1
    for k in range(n_down):
        income[fallen[k]] -= 1
    return risen[:n_up].copy(), fallen[:n_down].copy()


def risen_since_arrival(st: ResidentState) -> np.ndarray:
    """Residents whose income class is above the one they had when they arrived."""
    return st.income > st.income_start
