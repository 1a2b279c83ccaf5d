"""The numbers that shape what policies do are declared config fields (or named constants) and the
code uses them: changing a field changes exactly what it names. Restructuring books its social
costs per displaced household, as its field's name says."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from buurtsim import NeighbourhoodModel
from buurtsim.policies import base
from buurtsim.policies.abcd import AbcdConfig, AssetBased
from buurtsim.policies.base import Target
from buurtsim.policies.budget import ResidentBudget, ResidentBudgetConfig
from buurtsim.policies.carousel import CarouselConfig, ProjectCarousel
from buurtsim.policies.differentiated import DifferentiatedConfig, DifferentiatedTargeting
from buurtsim.policies.mediation import Mediation, MediationConfig
from buurtsim.policies.meeting import MeetingActivities, MeetingConfig
from buurtsim.policies.restructuring import Restructuring, RestructuringConfig


class RecordingRng:
    """A numpy Generator that records the candidates and probabilities of every `choice`."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        self.choices: list[tuple[np.ndarray, np.ndarray]] = []

    def choice(self, a: np.ndarray, *args: Any, **kwargs: Any) -> Any:
        self.choices.append((np.asarray(a).copy(), np.asarray(kwargs["p"]).copy()))
        return self.rng.choice(a, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rng, name)


def record_draws(monkeypatch: pytest.MonkeyPatch, pol: Any, model: NeighbourhoodModel) -> RecordingRng:
    """Make the policy draw from a recording wrapper of its own stream."""
    rec = RecordingRng(pol.rng(model))
    monkeypatch.setattr(pol, "rng", lambda _model: rec)
    return rec


def assert_first_draw_weighted(rec: RecordingRng, weight: Any) -> np.ndarray:
    """The first recorded `choice` drew its candidates with probabilities proportional to `weight(cand)`."""
    cand, p = rec.choices[0]
    w = weight(cand)
    np.testing.assert_allclose(p, w / w.sum(), rtol=1e-12)
    return cand


def new_tie_strengths(model: NeighbourhoodModel, step: Any) -> np.ndarray:
    """Strengths of the ties appended while `step()` runs."""
    before = model.ties.n
    step()
    return model.ties.s[before:model.ties.n]


@pytest.mark.parametrize("make", [
    lambda: MeetingActivities(MeetingConfig(name="g", meeting_tie_strength=0.55)),
    lambda: ProjectCarousel(CarouselConfig(name="g", focus="meeting", meetings_per_week=7, meeting_tie_strength=0.55)),
    lambda: ResidentBudget(ResidentBudgetConfig(name="g", kind="advice", events_per_1000_week=50,
                                                meeting_tie_strength=0.55)),
])
def test_gatherings_make_ties_of_the_configured_strength(make_model, make: Any) -> None:
    pol = make()
    m = make_model(n=300, policies=[pol])
    s = new_tie_strengths(m, lambda: pol.step(m))
    assert s.size > 0
    np.testing.assert_array_equal(s, 0.55)


def test_who_comes_to_a_gathering_is_weighted_by_the_configured_offsets(make_model, monkeypatch) -> None:
    pol = MeetingActivities(MeetingConfig(name="g", attend_rung_base=3.0, attend_capacity_base=0.7))
    m = make_model(n=300, policies=[pol])
    rec = record_draws(monkeypatch, pol, m)
    pol.step(m)
    st = m.state
    assert_first_draw_weighted(rec, lambda c: (3.0 + st.participation[c]) * (0.7 + st.capacity[c]))


def test_abcd_asks_by_the_configured_capacity_offset(make_model, monkeypatch) -> None:
    pol = AssetBased(AbcdConfig(name="a", ask_capacity_base=5.0))
    m = make_model(n=300, policies=[pol])
    pol.on_start(m)
    rec = record_draws(monkeypatch, pol, m)
    pol.step(m)
    cand = assert_first_draw_weighted(rec, lambda c: 5.0 + m.state.capacity[c])
    assert (m.state.participation[cand] < m.params.active_level).all()


@pytest.mark.parametrize("min_rung", [2, 6])
def test_abcd_links_asked_residents_to_partners_on_the_configured_rung(make_model, monkeypatch, min_rung: int) -> None:
    pol = AssetBased(AbcdConfig(name="a", partner_min_rung=min_rung, asks_per_worker_week=200, connects_per_ask=1.0))
    m = make_model(n=300, policies=[pol])
    st = m.state
    st.participation[:] = np.where(np.arange(st.size) % 3 == 0, 0, np.where(np.arange(st.size) % 3 == 1, 3, 6))
    pol.on_start(m)
    partners: list[np.ndarray] = []
    add = m.ties.add
    monkeypatch.setattr(m.ties, "add", lambda a, b, *args: (partners.append(np.asarray(b).copy()), add(a, b, *args))[1])
    pol.step(m)
    linked = np.concatenate(partners)
    assert linked.size > 0 and (st.participation[linked] >= min_rung).all()
    assert (st.participation[linked] == 3).any() == (min_rung <= 3)


