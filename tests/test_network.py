"""TieStore: adding, reinforcing, breaking and looking up ties; flows along ties equal a dense
reference; statistics agree with networkx."""

from __future__ import annotations

import copy

import networkx as nx
import numpy as np
import pytest

from buurtsim.network import TieStore, edge_keys
from buurtsim.params import TIE_KINDS

N = 40


def random_edges(n: int, m: int, seed: int) -> np.ndarray:
    """`m` distinct unordered pairs of distinct slots."""
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = (int(v) for v in rng.integers(0, n, 2))
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    return np.array(sorted(pairs), np.int64)


def dense(ties: TieStore) -> np.ndarray:
    """Reference weight matrix built from the live edges."""
    w = np.zeros((ties.n_slots, ties.n_slots))
    for e in ties.live_ids():
        a, b = int(ties.a[e]), int(ties.b[e])
        w[a, b] += ties.s[e]
        w[b, a] += ties.s[e]
    return w


def live_pairs(ties: TieStore) -> set[tuple[int, int]]:
    e = ties.live_ids()
    return {(int(min(a, b)), int(max(a, b))) for a, b in zip(ties.a[e], ties.b[e], strict=True)}


def assert_propagate_matches(ties: TieStore, seed: int = 0) -> None:
    ties.refresh()
    rng = np.random.default_rng(seed)
    w = dense(ties)
    x1 = rng.random(ties.n_slots)
    x2 = rng.random((ties.n_slots, 3))
    np.testing.assert_allclose(ties.propagate(x1), w @ x1, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ties.propagate(x2), w @ x2, rtol=1e-12, atol=1e-12)


@pytest.fixture
def store(make_ties) -> TieStore:
    edges = random_edges(N, 80, seed=1)
    s = np.random.default_rng(2).uniform(0.1, 1.0, len(edges))
    return make_ties(N, edges, s, 2)


# --- add, dedupe, reinforce, revive ------------------------------------------------------------

def test_add_dedupes_within_a_call_and_ignores_self_ties() -> None:
    ties = TieStore(10)
    added = ties.add(np.array([1, 2, 3, 4]), np.array([2, 1, 3, 5]), 0.4, 2, tick=0)
    assert added == 2  # (1,2) twice in either order counts once; (3,3) is no tie
    assert live_pairs(ties) == {(1, 2), (4, 5)}


@pytest.mark.parametrize("rebuild", [False, True])
def test_add_existing_tie_reinforces_instead_of_duplicating(make_ties, rebuild: bool) -> None:
    ties = make_ties(10, [(1, 2), (3, 4)], [0.3, 0.8], 2, rebuild=rebuild)
    n_before = ties.n
    assert ties.add(np.array([2, 4]), np.array([1, 3]), np.array([0.6, 0.5]), 1, tick=5) == 0
    assert ties.n == n_before
    eid = ties.lookup(edge_keys(np.array([1, 3]), np.array([2, 4])))
    # the stronger of old and offered strength; a weaker offer never lowers a tie
    np.testing.assert_allclose(ties.s[eid], [0.6, 0.8])
    assert ties.degree()[[1, 2, 3, 4]].tolist() == [1, 1, 1, 1]


@pytest.mark.parametrize("rebuild", [False, True])
def test_kill_breaks_and_add_revives(make_ties, rebuild: bool) -> None:
    ties = make_ties(10, [(1, 2), (2, 3)], 0.7, 2, rebuild=rebuild)
    eid = ties.lookup(edge_keys(np.array([1]), np.array([2])))
    v = ties.version
    ties.kill(eid)
    assert ties.version > v
    assert not ties.alive[eid[0]] and ties.s[eid[0]] == 0.0
    assert live_pairs(ties) == {(2, 3)}
    assert ties.degree().tolist()[1:4] == [0, 1, 1]
    ties.kill(eid)  # killing a dead tie changes nothing
    assert live_pairs(ties) == {(2, 3)}
    assert ties.add(np.array([2]), np.array([1]), 0.2, 3, tick=9) == 1
    e2 = ties.lookup(edge_keys(np.array([1]), np.array([2])))[0]
    assert ties.alive[e2] and ties.s[e2] == pytest.approx(0.2)
    assert ties.kind[e2] == 3 and ties.born[e2] == 9
    assert live_pairs(ties) == {(1, 2), (2, 3)}


