"""Fuzzing the loader: random bytes, random text and mutated valid files give a Scenario or a
clean ScenarioError, never any other exception. Bounded example counts keep this under ~20 s."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario_samples import VALID

from buurtsim.scenario import Scenario, ScenarioError, load_scenario, load_scenario_bytes, load_scenario_text

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

WEIRD_VALUES = [
    "-1", "0", "1e400", "-inf", "nan", '"x"', '""', "[]", "{}", "true", "99999999999999999999999",
    '"1y"', '"-3y"', "1979-05-27", "[[1], [2]]", '{ a = 1 }', "0.5", '"\\u0000"', "'''a'''", "[0.2, 0.3, 0.5]",
]


def check(load: object, *args: object) -> None:
    """Run a loader; only a Scenario or a well-formed ScenarioError may come out."""
    try:
        result = load(*args)  # type: ignore[operator]
    except ScenarioError as exc:
        assert exc.problems and all(p["message"] and p["file"] for p in exc.problems)
        assert "Traceback" not in str(exc)
        return
    assert isinstance(result, Scenario)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """The valid test file after a few random edits: delete, duplicate or swap lines, flip
    characters, replace a value, insert junk."""
    lines = VALID.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "value", "insert"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "flip" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            ch = draw(st.characters(codec="utf-8", exclude_characters="\r\n"))
            lines[i] = lines[i][:k] + ch + lines[i][k + 1 :]
        elif op == "value" and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            lines[i] = key + "= " + draw(st.sampled_from(WEIRD_VALUES))
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(["[params]", "[[policies]]", "[neighbourhood.newcomers]", 'type = "outreach"',
                                                  "x = 1", "[scenario]", "end = 1", "start = '99y'", "policies = []"])))
    return "\n".join(lines) + "\n"


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    check(load_scenario_bytes, data, "fuzz.toml")


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    check(load_scenario_text, text, "fuzz.toml")


@settings(max_examples=400, deadline=None, derandomize=True)
@given(mutated())
def test_mutated_valid_files(text: str) -> None:
    check(load_scenario_text, text, "fuzz.toml")


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.one_of(mutated().map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=200)))
def test_mutated_files_on_disk(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.toml"
        path.write_bytes(data)
        check(load_scenario, path)
