"""NeighbourhoodModel: invariants on every tick (also over random parameter draws), determinism,
a minimally different world when a policy only draws from its own stream, the network view."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from buurtsim import METRIC_NAMES, NeighbourhoodModel
from buurtsim.network import edge_keys
from buurtsim.params import describe
from buurtsim.policies.base import Policy, PolicyConfig

SHARE_COLUMNS = ("share_strong", "share_vulnerable", "share_sliding")
UNIT_COLUMNS = (
    "mean_self_reliance", "share_strong", "share_vulnerable", "share_sliding", "gini_self_reliance",
    "share_isolated", "mean_tie_strength", "clustering", "participation_rate", "trust_in_institutions",
    "perceived_safety", "collective_efficacy", "overburdened_share", "dependency_share",
)
SCORE_ARRAYS = ("domains", "potential", "self_reliance", "capacity", "trust", "attachment", "safety", "dependency")


def check_state(m: NeighbourhoodModel) -> int:
    """Invariants of the state, the agents and the network now; returns the population."""
    st = m.state
    alive = st.alive
    n = int(alive.sum())
    for name in SCORE_ARRAYS:
        arr = getattr(st, name)[alive]
        assert np.isfinite(arr).all(), name
        assert arr.min(initial=0.0) >= 0.0 and arr.max(initial=1.0) <= 1.0, name
    assert st.participation[alive].min(initial=0) >= 0 and st.participation[alive].max(initial=6) <= 6
    np.testing.assert_allclose(st.self_reliance[alive], st.domains[alive].mean(axis=1), atol=1e-12)
    # population, agents and the network agree
    uids = st.uid[alive]
    assert len(set(uids.tolist())) == n and (uids >= 0).all()
    assert (st.uid[~alive] == -1).all()
    assert len(m.residents) == n
    g = m.network
    assert g.number_of_nodes() == n
    assert set(g.nodes) == set(uids.tolist())
    assert all(st.uid[r.slot] == r.unique_id for r in m.residents)
    # no tie reaches an empty dwelling
    e = m.ties.live_ids()
    assert alive[m.ties.a[e]].all() and alive[m.ties.b[e]].all()
    assert g.number_of_edges() == e.size
    assert (m.ties.s[e] > 0).all() and (m.ties.s[e] <= 1.0).all()
    return n


def check_metrics(df: pd.DataFrame, populations: list[int]) -> None:
    """Every tick's metrics row: no NaN, scores and shares in [0, 1], category shares sum to 1."""
    assert list(df.index) == list(range(len(populations)))
    assert not df.isna().any().any(), df.columns[df.isna().any()].tolist()
    assert np.isfinite(df.to_numpy(dtype=float)).all()
    for col in UNIT_COLUMNS:
        assert df[col].between(0.0, 1.0).all(), (col, df[col].tolist())
    assert df["population"].tolist() == populations
    occupied = df["population"] > 0
    np.testing.assert_allclose(df.loc[occupied, list(SHARE_COLUMNS)].sum(axis=1), 1.0)


def run_checked(m: NeighbourhoodModel, ticks: int) -> pd.DataFrame:
    """Step `ticks` weeks, checking the state on every tick and every tick's metrics row."""
    assert m.tick == 0
    populations = [check_state(m)]
    for _ in range(ticks):
        m.step()
        populations.append(check_state(m))
    df = m.metrics()
    check_metrics(df, populations)
    return df


def test_invariants_hold_on_every_tick(make_model) -> None:
    df = run_checked(make_model(n=150, seed=1), 20)
    assert list(df.index) == list(range(21))
    assert df.index.name == "tick"


def test_invariants_hold_with_professionals_and_migration(make_model) -> None:
    m = make_model(n=150, seed=2, move_rate=0.03)
    m.hire(kind="community_worker", policy="t", approach="enabling", hours_per_week=20.0, caseload=15)
    m.hire(kind="project_worker", policy="t", approach="solving", hours_per_week=30.0, caseload=20,
           through_network=True, ask_clients=0.5)
    df = run_checked(m, 20)
    assert df["moved_out"].sum() > 0
    assert df["professional_hours"].iloc[1:].gt(0).all()


def test_invariants_without_inflow_until_the_neighbourhood_empties(make_model) -> None:
    m = make_model(n=40, seed=4, move_rate=0.1, inflow=False, attachment_move_effect=20.0)
    run_checked(m, 12)
    assert m.metrics()["population"].iloc[-1] < 40


# --- random parameter draws within the declared ranges -----------------------------------------------

