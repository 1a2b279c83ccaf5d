"""Life events: shocks, the multi-problem spiral between domains, recovery towards the potential
(brief §4.1; MO/Samenlevingsopbouw 2010-11, multiproblematiek)."""

from __future__ import annotations

import numpy as np
import pytest

from buurtsim.params import DOMAINS, make_params
from buurtsim.processes.life_events import _distinct_sorted, life_events

WORK, FINANCE, HEALTH, SOCIAL, SKILLS = range(5)
N = 4000


def quiet(**over):
    """No noise and no recovery unless asked: only the mechanism under test moves domains."""
    base = {"domain_noise": 0.0, "recovery_rate": 0.0, "shock_prob": 0.0}
    base.update(over)
    return make_params(**base)


def shock_rates(make_state, dom: np.ndarray, p, seeds=range(3)) -> np.ndarray:
    """Share of residents with a setback, per domain, pooled over a few seeds."""
    total = np.zeros(5)
    for seed in seeds:
        st = make_state(dom.shape[0], domains=dom, potential=dom)
        total += life_events(st, p, np.random.default_rng(seed)).mean(axis=0)
    return total / len(seeds)


def test_spiral_coupling_raises_setbacks_only_in_fed_domains(make_state) -> None:
    # everyone has a work problem and nothing else; no work feeds debt (finance)
    dom = np.full((N, 5), 0.8)
    dom[:, WORK] = 0.2
    base = 0.01
    off = shock_rates(make_state, dom, quiet(shock_prob=base, spiral_coupling=0.0))
    on = shock_rates(make_state, dom, quiet(shock_prob=base, spiral_coupling=5.0))
    se = 4 * np.sqrt(base / (3 * N))  # ~4 standard errors of a pooled rate near `base`
    # finance, fed by work: hazard x (1 + 5) = 6 (a little less when cells are hit twice)
    assert on[FINANCE] > 4 * off[FINANCE]
    assert on[FINANCE] == pytest.approx(6 * base, rel=0.2)
    # the other domains are not fed by a work problem: their rates stay at the base rate
    for d in (WORK, HEALTH, SOCIAL, SKILLS):
        assert off[d] == pytest.approx(base, abs=se), DOMAINS[d]
        assert on[d] == pytest.approx(base, abs=se), DOMAINS[d]


@pytest.mark.parametrize(("problem", "fed"), [(FINANCE, HEALTH), (HEALTH, SOCIAL), (SOCIAL, WORK), (SKILLS, WORK)])
def test_each_link_of_the_spiral(make_state, problem: int, fed: int) -> None:
    """no work -> debt -> strain -> isolation -> no work; lacking skills -> no work."""
    dom = np.full((N, 5), 0.8)
    dom[:, problem] = 0.2
    rates = shock_rates(make_state, dom, quiet(shock_prob=0.01, spiral_coupling=5.0), seeds=range(2))
    others = [d for d in range(5) if d != fed]
    assert rates[fed] > 3 * rates[others].max()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_more_problems_more_setbacks_over_seeds(make_state, seed: int) -> None:
    healthy = np.full((N, 5), 0.8)
    troubled = healthy.copy()
    troubled[:, [WORK, FINANCE, HEALTH, SOCIAL, SKILLS]] = [0.2, 0.8, 0.8, 0.2, 0.2]
    p = quiet(shock_prob=0.01, spiral_coupling=2.0)
    a = life_events(make_state(N, domains=healthy, potential=healthy), p, np.random.default_rng(seed))
    b = life_events(make_state(N, domains=troubled, potential=troubled), p, np.random.default_rng(seed))
    # work is fed by social and skills problems: hazard x (1 + 2 x 2) = 5
    assert b[:, WORK].sum() > 2 * a[:, WORK].sum()


