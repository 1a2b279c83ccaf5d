"""Outreach behind the front door (achter de voordeur, eropaf): one household, one plan.

Wijkengids 4.6 (Achter de Voordeur: the resident takes charge of their own plan; 'a bridge too far' for
some) and MO/Samenlevingsopbouw 2010-11, multiproblematiek (the multi-problem downward spiral). Workers with small caseloads seek out
residents with problems in several domains, whether or not they trust institutions.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from buurtsim.policies.base import Target, register
from buurtsim.policies.staffing import StaffedConfig, StaffedPolicy


class OutreachConfig(StaffedConfig):
    """Outreach workers for multi-problem households."""

    type: Literal["outreach"] = "outreach"
    workers: int = Field(1, ge=0, le=200, description="Outreach workers.")
    hours_per_week: float = Field(32.0, ge=0, le=40, description="Hours per worker per week.")
    caseload: int = Field(10, ge=0, le=200, description="Residents one worker follows (one plan each; the model follows residents, not households).")
    max_hours_per_client: float = Field(4.0, ge=0, le=40, description="Most hours per client (resident) per week.")
    through_network: bool = Field(True, description="Found through neighbours and key persons, not only by referral.")
    target: Target = Field(default_factory=lambda: Target(min_problems=3), description="Default: residents with problems in 3 or more domains.")


@register
class Outreach(StaffedPolicy):
    """Behind-the-front-door outreach with a plan per household."""

    kind = "outreach"
    Config = OutreachConfig
    staff_kind = "outreach worker"
    summary_nl = "Achter de voordeur: één huishouden, één plan, voor mensen met problemen op meerdere terreinen."
    summary_en = "Behind the front door: one household, one plan, for people with problems in several domains."
