"""Seeds for an experiment: one master seed, one seed per replication (common random numbers).

Replication r of every scenario (and of every sweep point) gets the same seed, so differences
between scenarios are paired: the same residents, the same life events, only the policy differs.
"""

from __future__ import annotations

import numpy as np

SEED_BITS = 63


def replication_seeds(master_seed: int, replications: int) -> list[int]:
    """The seed of each replication, derived from the master seed with `numpy.random.SeedSequence`.

    Child r is `SeedSequence(master_seed).spawn(replications)[r]`; its first 64 state bits,
    masked to 63 bits, are the run seed. Adding replications never changes earlier seeds.
    """
    if replications < 0:
        raise ValueError("replications must not be negative")
    children = np.random.SeedSequence(master_seed).spawn(replications)
    mask = (1 << SEED_BITS) - 1
    return [int(child.generate_state(1, np.uint64)[0]) & mask for child in children]


def aux_seed(master_seed: int, purpose: str) -> int:
    """A seed for a helper draw (sweep sampling, sensitivity sampling) that never equals a run seed stream."""
    key = int.from_bytes(purpose.encode("utf-8")[:8].ljust(8, b"\0"), "little")
    seq = np.random.SeedSequence(master_seed, spawn_key=(2**32 + 1, key))
    return int(seq.generate_state(1, np.uint64)[0]) & ((1 << SEED_BITS) - 1)
