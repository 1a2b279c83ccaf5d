"""Migration: who moves out (means, little attachment, fear), inflow keeps the population, newcomers
get fresh ids and no ties (brief §4.7; Oelkers (LSA); C11)."""

from __future__ import annotations

import numpy as np
import pytest

from buurtsim.params import make_params
from buurtsim.processes.migration import movers

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


def test_newcomers_get_fresh_ids_no_ties_and_old_ids_are_gone(make_model) -> None:
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
        deg = m.ties.degree()
        for uid in arrived:
            slot = int(np.flatnonzero(m.state.uid == uid)[0])
            assert deg[slot] == 0  # newcomers arrive without ties (migration ends the week)
            assert m.state.arrived[slot] == m.tick
            assert m.network.degree(uid) == 0
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
