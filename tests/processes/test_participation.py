"""The participation ladder: being asked raises stepping up ('nobody asked me', Wijkengids 11.1), peers
above one's threshold too; lack of capacity and over-asking push people down."""

from __future__ import annotations

import numpy as np
import pytest

from buurtsim.params import make_params
from buurtsim.processes.participation import climb_ladder, residents_ask

N = 3000


def ladder_state(make_state, make_ties, seed: int = 0, **fields):
    st = make_state(N, seed=seed, **fields)
    st.threshold[:] = 2.0  # no peer effect unless a test asks for it
    st.participation[:] = 2
    st.initiative[:] = -1
    return st, make_ties(N)


def climb(st, ties, p, seed: int, overburdened=None) -> np.ndarray:
    before = st.participation.astype(int).copy()
    ob = np.zeros(st.size, bool) if overburdened is None else overburdened
    climb_ladder(st, ties, p, np.random.default_rng(seed), ob)
    return st.participation.astype(int) - before


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_being_asked_raises_stepping_up(make_state, make_ties, seed: int) -> None:
    p = make_params(asked_multiplier=4.0)
    asked, ties = ladder_state(make_state, make_ties, seed)
    not_asked, _ = ladder_state(make_state, make_ties, seed)
    asked.asked[:] = True
    up_asked = (climb(asked, ties, p, seed + 10) > 0).mean()
    up_not = (climb(not_asked, ties, p, seed + 20) > 0).mean()
    # independent draws over 3000 residents: the asked step up about 4x as often
    assert up_not > 0
    assert up_asked > 2.5 * up_not
    assert not asked.asked.any()  # being asked lasts one week


def test_asked_residents_never_do_worse_with_the_same_draws(make_state, make_ties) -> None:
    p = make_params()
    a, ties = ladder_state(make_state, make_ties)
    b, _ = ladder_state(make_state, make_ties)
    a.asked[::2] = True
    da, db = climb(a, ties, p, 5), climb(b, ties, p, 5)
    assert (da >= db).all()
    assert (da > db)[::2].any() and (da == db)[1::2].all()


def test_peers_above_the_threshold_raise_stepping_up(make_state, make_ties) -> None:
    p = make_params(peer_multiplier=4.0, active_level=4)
    # pairs (2i, 2i+1): the odd one participates actively, the even one is at rung 1
    edges = [(i, i + 1) for i in range(0, N, 2)]
    up = {}
    for thr in (0.0, 2.0):
        st = make_state(N)
        st.participation[:] = np.where(np.arange(N) % 2 == 1, 5, 1)
        st.threshold[:] = thr
        st.initiative[:] = -1
        ties = make_ties(N, edges, 0.5)
        up[thr] = (climb(st, ties, p, 3)[::2] > 0).mean()
    assert up[0.0] > 2.5 * up[2.0]


def test_low_capacity_and_overburdened_step_down_more(make_state, make_ties) -> None:
    p = make_params(participation_down=0.1)
    full, ties = ladder_state(make_state, make_ties, capacity=1.0)
    empty, _ = ladder_state(make_state, make_ties, capacity=0.0)
    down_full = (climb(full, ties, p, 1) < 0).mean()
    down_empty = (climb(empty, ties, p, 2) < 0).mean()
    assert down_empty > 2 * down_full
    burdened, _ = ladder_state(make_state, make_ties, capacity=0.5)
    calm, _ = ladder_state(make_state, make_ties, capacity=0.5)
    d_burden = climb(burdened, ties, p, 3, overburdened=np.ones(N, bool))
    d_calm = climb(calm, ties, p, 3)
    assert (d_burden <= d_calm).all() and (d_burden < d_calm).any()


def test_initiative_members_step_down_less(make_state, make_ties) -> None:
    p = make_params(participation_down=0.1)
    member, ties = ladder_state(make_state, make_ties, capacity=0.2)
    loner, _ = ladder_state(make_state, make_ties, capacity=0.2)
    member.initiative[:] = 0
    dm, dl = climb(member, ties, p, 4), climb(loner, ties, p, 4)
    assert (dm >= dl).all() and (dm > dl).any()


def test_rungs_stay_on_the_ladder_and_the_dead_do_not_move(make_state, make_ties) -> None:
    p = make_params(participation_down=1.0, participation_up=(1.0, 1.0, 1.0, 1.0), asked_multiplier=50.0)
    st, ties = ladder_state(make_state, make_ties)
    st.participation[:] = np.where(np.arange(N) % 2 == 0, 0, 6)
    st.capacity[:] = np.random.default_rng(0).random(N)
    st.alive[::3] = False
    before = st.participation.copy()
    for k in range(5):
        climb(st, ties, p, k)
        assert st.participation.min() >= 0 and st.participation.max() <= 6
    np.testing.assert_array_equal(st.participation[~st.alive], before[~st.alive])


def test_active_residents_ask_their_ties(make_state, make_ties) -> None:
    p = make_params(resident_ask_rate=1.0, active_level=4)
    n = 40
    st = make_state(n)
    st.participation[:] = 0
    st.participation[[0, 10]] = 5
    st.asked[:] = False
    ties = make_ties(n, [(0, 1), (10, 11), (20, 21), (1, 2)], 0.5)
    residents_ask(st, ties, p, np.random.default_rng(0))
    assert sorted(np.flatnonzero(st.asked).tolist()) == [1, 11]
    st.asked[:] = False
    residents_ask(st, ties, make_params(resident_ask_rate=0.0), np.random.default_rng(0))
    assert not st.asked.any()
