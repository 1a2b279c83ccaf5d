"""No neighbourhood effect is an input: policies act on residents, ties, places and professionals;
perceived safety follows through the perceptions process only (odd.md §3.9, docs/policies.md)."""

from __future__ import annotations

import numpy as np
import pytest

from buurtsim.policies.budget import ResidentBudget, ResidentBudgetConfig
from buurtsim.policies.mediation import Mediation, MediationConfig


@pytest.mark.parametrize("kind", ["advice", "neighbourhood", "liveability_fund", "resident"])
def test_resident_budgets_never_set_perceived_safety(make_model, kind: str) -> None:
    pol = ResidentBudget(ResidentBudgetConfig(name="b", kind=kind, eur_per_resident_year=200))
    m = make_model(n=300, policies=[pol])
    for _ in range(20):
        safety = m.state.safety.copy()
        pol.step(m)
        np.testing.assert_array_equal(m.state.safety, safety)
        m.step()


def test_agency_produced_budgets_hold_activities_that_make_ties(make_model) -> None:
    pol = ResidentBudget(ResidentBudgetConfig(name="b", kind="advice", eur_per_resident_year=200))
    m = make_model(n=300, policies=[pol])
    n_ties = m.ties.n
    for _ in range(10):
        pol.step(m)
    assert m.ties.n > n_ties
    assert m.state.reached.any()


def test_mediation_restores_a_tie_but_does_not_set_safety(make_model) -> None:
    pol = Mediation(MediationConfig(name="m", cases_per_1000_week=50))
    m = make_model(n=300, policies=[pol])
    safety = m.state.safety.copy()
    before = m.ties.n
    pol.step(m)
    np.testing.assert_array_equal(m.state.safety, safety)
    assert m.ties.n > before and m.state.reached.sum() >= 2
