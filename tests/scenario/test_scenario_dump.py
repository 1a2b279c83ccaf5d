"""Writing scenarios back to TOML: the text loads back to an equal scenario with the same digest."""

from __future__ import annotations

import math
import tomllib

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from scenario_samples import VALID

from buurtsim.params import Params, describe
from buurtsim.policies.base import REGISTRY
from buurtsim.scenario import Newcomers, Scenario, dump_scenario, load_scenario_text
from buurtsim.scenario.dump import toml_string, toml_value

SAFE_FLOATS = [n for n, f in Params.model_fields.items() if f.annotation is float and n not in ("strong_threshold", "sliding_threshold")]
INTS = [n for n, f in Params.model_fields.items() if f.annotation is int and n != "n_residents"]


def test_valid_file_round_trips() -> None:
    first = load_scenario_text(VALID, source="a.toml")
    text = dump_scenario(first)
    again = load_scenario_text(text, source="b.toml")
    assert again == first
    assert again.digest() == first.digest()
    assert again.policies[2].policies == ["presentie"]  # type: ignore[attr-defined]
    assert dump_scenario(again) == text  # writing is stable


def test_dump_writes_tables_and_readable_durations() -> None:
    data = tomllib.loads(dump_scenario(load_scenario_text(VALID)))
    assert data["scenario"]["horizon"] == "3y"
    assert data["neighbourhood"]["n_residents"] == 200
    assert data["neighbourhood"]["newcomers"]["potential_shift"] == -0.05
    assert data["network"] == {"tie_decay": 0.03}
    assert data["params"] == {"shock_prob": 0.008}
    assert data["policies"][0]["start"] == 26 and data["policies"][0]["end"] == "2y"
    assert data["policies"][1]["target"] == {"categories": ["vulnerable", "sliding"]}
    assert "caseload" not in data["policies"][1], "defaults are left out"


def test_empty_target_differs_from_a_default_target() -> None:
    text = '[scenario]\nname = "a"\ntitle = "b"\n[[policies]]\ntype = "outreach"\ntarget = {}\n'
    first = load_scenario_text(text)
    assert first.policies[0].target.min_problems is None  # outreach's default target is min_problems = 3
    back = load_scenario_text(dump_scenario(first))
    assert back == first and back.policies[0].target.min_problems is None


@given(st.text(max_size=60))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_any_string_survives_toml(text: str) -> None:
    assert tomllib.loads(f"k = {toml_string(text)}")["k"] == text


@given(st.floats(allow_nan=True, allow_infinity=True))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_any_float_survives_toml(x: float) -> None:
    back = tomllib.loads(f"k = {toml_value(x)}")["k"]
    assert isinstance(back, float)
    assert (math.isnan(x) and math.isnan(back)) or back == x


def _param_value(draw: st.DrawFn, name: str) -> object:
    d = describe(name)
    if name in INTS:
        return draw(st.integers(int(d["min"]), int(min(d["max"], 10_000))))
    return draw(st.floats(float(d["min"]), float(d["max"]), allow_nan=False))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """Random valid scenarios: odd text, random parameter overrides, random policies of every type."""
    params = {n: _param_value(draw, n) for n in draw(st.lists(st.sampled_from(SAFE_FLOATS + INTS), max_size=6, unique=True))}
    if draw(st.booleans()):
        params["n_residents"] = draw(st.integers(10, 5000))
    policies = []
    kinds = sorted(k for k in REGISTRY if k != "budget_cut")
    for i in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(kinds))
        start = draw(st.integers(0, 200))
        spec: dict[str, object] = {"type": kind, "name": f"p{i}", "start": start}
        if draw(st.booleans()):
            spec["end"] = start + draw(st.integers(1, 300))
        if draw(st.booleans()):
            spec["budget_eur"] = draw(st.floats(0, 1e7))
        if draw(st.booleans()):
            spec["target"] = {"categories": draw(st.lists(st.sampled_from(["strong", "vulnerable", "sliding"]), min_size=1, unique=True))}
        policies.append(spec)
    if policies and "budget_cut" in REGISTRY and draw(st.booleans()):
        policies.append({"type": "budget_cut", "name": "cut", "start": 0, "policies": [policies[0]["name"]]})
    try:
        return Scenario(
            name=draw(st.from_regex(r"[a-z0-9][a-z0-9_.-]{0,20}", fullmatch=True)),
            title=draw(st.text(min_size=1, max_size=40)),
            description=draw(st.text(max_size=80)),
            seed=draw(st.integers(0, 2**63 - 1)),
            horizon=draw(st.integers(201, 2000)),
            params=params,
            newcomers=Newcomers(potential_shift=draw(st.one_of(st.none(), st.floats(-0.5, 0.5)))),
            policies=policies,
        )
    except ValidationError:
        assume(False)
        raise


@given(scenarios())
@settings(max_examples=60, deadline=None, derandomize=True)
def test_random_scenarios_round_trip(scenario: Scenario) -> None:
    back = load_scenario_text(dump_scenario(scenario))
    assert back == scenario
    assert back.digest() == scenario.digest()