def test_shocks_hit_only_living_residents_and_lower_domains(make_state) -> None:
    dom = np.full((N, 5), 0.7)
    st = make_state(N, domains=dom, potential=dom)
    st.alive[::2] = False
    shocks = life_events(st, quiet(shock_prob=0.1, shock_size=0.2), np.random.default_rng(1))
    assert not shocks[~st.alive].any()
    assert shocks[st.alive].mean() == pytest.approx(0.1, abs=0.02)
    hit = shocks & st.alive[:, None]
    assert (st.domains[hit] < 0.7).all()
    np.testing.assert_array_equal(st.domains[~shocks], 0.7)
    assert (st.domains >= 0).all()
    np.testing.assert_allclose(st.self_reliance, st.domains.mean(axis=1))


def test_recovery_pulls_towards_the_potential(make_state) -> None:
    rng = np.random.default_rng(0)
    pot = rng.uniform(0.3, 0.9, (500, 5))
    dom = np.clip(pot + rng.uniform(-0.3, 0.3, (500, 5)), 0, 1)
    st = make_state(500, domains=dom, potential=pot, dependency=0.0)
    gap0 = np.abs(st.domains - st.potential)
    life_events(st, quiet(recovery_rate=0.1), rng)
    gap1 = np.abs(st.domains - st.potential)
    assert (gap1 <= gap0 + 1e-12).all()
    assert (gap1 < gap0)[gap0 > 1e-9].all()
    # nobody overshoots the potential
    assert (np.sign(st.domains - st.potential) * np.sign(dom - pot) >= 0).all()


def test_gains_above_potential_fade_at_the_plain_rate(make_state) -> None:
    pot = np.full((3, 5), 0.5)
    dom = pot + 0.2
    # dependency and problems would slow recovery from below, not the fading of surplus
    st = make_state(3, domains=dom, potential=pot, dependency=[0.0, 1.0, 0.5])
    life_events(st, quiet(recovery_rate=0.1), np.random.default_rng(0))
    np.testing.assert_allclose(st.domains, 0.5 + 0.2 * 0.9)


def test_stacked_problems_and_dependency_slow_recovery_from_below(make_state) -> None:
    p = quiet(recovery_rate=0.1, problem_threshold=0.4, problem_recovery_penalty=0.15,
              dependency_recovery_penalty=0.8)
    pot = np.full((3, 5), 0.8)
    dom = np.array([[0.5] * 5, [0.5, 0.5, 0.3, 0.3, 0.3], [0.5] * 5])
    st = make_state(3, domains=dom, potential=pot, dependency=[0.0, 0.0, 1.0])
    life_events(st, p, np.random.default_rng(0))
    rate = 1 - (st.domains - pot)[:, 0] / (dom - pot)[:, 0]
    assert rate[0] == pytest.approx(0.1)
    assert rate[1] == pytest.approx(0.1 * (1 - 3 * 0.15))
    assert rate[2] == pytest.approx(0.1 * (1 - 0.8))


def test_noise_is_symmetric_and_bounded(make_state) -> None:
    dom = np.full((N, 5), 0.5)
    st = make_state(N, domains=dom, potential=dom)
    life_events(st, quiet(domain_noise=0.05), np.random.default_rng(3))
    delta = st.domains - 0.5
    assert abs(delta.mean()) < 0.005
    assert delta.std() == pytest.approx(0.05, rel=0.05)


@pytest.mark.parametrize("size", [1, 100, 256, 257, 50_000, 65_536, 65_537, 2_000_000])
@pytest.mark.parametrize("n", [0, 1, 441, 5_000])
def test_distinct_sorted_is_unique_of_the_clipped_cells(size: int, n: int) -> None:
    # sizes around the 8-bit digits of the radix sort: one, two and three passes, and none for one cell
    idx = np.random.default_rng(size + n).integers(0, 2 * size, n)
    np.testing.assert_array_equal(_distinct_sorted(idx, size), np.unique(np.minimum(idx, size - 1)), strict=True)
