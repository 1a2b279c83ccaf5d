"""Experiment files: valid ones resolve; bad ones fail with file, line, field, given and expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.experiment.conftest import write_experiment

from buurtsim.errors import UserError
from buurtsim.experiment import ExperimentError, load_experiment
from buurtsim.experiment.spec import parse_moment, resolve_moment


def _error(tmp_path: Path, body: str) -> ExperimentError:
    path = write_experiment(tmp_path, body)
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    assert isinstance(info.value, UserError)
    assert str(path) in str(info.value)
    return info.value


def test_valid_experiment_resolves_scenarios_relative_to_the_file(mini: Path) -> None:
    exp = load_experiment(mini)
    assert [s.name for s in exp.scenarios] == ["basis", "carrousel"]
    assert exp.baseline == "basis"
    assert exp.ticks_for(exp.scenarios[0]) == 36
    assert len(exp.outputs) > 20


def test_unknown_field_names_line_and_suggests(tmp_path: Path) -> None:
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml"]\nreplicatons = 3\n')
    p = err.problem_list[0]
    assert p.path == "experiment.replicatons"
    assert p.line == 4
    assert p.suggestion is not None and "replications" in p.suggestion
    assert "line 4" in str(err)


def test_bad_value_names_field_given_and_line(tmp_path: Path) -> None:
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml"]\n\nreplications = 0\n')
    p = err.problem_list[0]
    assert (p.path, p.line, p.given) == ("experiment.replications", 5, "0")
    assert "greater than or equal to 1" in p.message


def test_unknown_scenario_suggests_close_names(tmp_path: Path) -> None:
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml", "carousel.toml"]\n')
    assert "scenario file not found" in str(err)
    assert "carousel.toml" in str(err)


def test_unknown_metric_and_baseline(tmp_path: Path) -> None:
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml"]\noutputs = ["mean_selfreliance"]\n')
    assert "mean_self_reliance" in str(err)
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml", "carrousel.toml"]\nbaseline = "bassis"\n')
    p = err.problem_list[0]
    assert p.path == "experiment.baseline" and p.line == 4 and p.suggestion == "basis"


def test_toml_syntax_error_names_line(tmp_path: Path) -> None:
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml"]\nreplications = = 2\n')
    assert "not valid TOML" in str(err)
    assert err.problem_list[0].line is not None


def test_missing_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="experiment file not found"):
        load_experiment(tmp_path / "nope.toml")


def test_sweep_grid_and_latin_hypercube(tmp_path: Path) -> None:
    grid = write_experiment(tmp_path, extra='[sweep]\n[sweep.grid]\nshock_prob = [0.004, 0.008]\nsupport_rate = [0.03, 0.05, 0.07]\n')
    exp = load_experiment(grid)
    assert len(exp.points) == 6
    assert {p["support_rate"] for p in exp.points} == {0.03, 0.05, 0.07}
    lhs = write_experiment(tmp_path, file="lhs.toml", extra='[sweep]\nmethod = "latin_hypercube"\nsamples = 5\n'
                           '[sweep.ranges]\nshock_prob = [0.004, 0.008]\nmax_degree = [10, 30]\n')
    a, b = load_experiment(lhs), load_experiment(lhs)
    assert a.points == b.points and len(a.points) == 5
    assert all(0.004 <= p["shock_prob"] <= 0.008 and isinstance(p["max_degree"], int) for p in a.points)
    # Latin hypercube: each of the 5 strata of each range holds exactly one point
    strata = sorted(int((p["shock_prob"] - 0.004) / 0.004 * 5) for p in a.points)
    assert strata == [0, 1, 2, 3, 4]


def test_sweep_and_sensitivity_ranges_are_checked(tmp_path: Path) -> None:
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml"]\n[sweep]\nmethod = "latin_hypercube"\nsamples = 3\n'
                 '[sweep.ranges]\nshock_prob = [0.1, 0.5]\n')
    assert "outside the allowed" in str(err)
    err = _error(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml"]\n[sensitivity]\n[sensitivity.ranges]\nshok_prob = [0.001, 0.01]\n')
    assert "shock_prob" in str(err) and err.problem_list[0].line == 6


def test_moments() -> None:
    assert parse_moment("end") == ("end", 0)
    assert parse_moment("end_of_funding+2y") == ("end_of_funding", 104)
    assert parse_moment(260) == ("start", 260)
    assert parse_moment("5y") == ("start", 260)
    assert resolve_moment(("end_of_funding", 104), 520, 300) == 404
    assert resolve_moment(("end_of_funding", 104), 520, 450) is None
    assert resolve_moment(("end_of_funding", 0), 520, None) is None
    with pytest.raises(ValueError):
        parse_moment("halfway")
