"""Tie dynamics: contact strengthens, no contact decays, weak ties break, formation respects
proximity, homophily, max degree and the living (brief §4.5)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from buurtsim.network import TieStore
from buurtsim.params import make_params
from buurtsim.processes.ties import (
    ACQUAINTANCE,
    FAMILY,
    FRIEND,
    NEIGHBOUR,
    contact_and_decay,
    distance_draw,
    family_ties,
    form_ties,
)
from buurtsim.space import Blocks

N = 60


def chain_edges(n: int) -> list[tuple[int, int]]:
    return [(i, i + 1) for i in range(0, n - 1, 2)]


def strengths(ties: TieStore) -> np.ndarray:
    return ties.s[ties.live_ids()].copy()


def test_ties_decay_without_contact(make_state, make_ties) -> None:
    p = make_params(contact_prob=(0.0, 0.0, 0.0, 0.0), tie_decay=0.1)
    st = make_state(N)
    edges = chain_edges(N)
    s0 = np.linspace(0.3, 0.9, len(edges))
    ties = make_ties(N, edges, s0, [NEIGHBOUR, ACQUAINTANCE, FRIEND] * 10)
    flag = contact_and_decay(st, ties, p, np.random.default_rng(0))
    np.testing.assert_allclose(strengths(ties), s0 * 0.9)
    assert not flag.any()


def test_ties_strengthen_with_contact(make_state, make_ties) -> None:
    p = make_params(contact_prob=(1.0, 1.0, 1.0, 1.0), tie_decay=0.0, tie_reinforce=0.1)
    st = make_state(N)
    s0 = np.full(N // 2, 0.64)
    ties = make_ties(N, chain_edges(N), s0, NEIGHBOUR)
    contact_and_decay(st, ties, p, np.random.default_rng(1))
    s1 = strengths(ties)
    met = s1 > s0
    assert (s1 >= s0).all()
    # P(contact) = 1.0 * sqrt(0.64) = 0.8 per tie: 30 ties, at least a few met
    assert met.sum() >= 10
    np.testing.assert_allclose(s1[met], 0.64 + 0.1 * 0.36)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_contact_keeps_ties_stronger_than_no_contact(make_state, make_ties, seed: int) -> None:
    st = make_state(N)
    rich = make_ties(N, chain_edges(N), 0.5, NEIGHBOUR)
    poor = make_ties(N, chain_edges(N), 0.5, NEIGHBOUR)
    rng = np.random.default_rng(seed)
    for _ in range(10):
        contact_and_decay(st, rich, make_params(contact_prob=(0.8, 0.8, 0.8, 0.8)), rng)
        contact_and_decay(st, poor, make_params(contact_prob=(0.1, 0.1, 0.1, 0.1)), rng)
    assert rich.strength_sum().sum() > poor.strength_sum().sum()


def four_pairs_one_week(make_state, make_ties, strength: list[float], kind: list[int], **over) -> TieStore:
    """Ties (0,1), (2,3), (4,5), (6,7) with the given strengths and kinds, after one week without contact."""
    p = make_params(contact_prob=(0.0, 0.0, 0.0, 0.0), **over)
    ties = make_ties(8, [(0, 1), (2, 3), (4, 5), (6, 7)], strength, kind)
    contact_and_decay(make_state(8), ties, p, np.random.default_rng(0))
    return ties


def test_ties_break_below_threshold_but_family_ties_do_not(make_state, make_ties) -> None:
    ties = four_pairs_one_week(make_state, make_ties, [0.054, 0.054, 0.3, 0.054],
                               [NEIGHBOUR, FAMILY, FRIEND, ACQUAINTANCE], tie_decay=0.1, tie_break_strength=0.05)
    alive = {(int(ties.a[e]), int(ties.b[e])): float(ties.s[e]) for e in ties.live_ids()}
    assert set(alive) == {(2, 3), (4, 5)}
    assert alive[(2, 3)] == pytest.approx(0.05)  # family ties are floored, never broken
    assert alive[(4, 5)] == pytest.approx(0.27)
    assert ties.degree()[[0, 1, 6, 7]].tolist() == [0, 0, 0, 0]


def test_strong_neighbour_and_acquaintance_ties_become_friendships(make_state, make_ties) -> None:
    ties = four_pairs_one_week(make_state, make_ties, [0.7, 0.7, 0.5, 0.7],
                               [NEIGHBOUR, ACQUAINTANCE, NEIGHBOUR, FAMILY], tie_decay=0.0, friend_strength=0.6)
    kinds = {(int(ties.a[e]), int(ties.b[e])): int(ties.kind[e]) for e in ties.live_ids()}
    assert kinds == {(0, 1): FRIEND, (2, 3): FRIEND, (4, 5): NEIGHBOUR, (6, 7): FAMILY}


def test_neighbour_contact_flag_marks_same_block_contact_only(make_state, make_ties) -> None:
    p = make_params(contact_prob=(1.0, 1.0, 1.0, 0.0))
    st = make_state(30, per_block=10)  # blocks: 0-9, 10-19, 20-29
    ties = make_ties(30, [(0, 1), (2, 15), (20, 21)], 1.0, [NEIGHBOUR, FRIEND, ACQUAINTANCE])
    flag = contact_and_decay(st, ties, p, np.random.default_rng(0))
    assert flag[0] and flag[1]
    assert not flag[2] and not flag[15]  # contact, but across blocks
    # strength 1 with probability 1 means certain contact; probability 0 means none
    assert not flag[20] and not flag[21]
    assert flag.sum() == 2


# --- formation -----------------------------------------------------------------------------------

def formation_setup(make_state, n: int = 200, **over):
    p = make_params(**over)
    st = make_state(n, per_block=20)
    ties = TieStore(n)
    ties._rebuild()
    return p, st, ties, Blocks(st.block)


def test_new_ties_join_living_distinct_residents_with_kind_by_block(make_state) -> None:
    p, st, ties, blocks = formation_setup(make_state)
    st.alive[::3] = False
    n_new = form_ties(st, ties, blocks, 7, p, np.random.default_rng(0), ties.degree(), n_attempts=2000)
    e = ties.live_ids()
    assert n_new == e.size > 50
    a, b = ties.a[e], ties.b[e]
    assert st.alive[a].all() and st.alive[b].all()
    assert (a != b).all()
    same = st.block[a] == st.block[b]
    np.testing.assert_array_equal(ties.kind[e], np.where(same, NEIGHBOUR, ACQUAINTANCE))
    np.testing.assert_allclose(ties.s[e], p.tie_initial_strength)
    assert (ties.born[e] == 7).all()


def test_most_ties_are_local_when_local_share_is_high(make_state) -> None:
    p, st, ties, blocks = formation_setup(make_state, local_share=0.9, triadic_share=0.0)
    form_ties(st, ties, blocks, 0, p, np.random.default_rng(1), ties.degree(), n_attempts=3000)
    e = ties.live_ids()
    assert (st.block[ties.a[e]] == st.block[ties.b[e]]).mean() > 0.8
    p2, st2, ties2, blocks2 = formation_setup(make_state, local_share=0.1, triadic_share=0.0)
    form_ties(st2, ties2, blocks2, 0, p2, np.random.default_rng(1), ties2.degree(), n_attempts=3000)
    e2 = ties2.live_ids()
    assert (st2.block[ties2.a[e2]] == st2.block[ties2.b[e2]]).mean() < 0.5


def test_no_new_ties_for_residents_at_max_degree(make_state) -> None:
    p, st, ties, blocks = formation_setup(make_state, max_degree=5)
    degree = np.zeros(st.size, np.int64)
    degree[:100] = 5
    form_ties(st, ties, blocks, 0, p, np.random.default_rng(2), degree, n_attempts=3000)
    e = ties.live_ids()
    assert e.size > 0
    assert (ties.a[e] >= 100).all() and (ties.b[e] >= 100).all()


def test_homophily_status_keeps_distant_statuses_apart(make_state) -> None:
    def cross_share(h: float) -> float:
        p, st, ties, blocks = formation_setup(make_state, homophily_status=h, local_share=1.0, triadic_share=0.0)
        st.self_reliance[:] = np.where(np.arange(st.size) % 2 == 0, 0.2, 0.8)
        form_ties(st, ties, blocks, 0, p, np.random.default_rng(3), ties.degree(), n_attempts=4000)
        e = ties.live_ids()
        assert e.size > 0
        return float((st.self_reliance[ties.a[e]] != st.self_reliance[ties.b[e]]).mean())

    assert cross_share(50.0) == 0.0  # exp(-50 x 0.6) ~ 1e-13
    assert cross_share(0.0) > 0.3


def test_style_homophily_favours_same_style(make_state) -> None:
    p, st, ties, blocks = formation_setup(make_state, homophily_style=0.1, homophily_status=0.0,
                                          local_share=1.0, triadic_share=0.0)
    st.style[:] = np.arange(st.size) % 2
    form_ties(st, ties, blocks, 0, p, np.random.default_rng(4), ties.degree(), n_attempts=4000)
    e = ties.live_ids()
    same = (st.style[ties.a[e]] == st.style[ties.b[e]]).mean()
    assert same > 0.75  # meetings are ~half same-style; acceptance favours them 10:1


def test_family_ties_link_each_household(make_state) -> None:
    st = make_state(10)
    st.household[:] = [0, 0, 0, 1, 2, 2, 3, 3, 3, 3]
    ties = TieStore(10)
    p = make_params(family_tie_strength=0.8)
    family_ties(st, ties, np.arange(10), 0, p)
    e = ties.live_ids()
    assert (ties.kind[e] == FAMILY).all()
    assert (ties.s[e] == 0.8).all()  # the parameter, not a fixed number
    assert e.size == 10 - 4  # a chain: one tie fewer than members in each of the 4 households
    assert (st.household[ties.a[e]] == st.household[ties.b[e]]).all()
    g = nx.Graph()
    g.add_nodes_from(range(10))
    g.add_edges_from(zip(ties.a[e].tolist(), ties.b[e].tolist(), strict=True))
    comps = sorted(sorted(c) for c in nx.connected_components(g))
    assert comps == [[0, 1, 2], [3], [4, 5], [6, 7, 8, 9]]


def test_distance_draw_range_and_exponent() -> None:
    rng = np.random.default_rng(0)
    for exponent in (0.5, 1.6, 2.0, 3.0):
        d = distance_draw(10_000, exponent, 20.0, rng)
        assert (d >= 1.0).all() and (d <= 20.0 + 1e-9).all()
    near = np.median(distance_draw(10_000, 3.0, 20.0, rng))
    far = np.median(distance_draw(10_000, 0.5, 20.0, rng))
    assert near < far


def test_ties_end_at_the_declared_rate_and_family_ties_never(make_ties) -> None:
    from buurtsim.params import make_params
    from buurtsim.processes.ties import FAMILY, end_ties

    n = 4000
    edges = np.stack([np.arange(0, n, 2), np.arange(1, n, 2)], axis=1)
    kinds = np.where(np.arange(edges.shape[0]) % 2 == 0, FAMILY, 1)
    ties = make_ties(n, edges, strength=0.8, kind=kinds)
    ended = end_ties(ties, make_params(tie_end_rate=0.05), np.random.default_rng(2))
    alive = ties.alive[: ties.n]
    assert (alive[kinds == FAMILY]).all()
    assert ended == int((~alive).sum())
    assert ended / (kinds != FAMILY).sum() == pytest.approx(0.05, abs=4 * np.sqrt(0.05 / 1000))
    assert end_ties(ties, make_params(tie_end_rate=0.0), np.random.default_rng(3)) == 0
