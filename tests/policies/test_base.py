"""The policy base: durations, timeline (start, end, budget), staff leaving with the policy,
target groups, its own random stream, and the registry (with a tiny policy registered here)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import numpy as np
import pydantic
import pytest

from buurtsim import NeighbourhoodModel
from buurtsim.policies.base import REGISTRY, Policy, PolicyConfig, Target, make_policy, register, to_weeks


class RecorderConfig(PolicyConfig):
    eur_per_week: float = 0.0
    staff: int = 0


class Recorder(Policy):
    """Records when its hooks run; optionally spends money and employs staff."""

    kind: ClassVar[str] = "_test_recorder"
    Config: ClassVar[type[PolicyConfig]] = RecorderConfig

    def __init__(self, config: PolicyConfig) -> None:
        super().__init__(config)
        self.started_at: list[int] = []
        self.stepped_at: list[int] = []
        self.ended_at: list[int] = []

    def on_start(self, model: NeighbourhoodModel) -> None:
        self.started_at.append(model.tick)
        cfg = self.config
        assert isinstance(cfg, RecorderConfig)
        for _ in range(cfg.staff):
            model.hire(kind="project_worker", policy=self.label, approach="solving", hours_per_week=0.0, caseload=3)

    def step(self, model: NeighbourhoodModel) -> None:
        self.stepped_at.append(model.tick)
        cfg = self.config
        assert isinstance(cfg, RecorderConfig)
        if cfg.eur_per_week:
            model.spend(cfg.eur_per_week, self)

    def on_end(self, model: NeighbourhoodModel) -> None:
        self.ended_at.append(model.tick)


@pytest.fixture
def registered() -> Iterator[type[Policy]]:
    """Register the test policy for one test only (the registry is shared)."""
    register(Recorder)
    yield Recorder
    REGISTRY.pop(Recorder.kind, None)


def recorder(**cfg: Any) -> Recorder:
    return Recorder(RecorderConfig(type=Recorder.kind, **cfg))


def run(make_model, policy: Policy, ticks: int, **over: Any) -> NeighbourhoodModel:
    m = make_model(n=60, policies=[policy], **over)
    m.run(ticks)
    return m


# --- durations -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "weeks"), [
    (0, 0), (13, 13), (2.6, 3), ("6w", 6), ("6 weeks", 6), ("1 week", 1), ("2y", 104), ("1 year", 52),
    ("18m", 78), ("6 months", 26), ("2 jaar", 104), ("3 maanden", 13), ("4 weken", 4), ("1.5y", 78),
    (" 2Y ", 104),
])
def test_to_weeks(value: int | float | str, weeks: int) -> None:
    assert to_weeks(value) == weeks


@pytest.mark.parametrize("value", [-1, "two years", "2 decades", "", True, "-3w"])
def test_to_weeks_rejects_nonsense(value: Any) -> None:
    with pytest.raises(ValueError):
        to_weeks(value)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), "9" * 400 + "y", "9" * 400 + "m", "9" * 400 + "w"])
def test_to_weeks_refuses_infinite_durations_with_a_value_error(value: Any) -> None:
    """round() raises OverflowError for infinity, which validators do not turn into a message."""
    with pytest.raises(ValueError, match="finite"):
        to_weeks(value)


def test_config_converts_durations_and_checks_order() -> None:
    cfg = PolicyConfig(type="x", start="1y", end="18m")
    assert (cfg.start, cfg.end) == (52, 78)
    assert cfg.label == "x"
    assert PolicyConfig(type="x", name="buurtkamer").label == "buurtkamer"
    with pytest.raises(pydantic.ValidationError, match="end"):
        PolicyConfig(type="x", start=10, end=10)
    with pytest.raises(pydantic.ValidationError):
        PolicyConfig(type="x", budget_eur=-1)
    with pytest.raises(pydantic.ValidationError):
        PolicyConfig(type="x", colour="red")  # type: ignore[call-arg]


# --- timeline -------------------------------------------------------------------------------------

def test_policy_acts_from_start_until_end_then_stops(make_model) -> None:
    pol = recorder(start=5, end=9)
    run(make_model, pol, 14)
    assert pol.started_at == [pol.stepped_at[0]]
    steps = pol.stepped_at
    assert steps == list(range(steps[0], steps[0] + len(steps)))  # consecutive weeks
    assert steps[0] >= 5 and steps[-1] <= 9
    assert len(pol.ended_at) == 1 and pol.ended_at[0] > steps[-1]
    assert pol.ended and not pol.is_active(10)


@pytest.mark.parametrize(("start", "end"), [(5, 9), (0, 4), (0, 1)])
def test_policy_acts_in_exactly_end_minus_start_weeks(make_model, start: int, end: int) -> None:
    pol = recorder(start=start, end=end)
    run(make_model, pol, end + 3)
    assert len(pol.stepped_at) == end - start


def test_policy_without_end_acts_every_week_from_its_start(make_model) -> None:
    pol = recorder(start=3)
    run(make_model, pol, 10)
    # weeks 3..9 of a ten-week run (during a week, model.tick counts the weeks already done)
    assert pol.stepped_at == list(range(3, 10))
    assert pol.ended_at == []


def test_policy_starting_after_the_run_never_acts(make_model) -> None:
    pol = recorder(start=50)
    run(make_model, pol, 5)
    assert pol.started_at == pol.stepped_at == pol.ended_at == []


def test_is_active_and_cut(make_model) -> None:
    pol = recorder(start=4, end=20)
    assert not pol.is_active(3) and pol.is_active(4) and pol.is_active(19) and not pol.is_active(20)
    pol.cut_at = 10
    assert pol.end == 10 and not pol.is_active(10)
    pol.cut_at = 30  # a later cut does not extend the policy
    assert pol.end == 20
    assert recorder(start=4).end is None


def test_timeline(make_model) -> None:
    assert recorder(start=4, end=20, name="p").timeline(52) == [(4, 20, "p")]
    assert recorder(start=4, end=80, name="p").timeline(52) == [(4, 52, "p")]
    assert recorder(start=4, name="p").timeline(52) == [(4, 52, "p")]
    cut = recorder(start=4, end=40, name="p")
    cut.cut_at = 12
    assert cut.timeline(52) == [(4, 12, "p")]


def test_budget_stops_the_policy_once_spent(make_model) -> None:
    pol = recorder(eur_per_week=100.0, budget_eur=350.0)
    m = run(make_model, pol, 10)
    assert len(pol.stepped_at) == 4  # 100, 200, 300, 400 >= 350
    assert pol.ended and pol.spent_eur == pytest.approx(400.0)
    assert m.metrics()["cost_eur"].iloc[-1] == pytest.approx(400.0)
    assert len(pol.ended_at) == 1


def test_staff_leave_when_the_policy_ends(make_model) -> None:
    pol = recorder(start=2, end=6, staff=2, name="proj")
    other = recorder(staff=1, name="other")
    m = make_model(n=60, policies=[pol, other])
    m.run(4)
    staff = [p for p in m.active_professionals() if p.policy == "proj"]
    assert len(staff) == 2
    m.run(4)
    assert [p.policy for p in m.active_professionals()] == ["other"]
    assert all(p not in list(m.agents) for p in staff)


def test_finish_is_idempotent(make_model) -> None:
    pol = recorder(staff=1)
    m = run(make_model, pol, 2)
    pol.finish(m)
    pol.finish(m)
    assert len(pol.ended_at) == 1 and m.active_professionals() == []
    n = len(pol.stepped_at)
    m.run(2)
    assert len(pol.stepped_at) == n


def test_policy_has_its_own_stream(make_model) -> None:
    m = make_model(n=60)
    a, b = recorder(name="a"), recorder(name="b")
    assert a.rng(m) is a.rng(m)
    assert a.rng(m) is not b.rng(m)
    assert a.rng(m) is m.streams["policy:a"]


# --- targets ----------------------------------------------------------------------------------------

def test_empty_target_is_everyone_alive(make_model) -> None:
    m = make_model(n=60, move_rate=0.1, inflow=False)
    m.run(3)
    np.testing.assert_array_equal(Target().mask(m), m.state.alive)


def test_target_by_category_and_style(small_model) -> None:
    m = small_model
    st, p = m.state, m.params
    sr = st.self_reliance
    mask = Target(categories=["sliding"]).mask(m)
    np.testing.assert_array_equal(mask, st.alive & (sr < p.sliding_threshold))
    mask = Target(categories=["strong", "vulnerable"]).mask(m)
    np.testing.assert_array_equal(mask, st.alive & (sr >= p.sliding_threshold))
    mask = Target(styles=["outsider"], categories=["vulnerable"]).mask(m)
    expect = st.alive & (st.style == 3) & (sr >= p.sliding_threshold) & (sr < p.strong_threshold)
    np.testing.assert_array_equal(mask, expect)
    assert mask.any()


def test_target_by_problems(small_model) -> None:
    m = small_model
    mask = Target(min_problems=2).mask(m)
    np.testing.assert_array_equal(mask, m.state.alive & (m.state.problem_count(m.params.problem_threshold) >= 2))


def test_target_by_network_position(small_model) -> None:
    m = small_model
    close = m.ties.degree(m.params.confidant_strength)
    iso, conn = Target(network="isolated").mask(m), Target(network="connected").mask(m)
    np.testing.assert_array_equal(iso, m.state.alive & (close == 0))
    np.testing.assert_array_equal(conn, m.state.alive & (close > 0))
    assert not (iso & conn).any() and ((iso | conn) == m.state.alive).all()
    key = Target(network="key_persons").mask(m)
    deg = m.ties.degree()
    assert key.sum() > 0
    assert deg[key].min() >= np.median(deg[m.state.alive])
    assert (m.state.participation[key] >= 2).all()


def test_target_rejects_unknown_values() -> None:
    with pytest.raises(pydantic.ValidationError):
        Target(categories=["rich"])  # type: ignore[list-item]
    with pytest.raises(pydantic.ValidationError):
        Target(min_problems=9)
    with pytest.raises(pydantic.ValidationError):
        Target(age=3)  # type: ignore[call-arg]


# --- registry ----------------------------------------------------------------------------------------

def test_register_and_make_policy(registered: type[Policy]) -> None:
    assert REGISTRY[Recorder.kind] is Recorder
    pol = make_policy({"type": Recorder.kind, "start": "1y", "eur_per_week": 5, "name": "r"})
    assert isinstance(pol, Recorder) and pol.start == 52 and pol.label == "r"
    assert isinstance(pol.config, RecorderConfig) and pol.config.eur_per_week == 5
    cfg = RecorderConfig(type=Recorder.kind, staff=1)
    assert isinstance(make_policy(cfg), Recorder)
    with pytest.raises(pydantic.ValidationError):
        make_policy({"type": Recorder.kind, "eur_per_weak": 5})


def test_unknown_policy_type_lists_close_matches(registered: type[Policy]) -> None:
    with pytest.raises(ValueError, match=Recorder.kind):
        make_policy({"type": "_test_recordr"})


def test_register_requires_a_kind() -> None:
    class Nameless(Policy):
        pass

    with pytest.raises(ValueError):
        register(Nameless)
    assert "" not in REGISTRY


def test_the_test_policy_is_not_left_registered() -> None:
    assert Recorder.kind not in REGISTRY


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
@pytest.mark.parametrize("field", ["budget_eur", "activity_eur_per_week"])
def test_policy_numbers_must_be_finite(field: str, value: float) -> None:
    """An infinite budget or price passed `ge=0` and made every cost infinite."""
    from buurtsim.scenario.schema import validate_policy

    config, issues = validate_policy({"type": "project_carousel", field: value}, ("policies", 0))
    assert config is None and issues[0].path == ("policies", 0, field) and issues[0].expected == "a finite number"
