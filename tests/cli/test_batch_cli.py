"""The batch subcommands from the command line: help texts, exit status 2 with a clear message for
user mistakes (no traceback), and a tiny experiment through run, experiment, compare and report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import CliRun
from tests.experiment.conftest import write_experiment, write_scenario


@pytest.mark.parametrize("command", ["run", "experiment", "compare", "report", "sensitivity", "demo"])
def test_help_explains_in_dutch_and_english(run_cli: CliRun, command: str) -> None:
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    assert " / " in out
    assert any(word in out.lower() for word in ("map", "scenario", "experiment", "rapport"))


def _assert_user_error(result: tuple[int, str, str], *needles: str) -> None:
    code, _, err = result
    assert code == 2, err
    assert "Traceback" not in err
    flat = " ".join(err.split())
    for needle in needles:
        assert needle in flat, (needle, flat)


def test_user_mistakes_exit_2_with_a_clear_message(tmp_path: Path, run_cli: CliRun) -> None:
    run = run_cli
    exp = write_experiment(tmp_path)
    _assert_user_error(run("experiment", str(tmp_path / "nope.toml")), "nope.toml", "not found")
    bad = write_experiment(tmp_path, '[experiment]\nname = "x"\nscenarios = ["basis.toml", "carousel.toml"]\n', file="bad.toml")
    _assert_user_error(run("experiment", str(bad)), "bad.toml", "line 3", "carousel.toml", "not found")
    _assert_user_error(run("experiment", str(exp), "--workers", "0"), "--workers", "at least 1")
    _assert_user_error(run("experiment", str(exp), "--workers", "twee"), "--workers", "'twee'")
    _assert_user_error(run("experiment", str(exp), "--backend", "gpu"), "--backend", "serial, process, dask")
    _assert_user_error(run("experiment", str(exp), "--backend", "serial", "--scheduler", "tcp://x:1"), "--scheduler")
    _assert_user_error(run("experiment", str(exp), "--backend", "dask", "--scheduler", "localhost"), "tcp://host:8786")
    _assert_user_error(run("run", str(tmp_path / "geen.toml")), "geen.toml")
    _assert_user_error(run("run", str(tmp_path / "basis.toml"), "--ticks", "-3"), "--ticks")
    _assert_user_error(run("compare", str(tmp_path / "leeg")), "results directory not found")
    _assert_user_error(run("report", str(tmp_path)), "manifest.json")
    _assert_user_error(run("sensitivity", str(exp), "--backend", "serial"), "'sensitivity' table")
    _assert_user_error(run("sensitivity", str(exp), "--method", "sobel"), "--method", "morris or sobol")
    # shipped experiments are found by name; a misspelt one gets suggestions
    _assert_user_error(run("sensitivity", "snel", "--backend", "serial"), "snel.toml", "'sensitivity' table")
    _assert_user_error(run("experiment", "carrousel_vs_presentei"), "carrousel_vs_presentie")


def test_run_experiment_compare_report(tmp_path: Path, run_cli: CliRun) -> None:
    run = run_cli
    scen = write_scenario(tmp_path, "los")
    code, out, err = run("run", str(scen), "--seed", "4", "--ticks", "12", "--out", str(tmp_path / "een"))
    assert code == 0, err
    assert "Gemiddelde zelfredzaamheid" in out and "week 12" in out
    assert (tmp_path / "een" / "timeseries.parquet").is_file()
    manifest = json.loads((tmp_path / "een" / "manifest.json").read_text())
    assert manifest["runs"][0]["seed"] == 4 and manifest["runs"][0]["ticks"] == 12

    exp = write_experiment(tmp_path)
    res = tmp_path / "res"
    code, out, err = run("experiment", str(exp), "--out", str(res), "--backend", "serial")
    assert code == 0, err
    assert "complete" in out and "4/4" in out
    _assert_user_error(run("experiment", str(exp), "--out", str(res), "--backend", "serial"), "--resume", "--force")
    code, out, _ = run("experiment", str(exp), "--out", str(res), "--backend", "serial", "--resume")
    assert code == 0 and "4 van 4" in out

    code, out, err = run("compare", str(res), "--format", "json", "--at", "end_of_funding,end", "--metric", "mean_self_reliance")
    assert code == 0, err
    data = json.loads(out)
    assert data["baseline"] == "basis"
    assert {(r["scenario"], r["moment"]) for r in data["rows"]} == {("basis", "end"), ("carrousel", "end_of_funding"), ("carrousel", "end")}
    assert data["summary"][0]["funding_end"] == 16
    code, out, _ = run("compare", str(res), "--format", "md", "-m", "cost_eur")
    assert code == 0 and "| carrousel | cost_eur |" in out
    code, out, _ = run("compare", str(res), "--format", "csv", "-m", "cost_eur", "--at", "10")
    assert code == 0 and out.splitlines()[0].startswith("scenario,metric,moment,tick")
    code, out, _ = run("compare", str(res), "-m", "mean_self_reliance")
    assert code == 0 and "Vergelijking / comparison" in out and "d_z" in out
    _assert_user_error(run("compare", str(res), "--format", "xml"), "--format")
    _assert_user_error(run("compare", str(res), "--at", "halverwege"), "--at")
    _assert_user_error(run("compare", str(res), "--baseline", "nul"), "--baseline", "basis, carrousel")
    _assert_user_error(run("compare", str(res), "--metric", "geluk"), "--metric", "geluk")

    code, out, err = run("report", str(res), "--out", str(tmp_path / "rapport.html"))
    assert code == 0, err
    assert (tmp_path / "rapport.html").stat().st_size > 10_000
