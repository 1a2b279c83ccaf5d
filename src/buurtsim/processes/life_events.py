"""Life events, recovery and the multi-problem spiral over life domains (brief §4.1, seed 001)."""

from __future__ import annotations

import numpy as np

from buurtsim.params import Params
from buurtsim.state import ResidentState

# FEEDS[src, dst] = 1 when a problem in `src` raises the hazard of a setback in `dst`:
# no work -> debt -> psychosocial strain -> isolation -> no work; lacking skills -> no work.
# Domains: work, finance, health, social, skills.
FEEDS = np.zeros((5, 5))
FEEDS[0, 1] = FEEDS[1, 2] = FEEDS[2, 3] = FEEDS[3, 0] = FEEDS[4, 0] = 1.0


def life_events(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Apply shocks, spiral coupling, recovery towards the potential and noise; returns shock mask."""
    d = st.domains
    problems = d < p.problem_threshold
    hazard = p.shock_prob * (1.0 + p.spiral_coupling * (problems @ FEEDS))
    shocks = (rng.random(d.shape) < hazard) & st.alive[:, None]
    hit = np.flatnonzero(shocks.ravel())
    d.ravel()[hit] -= rng.exponential(p.shock_size, hit.size)
    # Recovery: below the potential it is slowed by stacked problems and by dependency; above it
    # (gains from support or help) the surplus fades at the plain rate: temporary help fades out.
    n_prob = problems.sum(axis=1, keepdims=True)
    slow = np.clip(1.0 - p.problem_recovery_penalty * n_prob, 0.05, 1.0)
    slow = slow * (1.0 - p.dependency_recovery_penalty * st.dependency[:, None])
    gap = st.potential - d
    rate = np.where(gap > 0, p.recovery_rate * slow, p.recovery_rate)
    d += rate * gap
    d += rng.normal(0.0, p.domain_noise, d.shape)
    np.clip(d, 0.0, 1.0, out=d)
    st.update_self_reliance()
    return shocks
