"""Policies that employ professionals: shared staffing fields and hiring."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import Field

from buurtsim.policies.base import Policy, PolicyConfig

if TYPE_CHECKING:
    import numpy as np

    from buurtsim.agents import Professional
    from buurtsim.model import NeighbourhoodModel


class StaffedConfig(PolicyConfig):
    """Staffing of a policy: how many professionals, their hours, caseload and way of working."""

    workers: int = Field(1, ge=0, le=200, description="Number of professionals employed.")
    hours_per_week: float = Field(24.0, ge=0, le=40, description="Paid hours per professional per week.")
    caseload: int = Field(15, ge=0, le=200, description="Most residents one professional works with at once.")
    intake_per_week: int = Field(2, ge=0, le=50, description="Most new clients a professional takes on per week.")
    approach: Literal["enabling", "solving"] = Field("enabling", description="enabling: work with residents on their own strength; solving: solve problems for them.")
    direct_share: float = Field(0.7, ge=0, le=1, description="Share of hours spent directly with clients (the rest: overhead, networking).")
    max_hours_per_client: float = Field(3.0, ge=0, le=40, description="Most hours per client per week.")
    through_network: bool = Field(False, description="Reach residents through key persons and their ties (outreach via networks).")
    ask_clients: float = Field(0.0, ge=0, le=1, description="Weekly chance a client is asked to take part (participation ladder).")


class StaffedPolicy(Policy):
    """A policy whose work is done by professionals it hires and dismisses."""

    Config: ClassVar[type[PolicyConfig]] = StaffedConfig
    staff_kind = "professional"

    def target_fn(self):
        """The policy's target as a mask function for its professionals (None: everyone in need)."""
        t = self.config.target
        return None if t.is_everyone else t.mask

    def hire_staff(self, model: NeighbourhoodModel, tag: str = "", workers: int | None = None) -> list[Professional]:
        """Employ this policy's professionals."""
        c: StaffedConfig = self.config  # type: ignore[assignment]
        n = c.workers if workers is None else workers
        return [
            model.hire(
                kind=self.staff_kind, policy=self.label, approach=c.approach, hours_per_week=c.hours_per_week,
                caseload=c.caseload, intake_per_week=c.intake_per_week, direct_share=c.direct_share,
                max_hours_per_client=c.max_hours_per_client, through_network=c.through_network,
                ask_clients=c.ask_clients, target=self.target_fn(), tag=tag,
            )
            for _ in range(n)
        ]

    def staff(self, model: NeighbourhoodModel) -> list[Professional]:
        """This policy's professionals now employed."""
        return [p for p in model.active_professionals() if p.policy == self.label]

    def clients(self, model: NeighbourhoodModel) -> np.ndarray:
        """Slots of all current clients of this policy's professionals."""
        import numpy as np
        parts = [p.clients for p in self.staff(model)]
        return np.concatenate(parts) if parts else np.empty(0, np.int64)

    def on_start(self, model: NeighbourhoodModel) -> None:
        """Hire the staff when the policy starts."""
        self.hire_staff(model)
