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
        return self.alive.count(True)

    def alive_mask(self) -> np.ndarray:
        """`alive` as a (read-only) numpy bool array; from the list's bytes, several times faster
        than np.asarray over a list that holds every initiative ever founded."""
        return np.frombuffer(bytes(self.alive), np.bool_)

    def new(self, tick: int) -> int:
        """Register a new initiative and return its id."""
        return int(self.new_many(1, tick)[0])

    def new_many(self, count: int, tick: int) -> np.ndarray:
        """Register `count` new initiatives and return their ids, in order."""
        first = len(self.founded)
        self.founded.extend([tick] * count)
        self.ended.extend([-1] * count)
        self.alive.extend([True] * count)
        self.supported = np.concatenate([self.supported, np.zeros(count, bool)])
        return np.arange(first, first + count, dtype=np.int64)

    def end(self, ids: np.ndarray, tick: int) -> None:
        """Stop initiatives."""
        for i in ids.tolist():
            if self.alive[i]:
                self.alive[i] = False
                self.ended[i] = tick


def found(st: ResidentState, ties: TieStore, ini: Initiatives, tick: int, p: Params,
          rng: np.random.Generator, boost: float = 1.0) -> None:
    """Residents high on the ladder with active ties may start an initiative and bring ties in."""
    cand = _founders_pool(st.alive, st.participation, st.initiative, p.founder_rung)
    founders = cand[rng.random(cand.size) < p.initiative_found_rate * boost]
    if founders.size == 0:
        return
    ids = ini.new_many(founders.size, tick)
    # Each founder asks `founder_asks` ties: one call draws their uniforms in founder order, as one
    # call per founder did; who joins is then settled founder by founder, in that order.
    asked = ties.random_neighbour(np.repeat(founders, p.founder_asks), rng)
    _recruit(founders, ids, asked, st.initiative, st.participation, p.active_level - 1)


def sustain(st: ResidentState, ties: TieStore, ini: Initiatives, tick: int, p: Params,
            rng: np.random.Generator) -> None:
    """Members low on the ladder drop out; small or unlucky initiatives stop; the rest make ties."""
    n = len(ini.alive)
    if n == 0:
        return
    members, stopped = _sustain(st.initiative, st.alive, st.participation, p.active_level - 1, ini.alive_mask(),
                                ini.supported, rng.random(n), p.initiative_min_owners, p.initiative_fade,
                                p.supported_fade_factor * p.initiative_fade)
    ini.end(stopped, tick)
    shared_activity_ties(st, ties, members, tick, p, rng)


@kernel
def _founders_pool(alive: np.ndarray, participation: np.ndarray, initiative: np.ndarray, rung: int) -> np.ndarray:
    """Live residents on `rung` or higher who are in no initiative, ascending.

    Branch-free: every slot is written and the count moves on only for a match (about one
    resident in eight, in no order a branch predictor could guess): a third less time in a running
    model."""
    out = np.empty(alive.size, np.int64)
    k = 0
    for i in range(alive.size):
        out[k] = i
        k += alive[i] & (participation[i] >= rung) & (initiative[i] < 0)
    return out[:k].copy()


@kernel
def _recruit(founders: np.ndarray, ids: np.ndarray, asked: np.ndarray, initiative: np.ndarray,
             participation: np.ndarray, min_rung: int) -> None:
    """Founder k starts initiative ids[k]; of the four ties asked[4k:4k+4] (-1: none), those at
    min_rung or above and in no initiative yet join it."""
    for k in range(founders.size):
        initiative[founders[k]] = ids[k]
        for r in asked[4 * k: 4 * k + 4]:
            if r >= 0 and participation[r] >= min_rung and initiative[r] < 0:
                initiative[r] = ids[k]


@kernel
def _sustain(initiative: np.ndarray, alive: np.ndarray, participation: np.ndarray, min_rung: int,
             running: np.ndarray, supported: np.ndarray, u: np.ndarray, min_owners: int, fade: float,
             supported_fade: float) -> tuple[np.ndarray, np.ndarray]:
    """A week of the initiatives in one pass over the residents, returning (remaining members'
    slots, ascending; ids of the initiatives that stop):

    members who moved away or dropped below min_rung leave (initiative set to -1); a running
    initiative stops with too few members or its uniform below the fade rate (the halved rate when
    supported); when any stops, members of initiatives no longer running are released; support is
    cleared (policies renew it every week)."""
    n = running.size
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
    stopped = np.empty(n, np.int64)
    n_stopped = 0
    for g in range(n):
        if running[g] and (size[g] < min_owners or u[g] < (supported_fade if supported[g] else fade)):
            stopped[n_stopped] = g
            n_stopped += 1
    if n_stopped:
        still = running.copy()
        still[stopped[:n_stopped]] = False
        kept = 0
        for t in range(k):
            i = members[t]
            if still[initiative[i]]:
                members[kept] = i
                kept += 1
            else:
                initiative[i] = -1
        k = kept
    supported[:] = False
    return members[:k].copy(), stopped[:n_stopped].copy()


def shared_activity_ties(st: ResidentState, ties: TieStore, members: np.ndarray, tick: int, p: Params,
                         rng: np.random.Generator) -> None:
    """Pairs of members of the same initiative meet and form or reinforce a tie."""
    if members.size < 2:
        return
    k = rng.poisson(p.initiative_tie_rate * _n_groups(st.initiative, members))
    if k == 0:
        return
    first = rng.integers(0, members.size, k)
    u = rng.random(k)
    a, b = _pairs(st.initiative, members, first, u)
    ties.add(a, b, p.tie_initial_strength, 3, tick)


@kernel
def _n_groups(initiative: np.ndarray, members: np.ndarray) -> int:
    """Number of distinct initiatives among the members."""
    seen = np.zeros(initiative[members].max() + 1, np.bool_)
    n = 0
    for i in members:
        if not seen[initiative[i]]:
            seen[initiative[i]] = True
            n += 1
    return n


@kernel
def _pairs(initiative: np.ndarray, members: np.ndarray, first: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Meeting pairs: with the members listed by initiative (stable), the member at position
    first[t] meets the one at position start + floor(u[t] * count) of that member's initiative."""
    groups = initiative[members]
    count = np.zeros(groups.max() + 1, np.int64)
    for g in groups:
        count[g] += 1
    start = np.zeros(count.size, np.int64)
    for g in range(1, count.size):
        start[g] = start[g - 1] + count[g - 1]
    listed = np.empty(members.size, np.int64)
    cursor = start.copy()
    for t in range(members.size):
        listed[cursor[groups[t]]] = members[t]
        cursor[groups[t]] += 1
    a = np.empty(first.size, np.int64)
    b = np.empty(first.size, np.int64)
    for t in range(first.size):
        a[t] = listed[first[t]]
        g = initiative[a[t]]
        b[t] = listed[start[g] + int(np.floor(u[t] * count[g]))]
    return a, b
