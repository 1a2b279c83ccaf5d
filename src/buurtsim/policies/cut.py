"""Budget cuts (bezuiniging): named policies end at a date, whatever their own end was."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.base import Policy, PolicyConfig, register

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class BudgetCutConfig(PolicyConfig):
    """Which policies stop at `start`."""

    type: Literal["budget_cut"] = "budget_cut"
    policies: list[str] = Field(min_length=1, description="Names of the policies that end at this cut's start.")


@register
class BudgetCut(Policy):
    """Ends other policies at its start tick."""

    kind = "budget_cut"
    Config = BudgetCutConfig
    summary_nl = "Bezuiniging: genoemde maatregelen stoppen op een datum."
    summary_en = "Budget cut: named policies stop at a date."

    def on_start(self, model: NeighbourhoodModel) -> None:
        """Cut the named policies now (staff leave with the trust they built)."""
        c: BudgetCutConfig = self.config  # type: ignore[assignment]
        for name in c.policies:
            pol = model.policy(name)
            if pol is None:
                known = ", ".join(p.label for p in model.policies)
                raise ValueError(f"budget_cut '{self.label}': no policy named {name!r} (known: {known})")
            pol.cut_at = self.start
            if pol.started:
                pol.finish(model)
        self.ended = True

    def timeline(self, horizon: int) -> list[tuple[int, int, str]]:
        """A single moment."""
        return [(self.start, min(self.start + 1, horizon), self.label)]
