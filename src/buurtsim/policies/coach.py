"""Participation coaching (participatiecoach; MO/Samenlevingsopbouw 2010-11, Arnhem): a personal development plan towards work
for residents far from the labour market."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.base import Target, register
from buurtsim.policies.staffing import StaffedConfig, StaffedPolicy

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel

WORK, SKILLS = 0, 4


class CoachConfig(StaffedConfig):
    """Participation coaches with personal plans."""

    type: Literal["participation_coach"] = "participation_coach"
    caseload: int = Field(25, ge=0, le=200, description="Residents one coach follows.")
    hours_per_week: float = Field(32.0, ge=0, le=40, description="Hours per coach per week.")
    ask_clients: float = Field(0.1, ge=0, le=1, description="Weekly chance a client is asked to take part (volunteering as a step).")
    work_gain: float = Field(0.004, ge=0, le=0.1, description="Extra weekly gain in the work domain at full relationship trust.")
    skills_gain: float = Field(0.003, ge=0, le=0.1, description="Extra weekly gain in the skills domain at full relationship trust.")
    target: Target = Field(default_factory=lambda: Target(categories=["vulnerable", "sliding"]), description="Default: vulnerable and sliding residents.")


@register
class ParticipationCoach(StaffedPolicy):
    """Coaches who work on work and skills with a personal plan."""

    kind = "participation_coach"
    Config = CoachConfig
    staff_kind = "participation coach"
    summary_nl = "Participatiecoach: een persoonlijk ontwikkelplan richting werk."
    summary_en = "Participation coach: a personal development plan towards work."

    def step(self, model: NeighbourhoodModel) -> None:
        """Plan-based extra gains in work and skills, growing with the relationship."""
        import numpy as np
        c: CoachConfig = self.config  # type: ignore[assignment]
        d = model.state.domains
        for pro in self.staff(model):
            if pro.clients.size == 0:
                continue
            rel = pro.relationship_trust(model.tick)
            d[pro.clients, WORK] = np.clip(d[pro.clients, WORK] + c.work_gain * rel, 0.0, 1.0)
            d[pro.clients, SKILLS] = np.clip(d[pro.clients, SKILLS] + c.skills_gain * rel, 0.0, 1.0)
        model.state.update_self_reliance()
