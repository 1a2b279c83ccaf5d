"""Informal support along ties, capacity, and over-asking of helpers (brief §4.2, seed 001)."""

from __future__ import annotations

import numpy as np

from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.state import ResidentState


def deficit_weights(domains: np.ndarray) -> np.ndarray:
    """Share of a gain that goes to each domain: the weaker the domain, the larger its share."""
    deficit = 1.0 - domains
    total = deficit.sum(axis=1, keepdims=True)
    total[total <= 0] = np.inf  # all domains full: a gain has nowhere to go
    deficit /= total
    return deficit


def informal_support(st: ResidentState, ties: TieStore, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Move support from capacity to need along ties; returns (given, received) per slot.

    received_i = rate * need_i * sum_j w_ij cap_j and given_j = rate * cap_j * sum_i w_ij need_i,
    so support given equals support received in total.
    """
    alive = st.alive
    need = np.where(alive, np.clip(p.need_level - st.self_reliance, 0.0, None), 0.0)
    cap = np.where(alive, st.capacity, 0.0)
    flows = ties.propagate(np.column_stack([cap, need]))
    received = p.support_rate * need * flows[:, 0]
    given = p.support_rate * cap * flows[:, 1]
    gain = deficit_weights(st.domains)
    gain *= (p.support_effect * received)[:, None]
    st.domains += gain
    # Over-asking: a sustained load above the bearable level wears down the helper's health.
    st.load += p.load_memory * (given - st.load)
    excess = np.clip(st.load - p.overburden_load, 0.0, None)
    st.domains[:, 2] -= p.overburden_harm * excess
    np.clip(st.domains, 0.0, 1.0, out=st.domains)
    st.update_self_reliance()
    st.capacity += p.capacity_recovery * (st.self_reliance - st.capacity) - p.support_cost * given
    np.clip(st.capacity, 0.0, 1.0, out=st.capacity)
    st.given[:] = given
    return given, received
