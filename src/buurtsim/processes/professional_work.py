"""Professional work: caseloads, trust that grows with time, enabling vs problem-solving.

Brief §4.3; Wijkengids, "Investeer in zelfredzaamheid" (solving creates dependency); Van Ewijk in
MO/Samenlevingsopbouw 2010-11 (trust takes time, light but lasting presence); Movisie 2014,
"Werkzame elementen bij buurtontwikkeling" (outreach via key persons, connect to capacities).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from buurtsim.agents import Professional
from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.processes.support import deficit_weights
from buurtsim.space import Blocks
from buurtsim.state import ResidentState


def release_clients(pro: Professional, st: ResidentState, keep: np.ndarray, tick: int, p: Params, abandoned: bool) -> np.ndarray:
    """End the relationships not in `keep`; abandoned clients lose trust in institutions."""
    gone = ~keep
    slots = pro.clients[gone]
    still_there = st.uid[slots] == pro.client_uid[gone]
    slots = slots[still_there]
    st.client_of[slots] = -1
    if abandoned and slots.size:
        rel = pro.relationship_trust(tick)[gone][still_there]
        st.trust[slots] = np.clip(st.trust[slots] - p.abandonment_trust_loss * rel, 0.0, 1.0)
    pro.clients, pro.client_uid, pro.since = pro.clients[keep], pro.client_uid[keep], pro.since[keep]
    return slots


def close_cases(pro: Professional, st: ResidentState, tick: int, p: Params) -> None:
    """Clients who moved away, recovered, or reached the case limit leave the caseload."""
    if pro.clients.size == 0:
        return
    present = st.uid[pro.clients] == pro.client_uid
    done = st.self_reliance[pro.clients] >= p.discharge_level
    too_long = (tick - pro.since) >= p.max_case_weeks
    release_clients(pro, st, present & ~done & ~too_long, tick, p, abandoned=False)


def near_key_persons(st: ResidentState, ties: TieStore, p: Params) -> np.ndarray:
    """Per slot: tied to a client or to an active resident (easier to reach through networks)."""
    key = (st.client_of >= 0) | (st.participation >= p.active_level)
    return ties.propagate(key.astype(float)) > 0


def recruit(pro: Professional, st: ResidentState, near_network: np.ndarray | None, target: np.ndarray | None,
            tick: int, p: Params, rng: np.random.Generator) -> None:
    """Fill free caseload places, weighted by need and trust; key persons' ties are easier to reach."""
    free = min(pro.caseload - pro.clients.size, pro.intake_per_week)
    if free <= 0:
        return
    need = np.clip(p.need_level - st.self_reliance, 0.0, None)
    eligible = st.alive & (st.client_of < 0) & (need > 0)
    if target is not None:
        eligible &= target
    cand = np.flatnonzero(eligible)
    if cand.size == 0:
        return
    w = need[cand] * (p.recruit_trust_base + st.trust[cand])
    if pro.through_network:
        if near_network is None:
            raise ValueError("a professional working through networks needs near_network")
        w = w * (1.0 + p.key_person_reach * near_network[cand])
    k = min(free, cand.size)
    chosen = rng.choice(cand, size=k, replace=False, p=w / w.sum())
    st.client_of[chosen] = pro.unique_id
    st.reached[chosen] = True
    pro.clients = np.concatenate([pro.clients, chosen])
    pro.client_uid = np.concatenate([pro.client_uid, st.uid[chosen]])
    pro.since = np.concatenate([pro.since, np.full(k, tick, np.int64)])


