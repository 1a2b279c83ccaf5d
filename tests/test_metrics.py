"""Metrics: the outcome columns of brief §6 by their exact names, gini, cumulative cost, consistency
with the state and the network."""

from __future__ import annotations

import numpy as np
import pytest

from buurtsim import METRIC_NAMES
from buurtsim.metrics import METRICS, collect, gini, label

REQUIRED = (
    "population", "mean_self_reliance", "share_strong", "share_vulnerable", "share_sliding",
    "gini_self_reliance", "share_isolated", "mean_degree", "mean_tie_strength", "clustering",
    "participation_rate", "active_initiatives", "trust_in_institutions", "perceived_safety",
    "collective_efficacy", "moved_out", "informal_support_given", "overburdened_share",
    "dependency_share", "professional_hours", "cost_eur",
)


def hand_gini(x: np.ndarray) -> float:
    """Mean absolute difference over all ordered pairs / (2 x mean)."""
    x = np.asarray(x, float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * x.size**2 * x.mean()))


def test_metrics_have_the_required_columns_indexed_by_tick(small_model) -> None:
    df = small_model.run(3)
    assert set(REQUIRED) <= set(df.columns), set(REQUIRED) - set(df.columns)
    assert set(REQUIRED) <= set(METRIC_NAMES)
    assert df.index.name == "tick" and list(df.index) == [0, 1, 2, 3]
    assert len(set(METRIC_NAMES)) == len(METRIC_NAMES)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gini_matches_a_hand_computation(seed: int) -> None:
    x = np.random.default_rng(seed).random(57)
    assert gini(x) == pytest.approx(hand_gini(x), rel=1e-12)


def sequential_gini(x: np.ndarray) -> float:
    """The reference: the running-sum loop over the sorted values (the former compiled kernel)."""
    s = sorted(float(v) for v in x)
    run = acc = 0.0
    for v in s:
        run += v
        acc += run
    return (len(s) + 1 - 2 * (acc / run)) / len(s)


@pytest.mark.parametrize("n", [1, 2, 57, 2000, 20_000])
def test_gini_equals_the_reference_loop_exactly(n: int) -> None:
    rng = np.random.default_rng(n)
    for x in (rng.beta(2, 3, n), np.round(rng.random(n), 2), rng.exponential(1.0, n)):
        assert gini(x) == sequential_gini(x)


def test_gini_edge_cases() -> None:
    assert gini(np.full(10, 0.4)) == pytest.approx(0.0)
    n = 8
    assert gini(np.array([0.0] * (n - 1) + [1.0])) == pytest.approx((n - 1) / n)
    assert gini(np.zeros(5)) == 0.0
    assert gini(np.array([])) == 0.0
    assert gini(np.array([3.0, 1.0, 2.0])) == pytest.approx(hand_gini(np.array([1.0, 2.0, 3.0])))


def test_model_gini_is_the_gini_of_the_living(make_model) -> None:
    m = make_model(move_rate=0.05, inflow=False)
    df = m.run(5)
    sr = m.state.self_reliance[m.state.alive]
    assert df["gini_self_reliance"].iloc[-1] == pytest.approx(hand_gini(sr), rel=1e-10)


def test_metrics_agree_with_state_and_network(make_model) -> None:
    m = make_model(move_rate=0.02)
    df = m.run(6)
    row, st, p = df.iloc[-1], m.state, m.params
    alive = st.alive
    sr = st.self_reliance[alive]
    assert row["population"] == alive.sum() == len(m.residents)
    assert row["mean_self_reliance"] == pytest.approx(sr.mean())
    assert row["share_strong"] == pytest.approx((sr >= p.strong_threshold).mean())
    assert row["share_sliding"] == pytest.approx((sr < p.sliding_threshold).mean())
    g = m.network
    assert row["mean_degree"] == pytest.approx(2 * g.number_of_edges() / g.number_of_nodes())
    strengths = [d["strength"] for _, _, d in g.edges(data=True)]
    assert row["mean_tie_strength"] == pytest.approx(np.mean(strengths))
    ssum = np.array([g.degree(u, weight="strength") for u in st.uid[alive]])
    assert row["share_isolated"] == pytest.approx((ssum < p.isolation_strength).mean())
    assert row["trust_in_institutions"] == pytest.approx(st.trust[alive].mean())
    assert row["perceived_safety"] == pytest.approx(st.safety[alive].mean())
    assert row["participation_rate"] == pytest.approx((st.participation[alive] >= p.active_level).mean())
    assert row["dependency_share"] == pytest.approx((st.dependency[alive] > p.dependency_flag).mean())
    assert row["informal_support_given"] == pytest.approx(st.given[alive].mean())
    assert row["active_initiatives"] == m.initiatives.n_active