def test_kill_counts_as_the_numpy_formulation_did(store: TieStore) -> None:
    """kill() is one compiled pass; the numpy steps it replaced (mask the live ids, break them, count
    those among the built ties, an id listed twice counted twice) give the same state and counts."""
    ref = copy.deepcopy(store)
    live = store.live_ids()
    store.kill(live[:3])  # some dead ids in the next call
    ref_eids = live[:3]
    ref.alive[ref_eids] = False
    ref.s[ref_eids] = 0.0
    ref.dead_since_build += int(np.count_nonzero(ref_eids < ref.n_built))
    eids = np.concatenate([live[:5], live[4:6], live[-2:]])  # dead, live, a duplicate
    store.kill(eids)
    eids = eids[ref.alive[eids]]
    ref.alive[eids] = False
    ref.s[eids] = 0.0
    ref.dead_since_build += int(np.count_nonzero(eids < ref.n_built))
    assert np.array_equal(store.alive, ref.alive) and np.array_equal(store.s, ref.s)
    assert store.dead_since_build == ref.dead_since_build


def test_kill_refuses_ids_outside_the_store(store: TieStore) -> None:
    before = store.alive.copy()
    with pytest.raises(IndexError):
        store.kill(np.array([0, -1]))
    with pytest.raises(IndexError):
        store.kill(np.array([store.n]))
    assert np.array_equal(store.alive, before)


def test_lookup_finds_built_and_pending_ties_and_misses_absent_ones(make_ties) -> None:
    ties = make_ties(20, [(0, 1), (2, 3)], 0.5)
    ties.add(np.array([5, 7]), np.array([6, 8]), 0.5, 2, tick=1)  # pending (not yet rebuilt)
    assert ties.n > ties.n_built
    keys = edge_keys(np.array([1, 3, 6, 8, 0, 9]), np.array([0, 2, 5, 7, 2, 9]))
    eid = ties.lookup(keys)
    assert (eid[:4] >= 0).all() and (eid[4:] == -1).all()
    found = edge_keys(ties.a[eid[:4]], ties.b[eid[:4]])
    np.testing.assert_array_equal(found, keys[:4])


def test_lookup_on_empty_store_returns_minus_one() -> None:
    ties = TieStore(5)
    assert ties.lookup(edge_keys(np.array([0, 1]), np.array([1, 2]))).tolist() == [-1, -1]


def test_edge_keys_are_symmetric_and_unique() -> None:
    a, b = np.array([1, 2, 1, 7]), np.array([2, 1, 3, 0])
    k = edge_keys(a, b)
    assert k[0] == k[1]
    assert len({int(k[0]), int(k[2]), int(k[3])}) == 3


# --- incident, remove_slots ----------------------------------------------------------------------

def test_incident_returns_live_ties_of_slots_built_and_pending(store: TieStore) -> None:
    store.add(np.array([0, 0]), np.array([38, 39]), 0.5, 2, tick=1)  # pending ties of slot 0
    store.kill(store.incident(np.array([5]))[:1])
    slots = np.array([0, 5, 7])
    got = store.incident(slots)
    expect = [e for e in store.live_ids() if store.a[e] in slots or store.b[e] in slots]
    assert sorted(got.tolist()) == sorted(int(e) for e in expect)
    assert store.alive[got].all()
    assert store.incident(np.array([], np.int64)).size == 0


def test_remove_slots_breaks_every_tie_of_the_movers_and_only_those(store: TieStore) -> None:
    store.add(np.array([3]), np.array([30]), 0.5, 2, tick=1)  # one pending tie too
    movers = np.array([3, 11])
    before = live_pairs(store)
    expected = {p for p in before if p[0] in movers or p[1] in movers}
    assert store.remove_slots(movers) == len(expected)
    assert live_pairs(store) == before - expected
    assert (store.degree()[movers] == 0).all()
    assert_propagate_matches(store)