def work(pro: Professional, st: ResidentState, ties: TieStore, blocks: Blocks, tick: int,
         p: Params, rng: np.random.Generator) -> float:
    """One week of casework; returns the hours spent."""
    c = pro.clients
    if c.size == 0:
        return pro.hours_per_week
    hours = min(pro.hours_per_week * pro.direct_share / c.size, pro.max_hours_per_client)
    rel = pro.relationship_trust(tick)
    if pro.approach == "solving":
        eff = (p.solving_trust_floor + (1 - p.solving_trust_floor) * rel) * p.solving_speed
    else:
        eff = rel
    gain = p.professional_effect * hours * eff
    st.domains[c] += gain[:, None] * deficit_weights(st.domains[c])
    if pro.approach == "solving":
        st.dependency[c] = np.clip(st.dependency[c] + p.dependency_rate * gain, 0.0, 1.0)
    else:
        # Enabling: part of the gain becomes the client's own strength (their potential), more so
        # for those with skills to build on; capacity grows and dependency fades faster.
        skills = st.domains[c, 4]
        lift = p.enabling_potential_share * gain * skills
        st.potential[c] = np.clip(st.potential[c] + lift[:, None] * deficit_weights(st.potential[c]), 0.0, 1.0)
        st.capacity[c] = np.clip(st.capacity[c] + p.enabling_capacity_gain * gain, 0.0, 1.0)
        if pro.through_network:
            mobilise(pro, ties, rel, p)
        connect(pro, st, ties, blocks, tick, p, rng)
    st.domains[c] = np.clip(st.domains[c], 0.0, 1.0)
    st.trust[c] += p.trust_gain_contact * rel * (1.0 - st.trust[c])
    if pro.ask_clients > 0:
        st.asked[c[rng.random(c.size) < pro.ask_clients]] = True
    return pro.hours_per_week


def mobilise(pro: Professional, ties: TieStore, rel: np.ndarray, p: Params) -> None:
    """Strengthen the client's own ties (family, friends, neighbours), more as trust grows."""
    if p.network_mobilisation <= 0:
        return
    ties.reinforce_incident(pro.clients, p.network_mobilisation * rel)  # client by client, in order


def connect(pro: Professional, st: ResidentState, ties: TieStore, blocks: Blocks, tick: int,
            p: Params, rng: np.random.Generator) -> None:
    """Broker new ties between clients and residents of their block (Movisie 2014: connect)."""
    n = rng.poisson(p.connect_rate)
    if n == 0 or pro.clients.size == 0:
        return
    who = pro.clients[rng.integers(0, pro.clients.size, n)]
    partners = blocks.random_member(st.block[who], rng)
    ok = partners >= 0
    ok[ok] = st.alive[partners[ok]]
    ties.add(who[ok], partners[ok], p.tie_initial_strength, 2, tick)


def solved_for(pros: Sequence[Professional], n_slots: int) -> np.ndarray:
    """Per slot: a professional solved problems for this resident this week (a solving caseload)."""
    solved = np.zeros(n_slots, bool)
    for pro in pros:
        if pro.approach == "solving":
            solved[pro.clients] = True
    return solved


def fade_dependency(st: ResidentState, solved: np.ndarray, p: Params) -> None:
    """Dependency fades at `dependency_decay` a week for everyone nobody solved problems for this
    week, whether or not they are in an enabling caseload (odd.md §3.5)."""
    fading = ~solved & (st.dependency > 0)
    st.dependency[fading] *= 1.0 - p.dependency_decay


def professional_work(pros: Sequence[Professional], st: ResidentState, ties: TieStore, blocks: Blocks,
                      tick: int, p: Params, rng: np.random.Generator,
                      targets: dict[int, np.ndarray | None]) -> float:
    """All professionals' week; returns the total hours worked."""
    if not pros:
        return 0.0
    # who is tied to a client or an active resident: only professionals working through networks
    # use it, and skipping the flow changes nothing else (no draws; support's pass made the copy)
    near = near_key_persons(st, ties, p) if any(pro.through_network for pro in pros) else None
    hours = 0.0
    for pro in pros:
        close_cases(pro, st, tick, p)
        recruit(pro, st, near, targets.get(pro.unique_id), tick, p, rng)
        hours += work(pro, st, ties, blocks, tick, p, rng)
    st.update_self_reliance()
    return hours
