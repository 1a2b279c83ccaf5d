"""The weekly processes as plain numpy array expressions, as they were before their arithmetic
moved into compiled loops (`buurtsim.jit`). Tests run both on copies of the same state with the
same seed and require identical results, to the last bit: the compiled loops are an
implementation of these formulas, not a new model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.processes.life_events import FED_BY, UNIFORM_SD, draw_events
from buurtsim.processes.position import TOP
from buurtsim.processes.ties import ACQUAINTANCE, FAMILY, FRIEND, NEIGHBOUR
from buurtsim.space import Blocks
from buurtsim.state import ResidentState


def mean_domains(st: ResidentState) -> None:
    """Self-reliance as numpy's mean over the domain axis."""
    np.mean(st.domains, axis=1, out=st.self_reliance)


def propagate(ties: TieStore, x: np.ndarray) -> np.ndarray:
    """W @ x with scipy's product for built ties and bincounts for pending ones."""
    y = ties._mat @ x
    lo, hi = ties.n_built, ties.n
    if hi > lo:
        a, b = ties.a[lo:hi].astype(np.int64), ties.b[lo:hi].astype(np.int64)
        s = ties.s[lo:hi] * ties.alive[lo:hi]
        y += np.bincount(a, s * x[b], ties.n_slots) + np.bincount(b, s * x[a], ties.n_slots)
    return y


def refresh(ties: TieStore) -> None:
    """Copy strengths into the matrix eagerly (the store itself does it in the next flow pass)."""
    np.take(ties.s, ties._eid, out=ties._mat.data)
    ties._stale = False


