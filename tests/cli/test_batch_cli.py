"""The batch subcommands from the command line: help texts, exit status 2 with a clear message for
user mistakes (no traceback), and a tiny experiment through run, experiment, compare and report."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import CliRun
from tests.experiment.conftest import write_experiment, write_scenario


@pytest.mark.parametrize("command", ["run", "experiment", "compare", "report", "sensitivity", "demo", "prices"])
def test_help_explains_in_dutch_and_english(run_cli: CliRun, command: str) -> None:
    code, out, _ = run_cli(command, "--help")
    assert code == 0
    assert " / " in out
    assert any(word in out.lower() for word in ("map", "scenario", "experiment", "rapport", "prijstabel"))


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
    assert code == 0 and "| carrousel | Kosten (cumulatief) (EUR) |" in out
    code, out, _ = run("compare", str(res), "--format", "csv", "-m", "cost_eur", "--at", "10")
    assert code == 0 and out.splitlines()[0].startswith("scenario,metric,moment,tick")
    code, out, _ = run("compare", str(res), "-m", "mean_self_reliance")
    assert code == 0 and "d_z" in out
    # the answer comes first, in one language; the tables follow as an appendix
    assert out.index("Het antwoord") < out.index("Maatschappelijk rendement") < out.index("Bijlage")
    assert "carrousel tegenover basis" in out and "afglijdende bewoners" in out and "/ comparison" not in out
    code, out, _ = run("compare", str(res), "-m", "mean_self_reliance", "--lang", "en", "--xlsx", str(tmp_path / "vergelijking.xlsx"))
    assert code == 0 and "The answer" in out and "Het antwoord" not in out and "residents sliding" in out
    assert (tmp_path / "vergelijking.xlsx").is_file()
    code, out, _ = run("compare", str(res), "--format", "md", "--lang", "en")
    assert code == 0 and out.startswith("## The answer") and "| Mean self-reliance (points 0-100) |" in out
    _assert_user_error(run("compare", str(res), "--lang", "de"), "--lang", "nl or en")
    _assert_user_error(run("compare", str(res), "--format", "xml"), "--format")
    _assert_user_error(run("compare", str(res), "--at", "halverwege"), "--at")
    _assert_user_error(run("compare", str(res), "--baseline", "nul"), "--baseline", "basis, carrousel")
    _assert_user_error(run("compare", str(res), "--metric", "geluk"), "--metric", "geluk")

    code, out, err = run("report", str(res), "--out", str(tmp_path / "rapport.html"))
    assert code == 0, err
    assert (tmp_path / "rapport.html").stat().st_size > 10_000
    code, out, err = run("report", str(res), "--out", str(tmp_path / "report.html"), "--lang", "en", "--xlsx", str(tmp_path / "report.xlsx"))
    assert code == 0, err
    assert "Report:" in out and "Workbook:" in out and (tmp_path / "report.xlsx").is_file()
    _assert_user_error(run("report", str(res), "--prices", str(tmp_path / "geen.toml")), "geen.toml", "price table not found")
    # results without checksums (an older buurtsim): the note comes in the language asked for
    old = tmp_path / "oud"
    shutil.copytree(res, old)
    manifest = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"] = {}
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    code, _, err = run("compare", str(old), "-m", "cost_eur", "--lang", "en")
    assert code == 0 and "Note:" in err and "Opmerking" not in err
    code, _, err = run("compare", str(old), "-m", "cost_eur")
    assert code == 0 and "Opmerking:" in err and "Note" not in err


def test_tables_stay_readable_at_80_columns(tmp_path: Path, run_cli: CliRun) -> None:
    exp = write_experiment(tmp_path)
    res = tmp_path / "res"
    assert run_cli("experiment", str(exp), "--out", str(res), "--backend", "serial")[0] == 0
    code, out, _ = run_cli("compare", str(res), columns=80)
    assert code == 0
    assert all(len(line) <= 80 for line in out.splitlines())
    assert "…" not in out and "..." not in out  # nothing cut off
    for label in ("Gemiddelde zelfredzaamheid (punten 0-100)", "verschil met basis [95%-interval]", "Kosten (cumulatief) (EUR)"):
        assert label in out, label


def test_help_shows_no_bool_noise(run_cli: CliRun) -> None:
    code, out, _ = run_cli("experiment", "--help", columns=80)
    assert code == 0 and "--resume" in out and "--force" in out
    assert "<bool>" not in out


def test_prices_prints_checks_and_writes_a_table(tmp_path: Path, run_cli: CliRun) -> None:
    code, out, _ = run_cli("prices", "--lang", "en")
    assert code == 0 and "Discount rate 2.25% a year" in out and "Werkgroep Discontovoet (2020)" in out
    assert "Price table is valid." in out and "are assumptions" in out
    own = tmp_path / "mijn.toml"
    assert run_cli("prices", "--write", str(own))[0] == 0
    code, out, _ = run_cli("prices", str(own))
    assert code == 0 and "Prijstabel in orde." in out
    _assert_user_error(run_cli("prices", "--write", str(own)), "--write", "exists")
    own.write_text(own.read_text(encoding="utf-8").replace('better = "lower"', 'better = "minder"', 1), encoding="utf-8")
    _assert_user_error(run_cli("prices", str(own)), str(own), "'better'", "expected 'lower' or 'higher'")


def test_experiment_speaks_one_language(tmp_path: Path, run_cli: CliRun) -> None:
    exp = write_experiment(tmp_path)
    code, out, err = run_cli("experiment", str(exp), "--out", str(tmp_path / "r"), "--backend", "serial", "--lang", "en")
    assert code == 0, err
    assert "results:" in out and "Next: buurtsim compare" in out
    assert "resultaten" not in out and "Verder" not in out and " / " not in out
    _assert_user_error(run_cli("experiment", str(exp), "--lang", "fr"), "--lang", "nl or en")


def test_list_and_params_cut_nothing_at_80_columns(run_cli: CliRun) -> None:
    for command in ("list", "params"):
        code, out, _ = run_cli(command, columns=80)
        assert code == 0 and "…" not in out, command
    assert "scenarios/achter_de_voordeur.toml" in run_cli("list", columns=80)[1]
    code, out, _ = run_cli("params", "--lang", "nl", columns=80)
    assert code == 0 and "[10; 2.000.000]" in out and "standaard: 500" in out
    code, out, _ = run_cli("list", "--lang", "en")
    assert code == 0 and "Experiments" in out and "Experimenten" not in out
