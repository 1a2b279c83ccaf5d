"""Resident initiatives: they form where active, connected residents cluster, make ties through
shared activity, and persist while their owners stay (brief §3, §4.4; MO/Samenlevingsopbouw 2010-11)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from buurtsim.jit import kernel
from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.state import ResidentState


@dataclass
class Initiatives:
    """All initiatives ever founded; `alive` marks the running ones. `supported` is set each week by
    policies (professional backing or a budget) and halves the chance an initiative stops."""

    founded: list[int] = field(default_factory=list)
    ended: list[int] = field(default_factory=list)
    alive: list[bool] = field(default_factory=list)
    supported: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))

    @property
    def n_active(self) -> int:
        """Number of running initiatives."""
        return int(sum(self.alive))

    def alive_mask(self) -> np.ndarray:
        """`alive` as a (read-only) numpy bool array; from the list's bytes, several times faster
        than np.asarray over a list that holds every initiative ever founded."""
        return np.frombuffer(bytes(self.alive), np.bool_)

    def new(self, tick: int) -> int:
        """Register a new initiative and return its id."""
        self.founded.append(tick)
        self.ended.append(-1)
        self.alive.append(True)
        self.supported = np.append(self.supported, False)
        return len(self.founded) - 1

    def end(self, ids: np.ndarray, tick: int) -> None:
        """Stop initiatives."""
        for i in ids.tolist():
            if self.alive[i]:
                self.alive[i] = False
                self.ended[i] = tick


def found(st: ResidentState, ties: TieStore, ini: Initiatives, tick: int, p: Params,
          rng: np.random.Generator, boost: float = 1.0) -> None:
    """Residents high on the ladder with active ties may start an initiative and bring ties in."""
    cand = _founders_pool(st.alive, st.participation, st.initiative)
    founders = cand[rng.random(cand.size) < p.initiative_found_rate * boost]
    for f in founders.tolist():
        iid = ini.new(tick)
        st.initiative[f] = iid
        recruits = ties.random_neighbour(np.full(4, f, np.int64), rng)
        recruits = recruits[recruits >= 0]
        recruits = recruits[(st.participation[recruits] >= p.active_level - 1) & (st.initiative[recruits] < 0)]
        st.initiative[recruits] = iid


def sustain(st: ResidentState, ties: TieStore, ini: Initiatives, tick: int, p: Params,
            rng: np.random.Generator) -> None:
    """Members low on the ladder drop out; small or unlucky initiatives stop; the rest make ties."""
    n = len(ini.alive)
    if n == 0:
        return
    members, size = _members(st.initiative, st.alive, st.participation, p.active_level - 1, n)
    stop = _stops(ini.alive_mask(), ini.supported, size, p.initiative_min_owners, rng.random(n),
                  p.initiative_fade, 0.5 * p.initiative_fade)
    if stop.any():
        ini.end(np.flatnonzero(stop), tick)
        ended = ~ini.alive_mask()[st.initiative[members]]
        st.initiative[members[ended]] = -1
        members = members[~ended]
    ini.supported[:] = False
    shared_activity_ties(st, ties, members, tick, p, rng)


@kernel
def _founders_pool(alive: np.ndarray, participation: np.ndarray, initiative: np.ndarray) -> np.ndarray:
    """Live residents on rung 5 or 6 who are in no initiative, ascending."""
    out = np.empty(alive.size, np.int64)
    k = 0
    for i in range(alive.size):
        if alive[i] and participation[i] >= 5 and initiative[i] < 0:
            out[k] = i
            k += 1
    return out[:k].copy()


@kernel
def _members(initiative: np.ndarray, alive: np.ndarray, participation: np.ndarray, min_rung: int,
             n: int) -> tuple[np.ndarray, np.ndarray]:
    """Members who moved away or dropped below min_rung leave (initiative set to -1); returns the
    remaining members' slots, ascending, and the number of members per initiative."""
    members = np.empty(initiative.size, np.int64)
    size = np.zeros(n, np.int64)
    k = 0
    for i in range(initiative.size):
        if initiative[i] < 0:
            continue
        if not alive[i] or participation[i] < min_rung:
            initiative[i] = -1
            continue
        members[k] = i
        size[initiative[i]] += 1
        k += 1
    return members[:k].copy(), size


@kernel
def _stops(alive: np.ndarray, supported: np.ndarray, size: np.ndarray, min_owners: int, u: np.ndarray,
           fade: float, supported_fade: float) -> np.ndarray:
    """Running initiatives that stop: too few members, or their uniform below the fade rate (the
    halved rate when supported)."""
    stop = np.empty(alive.size, np.bool_)
    for i in range(alive.size):
        stop[i] = alive[i] and (size[i] < min_owners or u[i] < (supported_fade if supported[i] else fade))
    return stop


def shared_activity_ties(st: ResidentState, ties: TieStore, members: np.ndarray, tick: int, p: Params,
                         rng: np.random.Generator) -> None:
    """Pairs of members of the same initiative meet and form or reinforce a tie."""
    if members.size < 2:
        return
    groups = st.initiative[members]
    n_groups = int(np.count_nonzero(np.bincount(groups)))
    k = rng.poisson(p.initiative_tie_rate * n_groups)
    if k == 0:
        return
    order = np.argsort(groups, kind="stable")
    m, g = members[order], groups[order]
    start = np.searchsorted(g, g, side="left")
    count = np.searchsorted(g, g, side="right") - start
    i = rng.integers(0, m.size, k)
    j = start[i] + np.floor(rng.random(k) * count[i]).astype(np.int64)
    ties.add(m[i], m[j], p.tie_initial_strength, 3, tick)