def test_reinforce_incident_equals_a_loop_of_incident_calls(store: TieStore) -> None:
    """Client by client, in order, with a tie between two clients grown twice: the same bits as the
    loop over `incident` it replaced in professional work, built and pending ties alike."""
    store.add(np.array([0, 0, 5]), np.array([38, 39, 7]), 0.5, 2, tick=1)  # pending ties, one between two clients
    store.kill(store.incident(np.array([5]))[:1])  # a dead tie must not grow
    slots = np.array([0, 5, 7, 0])  # a slot listed twice grows twice
    rates = np.array([0.03, 0.02, 0.05, 0.01])
    expect = store.s.copy()
    for slot, rate in zip(slots.tolist(), rates.tolist(), strict=True):
        e = store.incident(np.array([slot]))
        expect[e] += rate * (1.0 - expect[e])
    store.reinforce_incident(slots, rates)
    np.testing.assert_array_equal(store.s, expect)
    with pytest.raises(IndexError):
        store.reinforce_incident(np.array([store.n_slots]), np.array([0.1]))
    with pytest.raises(ValueError, match="one rate per slot"):
        store.reinforce_incident(np.array([1, 2]), np.array([0.1]))


# --- flows -------------------------------------------------------------------------------------------

def test_propagate_equals_dense_reference_after_rebuild(store: TieStore) -> None:
    assert store.n == store.n_built
    assert_propagate_matches(store)


def test_propagate_equals_dense_reference_with_only_pending_ties(make_ties) -> None:
    edges = random_edges(N, 60, seed=3)
    ties = make_ties(N, edges, np.linspace(0.1, 0.9, 60), 2, rebuild=False)
    assert ties.n_built == 0 and ties.n == 60
    assert_propagate_matches(ties)


def test_propagate_equals_dense_reference_with_pending_dead_and_changed_ties(store: TieStore) -> None:
    rng = np.random.default_rng(5)
    # pending additions, some of which die again
    new = random_edges(N, 120, seed=9)
    store.add(new[:, 0], new[:, 1], rng.uniform(0.1, 1, len(new)), 3, tick=1)
    assert store.n > store.n_built
    live = store.live_ids()
    store.kill(rng.choice(live, 25, replace=False))
    # strengths change in place (as contact and decay do)
    live = store.live_ids()
    store.s[live] *= rng.uniform(0.5, 1.0, live.size)
    assert_propagate_matches(store)
    store.maybe_rebuild()
    assert_propagate_matches(store)
    store._rebuild()
    assert store.n == store.n_built == len(live_pairs(store))
    assert store.alive[: store.n].all()
    assert_propagate_matches(store)


def test_maybe_rebuild_only_after_enough_churn() -> None:
    ties = TieStore(3000, rebuild_churn=0.01)  # threshold: 1 % of max(n_built, 1000) = 10 changes
    edges = random_edges(3000, 5, seed=1)
    ties.add(edges[:, 0], edges[:, 1], 0.5, 2, 0)
    assert not ties.maybe_rebuild()
    assert ties.n_built == 0
    more = random_edges(3000, 40, seed=2)
    ties.add(more[:, 0], more[:, 1], 0.5, 2, 0)
    assert ties.maybe_rebuild()
    assert ties.n_built == ties.n == len(live_pairs(ties))
    assert_propagate_matches(ties)


def test_refresh_makes_killed_ties_weigh_nothing(store: TieStore) -> None:
    store.kill(store.live_ids()[:10])
    assert_propagate_matches(store)


# --- statistics -------------------------------------------------------------------------------------

def test_degree_and_strength_sum_match_dense_reference(store: TieStore) -> None:
    store.add(np.array([1, 2]), np.array([38, 39]), 0.05, 3, tick=1)
    store.kill(store.live_ids()[:5])
    w = dense(store)
    np.testing.assert_array_equal(store.degree(), (w > 0).sum(axis=1))
    np.testing.assert_allclose(store.strength_sum(), w.sum(axis=1))
    np.testing.assert_array_equal(store.degree(min_strength=0.5), (w >= 0.5).sum(axis=1))


def to_reference_graph(ties: TieStore) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(ties.n_slots))
    g.add_edges_from(live_pairs(ties))
    return g


def nx_mean_clustering_deg2(g: nx.Graph) -> float:
    nodes = [v for v in g if g.degree(v) >= 2]
    cl = nx.clustering(g, nodes)
    return float(np.mean([cl[v] for v in nodes]))


