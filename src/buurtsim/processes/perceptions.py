"""Perceived safety and trust spread through ties (fear faster than reassurance); attachment
follows ties and safety (brief §4.6; seed 001; Kleinhans & Bolt; Hipp 2016)."""

from __future__ import annotations

import numpy as np

from buurtsim.network import TieStore
from buurtsim.params import Params
from buurtsim.state import ResidentState


def block_shares(st: ResidentState, *flags: np.ndarray) -> list[np.ndarray]:
    """For each flag, the share of live residents in each resident's block for which it holds."""
    nb = int(st.block.max()) + 1
    den = np.bincount(st.block, weights=st.alive.astype(float), minlength=nb)
    out = []
    for flag in flags:
        num = np.bincount(st.block, weights=(flag & st.alive).astype(float), minlength=nb)
        out.append(np.divide(num, den, out=np.zeros(nb), where=den > 0)[st.block])
    return out


def perceptions(st: ResidentState, ties: TieStore, p: Params, strength: np.ndarray) -> None:
    """Update perceived safety, institutional trust and attachment."""
    flows = ties.propagate(np.column_stack([st.safety, st.trust, np.ones(st.size)]))
    tied = flows[:, 2] > 0
    denom = np.where(tied, flows[:, 2], 1.0)
    nb_safety, nb_trust = flows[:, 0] / denom, flows[:, 1] / denom
    disorder, organised = block_shares(st, st.self_reliance < p.sliding_threshold, st.initiative >= 0)
    target = np.clip(0.85 - p.disorder_weight * disorder + p.initiative_safety * organised, 0.0, 1.0)
    diff = np.where(tied, nb_safety - st.safety, 0.0)
    weight = np.where(diff < 0, p.fear_asymmetry, 1.0)
    st.safety += p.safety_rate * (target - st.safety) + p.safety_contagion * weight * diff
    st.trust += p.trust_contagion * np.where(tied, nb_trust - st.trust, 0.0)
    ties_part = 1.0 - np.exp(-strength / p.attachment_ties_scale)
    att_target = p.attachment_ties_weight * ties_part + (1 - p.attachment_ties_weight) * st.safety
    st.attachment += p.attachment_rate * (att_target - st.attachment)
    for arr in (st.safety, st.trust, st.attachment):
        np.clip(arr, 0.0, 1.0, out=arr)


def block_share(st: ResidentState, flag: np.ndarray) -> np.ndarray:
    """Share of live residents in each resident's block for which `flag` holds."""
    return block_shares(st, flag)[0]
