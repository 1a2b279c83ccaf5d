"""ABC-SMC (population Monte Carlo ABC) with an adaptive tolerance, seeded and resumable.

The sampler of Beaumont, Cornuet, Marin & Robert (2009), "Adaptive approximate Bayesian
computation", with the adaptive tolerance of Del Moral, Doucet & Jasra (2012) and pyabc:

- generation 0 draws the population from the prior (every particle with a finite distance counts);
- generation t sets its tolerance to a (weighted) quantile of generation t-1's distances, proposes
  particles by picking an ancestor by weight and moving it with a normal kernel whose covariance is
  twice the weighted covariance of generation t-1 (Beaumont et al.), and keeps a proposal when its
  distance is within the tolerance;
- an accepted particle's importance weight is prior(θ) / Σ_j w_j K(θ | θ_j).

Everything random comes from one seeded numpy Generator per generation (derived from the seed and
the generation number), and a particle's own simulation seed is drawn from it; so the result does
not depend on where or in which order simulations finish, and a run resumed after generation t is
identical to one that was never interrupted. Proposals are simulated in fixed batches and accepted
in proposal order until the population is full. A generation that reaches its simulation budget
first relaxes its tolerance to the distance of the population-th best proposal (and says so).

This module knows nothing about the model: `simulate` maps parameter rows and seeds to distances.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Simulate proposals: parameter rows (m x d) and seeds (m) -> one (distance, record) per row, in order.
Simulate = Callable[[np.ndarray, np.ndarray], Sequence[tuple[float, dict[str, Any]]]]
#: Called with every finished generation (to save it).
OnGeneration = Callable[["Generation"], None]

SEED_LIMIT = 2**63 - 1


@dataclass(frozen=True)
class UniformPrior:
    """Independent uniform priors on [lo, hi] per parameter."""

    names: tuple[str, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]

    def __post_init__(self) -> None:
        if not (len(self.names) == len(self.lo) == len(self.hi)) or not self.names:
            raise ValueError("a prior needs one [lo, hi] per parameter name")
        for name, a, b in zip(self.names, self.lo, self.hi, strict=True):
            if not (math.isfinite(a) and math.isfinite(b) and a < b):
                raise ValueError(f"prior of {name}: expected finite lo < hi, got [{a}, {b}]")

    @property
    def dim(self) -> int:
        """Number of parameters."""
        return len(self.names)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """`n` draws, one row each."""
        lo, hi = np.asarray(self.lo), np.asarray(self.hi)
        return lo + (hi - lo) * rng.random((n, self.dim))

    def inside(self, theta: np.ndarray) -> np.ndarray:
        """Per row: within the support (prior density > 0)."""
        return np.all((theta >= np.asarray(self.lo)) & (theta <= np.asarray(self.hi)), axis=-1)


@dataclass(frozen=True)
class AbcSettings:
    """The sampler's settings (all recorded in an ensemble's provenance)."""

    population: int = 100
    generations: int = 5
    quantile: float = 0.5  # tolerance of generation t: this weighted quantile of generation t-1's distances
    batch: int = 25  # proposals simulated per batch (fixed, so results do not depend on the number of workers)
    max_simulations: int = 400  # per generation; reaching it relaxes the tolerance
    kernel_scale: float = 2.0  # kernel covariance = kernel_scale x weighted covariance (Beaumont et al. 2009)

    def __post_init__(self) -> None:
        if self.population < 2:
            raise ValueError("population: expected at least 2 particles")
        if self.generations < 1:
            raise ValueError("generations: expected at least 1")
        if not 0.0 < self.quantile < 1.0:
            raise ValueError("quantile: expected a number between 0 and 1")
        if self.batch < 1:
            raise ValueError("batch: expected at least 1")
        if self.max_simulations < self.population:
            raise ValueError("max_simulations: expected at least the population")
        if self.kernel_scale <= 0:
            raise ValueError("kernel_scale: expected a positive number")

    def as_dict(self) -> dict[str, Any]:
        """The settings as a plain table."""
        return {"population": self.population, "generations": self.generations, "quantile": self.quantile,
                "batch": self.batch, "max_simulations": self.max_simulations, "kernel_scale": self.kernel_scale}


@dataclass
class Generation:
    """One finished generation: accepted particles with normalised weights, distances and seeds."""

    index: int
    epsilon: float
    params: np.ndarray  # population x dim
    weights: np.ndarray  # sums to one
    distances: np.ndarray
    seeds: np.ndarray  # int64, the simulation seed of each particle
    records: list[dict[str, Any]] = field(default_factory=list)  # what `simulate` reported per particle
    simulations: int = 0  # proposals simulated in this generation
    relaxed: bool = False  # the budget ran out; epsilon is the population-th best distance

    @property
    def acceptance(self) -> float:
        """Accepted particles per simulation."""
        return len(self.weights) / self.simulations if self.simulations else float("nan")

    def to_data(self) -> dict[str, Any]:
        """JSON-ready form (floats kept exactly: JSON round-trips Python floats)."""
        return {"index": self.index, "epsilon": None if math.isinf(self.epsilon) else self.epsilon,
                "params": self.params.tolist(), "weights": self.weights.tolist(), "distances": self.distances.tolist(),
                "seeds": [int(s) for s in self.seeds], "records": self.records, "simulations": self.simulations,
                "relaxed": self.relaxed}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Generation:
        """Inverse of `to_data` (raises KeyError/TypeError/ValueError on a malformed table)."""
        eps = data["epsilon"]
        gen = cls(index=int(data["index"]), epsilon=math.inf if eps is None else float(eps),
                  params=np.asarray(data["params"], dtype=float), weights=np.asarray(data["weights"], dtype=float),
                  distances=np.asarray(data["distances"], dtype=float), seeds=np.asarray(data["seeds"], dtype=np.int64),
                  records=list(data["records"]), simulations=int(data["simulations"]), relaxed=bool(data["relaxed"]))
        n = len(gen.weights)
        if gen.params.ndim != 2 or gen.params.shape[0] != n or len(gen.distances) != n or len(gen.seeds) != n:
            raise ValueError("generation arrays of different lengths")
        return gen


def generation_rng(seed: int, t: int) -> np.random.Generator:
    """The Generator of generation t: derived from the seed and t only (so a resumed run draws the same)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(t,)))


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value at which the cumulative normalised weight reaches q."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][min(int(np.searchsorted(cum, q, side="left")), len(values) - 1)])