@pytest.mark.parametrize("state", ["built", "pending", "dead"])
def test_clustering_equals_networkx_over_nodes_with_degree_two(make_ties, state: str) -> None:
    # a clustered graph: a ring lattice with some random shortcuts
    g0 = nx.watts_strogatz_graph(N, 6, 0.2, seed=4)
    edges = np.array(sorted(g0.edges()), np.int64)
    ties = make_ties(N, edges, 0.5, 2, rebuild=(state != "pending"))
    if state == "dead":
        ties.kill(np.random.default_rng(1).choice(ties.live_ids(), 20, replace=False))
        extra = random_edges(N, 10, seed=8)
        ties.add(extra[:, 0], extra[:, 1], 0.5, 2, 1)
    g = to_reference_graph(ties)
    sample = np.array([v for v in g if g.degree(v) >= 2])
    assert ties.clustering(sample) == pytest.approx(nx_mean_clustering_deg2(g), abs=1e-12)
    # nodes with degree < 2 in the sample are left out, not counted as zero
    low = np.array([v for v in g if g.degree(v) < 2] or [], np.int64)
    assert ties.clustering(np.concatenate([sample, low])) == pytest.approx(ties.clustering(sample))


def test_clustering_of_triangle_and_star() -> None:
    tri = TieStore(3)
    tri.add(np.array([0, 1, 2]), np.array([1, 2, 0]), 0.5, 2, 0)
    assert tri.clustering(np.arange(3)) == pytest.approx(1.0)
    star = TieStore(5)
    star.add(np.zeros(4, np.int64), np.arange(1, 5), 0.5, 2, 0)
    star._rebuild()
    assert star.clustering(np.arange(5)) == pytest.approx(0.0)
    assert star.clustering(np.array([], np.int64)) == 0.0


def test_to_networkx_is_keyed_by_uid_with_strength_and_kind(store: TieStore) -> None:
    uid = np.arange(N) * 10 + 7
    alive = np.arange(N)
    store.add(np.array([0]), np.array([39]), 0.42, 1, tick=1)
    g = store.to_networkx(uid, alive)
    assert set(g.nodes) == {int(u) for u in uid}
    expect = {(int(uid[a]), int(uid[b])) for a, b in live_pairs(store)}
    assert {(min(a, b), max(a, b)) for a, b in g.edges} == expect
    data = g.edges[int(uid[0]), int(uid[39])]
    assert data["strength"] == pytest.approx(0.42)
    assert data["kind"] == TIE_KINDS[1]
    assert g.number_of_edges() == len(live_pairs(store))


def test_random_neighbour_is_a_live_neighbour_or_minus_one(store: TieStore) -> None:
    rng = np.random.default_rng(0)
    store.kill(store.live_ids()[::3])
    slots = np.repeat(np.arange(N), 5)
    nb = store.random_neighbour(slots, rng)
    pairs = live_pairs(store)
    for s, v in zip(slots.tolist(), nb.tolist(), strict=True):
        if v >= 0:
            assert (min(s, v), max(s, v)) in pairs
    deg = store.degree()
    isolated = deg[slots] == 0
    assert (nb[isolated] == -1).all()


def test_sparse_structure_is_scipys_canonical_form_with_edge_ids() -> None:
    """The matrix is built by a compiled counting sort; it must equal scipy's own construction
    (rows sorted by column) and map every entry to the tie it stands for."""
    import scipy.sparse as sp

    rng = np.random.default_rng(4)
    n = 60
    pairs = rng.integers(0, n, (300, 2))
    store = TieStore(n)
    store.add(pairs[:, 0], pairs[:, 1], rng.random(300), 2, 0)
    store.kill(np.arange(0, store.n, 7))
    store._rebuild()
    m = store.n
    a, b = store.a[:m].astype(np.int64), store.b[:m].astype(np.int64)
    ids = np.concatenate([np.arange(m), np.arange(m)]) + 1.0
    ref = sp.csr_array((ids, (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n))
    mat = store._mat
    np.testing.assert_array_equal(mat.indptr, ref.indptr)
    np.testing.assert_array_equal(mat.indices, ref.indices)
    np.testing.assert_array_equal(store._eid, ref.data.astype(np.int64) - 1)
    store.refresh()
    weights = sp.csr_array((store.s[store._eid], ref.indices, ref.indptr), shape=(n, n))
    np.testing.assert_array_equal(store.propagate(np.ones(n)), weights @ np.ones(n))
