"""Socio-economic position: secure work lifts a resident an income class, a work problem drops one
(Permentier, Van Ham & Bolt 2009; CBS: the neighbourhood as springboard)."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from tests.processes import numpy_reference as ref

from buurtsim.params import make_params
from buurtsim.processes.position import change_position, risen_since_arrival

N = 20_000


def test_secure_work_lifts_and_a_work_problem_drops_at_the_declared_rates(make_state) -> None:
    p = make_params(income_up_rate=0.05, income_down_rate=0.08)
    st = make_state(N, income=1)
    st.domains[: N // 2, 0] = 0.9  # secure work
    st.domains[N // 2 :, 0] = 0.1  # a problem in the work domain
    risen, fallen = change_position(st, p, np.random.default_rng(0))
    assert (risen < N // 2).all() and (fallen >= N // 2).all()
    assert risen.size / (N / 2) == pytest.approx(0.05, abs=4 * np.sqrt(0.05 / (N / 2)))
    assert fallen.size / (N / 2) == pytest.approx(0.08, abs=4 * np.sqrt(0.08 / (N / 2)))
    assert (st.income[risen] == 2).all() and (st.income[fallen] == 0).all()


def test_classes_stay_in_range_and_middling_work_changes_nothing(make_state) -> None:
    p = make_params(income_up_rate=0.1, income_down_rate=0.1)
    st = make_state(300)
    st.income[:100], st.income[100:200], st.income[200:] = 2, 0, 1
    st.domains[:100, 0] = 0.95  # top class cannot rise
    st.domains[100:200, 0] = 0.05  # lowest class cannot fall
    st.domains[200:, 0] = 0.5  # neither secure nor a problem
    before = st.income.copy()
    for seed in range(20):
        change_position(st, p, np.random.default_rng(seed))
    np.testing.assert_array_equal(st.income, before)


def test_risen_since_arrival_compares_with_the_class_on_arrival(make_state) -> None:
    st = make_state(4, income=1)
    st.income_start[:] = [0, 1, 2, 1]
    assert risen_since_arrival(st).tolist() == [True, False, False, False]


@pytest.mark.parametrize(("up_rate", "down_rate"), [(0.01, 0.1), (0.1, 0.01)])
def test_unequal_rates_match_numpy(make_state, up_rate: float, down_rate: float) -> None:
    # the kernel looks at a resident's work only when the uniform is below the larger rate
    p = make_params(income_up_rate=up_rate, income_down_rate=down_rate)
    rng = np.random.default_rng(4)
    st = make_state(N, income=1)
    st.domains[:, 0] = rng.random(N)
    st.income[:] = rng.integers(0, 3, N)
    st.alive[rng.random(N) < 0.1] = False
    twin = copy.deepcopy(st)
    got = change_position(st, p, np.random.default_rng(9))
    want = ref.change_position(twin, p, np.random.default_rng(9))
    for x, y in zip(got, want, strict=True):
        np.testing.assert_array_equal(x, y, strict=True)
    np.testing.assert_array_equal(st.income, twin.income, strict=True)
    assert got[0].size > 10 and got[1].size > 10