FLOAT_PARAMS = (
    "shock_prob", "shock_size", "spiral_coupling", "recovery_rate", "problem_recovery_penalty",
    "support_rate", "support_effect", "support_cost", "capacity_recovery", "overburden_harm",
    "tie_attempt_rate", "tie_decay", "tie_reinforce", "homophily_status", "distance_exponent",
    "safety_contagion", "fear_asymmetry", "trust_contagion", "move_rate", "asked_multiplier",
    "participation_down", "initiative_found_rate", "initial_ties_per_resident", "household_size_mean",
)
INT_PARAMS = ("max_degree", "residents_per_block", "initiative_min_owners")


def _range(name: str) -> tuple[float, float]:
    d = describe(name)
    return d["min"], d["max"]


@hs.composite
def parameter_draws(draw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in FLOAT_PARAMS:
        lo, hi = _range(name)
        out[name] = draw(hs.floats(lo, hi, allow_nan=False, allow_infinity=False))
    for name in INT_PARAMS:
        lo, hi = _range(name)
        out[name] = draw(hs.integers(int(lo), int(min(hi, 200))))
    raw = draw(hs.lists(hs.floats(0.05, 1.0), min_size=3, max_size=3))
    out["newcomer_income_shares"] = tuple(x / sum(raw) for x in raw)
    lo_s = draw(hs.floats(0.05, 0.5))
    out["sliding_threshold"] = lo_s
    out["strong_threshold"] = draw(hs.floats(lo_s + 0.05, 0.95))
    out["inflow"] = draw(hs.booleans())
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=parameter_draws(), seed=hs.integers(0, 2**31))
def test_invariants_over_parameter_ranges(overrides: dict[str, Any], seed: int) -> None:
    m = NeighbourhoodModel(n_residents=60, seed=seed, burn_in_weeks=2, **overrides)
    m.hire(kind="community_worker", policy="t", approach="solving", hours_per_week=10.0, caseload=5)
    run_checked(m, 10)


def extreme_cases() -> list[Any]:
    """(name, value) at both ends of every bounded scalar parameter's declared range."""
    from buurtsim.params import Params

    skip = {"n_residents", "burn_in_weeks"}  # size and run length: covered elsewhere, slow at the top
    cases = []
    for name, field in Params.model_fields.items():
        if field.annotation not in (int, float) or name in skip:
            continue
        lo, hi = _range(name)
        for end, value in (("min", lo), ("max", hi)):
            if value is None:
                continue
            value = field.annotation(value)
            cases.append(pytest.param(name, value, id=f"{name}-{end}"))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(("name", "value"), extreme_cases())
def test_model_runs_at_the_ends_of_each_parameter_range(name: str, value: float) -> None:
    from buurtsim import ParameterError

    try:
        m = NeighbourhoodModel(n_residents=40, seed=1, burn_in_weeks=1, **{name: value})
    except ParameterError as exc:  # only cross-field rules may refuse a declared end
        assert "threshold" in str(exc)
        pytest.skip(f"{name}={value} conflicts with another parameter's default: {exc}")
    m.hire(kind="community_worker", policy="t", approach="enabling", hours_per_week=10.0, caseload=5)
    run_checked(m, 2)


# --- determinism ------------------------------------------------------------------------------------------

class StreamOnly(Policy):
    """A policy that draws from its own stream every week and does nothing else."""

    kind = "_test_stream_only"

    def __init__(self, config: PolicyConfig) -> None:
        super().__init__(config)
        self.draws: list[float] = []

    def step(self, model: NeighbourhoodModel) -> None:
        self.draws.append(float(self.rng(model).random()))


def test_same_seed_gives_identical_metrics(make_model) -> None:
    a = make_model(n=150, seed=21, move_rate=0.01).run(15)
    b = make_model(n=150, seed=21, move_rate=0.01).run(15)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_different_seed_gives_different_metrics(make_model) -> None:
    a = make_model(n=150, seed=21).run(10)
    b = make_model(n=150, seed=22).run(10)
    assert not a.equals(b)
    assert (a["mean_self_reliance"] != b["mean_self_reliance"]).any()


def test_same_seed_gives_identical_state_and_network(make_model) -> None:
    a, b = make_model(seed=8), make_model(seed=8)
    a.run(8)
    b.run(8)
    np.testing.assert_array_equal(a.state.domains, b.state.domains)
    np.testing.assert_array_equal(a.state.uid, b.state.uid)
    assert sorted(a.network.edges) == sorted(b.network.edges)


