"""ResidentState: the struct of arrays, appending and re-letting slots, derived quantities."""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from buurtsim.state import N_DOMAINS, ResidentState


def test_append_adds_slots_at_the_end_and_returns_their_indices(make_state) -> None:
    st = make_state(5, seed=1)
    new = make_state(3, seed=2)
    old_domains = st.domains.copy()
    idx = st.append(new)
    assert idx.tolist() == [5, 6, 7]
    assert st.size == 8
    for f in fields(ResidentState):
        arr = getattr(st, f.name)
        assert arr.shape[0] == 8, f.name
        assert arr.dtype == getattr(new, f.name).dtype, f.name
    np.testing.assert_array_equal(st.domains[:5], old_domains)
    np.testing.assert_array_equal(st.domains[5:], new.domains)


def test_assign_writes_rows_into_given_slots_only(make_state) -> None:
    st = make_state(6, seed=1)
    before = {f.name: getattr(st, f.name).copy() for f in fields(ResidentState)}
    new = make_state(2, seed=9, uid=[100, 101], trust=0.123)
    st.assign(np.array([1, 4]), new)
    assert st.uid[[1, 4]].tolist() == [100, 101]
    np.testing.assert_allclose(st.trust[[1, 4]], 0.123)
    keep = np.array([0, 2, 3, 5])
    for name, arr in before.items():
        np.testing.assert_array_equal(getattr(st, name)[keep], arr[keep], err_msg=name)


def test_self_reliance_is_the_mean_of_domains(make_state) -> None:
    st = make_state(4)
    st.domains[:] = np.random.default_rng(0).random((4, N_DOMAINS))
    st.update_self_reliance()
    np.testing.assert_allclose(st.self_reliance, st.domains.mean(axis=1))


def test_problem_count_counts_domains_strictly_below_threshold(make_state) -> None:
    st = make_state(3, domains=[[0.1, 0.4, 0.5, 0.39, 0.9], [0.9] * 5, [0.0] * 5])
    assert st.problem_count(0.4).tolist() == [2, 0, 5]


def test_categories_thresholds_and_boundaries(make_state) -> None:
    sr = np.array([0.0, 0.3499, 0.35, 0.5, 0.5999, 0.6, 1.0])
    st = make_state(sr.size, self_reliance=sr)
    assert st.categories(0.6, 0.35).tolist() == [2, 2, 1, 1, 1, 0, 0]
