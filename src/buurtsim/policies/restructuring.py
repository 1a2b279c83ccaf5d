"""Restructuring (herstructurering): part of the housing is demolished and rebuilt with another
mix. Residents are displaced (their ties break), dwellings stand empty during rebuilding, and the
new dwellings go to a different income mix (Oelkers, LSA: middle incomes; Kleinhans & Bolt 2010: ties and
attachment are what holds a neighbourhood)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.params import Share
from buurtsim.policies.base import Policy, PolicyConfig, register

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class RestructuringConfig(PolicyConfig):
    """Demolish and rebuild a share of the blocks."""

    type: Literal["restructuring"] = "restructuring"
    share_of_blocks: float = Field(0.25, ge=0, le=1, description="Share of the blocks demolished (the most disordered first).")
    rebuild_weeks: int = Field(104, ge=0, le=1040, description="Weeks the dwellings stand empty before new residents move in.")
    new_income_shares: tuple[Share, Share, Share] = Field((0.3, 0.45, 0.25), description="Income mix of the residents of the new dwellings.")
    change_newcomers: bool = Field(True, description="From the rebuild on, newcomers everywhere follow the new mix (a changed housing stock).")
    eur_per_household: float = Field(0.0, ge=0, description="Social costs (relocation support) booked per displaced household (distinct households among the displaced residents); building costs are not counted. Source: assumption (0: social costs left out unless a scenario sets them).")


@register
class Restructuring(Policy):
    """Demolition, displacement and rebuilding with another income mix."""

    kind = "restructuring"
    Config = RestructuringConfig
    summary_nl = "Herstructurering: slopen, bewoners verhuizen (banden breken), nieuwbouw met een andere mix."
    summary_en = "Restructuring: demolition, displacement (ties break), new housing with another mix."

    def __init__(self, config: RestructuringConfig) -> None:
        import numpy as np
        super().__init__(config)
        self.vacant = np.empty(0, np.int64)

    def timeline(self, horizon: int) -> list[tuple[int, int, str]]:
        """Demolition until rebuilt."""
        c: RestructuringConfig = self.config  # type: ignore[assignment]
        return [(self.start, min(self.start + max(c.rebuild_weeks, 1), horizon), self.label)]

    def on_start(self, model: NeighbourhoodModel) -> None:
        """Demolish the most disordered blocks: residents leave, dwellings stand empty."""
        import numpy as np
        c: RestructuringConfig = self.config  # type: ignore[assignment]
        st = model.state
        nb = model.blocks.n_blocks
        k = round(c.share_of_blocks * nb)
        if k == 0:
            return
        sliding = (st.self_reliance < model.params.sliding_threshold) & st.alive
        disorder = np.bincount(st.block, weights=sliding.astype(float), minlength=nb)
        rng = self.rng(model)
        order = np.lexsort((rng.random(nb), -disorder))  # ties broken at random
        blocks = order[:k]
        slots = np.flatnonzero(np.isin(st.block, blocks))
        occupied = slots[st.alive[slots]]
        households = int(np.unique(st.household[occupied]).size)  # counted before they leave
        model.week.moved_out += int(occupied.size)
        model.remove_residents(occupied, "displaced")
        model.spend(c.eur_per_household * households, self)
        self.vacant = slots

    def step(self, model: NeighbourhoodModel) -> None:
        """New residents move in when rebuilding is done."""
        import numpy as np
        c: RestructuringConfig = self.config  # type: ignore[assignment]
        if self.vacant.size and model.tick >= self.start + c.rebuild_weeks:
            empty = self.vacant[~model.state.alive[self.vacant]]
            model.move_in(empty, self.rng(model), income_shares=tuple(c.new_income_shares))
            if c.change_newcomers:
                model.newcomer_income_shares = tuple(c.new_income_shares)
            self.vacant = np.empty(0, np.int64)
            self.ended = True  # nothing more to deliver
