"""The participation ladder: being asked, peer thresholds, stepping up and down (brief §4.4;
seed 004: 'nobody asked me'; Granovetter 1978)."""

from __future__ import annotations

import numpy as np

from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.state import ResidentState


def residents_ask(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator) -> None:
    """Active residents sometimes ask one of their ties to join."""
    active = np.flatnonzero(st.alive & (st.participation >= p.active_level))
    askers = active[rng.random(active.size) < p.resident_ask_rate]
    nb = ties.random_neighbour(askers, rng)
    st.asked[nb[nb >= 0]] = True


def climb_ladder(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator,
                 overburdened: np.ndarray) -> None:
    """Step up (more when asked or when enough ties take part) or down (when capacity is short)."""
    active = (st.participation >= p.active_level).astype(float)
    flows = ties.propagate(np.column_stack([active, np.ones(st.size)]))
    peer = np.divide(flows[:, 0], flows[:, 1], out=np.zeros(st.size), where=flows[:, 1] > 0)
    up = np.asarray(p.participation_up)[st.style] * (0.3 + 0.7 * st.capacity)
    up = up * np.where(st.asked, p.asked_multiplier, 1.0)
    up = up * np.where(peer >= st.threshold, 1.0 + p.peer_multiplier, 1.0)
    member = st.initiative >= 0
    down = p.participation_down * (1.0 - 0.7 * st.capacity) * np.where(member, 0.5, 1.0)
    down = down * np.where(overburdened, 2.0, 1.0)
    u = rng.random(st.size)
    rung = st.participation.astype(np.int16)
    step_up = (u < up) & (rung < 6) & st.alive
    step_down = (u >= 1.0 - down) & (rung > 0) & st.alive & ~step_up
    rung += step_up.astype(np.int16) - step_down.astype(np.int16)
    st.participation[:] = rung.astype(np.int8)
    st.asked[:] = False