def kernel_covariance(gen: Generation, prior: UniformPrior, scale: float) -> np.ndarray:
    """`scale` x the weighted covariance of a generation, kept positive definite (a parameter on
    which all particles agree gets a tiny spread relative to its prior range)."""
    w = gen.weights / gen.weights.sum()
    mean = w @ gen.params
    dev = gen.params - mean
    cov = scale * (dev * w[:, None]).T @ dev / max(1e-12, 1.0 - float(w @ w))
    floor = (1e-6 * (np.asarray(prior.hi) - np.asarray(prior.lo))) ** 2
    return cov + np.diag(floor)


def _log_kernel_mixture(theta: np.ndarray, prev: Generation, chol: np.ndarray) -> np.ndarray:
    """log Σ_j w_j N(θ_i; θ_j, Σ) up to a constant shared by all i (Σ = chol chol^T)."""
    diff = theta[:, None, :] - prev.params[None, :, :]  # m x n x d
    z = np.linalg.solve(chol, diff.reshape(-1, diff.shape[-1]).T).T.reshape(diff.shape)
    logk = -0.5 * np.sum(z * z, axis=-1) + np.log(prev.weights / prev.weights.sum())[None, :]
    top = logk.max(axis=1, keepdims=True)
    return (top + np.log(np.exp(logk - top).sum(axis=1, keepdims=True)))[:, 0]


