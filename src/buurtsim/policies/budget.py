"""Resident budgets in four kinds (Engbersen, Fortuin & Hofman: 'Bewonersbudgetten', production power x democratic
quality; the Lombaspel in Lombardijen).

- advice budget (adviesbudget): the organised vanguard advises, external parties produce;
- neighbourhood budget (wijkbudget): the whole wijk decides, external parties produce;
- liveability fund (leefbaarheidsfonds): residents produce, but who applies is the vanguard;
- resident budget (bewonersbudget, e.g. the Lombaspel): many residents decide and produce.

Democratic quality decides who is asked (the many, or the vanguard only); production power decides
whether the money becomes residents' own initiatives or activities that agencies organise for them.
Neither kind moves perceived safety directly: safety follows from ties, initiatives and disorder
through the perceptions process (odd.md §3.9). Physical upkeep (cleaning, lighting, greenery) is
not modelled: no source gives its effect on perceived safety.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.activities import GatheringConfig, ask, meeting, support_initiatives
from buurtsim.policies.base import Policy, register

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel

KINDS: dict[str, tuple[bool, bool]] = {
    # kind: (democratic: the many take part, production: residents produce)
    "advice": (False, False),
    "neighbourhood": (True, False),
    "liveability_fund": (False, True),
    "resident": (True, True),
}


class ResidentBudgetConfig(GatheringConfig):
    """A yearly budget residents have a say over."""

    type: Literal["resident_budget"] = "resident_budget"
    kind: Literal["advice", "neighbourhood", "liveability_fund", "resident"] = Field("resident", description="advice, neighbourhood (wijkbudget), liveability_fund or resident (bewonersbudget).")
    eur_per_resident_year: float = Field(20.0, ge=0, le=10_000, description="Budget per resident per year (the Lombaspel: EUR 100,000 for a wijk).")
    asks_per_1000_week: float = Field(6.0, ge=0, le=1000, description="Residents asked per 1000 residents per week at the reference budget (reference_eur_per_resident_year).")
    initiative_boost: float = Field(2.0, ge=1, le=20, description="Multiplier on founding initiatives at the reference budget, when residents produce.")
    events_per_1000_week: float = Field(0.1, ge=0, le=100, description="Activities agencies organise per 1000 residents per week at the reference budget, when external parties produce.")
    event_size: int = Field(30, ge=2, le=5000, description="Residents who come to one organised activity.")
    event_ties: int = Field(8, ge=0, le=5000, description="New or renewed acquaintances per organised activity.")
    reference_eur_per_resident_year: float = Field(20.0, gt=0, le=10_000, description=(
        "Reference budget per resident per year: asks, the initiative boost and organised activities scale with "
        "eur_per_resident_year / this. Source: assumption (the Lombaspel put EUR 100,000 at a wijk's disposal, "
        "Engbersen, Fortuin & Hofman 2010-11; no source gives an amount per resident)."))
    vanguard_min_rung: int = Field(3, ge=0, le=6, description=(
        "Lowest ladder rung (0 none .. 6 own) of the organised vanguard, the only residents asked by the "
        "non-democratic kinds (advice, liveability_fund). Source: Engbersen, Fortuin & Hofman 2010-11 (the "
        "vanguard advises) on the ladder of Wijkengids 11.1 (rung 3: advise); the rung itself is an assumption."))


@register
class ResidentBudget(Policy):
    """Money residents decide over: who takes part depends on the kind."""

    kind = "resident_budget"
    Config = ResidentBudgetConfig
    summary_nl = "Bewonersbudget in vier soorten: wie beslist (voorhoede of velen) en wie uitvoert (bewoners of instanties)."
    summary_en = "Resident budgets in four kinds: who decides (vanguard or many) and who produces (residents or agencies)."

    def step(self, model: NeighbourhoodModel) -> None:
        """Spend this week's share; ask residents; back initiatives or hold organised activities."""
        import numpy as np
        c: ResidentBudgetConfig = self.config  # type: ignore[assignment]
        st, rng = model.state, self.rng(model)
        n_alive = int(np.count_nonzero(st.alive))
        model.spend(c.eur_per_resident_year * n_alive / 52.0, self)
        intensity = c.eur_per_resident_year / c.reference_eur_per_resident_year
        democratic, producing = KINDS[c.kind]
        # democratic: everyone can be asked (the Lombaspel reaches all households);
        # otherwise only the organised vanguard takes part.
        weights = np.ones(st.size) if democratic else (st.participation >= c.vanguard_min_rung).astype(float)
        if not c.target.is_everyone:
            weights = np.where(c.target.mask(model), weights, 0.0)
        n_ask = rng.poisson(c.asks_per_1000_week * intensity * n_alive / 1000.0)
        ask(model, rng, n_ask, weights)
        if producing:
            model.initiative_boost *= 1.0 + (c.initiative_boost - 1.0) * intensity
            support_initiatives(model)
        else:
            for _ in range(rng.poisson(c.events_per_1000_week * intensity * n_alive / 1000.0)):
                meeting(model, rng, c.event_size, c.event_ties, None, c)
