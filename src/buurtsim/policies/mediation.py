"""Neighbour mediation (buurtbemiddeling): conflicts between neighbours are talked out, which
restores a neighbour tie (brief §5). Safety is not set by the policy: it follows through the
restored tie (contagion of safety, attachment; odd.md §3.9)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from buurtsim.policies.base import Policy, PolicyConfig, register

if TYPE_CHECKING:
    from buurtsim.model import NeighbourhoodModel


class MediationConfig(PolicyConfig):
    """Mediation cases per week."""

    type: Literal["mediation"] = "mediation"
    cases_per_1000_week: float = Field(0.5, ge=0, le=100, description="Mediated conflicts per 1000 residents per week.")
    eur_per_case: float = Field(900.0, ge=0, description="Cost of one case (trained volunteers plus coordination).")
    case_weight_base: float = Field(1.0, ge=1, le=100, description=(
        "Offset in who gets a case, weight offset - perceived safety (0-1): at 1 residents are drawn in proportion "
        "to how unsafe they feel; larger values draw more evenly. Source: assumption (cases arise where residents "
        "feel least safe)."))


@register
class Mediation(Policy):
    """Mediate between neighbours who feel least safe."""

    kind = "mediation"
    Config = MediationConfig
    summary_nl = "Buurtbemiddeling: burenruzies uitpraten; herstelt een burenband, veiligheid volgt via die band."
    summary_en = "Neighbour mediation: conflicts talked out; restores a neighbour tie, safety follows through it."

    def step(self, model: NeighbourhoodModel) -> None:
        """Take on this week's cases among those who feel least safe."""
        import numpy as np
        c: MediationConfig = self.config  # type: ignore[assignment]
        st, rng = model.state, self.rng(model)
        n_alive = int(np.count_nonzero(st.alive))
        k = rng.poisson(c.cases_per_1000_week * n_alive / 1000.0)
        if k == 0:
            return
        pool = st.alive & (c.target.mask(model) if not c.target.is_everyone else True)
        cand = np.flatnonzero(pool)
        if cand.size == 0:
            return
        w = c.case_weight_base - st.safety[cand] + 1e-6  # 1e-6: everyone stays drawable
        a = rng.choice(cand, size=min(k, cand.size), replace=False, p=w / w.sum())
        b = model.blocks.random_member(st.block[a], rng)
        ok = (b >= 0) & (b != a)
        ok[ok] = st.alive[b[ok]]
        a, b = a[ok], b[ok]
        st.reached[a] = st.reached[b] = True
        model.ties.add(a, b, model.params.tie_initial_strength, 2, model.tick)
        model.spend(c.eur_per_case * a.size, self)