def propose(rng: np.random.Generator, prev: Generation, prior: UniformPrior, chol: np.ndarray, m: int) -> np.ndarray:
    """`m` proposals: an ancestor drawn by weight, moved by the normal kernel, redrawn until inside the prior."""
    w = prev.weights / prev.weights.sum()
    out = np.empty((m, prior.dim))
    for i in range(m):
        for _attempt in range(10_000):
            j = rng.choice(len(w), p=w)
            cand = prev.params[j] + chol @ rng.standard_normal(prior.dim)
            if prior.inside(cand):
                out[i] = cand
                break
        else:
            raise RuntimeError("the kernel keeps leaving the prior's support")
    return out


def run_generation(t: int, prior: UniformPrior, settings: AbcSettings, prev: Generation | None,
                   simulate: Simulate, seed: int) -> Generation:
    """Generation t (t = 0 samples the prior; later ones need the previous generation)."""
    rng = generation_rng(seed, t)
    if t == 0:
        epsilon, chol = math.inf, None
    else:
        assert prev is not None
        epsilon = weighted_quantile(prev.distances, prev.weights, settings.quantile)
        chol = np.linalg.cholesky(kernel_covariance(prev, prior, settings.kernel_scale))
    thetas: list[np.ndarray] = []
    seeds: list[int] = []
    dists: list[float] = []
    records: list[dict[str, Any]] = []
    accepted = 0
    while accepted < settings.population and len(dists) < settings.max_simulations:
        m = min(settings.batch, settings.max_simulations - len(dists))
        batch = prior.sample(rng, m) if chol is None else propose(rng, prev, prior, chol, m)  # type: ignore[arg-type]
        batch_seeds = rng.integers(0, SEED_LIMIT, size=m, dtype=np.int64)
        results = simulate(batch, batch_seeds)
        if len(results) != m:
            raise RuntimeError(f"simulate returned {len(results)} results for {m} proposals")
        for theta, s, (d, rec) in zip(batch, batch_seeds, results, strict=True):
            d = float(d) if math.isfinite(d) else math.inf
            thetas.append(theta)
            seeds.append(int(s))
            dists.append(d)
            records.append(rec)
            accepted += int(math.isfinite(d) and d <= epsilon)
    dist_arr = np.asarray(dists)
    relaxed = accepted < settings.population
    if relaxed:
        finite = np.sort(dist_arr[np.isfinite(dist_arr)])
        if finite.size < settings.population:
            raise RuntimeError(f"generation {t}: only {finite.size} of {len(dists)} simulations gave a distance")
        epsilon = float(finite[settings.population - 1])
    keep = [i for i, d in enumerate(dists) if math.isfinite(d) and d <= epsilon][: settings.population]
    params = np.asarray([thetas[i] for i in keep])
    if chol is None:
        weights = np.full(len(keep), 1.0 / len(keep))
    else:
        logw = -_log_kernel_mixture(params, prev, chol)  # type: ignore[arg-type]  # uniform prior: constant inside
        weights = np.exp(logw - logw.max())
        weights /= weights.sum()
    return Generation(index=t, epsilon=epsilon, params=params, weights=weights, distances=dist_arr[keep],
                      seeds=np.asarray([seeds[i] for i in keep], dtype=np.int64),
                      records=[records[i] for i in keep], simulations=len(dists), relaxed=relaxed)


def abc_smc(prior: UniformPrior, settings: AbcSettings, simulate: Simulate, seed: int,
            done: Iterable[Generation] = (), on_generation: OnGeneration | None = None) -> list[Generation]:
    """All generations: the finished ones given in `done` (a resumed run) and the rest, each passed to
    `on_generation` as soon as it is finished. The last one is the posterior sample."""
    gens = list(done)
    for t in range(len(gens), settings.generations):
        gen = run_generation(t, prior, settings, gens[-1] if gens else None, simulate, seed)
        gens.append(gen)
        if on_generation is not None:
            on_generation(gen)
    return gens


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    w = weights / weights.sum()
    return float(1.0 / np.sum(w * w))
