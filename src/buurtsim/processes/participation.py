"""The participation ladder: being asked, peer thresholds, stepping up and down (brief §4.4;
Wijkengids 11.1: 'nobody asked me'; Granovetter 1978)."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel, unsigned
from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.state import ResidentState


def residents_ask(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator) -> None:
    """Active residents sometimes ask one of their ties to join."""
    active = _active_slots(st.alive, st.participation, p.active_level)
    askers = active[rng.random(active.size) < p.resident_ask_rate]
    nb = ties.random_neighbour(askers, rng)
    st.asked[nb[nb >= 0]] = True


@kernel
def _active_slots(alive: np.ndarray, participation: np.ndarray, level: int) -> np.ndarray:
    """Live residents at or above the rung `level`, ascending.

    Branch-free: every slot is written and the count moves on only for a match (a sixth of the
    residents, in no order a branch predictor could guess): half the time in a running model."""
    out = np.empty(alive.size, np.int64)
    k = 0
    for i in range(alive.size):
        out[k] = i
        k += alive[i] & (participation[i] >= level)
    return out[:k].copy()


def active_flags(st: ResidentState, p: Params) -> np.ndarray:
    """1.0 for residents at or above the active rung, else 0.0 (the peers the ladder counts)."""
    return _at_or_above(st.participation, p.active_level)


@kernel
def _at_or_above(rung: np.ndarray, level: int) -> np.ndarray:
    """1.0 where rung >= level, else 0.0 (one pass; numpy needs a mask and a conversion)."""
    out = np.empty(rung.size)
    for i in range(rung.size):
        out[i] = 1.0 if rung[i] >= level else 0.0
    return out


def climb_ladder(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator,
                 overburdened: np.ndarray) -> None:
    """Step up (more when asked or when enough ties take part) or down (when capacity is short)."""
    n_active, n_ties = ties.propagate(active_flags(st, p)), ties.weighted_degree()
    u = rng.random(st.size)
    _climb(st.participation, unsigned(st.style), st.capacity, st.asked, st.threshold, st.initiative, st.alive,
           overburdened, n_active, n_ties, u, np.asarray(p.participation_up, float), p.asked_multiplier,
           1.0 + p.peer_multiplier, p.participation_down, p.climb_capacity_base, p.climb_capacity_weight,
           p.drop_capacity_weight, p.initiative_drop_factor, p.overburden_drop_factor)


@kernel
def _climb(rung: np.ndarray, style: np.ndarray, capacity: np.ndarray, asked: np.ndarray, threshold: np.ndarray,
           initiative: np.ndarray, alive: np.ndarray, overburdened: np.ndarray, n_active: np.ndarray,
           n_ties: np.ndarray, u: np.ndarray, up_by_style: np.ndarray, asked_multiplier: float,
           peer_factor: float, down_rate: float, up_base: float, up_capacity: float, down_capacity: float,
           initiative_factor: float, overburden_factor: float) -> None:
    """One uniform per resident decides a step up, a step down, or neither (Granovetter thresholds);
    being asked counts for this week only."""
    for i in range(rung.size):
        was_asked = asked[i]
        asked[i] = False
        if not alive[i]:
            continue
        peer = n_active[i] / n_ties[i] if n_ties[i] > 0 else 0.0
        up = up_by_style[style[i]] * (up_base + up_capacity * capacity[i])
        up = up * (asked_multiplier if was_asked else 1.0)
        up = up * (peer_factor if peer >= threshold[i] else 1.0)
        down = down_rate * (1.0 - down_capacity * capacity[i]) * (initiative_factor if initiative[i] >= 0 else 1.0)
        down = down * (overburden_factor if overburdened[i] else 1.0)
        if u[i] < up and rung[i] < 6:
            rung[i] += 1
        elif u[i] >= 1.0 - down and rung[i] > 0:
            rung[i] -= 1
