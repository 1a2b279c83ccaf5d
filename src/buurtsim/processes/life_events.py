"""Life events, recovery and the multi-problem spiral over life domains (brief §4.1, seed 001)."""

from __future__ import annotations

import numpy as np

from buurtsim.params import Params
from buurtsim.state import ResidentState

# A problem in one domain raises the hazard of a setback in the domain it feeds:
# no work -> debt -> psychosocial strain -> isolation -> no work; lacking skills -> no work.
# Domains: 0 work, 1 finance, 2 health, 3 social, 4 skills. FED_BY[dst] lists the feeding domains.
FED_BY: tuple[tuple[int, ...], ...] = ((3, 4), (0,), (1,), (2,), ())
UNIFORM_SD = float(np.sqrt(12.0))  # a uniform on [-0.5, 0.5] times this has unit SD


def draw_events(hazard: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices hit by an event, each with probability ~hazard (small), without a draw per cell.

    The number of events is Poisson with the summed hazard and each lands on a cell in proportion
    to its hazard: the Poisson limit of independent Bernoulli draws (hazards here are < 0.1).
    A cell hit twice counts once.
    """
    cum = np.cumsum(hazard)
    total = float(cum[-1]) if cum.size else 0.0
    if total <= 0:
        return np.empty(0, np.int64)
    k = rng.poisson(total)
    idx = np.searchsorted(cum, rng.random(k) * total, side="right")
    return np.unique(np.minimum(idx, hazard.size - 1))


def spiral_hazard(problems: np.ndarray, p: Params) -> np.ndarray:
    """Weekly setback hazard per domain: the base rate raised by problems in feeding domains."""
    fed = np.zeros(problems.shape)
    for dst, srcs in enumerate(FED_BY):
        for src in srcs:
            fed[:, dst] += problems[:, src]
    fed *= p.shock_prob * p.spiral_coupling
    fed += p.shock_prob
    return fed


def life_events(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Apply shocks, spiral coupling, recovery towards the potential and noise; returns shock mask."""
    d = st.domains
    problems = d < p.problem_threshold
    hazard = spiral_hazard(problems, p)
    if not st.alive.all():
        hazard[~st.alive] = 0.0
    hit = draw_events(hazard.ravel(), rng)
    shocks = np.zeros(d.shape, bool)
    shocks.ravel()[hit] = True
    d.ravel()[hit] -= rng.exponential(p.shock_size, hit.size)
    # Recovery: below the potential it is slowed by stacked problems and by dependency; above it
    # (gains from support or help) the surplus fades at the plain rate: temporary help fades out.
    slow = 1.0 - p.problem_recovery_penalty * problems.sum(axis=1)
    np.clip(slow, 0.05, 1.0, out=slow)
    slow *= 1.0 - p.dependency_recovery_penalty * st.dependency
    slow *= p.recovery_rate
    gap = st.potential - d
    rate = np.where(gap > 0, slow[:, None], p.recovery_rate)
    gap *= rate
    d += gap
    if p.domain_noise > 0:
        noise = rng.random(d.shape, dtype=np.float32)
        noise -= np.float32(0.5)
        noise *= np.float32(p.domain_noise * UNIFORM_SD)
        d += noise
    np.clip(d, 0.0, 1.0, out=d)
    st.update_self_reliance()
    return shocks
