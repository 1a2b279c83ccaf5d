"""Differentiated targeting (Wijkengids 4.6: 'differentiate at the start to end equal'; for 10-15 % self-
reliance is a bridge too far): intensive long-term help for sliders, light enabling support for the
vulnerable, and the socially strong asked as role models."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.activities import ask
from buurtsim.policies.base import Policy, PolicyConfig, Target, register

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class DifferentiatedConfig(PolicyConfig):
    """Three tiers of effort by category."""

    type: Literal["differentiated_targeting"] = "differentiated_targeting"
    intensive_workers: int = Field(1, ge=0, le=100, description="Workers for survivors/sliders (small caseloads, long-term).")
    intensive_hours: float = Field(32.0, ge=0, le=40, description="Hours per intensive worker per week.")
    intensive_caseload: int = Field(8, ge=0, le=100, description="Caseload of an intensive worker.")
    intensive_approach: Literal["enabling", "solving"] = Field("solving", description="Structural care for those for whom self-reliance is a bridge too far.")
    light_workers: int = Field(1, ge=0, le=100, description="Workers for the socially vulnerable (light enabling support).")
    light_hours: float = Field(16.0, ge=0, le=40, description="Hours per light-support worker per week.")
    light_caseload: int = Field(25, ge=0, le=200, description="Caseload of a light-support worker.")
    intensive_max_hours_per_client: float = Field(4.0, ge=0, le=40, description=(
        "Most hours an intensive worker spends on one client per week. "
        "Source: assumption (as outreach's max_hours_per_client)."))
    light_ask_clients: float = Field(0.05, ge=0, le=1, description=(
        "Weekly chance a light-support worker asks a client to take part. Source: assumption (as "
        "long_term_presence's ask_clients)."))
    light_max_hours_per_client: float = Field(3.0, ge=0, le=40, description=(
        "Most hours a light-support worker spends on one client per week. Source: assumption (the "
        "default of every professional's max_hours_per_client)."))
    intake_per_week: int = Field(2, ge=0, le=50, description=(
        "New clients a worker of either tier takes on per week. Source: assumption (the default of "
        "every professional's intake)."))
    direct_share: float = Field(0.7, ge=0, le=1, description=(
        "Share of hours spent directly with clients (the rest: overhead, networking). Source: "
        "assumption (as staffed policies' direct_share)."))
    through_network: bool = Field(True, description=(
        "Both tiers reach residents through key persons and clients' ties (Movisie 2014: outreach "
        "via key persons)."))
    role_model_asks_per_1000_week: float = Field(3.0, ge=0, le=1000, description="Socially strong residents asked per 1000 residents per week to act as role models.")


@register
class DifferentiatedTargeting(Policy):
    """Different help for different categories."""

    kind = "differentiated_targeting"
    Config = DifferentiatedConfig
    summary_nl = "Gedifferentieerd beleid: intensief voor afglijders, licht voor kwetsbaren, sterken als rolmodel."
    summary_en = "Differentiated policy: intensive for sliders, light for the vulnerable, the strong as role models."

    def on_start(self, model: NeighbourhoodModel) -> None:
        """Hire both tiers of workers."""
        c: DifferentiatedConfig = self.config  # type: ignore[assignment]
        sliding, vulnerable = Target(categories=["sliding"]), Target(categories=["vulnerable"])
        for _ in range(c.intensive_workers):
            model.hire(kind="intensive worker", policy=self.label, approach=c.intensive_approach,
                       hours_per_week=c.intensive_hours, caseload=c.intensive_caseload, intake_per_week=c.intake_per_week,
                       direct_share=c.direct_share, max_hours_per_client=c.intensive_max_hours_per_client,
                       through_network=c.through_network, target=sliding.mask, tag="intensive")
        for _ in range(c.light_workers):
            model.hire(kind="light-support worker", policy=self.label, approach="enabling",
                       hours_per_week=c.light_hours, caseload=c.light_caseload, intake_per_week=c.intake_per_week,
                       direct_share=c.direct_share, max_hours_per_client=c.light_max_hours_per_client,
                       through_network=c.through_network, ask_clients=c.light_ask_clients, target=vulnerable.mask,
                       tag="light")

    def step(self, model: NeighbourhoodModel) -> None:
        """Ask strong residents to be role models."""
        import numpy as np
        c: DifferentiatedConfig = self.config  # type: ignore[assignment]
        st, rng = model.state, self.rng(model)
        strong = (st.self_reliance >= model.params.strong_threshold).astype(float)
        n = rng.poisson(c.role_model_asks_per_1000_week * np.count_nonzero(st.alive) / 1000.0)
        ask(model, rng, n, strong)
