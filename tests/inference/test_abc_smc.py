"""ABC-SMC against an analytic posterior, and its bookkeeping (determinism, resume, budget, weights)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from buurtsim.inference.abc_smc import (
    AbcSettings,
    Generation,
    UniformPrior,
    abc_smc,
    effective_sample_size,
    run_generation,
    weighted_quantile,
)

SIGMA, N_OBS, X_BAR = 1.0, 25, 1.3  # observed mean of 25 draws with known sd 1
SE = SIGMA / math.sqrt(N_OBS)


def normal_mean(thetas: np.ndarray, seeds: np.ndarray) -> list[tuple[float, dict]]:
    """Simulate the sample mean of 25 draws (its exact distribution N(mu, se^2)) from each particle's own seed."""
    out = []
    for (mu,), seed in zip(thetas, seeds, strict=True):
        m = mu + SE * np.random.default_rng(int(seed)).standard_normal()
        out.append((abs(m - X_BAR), {"mean": float(m)}))
    return out


def abc_posterior_moments(eps: float) -> tuple[float, float]:
    """Posterior of mu under a flat prior given |m - x_bar| <= eps: mu = x_bar - Z*se + U, U ~ U(-eps, eps),
    so mean x_bar and variance se^2 + eps^2 / 3 (exact for the ABC posterior at tolerance eps)."""
    return X_BAR, math.sqrt(SE**2 + eps**2 / 3)


def test_normal_mean_posterior_matches_the_analytic_one() -> None:
    prior = UniformPrior(("mu",), (-10.0,), (10.0,))
    settings = AbcSettings(population=1000, generations=6, quantile=0.5, batch=500, max_simulations=10_000)
    gens = abc_smc(prior, settings, normal_mean, seed=11)
    last = gens[-1]
    w = last.weights
    mean = float(w @ last.params[:, 0])
    sd = float(np.sqrt(w @ (last.params[:, 0] - mean) ** 2))
    true_mean, true_sd = abc_posterior_moments(last.epsilon)
    ess = effective_sample_size(w)
    assert ess > 300
    # Monte Carlo error of the mean is sd / sqrt(ESS) < 0.01; allow 4 of those
    assert abs(mean - true_mean) < 4 * true_sd / math.sqrt(ess)
    assert abs(sd / true_sd - 1) < 0.10
    assert last.epsilon < 0.5  # the tolerance shrank from the prior's scale (about 5) by a factor of ten and more
    assert [g.epsilon for g in gens][1:] == sorted((g.epsilon for g in gens[1:]), reverse=True)


def test_same_seed_same_generations_and_resume_is_identical() -> None:
    prior = UniformPrior(("mu",), (-10.0,), (10.0,))
    settings = AbcSettings(population=50, generations=4, batch=20, max_simulations=400)
    a = abc_smc(prior, settings, normal_mean, seed=3)
    b = abc_smc(prior, settings, normal_mean, seed=3)
    saved: list[Generation] = []
    first_two = abc_smc(prior, AbcSettings(population=50, generations=2, batch=20, max_simulations=400),
                        normal_mean, seed=3, on_generation=saved.append)
    assert len(saved) == 2 and first_two[-1] is saved[-1]
    resumed = abc_smc(prior, settings, normal_mean, seed=3,
                      done=[Generation.from_data(g.to_data()) for g in saved])  # through the JSON form
    for x, y, z in zip(a, b, resumed, strict=True):
        assert np.array_equal(x.params, y.params) and np.array_equal(x.params, z.params)
        assert np.array_equal(x.weights, z.weights) and np.array_equal(x.seeds, z.seeds)
        assert x.epsilon == z.epsilon
    c = abc_smc(prior, settings, normal_mean, seed=4)
    assert not np.array_equal(a[-1].params, c[-1].params)


def test_batch_size_does_not_change_generation_zero_particles_only_order_of_simulation() -> None:
    prior = UniformPrior(("mu",), (-10.0,), (10.0,))
    g = run_generation(0, prior, AbcSettings(population=30, generations=1, batch=30, max_simulations=30), None,
                       normal_mean, seed=5)
    assert g.simulations == 30 and np.allclose(g.weights, 1 / 30)
    assert np.all((g.params >= -10) & (g.params <= 10))


def test_budget_relaxes_the_tolerance_to_the_population_th_best_distance() -> None:
    prior = UniformPrior(("mu",), (-10.0,), (10.0,))
    settings = AbcSettings(population=20, generations=2, quantile=0.01, batch=10, max_simulations=40)
    gens = abc_smc(prior, settings, normal_mean, seed=8)
    last = gens[-1]
    assert last.relaxed and last.simulations == 40
    assert len(last.weights) == 20 and last.epsilon == pytest.approx(max(last.distances))
    assert abs(last.weights.sum() - 1) < 1e-12


def test_particles_outside_the_band_of_a_narrow_prior_are_never_proposed() -> None:
    prior = UniformPrior(("a", "b"), (0.0, 5.0), (1.0, 6.0))

    def far(thetas: np.ndarray, seeds: np.ndarray) -> list[tuple[float, dict]]:
        return [(float(abs(t[0] - 0.99) + abs(t[1] - 5.01)), {}) for t in thetas]

    gens = abc_smc(prior, AbcSettings(population=40, generations=4, batch=40, max_simulations=200), far, seed=1)
    for g in gens:
        assert prior.inside(g.params).all()
    assert gens[-1].epsilon < gens[1].epsilon


def test_failed_simulations_are_never_accepted() -> None:
    prior = UniformPrior(("mu",), (-1.0,), (1.0,))

    def half_fail(thetas: np.ndarray, seeds: np.ndarray) -> list[tuple[float, dict]]:
        return [(math.inf if t[0] < 0 else float(t[0]), {}) for t in thetas]

    gens = abc_smc(prior, AbcSettings(population=20, generations=2, batch=20, max_simulations=200), half_fail, seed=2)
    assert all(np.isfinite(g.distances).all() and (g.params[:, 0] >= 0).all() for g in gens)


def test_weighted_quantile_and_settings_checks() -> None:
    v = np.array([3.0, 1.0, 2.0, 4.0])
    assert weighted_quantile(v, np.ones(4), 0.5) == 2.0
    assert weighted_quantile(v, np.array([0, 0, 0, 1.0]), 0.5) == 4.0
    with pytest.raises(ValueError, match="max_simulations"):
        AbcSettings(population=10, max_simulations=5)
    with pytest.raises(ValueError, match="lo < hi"):
        UniformPrior(("x",), (1.0,), (1.0,))
