"""The compiled weekly processes give exactly what their numpy formulation gives (tests/processes/
numpy_reference.py), on states with vacant dwellings, ties not yet in the sparse matrix, dependency,
initiatives and residents who were asked: same seed, same draws, same numbers to the last bit."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from tests.conftest import build_model
from tests.processes import numpy_reference as ref

from buurtsim.network import edge_keys
from buurtsim.network_loops import live_in_key_order
from buurtsim.population import household_ranks
from buurtsim.processes.initiatives import Initiatives, _founders_pool, found, sustain
from buurtsim.processes.life_events import _distinct_sorted, life_events
from buurtsim.processes.migration import movers
from buurtsim.processes.participation import _active_slots, active_flags, climb_ladder
from buurtsim.processes.perceptions import perceptions
from buurtsim.processes.position import change_position
from buurtsim.processes.support import informal_support
from buurtsim.processes.ties import (
    FAMILY,
    _accepted,
    _meetings,
    _non_family_at,
    _non_family_counts,
    candidates,
    contact_and_decay,
    distance_draw,
    end_ties,
)

STATE_FIELDS = ("domains", "self_reliance", "capacity", "load", "given", "participation", "asked",
                "safety", "trust", "attachment")


@pytest.fixture(params=[0, 1, 2])
def world(request: pytest.FixtureRequest):
    """A model part-way through a run, with vacancies, pending ties, dependency and asked residents."""
    m = build_model(n=300, seed=request.param, move_rate=0.03, inflow=False)
    m.run(12)
    rng = np.random.default_rng(request.param)
    st = m.state
    st.dependency[:] = rng.random(st.size) * 0.6
    st.asked[:] = rng.random(st.size) < 0.2
    st.initiative[rng.random(st.size) < 0.1] = 0
    assert not st.alive.all(), "the test needs vacant dwellings"
    assert m.ties.n > m.ties.n_built, "the test needs ties added since the last rebuild"
    return m


def twins(m):
    """Two independent copies of (state, ties)."""
    return (copy.deepcopy(m.state), copy.deepcopy(m.ties)), (copy.deepcopy(m.state), copy.deepcopy(m.ties))


def assert_same_state(a, b) -> None:
    for name in STATE_FIELDS:
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name, strict=True)


def assert_same_ties(a, b) -> None:
    for name in ("s", "kind", "alive"):
        np.testing.assert_array_equal(getattr(a, name)[: a.n], getattr(b, name)[: b.n], err_msg=name)
    assert a.n == b.n and a.dead_since_build == b.dead_since_build


def test_life_events_match_numpy(world) -> None:
    (st1, _), (st2, _) = twins(world)
    shocks1 = life_events(st1, world.params, np.random.default_rng(5))
    shocks2 = ref.life_events(st2, world.params, np.random.default_rng(5))
    np.testing.assert_array_equal(shocks1, shocks2)
    assert shocks1.any()
    assert_same_state(st1, st2)


def test_informal_support_matches_numpy(world) -> None:
    (st1, t1), (st2, t2) = twins(world)
    t1.refresh()
    informal_support(st1, t1, world.params)
    ref.informal_support(st2, t2, world.params)
    assert st1.given.sum() > 0
    assert_same_state(st1, st2)


def test_climb_ladder_matches_numpy(world) -> None:
    (st1, t1), (st2, t2) = twins(world)
    over = np.random.default_rng(9).random(st1.size) < 0.1
    t1.refresh()
    climb_ladder(st1, t1, world.params, np.random.default_rng(6), over)
    ref.climb_ladder(st2, t2, world.params, np.random.default_rng(6), over)
    assert not np.array_equal(st1.participation, world.state.participation)
    assert_same_state(st1, st2)


def test_contact_and_decay_matches_numpy(world) -> None:
    (st1, t1), (st2, t2) = twins(world)
    flag1 = contact_and_decay(st1, t1, world.params, np.random.default_rng(7))
    flag2 = ref.contact_and_decay(st2, t2, world.params, np.random.default_rng(7))
    np.testing.assert_array_equal(flag1, flag2)
    assert flag1.any()
    assert_same_ties(t1, t2)
    # the degree counted on the way is the degree of the surviving ties
    np.testing.assert_array_equal(t1.degree(), t1.totals()[0])


@pytest.mark.parametrize("strength_given", [False, True])
def test_perceptions_match_numpy(world, strength_given: bool) -> None:
    (st1, t1), (st2, t2) = twins(world)
    t1.refresh()
    perceptions(st1, t1, world.params, t1.strength_sum() if strength_given else None)
    ref.perceptions(st2, t2, world.params)
    assert_same_state(st1, st2)


def test_strength_from_the_copy_into_the_matrix_equals_strength_sum(world) -> None:
    """The pass that copies strengths into the matrix also sums them per slot, in edge order."""
    ties = copy.deepcopy(world.ties)
    ties.refresh()
    x = np.random.default_rng(8).random(ties.n_slots)
    (y,), strength = ties.flows_and_strength(x)
    np.testing.assert_array_equal(strength, ties.strength_sum())
    np.testing.assert_array_equal(y, ties.propagate(x))
    ties.s[ties.live_ids()[:50]] *= 0.5  # no copy due now: computed from the ties themselves
    _, again = ties.flows_and_strength(x)
    np.testing.assert_array_equal(again, ties.strength_sum())
    assert again.sum() < strength.sum()


def test_flows_match_scipy_and_bincounts(world) -> None:
    ties = copy.deepcopy(world.ties)
    ties.refresh()
    x = np.random.default_rng(3).random((3, ties.n_slots))
    ys = ties.propagate_many(*x)
    ref.refresh(ties)
    for xi, yi in zip(x, ys, strict=True):
        np.testing.assert_array_equal(yi, ref.propagate(ties, xi))
    np.testing.assert_array_equal(ties.weighted_degree(), ref.propagate(ties, np.ones(ties.n_slots)))


def test_flows_see_strengths_as_of_the_copy_into_the_matrix(world) -> None:
    """refresh() copies strengths at the next flow computation; later changes wait for the next refresh."""
    ties = copy.deepcopy(world.ties)
    e = ties.live_ids()[: ties.n_built // 2]
    e = e[e < ties.n_built]
    x = np.ones(ties.n_slots)
    ties.refresh()
    before = ties.propagate(x)
    ties.s[e] *= 0.5
    np.testing.assert_array_equal(ties.propagate(x), before)
    ties.refresh()
    after = ties.propagate(x)
    assert after.sum() < before.sum()
    ref.refresh(ties)
    np.testing.assert_array_equal(after, ref.propagate(ties, x))


def test_movers_match_numpy(world) -> None:
    st = copy.deepcopy(world.state)
    rng = np.random.default_rng(11)
    st.household[:] = np.arange(st.size) // 3  # households of three, some members gone
    st.income_start[rng.random(st.size) < 0.3] = 0  # some have risen since arrival
    st.attachment[:] = rng.random(st.size)
    st.safety[:] = rng.random(st.size)
    p = world.params.model_copy(update={"move_rate": 0.05})
    out = movers(st, p, np.random.default_rng(12))
    np.testing.assert_array_equal(out, ref.movers(st, p, np.random.default_rng(12)), strict=True)
    assert out.size > 0


def initiatives_world(world, seed: int):
    """Six initiatives (some supported, one ended, one with a single member) with members drawn at
    random, on copies of the world."""
    (st, ties), _ = twins(world)
    ini = Initiatives()
    for _ in range(6):
        ini.new(0)
    ini.supported[::2] = True
    ini.end(np.array([5]), 0)
    rng = np.random.default_rng(seed)
    st.initiative[:] = np.where(rng.random(st.size) < 0.3, rng.integers(0, 6, st.size), -1)
    st.participation[:] = rng.integers(0, 7, st.size)
    st.initiative[np.flatnonzero(st.initiative == 4)[1:]] = -1  # one with too few members
    return st, ties, ini


def assert_same_initiatives(st1, t1, ini1, st2, t2, ini2) -> None:
    np.testing.assert_array_equal(st1.initiative, st2.initiative, strict=True)
    assert (ini1.founded, ini1.ended, ini1.alive) == (ini2.founded, ini2.ended, ini2.alive)
    np.testing.assert_array_equal(ini1.supported, ini2.supported, strict=True)
    assert_same_ties(t1, t2)
    for name in ("a", "b", "born"):
        np.testing.assert_array_equal(getattr(t1, name)[: t1.n], getattr(t2, name)[: t2.n], err_msg=name)


@pytest.mark.parametrize("fade", [0.0, 0.2])
def test_sustain_matches_numpy(world, fade: float) -> None:
    p = world.params.model_copy(update={"initiative_fade": fade, "initiative_tie_rate": 3.0})
    st1, t1, ini1 = initiatives_world(world, 13)
    st2, t2, ini2 = initiatives_world(world, 13)
    r1, r2 = np.random.default_rng(15), np.random.default_rng(15)
    for tick in (1, 2, 3):
        sustain(st1, t1, ini1, tick, p, r1)
        ref.sustain(st2, t2, ini2, tick, p, r2)
        assert_same_initiatives(st1, t1, ini1, st2, t2, ini2)
    assert r1.bit_generator.state == r2.bit_generator.state
    assert 0 < ini1.n_active < 5 and (st1.initiative >= 0).any()
    assert t1.n > world.ties.n  # members met


def test_founding_matches_numpy(world) -> None:
    p = world.params.model_copy(update={"initiative_found_rate": 0.3})
    st1, t1, ini1 = initiatives_world(world, 16)
    st2, t2, ini2 = initiatives_world(world, 16)
    r1, r2 = np.random.default_rng(17), np.random.default_rng(17)
    for tick in (1, 2):
        found(st1, t1, ini1, tick, p, r1, 1.5)
        ref.found(st2, t2, ini2, tick, p, r2, 1.5)
        assert_same_initiatives(st1, t1, ini1, st2, t2, ini2)
    assert r1.bit_generator.state == r2.bit_generator.state
    assert len(ini1.alive) > 8


def test_accepted_meetings_match_numpy(world) -> None:
    st, p = world.state, world.params.model_copy(update={"max_degree": 6})
    rng = np.random.default_rng(16)
    who = np.flatnonzero(st.alive)[rng.integers(0, int(st.alive.sum()), 400)]
    cand = rng.integers(-1, st.size, 400)
    cand[:5] = who[:5]  # meeting oneself
    degree = world.ties.degree()
    w, c, status = _meetings(who, cand, st.alive, degree, p.max_degree, st.self_reliance, -p.homophily_status)
    np.exp(status, out=status)
    got = _accepted(w, c, status, st.style, st.capacity, p.homophily_style, p.accept_capacity_base,
                    p.accept_capacity_weight, st.block,
                    np.random.default_rng(17).random(w.size))
    want = ref.accepted_meetings(st, who, cand, degree, p, np.random.default_rng(17))
    for x, y in zip(got, want, strict=True):
        np.testing.assert_array_equal(x, y, strict=True)
    assert 0 < got[0].size < w.size < who.size


def test_non_family_ties_and_events_match_numpy(world) -> None:
    ties = world.ties
    eligible = np.flatnonzero(ties.alive[: ties.n] & (ties.kind[: ties.n] != FAMILY))
    counts = _non_family_counts(ties.alive, ties.kind, ties.n)
    assert counts[-1] == eligible.size
    ranks = np.random.default_rng(19).permutation(eligible.size)[:40]
    ranks[-2:] = [0, eligible.size - 1]
    np.testing.assert_array_equal(_non_family_at(ties.alive, ties.kind, counts, ranks), eligible[ranks], strict=True)
    every = np.arange(eligible.size)
    np.testing.assert_array_equal(_non_family_at(ties.alive, ties.kind, counts, every), eligible, strict=True)
    idx = np.random.default_rng(18).integers(0, 120, 200)  # repeats, and beyond the last cell
    np.testing.assert_array_equal(_distinct_sorted(idx, 100), ref.distinct_sorted(idx, 100), strict=True)


@pytest.mark.parametrize("rate", [0.002, 0.3])
def test_end_ties_matches_numpy(world, rate: float) -> None:
    (_, t1), (_, t2) = twins(world)
    p = world.params.model_copy(update={"tie_end_rate": rate})
    r1, r2 = np.random.default_rng(35), np.random.default_rng(35)
    ended = [end_ties(t1, p, r1) for _ in range(3)]
    assert ended == [ref.end_ties(t2, p, r2) for _ in range(3)]
    assert sum(ended) > 0
    assert_same_ties(t1, t2)
    assert t1.version == t2.version
    assert r1.bit_generator.state == r2.bit_generator.state


def test_household_ranks_are_the_inverse_of_unique() -> None:
    h = np.random.default_rng(20).integers(0, 50, 300)
    np.testing.assert_array_equal(household_ranks(h), np.unique(h, return_inverse=True)[1].astype(np.int64),
                                  strict=True)


def test_flows_computed_ahead_are_what_a_new_pass_gives(world) -> None:
    """A flow computed ahead in an earlier pass is handed out only while it is still exact."""
    ties = copy.deepcopy(world.ties)
    rng = np.random.default_rng(21)
    x, later = rng.random(ties.n_slots), rng.random(ties.n_slots)
    ties.refresh()
    ties.propagate_many(x, ahead=(later,))
    fresh = copy.deepcopy(ties)
    fresh._ahead = []
    np.testing.assert_array_equal(ties.propagate(later), fresh.propagate(later), strict=True)
    assert ties._recall(later) is not None  # handed out from what was kept
    assert ties._recall(later + 0.0 * later) is not None and ties._recall(later * 0.5) is None

    pending = np.flatnonzero(ties.alive[ties.n_built: ties.n]) + ties.n_built
    ties.s[pending[0]] *= 0.5  # a direct change of a tie not yet in the matrix (as mobilisation does)
    assert ties._recall(later) is None
    np.testing.assert_array_equal(ties.propagate(later), ref.propagate(ties, later))


@pytest.mark.parametrize("change", ["refresh", "add", "kill", "rebuild"])
def test_flows_computed_ahead_are_dropped_when_the_ties_change(world, change: str) -> None:
    ties = copy.deepcopy(world.ties)
    later = np.random.default_rng(22).random(ties.n_slots)
    ties.refresh()
    ties.propagate_many(ahead=(later,))
    assert ties._recall(later) is not None
    if change == "refresh":
        ties.refresh()
    elif change == "add":
        free = np.flatnonzero(ties.degree() == 0)
        a, b = (free[:2] if free.size >= 2 else (0, ties.n_slots - 1))
        ties.add(np.array([a]), np.array([b]), 0.5, 3, 0)
    elif change == "kill":
        ties.kill(ties.live_ids()[-1:])
    else:
        ties._rebuild()
    assert ties._recall(later) is None
    ref.refresh(ties)
    np.testing.assert_array_equal(ties.propagate(later), ref.propagate(ties, later))


@pytest.mark.parametrize("up_work", [0.5, 0.2])  # 0.2: below the problem threshold, up and down at once
def test_change_position_matches_numpy(world, up_work: float) -> None:
    (st1, _), (st2, _) = twins(world)
    p = world.params.model_copy(update={"income_up_work": up_work, "income_up_rate": 0.3, "income_down_rate": 0.3})
    got = change_position(st1, p, np.random.default_rng(23))
    want = ref.change_position(st2, p, np.random.default_rng(23))
    for x, y in zip(got, want, strict=True):
        np.testing.assert_array_equal(x, y, strict=True)
    np.testing.assert_array_equal(st1.income, st2.income, strict=True)
    assert got[0].size and got[1].size


def test_founder_and_active_pools_match_numpy(world) -> None:
    st = world.state
    st = copy.deepcopy(st)
    st.participation[:] = np.random.default_rng(24).integers(0, 7, st.size)
    for rung in (world.params.founder_rung, 3):
        np.testing.assert_array_equal(_founders_pool(st.alive, st.participation, st.initiative, rung),
                                      np.flatnonzero(st.alive & (st.participation >= rung) & (st.initiative < 0)),
                                      strict=True)
    level = world.params.active_level
    np.testing.assert_array_equal(_active_slots(st.alive, st.participation, level),
                                  np.flatnonzero(st.alive & (st.participation >= level)), strict=True)
    np.testing.assert_array_equal(active_flags(st, world.params), (st.participation >= level).astype(float),
                                  strict=True)


def test_live_ties_in_key_order_match_a_sort_of_their_keys(world) -> None:
    ties = copy.deepcopy(world.ties)
    ties.kill(ties.live_ids()[::7])  # dead ties among the built and the pending ones
    assert ties.n > ties.n_built and not ties.alive[: ties.n].all()
    keep = np.flatnonzero(ties.alive[: ties.n])
    keys = edge_keys(ties.a[keep], ties.b[keep])
    order = np.argsort(keys, kind="stable")
    ids, got_keys = live_in_key_order(ties.alive, ties._keys, ties.n_built, ties._pending_keys, ties._pending_ids)
    np.testing.assert_array_equal(ids, keep[order], strict=True)
    np.testing.assert_array_equal(got_keys, keys[order], strict=True)


@pytest.mark.parametrize("exponent", [1.6, 0.0, 1.0, 2.0, 3.0])
def test_meeting_candidates_match_numpy(world, exponent: float) -> None:
    st, p = world.state, world.params.model_copy(update={"distance_exponent": exponent})
    rng = np.random.default_rng(30)
    who = np.flatnonzero(st.alive)[rng.integers(0, int(st.alive.sum()), 500)]
    who[::50] = np.flatnonzero(world.ties.degree() == 0)[0]  # no friend to ask for a friend of a friend
    r1, r2 = np.random.default_rng(31), np.random.default_rng(31)
    got = candidates(st, world.ties, world.blocks, who, p, r1)
    want = ref.candidates(st, world.ties, world.blocks, who, p, r2)
    np.testing.assert_array_equal(got, want, strict=True)
    assert r1.bit_generator.state == r2.bit_generator.state  # the same draws, no more, no fewer
    assert (got == -1).any() and (got >= 0).sum() > 250
    np.testing.assert_array_equal(distance_draw(300, exponent, 9.0, np.random.default_rng(32)),
                                  ref.distance_draw(300, exponent, 9.0, np.random.default_rng(32)), strict=True)


def test_blocks_at_and_random_members_match_numpy(world) -> None:
    blocks = world.blocks
    rng = np.random.default_rng(33)
    x, y = rng.uniform(-2, blocks.side + 2, (2, 1000))
    x[:3], y[:3] = [0.0, blocks.side - 1e-12, -1e-300], [0.0, 0.5, 0.5]  # cell edges
    np.testing.assert_array_equal(blocks.block_at(x, y), ref.block_at(blocks, x, y), strict=True)
    which = np.append(ref.block_at(blocks, x, y), [blocks.n_blocks, -5])
    r1, r2 = np.random.default_rng(34), np.random.default_rng(34)
    np.testing.assert_array_equal(blocks.random_member(which, r1), ref.random_member(blocks, which, r2), strict=True)
    assert r1.bit_generator.state == r2.bit_generator.state
