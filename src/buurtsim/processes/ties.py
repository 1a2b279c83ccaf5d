"""Tie dynamics: contact, reinforcement, decay and breakage; formation by proximity, friends of
friends and homophily (brief §4.5; C8; Jin, Girvan & Newman 2001; Hipp & Perrin 2009)."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel, unsigned
from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.space import Blocks, block_of
from buurtsim.state import ResidentState

FAMILY, FRIEND, NEIGHBOUR, ACQUAINTANCE = 0, 1, 2, 3


def contact_and_decay(st: ResidentState, ties: TieStore, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Ties with contact this week grow, others fade; weak non-family ties break.

    Contact scales with strength: strong ties bring people together, weak ones rarely do. With
    reinforcement r and decay d, a tie of kind k settles at s* = (c_k r - d) / (c_k (r - d)) when
    c_k r > d, and fades until it breaks otherwise (acquaintances without follow-up).
    Returns a per-slot flag: had contact with someone of the same block this week (C4).
    """
    m = ties.n
    u = rng.random(int(np.count_nonzero(ties.alive[:m])))  # one draw per live tie, in edge order
    flag = np.zeros(st.size + 1, bool)  # one spare entry at the end: see _contact
    broken = np.empty(u.size, np.int64)
    degree = np.zeros(ties.n_slots, np.int64)
    n_broken = _contact(unsigned(ties.a), unsigned(ties.b), ties.s, unsigned(ties.kind), ties.alive, m, u,
                        np.asarray(p.contact_prob, float), p.tie_reinforce, 1.0 - p.tie_decay,
                        p.tie_break_strength, p.friend_strength, st.block, flag, broken, degree)
    ties.kill(broken[:n_broken])
    ties.remember_degree(degree)  # the ties that survived this week's decay, counted on the way
    return flag[:-1]


@kernel
def _contact(a: np.ndarray, b: np.ndarray, s: np.ndarray, kind: np.ndarray, alive: np.ndarray, m: int,
             u: np.ndarray, contact_prob: np.ndarray, reinforce: float, keep: float, break_at: float,
             friend_at: float, block: np.ndarray, flag: np.ndarray, broken: np.ndarray, degree: np.ndarray) -> int:
    """Contact, reinforcement or decay, friendship upgrades and breakage for every live tie;
    counts the surviving ties per slot into `degree`. `flag` has one spare entry past the slots.

    Whether a tie had contact or breaks is a coin flip per tie, which a branch predictor cannot
    guess: both outcomes are computed and selected, and counters and flags are written every time
    (about a fifth faster than branching, with the same arithmetic). A flag is set by storing True
    either at the slot or, without same-block contact, at the spare entry: a plain store, where
    or-ing into the slot would load it first (with unsigned counters, about 15 % faster)."""
    c = np.uint64(0)  # unsigned counters: no wraparound check on u[c] and broken[n_broken]
    n_broken = np.uint64(0)
    spare = np.uint64(flag.size - 1)
    for e in range(m):
        if not alive[e]:
            continue
        k = kind[e]
        x = s[e]
        met = u[c] < contact_prob[k] * x
        c += np.uint64(1)
        grown = x + reinforce * (1.0 - x)
        faded = x * keep
        x = grown if met else faded
        family = k == FAMILY
        x = max(x, break_at) if family else x
        s[e] = x
        kind[e] = FRIEND if k in (NEIGHBOUR, ACQUAINTANCE) and x > friend_at else k
        ae, be = a[e], b[e]
        gone = (x < break_at) & (not family)
        broken[n_broken] = e  # kept only if it broke: the count moves on only then
        n_broken += np.uint64(gone)
        stays = 1 - np.int64(gone)
        degree[ae] += stays
        degree[be] += stays
        same_block = met & (not family) & (block[ae] == block[be])  # C4 counts neighbours, not housemates
        flag[ae if same_block else spare] = True
        flag[be if same_block else spare] = True
    return int(n_broken)


