"""Drawing residents from a neighbourhood profile: income, style, potential, domains, location."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel, unsigned
from buurtsim.params import Params
from buurtsim.rng import categorical
from buurtsim.state import N_DOMAINS, ResidentState


def block_layout(n_slots: int, per_block: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Blocks on a square grid (unit spacing); each slot gets a block and a jittered position."""
    block = np.arange(n_slots) // per_block
    n_blocks = int(block.max()) + 1 if n_slots else 0
    side = max(1, int(np.ceil(np.sqrt(n_blocks))))
    bx, by = block % side, block // side
    # A deterministic spread of dwellings inside a block (no randomness needed for layout).
    k = np.arange(n_slots) % per_block
    golden = 0.6180339887498949
    x = bx + (k * golden) % 1.0 * 0.9 + 0.05
    y = by + (k / max(per_block, 1)) * 0.9 + 0.05
    return block.astype(np.int32), x, y


def draw_residents(
    n: int,
    params: Params,
    rng: np.random.Generator,
    income_shares: tuple[float, ...],
    potential_shift: float = 0.0,
) -> ResidentState:
    """Draw `n` residents (without location or uid) from income shares and the potential model."""
    st = ResidentState.empty(n)
    st.block[:], st.x[:], st.y[:], st.household[:] = 0, 0.0, 0.0, -1
    st.attachment[:], st.safety[:], st.arrived[:] = params.initial_attachment, params.initial_safety, 0
    draw_into(st, np.arange(n), params, rng, income_shares, potential_shift)
    return st


def draw_into(
    st: ResidentState,
    slots: np.ndarray,
    params: Params,
    rng: np.random.Generator,
    income_shares: tuple[float, ...],
    potential_shift: float = 0.0,
) -> None:
    """Draw residents straight into the given slots of `st` (newcomers into vacated dwellings).

    Writes what a resident brings (income, style, potential, domains, trust, threshold) and starts
    the rest afresh: alive, no uid yet, no load, help given, dependency, rung, initiative,
    professional or reach. Location, household, attachment, safety and arrival are the caller's.
    Writing into the slots, rather than drawing a separate state and copying it in, saves some
    fifty small array operations per week of moves.
    """
    n = slots.size
    income = categorical(rng, income_shares, n).astype(np.int8)
    style = categorical(rng, params.style_shares, n).astype(np.int8)
    mean = np.clip(np.asarray(params.potential_mean_by_income)[income] + potential_shift, 0.02, 0.98)
    conc = params.potential_concentration
    base = rng.beta(mean * conc, (1 - mean) * conc)
    spread = rng.normal(0.0, params.potential_domain_sd, (n, N_DOMAINS))
    noise = rng.normal(0.0, params.initial_domain_noise, (n, N_DOMAINS))
    trust_noise = rng.normal(0, params.initial_trust_sd, n)
    st.threshold[slots] = rng.uniform(0.0, params.threshold_max, n)  # Granovetter thresholds: share of active ties needed
    # Start near the long-run level: setbacks keep domains on average about
    # shock_prob * shock_size / recovery_rate below the potential (saves years of burn-in).
    gap = params.shock_prob * params.shock_size / max(params.recovery_rate, 1e-9)
    _starting_levels(base, spread, noise, gap, unsigned(style), np.asarray(params.trust_base_by_style, float),
                     trust_noise, unsigned(slots), st.potential, st.domains, st.self_reliance, st.capacity, st.trust)
    st.income[slots] = st.income_start[slots] = income
    st.style[slots] = style
    st.uid[slots] = -1
    st.alive[slots] = True
    st.load[slots] = st.given[slots] = st.dependency[slots] = 0.0
    st.participation[slots] = 0
    st.initiative[slots] = st.client_of[slots] = -1
    st.asked[slots] = st.reached[slots] = False


def initial_participation(st: ResidentState, params: Params, rng: np.random.Generator) -> None:
    """Start rungs near the ladder's stationary shape for each style (saves burn-in time)."""
    up = np.asarray(params.participation_up)[st.style]
    ratio = np.clip(up / max(params.participation_down, 1e-9), 0.0, 0.95)
    # Geometric distribution over rungs 0..6 with ratio up/down.
    u = rng.random(st.size)
    rung = np.floor(np.log1p(-u) / np.log(np.maximum(ratio, 1e-9))).astype(np.int64)
    st.participation[:] = np.clip(rung, 0, 6).astype(np.int8)


def assign_households(n: int, mean_size: float, rng: np.random.Generator, start_id: int = 0) -> np.ndarray:
    """Consecutive slots form households of size 1 + Poisson(mean - 1)."""
    sizes = 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=n)
    ids = np.repeat(np.arange(n), sizes)[:n]
    return ids + start_id


@kernel
def _starting_levels(base: np.ndarray, spread: np.ndarray, noise: np.ndarray, gap: float, style: np.ndarray,
                     trust_base: np.ndarray, trust_noise: np.ndarray, slots: np.ndarray, potential: np.ndarray,
                     domains: np.ndarray, sr: np.ndarray, capacity: np.ndarray, trust: np.ndarray) -> None:
    """Potential = personal base + domain spread; domains start `gap` below it with noise; all in [0, 1].
    Row i of the draws goes to slot slots[i]; capacity starts at self-reliance."""
    n, k = spread.shape
    for i in range(n):
        s = slots[i]
        acc = 0.0
        for j in range(k):
            pot = min(max(base[i] + spread[i, j], 0.0), 1.0)  # a personal base, domain variation
            dom = min(max(pot - gap + noise[i, j], 0.0), 1.0)
            potential[s, j] = pot
            domains[s, j] = dom
            acc = dom if j == 0 else acc + dom
        sr[s] = acc / k
        capacity[s] = sr[s]
        trust[s] = min(max(trust_base[style[i]] + trust_noise[i], 0.0), 1.0)


@kernel
def household_ranks(household: np.ndarray) -> np.ndarray:
    """Each entry's rank among the distinct values (0 for the smallest): the inverse that
    `np.unique(household, return_inverse=True)` returns, as int64."""
    distinct = np.unique(household)
    return np.searchsorted(distinct, household).astype(np.int64)
