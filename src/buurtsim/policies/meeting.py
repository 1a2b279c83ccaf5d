"""Meeting places and activities (the neighbourhood barbecue): cheap, quick ties that fade without
follow-up (brief §5; Wijkengids 4.6: 'create new meeting places only where they add something')."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.activities import GatheringConfig, meeting
from buurtsim.policies.base import Policy, register

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class MeetingConfig(GatheringConfig):
    """Regular gatherings."""

    type: Literal["meeting_activities"] = "meeting_activities"
    every_weeks: int = Field(4, ge=1, le=520, description="An activity every this many weeks.")
    participants: int = Field(40, ge=2, le=10_000, description="Residents who come to one activity.")
    ties_per_event: int = Field(25, ge=0, le=10_000, description="New or renewed acquaintances per activity.")
    eur_per_event: float = Field(500.0, ge=0, description="Cost of one activity.")


@register
class MeetingActivities(Policy):
    """Gatherings where residents meet; the already active come first."""

    kind = "meeting_activities"
    Config = MeetingConfig
    summary_nl = "Ontmoetingsactiviteiten (de buurtbarbecue): snel contact, dat zonder vervolg weer verwatert."
    summary_en = "Meeting activities (the barbecue): quick contact that fades without follow-up."

    def step(self, model: NeighbourhoodModel) -> None:
        """Hold an activity on schedule."""
        c: MeetingConfig = self.config  # type: ignore[assignment]
        if (model.tick - self.start) % c.every_weeks == 0:
            eligible = c.target.mask(model) if not c.target.is_everyone else None
            meeting(model, self.rng(model), c.participants, c.ties_per_event, eligible, c)
            model.spend(c.eur_per_event, self)
