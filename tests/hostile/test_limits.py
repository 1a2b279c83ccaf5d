"""Limits where input enters: a small file can take neither unbounded memory nor unbounded time."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from tests.hostile.conftest import HostileCli, assert_refused, snapshot

from buurtsim import NeighbourhoodModel
from buurtsim.limits import MAX_DASHBOARD_RESIDENTS, MAX_SEED, MAX_SWEEP_POINTS, MAX_TICKS, shorten, too_deep
from buurtsim.params import describe, param_names
from buurtsim.scenario.locate import KeyLines

HEADER = '[scenario]\nname = "x"\ntitle = "x"\n'


def deep_header(depth: int) -> str:
    """A scenario whose table header has `depth` dotted keys (40 KB at depth 20,000)."""
    return HEADER + "[" + ".".join(["a"] * depth) + "]\nb = 1\n"


EXPERIMENT = '[experiment]\nname = "e"\nscenarios = ["basis"]\nreplications = 1\nticks = 2\n'

SCENARIO_CASES = {
    "dotted_header_40kb": deep_header(20_000),
    "dotted_header_120kb": deep_header(60_000),
    "dotted_key": HEADER + "[params]\n" + ".".join(["k"] * 5000) + " = 1\n",
    "dotted_key_in_inline_table": HEADER + "[params]\nx = {" + ".".join(["k"] * 5000) + " = 1}\n",
    "deep_array": HEADER + "[params]\nx = " + "[" * 5000 + "]" * 5000 + "\n",
    "deep_inline_tables": HEADER + "[params]\nx = " + "{a = " * 500 + "1" + "}" * 500 + "\n",
    "array_just_over_limit": HEADER + "[params]\nx = " + "[" * 40 + "]" * 40 + "\n",
}

EXPERIMENT_CASES = {
    "dotted_header": EXPERIMENT + "[" + ".".join(["a"] * 20_000) + "]\nb = 1\n",
    "deep_array": EXPERIMENT.replace("ticks = 2", "ticks = " + "[" * 3000 + "]" * 3000),
    "deep_params": EXPERIMENT + "[experiment.params]\nx = " + "[" * 100 + "]" * 100 + "\n",
}


@pytest.mark.parametrize("case", list(SCENARIO_CASES))
def test_deep_scenario_files_are_refused_with_a_line(case: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "diep.toml"
    f.write_text(SCENARIO_CASES[case], encoding="utf-8")
    before = snapshot(tmp_path)
    text = assert_refused(hostile_cli("validate", str(f), mem_mb=1800), "diep.toml", "nested too deeply")
    assert "line" in text
    assert snapshot(tmp_path) == before


WIDE_CASES = {
    "unknown_params": (HEADER + "[params]\n" + "".join(f"k{i} = 1\n" for i in range(80_000)), "params"),
    "unknown_tables": (HEADER + "".join(f"[t{i}]\n" for i in range(80_000)), "top level"),
    "inline_table": (HEADER + "[params]\nx = {" + ", ".join(f"k{i} = 1" for i in range(5_000)) + "}\n", "params.x"),
}


@pytest.mark.parametrize("case", list(WIDE_CASES))
def test_wide_tables_are_refused_at_once(case: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    text, where = WIDE_CASES[case]
    f = tmp_path / "breed.toml"
    f.write_text(text, encoding="utf-8")
    message = assert_refused(hostile_cli("validate", str(f), mem_mb=1800), "breed.toml", "too many keys", where)
    assert len(message) < 2000


def test_many_problems_are_counted_not_listed() -> None:
    from buurtsim.limits import MAX_PROBLEMS
    from buurtsim.scenario import ScenarioError, load_scenario_text

    text = HEADER + "[params]\n" + "".join(f"onbekend{i} = 1\n" for i in range(300))
    with pytest.raises(ScenarioError) as info:
        load_scenario_text(text)
    assert len(info.value.problem_list) == MAX_PROBLEMS
    assert f"{300} problems" in str(info.value) and f"and {300 - MAX_PROBLEMS} more" in str(info.value)


@pytest.mark.parametrize("case", list(EXPERIMENT_CASES))
def test_deep_experiment_files_are_refused(case: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "exp.toml"
    f.write_text(EXPERIMENT_CASES[case], encoding="utf-8")
    before = snapshot(tmp_path)
    assert_refused(hostile_cli("experiment", str(f), "--backend", "serial", mem_mb=1800), "exp.toml", "nested too deeply")
    assert snapshot(tmp_path) == before


def test_key_lines_take_linear_work() -> None:
    """The locator keeps at most MAX_KEY_DEPTH keys per path, so a deep header notes few paths."""
    lines = KeyLines(deep_header(60_000))
    assert len(lines.lines) < 40
    assert lines.line_of(("a",) * 5) == 4


def test_a_huge_sweep_grid_is_refused_before_it_is_expanded(tmp_path: Path, hostile_cli: HostileCli) -> None:
    names = [n for n in param_names() if describe(n)["min"] == 0.0 and describe(n)["max"] == 1.0][:8]
    assert len(names) == 8
    grid = "\n".join(f"{name} = [{', '.join(str(0.01 * (i + 1)) for i in range(30))}]" for name in names)
    f = tmp_path / "sweep.toml"
    f.write_text(EXPERIMENT + '[sweep]\nmethod = "grid"\n[sweep.grid]\n' + grid + "\n", encoding="utf-8")
    assert_refused(hostile_cli("experiment", str(f), "--backend", "serial", mem_mb=1800), "sweep", f"at most {MAX_SWEEP_POINTS:,}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.toml"]


def test_latin_hypercube_samples_are_capped(tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "lhs.toml"
    f.write_text(EXPERIMENT + '[sweep]\nmethod = "latin_hypercube"\nsamples = 100000000\n[sweep.ranges]\nshock_prob = [0.01, 0.02]\n')
    assert_refused(hostile_cli("experiment", str(f), "--backend", "serial"), "sweep.samples")


def test_experiment_ticks_are_capped_like_scenario_horizons(tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "lang.toml"
    f.write_text(EXPERIMENT.replace("ticks = 2", "ticks = 1000000000"), encoding="utf-8")
    assert_refused(hostile_cli("experiment", str(f), "--backend", "serial"), "experiment.ticks", f"{MAX_TICKS:,}", "line 5")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("flag", "value", "needle"), [
    ("--ticks", "1000000000", f"{MAX_TICKS:,}"),
    ("--ticks", "0", "--ticks"),
    ("--seed", str(2**64), f"{MAX_SEED:,}"),
    ("--seed", str(MAX_SEED + 1), "--seed"),
    ("--seed", "-1", "--seed"),
    ("--seed", "9" * 5000, "more characters"),
    ("--n-residents", "100000000", "--n-residents"),
])
def test_run_flags_are_checked_before_any_folder_is_made(flag: str, value: str, needle: str, tmp_path: Path, hostile_cli: HostileCli) -> None:
    assert_refused(hostile_cli("run", "basis", flag, value), needle)
    assert list(tmp_path.iterdir()) == []


def test_too_many_runs_are_refused(tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "veel.toml"
    f.write_text(EXPERIMENT.replace("replications = 1", "replications = 100000") + '[sweep]\nmethod = "grid"\n[sweep.grid]\nshock_prob = [0.01, 0.02, 0.03]\n')
    assert_refused(hostile_cli("experiment", str(f), "--backend", "serial"), "runs in all")


def test_oversized_files_are_refused_unread(tmp_path: Path, hostile_cli: HostileCli) -> None:
    f = tmp_path / "groot.toml"
    with f.open("wb") as fh:
        fh.truncate(3 * 1024 * 1024 * 1024)  # a sparse 3 GB file: reading it would break the memory cap
    assert_refused(hostile_cli("validate", str(f), mem_mb=1800), "too large")
    e = tmp_path / "groot_exp.toml"
    os.link(f, e)
    assert_refused(hostile_cli("experiment", str(e), mem_mb=1800), "too large")


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"n_residents": "100"}, TypeError),
    ({"n_residents": 100.0}, TypeError),
    ({"n_residents": True}, TypeError),
    ({"n_residents": 5}, ValueError),  # ParameterError, a ValueError
    ({"seed": -1}, ValueError),
    ({"seed": 2**64}, ValueError),
    ({"seed": "7"}, TypeError),
])
def test_model_arguments_are_checked(kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error, match=next(iter(kwargs))):
        NeighbourhoodModel(**kwargs)


def test_run_length_is_checked() -> None:
    model = NeighbourhoodModel(n_residents=30, seed=1, burn_in_weeks=0)
    with pytest.raises(ValueError, match="ticks"):
        model.run(-1)
    with pytest.raises(TypeError, match="ticks"):
        model.run("3")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ticks"):
        NeighbourhoodModel.from_scenario("scenarios/basis.toml", ticks=-1)
    assert len(model.run(2)) == 3


def test_dashboard_upload_is_capped_like_the_slider() -> None:
    from buurtsim.dashboard.state import Session

    session = Session(n_residents=50)
    text = (HEADER + f"[neighbourhood]\nn_residents = {MAX_DASHBOARD_RESIDENTS * 10}\n").encode()
    assert session.upload({"name": "groot.toml", "b64": base64.b64encode(text).decode()}) is None
    assert "n_residents" in (session.upload_error.value or "")
    small = (HEADER + "[neighbourhood]\nn_residents = 60\n").encode()
    assert session.upload({"name": "klein.toml", "b64": base64.b64encode(small).decode()}) is not None


def test_helpers() -> None:
    assert shorten("x" * 1000, 10) == "xxxxxxxxxx... (990 more characters)"
    nested: list = []
    node = nested
    for _ in range(100_000):  # deeper than any recursion limit: the walk has no recursion
        node.append([])
        node = node[0]
    assert too_deep(nested) is not None
    assert too_deep({"a": [1, {"b": 2}]}) is None
