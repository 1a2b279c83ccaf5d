"""Perceived safety and trust spread through ties (fear faster than reassurance); attachment
follows ties and safety (brief §4.6; Kleinhans & Bolt 2010; Hipp 2016)."""

from __future__ import annotations

import numpy as np

from buurtsim.jit import kernel, unsigned
from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.state import ResidentState


def block_shares(st: ResidentState, *flags: np.ndarray) -> list[np.ndarray]:
    """For each flag, the share of live residents in each resident's block for which it holds."""
    nb = int(st.block.max()) + 1
    return list(_block_shares(unsigned(st.block), st.alive, np.stack([np.asarray(f, np.bool_) for f in flags]), nb))


@kernel
def _block_shares(block: np.ndarray, alive: np.ndarray, flags: np.ndarray, n_blocks: int) -> np.ndarray:
    """Per flag and slot: the share of live residents of its block with the flag (0 if none live)."""
    den = np.zeros(n_blocks)
    num = np.zeros((flags.shape[0], n_blocks))
    for i in range(block.size):
        if alive[i]:
            den[block[i]] += 1.0
            for f in range(flags.shape[0]):
                if flags[f, i]:
                    num[f, block[i]] += 1.0
    out = np.empty((flags.shape[0], block.size))
    for f in range(flags.shape[0]):
        for k in range(n_blocks):
            num[f, k] = num[f, k] / den[k] if den[k] > 0 else 0.0
        for i in range(block.size):
            out[f, i] = num[f, block[i]]
    return out


@kernel
def _disorder_and_organised(block: np.ndarray, alive: np.ndarray, self_reliance: np.ndarray, sliding: float,
                            initiative: np.ndarray, n_blocks: int, disorder: np.ndarray,
                            organised: np.ndarray) -> None:
    """block_shares(st, self_reliance < sliding, initiative >= 0) into two arrays, the flags read
    on the way."""
    # Counted in integers, exact as the sums of 1.0 were, and branch-free: the flags are added,
    # not branched on (a fifth of the residents are sliding, in no order a branch predictor could
    # guess), and an integer addition is quicker than a float one to wait for when consecutive
    # residents share a block (a quarter less time in a running model).
    den = np.zeros(n_blocks, np.int64)
    n_disorder = np.zeros(n_blocks, np.int64)
    n_organised = np.zeros(n_blocks, np.int64)
    for i in range(block.size):
        live = alive[i]
        den[block[i]] += live
        n_disorder[block[i]] += live & (self_reliance[i] < sliding)
        n_organised[block[i]] += live & (initiative[i] >= 0)
    share0 = np.empty(n_blocks)
    share1 = np.empty(n_blocks)
    for k in range(n_blocks):
        share0[k] = n_disorder[k] / den[k] if den[k] > 0 else 0.0
        share1[k] = n_organised[k] / den[k] if den[k] > 0 else 0.0
    for i in range(block.size):
        disorder[i] = share0[block[i]]
        organised[i] = share1[block[i]]


def perceptions(st: ResidentState, ties: TieStore, p: Params, strength: np.ndarray | None = None) -> None:
    """Update perceived safety, institutional trust and attachment.

    Safety moves towards a block target (less with visible disorder, more with organised
    residents) and towards tied residents' safety, downward faster than upward; trust moves
    towards tied residents' trust; attachment follows ties and safety.
    """
    if strength is None:  # summed tie strength per resident (as ties.strength_sum())
        (nb_safety_sum, nb_trust_sum), strength = ties.flows_and_strength(st.safety, st.trust)
    else:
        nb_safety_sum, nb_trust_sum = ties.propagate_many(st.safety, st.trust)
    total = ties.weighted_degree()
    disorder, organised = np.empty(st.size), np.empty(st.size)
    _disorder_and_organised(unsigned(st.block), st.alive, st.self_reliance, p.sliding_threshold, st.initiative,
                            int(st.block.max()) + 1, disorder, organised)
    untied = np.negative(strength)
    untied /= p.attachment_ties_scale
    np.exp(untied, out=untied)  # numpy's exp, as before; ties_part = 1 - untied
    _perceive(total, nb_safety_sum, nb_trust_sum, disorder, organised, untied,
              st.safety, st.trust, st.attachment, p.safety_target_base, p.disorder_weight, p.initiative_safety,
              p.fear_asymmetry,
              p.safety_rate, p.safety_contagion, p.trust_contagion, p.attachment_ties_weight, p.attachment_rate)


@kernel
def _perceive(total: np.ndarray, nb_safety_sum: np.ndarray, nb_trust_sum: np.ndarray, disorder: np.ndarray,
              organised: np.ndarray, untied: np.ndarray, safety: np.ndarray, trust: np.ndarray,
              attachment: np.ndarray, target_base: float, disorder_weight: float, initiative_safety: float,
              fear_asymmetry: float,
              safety_rate: float, safety_contagion: float, trust_contagion: float, ties_weight: float,
              attachment_rate: float) -> None:
    """Per resident: safety, trust and attachment towards their targets, clipped to [0, 1].

    untied[i] = exp(-strength_i / scale): attachment's ties part is 1 - untied[i].
    """
    for i in range(safety.size):
        tied = total[i] > 0
        denom = total[i] if tied else 1.0
        target = min(max(target_base - disorder_weight * disorder[i] + initiative_safety * organised[i], 0.0), 1.0)
        diff = nb_safety_sum[i] / denom - safety[i] if tied else 0.0
        weight = fear_asymmetry if diff < 0 else 1.0
        sf = safety[i] + (safety_rate * (target - safety[i]) + safety_contagion * weight * diff)
        tr = trust[i] + trust_contagion * (nb_trust_sum[i] / denom - trust[i] if tied else 0.0)
        att_target = ties_weight * (1.0 - untied[i]) + (1 - ties_weight) * sf
        at = attachment[i] + attachment_rate * (att_target - attachment[i])
        safety[i] = min(max(sf, 0.0), 1.0)
        trust[i] = min(max(tr, 0.0), 1.0)
        attachment[i] = min(max(at, 0.0), 1.0)


def block_share(st: ResidentState, flag: np.ndarray) -> np.ndarray:
    """Share of live residents in each resident's block for which `flag` holds."""
    return block_shares(st, flag)[0]