@pytest.mark.parametrize("seed", [1, 2])
def test_every_tallied_metric_matches_a_direct_numpy_computation(make_model, seed: int) -> None:
    """The metrics come from one compiled pass over residents (metrics._tally); each must equal
    its definition computed directly with numpy over the live residents."""
    m = make_model(seed=seed, move_rate=0.03, inflow=False)
    m.hire(kind="w", policy="t", approach="solving", hours_per_week=20.0, caseload=15)
    m.run(8)
    st, p = m.state, m.params
    rng = np.random.default_rng(seed)
    st.dependency[:] = rng.random(st.size)  # spread values over every threshold
    st.load[:] = rng.random(st.size) * 3 * p.overburden_load
    row = collect(m)
    alive = st.alive
    assert not alive.all()
    sr = st.self_reliance[alive]
    active = st.participation[alive] >= p.active_level
    helpers = st.load[alive] >= p.helping_min
    out = st.style[alive] == 3
    deg, strength, close = (x[alive] for x in m.ties.totals(p.confidant_strength))
    live = m.ties.s[m.ties.live_ids()]
    expected = {
        "population": alive.sum(),
        "mean_self_reliance": sr.mean(),
        "share_strong": (sr >= p.strong_threshold).mean(),
        "share_vulnerable": ((sr < p.strong_threshold) & (sr >= p.sliding_threshold)).mean(),
        "share_sliding": (sr < p.sliding_threshold).mean(),
        "share_isolated": (strength < p.isolation_strength).mean(),
        "mean_degree": deg.mean(),
        "mean_tie_strength": live.mean(),
        "participation_rate": active.mean(),
        "trust_in_institutions": st.trust[alive].mean(),
        "perceived_safety": st.safety[alive].mean(),
        "collective_efficacy": 0.5 * st.attachment[alive].mean() + 0.25 * st.safety[alive].mean()
        + 0.25 * (st.participation[alive] >= 3).mean(),
        "informal_support_given": st.given[alive].mean(),
        "share_helping": helpers.mean(),
        "overburdened_share": (st.load[alive][helpers] > p.overburden_load).mean(),
        "dependency_share": (st.dependency[alive] > p.dependency_flag).mean(),
        "share_multi_problem": ((st.domains[alive] < p.problem_threshold).sum(axis=1) >= 3).mean(),
        "share_no_confidant": (close == 0).mean(),
        "share_neighbour_contact": m.week.neighbour_contact[alive].mean(),
        "participation_outsiders": active[out].mean(),
        "helpers_self_reliance": sr[helpers].mean(),
        "share_clients": (st.client_of[alive] >= 0).mean(),
    }
    assert row["dependency_share"] > 0 and row["share_clients"] > 0 and row["overburdened_share"] > 0
    for name, value in expected.items():
        assert row[name] == pytest.approx(value, rel=1e-12, abs=1e-15), name


def test_cost_is_cumulative_and_non_decreasing(make_model) -> None:
    m = make_model()
    m.hire(kind="w", policy="t", approach="enabling", hours_per_week=10.0, caseload=5)
    df = m.run(6)
    cost = df["cost_eur"].to_numpy()
    assert (np.diff(cost) >= 0).all()
    assert cost[0] == 0 and cost[-1] > 0
    np.testing.assert_allclose(np.diff(cost), df["professional_hours"].to_numpy()[1:] * m.params.hourly_cost_eur)
    m.spend(500.0)
    m.step()
    assert m.metrics()["cost_eur"].iloc[-1] == pytest.approx(cost[-1] + 500.0 + 10.0 * m.params.hourly_cost_eur)


def test_no_professionals_no_hours_no_cost(small_model) -> None:
    df = small_model.run(4)
    assert (df["professional_hours"] == 0).all() and (df["cost_eur"] == 0).all()


def test_moved_out_counts_this_week(make_model) -> None:
    m = make_model(move_rate=0.05)
    prev = set(m.state.uid[m.state.alive].tolist())
    for _ in range(5):
        m.step()
        now = set(m.state.uid[m.state.alive].tolist())
        assert m.metrics()["moved_out"].iloc[-1] == len(prev - now)
        prev = now


def test_every_metric_has_labels_and_a_unit() -> None:
    for metric in METRICS:
        assert metric.label_nl and metric.label_en and metric.unit, metric.name
        assert label(metric.name) == metric.label_nl
        assert label(metric.name, "en") == metric.label_en
