"""Resident initiatives: founded by active residents, persist while enough owners stay, make ties
among members (brief §3, §4.4; MO/Samenlevingsopbouw 2010-11)."""

from __future__ import annotations

import numpy as np

from buurtsim.params import make_params
from buurtsim.processes.initiatives import Initiatives, found, shared_activity_ties, sustain


def setup(make_state, make_ties, n: int = 20):
    st = make_state(n)
    st.participation[:] = 5
    st.initiative[:] = -1
    return st, make_ties(n)


def test_registry_counts_and_ends() -> None:
    ini = Initiatives()
    a, b = ini.new(3), ini.new(4)
    assert (a, b) == (0, 1) and ini.n_active == 2
    ini.end(np.array([1]), 9)
    ini.end(np.array([1]), 12)  # ending twice keeps the first end
    assert ini.n_active == 1 and ini.ended == [-1, 9] and ini.founded == [3, 4]


def test_many_new_initiatives_at_once_are_registered_like_one_by_one() -> None:
    one, many = Initiatives(), Initiatives()
    for ini in (one, many):
        ini.new(1)
    ids = [one.new(5) for _ in range(3)]
    assert many.new_many(3, 5).tolist() == ids == [1, 2, 3]
    assert (one.founded, one.ended, one.alive) == (many.founded, many.ended, many.alive)
    np.testing.assert_array_equal(one.supported, many.supported, strict=True)
    assert many.new_many(0, 6).size == 0 and len(many.alive) == 4


def test_initiatives_end_when_owners_drop_below_the_minimum(make_state, make_ties) -> None:
    p = make_params(initiative_min_owners=3, initiative_fade=0.0, initiative_tie_rate=0.0, active_level=4)
    st, ties = setup(make_state, make_ties)
    ini = Initiatives()
    big, small = ini.new(0), ini.new(0)
    st.initiative[0:4] = big
    st.initiative[4:7] = small
    sustain(st, ties, ini, 1, p, np.random.default_rng(0))
    assert ini.n_active == 2  # 4 and 3 owners: both go on
    st.participation[4] = 1  # one owner of the small one steps down the ladder...
    st.alive[0] = False  # ...and one owner of the big one moved away
    sustain(st, ties, ini, 2, p, np.random.default_rng(0))
    assert ini.alive == [True, False]
    assert ini.ended[small] == 2
    assert (st.initiative[4:7] == -1).all()  # the remaining members are released
    assert st.initiative[0] == -1 and (st.initiative[1:4] == big).all()


def test_an_initiative_without_owners_ends(make_state, make_ties) -> None:
    p = make_params(initiative_min_owners=1, initiative_fade=0.0)
    st, ties = setup(make_state, make_ties)
    ini = Initiatives()
    ini.new(0)
    sustain(st, ties, ini, 1, p, np.random.default_rng(0))
    assert ini.n_active == 0


def test_support_halves_the_chance_to_fade(make_state, make_ties) -> None:
    p = make_params(initiative_min_owners=1, initiative_fade=0.3, initiative_tie_rate=0.0)
    n_ini = 2000
    survivors = {}
    for supported in (False, True):
        st, ties = setup(make_state, make_ties, n=n_ini)
        ini = Initiatives()
        for i in range(n_ini):
            st.initiative[i] = ini.new(0)
        ini.supported[:] = supported
        sustain(st, ties, ini, 1, p, np.random.default_rng(5))
        survivors[supported] = ini.n_active
        assert not ini.supported.any()  # support must be renewed every week
    stopped = {k: n_ini - v for k, v in survivors.items()}
    assert 0.3 * n_ini * 0.8 < stopped[False] < 0.3 * n_ini * 1.2
    assert 0.15 * n_ini * 0.7 < stopped[True] < 0.15 * n_ini * 1.3


def test_shared_activity_ties_join_members_of_the_same_initiative(make_state, make_ties) -> None:
    p = make_params(initiative_tie_rate=10.0)
    st, ties = setup(make_state, make_ties, n=30)
    st.initiative[:10] = 0
    st.initiative[10:20] = 1
    members = np.flatnonzero(st.initiative >= 0)
    shared_activity_ties(st, ties, members, 5, p, np.random.default_rng(0))
    e = ties.live_ids()
    assert e.size > 5
    assert (st.initiative[ties.a[e]] == st.initiative[ties.b[e]]).all()
    assert (st.initiative[ties.a[e]] >= 0).all()


def test_founders_are_high_on_the_ladder_and_recruit_active_ties(make_state, make_ties) -> None:
    p = make_params(initiative_found_rate=1.0, active_level=4)
    n = 30
    st = make_state(n)
    st.initiative[:] = -1
    st.participation[:] = 0
    st.participation[[0, 5]] = [5, 6]
    st.participation[[1, 2]] = [3, 1]  # slot 1 may join (>= active_level - 1), slot 2 may not
    ties = make_ties(n, [(0, 1), (0, 2)], 0.5)
    ini = Initiatives()
    found(st, ties, ini, 3, p, np.random.default_rng(0))
    assert ini.n_active == 2 and ini.founded == [3, 3]
    assert st.initiative[0] >= 0 and st.initiative[5] >= 0 and st.initiative[0] != st.initiative[5]
    assert st.initiative[1] == st.initiative[0]
    assert st.initiative[2] == -1
    assert (st.initiative[6:] == -1).all()
    # nobody founds a second one
    found(st, ties, ini, 4, p, np.random.default_rng(1))
    assert ini.n_active == 2


def test_boost_raises_founding(make_state, make_ties) -> None:
    p = make_params(initiative_found_rate=0.05)
    counts = []
    for boost in (1.0, 4.0):
        st, ties = setup(make_state, make_ties, n=2000)
        ini = Initiatives()
        found(st, ties, ini, 0, p, np.random.default_rng(1), boost)
        counts.append(ini.n_active)
    assert counts[1] > 2.5 * counts[0] > 0


def test_alive_mask_is_the_alive_list_as_an_array() -> None:
    ini = Initiatives()
    assert ini.alive_mask().dtype == np.bool_ and ini.alive_mask().size == 0
    for tick in range(5):
        ini.new(tick)
    ini.end(np.array([1, 3]), 9)
    np.testing.assert_array_equal(ini.alive_mask(), np.asarray(ini.alive), strict=True)
