"""Informal support: moves self-reliance from capacity to need, costs the giver capacity, and
sustained over-asking wears the giver down (brief §4.2, pattern 5)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from tests.processes import numpy_reference as ref

from buurtsim.params import make_params
from buurtsim.processes.support import deficit_weights, informal_support

HEALTH = 2


def pair_state(make_state, make_ties, **over):
    """Slot 0 a strong giver, slot 1 a needy receiver tied to it, slot 2 needy and isolated."""
    p = make_params(**over)
    st = make_state(3, domains=[[0.9] * 5, [0.3] * 5, [0.3] * 5])
    st.capacity[:] = st.self_reliance
    st.load[:] = 0.0
    ties = make_ties(3, [(0, 1)], 0.5)
    return p, st, ties


def test_support_flows_from_capacity_to_need(make_state, make_ties) -> None:
    p, st, ties = pair_state(make_state, make_ties)
    sr0, cap0 = st.self_reliance.copy(), st.capacity.copy()
    dom0 = st.domains.copy()
    given, received = informal_support(st, ties, p)
    need1 = p.need_level - sr0[1]
    expected = p.support_rate * cap0[0] * 0.5 * need1
    assert given[0] == pytest.approx(expected) and received[1] == pytest.approx(expected)
    assert given[1] == 0 and received[0] == 0  # the strong giver needs nothing
    # the receiver's domains rise by exactly support_effect x received in total
    assert (st.domains[1] - dom0[1]).sum() == pytest.approx(p.support_effect * expected)
    assert st.self_reliance[1] > sr0[1]
    # the giver pays capacity (capacity was at its target, so only the cost moves it)
    assert st.capacity[0] == pytest.approx(cap0[0] - p.support_cost * expected)
    assert st.self_reliance[0] == pytest.approx(sr0[0])
    # the isolated resident neither gives nor receives
    np.testing.assert_array_equal(st.domains[2], dom0[2])
    assert given[2] == received[2] == 0
    np.testing.assert_allclose(st.given, given)


def test_no_ties_no_support(make_state, make_ties) -> None:
    p, st, _ = pair_state(make_state, make_ties)
    dom0 = st.domains.copy()
    given, received = informal_support(st, make_ties(3), p)
    assert given.sum() == received.sum() == 0
    np.testing.assert_array_equal(st.domains, dom0)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_total_given_equals_total_received(make_model, seed: int) -> None:
    m = make_model(n=200, seed=seed)
    m.state.alive[::7] = False  # dead slots neither give nor receive
    m.ties.refresh()
    given, received = informal_support(m.state, m.ties, m.params)
    assert given.sum() > 0
    assert given.sum() == pytest.approx(received.sum(), rel=1e-10)
    assert given[~m.state.alive].sum() == received[~m.state.alive].sum() == 0


def test_more_capacity_gives_more_and_more_need_receives_more(make_state, make_ties) -> None:
    p = make_params()
    # two givers with different capacity, each tied to one receiver with different need
    st = make_state(4, domains=[[0.9] * 5, [0.9] * 5, [0.3] * 5, [0.1] * 5])
    st.capacity[:] = [0.9, 0.3, 0.0, 0.0]
    ties = make_ties(4, [(0, 2), (1, 3)], 0.5)
    given, received = informal_support(st, ties, p)
    assert given[0] > 0 and given[1] > 0
    # given is proportional to the giver's capacity and the receiver's need
    assert given[0] / (0.9 * (0.6 - 0.3)) == pytest.approx(given[1] / (0.3 * (0.6 - 0.1)))
    # each pair is isolated: what one gives the other receives
    assert received[2] == pytest.approx(given[0]) and received[3] == pytest.approx(given[1])


def test_support_goes_mostly_to_the_weakest_domains() -> None:
    d = np.array([[0.1, 0.5, 0.9, 0.5, 0.5]])
    w = deficit_weights(d)
    assert w.sum() == pytest.approx(1.0)
    assert w[0, 0] > w[0, 1] > w[0, 2]
    full = deficit_weights(np.array([[1.0, 0.5, 0.5, 1.0, 0.0]]))
    assert full[0, 0] == full[0, 3] == 0.0  # a full domain takes no share
    assert full.sum() == pytest.approx(1.0)
    assert (deficit_weights(np.ones((2, 5))) <= 0.2 + 1e-12).all()


def over_asked_state(make_state, make_ties, n_receivers: int):
    st = make_state(1 + n_receivers, domains=[[0.9] * 5] + [[0.1] * 5] * n_receivers)
    st.capacity[:] = st.self_reliance
    st.load[:] = 0.0
    ties = make_ties(1 + n_receivers, [(0, i) for i in range(1, 1 + n_receivers)], 1.0)
    return st, ties


def run_weeks(st, ties, p, weeks: int, keep_need: bool = True) -> None:
    receivers = st.domains[1:].copy()
    for _ in range(weeks):
        informal_support(st, ties, p)
        if keep_need:  # the receivers stay needy (as new problems keep coming)
            st.domains[1:] = receivers
            st.update_self_reliance()


def test_sustained_over_asking_lowers_the_givers_health(make_state, make_ties) -> None:
    p = make_params()
    harmed, ties = over_asked_state(make_state, make_ties, 12)
    control, _ = over_asked_state(make_state, make_ties, 12)
    run_weeks(harmed, ties, p, 30)
    run_weeks(control, ties, make_params(overburden_harm=0.0), 30)
    assert harmed.load[0] > p.overburden_load
    assert harmed.domains[0, HEALTH] < control.domains[0, HEALTH] - 0.05
    assert harmed.self_reliance[0] < control.self_reliance[0]
    # without the harm the giver's own domains are untouched
    assert control.domains[0] == pytest.approx([0.9] * 5)


def test_a_lightly_loaded_helper_is_not_harmed(make_state, make_ties) -> None:
    p = make_params()
    st, ties = over_asked_state(make_state, make_ties, 1)
    ties.s[: ties.n] = 0.1
    ties.refresh()
    run_weeks(st, ties, p, 30)
    assert 0 < st.load[0] < p.overburden_load
    assert st.domains[0] == pytest.approx([0.9] * 5)


def test_harm_follows_the_running_load_not_one_week(make_state, make_ties) -> None:
    """Over-asking is sustained: harm = overburden_harm x (load - overburden_load) with load a
    running mean of support given, so a giver with a long high load is harmed even in a week in
    which they give little, and a first heavy week harms less than the same week after many."""
    p = make_params(load_memory=0.125, overburden_load=0.02, overburden_harm=0.6)
    st, ties = over_asked_state(make_state, make_ties, 12)
    h0 = st.domains[0, HEALTH]
    given, _ = informal_support(st, ties, p)
    first_drop = h0 - st.domains[0, HEALTH]
    load1 = p.load_memory * given[0]
    assert st.load[0] == pytest.approx(load1)
    assert first_drop == pytest.approx(p.overburden_harm * max(load1 - p.overburden_load, 0.0))
    # a long-loaded giver whose ties no longer need anything still carries the load and is harmed
    st2, _ = over_asked_state(make_state, make_ties, 12)
    st2.load[0] = 0.2
    h = st2.domains[0, HEALTH]
    given2, _ = informal_support(st2, make_ties(13), p)
    assert given2[0] == 0
    load = 0.2 * (1 - p.load_memory)
    assert st2.domains[0, HEALTH] == pytest.approx(h - p.overburden_harm * (load - p.overburden_load))


def test_full_empty_and_overloaded_rows_match_numpy(make_state, make_ties) -> None:
    # edge rows for the compiled kernel: every domain full (the gain has nowhere to go), every
    # domain empty, helpers loaded beyond the bearable level, and empty dwellings
    n = 60
    rng = np.random.default_rng(8)
    domains = rng.random((n, 5))
    domains[:6] = 1.0
    domains[6:12] = 0.0
    st = make_state(n, domains=domains, capacity=rng.random(n), load=rng.random(n) * 2.0)
    st.alive[rng.random(n) < 0.15] = False
    edges = np.unique(np.sort(rng.integers(0, n, (150, 2)), axis=1), axis=0)
    edges = edges[edges[:, 0] != edges[:, 1]]
    p = make_params(overburden_harm=0.05)
    twin, twin_ties = copy.deepcopy(st), make_ties(n, edges, 0.6)
    informal_support(st, make_ties(n, edges, 0.6), p)
    ref.informal_support(twin, twin_ties, p)
    for name in ("domains", "self_reliance", "capacity", "load", "given"):
        np.testing.assert_array_equal(getattr(st, name), getattr(twin, name), err_msg=name, strict=True)
    assert (np.delete(st.domains[:6], HEALTH, axis=1) == 1.0).all()  # full stays full: no division by 0
    assert (st.load > p.overburden_load).any(), "the test needs overloaded helpers"
