"""Perceptions: fear is contagious and spreads faster than reassurance, trust spreads through ties,
disorder lowers safety, ties and safety bind people to the neighbourhood (brief §4.6)."""

from __future__ import annotations

import numpy as np
import pytest

from buurtsim.params import make_params
from buurtsim.processes.perceptions import block_share, perceptions


def quiet(**over):
    base = {"safety_rate": 0.0, "safety_contagion": 0.0, "trust_contagion": 0.0, "attachment_rate": 0.0}
    base.update(over)
    return make_params(**base)


def run(st, ties, p) -> None:
    ties.refresh()
    perceptions(st, ties, p, ties.strength_sum())


def test_fear_spreads_faster_than_reassurance(make_state, make_ties) -> None:
    p = quiet(safety_contagion=0.1, fear_asymmetry=3.0)
    st = make_state(6, safety=[0.5, 0.3, 0.5, 0.7, 0.5, 0.5])
    ties = make_ties(6, [(0, 1), (2, 3)], 0.5)
    run(st, ties, p)
    drop = 0.5 - st.safety[0]  # tied to someone who feels less safe
    rise = st.safety[2] - 0.5  # tied to someone who feels safer
    assert drop == pytest.approx(0.1 * 3.0 * 0.2)
    assert rise == pytest.approx(0.1 * 0.2)
    assert st.safety[4] == st.safety[5] == 0.5  # untied: no contagion


def test_trust_is_pulled_towards_ties(make_state, make_ties) -> None:
    p = quiet(trust_contagion=0.2)
    st = make_state(5, trust=[0.2, 0.8, 0.6, 0.6, 0.9])
    ties = make_ties(5, [(0, 1), (2, 3)], [1.0, 0.3])
    run(st, ties, p)
    assert st.trust[0] == pytest.approx(0.2 + 0.2 * 0.6)
    assert st.trust[1] == pytest.approx(0.8 - 0.2 * 0.6)
    assert st.trust[2] == st.trust[3] == pytest.approx(0.6)
    assert st.trust[4] == 0.9


def test_weighted_by_tie_strength(make_state, make_ties) -> None:
    p = quiet(trust_contagion=1.0)
    st = make_state(3, trust=[0.0, 1.0, 0.0])
    ties = make_ties(3, [(0, 1), (0, 2)], [0.75, 0.25])
    run(st, ties, p)
    assert st.trust[0] == pytest.approx(0.75)


def test_disorder_lowers_safety(make_state, make_ties) -> None:
    p = quiet(safety_rate=0.1, disorder_weight=1.0, sliding_threshold=0.35)
    st = make_state(20, per_block=10, safety=0.6)
    st.self_reliance[:10] = 0.8  # block 0: orderly
    st.self_reliance[10:] = np.where(np.arange(10) < 6, 0.2, 0.8)  # block 1: 60 % sliding
    np.testing.assert_allclose(block_share(st, st.self_reliance < 0.35), [0.0] * 10 + [0.6] * 10)
    run(st, make_ties(20), p)
    assert (st.safety[:10] > 0.6).all()
    assert (st.safety[10:] < 0.6).all()


def test_block_share_ignores_the_dead(make_state) -> None:
    st = make_state(10, per_block=5)
    flag = np.array([True, True, False, False, False, True, False, False, False, False])
    st.alive[[1, 4]] = False
    np.testing.assert_allclose(block_share(st, flag), [1 / 3] * 5 + [1 / 5] * 5)


def test_ties_and_safety_raise_attachment(make_state, make_ties) -> None:
    p = quiet(attachment_rate=0.1)
    st = make_state(6, attachment=0.3, safety=[0.6, 0.6, 0.6, 0.6, 0.9, 0.2])
    ties = make_ties(6, [(0, 1), (0, 2), (0, 3)], 1.0)
    run(st, ties, p)
    # more tie strength, more attachment (same safety)
    assert st.attachment[0] > st.attachment[1]
    # safer, more attachment (both without ties)
    assert st.attachment[4] > st.attachment[5]


def test_perceptions_stay_in_unit_interval(make_state, make_ties) -> None:
    rng = np.random.default_rng(0)
    n = 300
    p = make_params(safety_rate=1.0, safety_contagion=1.0, fear_asymmetry=10.0, trust_contagion=1.0,
                    attachment_rate=1.0, disorder_weight=5.0)
    st = make_state(n, safety=rng.random(n), trust=rng.random(n), attachment=rng.random(n))
    edges = rng.integers(0, n, (900, 2))
    ties = make_ties(n, edges[edges[:, 0] != edges[:, 1]], rng.random(900)[edges[:, 0] != edges[:, 1]])
    for _ in range(5):
        run(st, ties, p)
        for arr in (st.safety, st.trust, st.attachment):
            assert np.isfinite(arr).all() and arr.min() >= 0.0 and arr.max() <= 1.0