def test_mediation_draws_cases_by_the_configured_offset(make_model, monkeypatch) -> None:
    pol = Mediation(MediationConfig(name="m", cases_per_1000_week=50, case_weight_base=2.5))
    m = make_model(n=300, policies=[pol])
    rec = record_draws(monkeypatch, pol, m)
    pol.step(m)
    assert_first_draw_weighted(rec, lambda c: 2.5 - m.state.safety[c] + 1e-6)


def test_non_democratic_budgets_ask_only_from_the_configured_vanguard_rung(make_model) -> None:
    pol = ResidentBudget(ResidentBudgetConfig(name="b", kind="advice", vanguard_min_rung=5, asks_per_1000_week=500))
    m = make_model(n=300, policies=[pol])
    st = m.state
    st.asked[:] = False
    pol.step(m)
    assert st.asked.any()
    assert (st.participation[st.asked] >= 5).all()
    assert (st.participation[st.alive] < 5).any()


def test_budgets_scale_with_the_budget_relative_to_the_reference(make_model) -> None:
    """Doubling both the budget and the reference leaves what the budget does unchanged."""
    def asked(eur: float, reference: float) -> np.ndarray:
        pol = ResidentBudget(ResidentBudgetConfig(name="b", eur_per_resident_year=eur,
                                                  reference_eur_per_resident_year=reference))
        m = make_model(n=300, policies=[pol])
        m.state.asked[:] = False
        for _ in range(5):
            pol.step(m)
        return m.state.asked.copy()

    same = asked(20.0, 20.0)
    np.testing.assert_array_equal(asked(40.0, 40.0), same)
    assert not np.array_equal(asked(40.0, 20.0), same)


def test_differentiated_workers_get_the_configured_hours_and_asking(make_model) -> None:
    pol = DifferentiatedTargeting(DifferentiatedConfig(name="d", intensive_max_hours_per_client=7.5,
                                                       light_ask_clients=0.3, light_max_hours_per_client=1.5,
                                                       intake_per_week=5, direct_share=0.4, through_network=False))
    m = make_model(n=300, policies=[pol])
    pol.on_start(m)
    pros = {p.tag: p for p in m.active_professionals() if p.policy == "d"}
    assert pros["intensive"].max_hours_per_client == 7.5
    assert pros["light"].ask_clients == 0.3
    assert pros["light"].max_hours_per_client == 1.5
    for pro in pros.values():
        assert (pro.intake_per_week, pro.direct_share, pro.through_network) == (5, 0.4, False)


def test_key_persons_follow_the_named_constants(small_model, monkeypatch) -> None:
    m = small_model
    default = Target(network="key_persons").mask(m)
    monkeypatch.setattr(base, "KEY_PERSON_MIN_RUNG", 4)
    higher = Target(network="key_persons").mask(m)
    assert (m.state.participation[higher] >= 4).all() and higher.sum() < default.sum()
    monkeypatch.setattr(base, "KEY_PERSON_MIN_RUNG", 0)
    monkeypatch.setattr(base, "KEY_PERSON_DEGREE_PERCENTILE", 95)
    deg = m.ties.degree()
    top = Target(network="key_persons").mask(m)
    np.testing.assert_array_equal(top, m.state.alive & (deg >= np.percentile(deg[m.state.alive], 95)))


def test_restructuring_books_social_costs_per_displaced_household(make_model) -> None:
    pol = Restructuring(RestructuringConfig(name="r", share_of_blocks=0.5, eur_per_household=100.0))
    m = make_model(n=300)
    st = m.state
    alive, household = st.alive.copy(), st.household.copy()
    pol.on_start(m)
    displaced = alive & ~st.alive
    households = np.unique(household[displaced]).size
    assert 0 < households < np.count_nonzero(displaced)  # households of more than one: the counts differ
    assert pol.spent_eur == 100.0 * households


@pytest.mark.parametrize(("per_week", "expected"), [(3.0, [3, 3, 3, 3]), (7.0, [7, 7, 7, 7]), (0.0, [0, 0, 0, 0])])
def test_carousel_holds_as_many_meetings_a_week_as_configured(make_model, monkeypatch, per_week: float,
                                                              expected: list[int]) -> None:
    from buurtsim.policies import carousel

    held: list[int] = []
    monkeypatch.setattr(carousel, "meeting", lambda *args, **kwargs: held.append(1))
    pol = ProjectCarousel(CarouselConfig(name="g", focus="meeting", meetings_per_week=per_week, start=0))
    m = make_model(n=200, policies=[pol])
    weeks = []
    for _ in range(4):
        before = len(held)
        pol.step(m)
        weeks.append(len(held) - before)
        m.tick += 1
    assert weeks == expected  # the field allows up to 7; at most one was held before


def test_carousel_fractional_meetings_average_out() -> None:
    rng = np.random.default_rng(3)
    counts = [ProjectCarousel._meetings_this_week(2.25, rng) for _ in range(4000)]
    assert set(counts) == {2, 3}
    assert abs(np.mean(counts) - 2.25) < 0.03  # binomial sd of the mean ~0.007
