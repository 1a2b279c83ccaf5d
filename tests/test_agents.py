"""Resident views agree with the state arrays; Professionals are Mesa agents with caseloads."""

from __future__ import annotations

import mesa
import numpy as np
import pytest

from buurtsim import Professional, Resident
from buurtsim.params import CATEGORIES, DOMAINS, INCOME_CLASSES, STYLES


def assert_view_matches(m, r: Resident) -> None:
    st, p, i = m.state, m.params, r.slot
    assert st.alive[i] and st.uid[i] == r.unique_id
    assert r.self_reliance == st.self_reliance[i]
    cat = st.categories(p.strong_threshold, p.sliding_threshold)[i]
    assert r.category == CATEGORIES[cat]
    assert r.style == STYLES[st.style[i]]
    assert r.income == INCOME_CLASSES[st.income[i]]
    assert r.trust == st.trust[i]
    assert r.attachment == st.attachment[i]
    assert r.safety == st.safety[i]
    assert r.capacity == st.capacity[i]
    assert r.participation == st.participation[i]
    assert r.dependency == st.dependency[i]
    assert r.domains == dict(zip(DOMAINS, st.domains[i].tolist(), strict=True))
    for k, name in enumerate(DOMAINS):
        assert getattr(r, name) == st.domains[i, k]
    assert r.problems == int((st.domains[i] < p.problem_threshold).sum())


def test_resident_views_agree_with_arrays_after_steps(make_model) -> None:
    m = make_model(move_rate=0.03)
    m.hire(kind="community_worker", policy="t", approach="solving", hours_per_week=20.0, caseload=15)
    for _ in range(8):
        m.step()
        for r in m.residents:
            assert_view_matches(m, r)
    assert m.state.dependency[m.state.alive].max() > 0  # dependency was exercised


def test_views_are_live_not_copies(small_model) -> None:
    r = small_model.residents[0]
    small_model.state.domains[r.slot] = [0.1, 0.2, 0.3, 0.4, 0.5]
    small_model.state.update_self_reliance()
    small_model.state.trust[r.slot] = 0.77
    assert r.work == pytest.approx(0.1) and r.skills == pytest.approx(0.5)
    assert r.self_reliance == pytest.approx(0.3)
    assert r.category == "sliding"
    assert r.trust == pytest.approx(0.77)


def test_residents_are_mesa_agents_of_the_model(small_model) -> None:
    m = small_model
    residents = m.residents
    assert all(isinstance(r, mesa.Agent) and r.model is m for r in residents)
    assert set(m.agents_by_type[Resident]) == set(residents)
    assert len({r.unique_id for r in residents}) == len(residents)
    assert sorted(r.slot for r in residents) == np.flatnonzero(m.state.alive).tolist()


def test_resident_attribute_types(small_model) -> None:
    r = small_model.residents[0]
    assert isinstance(r.self_reliance, float) and isinstance(r.participation, int)
    assert isinstance(r.work, float)
    assert r.category in CATEGORIES and r.style in STYLES and r.income in INCOME_CLASSES


def test_unknown_attribute_raises_attribute_error(small_model) -> None:
    r = small_model.residents[0]
    with pytest.raises(AttributeError):
        _ = r.no_such_thing  # type: ignore[attr-defined]
    assert not hasattr(r, "wealth")


def test_model_resident_returns_the_view(small_model) -> None:
    r = small_model.residents[5]
    assert small_model.resident(r.unique_id) is r


def test_professional_is_an_agent_with_an_empty_caseload(small_model) -> None:
    m = small_model
    pro = m.hire(kind="participation_coach", policy="coach", approach="enabling", hours_per_week=24.0, caseload=12)
    assert isinstance(pro, Professional) and isinstance(pro, mesa.Agent)
    assert pro in m.active_professionals() and pro in list(m.agents)
    assert pro.n_clients == 0 and pro.hired_at == m.tick
    assert pro.unique_id not in {r.unique_id for r in m.residents}
    assert pro.unique_id not in m.network
    m.dismiss(pro)
    assert pro not in m.active_professionals()


def test_dismiss_policy_staff_only_dismisses_that_policys_staff(small_model) -> None:
    m = small_model
    a = m.hire(kind="w", policy="A", approach="enabling", hours_per_week=8.0, caseload=4)
    b = m.hire(kind="w", policy="B", approach="enabling", hours_per_week=8.0, caseload=4)
    m.dismiss_policy_staff("A")
    assert m.active_professionals() == [b]
    assert a not in list(m.agents)
