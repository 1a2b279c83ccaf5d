"""Professional work: relationship trust grows with time and leaves with the professional;
problem-solving is fast and builds dependency, enabling does not and lifts the potential
(brief §4.3, pattern 6)."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from buurtsim import NeighbourhoodModel, Professional
from buurtsim.params import Params, make_params
from buurtsim.processes.professional_work import close_cases, professional_work, recruit, work


def hire(m: NeighbourhoodModel, approach: str = "enabling", **kw: Any) -> Professional:
    args: dict[str, Any] = {"kind": "community_worker", "policy": "test", "approach": approach,
                            "hours_per_week": 20.0, "caseload": 10}
    args.update(kw)
    return m.hire(**args)


def assign(m: NeighbourhoodModel, pro: Professional, slots: np.ndarray, weeks_ago: int) -> None:
    """Give `pro` these clients, with relationships that started `weeks_ago` weeks ago."""
    pro.clients = slots.astype(np.int64)
    pro.client_uid = m.state.uid[slots].copy()
    pro.since = np.full(slots.size, m.tick - weeks_ago, np.int64)
    m.state.client_of[slots] = pro.unique_id


def neediest(m: NeighbourhoodModel, k: int = 10) -> np.ndarray:
    alive = np.flatnonzero(m.state.alive)
    return alive[np.argsort(m.state.self_reliance[alive])[:k]]


def one_week(m: NeighbourhoodModel, pro: Professional, p: Params | None = None, seed: int = 0) -> float:
    return work(pro, m.state, m.ties, m.blocks, m.tick, p or m.params, np.random.default_rng(seed))


def test_relationship_trust_grows_with_time_towards_one(make_model) -> None:
    m = make_model()
    pro = hire(m)
    assign(m, pro, neediest(m, 3), 0)
    rel = [float(pro.relationship_trust(m.tick + w)[0]) for w in (0, 1, 4, 26, 104, 520)]
    assert rel[0] == 0.0
    assert all(b > a for a, b in itertools.pairwise(rel))
    assert rel[-1] > 0.99
    # slower with a longer build-up time
    slow = make_model(trust_build_weeks=104.0)
    pro2 = hire(slow)
    assign(slow, pro2, neediest(slow, 3), 0)
    assert pro2.relationship_trust(slow.tick + 26)[0] < pro.relationship_trust(m.tick + 26)[0]


@pytest.mark.parametrize("weeks_ago", [0, 10, 60])
def test_solving_builds_dependency_and_enabling_does_not(make_model, weeks_ago: int) -> None:
    solving, enabling = make_model(), make_model()
    results = {}
    for m, approach in ((solving, "solving"), (enabling, "enabling")):
        pro = hire(m, approach)
        clients = neediest(m)
        m.state.dependency[clients] = 0.2
        assign(m, pro, clients, weeks_ago)
        before = {k: getattr(m.state, k)[clients].copy() for k in ("dependency", "potential", "domains", "capacity")}
        assert one_week(m, pro) == pro.hours_per_week
        after = {k: getattr(m.state, k)[clients] for k in before}
        results[approach] = (before, after)
    b, a = results["solving"]
    assert (a["dependency"] > b["dependency"]).all()
    np.testing.assert_array_equal(a["potential"], b["potential"])
    b, a = results["enabling"]
    assert (a["dependency"] <= b["dependency"]).all()
    if weeks_ago > 0:
        assert (a["potential"] >= b["potential"]).all() and (a["potential"] > b["potential"]).any()
        assert (a["capacity"] >= b["capacity"]).all()


def test_solving_is_fast_at_the_start_enabling_needs_trust(make_model) -> None:
    gain = {}
    for approach in ("solving", "enabling"):
        m = make_model()
        pro = hire(m, approach)
        clients = neediest(m)
        assign(m, pro, clients, 0)  # new relationships: no trust yet
        d0 = m.state.domains[clients].copy()
        one_week(m, pro)
        gain[approach] = float((m.state.domains[clients] - d0).sum())
    assert gain["solving"] > 0
    assert gain["enabling"] == pytest.approx(0.0, abs=1e-12)


def test_enabling_gains_grow_with_relationship_trust(make_model) -> None:
    gains = []
    for weeks in (2, 26, 104):
        m = make_model()
        pro = hire(m, "enabling")
        clients = neediest(m)
        assign(m, pro, clients, weeks)
        d0 = m.state.domains[clients].copy()
        one_week(m, pro)
        gains.append(float((m.state.domains[clients] - d0).sum()))
    assert 0 < gains[0] < gains[1] < gains[2]


def test_work_touches_only_clients_domains(make_model) -> None:
    m = make_model()
    pro = hire(m, "solving")
    clients = neediest(m)
    assign(m, pro, clients, 30)
    others = np.setdiff1d(np.arange(m.state.size), clients)
    d0 = m.state.domains[others].copy()
    dep0 = m.state.dependency[others].copy()
    one_week(m, pro)
    np.testing.assert_array_equal(m.state.domains[others], d0)
    np.testing.assert_array_equal(m.state.dependency[others], dep0)


def test_contact_raises_clients_institutional_trust(make_model) -> None:
    m = make_model()
    pro = hire(m, "enabling")
    clients = neediest(m)
    assign(m, pro, clients, 30)
    t0 = m.state.trust[clients].copy()
    one_week(m, pro)
    rel = pro.relationship_trust(m.tick)
    np.testing.assert_allclose(m.state.trust[clients], t0 + m.params.trust_gain_contact * rel * (1 - t0))
    assert (m.state.trust[clients] > t0).all()


def test_dismissal_ends_relationships_and_abandoned_clients_lose_trust(make_model) -> None:
    m = make_model()
    pro = hire(m, "enabling")
    clients = neediest(m)
    assign(m, pro, clients, 52)
    rel = pro.relationship_trust(m.tick).copy()
    t0 = m.state.trust[clients].copy()
    m.dismiss(pro)
    assert (m.state.client_of[clients] == -1).all()
    expected = np.clip(t0 - m.params.abandonment_trust_loss * rel, 0, 1)
    np.testing.assert_allclose(m.state.trust[clients], expected)
    assert (m.state.trust[clients] <= t0).all() and (m.state.trust[clients] < t0)[t0 > 0].all()
    assert pro not in m.active_professionals()
    assert pro not in list(m.agents)
    # the relationship trust leaves with them: a successor starts from zero
    successor = hire(m, "enabling")
    assign(m, successor, clients, 0)
    assert (successor.relationship_trust(m.tick) == 0).all()


def test_longer_relationships_mean_larger_loss_on_abandonment(make_model) -> None:
    losses = []
    for weeks in (4, 52):
        m = make_model()
        pro = hire(m)
        clients = neediest(m)
        m.state.trust[clients] = 0.5
        assign(m, pro, clients, weeks)
        m.dismiss(pro)
        losses.append(float((0.5 - m.state.trust[clients]).mean()))
    assert 0 < losses[0] < losses[1]


def test_closing_cases_does_not_cost_trust(make_model) -> None:
    m = make_model()
    pro = hire(m)
    clients = neediest(m, 6)
    assign(m, pro, clients, 30)
    p = make_params(m.params, discharge_level=0.0)  # everyone has recovered enough
    t0 = m.state.trust[clients].copy()
    close_cases(pro, m.state, m.tick, p)
    assert pro.n_clients == 0
    assert (m.state.client_of[clients] == -1).all()
    np.testing.assert_array_equal(m.state.trust[clients], t0)


def test_cases_close_after_the_maximum_length_and_when_the_client_moved(make_model) -> None:
    m = make_model()
    pro = hire(m)
    clients = neediest(m, 4)
    assign(m, pro, clients, 10)
    pro.since[0] = m.tick - m.params.max_case_weeks
    m.state.uid[clients[1]] = 10_000_000  # a newcomer lives in this dwelling now
    m.state.client_of[clients[1]] = -1
    close_cases(pro, m.state, m.tick, make_params(m.params, discharge_level=1.0))
    assert sorted(pro.clients.tolist()) == sorted(clients[2:].tolist())
    assert m.state.client_of[clients[0]] == -1
    assert m.state.client_of[clients[1]] == -1  # the newcomer is nobody's client


def test_recruit_fills_free_places_with_needy_residents_in_the_target(make_model) -> None:
    m = make_model()
    pro = hire(m, caseload=5, intake_per_week=3)
    st = m.state
    target = st.alive & (st.style == 3)
    near = np.zeros(st.size, bool)
    recruit(pro, st, near, target, m.tick, m.params, np.random.default_rng(0))
    assert pro.n_clients == 3  # intake limit
    recruit(pro, st, near, target, m.tick, m.params, np.random.default_rng(1))
    assert pro.n_clients == 5  # caseload limit
    recruit(pro, st, near, target, m.tick, m.params, np.random.default_rng(2))
    assert pro.n_clients == 5
    c = pro.clients
    assert len(set(c.tolist())) == 5
    assert target[c].all()
    assert (st.self_reliance[c] < m.params.need_level).all()
    assert (st.client_of[c] == pro.unique_id).all()
    np.testing.assert_array_equal(pro.client_uid, st.uid[c])
    assert (pro.since == m.tick).all()


def test_a_resident_is_in_at_most_one_caseload(make_model) -> None:
    m = make_model()
    pros = [hire(m, caseload=40, intake_per_week=40) for _ in range(3)]
    near = np.zeros(m.state.size, bool)
    for i, pro in enumerate(pros):
        recruit(pro, m.state, near, None, m.tick, m.params, np.random.default_rng(i))
    all_clients = np.concatenate([p.clients for p in pros])
    assert all_clients.size == len(set(all_clients.tolist()))


def test_professional_work_returns_total_hours_and_updates_self_reliance(make_model) -> None:
    m = make_model()
    pros = [hire(m, "solving", hours_per_week=12.0), hire(m, "enabling", hours_per_week=8.0)]
    m.ties.refresh()
    hours = professional_work(pros, m.state, m.ties, m.blocks, m.tick, m.params, np.random.default_rng(0),
                              {p.unique_id: None for p in pros})
    assert hours == pytest.approx(20.0)
    assert sum(p.n_clients for p in pros) > 0
    np.testing.assert_allclose(m.state.self_reliance, m.state.domains.mean(axis=1))
    assert professional_work([], m.state, m.ties, m.blocks, m.tick, m.params, np.random.default_rng(0), {}) == 0.0


def test_hours_and_cost_are_booked_each_week(make_model) -> None:
    m = make_model()
    hire(m, hours_per_week=16.0)
    df = m.run(4)
    assert (df["professional_hours"].iloc[1:] == 16.0).all()
    assert np.diff(df["cost_eur"].to_numpy()) == pytest.approx([16.0 * m.params.hourly_cost_eur] * 4)


def test_unknown_approach_is_rejected(make_model) -> None:
    with pytest.raises(ValueError, match="approach"):
        hire(make_model(), "rescuing")


# --- dependency fades whenever nobody solves problems for the resident (odd.md §3.5) ------------

def test_dependency_fades_for_everyone_nobody_solves_for(make_model) -> None:
    m = make_model()
    solver, enabler = hire(m, "solving"), hire(m, "enabling")
    alive = np.flatnonzero(m.state.alive)
    solved, enabled, alone = alive[:5], alive[5:10], alive[10:20]
    assign(m, solver, solved, 10)
    assign(m, enabler, enabled, 10)
    m.state.dependency[alive[:20]] = 0.5
    from buurtsim.processes.professional_work import fade_dependency, solved_for

    mask = solved_for([solver, enabler], m.state.size)
    assert mask[solved].all() and not mask[enabled].any() and not mask[alone].any()
    fade_dependency(m.state, mask, m.params)
    faded = 0.5 * (1 - m.params.dependency_decay)
    np.testing.assert_allclose(m.state.dependency[enabled], faded)
    np.testing.assert_allclose(m.state.dependency[alone], faded)  # no caseload needed to fade
    np.testing.assert_array_equal(m.state.dependency[solved], 0.5)


def test_dependency_left_by_a_project_fades_after_it_stops(make_model) -> None:
    m = make_model(n=200)
    pro = hire(m, "solving", caseload=20, intake_per_week=5)
    m.run(30)
    dep_end = float(m.state.dependency[m.state.alive].mean())
    assert dep_end > 0
    m.dismiss(pro)
    m.run(104)
    # two years at dependency_decay a week: at most (1 - decay)^104 of it is left (newcomers have none)
    assert float(m.state.dependency[m.state.alive].mean()) <= dep_end * (1 - m.params.dependency_decay) ** 104 + 1e-12


def test_recruited_residents_count_as_reached(make_model) -> None:
    m = make_model()
    pro = hire(m, "enabling", intake_per_week=4)
    assert not m.state.reached.any()
    professional_work([pro], m.state, m.ties, m.blocks, m.tick, m.params, np.random.default_rng(1), {})
    assert m.state.reached[pro.clients].all()
    assert m.state.reached.sum() == pro.clients.size


def test_who_is_near_key_persons_is_computed_only_for_professionals_working_through_networks(make_model, monkeypatch) -> None:
    """The flow behind `near_key_persons` is needed only by professionals who recruit through
    networks; a week without them must not ask for it, one with them must."""
    m = make_model()
    pros = [hire(m, "solving")]
    calls: list[int] = []
    real = m.ties.propagate
    monkeypatch.setattr(m.ties, "propagate", lambda x: calls.append(1) or real(x))
    targets: dict[int, np.ndarray | None] = {p.unique_id: None for p in pros}
    professional_work(pros, m.state, m.ties, m.blocks, m.tick, m.params, np.random.default_rng(0), targets)
    assert calls == []
    pros.append(hire(m, "enabling", through_network=True))
    targets[pros[-1].unique_id] = None
    professional_work(pros, m.state, m.ties, m.blocks, m.tick, m.params, np.random.default_rng(0), targets)
    assert calls == [1]
    assert pros[-1].n_clients > 0
    with pytest.raises(ValueError, match="near_network"):
        recruit(hire(m, through_network=True), m.state, None, None, m.tick, m.params, np.random.default_rng(0))
