"""Informal support along ties, capacity, and over-asking of helpers (brief §4.2, Mulder 2010-11)."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel
from buurtsim.network import TieStore
from buurtsim.params import DOMAINS, Params
from buurtsim.state import N_DOMAINS, ResidentState, row_sums

HEALTH = DOMAINS.index("health")  # the domain worn down by over-asking


def deficit_weights(domains: np.ndarray) -> np.ndarray:
    """Share of a gain that goes to each domain: the weaker the domain, the larger its share."""
    deficit = 1.0 - domains
    total = row_sums(deficit)
    total[total <= 0] = np.inf  # all domains full: a gain has nowhere to go
    deficit /= total[:, None]
    return deficit


def informal_support(st: ResidentState, ties: TieStore, p: Params,
                     ahead: tuple[np.ndarray, ...] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Move support from capacity to need along ties; returns (given, received) per slot.

    received_i = rate * need_i * sum_j w_ij cap_j and given_j = rate * cap_j * sum_i w_ij need_i,
    so support given equals support received in total. Received support raises the weakest domains
    most; a sustained load above the bearable level wears down the helper's health (over-asking).
    `ahead`: flows a later process of the week will ask for, computed in the same pass over the
    ties (`TieStore.propagate_many`).
    """
    need, cap = np.empty(st.size), np.empty(st.size)
    _need_and_capacity(st.alive, st.self_reliance, st.capacity, p.need_level, need, cap)
    flow_cap, flow_need = ties.propagate_many(cap, need, ahead=ahead)
    received, given = np.empty(st.size), st.given
    _support(st.domains, st.load, st.capacity, st.self_reliance, need, cap, flow_cap, flow_need, p.support_rate,
             given, received, p.support_effect, p.load_memory, p.overburden_load, p.overburden_harm,
             p.capacity_recovery, p.support_cost)
    return given.copy(), received


@kernel
def _need_and_capacity(alive: np.ndarray, self_reliance: np.ndarray, capacity: np.ndarray, need_level: float,
                       need: np.ndarray, cap: np.ndarray) -> None:
    """Need (shortfall below need_level) and capacity to give, zero in empty dwellings."""
    for i in range(alive.size):
        need[i] = max(need_level - self_reliance[i], 0.0) if alive[i] else 0.0
        cap[i] = capacity[i] if alive[i] else 0.0


@kernel
def _support(d: np.ndarray, load: np.ndarray, capacity: np.ndarray, self_reliance: np.ndarray,
             need: np.ndarray, cap: np.ndarray, flow_cap: np.ndarray, flow_need: np.ndarray, rate: float,
             given: np.ndarray, received: np.ndarray, effect: float, load_memory: float,
             overburden_load: float, overburden_harm: float, capacity_recovery: float,
             support_cost: float) -> None:
    """Per resident: support received and given, gains by deficit weights, load and over-asking,
    clipping, capacity. `d` has N_DOMAINS columns.

    Divisions bound the speed: the row length is the compile-time constant N_DOMAINS, so the loops
    over a row are unrolled (the deficits are recomputed rather than stored), and self-reliance and
    capacity follow in a second pass, whose divisions the compiler packs four to an instruction.
    """
    for i in range(d.shape[0]):
        received[i] = rate * need[i] * flow_cap[i]
        given[i] = rate * cap[i] * flow_need[i]
        total = 1.0 - d[i, 0]
        for j in range(1, N_DOMAINS):
            total += 1.0 - d[i, j]
        if total <= 0:
            total = np.inf  # all domains full: a gain has nowhere to go
        gain = effect * received[i]
        load[i] += load_memory * (given[i] - load[i])
        excess = max(load[i] - overburden_load, 0.0)
        acc = 0.0
        for j in range(N_DOMAINS):
            x = d[i, j] + ((1.0 - d[i, j]) / total) * gain
            if j == HEALTH:  # resolved at compile time: the loop is unrolled
                x -= overburden_harm * excess
            x = min(max(x, 0.0), 1.0)
            d[i, j] = x
            acc = x if j == 0 else acc + x
        self_reliance[i] = acc  # the row sum, divided in the second pass
    for i in range(d.shape[0]):
        sr = self_reliance[i] / N_DOMAINS
        self_reliance[i] = sr
        c = capacity[i] + (capacity_recovery * (sr - capacity[i]) - support_cost * given[i])
        capacity[i] = min(max(c, 0.0), 1.0)
