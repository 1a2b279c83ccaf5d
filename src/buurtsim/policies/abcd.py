"""Asset-based community development (ABCD, McKnight, via Wijkengids 4.6) and 'being asked' (Wijkengids 11.1).

A connector maps residents' talents and asks those nobody asked, and links them to active
residents nearby. Raises participation beyond the usual vanguard and the founding of initiatives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.activities import ask
from buurtsim.policies.base import register
from buurtsim.policies.staffing import StaffedConfig, StaffedPolicy

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class AbcdConfig(StaffedConfig):
    """Connectors who map talents and ask residents."""

    type: Literal["asset_based"] = "asset_based"
    hours_per_week: float = Field(16.0, ge=0, le=40, description="Hours per connector per week.")
    caseload: int = Field(0, ge=0, le=200, description="Connectors do no casework by default.")
    asks_per_worker_week: int = Field(8, ge=0, le=1000, description="Residents a connector asks per week (door to door, talent mapping).")
    connects_per_ask: float = Field(0.5, ge=0, le=10, description="Ties made between an asked resident and an active neighbour per ask.")
    initiative_boost: float = Field(1.5, ge=1, le=10, description="Multiplier on the founding of initiatives while active.")
    ask_capacity_base: float = Field(0.2, gt=0, le=100, description=(
        "Offset added to capacity (0-1) in whom a connector asks, weight offset + capacity: at 0.2 a resident with "
        "full capacity is asked 6 times as readily as one with none; larger values ask more evenly. "
        "Source: assumption."))
    partner_min_rung: int = Field(2, ge=0, le=6, description=(
        "Lowest ladder rung (0 none .. 6 own) of the active neighbour an asked resident is linked to "
        "(2: consulted at least, Wijkengids 11.1 ladder). Source: assumption."))


@register
class AssetBased(StaffedPolicy):
    """ABCD: map talents, ask those nobody asked, connect them."""

    kind = "asset_based"
    Config = AbcdConfig
    staff_kind = "connector"
    summary_nl = "ABCD: talenten in kaart brengen en vragen wie nooit gevraagd werd."
    summary_en = "ABCD: map talents and ask those nobody asked."

    def step(self, model: NeighbourhoodModel) -> None:
        """Ask low-rung residents (weighted by capacity); connect them to active neighbours."""
        import numpy as np
        c: AbcdConfig = self.config  # type: ignore[assignment]
        staff = self.staff(model)
        if not staff:
            return
        st, rng = model.state, self.rng(model)
        model.initiative_boost *= c.initiative_boost
        low_rung = st.participation < model.params.active_level
        weights = np.where(low_rung, c.ask_capacity_base + st.capacity, 0.0)
        if not c.target.is_everyone:
            weights = np.where(c.target.mask(model), weights, 0.0)
        asked = ask(model, rng, c.asks_per_worker_week * len(staff), weights)
        n = rng.binomial(asked.size, min(c.connects_per_ask, 1.0)) if asked.size else 0
        if n:
            who = asked[:n]
            partners = model.blocks.random_member(st.block[who], rng)
            ok = partners >= 0
            ok[ok] = st.alive[partners[ok]] & (st.participation[partners[ok]] >= c.partner_min_rung)
            model.ties.add(who[ok], partners[ok], model.params.tie_initial_strength, 2, model.tick)
