"""Life events, recovery and the multi-problem spiral over life domains (brief §4.1, MO/Samenlevingsopbouw 2010-11, multiproblematiek)."""

from __future__ import annotations

import functools

import numpy as np

from buurtsim.jit import kernel
from buurtsim.params import Params
from buurtsim.state import N_DOMAINS, ResidentState

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
    return events_from_cumulative(np.cumsum(hazard), rng)


def events_from_cumulative(cum: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """`draw_events` given the running sum of the hazards."""
    total = float(cum[-1]) if cum.size else 0.0
    if total <= 0:
        return np.empty(0, np.int64)
    k = rng.poisson(total)
    where = rng.random(k)
    where *= total
    # The hits are deduplicated and sorted below, so their order does not matter; searching for
    # them in ascending order lets each search start where the last one ended (about 15 us a week
    # less at N = 10,000).
    where.sort()
    idx = np.searchsorted(cum, where, side="right")
    return _distinct_sorted(idx, cum.size)


@kernel
def _distinct_sorted(idx: np.ndarray, size: int) -> np.ndarray:
    """The distinct values of idx (each >= 0, clipped to size - 1), ascending: np.unique without the
    Python overhead, and without a pass over all `size` cells as a mask would need.

    Sorted by radix, 8 bits a pass: a comparison sort spends most of its time on comparisons whose
    outcome the processor cannot predict (21 -> 8 us a week at N = 10,000).
    """
    top = size - 1
    out = np.minimum(idx, top)
    spare = np.empty_like(out)
    count = np.empty(257, np.int64)
    shift = 0
    while shift < 64 and top >> shift:
        count[:] = 0
        for v in out:
            count[((v >> shift) & 255) + 1] += 1
        for b in range(256):
            count[b + 1] += count[b]
        for v in out:  # stable: each pass keeps the order of the lower bits
            digit = (v >> shift) & 255
            spare[count[digit]] = v
            count[digit] += 1
        out, spare = spare, out
        shift += 8
    k = 0
    for i in range(out.size):
        if k == 0 or out[i] != out[k - 1]:
            out[k] = out[i]
            k += 1
    return out[:k].copy()


BITS = 1 << np.arange(len(FED_BY), dtype=np.uint8)  # a row of problem flags as a 5-bit pattern


def spiral_tables(p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Lookup tables of setback hazards and recovery factors, built once per parameter values."""
    return _spiral_tables(p.shock_prob, p.spiral_coupling, p.problem_recovery_penalty, p.recovery_floor)


@functools.lru_cache(maxsize=64)
def _spiral_tables(shock_prob: float, spiral_coupling: float, recovery_penalty: float,
                   recovery_floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pattern of problem domains (32 patterns): the weekly setback hazard per domain (the base
    rate raised by problems in feeding domains) and the recovery factor slowed by stacked problems.

    Computing these once per pattern and looking rows up is much cheaper than per resident.
    """
    patterns = np.arange(1 << len(FED_BY))
    problems = (patterns[:, None] & BITS[None, :].astype(np.int64)) > 0
    fed = np.zeros(problems.shape)
    for dst, srcs in enumerate(FED_BY):
        for src in srcs:
            fed[:, dst] += problems[:, src]
    fed *= shock_prob * spiral_coupling
    fed += shock_prob
    slow = 1.0 - recovery_penalty * problems.sum(axis=1)
    np.clip(slow, recovery_floor, 1.0, out=slow)
    fed.flags.writeable = slow.flags.writeable = False  # shared by every model with these values
    return fed, slow


def life_events(st: ResidentState, p: Params, rng: np.random.Generator) -> np.ndarray:
    """Apply shocks, spiral coupling, recovery towards the potential and noise; returns shock mask."""
    d = st.domains
    n, k = d.shape
    hazard_table, slow_table = spiral_tables(p)
    pattern = np.empty(n, np.uint8)
    cum = np.empty(n * k)
    _hazards(d, st.alive, p.problem_threshold, hazard_table, pattern, cum)
    hit = events_from_cumulative(cum, rng)
    shocks = np.zeros(d.shape, bool)
    shocks.ravel()[hit] = True
    d.ravel()[hit] -= rng.exponential(p.shock_size, hit.size)
    noise = rng.random(d.shape, dtype=np.float32) if p.domain_noise > 0 else np.zeros((0, k), np.float32)
    # the running sums are no longer needed: their memory is the recovery's scratch
    _recover(d, st.potential, st.dependency, pattern, slow_table, p.dependency_recovery_penalty,
             p.recovery_rate, noise, np.float32(p.domain_noise * UNIFORM_SD), st.self_reliance, cum)
    return shocks


@kernel
def _hazards(d: np.ndarray, alive: np.ndarray, threshold: float, table: np.ndarray,
             pattern: np.ndarray, cum: np.ndarray) -> None:
    """Each resident's pattern of problem domains, and the running sum of setback hazards."""
    total = 0.0
    for i in range(d.shape[0]):  # rows of N_DOMAINS, a compile-time length: the loops are unrolled
        pat = 0
        for j in range(N_DOMAINS):
            if d[i, j] < threshold:
                pat |= 1 << j
        pattern[i] = pat
        for j in range(N_DOMAINS):
            if alive[i]:
                total += table[pat, j]
            else:
                total += 0.0
            cum[i * N_DOMAINS + j] = total


@kernel
def _recover(d: np.ndarray, potential: np.ndarray, dependency: np.ndarray, pattern: np.ndarray,
             slow_table: np.ndarray, dependency_penalty: float, recovery_rate: float,
             noise: np.ndarray, noise_scale: np.float32, self_reliance: np.ndarray, scratch: np.ndarray) -> None:
    """Recovery towards the potential (slowed below it), uniform noise, clipping, self-reliance.

    Below the potential recovery is slowed by stacked problems and by dependency; above it (gains
    from support or help) the surplus fades at the plain rate: temporary help fades out.
    `d` has N_DOMAINS columns; `scratch` has room for one number per cell.

    In three passes, so that the middle one, the same arithmetic on every cell, is done by the
    compiler several cells to an instruction: each row's slowed rate is first written out per cell.
    """
    n = d.shape[0]
    below = scratch[: n * N_DOMAINS]
    for i in range(n):
        slow = slow_table[pattern[i]] * (1.0 - dependency_penalty * dependency[i]) * recovery_rate
        for j in range(N_DOMAINS):
            below[i * N_DOMAINS + j] = slow
    cells = d.reshape(d.size)
    target = potential.reshape(potential.size)
    shake = noise.reshape(noise.size)
    half = np.float32(0.5)
    for c in range(cells.size):
        gap = target[c] - cells[c]
        x = cells[c] + gap * (below[c] if gap > 0 else recovery_rate)
        if shake.size:
            x += np.float64((shake[c] - half) * noise_scale)
        cells[c] = min(max(x, 0.0), 1.0)
    for i in range(n):
        acc = 0.0
        for j in range(N_DOMAINS):
            acc = d[i, j] if j == 0 else acc + d[i, j]
        self_reliance[i] = acc / N_DOMAINS