def test_a_policy_drawing_only_from_its_own_stream_changes_nothing(make_model) -> None:
    plain = make_model(n=150, seed=5, move_rate=0.01)
    pol = StreamOnly(PolicyConfig(type=StreamOnly.kind, name="noise"))
    with_policy = make_model(n=150, seed=5, move_rate=0.01, policies=[pol])
    a, b = plain.run(15), with_policy.run(15)
    assert len(pol.draws) == 15  # it really did draw every week
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    np.testing.assert_array_equal(plain.state.domains, with_policy.state.domains)


# --- the network view and resident lookup -------------------------------------------------------------

def test_network_nodes_are_the_living_residents_uids(small_model) -> None:
    m = small_model
    g = m.network
    assert set(g.nodes) == {r.unique_id for r in m.residents}
    e = m.ties.live_ids()
    assert g.number_of_edges() == e.size
    a, b = int(m.ties.a[e[0]]), int(m.ties.b[e[0]])
    data = g.edges[int(m.state.uid[a]), int(m.state.uid[b])]
    assert data["strength"] == pytest.approx(m.ties.s[e[0]])


def test_network_reflects_changes_after_each_step(make_model) -> None:
    m = make_model(move_rate=0.05)
    for _ in range(5):
        m.step()
        e = m.ties.live_ids()
        g = m.network
        assert g.number_of_edges() == e.size
        got = {frozenset((u, v)): d["strength"] for u, v, d in g.edges(data=True)}
        for eid in e[:20]:
            key = frozenset((int(m.state.uid[m.ties.a[eid]]), int(m.state.uid[m.ties.b[eid]])))
            assert got[key] == pytest.approx(m.ties.s[eid])


def test_network_is_cached_until_ties_change(small_model) -> None:
    m = small_model
    g = m.network
    assert m.network is g
    deg = m.ties.degree()
    a, b = (int(x) for x in np.flatnonzero(m.state.alive & (deg == deg.min()))[:2])
    if m.ties.lookup(edge_keys(np.array([a]), np.array([b])))[0] >= 0:
        pytest.skip("picked slots already tied")
    m.ties.add(np.array([a]), np.array([b]), 0.4, 3, m.tick)
    g2 = m.network
    assert g2 is not g and g2.has_edge(int(m.state.uid[a]), int(m.state.uid[b]))
    m.ties.kill(m.ties.incident(np.array([a])))
    assert m.network.degree(int(m.state.uid[a])) == 0


def test_resident_lookup_by_uid(small_model) -> None:
    m = small_model
    for r in m.residents[:10]:
        assert m.resident(r.unique_id) is r
    with pytest.raises(KeyError):
        m.resident(10**9)


def test_resident_lookup_of_an_empty_dwellings_id_is_a_key_error(make_model) -> None:
    m = make_model(move_rate=0.1, inflow=False)
    m.run(5)
    assert not m.state.alive.all()
    with pytest.raises(KeyError):
        m.resident(-1)


def test_metrics_columns_and_tick_zero(small_model) -> None:
    df = small_model.metrics()
    assert list(df.index) == [0]
    assert set(METRIC_NAMES) <= set(df.columns)


def test_run_returns_all_ticks_so_far(small_model) -> None:
    small_model.run(3)
    df = small_model.run(2)
    assert list(df.index) == [0, 1, 2, 3, 4, 5]
    assert small_model.tick == 5


def test_no_burn_in_is_allowed(make_model) -> None:
    m = make_model(burn_in_weeks=0)
    run_checked(m, 3)


def test_reach_is_counted_and_followed_after_leaving(make_model) -> None:
    from buurtsim.policies.presence import LongTermPresence, PresenceConfig

    pol = LongTermPresence(PresenceConfig(name="p", start=0, workers=2, intake_per_week=5))
    m = make_model(n=300, move_rate=0.02, policies=[pol])
    df = m.run(60)
    assert (df["reached_ever"].diff().dropna() >= 0).all()  # cumulative
    assert df["reached_ever"].iloc[-1] == m.state.reached[m.state.alive].sum() + m.reach.left
    assert df["reached_left"].iloc[-1] == m.reach.left > 0
    assert 0 < df["reached_left_mean_self_reliance"].iloc[-1] <= 1
    assert df["reached_left_risen"].iloc[-1] <= df["reached_left"].iloc[-1]
    assert 0 < df["reached_mean_self_reliance"].iloc[-1] <= 1


def test_burn_in_newcomers_are_drawn_like_the_starting_population(make_model) -> None:
    # selective newcomers (all low income) only arrive from tick 0 on
    m = make_model(n=400, move_rate=0.02, burn_in_weeks=80, newcomer_income_shares=(1.0, 0.0, 0.0))
    st = m.state
    assert (st.income_start[st.alive] > 0).any()
    m.run(40)
    new = st.alive & (st.arrived > 0)
    assert new.any() and (st.income_start[new] == 0).all()