def end_ties(ties: TieStore, p: Params, rng: np.random.Generator) -> int:
    """Non-family ties end at `tie_end_rate` a week for reasons other than moving: life-course
    changes, conflicts, changing contexts (Mollenhorst, Volker & Flap 2014; C12). Returns how many."""
    if p.tie_end_rate <= 0:
        return 0
    # The eligible ties are counted, not listed: a few hundred of ~10^5 end a week. rng.choice(n)
    # draws exactly the positions rng.choice over a list of n would (it picks positions, then takes).
    counts = _non_family_counts(ties.alive, ties.kind, ties.n)
    n_eligible = int(counts[-1])
    k = int(rng.binomial(n_eligible, p.tie_end_rate)) if n_eligible else 0
    if k:
        ties.kill(_non_family_at(ties.alive, ties.kind, counts, rng.choice(n_eligible, size=k, replace=False)))
    return k


CHUNK = 64  # ties per entry of the running count that _non_family_at starts its search from


@kernel
def _non_family_counts(alive: np.ndarray, kind: np.ndarray, m: int) -> np.ndarray:
    """The number of live non-family ties before each run of CHUNK ties among the first m, and
    their total as the last entry."""
    n_chunks = (m + CHUNK - 1) // CHUNK
    counts = np.empty(n_chunks + 1, np.int64)
    k = 0
    for c in range(n_chunks):
        counts[c] = k
        # Over views of the chunk, indexed from 0: with a loop from c * CHUNK the compiled code
        # cannot tell the index is never negative and checks it for wraparound at every tie, which
        # keeps the loop from being vectorised (about four times slower).
        live = alive[c * CHUNK: min(m, (c + 1) * CHUNK)]
        kd = kind[c * CHUNK: min(m, (c + 1) * CHUNK)]
        for j in range(live.size):
            k += live[j] & (kd[j] != FAMILY)
    counts[n_chunks] = k
    return counts


@kernel
def _non_family_at(alive: np.ndarray, kind: np.ndarray, counts: np.ndarray, ranks: np.ndarray) -> np.ndarray:
    """Ids of the live non-family ties at the given positions (`ranks`, each below counts[-1]) in
    the ascending list of them, using their running count by chunk (`_non_family_counts`)."""
    out = np.empty(ranks.size, np.int64)
    for i in range(ranks.size):
        c = np.searchsorted(counts, ranks[i], side="right") - 1  # the chunk that holds it
        # Within the chunk, over views indexed from 0 (no wraparound checks) and without
        # short-circuits: whether a tie is a live non-family one follows no pattern.
        live = alive[c * CHUNK:]
        kd = kind[c * CHUNK:]
        j, r = 0, counts[c]
        eligible = live[0] & (kd[0] != FAMILY)
        while not (eligible & (r == ranks[i])):
            r += eligible
            j += 1
            eligible = live[j] & (kd[j] != FAMILY)
        out[i] = c * CHUNK + j
    return out


def distance_draw(n: int, exponent: float, r_max: float, rng: np.random.Generator) -> np.ndarray:
    """Distances in blocks, with pair probability ~ d^-exponent in two dimensions (C8).

    The number of dwellings at distance d grows like d, so d has density ~ d^(1 - exponent).
    """
    k = 2.0 - exponent
    d = rng.random(n)
    r_max = max(r_max, 1.0 + 1e-9)
    if abs(k) < 1e-9:
        d *= np.log(r_max)
        return np.exp(d, out=d)
    # (1 + u (r_max^k - 1))^(1/k), in place: the same operations in the same order
    d *= r_max**k - 1.0
    d += 1.0
    d **= 1.0 / k  # the operator, as before: numpy takes shortcuts for some exponents (0.5: sqrt)
    return d