def life_events(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Setbacks with the spiral, recovery, noise, clipping."""
    d = st.domains
    problems = d < p.problem_threshold
    hazard = np.zeros(problems.shape)
    for dst, srcs in enumerate(FED_BY):
        for src in srcs:
            hazard[:, dst] += problems[:, src]
    hazard *= p.shock_prob * p.spiral_coupling
    hazard += p.shock_prob
    if not st.alive.all():
        hazard[~st.alive] = 0.0
    hit = draw_events(hazard.ravel(), rng)
    shocks = np.zeros(d.shape, bool)
    shocks.ravel()[hit] = True
    d.ravel()[hit] -= rng.exponential(p.shock_size, hit.size)
    slow = 1.0 - p.problem_recovery_penalty * problems.sum(axis=1)
    np.clip(slow, p.recovery_floor, 1.0, out=slow)
    slow *= 1.0 - p.dependency_recovery_penalty * st.dependency
    slow *= p.recovery_rate
    gap = st.potential - d
    gap *= np.where(gap > 0, slow[:, None], p.recovery_rate)
    d += gap
    if p.domain_noise > 0:
        noise = rng.random(d.shape, dtype=np.float32)
        noise -= np.float32(0.5)
        noise *= np.float32(p.domain_noise * UNIFORM_SD)
        d += noise
    np.clip(d, 0.0, 1.0, out=d)
    mean_domains(st)
    return shocks


def informal_support(st: ResidentState, ties: TieStore, p: Params) -> None:
    """Support along ties, over-asking, capacity."""
    need = np.where(st.alive, np.clip(p.need_level - st.self_reliance, 0.0, None), 0.0)
    cap = np.where(st.alive, st.capacity, 0.0)
    refresh(ties)
    received = p.support_rate * need * propagate(ties, cap)
    given = p.support_rate * cap * propagate(ties, need)
    deficit = 1.0 - st.domains
    total = deficit.sum(axis=1, keepdims=True)
    total[total <= 0] = np.inf
    deficit /= total
    deficit *= (p.support_effect * received)[:, None]
    st.domains += deficit
    st.load += p.load_memory * (given - st.load)
    st.domains[:, 2] -= p.overburden_harm * np.clip(st.load - p.overburden_load, 0.0, None)
    np.clip(st.domains, 0.0, 1.0, out=st.domains)
    mean_domains(st)
    st.capacity += p.capacity_recovery * (st.self_reliance - st.capacity) - p.support_cost * given
    np.clip(st.capacity, 0.0, 1.0, out=st.capacity)
    st.given[:] = given


def climb_ladder(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator,
                 overburdened: np.ndarray) -> None:
    """Ladder steps from peers, being asked and capacity."""
    refresh(ties)
    n_active = propagate(ties, (st.participation >= p.active_level).astype(float))
    n_ties = propagate(ties, np.ones(st.size))
    peer = np.divide(n_active, n_ties, out=np.zeros(st.size), where=n_ties > 0)
    up = np.asarray(p.participation_up)[st.style] * (p.climb_capacity_base + p.climb_capacity_weight * st.capacity)
    up = up * np.where(st.asked, p.asked_multiplier, 1.0)
    up = up * np.where(peer >= st.threshold, 1.0 + p.peer_multiplier, 1.0)
    down = p.participation_down * (1.0 - p.drop_capacity_weight * st.capacity) * np.where(st.initiative >= 0, p.initiative_drop_factor, 1.0)
    down = down * np.where(overburdened, p.overburden_drop_factor, 1.0)
    u = rng.random(st.size)
    rung = st.participation.astype(np.int16)
    step_up = (u < up) & (rung < 6) & st.alive
    step_down = (u >= 1.0 - down) & (rung > 0) & st.alive & ~step_up
    rung += step_up.astype(np.int16) - step_down.astype(np.int16)
    st.participation[:] = rung.astype(np.int8)
    st.asked[:] = False


def contact_and_decay(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Contact, reinforcement, decay, upgrades and breakage of ties; the neighbour-contact flag."""
    e = ties.live_ids()
    s, kind = ties.s[e], ties.kind[e]
    met = rng.random(e.size) < np.asarray(p.contact_prob)[kind] * s
    s = np.where(met, s + p.tie_reinforce * (1.0 - s), s * (1.0 - p.tie_decay))
    family = kind == FAMILY
    s = np.where(family, np.maximum(s, p.tie_break_strength), s)
    ties.s[e] = s
    ties.kind[e[((kind == NEIGHBOUR) | (kind == ACQUAINTANCE)) & (s > p.friend_strength)]] = FRIEND
    ties.kill(e[(s < p.tie_break_strength) & ~family])
    a, b = ties.a[e[met]], ties.b[e[met]]
    same = (st.block[a] == st.block[b]) & (kind[met] != FAMILY)
    flag = np.zeros(st.size, bool)
    flag[a[same]] = True
    flag[b[same]] = True
    return flag


def end_ties(ties: TieStore, p: Params, rng: np.random.Generator) -> int:
    """Non-family ties end at `tie_end_rate`: a binomial count, chosen from the list of them."""
    eligible = np.flatnonzero(ties.alive[: ties.n] & (ties.kind[: ties.n] != FAMILY))
    k = int(rng.binomial(eligible.size, p.tie_end_rate)) if eligible.size else 0
    if k:
        ties.kill(rng.choice(eligible, size=k, replace=False))
    return k


def perceptions(st: ResidentState, ties: TieStore, p: Params) -> None:
    """Safety, trust and attachment."""
    e = ties.live_ids()
    a, b, w = ties.a[e], ties.b[e], ties.s[e]
    strength = np.bincount(a, w, st.size) + np.bincount(b, w, st.size)
    refresh(ties)
    total = propagate(ties, np.ones(st.size))
    tied = total > 0
    denom = np.where(tied, total, 1.0)
    nb_safety, nb_trust = propagate(ties, st.safety) / denom, propagate(ties, st.trust) / denom
    nb = int(st.block.max()) + 1
    den = np.bincount(st.block, weights=st.alive.astype(float), minlength=nb)
    shares = []
    for flag in (st.self_reliance < p.sliding_threshold, st.initiative >= 0):
        num = np.bincount(st.block, weights=(flag & st.alive).astype(float), minlength=nb)
        shares.append(np.divide(num, den, out=np.zeros(nb), where=den > 0)[st.block])
    disorder, organised = shares
    target = np.clip(p.safety_target_base - p.disorder_weight * disorder + p.initiative_safety * organised, 0.0, 1.0)
    diff = np.where(tied, nb_safety - st.safety, 0.0)
    weight = np.where(diff < 0, p.fear_asymmetry, 1.0)
    st.safety += p.safety_rate * (target - st.safety) + p.safety_contagion * weight * diff
    st.trust += p.trust_contagion * np.where(tied, nb_trust - st.trust, 0.0)
    ties_part = 1.0 - np.exp(-strength / p.attachment_ties_scale)
    att_target = p.attachment_ties_weight * ties_part + (1 - p.attachment_ties_weight) * st.safety
    st.attachment += p.attachment_rate * (att_target - st.attachment)
    for arr in (st.safety, st.trust, st.attachment):
        np.clip(arr, 0.0, 1.0, out=arr)


def movers(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Whole households move when their head (first live member) draws below its hazard."""
    pull = p.attachment_move_effect * (p.move_attachment_reference - st.attachment) + p.safety_move_effect * (p.move_safety_reference - st.safety)
    push = np.exp(pull)
    push[st.income > st.income_start] *= p.riser_move_multiplier
    hazard = p.move_rate * np.asarray(p.income_mobility, float)[st.income] * push
    u = rng.random(st.size)
    live = np.flatnonzero(st.alive)
    _, first = np.unique(st.household[live], return_index=True)
    heads = live[first]
    moving_households = st.household[heads[u[heads] < hazard[heads]]]
    return live[np.isin(st.household[live], moving_households)]


def sustain(st: ResidentState, ties: TieStore, ini: Any, tick: int, p: Params, rng: np.random.Generator) -> None:
    """Members leave, initiatives stop (their members released), support lapses, members make ties."""
    n = len(ini.alive)
    if n == 0:
        return
    leave = (st.initiative >= 0) & (~st.alive | (st.participation < p.active_level - 1))
    st.initiative[leave] = -1
    members = np.flatnonzero(st.initiative >= 0)
    size = np.bincount(st.initiative[members], minlength=n)
    alive = np.asarray(ini.alive)
    fade = np.where(ini.supported, p.supported_fade_factor * p.initiative_fade, p.initiative_fade)
    stop = alive & ((size < p.initiative_min_owners) | (rng.random(n) < fade))
    if stop.any():
        ini.end(np.flatnonzero(stop), tick)
        ended = ~np.asarray(ini.alive)[st.initiative[members]]
        st.initiative[members[ended]] = -1
        members = members[~ended]
    ini.supported[:] = False
    shared_activity_ties(st, ties, members, tick, p, rng)


def shared_activity_ties(st: ResidentState, ties: TieStore, members: np.ndarray, tick: int, p: Params,
                         rng: np.random.Generator) -> None:
    """Pairs of members of one initiative meet: a Poisson number of meetings per initiative."""
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


def found(st: ResidentState, ties: TieStore, ini: Any, tick: int, p: Params, rng: np.random.Generator,
          boost: float = 1.0) -> None:
    """Founders drawn from the pool, each asking `founder_asks` ties in turn."""
    cand = np.flatnonzero(st.alive & (st.participation >= p.founder_rung) & (st.initiative < 0))
    founders = cand[rng.random(cand.size) < p.initiative_found_rate * boost]
    for f in founders.tolist():
        iid = ini.new(tick)
        st.initiative[f] = iid
        recruits = ties.random_neighbour(np.full(p.founder_asks, f, np.int64), rng)
        recruits = recruits[recruits >= 0]
        recruits = recruits[(st.participation[recruits] >= p.active_level - 1) & (st.initiative[recruits] < 0)]
        st.initiative[recruits] = iid


def accepted_meetings(st: ResidentState, who: np.ndarray, cand: np.ndarray, degree: np.ndarray, p: Params,
                      rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`form_ties` after the candidates are drawn: the accepted pairs and their kinds."""
    ok = cand >= 0
    ok[ok] = st.alive[cand[ok]] & (cand[ok] != who[ok])
    ok[ok] &= (degree[who[ok]] < p.max_degree) & (degree[cand[ok]] < p.max_degree)
    w, c = who[ok], cand[ok]
    gap = np.abs(st.self_reliance[w] - st.self_reliance[c])
    acc = np.exp(-p.homophily_status * gap) * np.where(st.style[w] == st.style[c], 1.0, p.homophily_style)
    acc *= p.accept_capacity_base + p.accept_capacity_weight * st.capacity[w]
    yes = rng.random(w.size) < acc
    w, c = w[yes], c[yes]
    kind = np.where(st.block[w] == st.block[c], NEIGHBOUR, ACQUAINTANCE).astype(np.int8)
    return w, c, kind


def distinct_sorted(idx: np.ndarray, size: int) -> np.ndarray:
    """The cells hit by life events: a mask over all cells, then its indices."""
    hit = np.zeros(size, np.bool_)
    hit[np.minimum(idx, size - 1)] = True
    return np.flatnonzero(hit)


def change_position(st: ResidentState, p: Params, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Income classes up with secure work and down with a work problem."""
    work = st.domains[:, 0]
    u = rng.random(st.size)
    up = st.alive & (st.income < TOP) & (work >= p.income_up_work) & (u < p.income_up_rate)
    down = st.alive & (st.income > 0) & (work < p.problem_threshold) & (u < p.income_down_rate)
    risen, fallen = np.flatnonzero(up), np.flatnonzero(down)
    st.income[risen] += 1
    st.income[fallen] -= 1
    return risen, fallen


def random_member(blocks: Blocks, which: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random slot of each block in range (one uniform each, in order), -1 elsewhere."""
    which = np.asarray(which, np.int64)
    ok = (which >= 0) & (which < blocks.n_blocks)
    u = rng.random(int(np.count_nonzero(ok)))
    out = np.full(which.shape, -1, np.int64)
    b = which[ok]
    pos = blocks.start[b] + np.floor(u * blocks.count[b]).astype(np.int64)
    got = blocks.order[np.minimum(pos, blocks.order.size - 1)]
    out[ok] = np.where(blocks.count[b] > 0, got, -1)
    return out


def block_at(blocks: Blocks, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Block id at grid coordinates, or -1 outside the grid."""
    bx, by = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    inside = (bx >= 0) & (by >= 0) & (bx < blocks.side) & (by < blocks.side)
    bid = by * blocks.side + bx
    return np.where(inside & (bid < blocks.n_blocks), bid, -1)


def distance_draw(n: int, exponent: float, r_max: float, rng: np.random.Generator) -> np.ndarray:
    """Distances in blocks with density ~ d^(1 - exponent)."""
    k = 2.0 - exponent
    u = rng.random(n)
    r_max = max(r_max, 1.0 + 1e-9)
    if abs(k) < 1e-9:
        return np.exp(u * np.log(r_max))
    return (1.0 + u * (r_max**k - 1.0)) ** (1.0 / k)


def candidates(st: ResidentState, ties: TieStore, blocks: Blocks, who: np.ndarray, p: Params,
               rng: np.random.Generator) -> np.ndarray:
    """One meeting candidate per initiator: same block, friend of a friend, or at a distance."""
    u = rng.random(who.size)
    local = u < p.local_share
    triadic = (u >= p.local_share) & (u < p.local_share + p.triadic_share)
    far = ~local & ~triadic
    out = np.full(who.size, -1, np.int64)
    out[local] = random_member(blocks, st.block[who[local]], rng)
    tw = who[triadic]
    mid = ties.random_neighbour(tw, rng)
    fof = np.full(tw.size, -1, np.int64)
    has = mid >= 0
    fof[has] = ties.random_neighbour(mid[has], rng)
    out[triadic] = fof
    fw = who[far]
    r = distance_draw(fw.size, p.distance_exponent, float(blocks.side) * p.far_meeting_reach, rng)
    theta = rng.random(fw.size) * 2 * np.pi
    out[far] = random_member(blocks, block_at(blocks, st.x[fw] + r * np.cos(theta), st.y[fw] + r * np.sin(theta)),
                             rng)
    return out
