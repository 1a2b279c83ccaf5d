"""The project carousel (projectencarrousel): a stream of short, temporarily funded projects.

Giltay Veth 2009 (who named the carousel), Mulder 2010-11 (650 projects in Rotterdam-Zuid) and Oelkers (LSA)
('what remains after the money stops'): staff are hired per project and leave at its end with the trust they built; activities
stop. Project work tends to be supply-driven ('rescuer mentality', Oelkers (LSA)), hence the default
problem-solving approach.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.activities import GatheringConfig, meeting
from buurtsim.policies.base import register
from buurtsim.policies.staffing import StaffedConfig, StaffedPolicy

if TYPE_CHECKING:
    import numpy as np

    from buurtsim.model import NeighbourhoodModel


class CarouselConfig(GatheringConfig, StaffedConfig):
    """A stream of projects between `start` and `end`."""

    type: Literal["project_carousel"] = "project_carousel"
    projects_per_year: float = Field(2.0, gt=0, le=52, description="New projects started per year.")
    project_weeks: int = Field(52, ge=1, le=520, description="Duration of one project in weeks (6-24 months in practice).")
    workers: int = Field(1, ge=0, le=200, description="Professionals per project.")
    approach: Literal["enabling", "solving"] = Field("solving", description="Project workers mostly solve problems for residents (supply-driven).")
    intake_per_week: int = Field(3, ge=0, le=50, description="New clients a project worker takes on per week (projects must show results fast).")
    focus: Literal["casework", "meeting", "mixed"] = Field("mixed", description="casework: caseloads only; meeting: activities only; mixed: both.")
    meetings_per_week: float = Field(0.5, ge=0, le=7, description="Meeting activities per week per project (when focus is meeting or mixed).")
    meeting_size: int = Field(30, ge=2, le=5000, description="Residents who come to one activity.")
    meeting_ties: int = Field(8, ge=0, le=5000, description="New or renewed acquaintances per activity.")
    activity_eur_per_week: float = Field(150.0, ge=0, description="Activity budget per project per week (rent, materials).")


@register
class ProjectCarousel(StaffedPolicy):
    """Short projects one after another; each hires staff, runs activities, and stops."""

    kind = "project_carousel"
    Config = CarouselConfig
    staff_kind = "project worker"
    summary_nl = "Een stroom korte projecten met tijdelijke medewerkers; als het geld stopt, stopt alles."
    summary_en = "A stream of short projects with temporary staff; when the money stops, everything stops."

    def projects(self, horizon: int) -> list[tuple[int, int]]:
        """(start, end) of every project starting before the policy ends (or before `horizon`).

        A project runs its full length unless the policy itself ends first (funding stops).
        """
        c: CarouselConfig = self.config  # type: ignore[assignment]
        stop = self.end if self.end is not None else horizon
        interval = 52.0 / c.projects_per_year
        out, k = [], 0
        while (s := self.start + round(k * interval)) < stop:
            e = s + c.project_weeks
            out.append((s, e if self.end is None else min(e, self.end)))
            k += 1
        return out

    def timeline(self, horizon: int) -> list[tuple[int, int, str]]:
        """One period per project."""
        return [(s, min(e, horizon), f"{self.label} #{i + 1}") for i, (s, e) in enumerate(self.projects(horizon)) if s < horizon]

    def on_start(self, model: NeighbourhoodModel) -> None:
        """Staff are hired per project, not at the start of the policy."""

    @staticmethod
    def _meetings_this_week(per_week: float, rng: np.random.Generator) -> int:
        """The whole part of `per_week` for sure, and one more with the chance of its fraction: on
        average `per_week` meetings (one uniform a week, as when at most one meeting was held)."""
        whole = int(per_week)
        return whole + int(rng.random() < per_week - whole)

    def step(self, model: NeighbourhoodModel) -> None:
        """Start and stop projects; run the activities of running projects."""
        c: CarouselConfig = self.config  # type: ignore[assignment]
        rng = self.rng(model)
        tick = model.tick
        for i, (s, e) in enumerate(self.projects(tick + 1)):
            tag = f"#{i + 1}"
            if tick >= e:
                model.dismiss_policy_staff(self.label, tag)
            elif s <= tick:
                if tick == s and c.focus != "meeting":
                    self.hire_staff(model, tag=tag)
                model.spend(c.activity_eur_per_week, self)
                if c.focus != "casework":
                    for _ in range(self._meetings_this_week(c.meetings_per_week, rng)):
                        meeting(model, rng, c.meeting_size, c.meeting_ties, None, c)
