"""Migration: who moves out (means, little attachment, fear), inflow keeps the population, newcomers
get fresh ids and no ties (brief §4.7; Oelkers (LSA); C11)."""

from __future__ import annotations

import numpy as np
import pytest
from tests.processes import numpy_reference as ref

from buurtsim.params import make_params
from buurtsim.processes.migration import movers
from buurtsim.processes.ties import FAMILY

N = 20_000


def move_share(make_state, seed: int = 0, **fields) -> float:
    p = make_params(move_rate=0.01)
    st = make_state(N, seed=seed, **fields)
    return float(movers(st, p, np.random.default_rng(seed)).size / N)


def test_only_the_living_move_and_nobody_without_a_move_rate(make_state) -> None:
    st = make_state(2000)
    st.alive[::2] = False
    out = movers(st, make_params(move_rate=0.1), np.random.default_rng(0))
    assert out.size > 0 and st.alive[out].all()
    assert len(set(out.tolist())) == out.size
    assert movers(st, make_params(move_rate=0.0), np.random.default_rng(0)).size == 0


@pytest.mark.parametrize("seed", [0, 1])
def test_higher_income_moves_more(make_state, seed: int) -> None:
    rates = [move_share(make_state, seed, income=k, attachment=0.5, safety=0.5) for k in (0, 1, 2)]
    assert rates[0] < rates[1] < rates[2]


@pytest.mark.parametrize("seed", [0, 1])
def test_attachment_keeps_people_and_fear_drives_them_out(make_state, seed: int) -> None:
    loose = move_share(make_state, seed, income=1, attachment=0.1, safety=0.5)
    bound = move_share(make_state, seed, income=1, attachment=0.9, safety=0.5)
    assert loose > 2 * bound
    afraid = move_share(make_state, seed, income=1, attachment=0.5, safety=0.1)
    safe = move_share(make_state, seed, income=1, attachment=0.5, safety=0.9)
    assert afraid > 1.5 * safe


def test_base_rate_at_neutral_attachment_and_safety(make_state) -> None:
    # at attachment = safety = 0.5 the hazard is move_rate x income mobility
    p = make_params(move_rate=0.02, income_mobility=(1.0, 1.0, 1.0))
    st = make_state(N, attachment=0.5, safety=0.5)
    share = movers(st, p, np.random.default_rng(3)).size / N
    assert share == pytest.approx(0.02, abs=4 * np.sqrt(0.02 / N))


# --- in the model ----------------------------------------------------------------------------------

def test_inflow_keeps_the_population_size(make_model) -> None:
    m = make_model(move_rate=0.05, inflow=True)
    df = m.run(12)
    assert df["moved_out"].sum() > 0
    assert (df["population"] == m.params.n_residents).all()
    assert len(m.residents) == m.state.alive.sum() == m.params.n_residents


def test_without_inflow_the_population_shrinks_by_those_who_left(make_model) -> None:
    m = make_model(move_rate=0.05, inflow=False)
    df = m.run(12)
    pop = df["population"].to_numpy()
    assert df["moved_out"].sum() > 0
    np.testing.assert_array_equal(np.diff(pop), -df["moved_out"].to_numpy()[1:])
    assert pop[-1] < m.params.n_residents
    assert len(m.residents) == m.network.number_of_nodes() == pop[-1]