def candidates(st: ResidentState, ties: TieStore, blocks: Blocks, who: np.ndarray, p: Params,
               rng: np.random.Generator) -> np.ndarray:
    """One meeting candidate per initiator: same block, friend of a friend, or at a distance."""
    u = rng.random(who.size)
    # One pass sorts the attempts by route, keeping their order: a few hundred attempts a week, so
    # numpy's masks and gathers over them cost more in calls than in work.
    out = np.empty(who.size, np.int64)
    lpos, local_blocks, tpos, tw, fpos, fw = _routes(u, p.local_share, p.local_share + p.triadic_share,
                                                     who, st.block)
    blocks.random_member_into(local_blocks, rng, out, lpos)
    mid = ties.random_neighbour(tw, rng)
    fof = ties.random_neighbour(mid[mid >= 0], rng)
    _friends_of_friends(mid, fof, out, tpos)
    r = distance_draw(fw.size, p.distance_exponent, float(blocks.side) * p.far_meeting_reach, rng)
    theta = rng.random(fw.size)
    theta *= 2
    theta *= np.pi
    # numpy's cos and sin (compiled ones may round differently); the rest in one pass
    far_blocks = _blocks_at_distance(st.x, st.y, fw, r, np.cos(theta), np.sin(theta), blocks.side, blocks.n_blocks)
    blocks.random_member_into(far_blocks, rng, out, fpos)
    return out


