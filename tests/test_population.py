"""Drawing the initial population: layout, composition, households and the ladder."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from buurtsim.params import Params, make_params
from buurtsim.population import assign_households, block_layout, draw_into, draw_residents, initial_participation
from buurtsim.state import ResidentState


def test_block_layout_sizes_and_positions() -> None:
    block, x, y = block_layout(250, 40)
    assert np.bincount(block).tolist() == [40] * 6 + [10]
    side = int(np.ceil(np.sqrt(7)))
    # each dwelling lies inside its block's unit cell
    np.testing.assert_array_equal(np.floor(x).astype(int), block % side)
    np.testing.assert_array_equal(np.floor(y).astype(int), block // side)


def test_drawn_residents_are_in_range_and_consistent() -> None:
    p = Params()
    st = draw_residents(500, p, np.random.default_rng(0), p.income_shares)
    for name in ("domains", "potential", "self_reliance", "capacity", "trust", "attachment", "safety", "threshold"):
        arr = getattr(st, name)
        assert np.isfinite(arr).all() and (arr >= 0).all() and (arr <= 1).all(), name
    np.testing.assert_allclose(st.self_reliance, st.domains.mean(axis=1))
    np.testing.assert_allclose(st.capacity, st.self_reliance)
    assert st.alive.all()
    assert set(np.unique(st.income)) <= {0, 1, 2} and set(np.unique(st.style)) <= {0, 1, 2, 3}
    assert (st.client_of == -1).all() and (st.initiative == -1).all() and (st.dependency == 0).all()


def test_composition_follows_the_given_shares() -> None:
    p = make_params(style_shares=(0.1, 0.2, 0.3, 0.4))
    n = 20_000
    st = draw_residents(n, p, np.random.default_rng(1), (0.2, 0.3, 0.5))
    se = 4 * np.sqrt(0.25 / n)
    np.testing.assert_allclose(np.bincount(st.income, minlength=3) / n, [0.2, 0.3, 0.5], atol=se)
    np.testing.assert_allclose(np.bincount(st.style, minlength=4) / n, [0.1, 0.2, 0.3, 0.4], atol=se)


def test_higher_income_has_higher_potential_and_shift_lowers_it() -> None:
    p = make_params(potential_mean_by_income=(0.4, 0.6, 0.8))
    st = draw_residents(6000, p, np.random.default_rng(2), (1 / 3, 1 / 3, 1 / 3))
    means = [st.potential[st.income == k].mean() for k in range(3)]
    assert means[0] < means[1] < means[2]
    low = draw_residents(6000, p, np.random.default_rng(2), (1 / 3, 1 / 3, 1 / 3), potential_shift=-0.2)
    assert low.potential.mean() < st.potential.mean() - 0.1


@pytest.mark.parametrize("mean_size", [1.0, 2.1, 3.5])
def test_households_are_consecutive_with_the_given_mean_size(mean_size: float) -> None:
    n = 20_000
    hh = assign_households(n, mean_size, np.random.default_rng(3), start_id=7)
    assert hh.shape == (n,)
    assert hh[0] == 7
    assert (np.diff(hh) >= 0).all() and (np.diff(hh) <= 1).all()
    sizes = np.bincount(hh - 7)
    assert sizes[:-1].mean() == pytest.approx(mean_size, rel=0.05)


def test_initial_participation_in_ladder_range_and_ordered_by_style() -> None:
    p = make_params(participation_up=(0.025, 0.015, 0.008, 0.002))
    st = draw_residents(20_000, p, np.random.default_rng(4), p.income_shares)
    initial_participation(st, p, np.random.default_rng(5))
    assert st.participation.min() >= 0 and st.participation.max() <= 6
    means = [st.participation[st.style == k].mean() for k in range(4)]
    assert means[0] > means[1] > means[2] > means[3]


def test_drawing_into_slots_writes_what_a_separate_draw_copied_in_would_and_nothing_else(make_state) -> None:
    # the formulation draw_into replaced: draw a separate state of newcomers, copy it into the slots
    p = Params()
    shares = (0.5, 0.3, 0.2)
    st = make_state(12, seed=3, load=0.4, dependency=0.2, participation=3, initiative=1, client_of=2, asked=True,
                    reached=True)
    before = {f.name: getattr(st, f.name).copy() for f in fields(ResidentState)}
    slots = np.array([7, 2, 10])
    draw_into(st, slots, p, np.random.default_rng(5), shares, potential_shift=-0.1)
    new = draw_residents(slots.size, p, np.random.default_rng(5), shares, potential_shift=-0.1)
    kept = ("block", "x", "y", "household", "attachment", "safety", "arrived")  # the caller's to set
    for f in fields(ResidentState):
        arr = getattr(st, f.name)
        expected = before[f.name].copy()
        if f.name not in kept:
            expected[slots] = getattr(new, f.name)
        np.testing.assert_array_equal(arr, expected, err_msg=f.name, strict=True)
    assert st.alive[slots].all() and (st.load[slots] == 0).all() and (st.client_of[slots] == -1).all()


def test_an_empty_state_has_every_array_at_its_dtype_and_shape() -> None:
    st, blank = ResidentState.empty(4), ResidentState()
    for f in fields(ResidentState):
        arr, ref = getattr(st, f.name), getattr(blank, f.name)
        assert arr.dtype == ref.dtype and arr.shape == (4, *ref.shape[1:]), f.name
