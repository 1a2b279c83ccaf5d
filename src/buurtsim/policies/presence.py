"""Long-term presence (presentie, langdurige aanwezigheid): permanent community workers.

Van Ewijk 2010-11 (light but long-lasting support; the community worker's relationship of trust),
Heijkers 2010-11 (the neighbourhood's own pace, eigen frequentie) and Movisie 2014 (the professional as process facilitator who fades into the
background; outreach via key persons). Workers reach residents through their networks, enable
rather than solve, back resident initiatives, and shift hours from casework to supporting residents'
own activity as residents take over.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.activities import support_initiatives
from buurtsim.policies.base import register
from buurtsim.policies.staffing import StaffedConfig, StaffedPolicy

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class PresenceConfig(StaffedConfig):
    """Permanent community workers."""

    type: Literal["long_term_presence"] = "long_term_presence"
    hours_per_week: float = Field(16.0, ge=0, le=40, description="Hours per worker per week (e.g. two days).")
    caseload: int = Field(40, ge=0, le=200, description="Residents one worker knows and follows at once (light: few hours each).")
    intake_per_week: int = Field(1, ge=0, le=50, description="New residents a worker gets to know per week (the neighbourhood's own pace).")
    through_network: bool = Field(True, description="Reach residents through key persons and their ties.")
    ask_clients: float = Field(0.05, ge=0, le=1, description="Weekly chance a resident the worker knows is asked to take part.")
    initiative_boost: float = Field(1.5, ge=1, le=10, description="Multiplier on the founding of resident initiatives while present.")
    backed_initiatives: int = Field(5, ge=0, le=1000, description="Initiatives a worker can back at once.")
    fade_at_initiatives: int = Field(6, ge=1, le=1000, description="Running initiatives per worker at which casework has shrunk to its minimum.")
    min_direct_share: float = Field(0.3, ge=0, le=1, description="Share of hours that stays casework when residents have taken over.")


@register
class LongTermPresence(StaffedPolicy):
    """Community workers who stay for years."""

    kind = "long_term_presence"
    Config = PresenceConfig
    staff_kind = "community worker"
    summary_nl = "Vaste opbouwwerkers die jaren blijven, vertrouwen opbouwen en bewoners laten overnemen."
    summary_en = "Permanent community workers who stay for years, build trust and let residents take over."

    def step(self, model: NeighbourhoodModel) -> None:
        """Back initiatives; fade into the background as residents' initiatives grow."""
        c: PresenceConfig = self.config  # type: ignore[assignment]
        staff = self.staff(model)
        if not staff:
            return
        model.initiative_boost *= c.initiative_boost
        support_initiatives(model, c.backed_initiatives * len(staff))
        taken_over = min(1.0, model.initiatives.n_active / (c.fade_at_initiatives * len(staff)))
        share = c.direct_share - (c.direct_share - c.min_direct_share) * taken_over
        for pro in staff:
            pro.direct_share = share