def test_newcomers_get_fresh_ids_only_household_ties_and_old_ids_are_gone(make_model) -> None:
    m = make_model(move_rate=0.05, inflow=True)
    seen = set(m.state.uid[m.state.alive].tolist())
    n_new = 0
    for _ in range(10):
        before = set(m.state.uid[m.state.alive].tolist())
        m.step()
        now = set(m.state.uid[m.state.alive].tolist())
        left, arrived = before - now, now - before
        assert len(left) == len(arrived) == m.metrics()["moved_out"].iloc[-1]
        assert not (arrived & seen)  # an id is never reused
        seen |= arrived
        n_new += len(arrived)
        for uid in arrived:
            slot = int(np.flatnonzero(m.state.uid == uid)[0])
            # newcomers arrive with ties to their own household only (migration ends the week)
            e = m.ties.incident(np.array([slot]))
            assert (m.ties.kind[e] == FAMILY).all()
            others = np.where(m.ties.a[e] == slot, m.ties.b[e], m.ties.a[e])
            assert (m.state.household[others] == m.state.household[slot]).all()
            assert m.state.arrived[slot] == m.tick
        g = m.network
        for uid in left:
            assert uid not in g
            with pytest.raises(KeyError):
                m.resident(uid)
    assert n_new > 0


def test_a_movers_ties_all_break(make_model) -> None:
    m = make_model(move_rate=0.05, inflow=False)
    for _ in range(10):
        m.step()
        e = m.ties.live_ids()
        assert m.state.alive[m.ties.a[e]].all() and m.state.alive[m.ties.b[e]].all()
    assert m.metrics()["moved_out"].sum() > 0


def test_newcomer_profile_shifts_who_arrives(make_model) -> None:
    poor = make_model(move_rate=0.1, newcomer_income_shares=(1.0, 0.0, 0.0))
    poor.run(10)
    new = poor.state.alive & (poor.state.arrived > 0)
    assert new.sum() > 10
    assert (poor.state.income[new] == 0).all()


def test_households_move_together_decided_by_their_head(make_state) -> None:
    st = make_state(3000, attachment=0.5, safety=0.5)
    st.household[:] = np.arange(3000) // 3  # households of three
    out = movers(st, make_params(move_rate=0.05), np.random.default_rng(4))
    assert out.size > 0 and out.size % 3 == 0
    _, counts = np.unique(st.household[out], return_counts=True)
    assert (counts == 3).all()
    # one decision per household: the share of households moving is the head's hazard
    p = make_params(move_rate=0.05, income_mobility=(1.0, 1.0, 1.0))
    share = movers(st, p, np.random.default_rng(5)).size / 3 / 1000
    assert share == pytest.approx(0.05, abs=4 * np.sqrt(0.05 / 1000))


def test_risers_move_out_more_often(make_state) -> None:
    p = make_params(move_rate=0.01, riser_move_multiplier=3.0)
    stay = move_share(make_state, 0, income=1, attachment=0.5, safety=0.5)
    st = make_state(N, income=1, attachment=0.5, safety=0.5)
    st.income_start[:] = 0  # all rose a class since they arrived
    risen = movers(st, p, np.random.default_rng(0)).size / N
    assert risen == pytest.approx(3.0 * stay, rel=0.2)


def test_a_vacated_household_is_relet_to_one_new_household_tied_as_family(make_model) -> None:
    m = make_model(n=200, move_rate=0.05)
    m.run(8)
    new = np.flatnonzero(m.state.alive & (m.state.arrived > 0))
    assert new.size > 0
    for h in np.unique(m.state.household[new]):
        members = np.flatnonzero(m.state.alive & (m.state.household == h))
        if members.size > 1:
            deg = m.ties.degree()[members]
            assert (deg >= 1).all()  # each member tied to the household


def test_scattered_households_with_empty_first_slots_match_numpy(make_state) -> None:
    # members of a household in slots far apart, and households whose first slot is empty: the head
    # is the first live member wherever it is
    n = 3000
    rng = np.random.default_rng(6)
    st = make_state(n)
    st.household[:] = rng.integers(0, 900, n)
    st.alive[rng.random(n) < 0.25] = False
    st.income[:] = rng.integers(0, 3, n)
    st.income_start[:] = rng.integers(0, 3, n)
    p = make_params(move_rate=0.1, riser_move_multiplier=3.0)
    got = movers(st, p, np.random.default_rng(2))
    want = ref.movers(st, p, np.random.default_rng(2))
    np.testing.assert_array_equal(got, want, strict=True)
    assert got.size > 50