@kernel
def _routes(u: np.ndarray, local_below: float, triadic_below: float, who: np.ndarray,
            block: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The attempts by route, each in the order of the attempts: positions and blocks of the local
    ones (u < local_below), positions and initiators of the triadic ones (u < triadic_below) and of
    the far ones (the rest)."""
    n = u.size
    lpos, lblock = np.empty(n, np.int64), np.empty(n, np.int64)
    tpos, tw = np.empty(n, np.int64), np.empty(n, np.int64)
    fpos, fw = np.empty(n, np.int64), np.empty(n, np.int64)
    nl = nt = nf = 0
    for i in range(n):
        # branch-free: the route is a random draw; every list is written, only its own moves on
        local = u[i] < local_below
        triadic = (not local) & (u[i] < triadic_below)
        far = not (local | triadic)
        w = who[i]
        lpos[nl] = i
        lblock[nl] = block[w]
        nl += local
        tpos[nt] = i
        tw[nt] = w
        nt += triadic
        fpos[nf] = i
        fw[nf] = w
        nf += far
    return lpos[:nl], lblock[:nl], tpos[:nt], tw[:nt], fpos[:nf], fw[:nf]


@kernel
def _friends_of_friends(mid: np.ndarray, fof: np.ndarray, out: np.ndarray, at: np.ndarray) -> None:
    """out[at[i]]: the friend of a friend drawn for attempt i (`fof` holds one per mid[i] >= 0, in
    order), or -1 where the initiator had no tie."""
    k = 0
    for i in range(mid.size):
        if mid[i] >= 0:
            out[at[i]] = fof[k]
            k += 1
        else:
            out[at[i]] = -1


@kernel
def _blocks_at_distance(x: np.ndarray, y: np.ndarray, who: np.ndarray, r: np.ndarray, cos: np.ndarray,
                        sin: np.ndarray, side: int, n_blocks: int) -> np.ndarray:
    """The block (or -1 off the grid) at distance r[i] in direction (cos[i], sin[i]) from who[i]."""
    out = np.empty(who.size, np.int64)
    for i in range(who.size):
        out[i] = block_of(x[who[i]] + r[i] * cos[i], y[who[i]] + r[i] * sin[i], side, n_blocks)
    return out


def form_ties(st: ResidentState, ties: TieStore, blocks: Blocks, tick: int, p: Params,
              rng: np.random.Generator, degree: np.ndarray, n_attempts: int | None = None,
              initiator_weights: np.ndarray | None = None) -> int:
    """Meetings that may become ties; acceptance falls with the status gap and differing style.

    Initiators are drawn uniformly, or in proportion to `initiator_weights` (initial network).
    """
    alive = np.flatnonzero(st.alive)
    if alive.size < 2:
        return 0
    n = rng.poisson(p.tie_attempt_rate * alive.size) if n_attempts is None else n_attempts
    if initiator_weights is None:
        who = alive[rng.integers(0, alive.size, n)]
    else:
        w = initiator_weights[alive]
        who = rng.choice(alive, size=n, p=w / w.sum())
    cand = candidates(st, ties, blocks, who, p, rng)
    w, c, status = _meetings(who, cand, st.alive, degree, p.max_degree, st.self_reliance,
                             -p.homophily_status)
    np.exp(status, out=status)  # numpy's exp, as before (a compiled exp may round differently)
    w, c, kind = _accepted(w, c, status, st.style, st.capacity, p.homophily_style, p.accept_capacity_base,
                           p.accept_capacity_weight, st.block, rng.random(w.size))
    return ties.add(w, c, p.tie_initial_strength, kind, tick)


@kernel
def _meetings(who: np.ndarray, cand: np.ndarray, alive: np.ndarray, degree: np.ndarray, max_degree: int,
              self_reliance: np.ndarray, neg_homophily: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Meetings with a live other candidate, both below max_degree: (initiators, candidates,
    -homophily_status * status gap), in the order of the attempts."""
    w = np.empty(who.size, np.int64)
    c = np.empty(who.size, np.int64)
    status = np.empty(who.size)
    k = 0
    for i in range(who.size):
        x, y = who[i], cand[i]
        if y < 0 or not alive[y] or y == x or degree[x] >= max_degree or degree[y] >= max_degree:
            continue
        w[k] = x
        c[k] = y
        status[k] = neg_homophily * abs(self_reliance[x] - self_reliance[y])
        k += 1
    return w[:k], c[:k], status[:k]


@kernel
def _accepted(w: np.ndarray, c: np.ndarray, status: np.ndarray, style: np.ndarray, capacity: np.ndarray,
              homophily_style: float, capacity_base: float, capacity_weight: float, block: np.ndarray,
              u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Meetings accepted with probability status * style factor * (capacity_base + capacity_weight *
    the initiator's capacity), status being exp(-homophily_status * gap): (initiators, candidates,
    tie kinds: neighbour within a block)."""
    ow = np.empty(w.size, np.int64)
    oc = np.empty(w.size, np.int64)
    kind = np.empty(w.size, np.int8)
    k = 0
    for i in range(w.size):
        x, y = w[i], c[i]
        acc = status[i] * (1.0 if style[x] == style[y] else homophily_style)
        acc *= capacity_base + capacity_weight * capacity[x]
        if u[i] < acc:
            ow[k] = x
            oc[k] = y
            kind[k] = NEIGHBOUR if block[x] == block[y] else ACQUAINTANCE
            k += 1
    return ow[:k], oc[:k], kind[:k]


def family_ties(st: ResidentState, ties: TieStore, slots: np.ndarray, tick: int, p: Params) -> None:
    """Members of one household are tied as family, each to the next, at `family_tie_strength`."""
    hh = st.household[slots]
    order = np.argsort(hh, kind="stable")
    s_sorted, h_sorted = slots[order], hh[order]
    same = h_sorted[1:] == h_sorted[:-1]
    # a chain through each household: each member tied to the next (a household of k has k - 1 ties)
    a, b = s_sorted[:-1][same], s_sorted[1:][same]
    ties.add(a, b, p.family_tie_strength, FAMILY, tick)


def seniority(years: np.ndarray, p: Params) -> np.ndarray:
    """How far a resident's network has grown after living here `years` (0 new .. 1 established)."""
    return 1.0 - np.exp(-years / p.network_build_years)


def settle_initial_ties(ties: TieStore, p: Params, rng: np.random.Generator, senior: np.ndarray) -> None:
    """Give the starting network the strengths an established neighbourhood has.

    A non-family tie is kept with the seniority of its less senior end, and gets a strength uniform
    between the new-tie strength and a ceiling that rises from there to `initial_strength_ceiling`
    with that seniority;
    those above the friendship level start as friends. (Saves years of burn-in.)
    """
    e = ties.live_ids()
    e = e[ties.kind[e] != FAMILY]
    least = np.minimum(senior[ties.a[e]], senior[ties.b[e]])
    keep = rng.random(e.size) < least  # a recent arrival has had little time to make ties
    ties.kill(e[~keep])
    e, least = e[keep], least[keep]
    lo = p.tie_initial_strength
    ceiling = lo + (max(p.initial_strength_ceiling, lo) - lo) * least
    ties.s[e] = lo + rng.random(e.size) * (ceiling - lo)
    ties.kind[e[ties.s[e] > p.friend_strength]] = FRIEND
